"""PUT /api/v1/admin/prisons/{code}/roster: who may call it, CSV and JSON, dry run and apply,
faults with line and column, and a roster service account that can do nothing else."""

from __future__ import annotations

import json

import pytest

from app.settings import get_settings

from tests.helpers import api_client, bearer, observation_payload
from tests.roster_data import PASSWORD, csv_of, new_account, new_prison

CSV = {"Content-Type": "text/csv; charset=utf-8"}
JSON = {"Content-Type": "application/json"}
FILE = csv_of("K-1,Марко,Петровић,A,2024-01-10,", "K-2,Ana,Ilić,B,2024-02-01,")


def put(prison_code: str, body: bytes, headers: dict, *, dry_run: bool = False):
    return api_client().put(f"/api/v1/admin/prisons/{prison_code}/roster",
                            params={"dry_run": "true"} if dry_run else None,
                            content=body, headers=headers)


@pytest.fixture(scope="module")
def service() -> dict[str, str]:
    """A prison management system's account: a User row without postings, role roster_service."""
    return bearer(new_account("roster_service"), PASSWORD)


def test_admin_dry_run_then_apply_csv():
    prison = new_prison()
    preview = put(prison.code, FILE, {**bearer("admin1"), **CSV}, dry_run=True)
    assert preview.status_code == 200, preview.text
    body = preview.json()
    assert body["applied"] is False
    assert body["counts"]["added"] == 2
    assert [a["name"] for a in body["added"]] == ["Марко Петровић", "Ana Ilić"]
    again = put(prison.code, FILE, {**bearer("admin1"), **CSV}, dry_run=True)
    assert again.json()["counts"]["added"] == 2  # the dry run changed nothing
    done = put(prison.code, FILE, {**bearer("admin1"), **CSV})
    assert done.status_code == 200 and done.json()["applied"] is True
    moved = put(prison.code, csv_of("K-1,Марко,Петровић,B,2024-01-10,"),
                {**bearer("admin1"), **CSV})
    assert moved.json()["moved"] == [{"number": "K-1", "name": "Марко Петровић",
                                      "from_wing": "A", "to_wing": "B"}]
    assert [m["number"] for m in moved.json()["missing"]] == ["K-2"]


def test_service_account_loads_json(service):
    prison = new_prison()
    body = [{"prisoner_number": "K-1", "given_name": "Ana", "family_name": "Ilić", "wing": "A",
             "admitted_on": "2024-01-10"}]
    response = put(prison.code, json.dumps(body).encode(), {**service, **JSON})
    assert response.status_code == 200, response.text
    assert response.json()["counts"] == {"rows": 1, "added": 1, "moved": 0, "renamed": 0,
                                         "released": 0, "missing": 0, "returned": 0,
                                         "unchanged": 0}


def test_faults_name_line_and_column():
    prison = new_prison()
    bad = csv_of("K-1,Ana,Ilić,A,2024-01-10,", "K-2,Ana,Ilić,A,01/02/2024,",
                 "K-1,Ana,Ilić,A,2024-01-10,", "K-3,Ana,Ilić,Z,2024-01-10,")
    response = put(prison.code, bad, {**bearer("admin1"), **CSV})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_roster"
    assert error["total"] == 3
    assert [(e["line"], e["column"], e["code"]) for e in error["errors"]] == [
        (3, "admitted_on", "bad_date"), (4, "prisoner_number", "repeated_number"),
        (5, "wing", "unknown_wing")]
    assert "line 2" in error["errors"][1]["message"]
    wing = put(prison.code, csv_of("K-2,Ana,Ilić,Z,2024-01-10,"), {**bearer("admin1"), **CSV})
    assert [(e["line"], e["column"], e["code"]) for e in wing.json()["error"]["errors"]] == [
        (2, "wing", "unknown_wing")]
    not_json = put(prison.code, b"[{", {**bearer("admin1"), **JSON})
    assert not_json.status_code == 422 and not_json.json()["error"]["errors"][0]["line"] == 0
    assert put(prison.code, FILE, {**bearer("admin1"), **CSV}, dry_run=True).json()[
        "counts"]["added"] == 2  # nothing of the refused files was kept


def test_media_type_prison_and_size():
    admin = bearer("admin1")
    assert put("NOPE", FILE, {**admin, **CSV}).status_code == 404
    refused = put(new_prison().code, FILE, {**admin, "Content-Type": "text/plain"})
    assert (refused.status_code, refused.json()["error"]["code"]) == (415,
                                                                      "unsupported_media_type")
    # 40 000 prisoners are over the app's limit (2 MiB), within this route's own.
    rows = [f"K-{i},Александар,Константиновић,A,2024-01-10," for i in range(40_000)]
    big = csv_of(*rows)
    assert len(big) > get_settings().max_request_bytes
    assert put(new_prison().code, big, {**admin, **CSV}, dry_run=True).status_code == 200
    too_big = put(new_prison().code, b"x" * (16 * 1024 * 1024 + 1), {**admin, **CSV})
    assert too_big.status_code == 413


def test_who_may_call():
    prison = new_prison()
    assert put(prison.code, FILE, CSV).status_code == 401
    for username in ("officer1", "screener1", "security1"):
        response = put(prison.code, FILE, {**bearer(username), **CSV}, dry_run=True)
        assert response.status_code == 403, username


def test_the_service_account_can_do_nothing_else(service):
    client = api_client()
    assert client.get("/api/v1/bootstrap", headers=service).status_code == 403
    assert client.get("/api/v1/auth/me", headers=service).status_code == 403
    assert client.post("/api/v1/observations/sync", headers=service,
                       json={"items": [observation_payload("x")]}).status_code == 403
    assert client.get("/api/v1/observations/mine", headers=service).status_code == 403
    assert client.get("/api/v1/admin/prisons", headers=service).status_code == 403
    assert client.get("/api/v1/admin/tablets", headers=service).status_code == 403


def test_a_prisons_own_service_account_loads_only_that_prison():
    home, other = new_prison(), new_prison()
    own = bearer(new_account("roster_service", home), PASSWORD)
    assert put(home.code, FILE, {**own, **CSV}, dry_run=True).status_code == 200
    assert put(other.code, FILE, {**own, **CSV}, dry_run=True).status_code == 403
