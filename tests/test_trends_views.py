"""What leaves the server from the trends page: counts from 1 to 4 never do, filters round-trip
through the URL, and the CSV says what the page says."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import asdict
from datetime import date, timedelta

import pytest

from app.i18n.locales import Locale
from app.i18n.messages import Messages
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
from app.views.suppression import Figures
from app.views.trends import THIS_WEEK as THIS_WEEK_CHOICE
from app.views.trends import TrendFilters, end_choices, to_csv, trends_view
from tests.test_screening_views import ZONE

THIS_WEEK = date(2026, 11, 16)
ENGLISH = Figures(Messages(Locale.EN, ZONE))
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


def csv_rows(data: bytes) -> list[list[str]]:
    """The file as Excel reads it: UTF-8 with its byte order mark."""
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


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
                       TrendFilters(prison="DPC"), ENGLISH)
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
    view = trends_view(report, PLACES, catalogue.current(), TrendFilters(prison="DPC"), ENGLISH)
    # the next smallest in the row goes, then in each column the smallest that keeps it hidden
    assert [row[1:] for row in view.weekly.rows] == [["–", "<5", "12"], ["–", "–", "50"]]
    assert [(t.label, t.value) for t in view.tiles[:3]] == [
        ("Observations", "62"), ("Concern", "29"), ("Protective", "33")]
    assert view.weekly_chart[1]["protective"] is None  # the chart withholds what the table does
    assert [row[1:] for row in view.wings.rows] == [["29", "33"], ["0", "0"]]  # zeros stay


def test_the_weekly_chart_leaves_a_gap_where_a_count_is_small():
    view = trends_view(small_numbers_report(), PLACES, catalogue.current(),
                       TrendFilters(prison="DPC"), ENGLISH)
    assert view.weekly_chart[0] == {"week": "2 Nov", "concern": None, "protective": 0,
                                    "flagged": None}
    assert [row[0] for row in view.wings.rows] == ["Wing A", "Wing B"]  # wings of the prison


def test_the_csv_is_the_page_with_its_filters():
    view = trends_view(small_numbers_report(), PLACES, catalogue.current(),
                       TrendFilters(prison="DPC", weeks=26), ENGLISH)
    rows = csv_rows(to_csv(view))
    assert rows[0][1].startswith("Demo Penitentiary Centre · All wings")
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


# --- in the reader's language (issue 10) --------------------------------------------------


def big_numbers_report() -> Report:
    """Counts over a thousand, so the locale's digit grouping shows."""
    f = Filters(last_week=THIS_WEEK, weeks=2, prison_id="p1")
    return Report(
        filters=f,
        weeks=[WeekCount(f.first_week, concern=1234, protective=600, flagged=300),
               WeekCount(THIS_WEEK, concern=2000, protective=800, flagged=700)],
        wings=[WingCount("w1", 3234, 1400)],
        categories=[CategoryCount("C01", "concern", 3234, 1000),
                    CategoryCount("C11", "protective", 1400, 1500)],
        risers=[IndicatorRise("C01.1", "C01", 1500, 200)],
        screening=ScreeningSummary(open_now=12, awaiting_decision=7, overdue=5, decided=40,
                                   within_target=30, median_hours=20.4, p90_hours=1.0),
        outcomes={"monitor": 25, "refer_assessment": 15},
    )


def view_in(locale: Locale, *, plain: bool = False):
    return trends_view(big_numbers_report(), PLACES, catalogue.current(),
                       TrendFilters(prison="DPC", level="high"),
                       Figures(Messages(locale, ZONE), plain=plain))


@pytest.mark.parametrize(("locale", "thousands", "week"), [
    (Locale.EN, "1,234", "9 Nov 2026"),
    (Locale.MK, "1.234", "9 ное. 2026\u202fг."),
    (Locale.SQ, "1\xa0234", "9 nën 2026"),
    (Locale.SR_CYRL, "1.234", "9. 11. 2026."),
], ids=str)
def test_numbers_and_dates_are_written_as_the_readers_locale_writes_them(
        locale: Locale, thousands: str, week: str):
    view = view_in(locale)
    assert view.weekly.rows[0][:2] == [week, thousands]  # never 11/2/2026, never 1234 in mk
    words = Messages(locale, ZONE)
    assert view.flags.rows[0][3] == words.percent(300 / 1834, digits=1)  # 16,4 %, as the locale writes it
    assert view.categories.rows[0][-1] == "+" + words.number(2234)
    assert view.categories.rows[-1][-1] == words.number(-100)
    assert dict(view.screening.rows)[words.t("Median time to first decision")] == words.tn(
        "{count} hour", "{count} hours", 20)


@pytest.mark.parametrize("locale", [Locale.MK, Locale.SR_CYRL, Locale.PSEUDO], ids=str)
def test_every_word_of_the_view_is_the_readers_language(locale: Locale):
    words = Messages(locale, ZONE)
    view = view_in(locale)
    assert view.weekly.title == words.t("Observations per week")
    assert view.weekly.headers == [words.t(h) for h in ("Week of", "Concern", "Protective", "All")]
    assert [t.label for t in view.tiles] == [words.t(h) for h in (
        "Observations", "Concern", "Protective", "Flagged")]
    assert view.tiles[0].note == words.tn("{count} week", "{count} weeks", 2)
    # indicator and category names from the catalogue in the reader's locale
    assert view.categories.rows[0][:2] == [catalogue.current().text(locale.value, "C01"),
                                           words.t("Concern")]
    assert view.risers.rows[0][:2] == [catalogue.current().text(locale.value, "C01.1"),
                                       words.t("Support for violence")]
    assert view.category_chart[0]["category"] == words.t("Support for violence")
    assert [point["outcome"] for point in view.outcome_chart] == [
        words.t("Monitor"), words.t("Refer for risk and needs assessment")]
    assert view.scope == " · ".join(["Demo Penitentiary Centre", words.t("All wings"),
                                     words.t("All categories"),
                                     words.t("Concern level: {level}", level=words.t("High"))])
    assert view.period == words.tn(
        "{count} week: {first} to {last}, compared with the week before",
        "{count} weeks: {first} to {last}, compared with the {count} weeks before", 2,
        first=words.day(date(2026, 11, 9)), last=words.day(date(2026, 11, 22)))


def test_in_the_pseudo_locale_no_english_is_left_in_the_view():
    """Every text is bracketed; what is left outside brackets is data: numbers, dates, names."""
    view = view_in(Locale.PSEUDO)
    texts = [v for v in _strings_and_numbers(asdict(view)) if isinstance(v, str)]
    names = {"Demo", "Penitentiary", "Centre", "Nov"}  # a prison's name, CLDR's month
    for text in texts:
        outside = re.sub(r"⟦[^⟦⟧]*(?:⟦[^⟦⟧]*⟧[^⟦⟧]*)*⟧", "", text)
        words_left = set(re.findall(r"[A-Za-z]{2,}", outside)) - names
        assert not words_left, text


def test_the_csv_has_the_readers_words_and_plain_digits_for_machines():
    words = Messages(Locale.MK, ZONE)
    rows = csv_rows(to_csv(view_in(Locale.MK, plain=True)))
    assert rows[0][0] == words.t("Wingwatch trends")
    assert [words.t("Week of"), words.t("Concern"), words.t("Protective"), words.t("All")] in rows
    start = rows.index([words.t("Observations per week")])
    assert rows[start + 2] == ["2026-11-09", "1234", "600", "1834"]  # ISO dates, no grouping
    flags = rows[rows.index([words.t("Flags per week")]) + 2]
    assert flags[3] == "16.4%"
    category = rows[rows.index([words.t("Observations by indicator category")]) + 2]
    assert category[0] == catalogue.current().text("mk", "C01") and category[-1] == "+2234"


def test_the_period_end_is_a_list_of_weeks_in_the_readers_words():
    words = Messages(Locale.SR_CYRL, ZONE)
    choices = end_choices(words, THIS_WEEK, "")
    assert choices[0] == [THIS_WEEK_CHOICE, words.t("This week")]
    assert choices[1] == ["2026-11-09", "09.–15. нов 2026."]  # newest first, CLDR's span
    assert len(choices) == 1 + 156 and choices[-1][0] == "2023-11-20"
    older = end_choices(words, THIS_WEEK, "2020-01-06")  # a URL's week beyond the list
    assert older[-1] == ["2020-01-06", "06.–12. јан 2020."]
