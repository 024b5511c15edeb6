"""What leaves the server from the trends page: counts from 1 to 4 never do, filters round-trip
through the URL, and the CSV says what the page says."""

from __future__ import annotations

import csv
import io
from dataclasses import asdict
from datetime import date, timedelta

from app.services import catalogue
from app.services.trend_report import (
    CategoryCount,
    Filters,
    IndicatorRise,
    Place,
    Report,
    ScreeningSummary,
    WeekCount,
    WingCount,
)
from app.views.trends import TrendFilters, to_csv, trends_view

THIS_WEEK = date(2026, 11, 16)
PLACES = [Place("p1", "DPC", "Demo Penitentiary Centre", "w1", "A"),
          Place("p1", "DPC", "Demo Penitentiary Centre", "w2", "B"),
          Place("p2", "KPZ", "Other prison", "w3", "A")]


def small_numbers_report() -> Report:
    f = Filters(last_week=THIS_WEEK, weeks=3, prison_id="p1")
    return Report(
        filters=f,
        weeks=[WeekCount(f.first_week, concern=3, protective=0, flagged=2),
               WeekCount(f.first_week + timedelta(weeks=1), concern=40, protective=7, flagged=4),
               WeekCount(THIS_WEEK, concern=12, protective=1, flagged=0)],
        wings=[WingCount("w1", 51, 4), WingCount("w2", 4, 4)],
        categories=[CategoryCount("C03", "concern", 9, 2), CategoryCount("C11", "protective", 3, 8)],
        risers=[IndicatorRise("C01.1", "C01", 20, 6), IndicatorRise("C03.1", "C03", 9, 1),
                IndicatorRise("C04.2", "C04", 4, 0)],  # largest rise first, as the service gives
        screening=ScreeningSummary(open_now=3, awaiting_decision=2, overdue=1, decided=3,
                                   within_target=1, median_hours=80.0, p90_hours=90.0),
        outcomes={"no_further_action": 2, "monitor": 11},
    )


def _strings_and_numbers(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from _strings_and_numbers(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings_and_numbers(item)
    else:
        yield value


def test_counts_from_1_to_4_never_leave_the_server():
    view = trends_view(small_numbers_report(), PLACES, catalogue.current(),
                       TrendFilters(prison="DPC"))
    values = list(_strings_and_numbers(asdict(view)))
    assert not [v for v in values if isinstance(v, int) and not isinstance(v, bool)
                and 1 <= v <= 4]
    assert not [v for v in values if isinstance(v, str) and v.strip() in {"1", "2", "3", "4"}]
    assert "<5" in values
    rows = {row[0]: row[1:] for row in view.flags.rows}
    # 12 concern and 1 protective that week: its 13 would give the 1 away (see below)
    assert rows["16 Nov 2026"] == ["–", "0", "–"]
    assert view.flags.rows[1][1:] == ["47", "<5", "–"]  # a share would tell the small count
    screening = dict(view.screening.rows)
    assert screening["Median time to first decision"] == "–"  # fewer than 5 decisions
    assert [row[0] for row in view.risers.rows] == [
        catalogue.current().indicators["C01.1"].label,
        catalogue.current().indicators["C03.1"].label]  # a rise to "<5" is not ranked
    assert view.risers.rows[1][-1] == "–"  # from "<5" the change would tell the count


def test_a_small_count_cannot_be_worked_out_from_its_row_or_column():
    """The issue's case: "All" 12 and "Concern" 9 beside "<5" gave the 3 away."""
    f = Filters(last_week=THIS_WEEK, weeks=2, prison_id="p1")
    report = Report(filters=f, weeks=[WeekCount(f.first_week, concern=9, protective=3),
                                      WeekCount(THIS_WEEK, concern=20, protective=30)],
                    wings=[WingCount("w1", 29, 33)], categories=[], risers=[],
                    screening=ScreeningSummary(open_now=0, awaiting_decision=0, overdue=0))
    view = trends_view(report, PLACES, catalogue.current(), TrendFilters(prison="DPC"))
    # the next smallest in the row goes, then in each column the smallest that keeps it hidden
    assert [row[1:] for row in view.weekly.rows] == [["–", "<5", "12"], ["–", "–", "50"]]
    assert [(t.label, t.value) for t in view.tiles[:3]] == [
        ("Observations", "62"), ("Concern", "29"), ("Protective", "33")]
    assert view.weekly_chart[1]["Protective"] is None  # the chart withholds what the table does
    assert [row[1:] for row in view.wings.rows] == [["29", "33"], ["0", "0"]]  # zeros stay


def test_the_weekly_chart_leaves_a_gap_where_a_count_is_small():
    view = trends_view(small_numbers_report(), PLACES, catalogue.current(),
                       TrendFilters(prison="DPC"))
    assert view.weekly_chart[0] == {"week": "2 Nov", "Concern": None, "Protective": 0,
                                    "Flagged": None}
    assert [row[0] for row in view.wings.rows] == ["Wing A", "Wing B"]  # wings of the prison


def test_the_csv_is_the_page_with_its_filters():
    view = trends_view(small_numbers_report(), PLACES, catalogue.current(),
                       TrendFilters(prison="DPC", weeks=26))
    rows = list(csv.reader(io.StringIO(to_csv(view))))
    assert rows[0][1].startswith("Demo Penitentiary Centre · all wings")
    assert ["Observations per week"] in rows and ["Week of", "Concern", "Protective", "All"] in rows
    assert not {cell for row in rows for cell in row} & {"1", "2", "3", "4"}


def test_filters_round_trip_through_the_url():
    labels = {c.code: c.label for c in catalogue.current().categories}
    f = TrendFilters(prison="DPC", wing="B", category="C03", level="high", weeks=52,
                     end="2026-10-05")
    url = f.to_url("/trends")
    assert url == "/trends?prison=DPC&wing=B&category=C03&level=high&weeks=52&end=2026-10-05"
    query = dict(part.split("=") for part in url.split("?")[1].split("&"))
    assert TrendFilters.from_query(query, PLACES, labels, THIS_WEEK) == f
    report_filters = f.for_report(PLACES, THIS_WEEK)
    assert (report_filters.prison_id, report_filters.wing_id, report_filters.last_week,
            report_filters.first_week) == ("p1", "w2", date(2026, 10, 5), date(2025, 10, 13))


def test_what_the_page_does_not_offer_falls_back_to_everything():
    labels = {c.code: c.label for c in catalogue.current().categories}
    odd = {"prison": "NOPE", "wing": "A", "category": "C99", "level": "extreme",
           "weeks": "1000", "end": "2027-01-01"}
    assert TrendFilters.from_query(odd, PLACES, labels, THIS_WEEK) == TrendFilters()
    one_prison = [p for p in PLACES if p.prison_id == "p1"]
    assert TrendFilters.from_query({"wing": "A", "end": "2026-11-18"}, one_prison, labels,
                                   THIS_WEEK) == TrendFilters(prison="DPC", wing="A")
    assert TrendFilters.from_query({"end": "2026-11-11"}, one_prison, labels,
                                   THIS_WEEK).end == "2026-11-09"  # the Monday of that week
