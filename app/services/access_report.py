"""The subject-access report (issue 12 item 6, LED Art. 14): what Wingwatch holds about one
prisoner for a period, as a read model of plain dataclasses.

What it holds: the prisoner's roster data and wing moves; each observation with its times,
place, source, indicators, concern, flag, facts and assessment (decrypted) and its addenda and
corrections; the screening items with why they opened (rule firings), their decisions with
reasons and sign-offs; who recorded each of these and when; who read or exported them (the
audit log's rows about the prisoner: the recipients); each record's retention date (the
schedule in force, app/services/retention_schedule); the legal holds and restrictions.

What falls in the period (the prisons' local days, both included): observations that happened
in it, screening items open at some time in it (each with all its events), wing moves, and
audit rows of it. Restrictions and legal holds are listed whatever their date: they say how the
records are processed now.

Every member of staff is a `Staff`, whose name the report marks for redaction before release
(officers' and screeners' names are what the law lets a service withhold); free text stays as
written, and the report says to check it for third parties named in it. Producing a report is
a disclosure: one audit row (Action.DISCLOSE) with the prisoner, the period and the form it
took, never its content.

Plain Python: no web framework.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Mapping
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.i18n.messages import N_
from app.models import (
    Addendum,
    AuditEntry,
    LegalHold,
    Observation,
    PrisonerMove,
    ScreeningEvent,
    ScreeningItem,
    ScreeningTrigger,
    Wing,
)
from app.services import audit, corrections, retention_schedule, screening
from app.services.access_report_subject import (
    REPORT_MADE,
    PrisonerCard,
    RestrictionRecord,
    Staff,
    nobody,
    open_text,
    prisoner_in_reach,
    roster_card,
    staff_of,
)
from app.services.accounts import Identity
from app.services.audit import Action
from app.services.audit_log import Meaning, meaning_of
from app.services.fieldcrypt import FieldCipher
from app.services.retention_schedule import RecordDue, Schedule, day_start
from app.vocabulary import IndicatorKind, ItemState, RecordClass

FORMS = ("page", "print", "pdf")  # what the report was produced as (the audit row says it)
FIRST_YEAR, LAST_YEAR = 1900, 9998
# The audit rows that make someone a recipient: reads and exports of the prisoner's records,
# and treatment staff opening a restricted one. Refused attempts disclosed nothing.
RECIPIENT_ACTIONS = frozenset({Action.READ, Action.EXPORT, Action.DISCLOSE, Action.RESTRICT})
OPENED_RESTRICTED = "restricted record opened"  # app/services/restrictions.OPENED
IN_CHUNK = 900  # ids per IN (...) list


class ReportError(ValueError):
    """A period that cannot be reported on: a message id, said in the reader's language."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.message, self.field = message, field


@dataclass(frozen=True)
class Move:
    moved_on: date
    from_wing: str
    to_wing: str


@dataclass(frozen=True)
class AddendumRecord:
    """An addendum, or (`corrects` a CorrectedFact code) a correction: its text is then the
    corrected reading of that fact, shown beside the original."""

    id: int
    at: datetime
    author: Staff
    text: str
    locale: str | None
    corrects: str | None = None


@dataclass(frozen=True)
class ObservationRecord:
    id: str
    occurred_at: datetime
    recorded_at: datetime | None  # on the tablet, when it says so
    received_at: datetime
    wing_code: str  # where the prisoner was
    location: str  # a location code of the prison
    source: str  # a Source code
    concern: str  # a ConcernLevel code
    kind: IndicatorKind
    catalogue_version: str
    indicators: tuple[str, ...]  # codes of that version
    flagged: bool
    flag_reason: str | None
    facts: str
    assessment: str | None
    locale: str | None  # of its free text
    author: Staff
    device_id: str
    addenda: tuple[AddendumRecord, ...]  # ordinary ones, oldest first
    corrections: tuple[AddendumRecord, ...]  # oldest first (the latest reading is the last)
    retention: RecordDue | None  # None while a screening item it is on is open


@dataclass(frozen=True)
class TriggerRecord:
    rule_id: str
    params: Mapping[str, Any]  # what flag_rules.sentence says it with
    observation_ids: tuple[str, ...]
    at: datetime


@dataclass(frozen=True)
class EventRecord:
    id: int
    at: datetime
    kind: str  # an EventKind code
    actor: Staff
    outcome: str | None
    support_kind: str | None
    review_on: datetime | None
    text: str | None  # the reason or note, decrypted
    locale: str | None


@dataclass(frozen=True)
class ItemRecord:
    id: int
    opened_at: datetime
    closed_at: datetime | None
    state: ItemState
    triggers: tuple[TriggerRecord, ...]
    events: tuple[EventRecord, ...]
    retention: RecordDue | None  # None while open


@dataclass(frozen=True)
class HoldRecord:
    id: int
    subject: str  # a HoldSubject code
    subject_id: str
    reason: str
    locale: str | None
    until: date
    placed_at: datetime
    placed_by: Staff
    released_at: datetime | None
    released_by: Staff | None


@dataclass(frozen=True)
class Recipient:
    """Someone who read or exported the prisoner's records in the period: one line per person
    and kind of access, with how often, first and last."""

    who: Staff | None  # None: a row with no actor
    action: str
    meaning: Meaning
    count: int
    first_at: datetime
    last_at: datetime


@dataclass(frozen=True)
class AccessReport:
    prisoner: PrisonerCard  # roster data, restrictions (newest first)
    since: date
    until: date
    produced_at: datetime
    produced_by: str  # the data-protection officer's display name
    moves: tuple[Move, ...]
    observations: tuple[ObservationRecord, ...]  # oldest first
    items: tuple[ItemRecord, ...]  # oldest first
    holds: tuple[HoldRecord, ...]
    recipients: tuple[Recipient, ...]  # by first access
    staff: tuple[Staff, ...]  # every member of staff the report names, for redaction

    @property
    def restrictions(self) -> tuple[RestrictionRecord, ...]:
        return self.prisoner.restrictions


# --- the period ------------------------------------------------------------------------------


def check_period(since: date | None, until: date | None) -> tuple[date, date]:
    if since is None:
        raise ReportError(N_("Write the first day as in the example."), "since")
    if until is None:
        raise ReportError(N_("Write the last day as in the example."), "until")
    for day, name in ((since, "since"), (until, "until")):
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise ReportError(N_("Choose a day from the year 1900 to 9998."), name)
    if since > until:
        raise ReportError(N_("The last day cannot be before the first."), "until")
    return since, until


# --- producing it ----------------------------------------------------------------------------


def produce(db: Session, who: Identity, prisoner_id: str, since: date | None,
            until: date | None, now: datetime, cipher: FieldCipher, *, form: str,
            zone: ZoneInfo, schedule: Schedule | None = None) -> AccessReport:
    """The report on one prisoner of a prison in the officer's reach, and its audit row.
    access_report_subject.NotAllowed for anyone else (the caller logs the refusal), ReportError
    for a period that is no period."""
    if form not in FORMS:
        raise ValueError(f"unknown report form {form!r}")
    prisoner = prisoner_in_reach(db, who, prisoner_id)
    first, last = check_period(since, until)
    start, end = day_start(first, zone), day_start(last + timedelta(days=1), zone)
    due = {(d.record_class, d.record_id): d for d in retention_schedule.dates_for_prisoner(
        db, schedule or retention_schedule.load(), prisoner.id, now.astimezone(zone).date(),
        zone)}
    observations = _observations(db, cipher, prisoner.id, start, end, due)
    items = _items(db, cipher, prisoner.id, start, end, now, due)
    holds = _holds(db, cipher, prisoner.id)
    card = roster_card(db, cipher, prisoner)
    recipients = _recipients(db, prisoner.id, start, end)
    named = _named(observations, items, holds, card, recipients)
    report = AccessReport(
        prisoner=card, since=first, until=last, produced_at=now, produced_by=who.display_name,
        moves=_moves(db, prisoner.id, first, last), observations=observations, items=items,
        holds=holds, recipients=recipients, staff=named)
    audit.append(db, at=now, action=Action.DISCLOSE, actor_id=who.user_id,
                 prisoner_id=prisoner.id, record_id=f"prisoner:{prisoner.id}",
                 purpose=REPORT_MADE,
                 detail=json.dumps({"since": first.isoformat(), "until": last.isoformat(),
                                    "form": form}, sort_keys=True))
    return report


def _moves(db: Session, prisoner_id: str, first: date, last: date) -> tuple[Move, ...]:
    wings = dict(db.execute(select(Wing.id, Wing.code)).all())
    rows = db.execute(select(PrisonerMove.moved_on, PrisonerMove.from_wing_id,
                             PrisonerMove.to_wing_id)
                      .where(PrisonerMove.prisoner_id == prisoner_id,
                             PrisonerMove.moved_on >= first, PrisonerMove.moved_on <= last)
                      .order_by(PrisonerMove.moved_on, PrisonerMove.id)).all()
    return tuple(Move(day, wings.get(a, ""), wings.get(b, "")) for day, a, b in rows)


def _observations(db: Session, cipher: FieldCipher, prisoner_id: str, start: datetime,
                  end: datetime, due: dict[tuple[str, str], RecordDue]
                  ) -> tuple[ObservationRecord, ...]:
    rows = list(db.scalars(select(Observation).where(
        Observation.prisoner_id == prisoner_id, Observation.occurred_at >= start,
        Observation.occurred_at < end).order_by(Observation.occurred_at, Observation.id)))
    addenda: dict[str, list[Addendum]] = defaultdict(list)
    ids = [row.id for row in rows]
    for at in range(0, len(ids), IN_CHUNK):
        for add in db.scalars(select(Addendum).where(
                Addendum.observation_id.in_(ids[at:at + IN_CHUNK]), Addendum.corrects.is_(None))
                              .order_by(Addendum.created_at, Addendum.id)):
            addenda[add.observation_id].append(add)
    corrected = corrections.corrections_of(db, cipher, ids)
    staff = staff_of(db, [r.author_id for r in rows]
                     + [a.author_id for adds in addenda.values() for a in adds]
                     + [c.author_id for cs in corrected.values() for c in cs])
    wings = dict(db.execute(select(Wing.id, Wing.code)).all())
    table = Observation.__tablename__
    out = []
    for row in rows:
        retention = next((due[(cls, row.id)] for cls in retention_schedule.OBSERVATION_CLASSES
                          if (cls, row.id) in due), None)
        out.append(ObservationRecord(
            id=row.id, occurred_at=row.occurred_at, recorded_at=row.recorded_at,
            received_at=row.received_at, wing_code=wings.get(row.wing_id, ""),
            location=row.location, source=row.source, concern=row.concern,
            kind=IndicatorKind.CONCERN if row.concern_observation else IndicatorKind.PROTECTIVE,
            catalogue_version=row.catalogue_version, indicators=tuple(row.indicators),
            flagged=row.flag,
            flag_reason=open_text(cipher, row.flag_reason_enc, table, "flag_reason", row.id),
            facts=open_text(cipher, row.facts_enc, table, "facts", row.id) or "",
            assessment=open_text(cipher, row.assessment_enc, table, "assessment", row.id),
            locale=row.locale, author=staff.get(row.author_id) or nobody(row.author_id),
            device_id=row.device_id,
            addenda=tuple(AddendumRecord(
                id=a.id, at=a.created_at, author=staff.get(a.author_id) or nobody(a.author_id),
                text=open_text(cipher, a.text_enc, Addendum.__tablename__, "text", a.id) or "",
                locale=a.locale) for a in addenda[row.id]),
            corrections=tuple(AddendumRecord(
                id=c.addendum_id, at=c.at, author=staff.get(c.author_id) or nobody(c.author_id),
                text=c.text, locale=c.locale, corrects=c.fact) for c in corrected.get(row.id, ())),
            retention=retention))
    return tuple(out)


def _items(db: Session, cipher: FieldCipher, prisoner_id: str, start: datetime, end: datetime,
           now: datetime, due: dict[tuple[str, str], RecordDue]) -> tuple[ItemRecord, ...]:
    """Items open at some time in the period, each with all its triggers and events."""
    items = list(db.scalars(select(ScreeningItem).where(
        ScreeningItem.prisoner_id == prisoner_id, ScreeningItem.opened_at < end,
        or_(ScreeningItem.closed_at.is_(None), ScreeningItem.closed_at >= start))
        .order_by(ScreeningItem.opened_at, ScreeningItem.id)))
    ids = [item.id for item in items]
    triggers: dict[int, list[ScreeningTrigger]] = defaultdict(list)
    events: dict[int, list[ScreeningEvent]] = defaultdict(list)
    if ids:
        for trigger in db.scalars(select(ScreeningTrigger).where(ScreeningTrigger.item_id.in_(ids))
                                  .order_by(ScreeningTrigger.created_at, ScreeningTrigger.id)):
            triggers[trigger.item_id].append(trigger)
        for event in db.scalars(select(ScreeningEvent).where(ScreeningEvent.item_id.in_(ids))
                                .order_by(ScreeningEvent.at, ScreeningEvent.id)):
            events[event.item_id].append(event)
    staff = staff_of(db, [e.actor_id for evs in events.values() for e in evs])
    table = ScreeningEvent.__tablename__
    return tuple(ItemRecord(
        id=item.id, opened_at=item.opened_at, closed_at=item.closed_at,
        state=screening.derive(item, events[item.id], now).state,
        triggers=tuple(TriggerRecord(t.rule_id, dict(t.params), tuple(t.observation_ids),
                                     t.created_at) for t in triggers[item.id]),
        events=tuple(EventRecord(
            id=e.id, at=e.at, kind=e.kind, actor=staff.get(e.actor_id) or nobody(e.actor_id),
            outcome=e.outcome, support_kind=e.support_kind, review_on=e.review_on,
            text=open_text(cipher, e.text_enc, table, "text", e.id), locale=e.locale)
            for e in events[item.id]),
        retention=due.get((RecordClass.SCREENING_DECISION, str(item.id))))
        for item in items)


def _holds(db: Session, cipher: FieldCipher, prisoner_id: str) -> tuple[HoldRecord, ...]:
    rows = list(db.scalars(select(LegalHold).where(LegalHold.prisoner_id == prisoner_id)
                           .order_by(LegalHold.placed_at, LegalHold.id)))
    staff = staff_of(db, [h.placed_by for h in rows] + [h.released_by for h in rows])
    return tuple(HoldRecord(
        id=h.id, subject=h.subject, subject_id=h.subject_id,
        reason=open_text(cipher, h.reason_enc, LegalHold.__tablename__, "reason", h.id) or "",
        locale=h.locale, until=h.until, placed_at=h.placed_at,
        placed_by=staff.get(h.placed_by) or nobody(h.placed_by), released_at=h.released_at,
        released_by=(staff.get(h.released_by) or nobody(h.released_by)) if h.released_by
        else None) for h in rows)


def _recipients(db: Session, prisoner_id: str, start: datetime, end: datetime
                ) -> tuple[Recipient, ...]:
    rows = db.execute(select(AuditEntry.actor_id, AuditEntry.action, AuditEntry.purpose,
                             AuditEntry.detail, AuditEntry.at)
                      .where(AuditEntry.prisoner_id == prisoner_id, AuditEntry.at >= start,
                             AuditEntry.at < end,
                             AuditEntry.action.in_([a.value for a in RECIPIENT_ACTIONS]))
                      .order_by(AuditEntry.seq)).all()
    groups: dict[tuple, list[datetime]] = defaultdict(list)
    for actor_id, action, purpose, detail, at in rows:
        if "refused" in (purpose or ""):
            continue
        if action == Action.RESTRICT and purpose != OPENED_RESTRICTED:
            continue  # placing or lifting one is the officer's own act, not a disclosure
        groups[(actor_id, action, purpose, detail)].append(at)
    staff = staff_of(db, [key[0] for key in groups])
    out = [Recipient(
        who=(staff.get(actor_id) or nobody(actor_id)) if actor_id else None, action=action,
        meaning=meaning_of(action, purpose, detail)[0], count=len(times), first_at=min(times),
        last_at=max(times)) for (actor_id, action, purpose, detail), times in groups.items()]
    return tuple(sorted(out, key=lambda r: (r.first_at, r.action)))


def _named(observations: tuple[ObservationRecord, ...], items: tuple[ItemRecord, ...],
           holds: tuple[HoldRecord, ...], card: PrisonerCard,
           recipients: tuple[Recipient, ...]) -> tuple[Staff, ...]:
    """Every member of staff the report names, once, in the order they first appear."""
    people: list[Staff] = []
    for obs in observations:
        people += [obs.author, *(a.author for a in (*obs.addenda, *obs.corrections))]
    for item in items:
        people += [e.actor for e in item.events]
    for hold in holds:
        people += [hold.placed_by, *([hold.released_by] if hold.released_by else [])]
    for restriction in card.restrictions:
        people += [restriction.placed_by,
                   *([restriction.lifted_by] if restriction.lifted_by else [])]
    people += [r.who for r in recipients if r.who is not None]
    seen: dict[str, Staff] = {}
    for person in people:
        if person.name:
            seen.setdefault(person.user_id, person)
    return tuple(seen.values())
