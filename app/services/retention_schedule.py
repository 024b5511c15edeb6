"""The retention schedule (issue 12 item 1): per record class, the date a period is counted from,
the period and what happens then (erase, anonymise or review), as data.

The default is app/retention/schedule.json; a deployment sets its own with
WINGWATCH_RETENTION_SCHEDULE (a file of the same shape), checked at start: a bad file stops the
start with a message that names the file, the rule and what is wrong (ScheduleError).

A record is due under the EARLIEST rule of its class that applies (a rule counted from the
release applies once the prisoner has a release date). A review decision "extend" moves the
date to its `extended_to`: the record is not due before then.

What each class is, and the day its periods count from (all days are the prisons' local days):
- observation_not_escalated: an observation no screening item's trigger names;
  happened = the day it was made, released = the prisoner's release day.
- observation_no_further_action / observation_referral: an observation named by the triggers of
  closed items only, the last of which closed with no further action / with a referral
  (assessment or support); item_closed = the day the last of those items closed. An
  observation on an open item has no date yet. An observation whose item was erased is not
  on a screening item any more: it is "not escalated" from then on.
- screening_decision: a closed item with its triggers and events, record id the item's id.
- audit_log: one calendar month of the audit log, record id "YYYY-MM", happened = its last day.
  Never erased by the software (the chain): review only, and the only decision is extend.
- sign_in_log: one day of the sign-in log (auth_log rows, and browser sessions that ended or
  were last used that day), record id "YYYY-MM-DD".
- tablet_receipt: kept on the tablet only; the lead's island reads tablet_receipt_days.

Plain Python: no web framework.
"""

from __future__ import annotations

import calendar
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import (
    Observation,
    Prisoner,
    ReviewEntry,
    ScreeningEvent,
    ScreeningItem,
    ScreeningTrigger,
)
from app.settings import get_settings
from app.vocabulary import EventKind, Outcome, RecordClass, RetentionAction, RetentionReference

DEFAULT_FILE = Path(__file__).resolve().parent.parent / "retention" / "schedule.json"
MAX_DAYS = 100 * 366  # no period longer than a century: a typo, not a policy
RULE_ID = re.compile(r"[a-z0-9][a-z0-9_.-]{0,39}")
REFERRALS = frozenset({Outcome.REFER_ASSESSMENT, Outcome.REFER_SUPPORT})
OBSERVATION_CLASSES = frozenset({RecordClass.OBSERVATION_NOT_ESCALATED,
                                 RecordClass.OBSERVATION_NO_FURTHER_ACTION,
                                 RecordClass.OBSERVATION_REFERRAL})
# What each class may be counted from, and what may be done with it.
REFERENCES: dict[RecordClass, frozenset[RetentionReference]] = {
    RecordClass.OBSERVATION_NOT_ESCALATED: frozenset({RetentionReference.HAPPENED,
                                                      RetentionReference.RELEASED}),
    RecordClass.OBSERVATION_NO_FURTHER_ACTION: frozenset({
        RetentionReference.HAPPENED, RetentionReference.ITEM_CLOSED, RetentionReference.RELEASED}),
    RecordClass.OBSERVATION_REFERRAL: frozenset({
        RetentionReference.HAPPENED, RetentionReference.ITEM_CLOSED, RetentionReference.RELEASED}),
    RecordClass.SCREENING_DECISION: frozenset({RetentionReference.ITEM_CLOSED,
                                               RetentionReference.RELEASED}),
    RecordClass.AUDIT_LOG: frozenset({RetentionReference.HAPPENED}),
    RecordClass.SIGN_IN_LOG: frozenset({RetentionReference.HAPPENED}),
    RecordClass.TABLET_RECEIPT: frozenset({RetentionReference.SENT}),
}
_ALL_ACTIONS = frozenset(RetentionAction)
ACTIONS: dict[RecordClass, frozenset[RetentionAction]] = {
    **{cls: _ALL_ACTIONS for cls in OBSERVATION_CLASSES},
    RecordClass.SCREENING_DECISION: frozenset({RetentionAction.ERASE, RetentionAction.REVIEW}),
    RecordClass.AUDIT_LOG: frozenset({RetentionAction.REVIEW}),  # the chain is never erased
    RecordClass.SIGN_IN_LOG: frozenset({RetentionAction.ERASE}),
    RecordClass.TABLET_RECEIPT: frozenset({RetentionAction.ERASE}),
}


class ScheduleError(ValueError):
    """A schedule file that cannot be used; the message names the file and what is wrong."""


@dataclass(frozen=True)
class Rule:
    id: str
    record_class: RecordClass
    reference: RetentionReference
    action: RetentionAction
    period_days: int | None = None
    period_months: int | None = None

    def due_on(self, reference_on: date) -> date:
        """The day the period counted from `reference_on` ends (the record is due that day)."""
        if self.period_months is None:
            return date.fromordinal(reference_on.toordinal() + (self.period_days or 0))
        return add_months(reference_on, self.period_months)


@dataclass(frozen=True)
class Schedule:
    rules: tuple[Rule, ...]
    source: str  # the file it came from

    def for_class(self, record_class: RecordClass) -> tuple[Rule, ...]:
        return tuple(rule for rule in self.rules if rule.record_class == record_class)

    def rule(self, rule_id: str) -> Rule | None:
        return next((rule for rule in self.rules if rule.id == rule_id), None)


@dataclass(frozen=True)
class RecordDue:
    """When one record falls due, under which rule, for what. The last fields say where it
    belongs and what the period counted from (the retention run and the review list use them)."""

    record_class: RecordClass
    record_id: str
    rule_id: str
    action: RetentionAction
    due_on: date
    reference_on: date | None = None
    prisoner_id: str | None = None
    prison_id: str | None = None
    extended: bool = False  # the date is a review's "extend", not the rule's


def add_months(day: date, months: int) -> date:
    """The same day of the month `months` later; the month's last day where it has fewer."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# --- loading and checking ------------------------------------------------------------------


def load(path: Path | str | None = None) -> Schedule:
    """The schedule in force: `path`, else WINGWATCH_RETENTION_SCHEDULE, else the default.
    Raises ScheduleError for a file that is missing, not JSON or not a valid schedule."""
    chosen = Path(path) if path is not None else get_settings().retention_schedule
    return _load(str((chosen or DEFAULT_FILE).resolve()))


@lru_cache(maxsize=8)
def _load(path: str) -> Schedule:
    try:
        body = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise ScheduleError(f"retention schedule {path}: no such file") from error
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise ScheduleError(f"retention schedule {path}: not readable JSON ({error})") from error
    return parse(body, path)


def parse(body: Any, source: str = "<schedule>") -> Schedule:
    """A schedule from its JSON: a list of rules, or an object with "rules" (and a comment)."""
    rules_json = body.get("rules") if isinstance(body, dict) else body
    if not isinstance(rules_json, list) or not rules_json:
        raise ScheduleError(f"retention schedule {source}: expected a non-empty list of rules "
                            'or an object with "rules"')
    rules = tuple(_rule(item, f"retention schedule {source}, rule {n + 1}")
                  for n, item in enumerate(rules_json))
    seen: set[str] = set()
    for rule in rules:
        if rule.id in seen:
            raise ScheduleError(f"retention schedule {source}: rule id {rule.id!r} twice")
        seen.add(rule.id)
    for record_class in RecordClass:
        mine = [rule for rule in rules if rule.record_class == record_class]
        if not any(rule.reference != RetentionReference.RELEASED for rule in mine):
            # a release may never come: without another rule the record would stay for ever
            raise ScheduleError(
                f"retention schedule {source}: no rule for {record_class.value} that counts "
                "from a date every such record has (every class needs one)")
    if len(_receipt_rules(rules)) != 1:
        raise ScheduleError(f"retention schedule {source}: exactly one rule for "
                            f"{RecordClass.TABLET_RECEIPT.value}")
    return Schedule(rules=rules, source=source)


def _rule(item: Any, where: str) -> Rule:
    if not isinstance(item, dict):
        raise ScheduleError(f"{where}: expected an object")
    known = {"id", "record_class", "reference", "action", "period_days", "period_months",
             "comment"}
    if extra := set(item) - known:
        raise ScheduleError(f"{where}: unknown fields {sorted(extra)}")
    rule_id = item.get("id")
    if not isinstance(rule_id, str) or not RULE_ID.fullmatch(rule_id):
        raise ScheduleError(f"{where}: 'id' must be 1 to 40 of a-z, 0-9, '_', '.', '-'")
    where = f"{where} ({rule_id})"
    record_class = _code(RecordClass, item, "record_class", where)
    reference = _code(RetentionReference, item, "reference", where)
    action = _code(RetentionAction, item, "action", where)
    if reference not in REFERENCES[record_class]:
        raise ScheduleError(f"{where}: {record_class.value} cannot be counted from "
                            f"{reference.value} (only {_listed(REFERENCES[record_class])})")
    if action not in ACTIONS[record_class]:
        raise ScheduleError(f"{where}: {record_class.value} cannot be {action.value}d "
                            f"(only {_listed(ACTIONS[record_class])})")
    days, months = item.get("period_days"), item.get("period_months")
    if (days is None) == (months is None):
        raise ScheduleError(f"{where}: give exactly one of 'period_days' and 'period_months'")
    value, limit = (days, MAX_DAYS) if months is None else (months, MAX_DAYS // 31)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= limit:
        raise ScheduleError(f"{where}: the period must be a whole number from 1 to {limit}")
    return Rule(id=rule_id, record_class=record_class, reference=reference, action=action,
                period_days=days, period_months=months)


def _code(enum: Any, item: dict, name: str, where: str) -> Any:
    try:
        return enum(item.get(name))
    except ValueError:
        raise ScheduleError(f"{where}: '{name}' must be one of {_listed(enum)}") from None


def _listed(codes: Iterable[Any]) -> str:
    return ", ".join(sorted(code.value for code in codes))


def _receipt_rules(rules: Iterable[Rule]) -> list[Rule]:
    return [rule for rule in rules if rule.record_class == RecordClass.TABLET_RECEIPT]


def tablet_receipt_days(schedule: Schedule) -> int:
    """How many days a tablet keeps the receipt of a sent entry (enforced on the tablet)."""
    (rule,) = _receipt_rules(schedule.rules)
    if rule.period_days is not None:
        return rule.period_days
    return (add_months(date(2000, 1, 1), rule.period_months or 0) - date(2000, 1, 1)).days


# --- due dates ------------------------------------------------------------------------------


def earliest(schedule: Schedule, record_class: RecordClass, record_id: str,
             references: dict[RetentionReference, date | None], *,
             extended_to: date | None = None, prisoner_id: str | None = None,
             prison_id: str | None = None) -> RecordDue | None:
    """The record's date under the earliest applicable rule of its class (a rule whose
    reference date the record does not have yet does not apply); a later `extended_to` wins."""
    best: tuple[date, int, Rule, date] | None = None
    for n, rule in enumerate(schedule.rules):
        if rule.record_class != record_class or references.get(rule.reference) is None:
            continue
        reference_on = references[rule.reference]
        due_on = rule.due_on(reference_on)
        if best is None or (due_on, n) < best[:2]:
            best = (due_on, n, rule, reference_on)
    if best is None:
        return None
    due_on, _, rule, reference_on = best
    extended = extended_to is not None and extended_to > due_on
    return RecordDue(record_class=record_class, record_id=record_id, rule_id=rule.id,
                     action=rule.action, due_on=extended_to if extended else due_on,
                     reference_on=reference_on, prisoner_id=prisoner_id, prison_id=prison_id,
                     extended=extended)


def local_day(moment: datetime, zone: ZoneInfo) -> date:
    return moment.astimezone(zone).date()


def day_start(day: date, zone: ZoneInfo) -> datetime:
    """The UTC moment the prisons' local `day` begins."""
    return datetime.combine(day, time(), zone).astimezone(UTC)


@dataclass(frozen=True)
class ItemFacts:
    """What the schedule needs of a screening item: who, where, and when and how it closed."""

    id: int
    prisoner_id: str
    prison_id: str
    closed_on: date | None  # None: open
    referral: bool


def item_facts(db: Session, zone: ZoneInfo, *, prisoner_id: str | None = None
               ) -> dict[int, ItemFacts]:
    """Every item (or one prisoner's), with the outcome of its last decision."""
    items = select(ScreeningItem.id, ScreeningItem.prisoner_id, ScreeningItem.prison_id,
                   ScreeningItem.closed_at)
    events = (select(ScreeningEvent.item_id, ScreeningEvent.outcome)
              .where(ScreeningEvent.kind == EventKind.DECISION)
              .order_by(ScreeningEvent.item_id, ScreeningEvent.at, ScreeningEvent.id))
    if prisoner_id is not None:
        items = items.where(ScreeningItem.prisoner_id == prisoner_id)
        events = events.join(ScreeningItem, ScreeningItem.id == ScreeningEvent.item_id).where(
            ScreeningItem.prisoner_id == prisoner_id)
    last = dict(db.execute(events).all())  # in order: the last decision's outcome stays
    return {row.id: ItemFacts(row.id, row.prisoner_id, row.prison_id,
                              None if row.closed_at is None else local_day(row.closed_at, zone),
                              last.get(row.id) in REFERRALS)
            for row in db.execute(items)}


def observations_on_items(db: Session, items: dict[int, ItemFacts]
                          ) -> dict[str, tuple[RecordClass | None, date | None]]:
    """For each observation a trigger of these items names: its class and the day its last
    item closed, or (None, None) while one of its items is open."""
    on: dict[str, list[ItemFacts]] = defaultdict(list)
    ids = list(items)
    for start in range(0, len(ids), 900):
        for item_id, observation_ids in db.execute(
                select(ScreeningTrigger.item_id, ScreeningTrigger.observation_ids)
                .where(ScreeningTrigger.item_id.in_(ids[start:start + 900]))):
            for observation_id in observation_ids or ():
                on[observation_id].append(items[item_id])
    result: dict[str, tuple[RecordClass | None, date | None]] = {}
    for observation_id, its_items in on.items():
        if any(item.closed_on is None for item in its_items):
            result[observation_id] = (None, None)
            continue
        last = max(its_items, key=lambda item: (item.closed_on, item.id))
        result[observation_id] = (RecordClass.OBSERVATION_REFERRAL if last.referral
                                  else RecordClass.OBSERVATION_NO_FURTHER_ACTION, last.closed_on)
    return result


def extensions(db: Session, record_ids: Iterable[str] | None = None
               ) -> dict[tuple[str, str], date]:
    """The latest "extend" date of each record (record class, record id)."""
    query = select(ReviewEntry.record_class, ReviewEntry.record_id, ReviewEntry.extended_to
                   ).where(ReviewEntry.extended_to.is_not(None))
    if record_ids is not None:
        query = query.where(ReviewEntry.record_id.in_(list(record_ids)))
    result: dict[tuple[str, str], date] = {}
    for record_class, record_id, extended_to in db.execute(query):
        key = (record_class, record_id)
        result[key] = max(extended_to, result.get(key, extended_to))
    return result


def dates_for_prisoner(db: Session, schedule: Schedule, prisoner_id: str, today: date,
                       zone: ZoneInfo | None = None) -> list[RecordDue]:
    """When each of one prisoner's records falls due (for the subject-access report), oldest
    date first: observations and screening records. An observation on an open screening item
    has no date yet (its period starts when the item closes) and is not listed; nor are the
    audit and sign-in logs, which are kept by month and day, not by person. `today` is
    accepted for the callers' symmetry; dates already past are listed too (held, restricted
    or waiting for a review)."""
    del today
    zone = zone or get_settings().zone
    released_on = db.scalar(select(Prisoner.released_on).where(Prisoner.id == prisoner_id))
    items = item_facts(db, zone, prisoner_id=prisoner_id)
    escalated = observations_on_items(db, items)
    observations = db.execute(select(Observation.id, Observation.prison_id,
                                     Observation.occurred_at)
                              .where(Observation.prisoner_id == prisoner_id)).all()
    record_ids = [row.id for row in observations] + [str(item_id) for item_id in items]
    extended = extensions(db, record_ids)
    result: list[RecordDue] = []
    for row in observations:
        record_class, closed_on = escalated.get(row.id,
                                                (RecordClass.OBSERVATION_NOT_ESCALATED, None))
        if record_class is None:
            continue
        refs = {RetentionReference.HAPPENED: local_day(row.occurred_at, zone),
                RetentionReference.ITEM_CLOSED: closed_on,
                RetentionReference.RELEASED: released_on}
        due = earliest(schedule, record_class, row.id, refs,
                       extended_to=extended.get((record_class, row.id)),
                       prisoner_id=prisoner_id, prison_id=row.prison_id)
        if due is not None:
            result.append(due)
    for item in items.values():
        if item.closed_on is None:
            continue
        refs = {RetentionReference.ITEM_CLOSED: item.closed_on,
                RetentionReference.RELEASED: released_on}
        key = (RecordClass.SCREENING_DECISION, str(item.id))
        due = earliest(schedule, RecordClass.SCREENING_DECISION, str(item.id), refs,
                       extended_to=extended.get(key), prisoner_id=prisoner_id,
                       prison_id=item.prison_id)
        if due is not None:
            result.append(due)
    return sorted(result, key=lambda due: (due.due_on, due.record_class, due.record_id))
