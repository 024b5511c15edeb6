"""Limits (issue 9, item 6): request bodies over the configured size, sign-in attempts per
client address, and a /health that takes no write lock."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator

from app.policy import OFFICER
from app.services import sealing
from app.settings import get_settings
from tests.conftest import TEST_PASSWORD
from tests.helpers import api_client, bearer, bootstrap, indicator_codes, observation_payload

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
        **bearer(make_user(OFFICER), TEST_PASSWORD), "content-type": "application/json"})
    assert response.status_code == 200, response.text
    assert {r["error"]["field"] for r in response.json()["results"]} == {"prisoner_id"}
