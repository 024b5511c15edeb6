"""The retention run (issue 12 item 2): what the schedule says is due on a day, done.

`plan` finds, for the prisons' local `day`: the records due to be erased or anonymised, and the
records whose review falls due within REVIEW_AHEAD days (they go into the review list early,
so the list shows what is coming). It leaves out what is on legal hold that day (an item's
hold keeps its observations too), what belongs to a prisoner whose records are restricted,
what was erased before (the rows are gone) and what is in the review list already: a review
"extend" moves the record's date to its `extended_to`, and a new entry is queued for that date.

`run` does the plan in batches, each its own transaction (on SQLite a transaction holds the
write lock: tablets syncing meanwhile wait one batch, not the whole run): one RetentionRun row,
the tombstones and one audit row per record (erasure.apply_many), the review entries, and at
the end the run's summary (rule -> outcome -> count) on its row and in one audit row. A dry
run is the plan alone: it writes nothing.

Plain Python: no web framework.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Mapping
from zoneinfo import ZoneInfo

from sqlalchemy import func, insert, or_, select, tuple_, update
from sqlalchemy.orm import Session

from app.models import (
    AuditEntry,
    AuthLog,
    ErasedRecord,
    Observation,
    Prisoner,
    RetentionRun,
    ReviewEntry,
    ScreeningTrigger,
    WebSession,
)
from app.services import audit, erasure, legal_holds, restrictions
from app.services.catalogue import Catalogue
from app.services.retention_schedule import (
    OBSERVATION_CLASSES,
    RecordDue,
    Schedule,
    add_months,
    day_start,
    earliest,
    extensions,
    item_facts,
    local_day,
    observations_on_items,
)
from app.settings import get_settings
from app.vocabulary import RecordClass, RetentionAction, RetentionReference

REVIEW_AHEAD = 30  # days before its date a review is put in the list
BATCH = 500  # records per transaction: on SQLite, the write lock is held that long
MARGIN = 3  # days of slack in the database's first cut (months have different lengths)
CHUNK = 900
PAGE = 10_000  # observations read per transaction while planning
HELD, RESTRICTED = "held", "restricted"  # the summary's skipped outcomes
Transaction = Callable[[], AbstractContextManager[Session]]


@dataclass
class Plan:
    day: date
    act: list[RecordDue] = field(default_factory=list)  # erase or anonymise now
    review: list[RecordDue] = field(default_factory=list)  # to put in the review list
    skipped: Counter = field(default_factory=Counter)  # (rule id, HELD | RESTRICTED) -> count

    def summary(self) -> dict[str, dict[str, int]]:
        """Rule id -> outcome (erase, anonymise, review, held, restricted) -> count."""
        out: dict[str, dict[str, int]] = defaultdict(dict)
        for due in (*self.act, *self.review):
            out[due.rule_id][due.action.value] = out[due.rule_id].get(due.action.value, 0) + 1
        for (rule_id, why), count in self.skipped.items():
            out[rule_id][why] = count
        return {rule: dict(sorted(counts.items())) for rule, counts in sorted(out.items())}


@dataclass(frozen=True)
class RunResult:
    run_id: int | None  # None for a dry run
    day: date
    summary: dict[str, dict[str, int]]
    plan: Plan


def _limit(schedule: Schedule, classes: Iterable[RecordClass], reference: RetentionReference,
           day: date) -> date | None:
    """The latest reference date that can make a record of these classes due by `day` (review
    rules: by day + REVIEW_AHEAD), with MARGIN days to spare; None when no rule counts from it."""
    best = None
    for rule in schedule.rules:
        if rule.record_class not in classes or rule.reference != reference:
            continue
        until = day + timedelta(days=REVIEW_AHEAD if rule.action == RetentionAction.REVIEW else 0)
        latest = (until - timedelta(days=rule.period_days) if rule.period_months is None
                  else add_months(until, -rule.period_months)) + timedelta(days=MARGIN)
        best = latest if best is None else max(best, latest)
    return best


def _chunks(ids: list, size: int = CHUNK) -> Iterator[list]:
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


class _Sorter:
    """Puts each record's date where it belongs in the plan, or counts why it is skipped."""

    def __init__(self, db: Session, plan: Plan, restricted: set[str]) -> None:
        self.plan, self.restricted = plan, restricted
        self.extended = extensions(db)
        self.open: set[tuple[str, str]] = set()
        self.queued: dict[tuple[str, str], date] = {}
        for record_class, record_id, decision, due_on in db.execute(
                select(ReviewEntry.record_class, ReviewEntry.record_id, ReviewEntry.decision,
                       ReviewEntry.due_on)):
            key = (record_class, record_id)
            if decision is None:
                self.open.add(key)
            self.queued[key] = max(due_on, self.queued.get(key, due_on))

    def add(self, due: RecordDue | None, *, held: bool = False) -> None:
        if due is None:
            return
        day, key = self.plan.day, (due.record_class.value, due.record_id)
        if due.action == RetentionAction.REVIEW:
            if (due.due_on - timedelta(days=REVIEW_AHEAD) > day or key in self.open
                    or self.queued.get(key, date.min) >= due.due_on):
                return
        elif due.due_on > day:
            return
        if held or due.prisoner_id in self.restricted:
            self.plan.skipped[(due.rule_id, HELD if held else RESTRICTED)] += 1
            return
        (self.plan.review if due.action == RetentionAction.REVIEW else self.plan.act).append(due)

    def extended_to(self, record_class: RecordClass, record_id: str) -> date | None:
        return self.extended.get((record_class.value, record_id))


def plan(transaction: Transaction, schedule: Schedule, day: date, *,
         zone: ZoneInfo | None = None, prison_ids: frozenset[str] | None = None) -> Plan:
    """What a run on `day` would do, read in short transactions opened with `transaction()`
    (on SQLite each holds the write lock: the observations are read PAGE at a time, and
    what changes meanwhile the batches ask again). `prison_ids` limits the prisons' records to
    some prisons (the logs are the whole service's and always looked at): tests share one
    database."""
    zone = zone or get_settings().zone
    result = Plan(day=day)
    with transaction() as db:
        held = legal_holds.held_on(db, day)
        sorter = _Sorter(db, result, restrictions.restricted_prisoner_ids(db))
        items = item_facts(db, zone)
        if prison_ids is not None:
            items = {i: item for i, item in items.items() if item.prison_id in prison_ids}
        escalated = observations_on_items(db, items)
        released = dict(db.execute(select(Prisoner.id, Prisoner.released_on)
                                   .where(Prisoner.released_on.is_not(None))).all())
        held_observations = set(held.observation_ids) | _observations_of(db, held.item_ids)
        for item in items.values():
            if item.closed_on is None:
                continue
            refs = {RetentionReference.ITEM_CLOSED: item.closed_on,
                    RetentionReference.RELEASED: released.get(item.prisoner_id)}
            sorter.add(earliest(schedule, RecordClass.SCREENING_DECISION, str(item.id), refs,
                                extended_to=sorter.extended_to(RecordClass.SCREENING_DECISION,
                                                               str(item.id)),
                                prisoner_id=item.prisoner_id, prison_id=item.prison_id),
                       held=item.id in held.item_ids)
        _audit_months(db, schedule, day, zone, sorter)
        _sign_in_days(db, schedule, day, zone, sorter)
    dated = _Dating(schedule, zone, escalated, released, held_observations, sorter)
    _observations(transaction, schedule, day, zone, prison_ids, dated)
    return result


def _observations_of(db: Session, item_ids: Iterable[int]) -> set[str]:
    ids = sorted(item_ids)
    found: set[str] = set()
    for chunk in _chunks(ids):
        for observation_ids in db.scalars(select(ScreeningTrigger.observation_ids)
                                          .where(ScreeningTrigger.item_id.in_(chunk))):
            found.update(observation_ids or ())
    return found


@dataclass
class _Dating:
    """Dates each observation read and puts it in the plan (once, whichever cut found it)."""

    schedule: Schedule
    zone: ZoneInfo
    escalated: Mapping[str, tuple[RecordClass | None, date | None]]
    released: Mapping[str, date]
    held: set[str]
    sorter: _Sorter
    seen: set[str] = field(default_factory=set)

    def add(self, rows: Iterable[tuple]) -> None:
        not_escalated = (RecordClass.OBSERVATION_NOT_ESCALATED, None)
        for obs_id, prisoner_id, prison_id, occurred_at in rows:
            if obs_id in self.seen:
                continue
            self.seen.add(obs_id)
            record_class, closed_on = self.escalated.get(obs_id, not_escalated)
            if record_class is None:  # on an open item: no date yet
                continue
            refs = {RetentionReference.HAPPENED: local_day(occurred_at, self.zone),
                    RetentionReference.ITEM_CLOSED: closed_on,
                    RetentionReference.RELEASED: self.released.get(prisoner_id)}
            self.sorter.add(earliest(self.schedule, record_class, obs_id, refs,
                                     extended_to=self.sorter.extended_to(record_class, obs_id),
                                     prisoner_id=prisoner_id, prison_id=prison_id),
                            held=obs_id in self.held)


def _observations(transaction: Transaction, schedule: Schedule, day: date, zone: ZoneInfo,
                  prison_ids: frozenset[str] | None, dated: _Dating) -> None:
    """Observations whose date may have come: three cuts (made long enough ago, prisoner
    released long enough ago, item closed long enough ago), each then dated exactly. The
    first, the big one, in pages along the (occurred_at, id) index, oldest first."""
    columns = (Observation.id, Observation.prisoner_id, Observation.prison_id,
               Observation.occurred_at)
    scoped = (Observation.prison_id.in_(prison_ids) if prison_ids is not None
              else Observation.id.is_not(None))
    if happened := _limit(schedule, OBSERVATION_CLASSES, RetentionReference.HAPPENED, day):
        before, after = day_start(happened + timedelta(days=1), zone), None
        while True:
            query = select(*columns).where(Observation.occurred_at < before, scoped)
            if after is not None:
                query = query.where(tuple_(Observation.occurred_at, Observation.id) > after)
            with transaction() as db:
                rows = db.execute(query.order_by(Observation.occurred_at, Observation.id)
                                  .limit(PAGE)).all()
            dated.add(rows)
            if len(rows) < PAGE:
                break
            after = (rows[-1][3], rows[-1][0])
    wanted_prisoners, wanted_ids = [], []
    if release := _limit(schedule, OBSERVATION_CLASSES, RetentionReference.RELEASED, day):
        wanted_prisoners = sorted(p for p, on in dated.released.items() if on <= release)
    if closed := _limit(schedule, OBSERVATION_CLASSES, RetentionReference.ITEM_CLOSED, day):
        wanted_ids = sorted(i for i, (cls, on) in dated.escalated.items()
                            if cls is not None and on is not None and on <= closed
                            and i not in dated.seen)
    for column, wanted in ((Observation.prisoner_id, wanted_prisoners),
                           (Observation.id, wanted_ids)):
        for start in range(0, len(wanted), PAGE):
            with transaction() as db:
                rows = [tuple(row) for chunk in _chunks(wanted[start:start + PAGE])
                        for row in db.execute(select(*columns).where(column.in_(chunk),
                                                                     scoped))]
            dated.add(rows)


def _months(first: date, last: date) -> Iterator[tuple[str, date]]:
    """("YYYY-MM", its last day) for each month from first's to last's."""
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        end = add_months(date(year, month, 1), 1) - timedelta(days=1)
        yield f"{year:04d}-{month:02d}", end
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _audit_months(db: Session, schedule: Schedule, day: date, zone: ZoneInfo,
                  sorter: _Sorter) -> None:
    """Each month of the audit log, dated from its last day."""
    limit = _limit(schedule, {RecordClass.AUDIT_LOG}, RetentionReference.HAPPENED, day)
    first = db.scalar(select(func.min(AuditEntry.at)))
    if limit is None or first is None or local_day(first, zone) > limit:
        return
    for month, last_day in _months(local_day(first, zone), limit):
        sorter.add(earliest(schedule, RecordClass.AUDIT_LOG, month,
                            {RetentionReference.HAPPENED: last_day},
                            extended_to=sorter.extended_to(RecordClass.AUDIT_LOG, month)))


def _sign_in_days(db: Session, schedule: Schedule, day: date, zone: ZoneInfo,
                  sorter: _Sorter) -> None:
    """Each day of the sign-in log old enough, that still has rows."""
    limit = _limit(schedule, {RecordClass.SIGN_IN_LOG}, RetentionReference.HAPPENED, day)
    if limit is None:
        return
    before = day_start(limit + timedelta(days=1), zone)
    days: set[date] = set()
    for moment in db.scalars(select(AuthLog.at).where(AuthLog.at < before)
                             .execution_options(yield_per=20_000)):
        days.add(local_day(moment, zone))
    for moment in db.scalars(select(func.coalesce(WebSession.ended_at,
                                                  WebSession.last_activity_at))
                             .where(or_(WebSession.ended_at < before,
                                        (WebSession.ended_at.is_(None))
                                        & (WebSession.last_activity_at < before)))):
        days.add(local_day(moment, zone))
    done = set(db.scalars(select(ErasedRecord.record_id).where(
        ErasedRecord.record_class == RecordClass.SIGN_IN_LOG.value)))
    for one in sorted(days):
        if one.isoformat() not in done:
            sorter.add(earliest(schedule, RecordClass.SIGN_IN_LOG, one.isoformat(),
                                {RetentionReference.HAPPENED: one}))


# --- doing it ------------------------------------------------------------------------------


def run(transaction: Transaction, schedule: Schedule, *, now: datetime, trigger: str,
        dry_run: bool = False, zone: ZoneInfo | None = None,
        catalogues: Mapping[str, Catalogue] | None = None,
        prison_ids: frozenset[str] | None = None) -> RunResult:
    """Plan for the prisons' day of `now`, then (unless a dry run) do it, a batch per
    transaction opened with `transaction()` (runtime.transaction signs the audit head after
    each). `trigger` is "job" or "cli"."""
    zone = zone or get_settings().zone
    day = local_day(now, zone)
    todo = plan(transaction, schedule, day, zone=zone, prison_ids=prison_ids)
    if dry_run:
        return RunResult(None, day, todo.summary(), todo)
    with transaction() as db:
        run_row = RetentionRun(started_at=now, trigger=trigger, dry_run=False, summary={})
        db.add(run_row)
        db.flush()
        run_id = run_row.id
    dropped: dict[tuple[str, str], str | None] = {}  # record -> why it was not done after all
    for start in range(0, len(todo.act), BATCH):
        with transaction() as db:
            dropped.update(_apply(db, todo.act[start:start + BATCH], day, now=now, run_id=run_id,
                                  zone=zone, catalogues=catalogues))
    for start in range(0, len(todo.review), BATCH):
        with transaction() as db:
            db.execute(insert(ReviewEntry), [
                {"record_class": due.record_class.value, "record_id": due.record_id,
                 "prison_id": due.prison_id, "prisoner_id": due.prisoner_id,
                 "rule_id": due.rule_id, "due_on": due.due_on, "queued_at": now}
                for due in todo.review[start:start + BATCH]])
    if dropped:
        for due in todo.act:
            if why := dropped.get((due.record_class.value, due.record_id)):
                todo.skipped[(due.rule_id, why)] += 1
        todo.act = [due for due in todo.act
                    if (due.record_class.value, due.record_id) not in dropped]
    summary = todo.summary()
    totals: Counter = Counter()
    for counts in summary.values():
        totals.update(counts)
    with transaction() as db:
        db.execute(update(RetentionRun).where(RetentionRun.id == run_id)
                   .values(summary=summary, finished_at=now))
        # the totals; each rule's counts are on the run's row
        audit.append(db, at=now, action=audit.Action.ERASE, actor_id=None,
                     record_id=f"retention_run:{run_id}", purpose="retention.run",
                     detail=json.dumps({"trigger": trigger, "day": day.isoformat(),
                                        **dict(sorted(totals.items()))},
                                       sort_keys=True, separators=(",", ":")))
    return RunResult(run_id, day, summary, todo)


def _apply(db: Session, batch: list[RecordDue], day: date, **how) -> dict[tuple[str, str],
                                                                        str | None]:
    """Erase or anonymise a batch, asking again what may have changed since the plan was made
    (the run takes a while): a hold placed, a restriction placed, a review's "erase now".
    Returns the records left out and why (None: erased meanwhile, not this run's)."""
    held = legal_holds.held_on(db, day)
    held_observations = set(held.observation_ids) | _observations_of(db, held.item_ids)
    restricted = restrictions.restricted_prisoner_ids(db)
    dropped: dict[tuple[str, str], str | None] = {}
    for due in batch:
        key = (due.record_class.value, due.record_id)
        if due.prisoner_id in restricted:
            dropped[key] = RESTRICTED
        elif (due.record_id in held_observations if due.record_class in OBSERVATION_CLASSES
              else due.record_class == RecordClass.SCREENING_DECISION
              and int(due.record_id) in held.item_ids):
            dropped[key] = HELD
    targets = [erasure.Target(due.record_class, due.record_id, due.action, due.rule_id,
                              due.reference_on or due.due_on)
               for due in batch if (due.record_class.value, due.record_id) not in dropped]
    for key in erasure.erased_already(db, targets):
        dropped[key] = None
    erasure.apply_many(db, [t for t in targets if (t.record_class.value, t.record_id)
                            not in dropped], **how)
    return dropped
