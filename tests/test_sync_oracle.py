"""No oracle across officers (issue 9, item 7): another author's item id is a `conflict` whatever
the payload, so a retry with a guessed or seen id never confirms what someone else wrote."""

from __future__ import annotations

import uuid

from app.vocabulary import Role
from tests.conftest import TEST_PASSWORD
from tests.helpers import api_client, bearer, bootstrap, indicator_codes, observation_payload

SYNC = "/api/v1/observations/sync"


def send(headers: dict[str, str], *items: dict) -> list[dict]:
    response = api_client().post(SYNC, headers=headers,
                                 json={"device_id": "tablet-7", "items": list(items)})
    assert response.status_code == 200, response.text
    return response.json()["results"]


def officer1_entry() -> dict:
    prisoner = bootstrap("officer1")["roster"][11]["id"]
    protective = indicator_codes("protective")[:1]  # never part of another test's pattern
    item = {"id": str(uuid.uuid4()),
            "payload": observation_payload(prisoner, indicators=protective)}
    assert send(bearer("officer1"), item)[0]["status"] == "created"
    return item


def test_another_officer_resending_an_id_and_its_payload_gets_conflict_not_duplicate(make_user):
    item = officer1_entry()
    same_wing = bearer(make_user(Role.OFFICER, ("A",)), TEST_PASSWORD)
    other_wing = bearer("officer2")
    answers = [send(headers, item)[0] for headers in (same_wing, other_wing)]
    assert [a["status"] for a in answers] == ["conflict", "conflict"], answers


def test_the_answer_to_another_authors_id_does_not_depend_on_the_payload(make_user):
    item = officer1_entry()
    same_wing = bearer(make_user(Role.OFFICER, ("A",)), TEST_PASSWORD)
    changed = {"id": item["id"], "payload": {**item["payload"], "concern": "high"}}
    assert send(same_wing, item) == send(same_wing, changed)


def test_the_author_still_gets_duplicate_for_a_retry():
    item = officer1_entry()
    assert send(bearer("officer1"), item)[0]["status"] == "duplicate"
