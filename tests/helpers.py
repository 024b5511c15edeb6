"""Small helpers shared by the unit and API tests (fixtures live in conftest.py)."""

from __future__ import annotations

import asyncio
import hashlib
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime
from functools import lru_cache

from fastapi.testclient import TestClient
from sqlalchemy import select

from app.api import build_api
from app.db import unit_of_work
from app.models import User, WebSession
from app.services import accounts, web_sessions
from app.services.demo import DEMO_PASSWORD  # noqa: F401  (re-exported for the tests)

# The frozen clock: services take `now`, so tests pass this (plus offsets) instead of the time.
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
POSTED_SINCE = date(2000, 1, 1)  # test accounts are posted since long before any test day


@lru_cache(maxsize=1)
def api_client() -> TestClient:
    return TestClient(build_api())


def run_async(coroutine):
    """Run an async event handler to its end. In a thread of its own: the browser tests leave
    Playwright's event loop running in the main thread, where asyncio.run refuses."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def identity(username: str) -> accounts.Identity:
    with unit_of_work() as db:
        user_id = db.scalar(select(User.id).where(User.username == username))
        found = accounts.load_identity(db, user_id)
    assert found is not None, username
    return found


def new_ticket(who: accounts.Identity, now: datetime) -> str:
    with unit_of_work() as db:
        return web_sessions.start(db, who, now)


def session_row(key: str) -> WebSession:
    """The stored row of a session key (the database keeps the key's SHA-256 only)."""
    with unit_of_work() as db:
        digest = hashlib.sha256(key.encode()).hexdigest()
        return db.scalars(select(WebSession).where(WebSession.key_hash == digest)).one()


def bearer(username: str, password: str = DEMO_PASSWORD) -> dict[str, str]:
    """Authorization header for a user, through the real token endpoint."""
    response = api_client().post("/api/v1/auth/token",
                                 json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@lru_cache(maxsize=8)
def bootstrap(username: str) -> dict:
    response = api_client().get("/api/v1/bootstrap", headers=bearer(username))
    assert response.status_code == 200, response.text
    return response.json()


def indicator_codes(kind: str, immediate: bool = False, username: str = "officer1") -> list[str]:
    return [indicator["code"] for category in bootstrap(username)["catalogue"]["categories"]
            for indicator in category["indicators"]
            if indicator["kind"] == kind and indicator["immediate"] == immediate]


def observation_payload(prisoner: str, **changes) -> dict:
    """A valid payload for officer1's catalogue, changed where a test says so."""
    catalogue = bootstrap("officer1")["catalogue"]
    payload = {
        "prisoner_id": prisoner,
        "occurred_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "location": bootstrap("officer1")["locations"][0]["code"],
        "catalogue_version": catalogue["version"],
        "indicators": [indicator_codes("concern")[0]],
        "facts": 'Said to another prisoner: "they deserve what happened to them".',
        "source": "direct",
        "concern": "medium",
        "flag": False,
    }
    payload.update(changes)
    return {key: value for key, value in payload.items() if value is not ...}
