"""The audit log and key API (issue 11 item 7): administrators only, bad filters named, verify
and export audited, keys listed without their material, rotation through the same functions
as app.cli."""

from __future__ import annotations

import codecs
import csv
import io
import json

import jwt
import pytest
from sqlalchemy import select

from app.db import unit_of_work
from app.models import AuditEntry
from app.settings import get_settings
from tests.helpers import api_client, bearer

BASE = "/api/v1/admin"


def _last_row() -> AuditEntry:
    with unit_of_work() as db:
        return db.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()


@pytest.mark.parametrize(("method", "path"), [
    ("get", "/audit"), ("post", "/audit/verify"), ("get", "/audit/export.csv"),
    ("get", "/keys"), ("post", "/keys/token/rotate"),
])
def test_every_route_is_for_administrators(method, path):
    client = api_client()
    assert getattr(client, method)(BASE + path).status_code == 401
    for user in ("officer1", "screener1", "security1"):
        answer = getattr(client, method)(BASE + path, headers=bearer(user))
        assert answer.status_code == 403, (user, answer.text)
        assert answer.json()["error"]["code"] == "forbidden"


def test_the_list_filters_and_says_what_each_entry_means():
    admin = bearer("admin1")
    api_client().post(f"{BASE}/audit/verify", headers=admin)
    answer = api_client().get(f"{BASE}/audit", headers=admin,
                              params={"who": "admin1", "action": "read"})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["total"] >= 1 and body["page"] == 1 and body["page_size"] == 50
    first = body["entries"][0]
    assert first["action"] == "read" and first["actor_username"] == "admin1"
    assert first["meaning"].startswith("Verified the audit log")
    assert {e["actor_username"] for e in body["entries"]} == {"admin1"}


@pytest.mark.parametrize(("params", "field"), [
    ({"since": "2.3.2026"}, "since"), ({"action": "nothing"}, "action"),
    ({"page": "-1"}, "page"), ({"until": "2026-13-01"}, "until"),
])
def test_a_bad_filter_is_a_422_naming_the_field(params, field):
    answer = api_client().get(f"{BASE}/audit", headers=bearer("admin1"), params=params)
    assert answer.status_code == 422
    error = answer.json()["error"]
    assert error["code"] == "invalid_filter" and error["message"].startswith(f"{field}: ")


def test_a_bad_filter_is_said_in_the_callers_language():
    answer = api_client().get(f"{BASE}/audit", params={"since": "x"},
                              headers={**bearer("admin1"), "Accept-Language": "sr-Latn"})
    assert answer.status_code == 422  # the admin's own locale decides; the field stays "since"
    assert "since" in answer.json()["error"]["message"]


def test_verify_answers_ok_and_is_itself_audited():
    answer = api_client().post(f"{BASE}/audit/verify", headers=bearer("admin1"))
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["ok"] is True and body["first_broken_row"] is None and body["reason"] == ""
    assert body["message"].startswith("Audit log intact")
    row = _last_row()
    assert (row.action, row.purpose) == ("read", "audit.verify")
    assert json.loads(row.detail) == {"ok": True, "rows": body["rows_checked"], "broken": None}


def test_the_export_is_csv_of_the_filtered_view_and_is_audited():
    answer = api_client().get(f"{BASE}/audit/export.csv", headers=bearer("admin1"),
                              params={"who": "admin1", "action": "read"})
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/csv")
    assert "attachment" in answer.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(codecs.decode(answer.content, "utf-8-sig"))))
    assert rows[1][:3] == ["Row", "Time", "Action"]
    assert rows[2:] and {row[2] for row in rows[2:]} == {"Record read"}
    row = _last_row()
    assert (row.action, row.purpose) == ("export", "audit.export")
    assert json.loads(row.detail) == {"who": "admin1", "action": "read", "rows": len(rows) - 2}


def test_keys_are_listed_without_their_material():
    answer = api_client().get(f"{BASE}/keys", headers=bearer("admin1"))
    assert answer.status_code == 200, answer.text
    keys = answer.json()
    assert {k["kind"] for k in keys} == {"token", "data", "sealing", "audit"}
    assert {k["kind"] for k in keys if k["rotatable"]} == {"token", "data", "sealing"}
    assert all(k["use"] in {"current", "retiring", "expired", "older"} for k in keys)
    text = answer.text
    keys_dir = get_settings().keys_dir
    assert "PRIVATE KEY" not in text
    assert (keys_dir / "audit" / "head.key").read_bytes().hex() not in text
    for path in (keys_dir / "data").glob("*.key"):
        assert path.read_text().strip() not in text


def test_rotating_the_token_key_keeps_old_tokens_working():
    old = bearer("admin1")
    before = jwt.get_unverified_header(old["Authorization"].split()[1])["kid"]
    answer = api_client().post(f"{BASE}/keys/token/rotate", headers=old)
    assert answer.status_code == 200, answer.text
    rotated = answer.json()
    assert rotated["kind"] == "token" and rotated["kid"] != before
    listed = api_client().get(f"{BASE}/keys", headers=old)  # the old token still verifies
    assert listed.status_code == 200
    uses = {k["kid"]: k["use"] for k in listed.json() if k["kind"] == "token"}
    assert uses[rotated["kid"]] == "current" and uses[before] == "retiring"
    row = _last_row()
    assert row.action == "admin_change" and row.record_id == "token"
    assert json.loads(row.detail)["after"] == {"kid": rotated["kid"]}


@pytest.mark.parametrize(("kind", "status", "code"), [
    ("audit", 409, "not_rotatable"), ("everything", 404, "unknown_key_kind"),
])
def test_what_cannot_be_rotated_is_refused(kind, status, code):
    answer = api_client().post(f"{BASE}/keys/{kind}/rotate", headers=bearer("admin1"))
    assert answer.status_code == status
    assert answer.json()["error"]["code"] == code
