"""The capture page's lock reaches the server session (issue 9 item 2): a locked session gets
no token, its tokens stop working, and only the password (proven to the server) unlocks it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from app.clock import utc_now
from app.db import unit_of_work
from app.models import WebSession
from tests.helpers import DEMO_PASSWORD, api_client, identity, new_ticket, session_row

SESSION = "/api/v1/auth/session"
TOKEN = "/api/v1/auth/session-token"
LOCK = "/api/v1/auth/session/lock"
UNLOCK = "/api/v1/auth/session/unlock"
CAPTURE = {"X-Wingwatch": "capture"}
client = api_client()


@pytest.fixture(autouse=True)
def signed_in_officer():
    client.cookies.clear()
    client.post(SESSION, json={"ticket": new_ticket(identity("officer1"), utc_now())})
    yield
    client.cookies.clear()


def session_token():
    return client.post(TOKEN, headers=CAPTURE)


def me(token: str) -> int:
    return client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"}).status_code


def test_a_locked_session_gets_no_token_and_says_so():
    assert session_token().status_code == 200
    assert client.post(LOCK, headers=CAPTURE).status_code == 204
    refused = session_token()
    assert refused.status_code == 423
    assert refused.json()["error"]["code"] == "session_locked"


def test_lock_and_unlock_need_the_capture_header():
    assert client.post(LOCK).status_code == 400
    assert client.post(UNLOCK, json={"password": DEMO_PASSWORD}).status_code == 400
    assert session_token().status_code == 200


def test_a_token_used_after_the_lock_gets_401():
    token = session_token().json()["access_token"]
    assert me(token) == 200
    client.post(LOCK, headers=CAPTURE)
    assert me(token) == 401


def test_only_the_password_unlocks_and_the_token_works_again():
    token = session_token().json()["access_token"]
    client.post(LOCK, headers=CAPTURE)
    wrong = client.post(UNLOCK, headers=CAPTURE, json={"password": "not my password"})
    assert wrong.status_code == 423 and wrong.json()["error"]["code"] == "session_locked"
    assert session_token().status_code == 423
    assert client.post(UNLOCK, headers=CAPTURE, json={"password": DEMO_PASSWORD}).status_code == 204
    assert session_token().status_code == 200
    assert me(token) == 200


def test_five_wrong_passwords_end_the_session():
    client.post(LOCK, headers=CAPTURE)
    key = client.cookies["ww_session"]
    for _ in range(5):
        assert client.post(UNLOCK, headers=CAPTURE, json={"password": "nope"}).status_code == 423
    assert session_row(key).end_reason == "unlock_refused"
    assert client.post(UNLOCK, headers=CAPTURE, json={"password": DEMO_PASSWORD}).status_code == 401
    assert session_token().status_code == 401


@pytest.mark.parametrize("body", [{}, {"password": ""}, {"password": "x" * 257}, [], "x"])
def test_a_bad_unlock_body_is_a_4xx(body):
    assert client.post(UNLOCK, headers=CAPTURE, json=body).status_code in (400, 422)


@pytest.mark.parametrize("column", ["created_at", "last_activity_at"])
def test_a_token_dies_with_the_sessions_absolute_and_idle_limits(column):
    token = session_token().json()["access_token"]
    key = client.cookies["ww_session"]
    with unit_of_work() as db:
        db.execute(update(WebSession).where(WebSession.id == session_row(key).id)
                   .values({column: utc_now() - timedelta(hours=13)}))
    assert me(token) == 401
