"""Sign-in on a frozen clock: credentials, lock-out per username, and the sign-in log."""

from __future__ import annotations

import secrets
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from app.db import unit_of_work
from app.models import AuthLog
from app.services.accounts import INVALID_MESSAGE, LOCKED_MESSAGE, SignIn, authenticate
from app.vocabulary import Role
from state.login import LoginState
from tests.conftest import TEST_PASSWORD
from tests.helpers import T0, run_async

WRONG = "not the password at all"
MINUTE = timedelta(minutes=1)


def attempt(username: str, password: str, at=T0) -> SignIn:
    """One sign-in in its own transaction, as the page and the API do it."""
    with unit_of_work() as db:
        outcome, _ = authenticate(db, username, password, at, channel="web")
    return outcome


def fail_five_times(username: str) -> None:
    """Five wrong passwords, one a minute from T0; the last one at T0 + 4 min."""
    for minute in range(5):
        attempt(username, WRONG, T0 + minute * MINUTE)


def events(username: str) -> list[str]:
    with unit_of_work() as db:
        rows = db.scalars(select(AuthLog).where(AuthLog.username == username).order_by(AuthLog.id))
        return [row.event for row in rows]


def page_sign_in(username: str, password: str) -> str:
    """The sign-in page's handler, run as Reflex would; returns the error it shows."""
    page = SimpleNamespace(error="", router=SimpleNamespace(
        session=SimpleNamespace(client_ip=f"tab-{secrets.token_hex(4)}")))
    # The handler is async (it asks the page to swap the ticket); a refusal returns before that.
    run_async(LoginState.event_handlers["sign_in"].fn(page, {"username": username,
                                                             "password": password}))
    return page.error


def ghost() -> str:
    return f"ghost-{secrets.token_hex(4)}"


@pytest.fixture
def officer(make_user) -> str:
    return make_user(Role.OFFICER)


def test_right_password_signs_in(officer):
    with unit_of_work() as db:
        outcome, who = authenticate(db, officer, TEST_PASSWORD, T0, channel="web")
    assert outcome is SignIn.OK
    assert who is not None and who.username == officer and who.role == Role.OFFICER


def test_username_is_matched_case_and_space_insensitively(officer):
    assert attempt(f"  {officer.upper()} ", TEST_PASSWORD) is SignIn.OK


def test_wrong_password_and_unknown_user_give_the_same_outcome(officer):
    with unit_of_work() as db:
        wrong_password = authenticate(db, officer, WRONG, T0, channel="web")
        unknown_user = authenticate(db, ghost(), WRONG, T0, channel="web")
    assert wrong_password == unknown_user == (SignIn.INVALID, None)


def test_sign_in_page_shows_the_same_message_for_wrong_password_and_unknown_user(officer):
    assert page_sign_in(officer, WRONG) == page_sign_in(ghost(), WRONG) == INVALID_MESSAGE


def test_five_failures_in_15_minutes_lock_even_the_right_password_out(officer):
    fail_five_times(officer)
    assert attempt(officer, TEST_PASSWORD, T0 + 5 * MINUTE) is SignIn.LOCKED


def test_sign_in_page_says_locked_after_five_failures(officer):
    """The page runs on the real clock, so this lock-out happens now rather than at T0."""
    messages = [page_sign_in(officer, WRONG) for _ in range(5)]
    assert messages == [INVALID_MESSAGE] * 4 + [LOCKED_MESSAGE]
    assert page_sign_in(officer, TEST_PASSWORD) == LOCKED_MESSAGE


def test_lock_lifts_15_minutes_after_the_fifth_failure(officer):
    fail_five_times(officer)
    locked_until = T0 + 4 * MINUTE + timedelta(minutes=15)
    assert attempt(officer, TEST_PASSWORD, locked_until - timedelta(seconds=1)) is SignIn.LOCKED
    assert attempt(officer, TEST_PASSWORD, locked_until) is SignIn.OK


def test_failures_spread_over_more_than_15_minutes_do_not_lock(officer):
    for minute in (0, 4, 8, 12, 16):
        assert attempt(officer, WRONG, T0 + minute * MINUTE) is SignIn.INVALID


def test_success_resets_the_failure_count(officer):
    for minute in range(4):
        attempt(officer, WRONG, T0 + minute * MINUTE)
    assert attempt(officer, TEST_PASSWORD, T0 + 4 * MINUTE) is SignIn.OK
    # Without the reset this would be the fifth failure in the window, and lock.
    assert attempt(officer, WRONG, T0 + 5 * MINUTE) is SignIn.INVALID


def test_every_attempt_is_logged(officer):
    attempt(officer, TEST_PASSWORD)
    fail_five_times(officer)
    attempt(officer, TEST_PASSWORD, T0 + 5 * MINUTE)
    assert events(officer) == ["sign_in"] + ["sign_in_failed"] * 5 + ["sign_in_refused_locked"]


def test_unknown_usernames_are_locked_out_like_real_ones(officer):
    """Same outcomes, attempt by attempt, so a lock-out never tells who exists."""
    nobody = ghost()
    outcomes = {}
    for username in (officer, nobody):
        tries = [attempt(username, WRONG, T0 + minute * MINUTE) for minute in range(6)]
        outcomes[username] = tries
    assert outcomes[officer] == outcomes[nobody]
    assert outcomes[nobody][-1] is SignIn.LOCKED
    assert events(nobody) == ["sign_in_failed"] * 5 + ["sign_in_refused_locked"]


def test_username_with_a_nul_byte_is_refused_and_logged():
    """PostgreSQL text cannot hold NUL: the attempt must still fail cleanly and be logged."""
    name = ghost()
    assert attempt(name + "\x00", WRONG) is SignIn.INVALID
    assert events(name + "\ufffd") == ["sign_in_failed"]
