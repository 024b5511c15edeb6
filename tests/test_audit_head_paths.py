"""The audit chain never has an unsigned tail (issue 9): every audited path commits, then signs.

After each audited API call the signed head vouches for the chain's last row, and verify-audit
passes. The Reflex states go through the same helper; a scan of their sources (and the API's)
makes sure none opens a transaction without it.
"""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.clock import utc_now
from app.db import get_engine, unit_of_work
from app.models import AuditHead, Prisoner, User
from app.services import accounts, audit, web_sessions
from app.settings import get_settings
from tests.helpers import (
    DEMO_PASSWORD,
    api_client,
    bearer,
    identity,
    new_ticket,
    observation_payload,
)

ROOT = Path(__file__).resolve().parents[1]


def signed_seq() -> int:
    return json.loads(get_settings().audit_head_file.read_text())["seq"]


def chain_seq() -> int:
    with unit_of_work() as db:
        return db.scalar(select(AuditHead.seq))


def assert_signed_to_the_end() -> None:
    assert signed_seq() == chain_seq()
    key = audit.load_key(get_settings().keys_dir)
    with Session(get_engine()) as idle:  # verify reads in short transactions of its own
        result = audit.verify(idle, key, get_settings().audit_head_file)
    assert result.ok, result.reason


def _browser_cookie() -> str:
    """A signed-in browser session for officer1, as the sign-in page makes it."""
    ticket = new_ticket(identity("officer1"), utc_now())
    response = api_client().post("/api/v1/auth/session", json={"ticket": ticket})
    assert response.status_code == 204, response.text
    return response.cookies[web_sessions.COOKIE_NAME]


def _sign_out() -> None:
    key = _browser_cookie()
    api_client().cookies.clear()
    response = api_client().delete("/api/v1/auth/session",
                                   cookies={web_sessions.COOKIE_NAME: key})
    assert response.status_code == 204


def _own_prisoner() -> str:
    with unit_of_work() as db:
        officer = db.scalars(select(User).where(User.username == "officer1")).one()
        return db.scalars(select(Prisoner.id).where(
            Prisoner.wing_id.in_(accounts.identity_of(db, officer).wing_ids))).first()


def _sync() -> None:
    body = {"device_id": "t", "items": [{"id": str(uuid.uuid4()),
                                          "payload": observation_payload(_own_prisoner())}]}
    response = api_client().post("/api/v1/observations/sync", json=body,
                                 headers=bearer("officer1"))
    assert response.json()["results"][0]["status"] == "created", response.text


CALLS = {
    "token": lambda: bearer("officer1"),
    "wrong password": lambda: api_client().post(
        "/api/v1/auth/token", json={"username": "officer2", "password": "not " + DEMO_PASSWORD}),
    "sign-out": _sign_out,
    "sync": _sync,
    "mine": lambda: api_client().get("/api/v1/observations/mine", headers=bearer("officer1")),
}


@pytest.mark.parametrize("call", CALLS.values(), ids=CALLS.keys())
def test_every_audited_endpoint_leaves_the_head_signed(call):
    call()
    assert_signed_to_the_end()


OPENS_A_TRANSACTION = re.compile(r"\bunit_of_work\b")


def test_states_and_routes_open_transactions_only_through_the_signing_helper():
    """`runtime.transaction` commits, then signs the head when the chain grew; a bare
    unit_of_work in a state or a route could forget the second step."""
    offenders = [str(path.relative_to(ROOT)) for folder in ("state", "app/api")
                 for path in sorted((ROOT / folder).rglob("*.py"))
                 if OPENS_A_TRANSACTION.search(path.read_text())]
    assert offenders == []
