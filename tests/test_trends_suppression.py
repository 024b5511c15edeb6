"""Complementary suppression (issue 9, item 8), checked from the outside: over random prisons,
weeks and wings, no count the trends view withholds can be worked out by one subtraction within
what it shows — a row's "All" minus its other cells, a column's total (the tiles) minus the
shown weeks or wings, or a total it equals.

The relations are written here from what the page means, not taken from the view's code, so
the test fails if the view forgets one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from app.i18n.locales import Locale
from app.i18n.messages import Messages
from app.services import catalogue
from app.services.trend_report import (
    CategoryCount,
    Filters,
    Place,
    Report,
    ScreeningSummary,
    WeekCount,
    WingCount,
)
from app.views.suppression import Figures
from app.views.trends import TrendFilters, TrendsView, to_csv, trends_view
from tests.test_screening_views import ZONE
from tests.test_trends_views import csv_rows

THIS_WEEK = date(2026, 11, 16)


@dataclass(frozen=True)
class Case:
    """Counts per wing and week; `only_concern` is the view filtered to one concern category."""
    grid: list[list[tuple[int, int, int]]]  # [wing][week] = (concern, protective, flagged)
    only_concern: bool


# Mostly small numbers, so that rows and columns mix withheld, shown and zero cells.
COUNT = st.one_of(st.integers(0, 6), st.integers(0, 40))


@st.composite
def cases(draw) -> Case:
    wings, weeks = draw(st.integers(1, 3)), draw(st.integers(1, 5))
    only_concern = draw(st.booleans())
    grid = []
    for _ in range(wings):
        row = []
        for _ in range(weeks):
            concern, protective = draw(COUNT), 0 if only_concern else draw(COUNT)
            row.append((concern, protective, draw(st.integers(0, concern + protective))))
        grid.append(row)
    return Case(grid, only_concern)


def build(case: Case) -> tuple[TrendsView, Report]:
    weeks = len(case.grid[0])
    category = "C03" if case.only_concern else None
    f = Filters(last_week=THIS_WEEK, weeks=weeks, prison_id="p1", category=category)
    places = [Place("p1", "DPC", "Demo", f"w{n}", "ABC"[n]) for n in range(len(case.grid))]
    by_week = [WeekCount(f.first_week + timedelta(weeks=i),
                         concern=sum(w[i][0] for w in case.grid),
                         protective=sum(w[i][1] for w in case.grid),
                         flagged=sum(w[i][2] for w in case.grid)) for i in range(weeks)]
    total = sum(w.total for w in by_week)
    report = Report(
        filters=f, weeks=by_week,
        wings=[WingCount(f"w{n}", sum(c for c, _, _ in w), sum(p for _, p, _ in w))
               for n, w in enumerate(case.grid)],
        # every entry names one category: C03 for concerns, C11 for protective ones
        categories=[CategoryCount("C03", "concern", total, 7)] if category
        else [CategoryCount("C03", "concern", sum(w.concern for w in by_week), 3),
              CategoryCount("C11", "protective", sum(w.protective for w in by_week), 8)],
        risers=[], screening=ScreeningSummary(open_now=0, awaiting_decision=0, overdue=0))
    view = trends_view(report, places, catalogue.current(),
                       TrendFilters(prison="DPC", category=category or "", weeks=12),
                       Figures(Messages(Locale.EN, ZONE)))
    return view, report


def number(cell: str) -> int | None:
    """What a reader can take from a cell: its count, or None if withheld."""
    digits = cell.replace(",", "")
    return int(digits) if digits.isdigit() else None


def relations(view: TrendsView, filtered: bool) -> list[tuple[str, list[str]]]:
    """Every (total, parts) the page shows, as the cells' text."""
    tiles = {t.label: t.value for t in view.tiles}
    weekly, flags, wings = view.weekly.rows, view.flags.rows, view.wings.rows
    found = [(row[3], row[1:3]) for row in weekly]  # All = Concern + Protective
    found += [(f[1], [w[3]]) for w, f in zip(weekly, flags, strict=True)]  # the same number
    found += [(tiles["Concern"], [r[1] for r in weekly]),
              (tiles["Protective"], [r[2] for r in weekly]),
              (tiles["Observations"], [r[3] for r in weekly]),
              (tiles["Observations"], [r[1] for r in flags]),
              (tiles["Flagged"], [r[2] for r in flags]),
              (tiles["Observations"], [tiles["Concern"], tiles["Protective"]]),
              (tiles["Concern"], [r[1] for r in wings]),
              (tiles["Protective"], [r[2] for r in wings])]
    if filtered:  # the one category's count this period is the period's total
        found.append((tiles["Observations"], [view.categories.rows[0][2]]))
    # Every concern entry names a concern category, so with one such category not "0" its count
    # is the Concern tile; with no concerns at all, the same holds for the protective ones.
    for kind in ("Concern", "Protective"):
        rows = [r[2] for r in view.categories.rows if r[1] == kind and r[2] != "0"]
        if len(rows) == 1 and (kind == "Concern" or tiles["Concern"] == "0"):
            found.append((tiles[kind], rows))
    return found


@settings(max_examples=300, deadline=None)
@given(cases())
def test_no_withheld_count_falls_out_of_one_subtraction(case: Case):
    view, _ = build(case)
    for total, parts in relations(view, case.only_concern):
        withheld = [cell for cell in [total, *parts] if number(cell) is None]
        assert len(withheld) != 1, (total, parts)


@settings(max_examples=200, deadline=None)
@given(cases())
def test_what_is_shown_is_true_and_small_counts_are_never_shown(case: Case):
    view, report = build(case)
    truth = [[w.concern, w.protective, w.total] for w in report.weeks]
    for row, true in zip(view.weekly.rows, truth, strict=True):
        for cell, n in zip(row[1:], true, strict=True):
            assert number(cell) in (n, None)
            assert cell != "<5" or 1 <= n <= 4  # "<5" is never said of another count
            assert (cell == "0") == (n == 0)  # a zero is a real zero: shown, and never hidden


@settings(max_examples=200, deadline=None)
@given(cases())
def test_charts_shares_and_changes_follow_the_tables(case: Case):
    view, _ = build(case)
    for row, flags, point in zip(view.weekly.rows, view.flags.rows, view.weekly_chart,
                                 strict=True):
        assert [point["concern"], point["protective"], point["flagged"]] == [
            number(row[1]), number(row[2]), number(flags[2])]
        if flags[3] != "–":  # a share and one of its two counts would give the other
            assert number(flags[1]) is not None and number(flags[2]) is not None
    for row, point in zip(view.wings.rows, view.wing_chart, strict=True):
        assert [point["concern"], point["protective"]] == [number(row[1]), number(row[2])]
    for row, point in zip(view.categories.rows, view.category_chart, strict=True):
        assert [point["current"], point["previous"]] == [number(row[2]),
                                                                   number(row[3])]
        if row[4] != "–":
            assert number(row[2]) is not None and number(row[3]) is not None
    tiles = {t.label: t for t in view.tiles}
    if tiles["Flagged"].note:
        assert None not in (number(tiles["Flagged"].value), number(tiles["Observations"].value))


@settings(max_examples=50, deadline=None)
@given(cases())
def test_the_csv_carries_the_views_tables(case: Case):
    view, _ = build(case)
    rows = csv_rows(to_csv(view))
    for table in view.tables():
        start = rows.index(table.headers)
        assert rows[start + 1:start + 1 + len(table.rows)] == table.rows
