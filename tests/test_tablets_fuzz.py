"""The tablets page's handlers take anything the browser sends (as tests/test_page_params_fuzz
does for the other pages): no exception, nothing a lone surrogate would stop reaching the tab,
and a hostile id never becomes the tablet the "Mark lost" dialog asks about."""

from __future__ import annotations

from hypothesis import given

from state.admin_tablets import ROUTE, AdminTabletsState
from tests.test_page_params_fuzz import (HANDLER_FUZZ, StandIn, cookie_of, hostile, params,
                                         router, run_handler)


@HANDLER_FUZZ
@given(argument=hostile, query=params)
def test_the_prison_filter_takes_any_argument(argument: object, query: dict[str, str]):
    page = StandIn(AdminTabletsState, router(cookie_of("admin1"), ROUTE, query),
                   prisons=[["DEMO", "DEMO — Demo"]])
    redirect = str(run_handler(AdminTabletsState, "filter_prison", page, argument))
    assert ROUTE in redirect
    assert ("prison=DEMO" in redirect) == (argument == "DEMO")


@HANDLER_FUZZ
@given(argument=hostile, query=params)
def test_asking_to_mark_lost_takes_any_argument(argument: object, query: dict[str, str]):
    page = StandIn(AdminTabletsState, router(cookie_of("admin1"), ROUTE, query))
    run_handler(AdminTabletsState, "load", page)
    run_handler(AdminTabletsState, "ask_lost", page, argument)
    assert page.confirm_device == "" or page.confirm_device in {r.device_id for r in page.rows}
    run_handler(AdminTabletsState, "mark_lost", page)  # nothing asked: nothing marked
    assert page.confirm_device == "" and page.error == ""
