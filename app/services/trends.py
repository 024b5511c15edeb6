"""Trend counts, kept up to date as observations and decisions are stored.

A security head's page must answer in a fraction of a second over years of data, and a GROUP BY
over every observation takes about a second. So the ingest and decision transactions add to small
rollup tables (app/models.py, "trends"), and the page reads only those (app/services/
trend_report.py). Each write is an upsert that adds to the stored count (`n = n + excluded.n`),
which SQLite and PostgreSQL both apply atomically: concurrent batches never lose a count, and a
rolled-back batch takes its counts with it.

What counts as a flag: an observation that raised one when it arrived, by the officer's manual
flag (R1), an immediate indicator (R2) or by completing a pattern (R3).

A restricted prisoner's records are not counted (LED Art. 16(3), app/services/restrictions.py):
`withdraw` takes them out when the restriction is placed, `restore` puts them back when it is
lifted, and while it holds neither ingest, a decision nor `rebuild` counts them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from app.models import (
    ErasedRecord,
    Observation,
    Prisoner,
    Restriction,
    ScreeningEvent,
    ScreeningItem,
    ScreeningTrigger,
    TrendDecision,
    TrendIndicatorWeek,
    TrendWeek,
)
from app.services import flag_rules
from app.services.catalogue import Catalogue

ALL = "*"  # the wing, category or concern level of a row that counts all of them


def week_of(moment: datetime, zone: ZoneInfo) -> date:
    """The Monday of the moment's week, in the prisons' local time."""
    local = moment.astimezone(zone).date()
    return local - timedelta(days=local.weekday())


@dataclass(frozen=True)
class Counted:
    """What the rollups need of one stored observation: no person, no text."""

    prison_id: str
    wing_id: str
    occurred_at: datetime
    concern: str
    concern_observation: bool
    indicators: tuple[tuple[str, str, str], ...]  # (code, category, kind)
    flagged: bool


def counted(row: Mapping, catalogue: Catalogue, flagged: bool) -> Counted:
    """From an observation's stored columns (an ingest row or a database row)."""
    return Counted(
        prison_id=row["prison_id"], wing_id=row["wing_id"], occurred_at=row["occurred_at"],
        concern=row["concern"], concern_observation=row["concern_observation"],
        indicators=tuple((code, catalogue.indicators[code].category,
                          catalogue.indicators[code].kind) for code in row["indicators"]),
        flagged=flagged)


def count_observations(db: Session, observations: Iterable[Counted], zone: ZoneInfo,
                       sign: int = 1) -> None:
    """Add the observations to the counts; `sign` -1 takes counted ones out again (and drops
    the cells left at nought, so a withdrawn week reads as one that never had any)."""
    weeks: Counter = Counter()
    flags: Counter = Counter()
    ticks: Counter = Counter()
    for obs in observations:
        week = week_of(obs.occurred_at, zone)
        kind = "concern" if obs.concern_observation else "protective"
        categories = {(ALL, kind), *((cat, k) for _, cat, k in obs.indicators)}
        for wing in (obs.wing_id, ALL):
            for category, category_kind in categories:
                key = (obs.prison_id, wing, category, week, category_kind, obs.concern)
                weeks[key] += sign
                flags[key] += sign * obs.flagged
            for concern in (obs.concern, ALL):
                for code, category, _ in obs.indicators:
                    ticks[(obs.prison_id, wing, concern, week, code, category)] += sign
    _add(db, TrendWeek, ("prison_id", "wing_id", "category", "week", "kind", "concern"),
         [(*key, n, flags[key]) for key, n in sorted(weeks.items())],
         ("observations", "flagged"))
    _add(db, TrendIndicatorWeek, ("prison_id", "wing_id", "concern", "week", "indicator",
                                  "category"),
         [(*key, n) for key, n in sorted(ticks.items())], ("observations",))
    if sign < 0 and weeks:
        prisons = {key[0] for key in weeks}
        db.execute(delete(TrendWeek).where(TrendWeek.prison_id.in_(prisons),
                                           TrendWeek.observations <= 0))
        db.execute(delete(TrendIndicatorWeek).where(TrendIndicatorWeek.prison_id.in_(prisons),
                                                    TrendIndicatorWeek.observations <= 0))


def withheld_prisoners(db: Session, prisoner_ids: Iterable[str]) -> set[str]:
    """Those of the prisoners whose records are restricted now: not counted."""
    ids = list(set(prisoner_ids))
    if not ids:
        return set()
    return set(db.scalars(select(Restriction.prisoner_id).where(
        Restriction.prisoner_id.in_(ids), Restriction.lifted_at.is_(None))))


def count_decision(db: Session, event: ScreeningEvent, item: ScreeningItem, first: bool) -> None:
    """A decision, where and when it was made; the first one on an item carries its delay.
    None while the prisoner's records are restricted (`restore` counts it at the lifting)."""
    if not withheld_prisoners(db, [item.prisoner_id]):
        _count_decision(db, event, item, first)


def _count_decision(db: Session, event: ScreeningEvent, item: ScreeningItem, first: bool) -> None:
    wing_id = db.scalar(select(Prisoner.wing_id).where(Prisoner.id == item.prisoner_id))
    hours = (event.at - item.opened_at).total_seconds() / 3600 if first else None
    db.add(TrendDecision(event_id=event.id, prison_id=item.prison_id, wing_id=wing_id,
                         decided_at=event.at, outcome=event.outcome, hours_to_first=hours))


def _add(db: Session, model, keys: tuple[str, ...], rows: list[tuple],
         sums: tuple[str, ...]) -> None:
    """Insert new cells (`keys` values, then `sums` values), add to existing ones. Rows go in
    key order, so two concurrent transactions on PostgreSQL lock cells in the same order and
    cannot deadlock.

    Sent as one plain executemany: a batch of 100 observations makes several hundred cells,
    and SQLAlchemy's per-row parameter handling cost more than the database's own work."""
    if not rows:
        return
    table = model.__table__.name
    columns = (*keys, *sums)
    sqlite = db.get_bind().dialect.name == "sqlite"
    mark = "?" if sqlite else "%s"
    sql = (f"INSERT INTO {table} ({', '.join(columns)}) "
           f"VALUES ({', '.join([mark] * len(columns))}) "
           f"ON CONFLICT ({', '.join(c.name for c in model.__table__.primary_key.columns)}) "
           "DO UPDATE SET " + ", ".join(f"{name} = {table}.{name} + excluded.{name}"
                                        for name in sums))
    if sqlite:  # SQLite keeps dates as ISO text, as SQLAlchemy's Date type writes them
        rows = [tuple(v.isoformat() if isinstance(v, date) else v for v in row) for row in rows]
    db.connection().exec_driver_sql(sql, rows)


# --- rebuilding from what is stored (first start after the upgrade, or on an operator's order) --


def missing(db: Session) -> bool:
    """Observations are stored but never counted: a database from before the trends."""
    return (db.scalar(select(TrendWeek.week).limit(1)) is None
            and db.scalar(select(Observation.id).limit(1)) is not None)


_COLUMNS = (Observation.id, Observation.prison_id, Observation.wing_id, Observation.occurred_at,
            Observation.concern, Observation.concern_observation, Observation.indicators,
            Observation.catalogue_version, Observation.flag)


def restricted_now():
    """The prisoners whose records are restricted now, as a subquery: their counts are out."""
    return select(Restriction.prisoner_id).where(Restriction.lifted_at.is_(None))


def rebuild(db: Session, catalogues: Mapping[str, Catalogue], zone: ZoneInfo,
            batch: int = 20_000) -> int:
    """Recount everything from the observations and decisions, but a restricted prisoner's;
    returns observations counted."""
    for model in (TrendWeek, TrendIndicatorWeek, TrendDecision):
        db.execute(delete(model))
    patterns = _pattern_completers(db)
    query = select(*_COLUMNS).where(or_(Observation.prisoner_id.is_(None),
                                       Observation.prisoner_id.not_in(restricted_now())))
    total, chunk = 0, []
    for row in db.execute(query.execution_options(yield_per=batch)).mappings():
        catalogue = catalogues[row["catalogue_version"]]
        immediate = any(catalogue.indicators[code].immediate for code in row["indicators"])
        chunk.append(counted(row, catalogue, row["flag"] or immediate or row["id"] in patterns))
        if len(chunk) >= batch:
            count_observations(db, chunk, zone)
            total, chunk = total + len(chunk), []
    count_observations(db, chunk, zone)
    anonymised = _count_anonymised(db, catalogues, zone)
    _rebuild_decisions(db)
    return total + len(chunk) + anonymised


def _count_anonymised(db: Session, catalogues: Mapping[str, Catalogue], zone: ZoneInfo) -> int:
    """Anonymised observations (issue 12): their tombstones keep what the counts need, with no
    person. Erased ones keep nothing and are not recounted (app/services/erasure.py)."""
    out = []
    for stone in db.scalars(select(ErasedRecord).where(ErasedRecord.action == "anonymise",
                                                       ErasedRecord.week.is_not(None))):
        catalogue = catalogues.get(stone.catalogue_version or "")
        if catalogue is None or stone.prison_id is None or stone.wing_id is None:
            continue
        # noon on the week's Monday, local time: week_of gives that Monday back
        moment = datetime.combine(stone.week, datetime.min.time().replace(hour=12), zone)
        out.append(Counted(
            prison_id=stone.prison_id, wing_id=stone.wing_id, occurred_at=moment,
            concern=stone.concern or "", concern_observation=bool(stone.concern_observation),
            indicators=tuple((code, catalogue.indicators[code].category,
                              catalogue.indicators[code].kind)
                             for code in stone.indicators or () if code in catalogue.indicators),
            flagged=bool(stone.flagged)))
    count_observations(db, out, zone)
    return len(out)


def withdraw(db: Session, prisoner_id: str, catalogues: Mapping[str, Catalogue],
             zone: ZoneInfo) -> int:
    """A restriction is placed: the prisoner's observations leave the counts, their decisions
    the decision rows. Returns the observations taken out."""
    counted_now = _prisoners_counted(db, prisoner_id, catalogues)
    count_observations(db, counted_now, zone, sign=-1)
    decisions = (select(ScreeningEvent.id)
                 .join(ScreeningItem, ScreeningItem.id == ScreeningEvent.item_id)
                 .where(ScreeningItem.prisoner_id == prisoner_id))
    db.execute(delete(TrendDecision).where(TrendDecision.event_id.in_(decisions)))
    return len(counted_now)


def restore(db: Session, prisoner_id: str, catalogues: Mapping[str, Catalogue],
            zone: ZoneInfo) -> int:
    """The restriction is lifted (call after `lifted_at` is set): everything of the prisoner's
    stored now is counted again, as `rebuild` counts it. Returns the observations put back."""
    counted_now = _prisoners_counted(db, prisoner_id, catalogues)
    count_observations(db, counted_now, zone)
    _rebuild_decisions(db, prisoner_id)
    return len(counted_now)


def _prisoners_counted(db: Session, prisoner_id: str,
                       catalogues: Mapping[str, Catalogue]) -> list[Counted]:
    """One prisoner's stored observations as the counts took them in (flags as `rebuild` finds
    them)."""
    patterns = _pattern_completers(db, prisoner_id)
    out = []
    for row in db.execute(select(*_COLUMNS).where(Observation.prisoner_id == prisoner_id)
                          ).mappings():
        catalogue = catalogues[row["catalogue_version"]]
        immediate = any(catalogue.indicators[code].immediate for code in row["indicators"])
        out.append(counted(row, catalogue, row["flag"] or immediate or row["id"] in patterns))
    return out


def _pattern_completers(db: Session, prisoner_id: str | None = None) -> set[str]:
    """For each R3 trigger (of one prisoner's items, if given), the observation whose arrival
    completed the pattern. Within one batch every row has the same arrival time and the batch
    order is not stored, so there the last by id stands in for it: the week may differ from
    ingest's count by that one flag."""
    query = select(ScreeningTrigger.observation_ids).where(
        ScreeningTrigger.rule_id == flag_rules.PATTERN.id)
    if prisoner_id is not None:
        query = query.join(ScreeningItem, ScreeningItem.id == ScreeningTrigger.item_id).where(
            ScreeningItem.prisoner_id == prisoner_id)
    groups = list(db.scalars(query))
    ids = {obs_id for group in groups for obs_id in group}
    received = dict(db.execute(select(Observation.id, Observation.received_at)
                               .where(Observation.id.in_(ids))).all()) if ids else {}
    return {max((received[obs_id], obs_id) for obs_id in group if obs_id in received)[1]
            for group in groups if any(obs_id in received for obs_id in group)}


def _rebuild_decisions(db: Session, prisoner_id: str | None = None) -> None:
    """Decisions as they were recorded (of one prisoner, if given), but a restricted
    prisoner's; the wing is the prisoner's wing today (the event
    itself does not say which wing the prisoner was on when it was made)."""
    decided: set[int] = set()
    query = (select(ScreeningEvent, ScreeningItem)
             .join(ScreeningItem, ScreeningItem.id == ScreeningEvent.item_id)
             .where(ScreeningEvent.kind == "decision",
                    ScreeningItem.prisoner_id.not_in(restricted_now()))
             .order_by(ScreeningEvent.at, ScreeningEvent.id))
    if prisoner_id is not None:
        query = query.where(ScreeningItem.prisoner_id == prisoner_id)
    for event, item in db.execute(query).all():
        _count_decision(db, event, item, first=item.id not in decided)
        decided.add(item.id)
