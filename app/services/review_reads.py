"""The review list as it is read (issue 12 item 3): a person's open review entries with what
each record is (never its content), whether it is held or restricted, and what may be decided;
and, for the trends page, how many entries of some prisons are past their date undecided.

An entry is overdue from the day after its date while nobody has decided (the prisons' days).
Rows that name a prisoner are an audited read (Action.READ, "review list view"), like the
screening queue's. A fixed number of queries, the id lists split in chunks of IN_CHUNK.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.clock import prisons_today
from app.models import (
    ErasedRecord,
    Observation,
    Prisoner,
    ReviewEntry,
    ScreeningItem,
    ScreeningTrigger,
    Wing,
)
from app.services import audit, legal_holds, restrictions
from app.services.accounts import Identity
from app.services.retention_schedule import OBSERVATION_CLASSES
from app.services.review_list import (
    LOG_CLASSES,
    SEEN,
    Scope,
    decisions_for,
    hold_subject,
    scope_of,
)
from app.vocabulary import HoldSubject, RecordClass, ReviewDecision, Role

IN_CHUNK = 900


@dataclass(frozen=True)
class ReviewRow:
    entry_id: int
    record_class: str  # a RecordClass code as stored
    record_id: str
    rule_id: str
    due_on: date
    overdue: bool
    prisoner_name: str  # "" for the logs
    prisoner_number: str
    happened_at: datetime | None  # an observation: when it happened
    wing_code: str  # an observation: the wing it was made on
    item_id: int | None  # the screening item the record is, or is on (the case page)
    item_opened_at: datetime | None
    item_closed_at: datetime | None
    gone: bool  # the record was erased meanwhile (or never found)
    held_until: date | None
    restricted: bool
    decisions: frozenset[ReviewDecision]
    can_hold: bool


@dataclass(frozen=True)
class ReviewList:
    rows: list[ReviewRow]  # what `keep` showed: overdue first, then by date
    total: int  # open entries in the person's list, whatever the filters
    overdue: int
    classes: frozenset[str]  # the classes the open entries are of


def _chunks(ids: list, size: int = IN_CHUNK):
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def _item_number(record_id: str) -> int | None:
    """A screening record's item id (None for one no item could have)."""
    if not (record_id.isascii() and record_id.isdigit() and len(record_id) < 12):
        return None
    return legal_holds.row_id(int(record_id))


def _in_scope(scope: Scope):
    """The SQL condition of an entry in this list (Scope.covers, for the database)."""
    prison_classes = [c.value for c in scope.classes]
    condition = ReviewEntry.record_class.in_(prison_classes) & ReviewEntry.prison_id.is_not(None)
    if scope.prison_ids is not None:
        condition = condition & ReviewEntry.prison_id.in_(sorted(scope.prison_ids))
    if scope.logs:
        condition = condition | ReviewEntry.record_class.in_([c.value for c in LOG_CLASSES])
    return condition


def listing(db: Session, who: Identity, now: datetime,
            keep: Callable[[ReviewRow], bool] = lambda _row: True) -> ReviewList:
    """The person's open review entries that `keep` (the page's filters) shows."""
    scope = scope_of(who)
    today = prisons_today(now)
    entries = list(db.scalars(select(ReviewEntry).where(ReviewEntry.decided_at.is_(None),
                                                        _in_scope(scope))))
    observation_ids = sorted({e.record_id for e in entries
                              if e.record_class in OBSERVATION_CLASSES})
    item_ids = sorted({number for e in entries
                       if e.record_class == RecordClass.SCREENING_DECISION
                       and (number := _item_number(e.record_id)) is not None})
    prisoner_ids = sorted({e.prisoner_id for e in entries if e.prisoner_id})

    observations: dict[str, tuple[datetime, str, str]] = {}
    for chunk in _chunks(observation_ids):
        for obs_id, at, wing, prisoner_id in db.execute(
                select(Observation.id, Observation.occurred_at, Wing.code,
                       Observation.prisoner_id)
                .join(Wing, Wing.id == Observation.wing_id).where(Observation.id.in_(chunk))):
            observations[obs_id] = (at, wing, prisoner_id)
    items: dict[int, tuple[datetime, datetime | None]] = {}
    # The items of these prisoners: the screening records themselves, and those an
    # observation is on (for the link to the case).
    on_item: dict[str, int] = {}
    for chunk in _chunks(prisoner_ids):
        for item_id, opened, closed in db.execute(
                select(ScreeningItem.id, ScreeningItem.opened_at, ScreeningItem.closed_at)
                .where(ScreeningItem.prisoner_id.in_(chunk))):
            items[item_id] = (opened, closed)
        for item_id, named in db.execute(
                select(ScreeningTrigger.item_id, ScreeningTrigger.observation_ids)
                .join(ScreeningItem, ScreeningItem.id == ScreeningTrigger.item_id)
                .where(ScreeningItem.prisoner_id.in_(chunk))
                .order_by(ScreeningTrigger.item_id)):
            for obs_id in named or ():
                on_item[obs_id] = item_id  # the latest item naming it
    for chunk in _chunks([i for i in item_ids if i not in items]):
        for item_id, opened, closed in db.execute(
                select(ScreeningItem.id, ScreeningItem.opened_at, ScreeningItem.closed_at)
                .where(ScreeningItem.id.in_(chunk))):
            items[item_id] = (opened, closed)
    people: dict[str, tuple[str, str]] = {}
    for chunk in _chunks(prisoner_ids):
        for prisoner_id, given, family, number in db.execute(
                select(Prisoner.id, Prisoner.given_name, Prisoner.family_name, Prisoner.number)
                .where(Prisoner.id.in_(chunk))):
            people[prisoner_id] = (f"{given} {family}", number)
    erased: set[tuple[str, str]] = set()
    for chunk in _chunks(sorted({e.record_id for e in entries})):
        erased.update((str(c), i) for c, i in db.execute(
            select(ErasedRecord.record_class, ErasedRecord.record_id)
            .where(ErasedRecord.record_id.in_(chunk))))
    holds = legal_holds.index_on(db, today, scope.prison_ids)
    restricted = restrictions.restricted_prisoner_ids(db)

    rows = []
    for e in entries:
        name, number = people.get(e.prisoner_id or "", ("", ""))
        happened_at, wing, item_id, gone = None, "", None, (e.record_class, e.record_id) in erased
        held_until = None
        subject = hold_subject(e.record_class)
        if subject == HoldSubject.OBSERVATION:
            found = observations.get(e.record_id)
            gone = gone or found is None
            if found:
                happened_at, wing = found[0], found[1]
            item_id = on_item.get(e.record_id)
            held_until = holds.observation(e.record_id)
        elif subject == HoldSubject.ITEM:
            item_id = _item_number(e.record_id)
            gone = gone or item_id not in items
            held_until = holds.item(item_id) if item_id is not None else None
        opened, closed = items.get(item_id, (None, None)) if item_id is not None else (None,
                                                                                        None)
        rows.append(ReviewRow(
            entry_id=e.id, record_class=e.record_class, record_id=e.record_id,
            rule_id=e.rule_id, due_on=e.due_on, overdue=e.due_on < today,
            prisoner_name=name, prisoner_number=number, happened_at=happened_at,
            wing_code=wing, item_id=item_id if item_id in items else None,
            item_opened_at=opened, item_closed_at=closed, gone=gone, held_until=held_until,
            restricted=bool(e.prisoner_id) and e.prisoner_id in restricted,
            decisions=decisions_for(e.record_class),
            can_hold=who.role == Role.TREATMENT and subject is not None and not gone))
    shown = sorted(filter(keep, rows), key=lambda r: (not r.overdue, r.due_on, r.entry_id))
    by_id = {e.id: e for e in entries}
    audit.append_many(db, [{"at": now, "action": audit.Action.READ, "actor_id": who.user_id,
                            "prisoner_id": by_id[row.entry_id].prisoner_id,
                            "record_id": f"review:{row.entry_id}", "purpose": SEEN}
                           for row in shown if by_id[row.entry_id].prisoner_id])
    return ReviewList(rows=shown, total=len(rows), overdue=sum(r.overdue for r in rows),
                      classes=frozenset(r.record_class for r in rows))


def overdue_count(db: Session, prison_ids: set[str] | frozenset[str], today: date) -> int:
    """How many review entries of these prisons are past their date with no decision (the
    security head's count: no names, no classes)."""
    if not prison_ids:
        return 0
    return db.scalar(select(func.count()).select_from(ReviewEntry).where(
        ReviewEntry.decided_at.is_(None), ReviewEntry.due_on < today,
        ReviewEntry.prison_id.in_(sorted(prison_ids)))) or 0

