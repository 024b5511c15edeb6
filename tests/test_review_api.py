"""The review list and legal holds through the REST API (issue 12 items 3 and 4): the list,
a decision, a hold and its release, and the refusals as 4xx errors that name their field."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.clock import prisons_today, utc_now
from app.db import unit_of_work
from app.models import AuditEntry, ReviewEntry
from app.vocabulary import RecordClass
from tests.helpers import api_client, bearer
from tests.review_data import entry, item_entry, other_prison

client = api_client()
WHY = "The prisoner's appeal is still pending in court."


def test_the_list_and_an_extend_decision():
    now = utc_now()
    today = prisons_today(now)
    late, item_id = item_entry(now, today - timedelta(days=2))
    headers = bearer("screener1")
    listed = client.get("/api/v1/review?when=overdue", headers=headers)
    assert listed.status_code == 200, listed.text
    (mine,) = [e for e in listed.json()["entries"] if e["id"] == late]
    assert mine["overdue"] and mine["item_id"] == item_id
    assert mine["decisions"] == ["erase", "extend"] and mine["prisoner_number"].startswith("T-")
    assert "facts" not in mine

    until = (today + timedelta(days=30)).isoformat()
    short = client.post(f"/api/v1/review/{late}/decision", headers=headers,
                        json={"decision": "extend", "until": until, "reason": "appeal"})
    assert short.status_code == 422
    assert short.json()["error"]["code"] == "reason_too_short"
    # In screener1's language (bs), with the field's name and the number.
    assert "reason" in short.json()["error"]["message"]
    assert "najmanje 10" in short.json()["error"]["message"]
    done = client.post(f"/api/v1/review/{late}/decision", headers=headers,
                       json={"decision": "extend", "until": until, "reason": WHY})
    assert done.status_code == 200, done.text
    assert done.json() == {"entry_id": late, "decision": "extend", "extended_to": until}
    again = client.post(f"/api/v1/review/{late}/decision", headers=headers,
                        json={"decision": "erase"})
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_decided"


def test_a_hold_and_its_release_and_erase_refused_while_held():
    now = utc_now()
    today = prisons_today(now)
    late, item_id = item_entry(now, today - timedelta(days=2))
    headers = bearer("screener1")
    placed = client.post("/api/v1/holds", headers=headers, json={
        "subject": "item", "subject_id": str(item_id),
        "until": (today + timedelta(days=10)).isoformat(), "reason": WHY})
    assert placed.status_code == 201, placed.text
    hold_id = placed.json()["id"]
    erase = client.post(f"/api/v1/review/{late}/decision", headers=headers,
                        json={"decision": "erase"})
    assert erase.status_code == 409 and erase.json()["error"]["code"] == "on_hold"
    released = client.post(f"/api/v1/holds/{hold_id}/release", headers=headers)
    assert released.status_code == 204
    assert client.post(f"/api/v1/holds/{hold_id}/release", headers=headers).status_code == 409
    erase = client.post(f"/api/v1/review/{late}/decision", headers=headers,
                        json={"decision": "erase"})
    assert erase.status_code == 200, erase.text
    with unit_of_work() as db:
        assert db.get(ReviewEntry, late).decision == "erase"
        assert db.scalars(select(AuditEntry.purpose).where(
            AuditEntry.record_id == f"hold:{hold_id}").order_by(AuditEntry.seq)).all() == [
            "hold.place", "hold.release"]


def test_other_roles_and_other_prisons_are_refused():
    prison_id, prisoner_id = other_prison()
    elsewhere = entry(RecordClass.SCREENING_DECISION, "99996", prison_id, prisoner_id,
                      prisons_today(), utc_now())
    for username in ("officer1", "security1", "admin1"):
        answer = client.get("/api/v1/review", headers=bearer(username))
        assert answer.status_code == 403, (username, answer.text)
    answer = client.post(f"/api/v1/review/{elsewhere}/decision", headers=bearer("screener1"),
                         json={"decision": "erase"})
    assert answer.status_code == 403
    answer = client.post("/api/v1/holds", headers=bearer("screener1"), json={
        "subject": "observation", "subject_id": "nobody's", "until": "2027-01-01",
        "reason": WHY})
    assert answer.status_code == 403
    assert client.get("/api/v1/review").status_code == 401


def test_bad_input_is_a_4xx_never_a_500():
    headers = bearer("screener1")
    for body in ({"decision": "shred"}, {"decision": "extend", "until": "tomorrow"},
                 {"decision": "extend", "until": "2027-01-01", "reason": "x\u0000y"}, [], "x"):
        answer = client.post("/api/v1/review/1/decision", headers=headers, json=body)
        assert 400 <= answer.status_code < 500, (body, answer.text)
    assert client.post("/api/v1/review/0/decision", headers=headers,
                       json={"decision": "erase"}).status_code == 422
    assert client.post("/api/v1/review/2147483647/decision", headers=headers,
                       json={"decision": "erase"}).status_code == 404
    assert client.get("/api/v1/review?when=soon", headers=headers).status_code == 422
