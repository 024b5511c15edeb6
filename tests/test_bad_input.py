"""Bad input gets a clear 4xx or a per-item `rejected`, never a 500 (issue 9, item 5).

Each case here broke the server once: surrogates that cannot be written as UTF-8, JSON nested
deeper than the parser's recursion, dates at the edge of the calendar, NUL in PostgreSQL text.
"""

from __future__ import annotations

import json
import re
import uuid

import pytest
from joserfc import jwe
from joserfc.jwk import RSAKey

from app.db import unit_of_work
from app.runtime import ingest_context
from app.services import screening, sealing
from tests.helpers import (
    T0,
    api_client,
    bearer,
    bootstrap,
    identity,
    indicator_codes,
    observation_payload,
)
from tests.screening_data import flagged_item

SYNC = "/api/v1/observations/sync"
YEAR_ONE = "0001-01-01T00:00:00+01:00"


def prisoner(index: int) -> str:
    return bootstrap("officer1")["roster"][index]["id"]


def post_raw(path: str, body: str):
    """The body exactly as written: json.dumps would refuse to make some of these."""
    return api_client().post(path, content=body.encode(),
                             headers={**bearer("officer1"), "content-type": "application/json"})


def good_item(index: int = 18, **changes) -> dict:
    """Protective only, so these entries never add up to another test's flag pattern."""
    changes = {"indicators": indicator_codes("protective")[:1], **changes}
    return {"id": str(uuid.uuid4()), "payload": observation_payload(prisoner(index), **changes)}


def sync_raw(*items: str):
    """A batch whose items are raw JSON texts, followed by one good item."""
    good = json.dumps(good_item())
    return post_raw(SYNC, '{"device_id": "tablet-9", "items": [' + ", ".join([*items, good])
                    + "]}")


def results(response) -> list[dict]:
    assert response.status_code == 200, response.text
    return response.json()["results"]


def assert_rejected_then_created(response, field: str) -> None:
    first, last = results(response)
    assert (first["status"], last["status"]) == ("rejected", "created"), first
    assert first["error"]["field"].startswith(field), first
    assert first["error"]["message"]


def test_a_lone_surrogate_as_item_id_is_rejected_and_the_answer_is_still_json():
    response = sync_raw('{"id": "\\ud800", "payload": {}}')
    assert_rejected_then_created(response, "id")


def test_a_lone_surrogate_as_an_item_field_name_is_rejected():
    response = sync_raw('{"id": "%s", "\\ud800": 1, "payload": {}}' % uuid.uuid4())
    assert_rejected_then_created(response, "")


def test_a_lone_surrogate_as_a_payload_field_name_is_rejected():
    payload = json.dumps(good_item()["payload"])[:-1] + ', "\\udfff": 1}'
    response = sync_raw('{"id": "%s", "payload": %s}' % (uuid.uuid4(), payload))
    assert_rejected_then_created(response, "")


def test_a_lone_surrogate_in_free_text_is_rejected_with_its_field():
    payload = json.dumps(good_item()["payload"])[:-1] + ', "assessment": "x\\ud800"}'
    response = sync_raw('{"id": "%s", "payload": %s}' % (uuid.uuid4(), payload))
    assert_rejected_then_created(response, "assessment")


def test_deeply_nested_json_inside_a_sealed_item_is_rejected():
    key = bootstrap("officer1")["sealing_key"]
    plaintext = ('{"facts": ' + "[" * 20_000 + "]" * 20_000 + "}").encode()
    token = jwe.encrypt_compact({"alg": sealing.ALG, "enc": sealing.ENC, "kid": key["kid"]},
                                plaintext, RSAKey.import_key(key),
                                registry=jwe.JWERegistry(algorithms=[sealing.ALG, sealing.ENC]))
    response = sync_raw(json.dumps({"id": str(uuid.uuid4()), "sealed": token}))
    assert_rejected_then_created(response, "sealed")


def test_deeply_nested_json_as_the_request_body_is_a_400():
    response = post_raw(SYNC, '{"device_id": "t", "items": [' + "[" * 50_000 + "]" * 50_000
                        + "]}")
    assert response.status_code == 400, response.text
    assert response.json()["error"]["code"] == "invalid_body"


@pytest.mark.parametrize("field", ["occurred_at", "recorded_at"])
def test_a_time_in_year_one_is_rejected_and_the_batch_goes_on(field: str):
    response = sync_raw(json.dumps(good_item(19, **{field: YEAR_ONE})))
    assert_rejected_then_created(response, field)


@pytest.mark.parametrize("field", ["occurred_at", "recorded_at"])
def test_a_time_in_year_9999_is_rejected_and_the_batch_goes_on(field: str):
    response = sync_raw(json.dumps(good_item(19, **{field: "9999-12-31T23:59:59-01:00"})))
    assert_rejected_then_created(response, field)


def mine(since: str):
    return api_client().get("/api/v1/observations/mine", params={"since": since},
                            headers=bearer("officer1"))


@pytest.mark.parametrize("since", ["0.5", "1700000000", "2026-03-02T09:00:00", "yesterday"])
def test_mine_refuses_a_since_that_is_no_iso_time_with_offset(since: str):
    response = mine(since)
    assert response.status_code == 422, response.text
    assert "since: give an ISO 8601 date-time" in response.json()["error"]["message"]


def test_mine_takes_a_since_at_the_calendars_ends_as_from_the_start_or_nothing_yet():
    sync_raw()  # officer1 has at least one entry
    early, late = mine(YEAR_ONE), mine("9999-12-31T23:59:59-10:00")
    assert (early.status_code, late.status_code) == (200, 200), (early.text, late.text)
    assert early.json()["observations"] and late.json()["observations"] == []


@pytest.mark.parametrize("field", ["prisoner_id", "facts", "assessment", "flag_reason",
                                   "location", "catalogue_version"])
def test_a_nul_byte_in_a_string_is_rejected_with_its_field(field: str):
    changes = {field: "x\x00y", "flag": field == "flag_reason"}
    response = sync_raw(json.dumps(good_item(17, **changes)))
    assert_rejected_then_created(response, field)


def test_a_nul_byte_in_an_addendum_path_or_text_is_a_4xx():
    headers = bearer("officer1")
    by_path = api_client().post("/api/v1/observations/x%00y/addenda", json={"text": "more"},
                                headers=headers)
    by_text = api_client().post(f"/api/v1/observations/{uuid.uuid4()}/addenda",
                                json={"text": "a\x00b"}, headers=headers)
    assert (by_path.status_code, by_text.status_code) == (422, 422), (by_path.text, by_text.text)


@pytest.mark.parametrize("body", ['{"username": "\\ud800", "password": "x"}',
                                  '{"username": "a", "password": "x", "\\ud800": 1}',
                                  '{"username": "a\\u0000", "password": "\\udc00"}'])
def test_surrogates_in_a_token_request_are_a_4xx_with_json(body: str):
    response = api_client().post("/api/v1/auth/token", content=body.encode(),
                                 headers={"content-type": "application/json"})
    assert 400 <= response.status_code < 500, response.text
    assert response.json()["error"]["message"]


def test_the_document_lists_the_400_of_an_unparsable_body_where_bodies_are_sent():
    paths = api_client().get("/api/v1/openapi.json").json()["paths"]
    for path in ("/api/v1/observations/sync", "/api/v1/observations/{observation_id}/addenda"):
        assert "400" in paths[path]["post"]["responses"], path


def test_a_lone_surrogate_in_a_screening_reason_is_refused_in_words():
    item_id = flagged_item()
    screener = identity("screener1")
    with unit_of_work() as db:
        screening.claim(db, screener, item_id, T0)
    reason = "Reason enough to decide on this item \ud800."
    with pytest.raises(screening.ScreeningError, match="character"), unit_of_work() as db:
        screening.decide(db, screener, item_id, "no_further_action", reason, T0,
                         ingest_context().cipher)


def test_blank_means_the_same_to_the_document_and_to_the_server():
    """"\x1c" is white space to Python's strip and not to a JSON Schema validator: the live fuzz
    sent it as an addendum the document allowed and the server refused."""
    schema = api_client().get("/api/v1/openapi.json").json()
    pattern = re.compile(schema["components"]["schemas"]["AddendumRequest"]["properties"]
                         ["text"]["pattern"])
    for blank in ("\x1c", " \t\u3000", "\ufeff", "\x85"):
        assert not pattern.search(blank)
        response = api_client().post(f"/api/v1/observations/{uuid.uuid4()}/addenda",
                                     json={"text": blank}, headers=bearer("officer1"))
        assert response.status_code == 422, (blank, response.text)
    assert pattern.search("seen \x1c")
