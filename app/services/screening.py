"""Screening: treatment staff turn flagged observations into reasoned, recorded decisions.

Plain Python, no web framework. Every function runs inside the caller's transaction and takes the
acting Identity and `now`; free text goes through a FieldCipher. An item's status is never stored:
it is derived from its ScreeningEvent rows (claims, take-overs, decisions, sign-offs, addenda),
which are only ever inserted. Every action writes an audit row (record_id "screening:<id>").

Errors are ScreeningError with a message id and its placeholders' values, which the page says in
the screener's language. They are raised before anything is written, and the caller's transaction
rolls back on them anyway, so nothing is recorded. Free text is stored with the locale it was
written in; rule firings as their ids and numbers (app/services/flag_rules.py).

Refusals: `check_access` raises NotAllowed ("Not allowed") for anyone who is not treatment staff
of the item's prison. Because raising rolls the transaction back, a caller that must log the
refusal (a case id of another prison opened by URL) calls `log_refusal` in a transaction of its
own after catching NotAllowed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.i18n.locales import Locale
from app.i18n.messages import N_
from app.models import (
    Addendum,
    Observation,
    Prisoner,
    ScreeningEvent,
    ScreeningItem,
    ScreeningTrigger,
    User,
    Wing,
)
from app.services import audit, catalogue, flag_rules, restrictions, trends
from app.services.accounts import Identity
from app.services.fieldcrypt import FieldCipher
from app.vocabulary import EventKind, IndicatorKind, ItemState, Outcome, Role, SupportKind, parse

DUE_AFTER = timedelta(hours=72)
CLOSING_OUTCOMES = frozenset({Outcome.NO_FURTHER_ACTION, Outcome.REFER_SUPPORT})
MIN_REASON = 20
MIN_TAKE_OVER_REASON = 10
MAX_TEXT = 2000
IN_CHUNK = 900  # ids per IN (...) list, well under SQLite's and PostgreSQL's limits


class ScreeningError(Exception):
    """A refusal the screener can act on: a message id, its placeholders' values (a datetime is
    shown as a day) and, for a text with a number, its plural and the count."""

    def __init__(self, message: str, plural: str | None = None, count: int | None = None,
                 **params: Any) -> None:
        super().__init__(message)
        self.message, self.plural, self.count = message, plural, count
        self.params: Mapping[str, Any] = params

    def __str__(self) -> str:
        """In English, for logs and tests; a page says it in the reader's language
        (app/views/screening.refusal)."""
        text = self.plural if self.plural and self.count != 1 else self.message
        params = {name: value.date().isoformat() if isinstance(value, datetime) else value
                  for name, value in self.params.items()}
        return text.format(count=self.count, **params)


class NotAllowed(ScreeningError):
    """The identity may not act on this item (wrong role or another prison)."""

    def __init__(self, message: str = N_("Not allowed"), *, prisoner_id: str | None = None,
                 reason: str = "refused") -> None:
        super().__init__(message)
        self.prisoner_id = prisoner_id
        self.reason = reason


# --- derived status ------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemStatus:
    state: ItemState
    holder_id: str | None
    outcome: Outcome | None  # the latest decision's outcome, if any
    decision_id: int | None  # the latest decision event
    decided_by: str | None
    support_kind: SupportKind | None
    review_on: datetime | None
    due_at: datetime
    overdue: bool


def derive(item: ScreeningItem, events: Iterable[ScreeningEvent], now: datetime) -> ItemStatus:
    """The item's status from what was recorded, as of `now` (events in any order)."""
    state, holder = ItemState.UNCLAIMED, None
    outcome = decision_id = decided_by = support_kind = review_on = None
    for ev in sorted(events, key=lambda e: (e.at, e.id)):
        if state == ItemState.MONITORING and review_on is not None and ev.at >= review_on:
            state, holder = ItemState.DUE_FOR_REVIEW, None
        if ev.kind in (EventKind.CLAIM, EventKind.TAKE_OVER):
            if state != ItemState.CLOSED:
                state, holder = ItemState.CLAIMED, ev.actor_id
        elif ev.kind == EventKind.DECISION:
            outcome, decision_id, decided_by = parse(Outcome, ev.outcome), ev.id, ev.actor_id
            support_kind, review_on = parse(SupportKind, ev.support_kind), ev.review_on
            if outcome in CLOSING_OUTCOMES:
                state, holder = ItemState.CLOSED, None
            elif outcome == Outcome.MONITOR:
                state, holder = ItemState.MONITORING, None
            elif outcome == Outcome.REFER_ASSESSMENT:
                state, holder = ItemState.AWAITING_SIGN_OFF, ev.actor_id
        elif (ev.kind == EventKind.SIGN_OFF and state == ItemState.AWAITING_SIGN_OFF
              and ev.refers_to == decision_id):
            state, holder = ItemState.CLOSED, None
        # an addendum never changes status
    if state == ItemState.MONITORING and review_on is not None and now >= review_on:
        state, holder = ItemState.DUE_FOR_REVIEW, None
    due_at = item.opened_at + DUE_AFTER
    return ItemStatus(state=state, holder_id=holder, outcome=outcome, decision_id=decision_id,
                      decided_by=decided_by, support_kind=support_kind, review_on=review_on,
                      due_at=due_at, overdue=state != ItemState.CLOSED and now > due_at)


# --- access ----------------------------------------------------------------------------------


def _item(db: Session, item_id: int, *, lock: bool) -> ScreeningItem:
    query = select(ScreeningItem).where(ScreeningItem.id == item_id)
    if lock:  # PostgreSQL: a second claimer waits here; SQLite: BEGIN IMMEDIATE already did
        query = query.with_for_update()
    item = db.scalar(query.execution_options(populate_existing=True))
    if item is None:
        raise ScreeningError(N_("There is no such screening item."))
    return item


def check_access(who: Identity, item: ScreeningItem) -> None:
    """Only treatment staff of the item's prison; NotAllowed otherwise."""
    if who.role != Role.TREATMENT:
        raise NotAllowed(prisoner_id=item.prisoner_id, reason="refused: role")
    if who.prison_id is None or who.prison_id != item.prison_id:
        raise NotAllowed(prisoner_id=item.prisoner_id, reason="refused: other prison")


def _require_treatment(who: Identity) -> None:
    if who.role != Role.TREATMENT or who.prison_id is None:
        raise NotAllowed(reason="refused: role")


def log_refusal(db: Session, who: Identity, item_id: int, error: NotAllowed,
                now: datetime) -> None:
    """Audit a refused attempt; call in a fresh transaction after catching NotAllowed."""
    audit.append(db, at=now, action=audit.Action.READ, actor_id=who.user_id,
                 prisoner_id=error.prisoner_id, record_id=f"screening:{item_id}",
                 purpose=error.reason)


def _events(db: Session, item_id: int) -> list[ScreeningEvent]:
    return list(db.scalars(select(ScreeningEvent).where(ScreeningEvent.item_id == item_id)
                           .order_by(ScreeningEvent.at, ScreeningEvent.id)))


def _display_name(db: Session, user_id: str) -> str:
    return db.scalar(select(User.display_name).where(User.id == user_id)) or ""


def _locked_status(db: Session, who: Identity, item_id: int,
                   now: datetime) -> tuple[ScreeningItem, ItemStatus]:
    _require_treatment(who)
    item = _item(db, item_id, lock=True)
    check_access(who, item)
    return item, derive(item, _events(db, item.id), now)


def _record(db: Session, who: Identity, item: ScreeningItem, now: datetime, kind: str,
            purpose: str, cipher: FieldCipher | None = None, text: str | None = None,
            locale: Locale | None = None, **fields) -> ScreeningEvent:
    """One event; a text is stored encrypted, with the locale it was written in."""
    event = ScreeningEvent(item_id=item.id, at=now, actor_id=who.user_id, kind=kind,
                           locale=locale.value if text is not None and locale else None, **fields)
    db.add(event)
    db.flush()  # the row id is part of the encryption's associated data
    if text is not None:
        assert cipher is not None
        event.text_enc = cipher.encrypt(text, table=ScreeningEvent.__tablename__, column="text",
                                        row_id=str(event.id))
        db.flush()
    audit.append(db, at=now, action=audit.Action.DECISION, actor_id=who.user_id,
                 prisoner_id=item.prisoner_id, record_id=f"screening:{item.id}",
                 purpose=purpose, detail=f"event {event.id}")
    return event


def _check_open(status: ItemStatus) -> None:
    """Refuse a command on an item whose decision is already recorded."""
    if status.state == ItemState.CLOSED:
        raise ScreeningError(N_("This item is closed; a decision was already recorded."))
    if status.state == ItemState.AWAITING_SIGN_OFF:
        raise ScreeningError(N_("A decision was already recorded; the referral is awaiting "
                                "sign-off."))
    if status.state == ItemState.MONITORING:
        raise ScreeningError(N_("A decision was already recorded; the item is being monitored "
                                "until {day} and returns to the queue then."),
                             day=status.review_on)


# --- actions ---------------------------------------------------------------------------------


def _check_length(text: str, minimum: int = 0, too_short: tuple[str, str] = ("", "")) -> None:
    """Reasons and notes: long enough to be a reason (`too_short`: the refusal's singular and
    plural), short enough to read."""
    if len(text) < minimum:
        raise ScreeningError(*too_short, count=minimum)
    if len(text) > MAX_TEXT:
        raise ScreeningError(N_("This text can be at most {count} character."),
                             N_("This text can be at most {count} characters."), count=MAX_TEXT)
    try:  # a browser event can carry a lone surrogate, which no UTF-8 (nor its cipher) holds
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ScreeningError(N_("This text holds a character that cannot be stored; type it "
                                "again.")) from None


def claim(db: Session, who: Identity, item_id: int, now: datetime) -> int:
    """Put the item on the screener's name; returns the event id."""
    item, status = _locked_status(db, who, item_id, now)
    if status.state == ItemState.CLAIMED:
        if status.holder_id == who.user_id:
            raise ScreeningError(N_("You already hold this item."))
        raise ScreeningError(N_("Held by {name}. Use Take over to move it to you."),
                             name=_display_name(db, status.holder_id or ""))
    _check_open(status)
    return _record(db, who, item, now, EventKind.CLAIM, "screening item claimed").id


def take_over(db: Session, who: Identity, item_id: int, reason: str, now: datetime,
              cipher: FieldCipher, locale: Locale | None = None) -> int:
    """Move an item someone else holds to the screener, visibly and with a reason (written in
    `locale`)."""
    reason = (reason or "").strip()
    item, status = _locked_status(db, who, item_id, now)
    _check_open(status)
    if status.state != ItemState.CLAIMED:
        raise ScreeningError(N_("Nobody holds this item. Use Claim instead."))
    if status.holder_id == who.user_id:
        raise ScreeningError(N_("You already hold this item."))
    _check_length(reason, MIN_TAKE_OVER_REASON,
                  (N_("Give a reason for taking over of at least {count} character."),
                   N_("Give a reason for taking over of at least {count} characters.")))
    return _record(db, who, item, now, EventKind.TAKE_OVER, "screening item taken over", cipher,
                   reason, locale).id


def decide(db: Session, who: Identity, item_id: int, outcome: str, reason: str, now: datetime,
           cipher: FieldCipher, review_on: datetime | None = None,
           support_kind: str | None = None, locale: Locale | None = None) -> int:
    """Record the holder's decision with its reason (written in `locale`); returns the event
    id."""
    reason = (reason or "").strip()
    item, status = _locked_status(db, who, item_id, now)
    _check_open(status)
    if status.state != ItemState.CLAIMED:
        raise ScreeningError(N_("Claim this item before recording a decision."))
    if status.holder_id != who.user_id:
        raise ScreeningError(N_("Only the holder can record a decision. Held by {name}; use "
                                "Take over first."),
                             name=_display_name(db, status.holder_id or ""))
    if (chosen := parse(Outcome, outcome)) is None:
        raise ScreeningError(N_("Choose one of the decisions offered."))
    _check_length(reason, MIN_REASON, (N_("Give a reason of at least {count} character."),
                                       N_("Give a reason of at least {count} characters.")))
    if chosen == Outcome.MONITOR:
        if review_on is None:
            raise ScreeningError(N_("Monitoring needs a review date."))
        if review_on.tzinfo is None or review_on <= now:
            raise ScreeningError(N_("The review date must be in the future."))
    else:
        review_on = None
    support = parse(SupportKind, support_kind) if chosen == Outcome.REFER_SUPPORT else None
    if chosen == Outcome.REFER_SUPPORT and support is None:
        raise ScreeningError(N_("Choose the kind of support to refer to."))
    event = _record(db, who, item, now, EventKind.DECISION, f"screening decision: {chosen}",
                    cipher, reason, locale, outcome=chosen, review_on=review_on,
                    support_kind=support)
    trends.count_decision(db, event, item, first=status.decision_id is None)
    if chosen in CLOSING_OUTCOMES:
        item.closed_at = now
        db.flush()
    return event.id


def sign_off(db: Session, who: Identity, item_id: int, now: datetime) -> int:
    """A second treatment user confirms a referral for assessment; the item closes."""
    item, status = _locked_status(db, who, item_id, now)
    if status.state != ItemState.AWAITING_SIGN_OFF:
        raise ScreeningError(N_("There is no referral awaiting sign-off on this item."))
    if status.decided_by == who.user_id:
        raise ScreeningError(N_("The person who referred cannot sign off their own referral."))
    event = _record(db, who, item, now, EventKind.SIGN_OFF, "referral for assessment signed off",
                    refers_to=status.decision_id)
    item.closed_at = now
    db.flush()
    return event.id


def add_addendum(db: Session, who: Identity, item_id: int, text: str, now: datetime,
                 cipher: FieldCipher, locale: Locale | None = None) -> int:
    """A note or correction on the item (written in `locale`), with author and time; never
    edits anything."""
    text = (text or "").strip()
    _require_treatment(who)
    item = _item(db, item_id, lock=False)
    check_access(who, item)
    if not text:
        raise ScreeningError(N_("Write the addendum first."))
    _check_length(text)
    return _record(db, who, item, now, EventKind.ADDENDUM, "screening addendum", cipher, text,
                   locale).id


# --- the queue -------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueRow:
    item_id: int
    prisoner_id: str
    prisoner_name: str
    prisoner_number: str
    wing_code: str
    reasons: tuple[Reason, ...]
    observation_count: int
    officer_count: int
    first_flagged: datetime
    due_at: datetime
    overdue: bool
    holder_id: str | None
    holder: str | None
    state: ItemState


@dataclass(frozen=True)
class TriggerView:
    rule_id: str
    params: Mapping[str, Any]  # what flag_rules.sentence says it with
    observation_ids: tuple[str, ...]
    created_at: datetime


@dataclass(frozen=True)
class Reason:
    """Why an item is queued: a rule that fired, and for a manual flag the officers' reasons
    (as they wrote them)."""

    trigger: TriggerView
    officer_reasons: tuple[str, ...] = ()


def _trigger_view(trigger: ScreeningTrigger) -> TriggerView:
    return TriggerView(trigger.rule_id, dict(trigger.params), tuple(trigger.observation_ids),
                       trigger.created_at)


def _chunks(ids: list, size: int = IN_CHUNK):
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


@dataclass(frozen=True)
class Queue:
    rows: list[QueueRow]  # the rows `keep` showed, soonest due first
    total: int  # open items of the prison that need someone now, whatever the filters
    wing_codes: frozenset[str]  # the wings those are on
    restricted: int = 0  # items that would need someone, not shown: their records restricted


def queue(db: Session, who: Identity, now: datetime, cipher: FieldCipher,
          keep: Callable[[QueueRow], bool] = lambda _row: True) -> Queue:
    """The open items of the screener's prison that need someone now and that `keep` (the
    page's filters) shows, soonest due first. Each row shown (a name, officers' reasons) is an
    audited read, like the case view.

    A fixed number of queries (the observation lookup is split in chunks of IN_CHUNK ids)."""
    _require_treatment(who)
    open_items = (select(ScreeningItem.id).where(ScreeningItem.prison_id == who.prison_id,
                                                 ScreeningItem.closed_at.is_(None)))
    rows = db.execute(
        select(ScreeningItem, Prisoner.given_name, Prisoner.family_name, Prisoner.number,
               Wing.code)
        .join(Prisoner, Prisoner.id == ScreeningItem.prisoner_id)
        .join(Wing, Wing.id == Prisoner.wing_id)
        .where(ScreeningItem.prison_id == who.prison_id, ScreeningItem.closed_at.is_(None))).all()
    events: dict[int, list[ScreeningEvent]] = defaultdict(list)
    for ev in db.scalars(select(ScreeningEvent).where(ScreeningEvent.item_id.in_(open_items))):
        events[ev.item_id].append(ev)
    triggers: dict[int, list[ScreeningTrigger]] = defaultdict(list)
    for trig in db.scalars(select(ScreeningTrigger).where(ScreeningTrigger.item_id.in_(open_items))
                           .order_by(ScreeningTrigger.created_at, ScreeningTrigger.id)):
        triggers[trig.item_id].append(trig)
    obs_ids = sorted({oid for ts in triggers.values() for t in ts for oid in t.observation_ids})
    observations: dict[str, tuple[str, str | None]] = {}
    for chunk in _chunks(obs_ids):
        for oid, author_id, flag_reason_enc in db.execute(
                select(Observation.id, Observation.author_id, Observation.flag_reason_enc)
                .where(Observation.id.in_(chunk))):
            observations[oid] = (author_id, flag_reason_enc)

    statuses = {item.id: derive(item, events[item.id], now) for item, *_ in rows}
    holder_ids = {s.holder_id for s in statuses.values() if s.holder_id}
    names = dict(db.execute(select(User.id, User.display_name)
                            .where(User.id.in_(holder_ids))).all()) if holder_ids else {}
    result = []
    restricted, withheld = restrictions.restricted_prisoner_ids(db, who.prison_id), 0
    for item, given, family, number, wing_code in rows:
        status = statuses[item.id]
        if status.state in (ItemState.MONITORING, ItemState.CLOSED):
            continue
        if item.prisoner_id in restricted:  # counted, never shown nor read
            withheld += 1
            continue
        reasons: list[Reason] = []
        item_obs: set[str] = set()
        for trig in triggers[item.id]:
            item_obs.update(trig.observation_ids)
            written = [observations.get(oid, (None, None))[1] for oid in trig.observation_ids]
            reasons.append(Reason(_trigger_view(trig), tuple(
                cipher.decrypt(enc, table=Observation.__tablename__, column="flag_reason",
                               row_id=oid)
                for oid, enc in zip(trig.observation_ids, written)
                if enc and trig.rule_id == flag_rules.MANUAL.id)))
        officers = {observations[oid][0] for oid in item_obs if oid in observations}
        result.append(QueueRow(
            item_id=item.id, prisoner_id=item.prisoner_id, prisoner_name=f"{given} {family}",
            prisoner_number=number, wing_code=wing_code, reasons=tuple(reasons),
            observation_count=len(item_obs), officer_count=len(officers),
            first_flagged=item.opened_at, due_at=status.due_at, overdue=status.overdue,
            holder_id=status.holder_id, holder=names.get(status.holder_id), state=status.state))
    shown = sorted(filter(keep, result), key=lambda r: (r.due_at, r.item_id))
    audit.append_many(db, [{"at": now, "action": audit.Action.READ, "actor_id": who.user_id,
                            "prisoner_id": row.prisoner_id, "record_id": f"screening:{row.item_id}",
                            "purpose": "screening queue view"} for row in shown])
    return Queue(shown, len(result), frozenset(row.wing_code for row in result), withheld)


# --- the case view ---------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorView:
    code: str
    catalogue_version: str  # whose texts name it (catalogue.text)
    kind: str


@dataclass(frozen=True)
class AddendumView:
    author: str
    at: datetime
    text: str
    locale: str | None  # the language it was written in, None if not recorded
    corrects: str | None = None  # a CorrectedFact code: the text is its corrected reading


@dataclass(frozen=True)
class ObservationView:
    id: str
    occurred_at: datetime
    location: str
    indicators: tuple[IndicatorView, ...]
    kind: IndicatorKind
    facts: str
    assessment: str | None
    source: str  # a Source code as stored
    concern: str  # a ConcernLevel code as stored
    flagged: bool
    flag_reason: str | None
    addenda: tuple[AddendumView, ...]
    locale: str | None  # the language of its facts, assessment and reason


@dataclass(frozen=True)
class EventView:
    id: int
    at: datetime
    kind: str  # an EventKind code as stored
    actor: str
    outcome: str | None
    support_kind: str | None
    review_on: datetime | None
    refers_to: int | None
    text: str | None
    locale: str | None  # the language of the text


@dataclass(frozen=True)
class PreviousItem:
    item_id: int
    opened_at: datetime
    closed_at: datetime | None
    state: ItemState
    outcome: Outcome | None


@dataclass(frozen=True)
class Case:
    item_id: int
    prisoner_id: str
    prisoner_name: str
    prisoner_number: str
    wing_code: str
    opened_at: datetime
    status: ItemStatus
    holder: str | None
    timeline: tuple[ObservationView, ...]
    triggers: tuple[TriggerView, ...]
    events: tuple[EventView, ...]
    previous: tuple[PreviousItem, ...]
    # The prisoner's restriction in force, if any; `withheld`: not opened, so the case holds
    # only who the prisoner is (app/services/restrictions.py).
    restriction: restrictions.RestrictionInfo | None = None
    withheld: bool = False


def case(db: Session, who: Identity, item_id: int, now: datetime, cipher: FieldCipher,
         opening: int | None = None) -> Case:
    """Everything a screener reads to decide; the read is written to the audit log. A
    restricted prisoner's case only with `opening`, a fresh opening of the reader's
    (restrictions.open_record); without it, only who the prisoner is."""
    _require_treatment(who)
    item = _item(db, item_id, lock=False)
    check_access(who, item)
    restriction = restrictions.in_force(db, item.prisoner_id)
    withheld = restriction is not None and not restrictions.opened(
        db, who, restriction.id, item.id, opening, now)
    audit.append(db, at=now, action=audit.Action.READ, actor_id=who.user_id,
                 prisoner_id=item.prisoner_id, record_id=f"screening:{item.id}",
                 purpose=restrictions.WITHHELD_VIEW if withheld else "screening case view")
    prisoner, wing_code = db.execute(select(Prisoner, Wing.code)
                                     .join(Wing, Wing.id == Prisoner.wing_id)
                                     .where(Prisoner.id == item.prisoner_id)).one()
    if withheld:
        return Case(item_id=item.id, prisoner_id=prisoner.id,
                    prisoner_name=f"{prisoner.given_name} {prisoner.family_name}",
                    prisoner_number=prisoner.number, wing_code=wing_code,
                    opened_at=item.opened_at, status=derive(item, _events(db, item.id), now),
                    holder=None, timeline=(), triggers=(), events=(), previous=(),
                    restriction=restriction, withheld=True)
    observations = list(db.scalars(select(Observation)
                                   .where(Observation.prisoner_id == prisoner.id)
                                   .order_by(Observation.occurred_at.desc(), Observation.id)))
    addenda: dict[str, list[Addendum]] = defaultdict(list)
    for add in db.scalars(select(Addendum).join(Observation, Observation.id ==
                                                Addendum.observation_id)
                          .where(Observation.prisoner_id == prisoner.id)
                          .order_by(Addendum.created_at, Addendum.id)):
        addenda[add.observation_id].append(add)
    triggers = list(db.scalars(select(ScreeningTrigger).where(ScreeningTrigger.item_id == item.id)
                               .order_by(ScreeningTrigger.created_at, ScreeningTrigger.id)))
    items = {i.id: i for i in db.scalars(select(ScreeningItem)
                                         .where(ScreeningItem.prisoner_id == prisoner.id))}
    events: dict[int, list[ScreeningEvent]] = defaultdict(list)
    for ev in db.scalars(select(ScreeningEvent).where(ScreeningEvent.item_id.in_(list(items)))
                         .order_by(ScreeningEvent.at, ScreeningEvent.id)):
        events[ev.item_id].append(ev)
    user_ids = ({a.author_id for adds in addenda.values() for a in adds}
                | {e.actor_id for e in events[item.id]})
    names = dict(db.execute(select(User.id, User.display_name)
                            .where(User.id.in_(user_ids))).all()) if user_ids else {}

    def open_(stored: str | None, table: str, column: str, row_id: str) -> str | None:
        return None if stored is None else cipher.decrypt(stored, table=table, column=column,
                                                          row_id=row_id)

    timeline = []
    for obs in observations:
        cat = catalogue.get(obs.catalogue_version)
        indicators = tuple(
            IndicatorView(code, obs.catalogue_version,
                          cat.indicators[code].kind if cat and code in cat.indicators
                          else "unknown")
            for code in obs.indicators)
        table = Observation.__tablename__
        timeline.append(ObservationView(
            id=obs.id, occurred_at=obs.occurred_at, location=obs.location, indicators=indicators,
            kind=IndicatorKind.CONCERN if obs.concern_observation else IndicatorKind.PROTECTIVE,
            facts=open_(obs.facts_enc, table, "facts", obs.id) or "",
            assessment=open_(obs.assessment_enc, table, "assessment", obs.id),
            source=obs.source, concern=obs.concern, flagged=obs.flag,
            flag_reason=open_(obs.flag_reason_enc, table, "flag_reason", obs.id),
            addenda=tuple(AddendumView(names.get(a.author_id, ""), a.created_at,
                                       open_(a.text_enc, Addendum.__tablename__, "text",
                                             str(a.id)) or "", a.locale, a.corrects)
                          for a in addenda[obs.id]),
            locale=obs.locale))
    status = derive(item, events[item.id], now)
    event_views = tuple(
        EventView(id=e.id, at=e.at, kind=e.kind, actor=names.get(e.actor_id, ""),
                  outcome=e.outcome, support_kind=e.support_kind, review_on=e.review_on,
                  refers_to=e.refers_to,
                  text=open_(e.text_enc, ScreeningEvent.__tablename__, "text", str(e.id)),
                  locale=e.locale)
        for e in events[item.id])
    previous = []
    for other in sorted(items.values(), key=lambda i: i.opened_at, reverse=True):
        if other.id == item.id:
            continue
        st = derive(other, events[other.id], now)
        previous.append(PreviousItem(other.id, other.opened_at, other.closed_at, st.state,
                                     st.outcome))
    holder = None
    if status.holder_id:
        holder = names.get(status.holder_id) or _display_name(db, status.holder_id)
    return Case(
        item_id=item.id, prisoner_id=prisoner.id,
        prisoner_name=f"{prisoner.given_name} {prisoner.family_name}",
        prisoner_number=prisoner.number, wing_code=wing_code, opened_at=item.opened_at,
        status=status, holder=holder,
        timeline=tuple(timeline),
        triggers=tuple(_trigger_view(t) for t in triggers),
        events=event_views, previous=tuple(previous), restriction=restriction)
