"""Server-side browser sessions on a frozen clock: ticket, idle lock, expiry, unlock, sign-out."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from app.db import unit_of_work
from app.models import WebSession
from app.services import web_sessions
from app.services.web_sessions import Status, Timeouts
from tests.helpers import DEMO_PASSWORD, T0, identity, new_ticket, session_row

MINUTE = timedelta(minutes=1)
IDLE = Timeouts().idle


def redeem(ticket: str, at: datetime) -> str | None:
    with unit_of_work() as db:
        return web_sessions.redeem_ticket(db, ticket, at)


def resolve(key: str, at: datetime) -> web_sessions.LiveSession | None:
    with unit_of_work() as db:
        return web_sessions.resolve(db, key, at, Timeouts())


def status(key: str, at: datetime) -> Status | None:
    live = resolve(key, at)
    return live.status if live else None


def touch(key: str, at: datetime) -> None:
    with unit_of_work() as db:
        web_sessions.touch(db, key, at)


def unlock(key: str, password: str, at: datetime) -> bool:
    with unit_of_work() as db:
        return web_sessions.unlock(db, key, password, at)


@pytest.fixture
def key() -> str:
    """A fresh officer1 session opened at T0."""
    found = redeem(new_ticket(identity("officer1"), T0), T0)
    assert found is not None
    return found


@pytest.fixture
def locked_key(key) -> str:
    assert status(key, T0 + IDLE + MINUTE) is Status.LOCKED
    return key


def test_ticket_is_redeemed_once():
    ticket = new_ticket(identity("officer1"), T0)
    assert redeem(ticket, T0 + timedelta(seconds=5))
    assert redeem(ticket, T0 + timedelta(seconds=6)) is None


def test_ticket_expires_after_60_seconds():
    ticket = new_ticket(identity("officer1"), T0)
    assert redeem(ticket, T0 + timedelta(seconds=61)) is None


def test_new_session_resolves_active_for_its_user(key):
    live = resolve(key, T0 + MINUTE)
    assert live is not None
    assert live.status is Status.ACTIVE and live.identity.username == "officer1"


def test_idle_over_15_minutes_locks_and_stays_locked(key):
    assert status(key, T0 + IDLE) is Status.ACTIVE
    assert status(key, T0 + IDLE + timedelta(seconds=1)) is Status.LOCKED
    touch(key, T0 + IDLE + MINUTE)  # activity does not lift the lock: only the password does
    assert status(key, T0 + IDLE + 2 * MINUTE) is Status.LOCKED


def test_activity_keeps_the_session_active(key):
    for minutes in range(10, 70, 10):
        touch(key, T0 + minutes * MINUTE)
        assert status(key, T0 + (minutes + 10) * MINUTE) is Status.ACTIVE


def test_session_ends_after_12_hours_however_active(key):
    twelve_hours = Timeouts().absolute
    touch(key, T0 + twelve_hours - MINUTE)
    assert status(key, T0 + twelve_hours) is Status.ACTIVE
    assert resolve(key, T0 + twelve_hours + timedelta(seconds=1)) is None
    row = session_row(key)
    assert row.ended_at is not None and row.end_reason == "expired"
    assert resolve(key, T0 + twelve_hours + 2 * MINUTE) is None


def test_unlock_with_the_right_password_reopens(locked_key):
    at = T0 + IDLE + 2 * MINUTE
    assert unlock(locked_key, DEMO_PASSWORD, at) is True
    assert status(locked_key, at + MINUTE) is Status.ACTIVE


def test_unlock_with_a_wrong_password_stays_locked(locked_key):
    at = T0 + IDLE + 2 * MINUTE
    assert unlock(locked_key, "not the password", at) is False
    assert status(locked_key, at + MINUTE) is Status.LOCKED


def test_five_wrong_unlocks_end_the_session(locked_key):
    at = T0 + IDLE + 2 * MINUTE
    for _ in range(5):
        assert unlock(locked_key, "not the password", at) is False
    assert resolve(locked_key, at + MINUTE) is None
    assert session_row(locked_key).end_reason == "unlock_refused"
    assert unlock(locked_key, DEMO_PASSWORD, at + MINUTE) is False


def test_end_signs_out(key):
    with unit_of_work() as db:
        web_sessions.end(db, key, T0 + MINUTE)
    assert resolve(key, T0 + 2 * MINUTE) is None
    assert session_row(key).end_reason == "sign_out"


def test_a_key_resolves_only_its_own_session(key):
    other = redeem(new_ticket(identity("officer2"), T0), T0)
    assert other is not None and other != key
    assert resolve(key, T0 + MINUTE).identity.username == "officer1"
    assert resolve(other, T0 + MINUTE).identity.username == "officer2"
    with unit_of_work() as db:
        web_sessions.end(db, key, T0 + MINUTE)
    assert status(other, T0 + 2 * MINUTE) is Status.ACTIVE
    assert resolve(key + "x", T0 + MINUTE) is None
    assert resolve("", T0 + MINUTE) is None


def test_database_stores_only_hashes_of_keys_and_tickets():
    ticket = new_ticket(identity("officer1"), T0)
    with unit_of_work() as db:
        assert db.scalars(select(WebSession).where(WebSession.ticket_hash == ticket)).first() is None
    key = redeem(ticket, T0)
    with unit_of_work() as db:
        assert db.scalars(select(WebSession).where(WebSession.key_hash == key)).first() is None
    assert session_row(key).user_id == identity("officer1").user_id  # found by SHA-256 of key
