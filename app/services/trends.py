"""Trend counts, kept up to date as observations and decisions are stored.

A security head's page must answer in a fraction of a second over years of data, and a GROUP BY
over every observation takes about a second. So the ingest and decision transactions add to small
rollup tables (app/models.py, "trends"), and the page reads only those (app/services/
trend_report.py). Each write is an upsert that adds to the stored count (`n = n + excluded.n`),
which SQLite and PostgreSQL both apply atomically: concurrent batches never lose a count, and a
rolled-back batch takes its counts with it.

What counts as a flag: an observation that raised one when it arrived, by the officer's manual
flag (R1), an immediate indicator (R2) or by completing a pattern (R3).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.models import (
    Observation,
    Prisoner,
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


def count_observations(db: Session, observations: Iterable[Counted], zone: ZoneInfo) -> None:
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
                weeks[key] += 1
                flags[key] += obs.flagged
            for concern in (obs.concern, ALL):
                for code, category, _ in obs.indicators:
                    ticks[(obs.prison_id, wing, concern, week, code, category)] += 1
    _add(db, TrendWeek, ("prison_id", "wing_id", "category", "week", "kind", "concern"),
         [(*key, n, flags[key]) for key, n in sorted(weeks.items())],
         ("observations", "flagged"))
    _add(db, TrendIndicatorWeek, ("prison_id", "wing_id", "concern", "week", "indicator",
                                  "category"),
         [(*key, n) for key, n in sorted(ticks.items())], ("observations",))


def count_decision(db: Session, event: ScreeningEvent, item: ScreeningItem, first: bool) -> None:
    """A decision, where and when it was made; the first one on an item carries its delay."""
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


def rebuild(db: Session, catalogues: Mapping[str, Catalogue], zone: ZoneInfo,
            batch: int = 20_000) -> int:
    """Recount everything from the observations and decisions; returns observations counted."""
    for model in (TrendWeek, TrendIndicatorWeek, TrendDecision):
        db.execute(delete(model))
    patterns = _pattern_completers(db)
    columns = (Observation.id, Observation.prison_id, Observation.wing_id,
               Observation.occurred_at, Observation.concern, Observation.concern_observation,
               Observation.indicators, Observation.catalogue_version, Observation.flag)
    total, chunk = 0, []
    for row in db.execute(select(*columns).execution_options(yield_per=batch)).mappings():
        catalogue = catalogues[row["catalogue_version"]]
        immediate = any(catalogue.indicators[code].immediate for code in row["indicators"])
        chunk.append(counted(row, catalogue, row["flag"] or immediate or row["id"] in patterns))
        if len(chunk) >= batch:
            count_observations(db, chunk, zone)
            total, chunk = total + len(chunk), []
    count_observations(db, chunk, zone)
    _rebuild_decisions(db)
    return total + len(chunk)


def _pattern_completers(db: Session) -> set[str]:
    """For each R3 trigger, the observation whose arrival completed the pattern. Within one
    batch every row has the same arrival time and the batch order is not stored, so there the
    last by id stands in for it: the week may differ from ingest's count by that one flag."""
    groups = list(db.scalars(select(ScreeningTrigger.observation_ids)
                             .where(ScreeningTrigger.rule_id == flag_rules.PATTERN.id)))
    ids = {obs_id for group in groups for obs_id in group}
    received = dict(db.execute(select(Observation.id, Observation.received_at)
                               .where(Observation.id.in_(ids))).all()) if ids else {}
    return {max((received[obs_id], obs_id) for obs_id in group if obs_id in received)[1]
            for group in groups if any(obs_id in received for obs_id in group)}


def _rebuild_decisions(db: Session) -> None:
    """Decisions as they were recorded; the wing is the prisoner's wing today (the event
    itself does not say which wing the prisoner was on when it was made)."""
    decided: set[int] = set()
    query = (select(ScreeningEvent, ScreeningItem)
             .join(ScreeningItem, ScreeningItem.id == ScreeningEvent.item_id)
             .where(ScreeningEvent.kind == "decision")
             .order_by(ScreeningEvent.at, ScreeningEvent.id))
    for event, item in db.execute(query).all():
        count_decision(db, event, item, first=item.id not in decided)
        decided.add(item.id)
