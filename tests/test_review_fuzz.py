"""The review page's and the hold panel's handlers take anything the browser sends (as
tests/test_page_params_fuzz.py does for the other pages): ids, forms and codes with
surrogates, NUL, numbers or lists in them never raise and leave a state Reflex can send."""

from __future__ import annotations

import inspect

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app import policy
from app.clock import prisons_today, utc_now
from app.i18n.locales import Locale
from app.i18n.messages import speaking
from state.legal_holds import CaseHoldState
from state.review import ROUTE, ReviewState
from tests.review_data import item_entry
from tests.test_page_params_fuzz import (HANDLER_FUZZ, StandIn, anything, cookie_of, forms,
                                         hostile, router, run_handler)

DAY = [speaking(Locale.EN).day(prisons_today(), "short"), "2099-01-01", "1/1/30"]
REASON = ["A reason of well over ten characters."]
DIALOG_FORM = forms("until", "reason", until=DAY, reason=REASON)
REVIEW_ARGUMENTS: dict[str, st.SearchStrategy[object]] = {
    "filter_when": st.sampled_from(["all", "overdue", "coming"]) | anything,
    "filter_class": st.sampled_from(["all", "screening_decision"]) | anything,
    "ask_extend": hostile, "ask_anonymise": hostile, "ask_erase": hostile, "ask_hold": hostile,
    "extend": DIALOG_FORM, "hold": DIALOG_FORM,
}
# The dialog each form handler answers.
DIALOG_OF = {"extend": "extend", "hold": "hold"}
CASE_ARGUMENTS: dict[str, st.SearchStrategy[object]] = {
    "place": forms("subject", "until", "reason", subject=["item"], until=DAY, reason=REASON),
    "ask_release": hostile,
}
FUZZED = ({f"ReviewState.{name}" for name in REVIEW_ARGUMENTS}
          | {f"CaseHoldState.{name}" for name in CASE_ARGUMENTS})


@pytest.mark.parametrize("handler", sorted(REVIEW_ARGUMENTS))
@HANDLER_FUZZ
@given(data=st.data(), real_id=st.booleans(), query=st.dictionaries(
    st.sampled_from(["when", "class"]), st.sampled_from(["overdue", "\ud800", "x" * 500])))
def test_every_review_handler_takes_anything(handler: str, data: st.DataObject, real_id: bool,
                                             query: dict[str, str]):
    """`real_id`: the argument is the id of an entry the page shows, or its dialog is open,
    so the handler goes past its first check."""
    now = utc_now()
    entry_id, _ = item_entry(now, prisons_today(now))
    page = StandIn(ReviewState, router(cookie_of("screener1"), ROUTE, query))
    run_handler(ReviewState, "load", page)
    if real_id and handler in DIALOG_OF:
        page.dialog, page.dialog_entry = DIALOG_OF[handler], entry_id
    argument = entry_id if real_id and handler.startswith("ask_") else data.draw(
        REVIEW_ARGUMENTS[handler])
    run_handler(ReviewState, handler, page, argument)


@pytest.mark.parametrize("handler", sorted(CASE_ARGUMENTS))
@HANDLER_FUZZ
@given(data=st.data(), path=st.sampled_from(["own", "/screening/", "/screening/\ud800x",
                                             "/screening/99999999999"]))
def test_every_hold_panel_handler_takes_anything(handler: str, data: st.DataObject, path: str):
    now = utc_now()
    _, item_id = item_entry(now, prisons_today(now))
    page = StandIn(CaseHoldState, router(cookie_of("screener1"),
                                         f"/screening/{item_id}" if path == "own" else path))
    run_handler(CaseHoldState, "load", page)
    run_handler(CaseHoldState, handler, page, data.draw(CASE_ARGUMENTS[handler]))


def test_every_handler_with_an_argument_is_fuzzed():
    """A new handler with a parameter fails here until it is added above."""
    states = {"ReviewState": ReviewState, "CaseHoldState": CaseHoldState}
    taking = {key for key in policy.HANDLER_POLICY
              if (cls := states.get(key.partition(".")[0])) is not None
              and len(inspect.signature(cls.event_handlers[key.partition(".")[2]].fn)
                      .parameters) > 1}
    assert taking == FUZZED
