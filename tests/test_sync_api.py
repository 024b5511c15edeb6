"""Sync API v1 through HTTP: bootstrap, exactly-once sync, scoping, flags, receipts, bad input."""

from __future__ import annotations

import json
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from joserfc.jwk import RSAKey
from sqlalchemy import func, select, text, update

from app.clock import utc_now
from app.db import unit_of_work
from app.i18n.locales import Locale
from app.i18n.messages import PSEUDO_OPEN, Messages
from app.models import AuditEntry, Observation, ScreeningItem, ScreeningTrigger, User
from app.runtime import ingest_context
from app.services import sealing, screening
from app.settings import get_settings
from app.views.screening import case_view
from tests.helpers import (
    api_client,
    bearer,
    bootstrap,
    identity,
    indicator_codes,
    observation_payload,
)

SYNC = "/api/v1/observations/sync"


def roster(username: str) -> list[dict]:
    return bootstrap(username)["roster"]


def send(items: list[dict], username: str = "officer1", device: str = "tablet-1"):
    return api_client().post(SYNC, headers=bearer(username),
                             json={"device_id": device, "items": items})


def new_item(prisoner_index: int = 0, username: str = "officer1", **changes) -> dict:
    return {"id": str(uuid.uuid4()),
            "payload": observation_payload(roster(username)[prisoner_index]["id"], **changes)}


def said_to(username: str, msgid: str, **params) -> str:
    """A message as the API says it to this user, in their own language."""
    return Messages(identity(username).locale, get_settings().zone).t(msgid, **params)


def statuses(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [result["status"] for result in response.json()["results"]]


def stored(observation_id: str) -> int:
    with unit_of_work() as db:
        return db.scalar(select(func.count()).where(Observation.id == observation_id))


def open_items(prisoner_id: str) -> list[ScreeningItem]:
    with unit_of_work() as db:
        return db.scalars(select(ScreeningItem).where(ScreeningItem.prisoner_id == prisoner_id,
                                                      ScreeningItem.closed_at.is_(None))).all()


def test_bootstrap_gives_the_officer_their_wings_roster_catalogue_and_public_key():
    data = bootstrap("officer1")
    assert data["user"]["wings"] == ["A"] and len(data["roster"]) == 20
    assert {entry["wing"] for entry in data["roster"]} == {"A"}
    assert set(data["roster"][0]) == {"id", "name", "number", "wing", "restricted"}
    assert len(data["catalogue"]["categories"]) == 11 and data["locations"]
    key = data["sealing_key"]
    assert key["kty"] == "RSA" and key["kid"] and "d" not in key and "p" not in key
    # How long the tablet keeps receipts and cached data: the retention schedule's period.
    assert data["retention"] == {"receipt_days": 7}


def test_a_retry_is_a_duplicate_and_a_changed_payload_a_conflict_with_one_row():
    item = new_item(1)
    assert statuses(send([item])) == ["created"]
    assert statuses(send([item])) == ["duplicate"]
    changed = {"id": item["id"], "payload": {**item["payload"], "concern": "high"}}
    response = send([changed])
    assert statuses(response) == ["conflict"]
    assert response.json()["results"][0]["error"]["field"] == "id"
    assert stored(item["id"]) == 1


def test_the_same_id_twice_in_one_batch_is_stored_once():
    item = new_item(2)
    assert statuses(send([item, item])) == ["created", "duplicate"]
    assert stored(item["id"]) == 1


def test_one_bad_item_never_blocks_the_others():
    good1, good2 = new_item(3), new_item(4)
    bad = new_item(5, indicators=["NOPE.9"])
    assert statuses(send([good1, bad, good2])) == ["created", "rejected", "created"]


def test_an_officer_may_write_only_about_prisoners_on_their_wings():
    wing_b_prisoner = roster("officer2")[0]["id"]
    item = {"id": str(uuid.uuid4()), "payload": observation_payload(wing_b_prisoner)}
    response = send([item], "officer1")
    assert statuses(response) == ["rejected"]
    assert response.json()["results"][0]["error"] == {
        "field": "prisoner_id", "code": "not_your_wing",
        "message": said_to("officer1", "This prisoner is not on one of your wings.")}


def test_the_author_is_the_token_user_never_a_payload_field():
    item = new_item(6)
    item["payload"]["author_id"] = "someone-else"
    assert statuses(send([item])) == ["rejected"]
    good = new_item(6)
    assert statuses(send([good], "officer1")) == ["created"]
    with unit_of_work() as db:
        author = db.scalar(select(Observation.author_id).where(Observation.id == good["id"]))
    assert author == bootstrap("officer1")["user"]["id"]


@pytest.mark.parametrize("username", ["screener1", "security1", "admin1"])
def test_only_officers_post_observations(username: str):
    response = api_client().post(SYNC, headers=bearer(username),
                                 json={"device_id": "d", "items": [new_item(0)]})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


def test_a_sealed_item_is_opened_on_the_server_and_stored_encrypted():
    facts = f"Sealed words {uuid.uuid4()}"
    payload = observation_payload(roster("officer1")[7]["id"], facts=facts)
    token = sealing.seal(payload, bootstrap("officer1")["sealing_key"])
    item = {"id": str(uuid.uuid4()), "sealed": token}
    assert statuses(send([item])) == ["created"]
    assert statuses(send([{"id": item["id"], "payload": payload}])) == ["duplicate"]
    with unit_of_work() as db:
        raw = db.execute(text("SELECT * FROM observation WHERE id = :id"),
                         {"id": item["id"]}).one()
    assert facts not in " ".join(str(value) for value in raw)


def test_a_flag_opens_one_screening_item_and_later_flags_attach_to_it():
    prisoner = roster("officer1")[8]["id"]
    first = new_item(8, flag=True, flag_reason="Threatened a landing officer.")
    second = new_item(8, flag=True, flag_reason="Repeated it at dinner.")
    assert statuses(send([first])) == ["created"]
    assert statuses(send([second])) == ["created"]
    items = open_items(prisoner)
    assert len(items) == 1
    with unit_of_work() as db:
        # The id orders them: a database may return rows of a plain select in any order.
        triggers = db.scalars(select(ScreeningTrigger)
                              .where(ScreeningTrigger.item_id == items[0].id)
                              .order_by(ScreeningTrigger.id)).all()
    manual = [t for t in triggers if t.rule_id == "R1-manual"]
    assert [t.observation_ids for t in manual] == [[first["id"]], [second["id"]]]
    assert all(t.params == {} for t in manual)


def test_an_immediate_indicator_opens_an_item_without_a_manual_flag():
    prisoner = roster("officer1")[9]["id"]
    item = new_item(9, indicators=[indicator_codes("concern", immediate=True)[0]])
    assert statuses(send([item])) == ["created"]
    with unit_of_work() as db:
        rules = db.scalars(select(ScreeningTrigger.rule_id).join(
            ScreeningItem, ScreeningItem.id == ScreeningTrigger.item_id)
            .where(ScreeningItem.prisoner_id == prisoner)).all()
    assert "R2-immediate" in rules


def test_a_protective_observation_is_stored_and_flags_nothing():
    prisoner = roster("officer1")[10]["id"]
    item = new_item(10, indicators=[indicator_codes("protective")[0]], concern="low",
                    facts="Attended the literacy class and helped another learner.")
    assert statuses(send([item])) == ["created"]
    assert open_items(prisoner) == []


def test_every_created_observation_writes_an_audit_row():
    item = new_item(11)
    assert statuses(send([item])) == ["created"]
    with unit_of_work() as db:
        actions = db.scalars(select(AuditEntry.action)
                             .where(AuditEntry.record_id == item["id"])).all()
    assert actions == ["create"]


def test_mine_lists_own_entries_with_status_and_no_content():
    flagged = new_item(12, flag=True, flag_reason="Asked about making a weapon.")
    assert statuses(send([flagged])) == ["created"]
    mine = api_client().get("/api/v1/observations/mine", headers=bearer("officer1")).json()
    entry = next(o for o in mine["observations"] if o["id"] == flagged["id"])
    assert entry["status"] == "flagged" and entry["wing"] == "A"
    assert "facts" not in entry and "flag_reason" not in entry
    theirs = api_client().get("/api/v1/observations/mine", headers=bearer("officer2")).json()
    assert flagged["id"] not in {o["id"] for o in theirs["observations"]}


def _future() -> str:
    return (datetime.now(UTC) + timedelta(hours=2)).isoformat()


def _too_old() -> str:
    return (datetime.now(UTC) - timedelta(days=400)).isoformat()


@pytest.mark.parametrize(("changes", "field"), [
    ({"occurred_at": "yesterday"}, "occurred_at"),
    ({"occurred_at": "2026-11-01T10:00:00"}, "occurred_at"),  # no offset
    ({"occurred_at": None}, "occurred_at"),
    ({"indicators": []}, "indicators"),
    ({"indicators": "C01.1"}, "indicators"),
    ({"facts": ""}, "facts"),
    ({"facts": "   "}, "facts"),
    ({"facts": "x" * 4001}, "facts"),
    ({"facts": 42}, "facts"),
    ({"source": "rumour"}, "source"),
    ({"concern": "extreme"}, "concern"),
    ({"flag": "yes"}, "flag"),
    ({"flag": True}, "flag_reason"),
    ({"flag": True, "flag_reason": "  "}, "flag_reason"),
    ({"prisoner_id": "no-such-prisoner"}, "prisoner_id"),
    ({"catalogue_version": "99"}, "catalogue_version"),
    ({"location": "moon"}, "location"),
    ({"unexpected": 1}, "unexpected"),
    ({"location": ...}, "location"),
])
def test_bad_payloads_are_rejected_with_the_field_that_is_wrong(changes, field):
    response = send([new_item(13, **changes)])
    assert statuses(response) == ["rejected"]
    error = response.json()["results"][0]["error"]
    assert error["field"] == field and error["message"]


def test_times_in_the_future_or_too_old_are_rejected():
    response = send([new_item(14, occurred_at=_future()), new_item(14, occurred_at=_too_old())])
    assert statuses(response) == ["rejected", "rejected"]
    errors = [r["error"] for r in response.json()["results"]]
    assert [e["code"] for e in errors] == ["in_future", "too_old"]
    assert errors[0]["message"] == said_to("officer1", "Lies in the future.")


@pytest.mark.parametrize("item", [
    "just a string", 17, None, [], {"id": "not-a-uuid", "payload": {}},
    {"id": str(uuid.uuid4()).upper(), "payload": {}},
    {"id": str(uuid.uuid4())}, {"id": str(uuid.uuid4()), "payload": {}, "sealed": "x"},
    {"id": str(uuid.uuid4()), "sealed": "garbage"},
    {"id": str(uuid.uuid4()), "sealed": "a.b.c.d.e"}, {"id": str(uuid.uuid4()), "sealed": 5},
    {"id": str(uuid.uuid4()), "payload": "text"},
])
def test_malformed_items_are_rejected_one_by_one(item):
    good = new_item(15)
    assert statuses(send([item, good])) == ["rejected", "created"]


def test_a_sealed_item_for_an_unknown_key_is_rejected():
    # A key the server never had.
    stranger = RSAKey.import_key(rsa.generate_private_key(65537, 2048)).as_dict(private=False)
    token = sealing.seal(observation_payload(roster("officer1")[16]["id"]),
                         {**stranger, "kid": "not-ours", "alg": "RSA-OAEP-256"})
    response = send([{"id": str(uuid.uuid4()), "sealed": token}])
    assert statuses(response) == ["rejected"]
    assert response.json()["results"][0]["error"]["field"] == "sealed"


@pytest.mark.parametrize(("body", "status"), [
    (b"not json", 422), (b"[]", 422), (b'{"device_id": "d"}', 422),
    (b'{"device_id": "d", "items": []}', 422), (b'{"device_id": "", "items": [{}]}', 422),
    (b'{"device_id": "d", "items": {}}', 422), (b'{"device_id": "d", "items": [], "x": 1}', 422),
])
def test_a_malformed_request_is_a_4xx_with_a_message(body: bytes, status: int):
    response = api_client().post(SYNC, headers={**bearer("officer1"),
                                                "content-type": "application/json"},
                                 content=body)
    assert response.status_code == status
    assert response.json()["error"]["message"]


def test_more_than_500_items_is_refused_whole():
    response = send([new_item(17) for _ in range(501)])
    assert response.status_code == 422
    assert "items" in response.json()["error"]["message"]


def test_sync_without_a_token_is_401():
    response = api_client().post(SYNC, json={"device_id": "d", "items": [new_item(0)]})
    assert response.status_code == 401


def test_three_concerns_in_two_categories_queue_the_prisoner_once_with_rule_r3():
    prisoner = roster("officer1")[18]["id"]
    first, second = _two_concern_codes_in_different_categories()
    batch = [new_item(18, indicators=[code]) for code in (first, first, second)]
    assert statuses(send(batch)) == ["created"] * 3
    assert statuses(send([new_item(18, indicators=[first])])) == ["created"]
    with unit_of_work() as db:
        pattern = db.scalars(select(ScreeningTrigger).join(
            ScreeningItem, ScreeningItem.id == ScreeningTrigger.item_id)
            .where(ScreeningItem.prisoner_id == prisoner,
                   ScreeningTrigger.rule_id == "R3-pattern")).all()
    assert len(pattern) == 1
    assert set(pattern[0].observation_ids) == {item["id"] for item in batch}
    assert pattern[0].params == {"observations": 3, "officers": 1, "categories": 2, "days": 30}


def test_a_correction_is_an_addendum_and_the_observation_never_changes():
    item = new_item(19)
    assert statuses(send([item])) == ["created"]
    with unit_of_work() as db:
        before = db.execute(text("SELECT * FROM observation WHERE id = :id"),
                            {"id": item["id"]}).one()
    url = f"/api/v1/observations/{item['id']}/addenda"
    correction = "Correction: it was the yard, not the landing."
    made = api_client().post(url, headers=bearer("officer1"), json={"text": correction})
    assert made.status_code == 201
    with unit_of_work() as db:
        after = db.execute(text("SELECT * FROM observation WHERE id = :id"),
                           {"id": item["id"]}).one()
        stored_text = db.scalar(text("SELECT text_enc FROM addendum WHERE id = :id"),
                                {"id": made.json()["id"]})
    assert before == after and correction not in stored_text
    someone_else = api_client().post(url, headers=bearer("officer2"), json={"text": correction})
    assert someone_else.status_code == 404
    assert api_client().post(url, headers=bearer("officer1"), json={"text": " "}).status_code == 422


def test_concurrent_batches_flagging_one_prisoner_open_one_item():
    prisoner_index = 17
    batches = [[new_item(prisoner_index, flag=True, flag_reason=f"Threat number {n}.")]
               for n in range(8)]
    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(send, batches))
    assert [statuses(answer) for answer in answers] == [["created"]] * 8
    assert len(open_items(roster("officer1")[prisoner_index]["id"])) == 1


def test_after_a_decision_rule_r3_counts_only_observations_received_since():
    prisoner = roster("officer1")[16]["id"]
    first, second = _two_concern_codes_in_different_categories()
    assert statuses(send([new_item(16, indicators=[c]) for c in (first, first, second)])) == [
        "created"] * 3
    [item] = open_items(prisoner)
    with unit_of_work() as db:  # a screener decided (issue 5 records it; here only the close)
        db.execute(update(ScreeningItem).where(ScreeningItem.id == item.id)
                   .values(closed_at=datetime.now(UTC)))
    assert statuses(send([new_item(16, indicators=[second])])) == ["created"]
    assert open_items(prisoner) == []  # the three decided on do not count again
    assert statuses(send([new_item(16, indicators=[c]) for c in (first, second)])) == [
        "created"] * 2
    assert len(open_items(prisoner)) == 1  # three new ones since the decision


def _two_concern_codes_in_different_categories() -> tuple[str, str]:
    by_category: dict[str, str] = {}
    for category in bootstrap("officer1")["catalogue"]["categories"]:
        for indicator in category["indicators"]:
            if indicator["kind"] == "concern" and not indicator["immediate"]:
                by_category.setdefault(category["code"], indicator["code"])
    first, second = list(by_category.values())[:2]
    return first, second


def test_an_officer_learns_that_a_flag_was_reviewed_but_not_what_was_decided():
    flagged = new_item(14, flag=True, flag_reason="Drew a weapon on the cell wall.")
    assert statuses(send([flagged])) == ["created"]
    [item] = open_items(roster("officer1")[14]["id"])
    screener, now = identity("screener1"), datetime.now(UTC)
    with unit_of_work() as db:
        screening.claim(db, screener, item.id, now)
        screening.decide(db, screener, item.id, "no_further_action",
                         "Drawing copied from a film poster; no threat behind it.", now,
                         ingest_context().cipher)
    mine = api_client().get("/api/v1/observations/mine", headers=bearer("officer1")).json()
    entry = next(o for o in mine["observations"] if o["id"] == flagged["id"])
    assert entry["status"] == "screened" and entry["reviewed_at"]
    assert "no_further_action" not in json.dumps(mine) and "film poster" not in json.dumps(mine)


# --- the language of each entry, and of the answers (issue 10) -------------------------------


def written_in(observation_id: str) -> str | None:
    with unit_of_work() as db:
        return db.scalar(select(Observation.locale).where(Observation.id == observation_id))


def test_each_entry_records_the_language_it_was_written_in_and_old_clients_none():
    albanian = {**new_item(2), "locale": "sq"}
    cyrillic = {**new_item(2), "locale": "sr-Cyrl"}
    unsaid = new_item(2)
    assert statuses(send([albanian, cyrillic, unsaid])) == ["created"] * 3
    assert [written_in(i["id"]) for i in (albanian, cyrillic, unsaid)] == ["sq", "sr-Cyrl", None]


@pytest.mark.parametrize("code", ["sr", "SQ", "sr_Latn", "klingon", 7, ["sq"]])
def test_a_locale_wingwatch_does_not_speak_rejects_the_item_and_stores_nothing(code):
    item = {**new_item(3), "locale": code}
    response = send([item])
    assert statuses(response) == ["rejected"]
    assert response.json()["results"][0]["error"]["field"] == "locale"
    assert response.json()["results"][0]["error"]["code"] == "unknown_locale"
    assert stored(item["id"]) == 0


@pytest.fixture
def officer_in_pseudo_locale():
    """officer1 reads the pseudo-locale for one test, then his own language again."""
    with unit_of_work() as db:
        before = db.scalar(select(User.locale).where(User.username == "officer1"))
        db.execute(update(User).where(User.username == "officer1").values(locale="en-XA"))
    yield
    with unit_of_work() as db:
        db.execute(update(User).where(User.username == "officer1").values(locale=before))


def test_item_errors_come_with_a_code_and_in_the_callers_language(officer_in_pseudo_locale):
    wing_b = roster("officer2")[0]["id"]
    response = send([{"id": str(uuid.uuid4()), "payload": observation_payload(wing_b)},
                     new_item(4, occurred_at=_too_old()), new_item(4, facts="   ")])
    assert statuses(response) == ["rejected"] * 3
    errors = [r["error"] for r in response.json()["results"]]
    assert [e["code"] for e in errors] == ["not_your_wing", "too_old", "facts_blank"]
    pseudo = Messages(Locale.PSEUDO, get_settings().zone)
    assert errors[0]["message"] == pseudo.t("This prisoner is not on one of your wings.")
    assert all(e["message"].startswith(PSEUDO_OPEN) for e in errors), errors


def test_the_case_view_shows_the_language_beside_each_free_text():
    prisoner = roster("officer1")[5]["id"]
    entry = {**new_item(5, flag=True, flag_reason="Said it twice."), "locale": "sq"}
    assert statuses(send([entry])) == ["created"]
    (item,) = open_items(prisoner)
    screener, cipher, now = identity("screener1"), ingest_context().cipher, utc_now()
    with unit_of_work() as db:
        screening.claim(db, screener, item.id, now)
        screening.add_addendum(db, screener, item.id, "Shënim i shkurtër.", now, cipher,
                               Locale.SQ)
        screening.add_addendum(db, screener, item.id, "Белешка.", now, cipher, Locale.MK)
    with unit_of_work() as db:
        case = screening.case(db, screener, item.id, now, cipher)
    view = case_view(case, screener.user_id, {}, Messages(Locale.EN, get_settings().zone), now)
    card = next(c for c in view.timeline if c.id == entry["id"])
    assert card.language == "Shqip"
    assert [(line.text, line.language) for line in view.history if line.text] == [
        ("Shënim i shkurtër.", "Shqip"), ("Белешка.", "Македонски")]
    assert [line.language for line in view.history if not line.text] == [""]  # the claim
