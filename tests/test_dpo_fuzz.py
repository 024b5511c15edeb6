"""The /dpo page's handlers take anything the browser sends (as tests/test_page_params_fuzz does
for the other pages): forms and ids with surrogates, NUL, numbers or lists in them never raise,
never show a prisoner of a prison outside the officer's postings, and leave a state Reflex can
send."""

from __future__ import annotations

import inspect
import secrets

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from app import policy
from app.db import unit_of_work
from app.models import Posting, Prison, Prisoner, User, Wing
from app.services.passwords import hash_password
from app.vocabulary import PostingScope, Role
from state.dpo import ROUTE, DpoState
from tests.conftest import TEST_PASSWORD
from tests.helpers import POSTED_SINCE, T0
from tests.screening_data import new_prisoner
from tests.test_page_params_fuzz import (HANDLER_FUZZ, StandIn, forms, hostile, router,
                                         run_handler, session_cookie)

REASON = ["The prisoner contests the facts in a letter of today."]
DAYS = ["1/1/2026", "01.01.2026.", "2026-01-01", "31/12/2026"]
ARGUMENTS: dict[str, st.SearchStrategy[tuple]] = {
    "find": st.tuples(forms("prison", "number", prison=["DEMO", "ZZ", "DE\x00MO", "\ud800"],
                            number=["x", "\x00", "x\ud800"])),
    "restrict": st.tuples(forms("ground", "reason", ground=["accuracy_contested",
                                                            "evidence_only"], reason=REASON)),
    "ask_lift": st.tuples(st.integers(min_value=0, max_value=5) | hostile),
    "lift": st.tuples(forms("reason", reason=REASON)),
    "produce": st.tuples(forms("since", "until", since=[*DAYS, "\ud800"],
                               until=[*DAYS, "1\x00/1/2026"])),
}
FUZZED = {f"DpoState.{name}" for name in ARGUMENTS}


@pytest.fixture(scope="module")
def place() -> dict[str, str]:
    """A data-protection officer of the demo prison, a prisoner of it, and another prison
    ("ZZ…") with a prisoner numbered "x" that the officer must never see."""
    prisoner = new_prisoner()
    username, code = f"dpof-{secrets.token_hex(4)}", f"Z{secrets.token_hex(2).upper()}"
    with unit_of_work() as db:
        demo = db.scalar(select(Prison.id).where(Prison.code == "DEMO"))
        user = User(username=username, display_name="Fuzz Protector", role=Role.DATA_PROTECTION,
                    password_hash=hash_password(TEST_PASSWORD), prison_id=demo, created_at=T0)
        other = Prison(code=code, name="Elsewhere")
        wing = Wing(prison=other, code="A", name="Wing A")
        db.add_all([user, other, wing, Posting(user=user, scope=PostingScope.PRISON,
                                               prison_id=demo, valid_from=POSTED_SINCE,
                                               created_at=T0)])
        db.flush()
        db.add(Prisoner(prison_id=other.id, wing_id=wing.id, number="x", given_name="Never",
                        family_name="Shown"))
        number = db.get(Prisoner, prisoner).number
    return {"cookie": session_cookie(username), "number": number, "other": code}


@pytest.mark.parametrize("handler", sorted(ARGUMENTS))
@HANDLER_FUZZ
@given(data=st.data())
def test_every_handler_takes_anything(place, handler, data):
    page = StandIn(DpoState, router(place["cookie"], ROUTE), _prisoner_id="", _period=[])
    run_handler(DpoState, "load", page)
    assert [code for code, _ in page.prisons] == ["DEMO"]
    run_handler(DpoState, "find", page, {"prison": "DEMO", "number": place["number"]})
    assert page.card.found
    arguments = data.draw(ARGUMENTS[handler])
    if handler == "find" and isinstance(arguments[0], dict) and arguments[0].get("prison") == "ZZ":
        arguments = ({**arguments[0], "prison": place["other"]},)
    run_handler(DpoState, handler, page, *arguments)
    if page.card.found:
        assert page.card.name != "Never Shown"
    assert page.lifting in {0, *(line.id for line in page.card.restrictions if line.in_force)}
    for after in ("produce", "download_pdf", "print_report"):
        run_handler(DpoState, after, page, *([{"since": DAYS[0], "until": DAYS[3]}]
                                             if after == "produce" else []))


def test_every_handler_with_an_argument_is_fuzzed():
    """A new handler with a parameter fails here until it is added above."""
    taking = {key for key in policy.HANDLER_POLICY if key.startswith("DpoState.")
              and len(inspect.signature(DpoState.event_handlers[
                  key.partition(".")[2]].fn).parameters) > 1}
    assert taking == FUZZED
