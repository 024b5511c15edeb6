"""The audit log page's handlers take anything the browser sends (as tests/test_page_params_fuzz
does for the other pages): forms, codes and URLs with surrogates, NUL, numbers or lists in them
never raise and leave a state Reflex can send; a rotation only ever waits for a kind on offer."""

from __future__ import annotations

import inspect

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app import policy
from state.admin_audit import ROUTE, AdminAuditState
from tests.test_page_params_fuzz import (HANDLER_FUZZ, StandIn, cookie_of, forms, hostile,
                                         router, run_handler)

ARGUMENTS: dict[str, st.SearchStrategy[tuple]] = {
    "filter_who": st.tuples(forms("who", who=["admin1"])),
    "filter_subject": st.tuples(forms("subject", subject=["trends"])),
    "filter_action": st.tuples(st.sampled_from(["all", "read", "sign_in"]) | hostile),
    "filter_days": st.tuples(st.sampled_from(["all", "7", "30"]) | hostile),
    "filter_until": st.tuples(st.sampled_from(["today", "2026-03-02"]) | hostile),
    "ask_rotate": st.tuples(st.sampled_from(["token", "audit"]) | hostile),
}
FUZZED = {f"AdminAuditState.{name}" for name in ARGUMENTS}
QUERY_KEYS = ["who", "action", "subject", "days", "until", "page"]
queries = st.dictionaries(st.sampled_from(QUERY_KEYS), st.sampled_from(
    ["", "7", "2026-03-02", "read", "2"]) | hostile.map(str), max_size=4)


@pytest.mark.parametrize("handler", sorted(ARGUMENTS))
@HANDLER_FUZZ
@given(data=st.data(), query=queries)
def test_every_handler_takes_anything(handler, data, query):
    page = StandIn(AdminAuditState, router(cookie_of("admin1"), ROUTE, query))
    run_handler(AdminAuditState, "load", page)
    run_handler(AdminAuditState, handler, page, *data.draw(ARGUMENTS[handler]))
    assert page.confirm_kind in {"", "token", "data", "sealing"}


@HANDLER_FUZZ
@given(query=queries)
def test_paging_and_clearing_take_any_url(query):
    page = StandIn(AdminAuditState, router(cookie_of("admin1"), ROUTE, query))
    run_handler(AdminAuditState, "load", page)
    for handler in ("next_page", "previous_page", "clear_filters", "cancel_rotate"):
        run_handler(AdminAuditState, handler, page)


def test_every_handler_with_an_argument_is_fuzzed():
    """A new handler with a parameter fails here until it is added above."""
    taking = {key for key in policy.HANDLER_POLICY if key.startswith("AdminAuditState.")
              and len(inspect.signature(AdminAuditState.event_handlers[
                  key.partition(".")[2]].fn).parameters) > 1}
    assert taking == FUZZED
