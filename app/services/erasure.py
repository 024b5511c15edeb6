"""Erasing and anonymising records (issue 12 item 2), for the retention run and for a review's
"erase now" / "anonymise now".

- erase: the record's rows go (an observation with its addenda: free text, prisoner link,
  author link; a screening record: its item, triggers and events; a day of the sign-in log:
  its auth_log rows and the browser sessions that ended that day). An ErasedRecord tombstone
  keeps the class, the dates and the rule, never the content.
- anonymise (observations): the same, and the tombstone also keeps what the trends count
  (prison, wing, week, kind, concern, indicators, catalogue version, whether it raised a flag),
  with no person, so trends.rebuild counts it again. An erased observation is not recounted by
  a rebuild; the rollups themselves are never touched here, so the counts shown stay as they
  were. A screening record's counts live in trend_decision, which has no link to it: for it
  anonymise is erase.
- every record writes one audit row (Action.ERASE, purpose "retention.erase" or
  "retention.anonymise") whose detail holds the class, the rule and the date the period was
  counted from: never content. The audit log itself is never erased here (the chain).

An observation's tombstone keeps its id, so a tablet sending that entry again is answered
"duplicate" (observations.ingest asks `erased_observation_ids`): exactly once survives erasure.

Everything runs in the caller's transaction; batches of thousands of records cost a few
statements per 900 ids.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, delete, insert, or_, select
from sqlalchemy.orm import Session

from app.models import (
    Addendum,
    AuthLog,
    ErasedRecord,
    Observation,
    ScreeningEvent,
    ScreeningItem,
    ScreeningTrigger,
    WebSession,
)
from app.services import audit, flag_rules, trends
from app.services.catalogue import Catalogue
from app.services.retention_schedule import OBSERVATION_CLASSES, day_start, local_day
from app.settings import get_settings
from app.vocabulary import RecordClass, RetentionAction

CHUNK = 900  # ids per IN (...) list, well under SQLite's and PostgreSQL's limits
PURPOSE = {RetentionAction.ERASE: "retention.erase",
           RetentionAction.ANONYMISE: "retention.anonymise"}
ERASABLE = OBSERVATION_CLASSES | {RecordClass.SCREENING_DECISION, RecordClass.SIGN_IN_LOG}


class ErasureError(ValueError):
    """A record that cannot be erased so: the audit log, a tablet's receipt, an unknown record,
    or a review action (a person decides those)."""


@dataclass(frozen=True)
class Target:
    """One record to erase or anonymise, and why."""

    record_class: RecordClass
    record_id: str
    action: RetentionAction
    rule_id: str
    reference_on: date


def apply(db: Session, record_class: str, record_id: str, action: str, *, rule_id: str,
          reference_on: date, now: datetime, actor_id: str | None = None,
          run_id: int | None = None) -> bool:
    """Erase or anonymise one record (a review's decision: rule_id "review:<entry id>").
    False when it was erased before (nothing changes); ErasureError when it cannot be."""
    target = _target(record_class, record_id, action, rule_id, reference_on)
    if erased_already(db, [target]):
        return False
    if not apply_many(db, [target], now=now, actor_id=actor_id, run_id=run_id):
        raise ErasureError(f"no {target.record_class.value} record {record_id!r}")
    return True


def _target(record_class: str, record_id: str, action: str, rule_id: str,
            reference_on: date) -> Target:
    try:
        cls, act = RecordClass(record_class), RetentionAction(action)
    except ValueError as error:
        raise ErasureError(str(error)) from None
    if cls not in ERASABLE:
        raise ErasureError(f"{cls.value} records are never erased by the software")
    if act == RetentionAction.REVIEW:
        raise ErasureError("review is decided by a person, not applied")
    if act == RetentionAction.ANONYMISE and cls == RecordClass.SIGN_IN_LOG:
        raise ErasureError("the sign-in log is erased, not anonymised")
    if not isinstance(record_id, str) or not 0 < len(record_id) <= 64:
        raise ErasureError("a record id is 1 to 64 characters")
    if not isinstance(rule_id, str) or not 0 < len(rule_id) <= 64:
        raise ErasureError("a rule id is 1 to 64 characters")
    return Target(cls, record_id, act, rule_id, reference_on)


def erased_already(db: Session, targets: Sequence[Target]) -> set[tuple[str, str]]:
    """(class, id) of the targets that have a tombstone."""
    found: set[tuple[str, str]] = set()
    ids = sorted({t.record_id for t in targets})
    for start in range(0, len(ids), CHUNK):
        found.update(db.execute(select(ErasedRecord.record_class, ErasedRecord.record_id)
                                .where(ErasedRecord.record_id.in_(ids[start:start + CHUNK])))
                     .all())
    wanted = {(t.record_class.value, t.record_id) for t in targets}
    return {(str(c), i) for c, i in found} & wanted


def erased_observation_ids(db: Session, ids: Iterable[str]) -> set[str]:
    """Which of these observation ids were erased or anonymised (a tablet's resend of one is a
    duplicate, never a new entry)."""
    ids = sorted(set(ids))
    found: set[str] = set()
    for start in range(0, len(ids), CHUNK):
        found.update(db.scalars(select(ErasedRecord.record_id).where(
            ErasedRecord.record_id.in_(ids[start:start + CHUNK]),
            ErasedRecord.record_class.in_([c.value for c in OBSERVATION_CLASSES]))))
    return found


def apply_many(db: Session, targets: Sequence[Target], *, now: datetime,
               actor_id: str | None = None, run_id: int | None = None,
               zone: ZoneInfo | None = None,
               catalogues: Mapping[str, Catalogue] | None = None) -> int:
    """Erase or anonymise each target that still exists (the caller has left out those with a
    tombstone); returns how many were. One tombstone and one audit row per record."""
    zone = zone or get_settings().zone
    observations = [t for t in targets if t.record_class in OBSERVATION_CLASSES]
    screenings = [t for t in targets if t.record_class == RecordClass.SCREENING_DECISION]
    sign_ins = [t for t in targets if t.record_class == RecordClass.SIGN_IN_LOG]
    tombstones: list[dict] = []
    entries: list[dict] = []
    for start in range(0, len(observations), CHUNK):
        _observations(db, observations[start:start + CHUNK], zone, catalogues, tombstones,
                      entries)
    for start in range(0, len(screenings), CHUNK):
        _screenings(db, screenings[start:start + CHUNK], zone, tombstones, entries)
    for target in sign_ins:
        _sign_in_day(db, target, zone, tombstones, entries, now)
    if not tombstones:
        return 0
    for row in tombstones:
        row.update(erased_at=now, run_id=run_id)
    db.execute(insert(ErasedRecord), tombstones)
    for entry in entries:
        entry.update(at=now, action=audit.Action.ERASE, actor_id=actor_id)
    audit.append_many(db, entries)
    return len(tombstones)


def _detail(target: Target, extra: dict | None = None) -> str:
    body = {"class": target.record_class.value, "rule": target.rule_id,
            "reference_on": target.reference_on.isoformat(), **(extra or {})}
    return json.dumps(body, sort_keys=True, separators=(",", ":"))


def _tombstone(target: Target, happened_on: date | None) -> dict:
    return {"record_class": target.record_class.value, "record_id": target.record_id,
            "action": target.action.value, "rule_id": target.rule_id,
            "reference_on": target.reference_on, "happened_on": happened_on,
            "prison_id": None, "wing_id": None, "week": None, "concern": None,
            "concern_observation": None, "indicators": None, "catalogue_version": None,
            "flagged": None}


def _observations(db: Session, targets: list[Target], zone: ZoneInfo,
                  catalogues: Mapping[str, Catalogue] | None, tombstones: list[dict],
                  entries: list[dict]) -> None:
    by_id = {t.record_id: t for t in targets}
    rows = {row.id: row for row in db.execute(
        select(Observation.id, Observation.prisoner_id, Observation.prison_id,
               Observation.wing_id, Observation.occurred_at, Observation.concern,
               Observation.concern_observation, Observation.indicators,
               Observation.catalogue_version, Observation.flag)
        .where(Observation.id.in_(list(by_id))))}
    if not rows:
        return
    anonymised = [i for i in rows if by_id[i].action == RetentionAction.ANONYMISE]
    completers = _pattern_completers(db, anonymised) if anonymised else set()
    if anonymised and catalogues is None:
        from app.services import catalogue  # the files and published versions, as ingest has

        catalogues = catalogue.catalogues()
    for obs_id, row in rows.items():
        target = by_id[obs_id]
        stone = _tombstone(target, local_day(row.occurred_at, zone))
        if target.action == RetentionAction.ANONYMISE:
            cat = (catalogues or {}).get(row.catalogue_version)
            immediate = bool(cat) and any(
                code in cat.indicators and cat.indicators[code].immediate
                for code in row.indicators)
            stone.update(prison_id=row.prison_id, wing_id=row.wing_id,
                         week=trends.week_of(row.occurred_at, zone), concern=row.concern,
                         concern_observation=row.concern_observation,
                         indicators=list(row.indicators),
                         catalogue_version=row.catalogue_version,
                         flagged=bool(row.flag or immediate or obs_id in completers))
        tombstones.append(stone)
        entries.append({"prisoner_id": row.prisoner_id, "record_id": obs_id,
                        "purpose": PURPOSE[target.action], "detail": _detail(target)})
    ids = list(rows)
    db.execute(delete(Addendum).where(Addendum.observation_id.in_(ids)))
    db.execute(delete(Observation).where(Observation.id.in_(ids)))


def _pattern_completers(db: Session, ids: list[str]) -> set[str]:
    """Of these observations, those whose arrival completed an R3 pattern (a trend "flag"),
    told as trends.rebuild tells it: the last received of the trigger's observations."""
    wanted, groups = set(ids), []
    for group in db.scalars(select(ScreeningTrigger.observation_ids)
                            .where(ScreeningTrigger.rule_id == flag_rules.PATTERN.id)):
        if wanted.intersection(group or ()):
            groups.append(group)
    members = sorted({obs_id for group in groups for obs_id in group})
    received: dict[str, datetime] = {}
    for start in range(0, len(members), CHUNK):
        received.update(db.execute(select(Observation.id, Observation.received_at).where(
            Observation.id.in_(members[start:start + CHUNK]))).all())
    return {max((received[i], i) for i in group if i in received)[1]
            for group in groups if any(i in received for i in group)} & wanted


def _screenings(db: Session, targets: list[Target], zone: ZoneInfo, tombstones: list[dict],
                entries: list[dict]) -> None:
    by_id: dict[int, Target] = {}
    for target in targets:
        if target.record_id.isdigit() and len(target.record_id) <= 12:
            by_id[int(target.record_id)] = target
    rows = db.execute(select(ScreeningItem.id, ScreeningItem.prisoner_id,
                             ScreeningItem.opened_at, ScreeningItem.closed_at)
                      .where(ScreeningItem.id.in_(list(by_id)))).all()
    for row in rows:
        if row.closed_at is None:
            raise ErasureError(f"screening item {row.id} is open: only closed ones are erased")
        target = by_id[row.id]
        tombstones.append(_tombstone(target, local_day(row.opened_at, zone)))
        entries.append({"prisoner_id": row.prisoner_id, "record_id": f"screening:{row.id}",
                        "purpose": PURPOSE[target.action], "detail": _detail(target)})
    ids = [row.id for row in rows]
    if ids:
        db.execute(delete(ScreeningTrigger).where(ScreeningTrigger.item_id.in_(ids)))
        # events refer to events of the same item only: one statement takes them all
        db.execute(delete(ScreeningEvent).where(ScreeningEvent.item_id.in_(ids)))
        db.execute(delete(ScreeningItem).where(ScreeningItem.id.in_(ids)))


def sign_in_bounds(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    return day_start(day, zone), day_start(day + timedelta(days=1), zone)


def _sign_in_day(db: Session, target: Target, zone: ZoneInfo, tombstones: list[dict],
                 entries: list[dict], now: datetime) -> None:
    try:
        day = date.fromisoformat(target.record_id)
    except ValueError:
        return
    start, end = sign_in_bounds(day, zone)
    ended = or_(and_(WebSession.ended_at >= start, WebSession.ended_at < end),
                and_(WebSession.ended_at.is_(None), WebSession.last_activity_at >= start,
                     WebSession.last_activity_at < end))
    if end > now:
        raise ErasureError("a day of the sign-in log is erased once it is over")
    gone = db.execute(delete(AuthLog).where(AuthLog.at >= start, AuthLog.at < end)).rowcount
    gone += db.execute(delete(WebSession).where(ended)).rowcount
    tombstones.append(_tombstone(target, day))
    entries.append({"prisoner_id": None, "record_id": f"sign_in_log:{day.isoformat()}",
                    "purpose": PURPOSE[target.action],
                    "detail": _detail(target, {"rows": gone})})
