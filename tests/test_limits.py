"""Limits (issue 9, item 6): request bodies over the configured size, sign-in attempts per
client address, and a /health that takes no write lock."""

from __future__ import annotations

import inspect
import json
import secrets
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta
from types import SimpleNamespace

from fastapi.testclient import TestClient
from sqlalchemy import text

from app.api import build_api
from app.db import get_engine, unit_of_work
from app.services import sealing
from app.services.accounts import (
    INVALID_MESSAGE,
    THROTTLED_MESSAGE,
    AddressPolicy,
    SignIn,
    authenticate,
)
from app.settings import get_settings
from app.vocabulary import Role
from state.login import LoginState
from tests.conftest import TEST_PASSWORD
from tests.helpers import (
    DEMO_PASSWORD,
    T0,
    api_client,
    bearer,
    bootstrap,
    indicator_codes,
    observation_payload,
    run_async,
)

MINUTE = timedelta(minutes=1)

SYNC = "/api/v1/observations/sync"
FACTS = "Stood at the door of cell 14 for the whole association hour and said to two others " \
        "that the guards would be sorry. Did not answer when spoken to. " * 3


def too_large(response) -> bool:
    return response.status_code == 413 and \
        response.json()["error"]["code"] == "payload_too_large"


def test_a_body_declared_over_the_limit_is_refused_before_it_is_read():
    body = b'{"username": "' + b"x" * get_settings().max_request_bytes + b'", "password": "p"}'
    response = api_client().post("/api/v1/auth/token", content=body,
                                 headers={"content-type": "application/json"})
    assert too_large(response), response.text


def test_a_streamed_body_without_length_is_refused_once_it_passes_the_limit():
    def chunks() -> Iterator[bytes]:
        yield b'{"device_id": "t", "items": ["'
        for _ in range(64):
            yield b"x" * 65_536
        yield b'"]}'

    response = api_client().post(SYNC, content=chunks(),
                                 headers={**bearer("officer1"),
                                          "content-type": "application/json"})
    assert too_large(response), response.text


def test_a_full_batch_of_500_sealed_everyday_entries_fits(make_user):
    """Sent by an officer with no wings, so every item is read and refused and nothing stays."""
    key = bootstrap("officer1")["sealing_key"]
    payload = observation_payload(bootstrap("officer1")["roster"][0]["id"], facts=FACTS,
                                  assessment=FACTS[:200],
                                  indicators=indicator_codes("protective")[:3])
    items = [{"id": str(uuid.uuid4()), "sealed": sealing.seal(payload, key)}
             for _ in range(500)]
    body = json.dumps({"device_id": "tablet-1", "items": items}).encode()
    assert len(body) < get_settings().max_request_bytes / 2, len(body)  # room for longer ones
    response = api_client().post(SYNC, content=body, headers={
        **bearer(make_user(Role.OFFICER), TEST_PASSWORD), "content-type": "application/json"})
    assert response.status_code == 200, response.text
    assert {r["error"]["field"] for r in response.json()["results"]} == {"prisoner_id"}


# --- sign-in throttled per client address ---------------------------------------------------

def attempt_from(address: str, username: str, password: str = "wrong", at=T0) -> SignIn:
    with unit_of_work() as db:
        outcome, _ = authenticate(db, username, password, at, channel="api", address=address)
    return outcome


def spray(address: str, at=T0) -> list[SignIn]:
    """One wrong password for each of ADDRESS_FAILURES different usernames, one address."""
    return [attempt_from(address, f"spray-{secrets.token_hex(4)}", at=at)
            for _ in range(AddressPolicy().failures)]


def test_password_spraying_from_one_address_is_throttled(make_user):
    address = f"203.0.113.{secrets.randbelow(250)}-{secrets.token_hex(2)}"
    assert set(spray(address)) == {SignIn.INVALID}
    victim = make_user(Role.OFFICER)
    # Even the right password is not tried from there until the window has passed.
    assert attempt_from(address, victim, TEST_PASSWORD, T0 + MINUTE) is SignIn.THROTTLED
    assert attempt_from(f"{address}-other", victim, TEST_PASSWORD, T0 + MINUTE) is SignIn.OK
    later = T0 + AddressPolicy().window + MINUTE
    assert attempt_from(address, victim, TEST_PASSWORD, later) is SignIn.OK


def test_a_throttled_address_cannot_push_a_users_lock_out(make_user):
    address = f"198.51.100.7-{secrets.token_hex(2)}"
    spray(address)
    victim = make_user(Role.OFFICER)
    for _ in range(10):
        assert attempt_from(address, victim, at=T0 + MINUTE) is SignIn.THROTTLED
    assert attempt_from("192.0.2.1", victim, TEST_PASSWORD, T0 + MINUTE) is SignIn.OK


def test_the_api_answers_429_with_retry_after_when_the_address_is_throttled():
    # TestClient's requests all come from one address ("testclient"): use a window of our own.
    client = TestClient(build_api(), client=(f"192.0.2.{secrets.randbelow(250)}", 50000))
    for _ in range(AddressPolicy().failures):
        response = client.post("/api/v1/auth/token", json={"username": f"g-{secrets.token_hex(4)}",
                                                           "password": "wrong"})
        assert response.status_code == 401
    response = client.post("/api/v1/auth/token", json={"username": "officer1",
                                                       "password": DEMO_PASSWORD})
    assert response.status_code == 429, response.text
    assert 0 < int(response.headers["Retry-After"]) <= AddressPolicy().window.total_seconds()
    assert response.json()["error"]["code"] == "too_many_attempts"


def test_the_sign_in_page_is_throttled_by_the_tabs_address(make_user):
    address = f"192.0.2.99-{secrets.token_hex(2)}"
    page = SimpleNamespace(error="", router=SimpleNamespace(
        session=SimpleNamespace(client_ip=address)))
    def sign_in(username: str, password: str) -> str:
        outcome = LoginState.event_handlers["sign_in"].fn(
            page, {"username": username, "password": password})
        if inspect.iscoroutine(outcome):
            run_async(outcome)
        return page.error

    for _ in range(AddressPolicy().failures):
        assert sign_in(f"g-{secrets.token_hex(4)}", "wrong") == INVALID_MESSAGE
    assert sign_in(make_user(Role.OFFICER), TEST_PASSWORD) == THROTTLED_MESSAGE


# --- /health takes no write lock ------------------------------------------------------------

def test_health_answers_at_once_while_a_writer_holds_the_database():
    with get_engine().connect() as writer:
        # On SQLite this takes the write lock (BEGIN IMMEDIATE) and holds it until rollback.
        writer.execute(text("UPDATE login_throttle SET failures = failures WHERE 1 = 0"))
        started = time.monotonic()
        response = api_client().get("/api/v1/health")
        elapsed = time.monotonic() - started
        writer.rollback()
    assert response.status_code == 200, response.text
    assert elapsed < 5, elapsed
