"""Fuzz over what pages read from the URL and handlers from the browser (issue 9, item 5): the
pure parsing behind the screening and trends pages takes any text, huge, with surrogates, NUL or
numbers out of range, and gives a value the page can use, never an exception."""

from __future__ import annotations

import inspect
import secrets
from datetime import UTC, date
from functools import lru_cache
from types import FunctionType, MethodType, SimpleNamespace
from urllib.parse import parse_qsl
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from reflex_base.utils import format

from app import policy
from app.clock import utc_now
from app.db import unit_of_work
from app.runtime import session_cookie_name
from app.i18n.locales import Locale
from app.services import accounts, screening, web_sessions
from app.services.trend_report import Place
from app.services.trends import week_of
from app.views.screening import QueueFilters, start_of_day
from app.views.trends import TrendFilters
from state.identity import session_key
from state.language import offered
from state.login import LoginState
from state.screening_case import PREFIX, ScreeningCaseState
from state.screening_common import item_number
from state.screening_queue import ScreeningQueueState
from state.session import SessionState
from state.trends import TrendsState
from tests.helpers import DEMO_PASSWORD, T0, identity, run_async
from tests.screening_data import flagged_item
from tests.test_policy import all_states

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
    # Item ids are 32-bit integers on PostgreSQL: a larger one would fail the query itself.
    assert number is None or 0 <= number < 2**31
    assert item_number("99999999999") is None and item_number("2147483647") == 2**31 - 1


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
    assert "/trends" in run(TrendsState, handler, page, argument)


@FUZZ
@given(st.sampled_from(["filter_wing", "filter_status", "filter_held", "filter_overdue",
                        "search_for"]), anything)
def test_queue_filter_handlers_take_any_argument(handler: str, argument: object):
    page = stand_in(ScreeningQueueState, wing="", status="any", overdue=False, held="anyone",
                    search="")
    assert "/screening" in run(ScreeningQueueState, handler, page, argument)


# --- every handler that takes something from the browser, on a stand-in with a real session ---
#
# The stand-in holds the state's fields and a router with a real session cookie of the right
# role and a real screening item in the URL, and lends itself the state's own helpers (_act,
# _read, _refresh, ...), so a handler runs its whole path down to the database.

class StandIn(SimpleNamespace):
    def __init__(self, state_class: type, router: SimpleNamespace, **fields: object):
        defaults = {name: field.default_value() for name, field in state_class.get_fields().items()
                    if not name.startswith(("rx_", "router", "_", "is_hydrated"))}
        super().__init__(**{**defaults, **fields}, router=router)
        # The shared states a handler asks for: the signal (ask_page) and the tab's language.
        self._class = state_class
        self._session = SimpleNamespace(signal="", locale="", words={}, choices=[])

    def __getattr__(self, name: str):
        member = getattr(self.__dict__["_class"], name)
        return MethodType(member, self) if isinstance(member, FunctionType) else member

    async def get_state(self, _state_class: type) -> SimpleNamespace:
        return self._session  # ask_page writes its signal here

    def fields(self) -> dict[str, object]:
        return {k: v for k, v in vars(self).items() if not k.startswith("_") and k != "router"}


def router(cookie: str = "", path: str = "/", query: dict[str, str] | None = None
           ) -> SimpleNamespace:
    return SimpleNamespace(
        headers=SimpleNamespace(cookie=cookie), route_id="",
        url=SimpleNamespace(path=path, query_parameters=query or {}),
        session=SimpleNamespace(client_ip=f"fuzz-{secrets.token_hex(6)}"))


def session_cookie(username: str) -> str:
    """A signed-in browser session, as the sign-in page makes it: ticket, then cookie."""
    with unit_of_work() as db:
        key = web_sessions.redeem_ticket(db, web_sessions.start(db, identity(username),
                                                                utc_now()), utc_now())
    assert key is not None
    return f"{session_cookie_name()}={key}"


@lru_cache(maxsize=4)
def cookie_of(username: str) -> str:
    return session_cookie(username)


def hold(item_id: int, holder: str | None) -> None:
    if holder is not None:
        with unit_of_work() as db:
            screening.claim(db, identity(holder), item_id, utc_now())


def run_handler(state_class: type, handler: str, page: StandIn, *arguments: object) -> object:
    """Run it as Reflex would (async ones to their end); what it left on the page must reach
    the browser: Reflex sends the fields as JSON text, which a lone surrogate cannot be."""
    result = state_class.event_handlers[handler].fn(page, *arguments)
    if inspect.iscoroutine(result):
        result = run_async(result)
    format.json_dumps(page.fields()).encode()
    return result


nested = st.recursive(text | st.integers() | st.none(),
                      lambda inner: st.dictionaries(text, inner, max_size=3)
                      | st.lists(inner, max_size=3), max_leaves=8)
# A lone surrogate or a NUL inside other text: Reflex sends state as JSON text over the
# websocket, and a surrogate cannot be encoded there.
spiked = st.tuples(text, st.sampled_from(["\ud800", "\udfff", "\x00"]), text).map("".join)
hostile = st.one_of(anything, spiked, st.integers(min_value=-(2**70), max_value=2**70),
                    st.floats(allow_nan=True, allow_infinity=True), st.lists(text, max_size=3),
                    nested)


def forms(*names: str, **likely: list[str]) -> st.SearchStrategy[object]:
    """A form as the browser would send it, with hostile values (a valid one now and then, to
    get past the first check), or anything else in its place."""
    value = {name: st.sampled_from(likely.get(name, [""])) | hostile for name in names}
    return st.fixed_dictionaries({}, optional=value) | st.dictionaries(text, hostile,
                                                                      max_size=3) | hostile


OUTCOMES = ["no_further_action", "monitor", "refer_assessment", "refer_support"]
REASON = ["A reason of well over twenty characters, as the form wants."]
HANDLER_FUZZ = settings(FUZZ, max_examples=20)  # per handler
HOLDERS = st.sampled_from([None, "screener1", "screener2"])
item_paths = st.one_of(st.just(""), text.map(lambda t: PREFIX + t))

CASE_ARGUMENTS: dict[str, st.SearchStrategy[tuple]] = {
    "claim": st.just(()), "ask_take_over": st.just(()), "cancel_take_over": st.just(()),
    "sign_off": st.just(()),
    "take_over": st.tuples(forms("reason", reason=REASON)),
    "choose_outcome": st.tuples(st.sampled_from(OUTCOMES) | hostile),
    "decide": st.tuples(forms("outcome", "reason", "review_on", "support_kind",
                              outcome=OUTCOMES, reason=REASON, review_on=["2099-01-01"])),
    "add_addendum": st.tuples(forms("text", "corrects", text=REASON,
                                    corrects=["facts:x", "assessment:", ":", "nonsense"])),
    # Restriction and rectification (issue 12): on an unrestricted item here, on a restricted
    # one in tests/test_restrictions_page.py.
    "ask_open": st.just(()), "cancel_open": st.just(()),
    "open_restricted": st.tuples(forms("reason", reason=REASON)),
}


@pytest.mark.parametrize("handler", sorted(CASE_ARGUMENTS))
@HANDLER_FUZZ
@given(data=st.data(), holder=HOLDERS, path=st.none() | item_paths)
def test_case_handlers_take_any_argument(handler: str, data: st.DataObject, holder: str | None,
                                         path: str | None):
    """`path` None: the real item's page; otherwise whatever the URL said."""
    arguments = data.draw(CASE_ARGUMENTS[handler])
    item_id = flagged_item(utc_now())
    hold(item_id, holder)
    page = StandIn(ScreeningCaseState, router(cookie_of("screener1"),
                                              f"{PREFIX}{item_id}" if path is None else path))
    run_handler(ScreeningCaseState, handler, page, *arguments)


QUEUE_ARGUMENTS: dict[str, st.SearchStrategy[object]] = {
    "claim": hostile, "ask_take_over": hostile, "take_over": forms("reason", reason=REASON)}


@pytest.mark.parametrize("handler", sorted(QUEUE_ARGUMENTS))
@HANDLER_FUZZ
@given(data=st.data(), holder=HOLDERS, query=params, real_id=st.booleans())
def test_queue_handlers_take_any_argument(handler: str, data: st.DataObject, holder: str | None,
                                          query: dict[str, str], real_id: bool):
    """`real_id`: the argument is the id of a real item (claim, ask) or the one being taken
    over, so the handler goes past its first check."""
    argument = data.draw(QUEUE_ARGUMENTS[handler])
    item_id = flagged_item(utc_now())
    hold(item_id, holder)
    page = StandIn(ScreeningQueueState, router(cookie_of("screener1"), "/screening", query),
                   take_over_item=item_id if real_id else 0)
    run_handler(ScreeningQueueState, handler, page,
                item_id if real_id and handler != "take_over" else argument)


@pytest.mark.parametrize("handler", ["unlock", "set_unlock_password"])
@HANDLER_FUZZ
@given(argument=forms("password", password=[DEMO_PASSWORD]), locked=st.booleans())
def test_session_handlers_take_any_argument(handler: str, argument: object, locked: bool):
    """A session of its own each time: five wrong passwords would end it."""
    cookie = session_cookie("officer1")
    if locked:
        with unit_of_work() as db:
            web_sessions.lock(db, session_key(cookie), utc_now())
    run_handler(SessionState, handler, StandIn(SessionState, router(cookie)), argument)


DEMO_USERS = {"officer1", "officer2", "screener1", "screener2", "security1", "admin1"}


@settings(HANDLER_FUZZ, max_examples=30)
@given(forms("username", "password", username=["nobody-here"], password=["wrong"]))
def test_sign_in_takes_any_form(argument: object):
    """Wrong passwords against names no one has (a demo account locked out would break other
    tests); each from an address of its own, so the per-address throttle never trips."""
    username = argument.get("username") if isinstance(argument, dict) else None
    assume(not isinstance(username, str) or username.strip() not in DEMO_USERS)
    page = StandIn(LoginState, router())
    run_handler(LoginState, "sign_in", page, argument)
    assert page.error


@HANDLER_FUZZ
@given(st.sampled_from(["export_csv", "print_view", "clear_filters"]), params)
def test_trend_exports_take_any_url(handler: str, query: dict[str, str]):
    """They take no argument: what the browser controls is the URL they rebuild the view from."""
    page = StandIn(TrendsState, router(cookie_of("security1"), "/trends", query))
    run_handler(TrendsState, handler, page)


LANGUAGE_CODES = st.sampled_from([locale.value for locale in Locale]) | anything | spiked


@HANDLER_FUZZ
@given(LANGUAGE_CODES)
def test_the_sign_in_pages_language_choice_takes_any_argument(argument: object):
    page = StandIn(LoginState, router())
    run_handler(LoginState, "choose_language", page, argument)
    assert page._session.locale in {"", *(code for code, _ in offered())}


@HANDLER_FUZZ
@given(LANGUAGE_CODES)
def test_the_headers_language_switch_takes_any_argument(argument: object):
    """A code on offer changes the account; anything else changes nothing."""
    page = StandIn(SessionState, router(cookie_of("admin1")))
    try:
        run_handler(SessionState, "change_language", page, argument)
        now = identity("admin1").locale.value
        on_offer = isinstance(argument, str) and argument in {code for code, _ in offered()}
        assert now == (argument if on_offer else "en")
    finally:
        with unit_of_work() as db:
            accounts.set_locale(db, identity("admin1"), Locale.EN.value)


# The filter handlers are fuzzed above with `anything`; these with the rest of the browser's input.
FUZZED = {
    *(f"ScreeningCaseState.{name}" for name in CASE_ARGUMENTS),
    *(f"ScreeningQueueState.{name}" for name in QUEUE_ARGUMENTS),
    "ScreeningQueueState.filter_wing", "ScreeningQueueState.filter_status",
    "ScreeningQueueState.filter_held", "ScreeningQueueState.filter_overdue",
    "ScreeningQueueState.search_for",
    "TrendsState.filter_prison", "TrendsState.filter_wing", "TrendsState.filter_category",
    "TrendsState.filter_level", "TrendsState.filter_weeks", "TrendsState.filter_end",
    "TrendsState.export_csv", "TrendsState.print_view", "TrendsState.clear_filters",
    "SessionState.unlock", "SessionState.set_unlock_password", "LoginState.sign_in",
    "LoginState.choose_language", "SessionState.change_language",
    # Administration: each part fuzzes its own handlers in its own file (the prisons' and the
    # audit page's sets are read from theirs in the test below: they import this module).
    *(f"AdminUsersState.{name}" for name in (  # tests/test_admin_accounts_fuzz.py
        "filter_role", "filter_status", "filter_place", "create", "preview")),
    *(f"AdminUserState.{name}" for name in (
        "ask", "ask_end", "save", "add_posting", "end_posting")),
    "PasswordState.change",
    "AdminTabletsState.filter_prison", "AdminTabletsState.ask_lost",  # tests/test_tablets_fuzz.py
    "AdminRosterState.choose_prison", "AdminRosterState.preview",  # test_admin_roster_state.py
    *(f"AdminCatalogueState.{name}" for name in (  # tests/test_admin_catalogue_page.py
        "choose_locale", "show_category", "choose_preview_locale", "save_texts",
        "add_indicator", "retire", "restore", "mark_immediate", "unmark_immediate", "publish")),
}


def test_every_handler_that_takes_arguments_is_fuzzed():
    """A new handler with a parameter fails here until it is added to a fuzz above. Reflex's
    own states (hydrate, on_load dispatch, ...) are its business, not ours."""
    ours = {cls.__name__: cls for cls in all_states() if not cls.__module__.startswith("reflex")}
    taking = {key for key in policy.HANDLER_POLICY
              if (cls := ours.get(key.partition(".")[0])) is not None
              and len(inspect.signature(cls.event_handlers[key.partition(".")[2]].fn)
                      .parameters) > 1}
    from tests import test_admin_audit_fuzz, test_admin_prisons_fuzz, test_review_fuzz
    from tests import test_dpo_fuzz

    assert taking - FUZZED - test_admin_prisons_fuzz.FUZZED - test_admin_audit_fuzz.FUZZED \
        - test_review_fuzz.FUZZED - test_dpo_fuzz.FUZZED == set()
    assert {key.partition(".")[0] for key in policy.HANDLER_POLICY} - set(ours) <= {
        "State", "OnLoadInternalState", "UpdateVarsInternalState",
        "FrontendEventExceptionState"}
