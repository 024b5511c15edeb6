"""Legal holds: records kept as evidence (court, complaint, investigation), which the retention
run skips until the hold's end date or its release (issue 12 item 4).

Treatment staff of the record's prison put a screening item (with the observations its
triggers name) or a single observation on hold, with a reason (stored encrypted, with the
language it was written in) and an end date (inclusive, the prisons' day); they may release it
early. Holds are never deleted: a release sets released_at. Several holds may keep one record
(a court case and a complaint); it is held while any of them is. Placing and releasing each
write one audit row (Action.HOLD, purposes "hold.place" and "hold.release"), never the reason.

Plain Python, no web framework. Every function runs in the caller's transaction and takes
`now`; refusals (ReviewRefused) are raised before anything is written.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.clock import prisons_today
from app.i18n.locales import Locale
from app.i18n.messages import N_, N_plural
from app.models import LegalHold, Observation, ScreeningItem, ScreeningTrigger, User, Wing
from app.services import audit, restrictions
from app.services.accounts import Identity
from app.services.fieldcrypt import FieldCipher
from app.services.review_errors import ReviewRefused, not_allowed
from app.vocabulary import HoldSubject, Role, parse

MIN_REASON = 10
MAX_TEXT = 2000
MAX_YEARS = 5  # a hold ends at most this long after today; a longer case places a new one
IN_CHUNK = 900
PLACED, RELEASED = "hold.place", "hold.release"  # the audit rows' purposes
MAX_ID = 2**31 - 1  # a row id the databases' INTEGER holds (PostgreSQL refuses a larger one)


def row_id(value: object) -> int | None:
    """A row id from a caller, or None if it cannot be one (so it is never looked up)."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_ID:
        return None
    return value


@dataclass(frozen=True)
class Held:
    """What is on hold on a day: observations by id, screening items by id (an item's hold
    keeps its observations too; the retention run resolves that)."""

    observation_ids: frozenset[str]
    item_ids: frozenset[int]


def held_on(db: Session, day: date) -> Held:
    rows = db.execute(select(LegalHold.subject, LegalHold.subject_id).where(
        LegalHold.released_at.is_(None), LegalHold.until >= day)).all()
    return Held(
        observation_ids=frozenset(i for s, i in rows if s == HoldSubject.OBSERVATION),
        item_ids=frozenset(int(i) for s, i in rows if s == HoldSubject.ITEM))


def _in_force(day: date):
    return (LegalHold.released_at.is_(None)) & (LegalHold.until >= day)


def _chunks(ids: list, size: int = IN_CHUNK):
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def item_observations(db: Session, item_ids: Iterable[int]) -> dict[int, set[str]]:
    """The observations each item's triggers name: what an item's hold keeps with it."""
    found: dict[int, set[str]] = defaultdict(set)
    for chunk in _chunks(sorted(set(item_ids))):
        for item_id, observation_ids in db.execute(
                select(ScreeningTrigger.item_id, ScreeningTrigger.observation_ids)
                .where(ScreeningTrigger.item_id.in_(chunk))):
            found[item_id].update(observation_ids or ())
    return found


@dataclass(frozen=True)
class HoldIndex:
    """Which records are held on a day and until when (the latest end of the holds keeping
    them); an observation named by a held item's triggers is held with it."""

    items: dict[int, date]
    observations: dict[str, date]

    def item(self, item_id: int) -> date | None:
        return self.items.get(item_id)

    def observation(self, observation_id: str) -> date | None:
        return self.observations.get(observation_id)


def index_on(db: Session, day: date, prison_ids: Iterable[str] | None = None) -> HoldIndex:
    """The holds in force on `day` (of these prisons, or all)."""
    query = select(LegalHold.subject, LegalHold.subject_id, LegalHold.until).where(
        _in_force(day))
    if prison_ids is not None:
        query = query.where(LegalHold.prison_id.in_(list(prison_ids)))
    items: dict[int, date] = {}
    observations: dict[str, date] = {}
    for subject, subject_id, until in db.execute(query):
        if subject == HoldSubject.ITEM:
            items[int(subject_id)] = max(until, items.get(int(subject_id), until))
        elif subject == HoldSubject.OBSERVATION:
            observations[subject_id] = max(until, observations.get(subject_id, until))
    for item_id, named in item_observations(db, items).items():
        for observation_id in named:
            until = items[item_id]
            observations[observation_id] = max(until, observations.get(observation_id, until))
    return HoldIndex(items, observations)


# --- placing and releasing -------------------------------------------------------------------


def _require_treatment(who: Identity) -> None:
    if who.role != Role.TREATMENT or who.prison_id is None:
        raise not_allowed()


def add_years(day: date, years: int) -> date:
    """The same day `years` later (28 February for a 29 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def check_reason(reason: str, field: str = "reason") -> str:
    """A reason long enough to be one and short enough to read, that UTF-8 can hold."""
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON:
        one, many = N_plural("Give a reason of at least {count} character.",
                             "Give a reason of at least {count} characters.")
        raise ReviewRefused("reason_too_short", one, field, plural=many, count=MIN_REASON)
    if len(reason) > MAX_TEXT:
        one, many = N_plural("This text can be at most {count} character.",
                             "This text can be at most {count} characters.")
        raise ReviewRefused("reason_too_long", one, field, plural=many, count=MAX_TEXT)
    try:  # a browser event can carry a lone surrogate, which no UTF-8 (nor its cipher) holds
        reason.encode("utf-8")
    except UnicodeEncodeError:
        raise ReviewRefused("reason_unstorable", N_("This text holds a character that cannot "
                                                    "be stored; type it again."),
                            field) from None
    return reason


def check_end(until: date | None, today: date, *, after: date | None = None,
              field: str = "until") -> date:
    """A day after `after` (default today) and at most MAX_YEARS from today."""
    if until is None:
        raise ReviewRefused("date_missing", N_("Write the date as in the example."), field)
    floor = max(today, after or today)
    if until <= floor:
        raise ReviewRefused("date_too_early", N_("The date must be after {day}."), field,
                            day=floor)
    latest = add_years(today, MAX_YEARS)
    if until > latest:
        one, many = N_plural("The date can be at most {count} year from today, until {day}.",
                             "The date can be at most {count} years from today, until {day}.")
        raise ReviewRefused("date_too_late", one, field, plural=many, count=MAX_YEARS,
                            day=latest)
    return until


def _subject(db: Session, who: Identity, subject: HoldSubject,
             subject_id: str) -> tuple[str, str, str]:
    """(stored subject id, prison, prisoner) of what is to be held, if it is the screener's
    prison's; refused alike when it does not exist or is another prison's."""
    row = None
    if subject == HoldSubject.ITEM:
        text = str(subject_id).strip()
        number = row_id(int(text)) if text.isascii() and text.isdigit() and len(text) < 12 \
            else None
        if number is not None:
            row = db.execute(select(ScreeningItem.id, ScreeningItem.prison_id,
                                    ScreeningItem.prisoner_id)
                             .where(ScreeningItem.id == number)).first()
    elif isinstance(subject_id, str) and len(subject_id) <= 64:
        row = db.execute(select(Observation.id, Observation.prison_id, Observation.prisoner_id)
                         .where(Observation.id == subject_id)).first()
    if row is None or row[1] != who.prison_id:
        raise not_allowed()
    return str(row[0]), row[1], row[2]


def place(db: Session, who: Identity, subject: str, subject_id: str, reason: str,
          until: date | None, now: datetime, cipher: FieldCipher,
          locale: Locale | None = None) -> int:
    """Put a screening item (with its observations) or one observation on hold until `until`
    (inclusive), with the reason written in `locale`; returns the hold's id."""
    _require_treatment(who)
    kind = parse(HoldSubject, subject)
    if kind is None:
        raise ReviewRefused("subject_unknown", N_("Choose what to put on hold."), "subject")
    stored_id, prison_id, prisoner_id = _subject(db, who, kind, subject_id)
    reason = check_reason(reason)
    today = prisons_today(now)
    until = check_end(until, today)
    hold = LegalHold(subject=kind.value, subject_id=stored_id, prison_id=prison_id,
                     prisoner_id=prisoner_id, reason_enc="", until=until, placed_by=who.user_id,
                     placed_at=now, locale=locale.value if locale else None)
    db.add(hold)
    db.flush()  # the row id is part of the encryption's associated data
    hold.reason_enc = cipher.encrypt(reason, table=LegalHold.__tablename__, column="reason",
                                     row_id=str(hold.id))
    db.flush()
    _audit(db, who, hold, PLACED, now)
    return hold.id


def release(db: Session, who: Identity, hold_id: int, now: datetime) -> None:
    """End a hold before its date; the record is then kept only as its schedule says."""
    _require_treatment(who)
    hold = db.scalar(select(LegalHold).where(LegalHold.id == hold_id).with_for_update()
                     .execution_options(populate_existing=True)) if row_id(hold_id) else None
    if hold is None or hold.prison_id != who.prison_id:
        raise not_allowed()
    if hold.released_at is not None or hold.until < prisons_today(now):
        raise ReviewRefused("hold_ended", N_("This hold has already ended."), status=409)
    hold.released_at, hold.released_by = now, who.user_id
    db.flush()
    _audit(db, who, hold, RELEASED, now)


def _audit(db: Session, who: Identity, hold: LegalHold, purpose: str, now: datetime) -> None:
    """Codes and dates only: never the reason."""
    detail = json.dumps({"subject": hold.subject, "record": hold.subject_id,
                         "until": hold.until.isoformat()}, sort_keys=True)
    audit.append(db, at=now, action=audit.Action.HOLD, actor_id=who.user_id,
                 prisoner_id=hold.prisoner_id, record_id=f"hold:{hold.id}", purpose=purpose,
                 detail=detail)


# --- the case page's panel ---------------------------------------------------------------------


@dataclass(frozen=True)
class HoldRecord:
    id: int
    subject: HoldSubject
    subject_id: str
    observation_at: datetime | None  # an observation's hold: when it happened
    until: date
    reason: str
    locale: str | None  # the reason's language
    placed_by: str
    placed_at: datetime
    released_by: str | None
    released_at: datetime | None
    in_force: bool


@dataclass(frozen=True)
class ObservationChoice:
    id: str
    occurred_at: datetime
    wing_code: str
    held_until: date | None  # on hold itself or with a held item


@dataclass(frozen=True)
class CaseHolds:
    item_id: int
    item_held_until: date | None
    holds: tuple[HoldRecord, ...]  # this item's and its prisoner's observations', in force first
    observations: tuple[ObservationChoice, ...]  # the prisoner's, newest first


def for_case(db: Session, who: Identity, item_id: int, now: datetime,
             cipher: FieldCipher) -> CaseHolds:
    """The holds on a screening item and on its prisoner's observations, and what may be put
    on hold, for treatment staff of the item's prison. The case page's own read is audited;
    this shows no observation content."""
    _require_treatment(who)
    item = db.get(ScreeningItem, item_id) if row_id(item_id) else None
    if (item is None or item.prison_id != who.prison_id
            or restrictions.withheld(db, who, item, now)):
        raise not_allowed()
    today = prisons_today(now)
    observations = db.execute(
        select(Observation.id, Observation.occurred_at, Wing.code)
        .join(Wing, Wing.id == Observation.wing_id)
        .where(Observation.prisoner_id == item.prisoner_id,
               Observation.prison_id == item.prison_id)
        .order_by(Observation.occurred_at.desc(), Observation.id)).all()
    when = {obs_id: at for obs_id, at, _ in observations}
    rows = list(db.scalars(select(LegalHold).where(
        LegalHold.prisoner_id == item.prisoner_id, LegalHold.prison_id == item.prison_id,
        or_(LegalHold.subject == HoldSubject.ITEM, LegalHold.subject == HoldSubject.OBSERVATION))
        .order_by(LegalHold.placed_at.desc(), LegalHold.id.desc())))
    rows = [h for h in rows if (h.subject == HoldSubject.ITEM and h.subject_id == str(item.id))
            or (h.subject == HoldSubject.OBSERVATION and h.subject_id in when)]
    user_ids = {h.placed_by for h in rows} | {h.released_by for h in rows if h.released_by}
    names = dict(db.execute(select(User.id, User.display_name)
                            .where(User.id.in_(user_ids))).all()) if user_ids else {}
    index = index_on(db, today, [item.prison_id])
    holds = [HoldRecord(
        id=h.id, subject=HoldSubject(h.subject), subject_id=h.subject_id,
        observation_at=when.get(h.subject_id) if h.subject == HoldSubject.OBSERVATION else None,
        until=h.until,
        reason=cipher.decrypt(h.reason_enc, table=LegalHold.__tablename__, column="reason",
                              row_id=str(h.id)),
        locale=h.locale, placed_by=names.get(h.placed_by, ""), placed_at=h.placed_at,
        released_by=names.get(h.released_by) if h.released_by else None,
        released_at=h.released_at, in_force=h.released_at is None and h.until >= today)
        for h in rows]
    holds.sort(key=lambda h: not h.in_force)  # stable: newest first within each
    return CaseHolds(
        item_id=item.id, item_held_until=index.item(item.id), holds=tuple(holds),
        observations=tuple(ObservationChoice(obs_id, at, wing, index.observation(obs_id))
                           for obs_id, at, wing in observations))
