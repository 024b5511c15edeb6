"""Benchmark (not a test): server time of a security head's trends page data on a database the size
of a national service: 1 000 000 observations about 20 000 prisoners in 6 prisons over 3 years,
made by bench/screening.py (same generator, same data, same `--keep` databases).

    .venv/bin/python bench/trends.py [--scale 1.0] [--repeat 50] [--keep DIR]

The page reads only the rollup tables (trend_week, trend_indicator_week, trend_decision; see
app/services/trends.py) that the ingest and decision transactions keep. The generator bulk-inserts
observations and screening events without the ingest path, so the rollups are recounted here once
with `trends.rebuild`, after generating or when a kept database has never been counted (the time
it took is printed).

Measured, as the page calls them (state/trends.py `_build`): `trend_report.places` and
`trend_report.report` together in one unit of work, for a security head of the prison with the
most observations and for a security head of the central service (no prison: every prison):

1. default: the prison's head, the last 12 weeks, no other filter;
2. the same view's panels (`_weeks`, `_wings`, `_categories`, `_risers`, `_screening`,
   `_outcomes`, and `places`), each alone in its own unit of work, to show the slowest part;
3. every prison, 12 weeks;  4. every prison, 156 weeks (the longest period offered);
5. one prison, 52 weeks, one wing, category C03, concern "high";  6. one prison, 156 weeks.

Each view is timed --repeat times after 5 warm-up calls; p50 and p95 are compared with the
target of 250 ms p95. For each of views 3-6 the slowest panel is named (panels timed the same
way). Beside them: a plain GROUP BY over the whole observation table answering the same question
without rollups (median of a few runs), to show what the rollups save. `--keep DIR` keeps the
database and keys in DIR and reuses them on the next run (delete DIR to generate afresh).
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from app.db import unit_of_work
from app.models import (
    Observation,
    Prison,
    ScreeningEvent,
    ScreeningItem,
    TrendDecision,
    TrendIndicatorWeek,
    TrendWeek,
)
from app.services import catalogue, trend_report, trends
from app.services.accounts import Identity
from app.services.trend_report import Filters
from app.vocabulary import Role
from bench.screening import NOW, arguments, national_database, summary, timed

ZONE = ZoneInfo("Europe/Belgrade")
TARGET_MS = 250.0
PLAIN_RUNS = 3  # the GROUP BY over every observation takes seconds: a few runs, the median
PLAIN_SQL = ("SELECT prison_id, wing_id, strftime('%Y-%W', occurred_at), concern, count(*) "
             "FROM observation GROUP BY 1, 2, 3, 4")


def head(prison_id: str | None) -> Identity:
    """A security head of one prison, or of the central service (every prison)."""
    return Identity(user_id=f"bench-head-{prison_id or 'central'}", username="bench-head",
                    display_name="Bench Head", role=Role.SECURITY_HEAD, prison_id=prison_id,
                    wing_ids=())


def p95_ms(samples: list[float]) -> float:
    return statistics.quantiles([s * 1000 for s in samples], n=20, method="inclusive")[18]


def ensure_counted() -> None:
    """Fill the trend tables from the bulk-inserted rows, once (timed)."""
    with unit_of_work() as db:
        uncounted = trends.missing(db)
    if not uncounted:
        print("trend tables already counted")
        return
    start = time.perf_counter()
    with unit_of_work() as db:
        counted = trends.rebuild(db, catalogue.catalogues(), ZONE)
    print(f"trends.rebuild: {counted:,} observations counted in "
          f"{time.perf_counter() - start:.1f} s")


def panels(who: Identity, filters: Filters) -> dict[str, Callable[[], Any]]:
    """Each part of the page's data on its own, in its own unit of work."""
    with unit_of_work() as db:
        allowed = trend_report.places(db, who)
    prisons = trend_report._prisons_in_view(allowed, filters)
    wings = [p.wing_id for p in allowed if p.prison_id in prisons
             and filters.wing_id in (None, p.wing_id)]

    def alone(part: Callable[[Any], Any]) -> Callable[[], Any]:
        def call() -> Any:
            with unit_of_work() as db:
                return part(db)
        return call

    return {
        "places": alone(lambda db: trend_report.places(db, who)),
        "weeks": alone(lambda db: trend_report._weeks(db, prisons, filters)),
        "wings": alone(lambda db: trend_report._wings(db, prisons, wings, filters)),
        "categories": alone(lambda db: trend_report._categories(db, prisons, filters)),
        "risers": alone(lambda db: trend_report._risers(db, prisons, filters)),
        "screening": alone(lambda db: trend_report._screening(db, prisons, filters, NOW, ZONE)),
        "outcomes": alone(lambda db: trend_report._outcomes(db, prisons, filters, ZONE)),
    }


def page(who: Identity, filters: Filters) -> Callable[[], trend_report.Report]:
    """What the page reads for one view: the places, then the report, in one unit of work."""
    def call() -> trend_report.Report:
        with unit_of_work() as db:
            return trend_report.report(db, trend_report.places(db, who), filters, NOW, ZONE)
    return call


def measure(repeat: int) -> None:
    this_week = trends.week_of(NOW, ZONE)
    with unit_of_work() as db:
        counts = {name: db.scalar(select(func.count()).select_from(model)) for name, model in
                  (("prisons", Prison), ("observations", Observation),
                   ("screening items", ScreeningItem), ("screening events", ScreeningEvent),
                   ("trend_week rows", TrendWeek),
                   ("trend_indicator_week rows", TrendIndicatorWeek),
                   ("trend_decision rows", TrendDecision))}
        counted = db.scalar(select(func.sum(TrendWeek.observations))
                            .where(TrendWeek.category == trends.ALL,
                                   TrendWeek.wing_id == trends.ALL))
        prison_id, observed = db.execute(
            select(TrendWeek.prison_id, func.sum(TrendWeek.observations))
            .where(TrendWeek.category == trends.ALL, TrendWeek.wing_id == trends.ALL)
            .group_by(TrendWeek.prison_id).order_by(func.sum(TrendWeek.observations).desc())
            .limit(1)).one()
        code = db.scalar(select(Prison.code).where(Prison.id == prison_id))
        wing = next(p for p in trend_report.places(db, head(prison_id)))
    print(", ".join(f"{n:,} {name}" for name, n in counts.items()))
    if counted != counts["observations"]:
        print(f"WARNING: the rollups count {counted:,} observations, the table holds "
              f"{counts['observations']:,}")
    print(f"measured prison: {code}, {observed:,} observations; wing for view 5: "
          f"{wing.wing_code}; this week: {this_week}; now: {NOW:%Y-%m-%d %H:%M} UTC; "
          f"repeat {repeat}")

    local, central = head(prison_id), head(None)
    views = [
        ("1 default: one prison, 12 weeks", local,
         Filters(last_week=this_week, weeks=12, prison_id=prison_id)),
        ("3 all prisons, 12 weeks", central, Filters(last_week=this_week, weeks=12)),
        ("4 all prisons, 156 weeks", central, Filters(last_week=this_week, weeks=156)),
        ("5 one prison, 52 w, wing+C03+high", local,
         Filters(last_week=this_week, weeks=52, prison_id=prison_id, wing_id=wing.wing_id,
                 category="C03", concern="high")),
        ("6 one prison, 156 weeks", local,
         Filters(last_week=this_week, weeks=156, prison_id=prison_id)),
    ]
    rows: list[tuple[str, list[float], str]] = []
    for name, who, filters in views:
        parts = {part: timed(call, repeat) for part, call in panels(who, filters).items()}
        rows.append((name, timed(page(who, filters), repeat), ""))
        if name.startswith("1 "):
            rows += [(f"  2 panel {part}", samples, "") for part, samples in parts.items()]
        else:
            slowest = max(parts, key=lambda part: statistics.median(parts[part]))
            note = (f"slowest panel: {slowest} "
                    f"(p50 {statistics.median(parts[slowest]) * 1000:.1f} ms)")
            rows[-1] = (name, rows[-1][1], note)

    with unit_of_work() as db:
        plain = []
        for _ in range(PLAIN_RUNS):
            start = time.perf_counter()
            groups = len(db.execute(text(PLAIN_SQL)).all())
            plain.append(time.perf_counter() - start)

    print()
    print(f"{'view':<36} {'timing (server, unit of work each)':<48} {'p95 <= 250 ms':<14}")
    for name, samples, note in rows:
        met = "yes" if p95_ms(samples) <= TARGET_MS else "NO"
        print(f"{name:<36} {summary(samples):<48} {met:<14}{note}")
    print(f"{'no rollups: GROUP BY observation':<36} median of {PLAIN_RUNS}: "
          f"{statistics.median(plain) * 1000:,.0f} ms ({groups:,} groups: prison x wing x "
          f"week x concern, whole table)")


def main() -> None:
    args = arguments(__doc__)
    with national_database(args.keep, args.scale):
        ensure_counted()
        measure(args.repeat)


if __name__ == "__main__":
    main()
