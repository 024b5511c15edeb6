"""Fuzz over what pages read from the URL and handlers from the browser (issue 9, item 5): the
pure parsing behind the screening and trends pages takes any text, huge, with surrogates, NUL or
numbers out of range, and gives a value the page can use, never an exception."""

from __future__ import annotations

from datetime import UTC, date
from types import SimpleNamespace
from urllib.parse import parse_qsl
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.services.trend_report import Place
from app.services.trends import week_of
from app.views.screening import QueueFilters, start_of_day
from app.views.trends import TrendFilters
from state.screening_common import item_number
from state.screening_queue import ScreeningQueueState
from state.trends import TrendsState
from tests.helpers import T0

ZONE = ZoneInfo("Europe/Belgrade")
PLACES = [Place("p1", "KPZ", "Prison", "w1", "A"), Place("p1", "KPZ", "Prison", "w2", "B")]
CATEGORIES = {"C01": "Grievance", "C02": "Ideology"}
THIS_WEEK = week_of(T0, ZONE)

# Text as a browser could send it in an event, or as a URL decodes: anything, with the awkward
# cases made likely.
awkward = st.sampled_from(["", "0", "-1", "²", "١٢", "9" * 5000, "0001-01-01", "9999-12-31",
                           "0001-01-03", "2026-02-30", "\x00", "\ud800", "12\x00", "x" * 100_000,
                           " 12 ", "1e9", "NaN", "0.5", "+4"])
text = st.one_of(awkward, st.text(max_size=50))
KEYS = ["prison", "wing", "category", "level", "weeks", "end", "status", "held", "overdue", "q"]
params = st.dictionaries(st.sampled_from(KEYS), text)
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))


def round_trips(url: str) -> dict[str, str]:
    return dict(parse_qsl(url.partition("?")[2]))


@FUZZ
@given(params)
def test_queue_filters_take_any_url_and_make_a_url(query: dict[str, str]):
    filters = QueueFilters.from_query(query)
    assert QueueFilters.from_query(round_trips(filters.to_url("/screening"))) == filters


@FUZZ
@given(params)
def test_trend_filters_take_any_url_and_make_a_report_filter(query: dict[str, str]):
    filters = TrendFilters.from_query(query, PLACES, CATEGORIES, THIS_WEEK)
    report = filters.for_report(PLACES, THIS_WEEK)
    assert report.previous_first_week <= report.first_week <= THIS_WEEK
    assert TrendFilters.from_query(round_trips(filters.to_url("/trends")), PLACES, CATEGORIES,
                                   THIS_WEEK) == filters


@FUZZ
@given(st.one_of(text, st.integers(), st.floats(), st.none(), st.booleans()))
def test_item_numbers_from_the_browser_are_a_number_or_none(value: object):
    number = item_number(value)
    assert number is None or 0 <= number < 10**12


@FUZZ
@given(text)
def test_a_review_date_is_a_day_that_exists_in_utc_or_none(value: str):
    day = start_of_day(value, ZONE)
    assert day is None or day.astimezone(UTC).date() >= date.min


# --- the filter handlers themselves, on a stand-in for the state (they only make a URL) -------

def stand_in(state_class: type, **fields: object) -> SimpleNamespace:
    page = SimpleNamespace(**fields)
    page._show = lambda **changes: state_class._show(page, **changes)
    return page


def run(state_class: type, handler: str, page: SimpleNamespace, argument: object) -> str:
    redirect = state_class.event_handlers[handler].fn(page, argument)
    return str(redirect)


anything = st.one_of(text, st.integers(), st.floats(), st.none(), st.booleans(),
                     st.dictionaries(st.sampled_from(["q", "end", "x"]), text))


@FUZZ
@given(st.sampled_from(["filter_prison", "filter_wing", "filter_category", "filter_level",
                        "filter_weeks", "filter_end"]), anything)
def test_trend_filter_handlers_take_any_argument(handler: str, argument: object):
    page = stand_in(TrendsState, prison="", wing="", category="", level="", weeks="12", end="")
    argument = argument if handler != "filter_end" or isinstance(argument, dict) else {}
    assert "/trends" in run(TrendsState, handler, page, argument)


@FUZZ
@given(st.sampled_from(["filter_wing", "filter_status", "filter_held", "filter_overdue",
                        "search_for"]), anything)
def test_queue_filter_handlers_take_any_argument(handler: str, argument: object):
    page = stand_in(ScreeningQueueState, wing="", status="any", overdue=False, held="anyone",
                    search="")
    argument = argument if handler != "search_for" or isinstance(argument, dict) else {}
    assert "/screening" in run(ScreeningQueueState, handler, page, argument)
