"""The accounts and postings API: administrators only, bad input 4xx naming the field, CSV
errors with line and column, and the forced password change for tokens."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.clock import prisons_today
from tests.account_data import fresh_name, fresh_prison
from tests.helpers import api_client, bearer

USERS = "/api/v1/admin/users"
NEW_PASSWORD = "my own new passphrase"


@pytest.fixture(scope="module")
def admin_headers():
    return bearer("admin1")


@pytest.fixture
def prison():
    return fresh_prison()


def created(headers, prison, role="officer", **changes) -> dict:
    body = {"username": fresh_name(), "display_name": "Api Person", "role": role,
            "locale": "en", "prison": prison.code, **changes}
    response = api_client().post(USERS, json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def temporary_of(headers, username: str) -> str:
    response = api_client().post(f"{USERS}/{username}/password-reset", headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    return response.json()["temporary_password"]


ROUTES = [("get", USERS, None), ("post", USERS, {}), ("patch", f"{USERS}/officer1", {}),
          ("post", f"{USERS}/officer1/password-reset", None),
          ("post", f"{USERS}/officer1/unlock", None), ("get", f"{USERS}/officer1/postings", None),
          ("post", f"{USERS}/officer1/postings", {}),
          ("patch", f"{USERS}/officer1/postings/1", {})]


@pytest.mark.parametrize("method, path, body", ROUTES)
def test_every_route_needs_a_token_and_an_administrator(method, path, body):
    call = getattr(api_client(), method)
    kwargs = {"json": body} if body is not None else {}
    assert call(path, **kwargs).status_code == 401
    for username in ("officer1", "screener1", "security1"):
        response = call(path, headers=bearer(username), **kwargs)
        assert response.status_code == 403, (username, response.text)


def test_import_needs_an_administrator_too():
    response = api_client().post(f"{USERS}/import", content="username\n",
                                 headers={**bearer("officer1"), "content-type": "text/csv"})
    assert response.status_code == 403


def test_create_list_filter_and_detail(admin_headers, prison):
    user = created(admin_headers, prison)
    assert user["prison"] == prison.code and user["must_change_password"]
    assert "password_hash" not in user and user["postings"] == []
    listed = api_client().get(USERS, params={"prison": prison.code, "role": "officer",
                                             "active": "true"}, headers=admin_headers).json()
    assert [row["username"] for row in listed] == [user["username"]]
    assert api_client().get(USERS, params={"prison": prison.code, "locked": "true"},
                            headers=admin_headers).json() == []


@pytest.mark.parametrize("changes, status, field", [
    ({"username": "a b"}, 422, "username"), ({"role": "boss"}, 422, "role"),
    ({"locale": "xx"}, 422, "locale"), ({"prison": "NOPE"}, 422, "prison"),
    ({"display_name": ""}, 422, "display_name"), ({"extra": 1}, 422, "extra"),
])
def test_bad_input_is_a_4xx_naming_the_field(admin_headers, prison, changes, status, field):
    body = {"username": fresh_name(), "display_name": "X", "role": "officer", "locale": "en",
            "prison": prison.code, **changes}
    response = api_client().post(USERS, json=body, headers=admin_headers)
    assert response.status_code == status, response.text
    assert response.json()["error"]["message"].startswith(f"{field}:"), response.text


def test_a_taken_username_is_409(admin_headers, prison):
    user = created(admin_headers, prison)
    response = api_client().post(USERS, headers=admin_headers, json={
        "username": user["username"], "display_name": "X", "role": "officer",
        "prison": prison.code})
    assert response.status_code == 409 and response.json()["error"]["code"] == "username_taken"


def test_unknown_user_is_404(admin_headers):
    response = api_client().patch(f"{USERS}/nobody-{fresh_name()}", json={"active": False},
                                  headers=admin_headers)
    assert response.status_code == 404


def test_postings_add_end_and_refusals(admin_headers, prison):
    user = created(admin_headers, prison)
    path = f"{USERS}/{user['username']}/postings"
    response = api_client().post(path, headers=admin_headers, json={
        "scope": "wing", "wing": "A", "valid_from": "2026-01-01"})
    assert response.status_code == 201, response.text
    posting = response.json()
    assert posting["wing"] == "A" and posting["current"]
    for body, field in (({"scope": "prison", "valid_from": "2026-01-01"}, "scope"),
                        ({"scope": "wing", "wing": "C", "valid_from": "2026-01-01"}, "wing"),
                        ({"scope": "wing", "wing": "A", "valid_from": "2026-01-01",
                          "valid_to": "2025-01-01"}, "valid_to"),
                        ({"scope": "wing", "wing": "A", "valid_from": "1 May"}, "valid_from")):
        refused = api_client().post(path, headers=admin_headers, json=body)
        assert refused.status_code == 422, refused.text
        assert refused.json()["error"]["message"].startswith(field), refused.text
    yesterday = (prisons_today() - timedelta(days=1)).isoformat()
    ended = api_client().patch(f"{path}/{posting['id']}", headers=admin_headers,
                               json={"valid_to": yesterday})
    assert ended.status_code == 200 and ended.json() == {**posting, "valid_to": yesterday,
                                                         "current": False}
    assert api_client().get(path, headers=admin_headers).json()[0]["valid_to"] == yesterday


def test_csv_dry_run_then_apply_and_errors_name_line_and_column(admin_headers, prison):
    new = fresh_name()
    good = f"username,display_name,role,locale,prison,wings\n{new},Csv One,officer,sq,{prison.code},A;B\n"
    headers = {**admin_headers, "content-type": "text/csv"}
    dry = api_client().post(f"{USERS}/import", content=good, headers=headers)
    assert dry.status_code == 200, dry.text
    assert dry.json()["lines"] == [{"line": 2, "username": new, "action": "create",
                                    "changes": ["account", "wing:A", "wing:B"]}]
    assert api_client().get(f"{USERS}/{new}", headers=admin_headers).status_code == 404
    applied = api_client().post(f"{USERS}/import", params={"dry_run": "false"}, content=good,
                                headers=headers)
    assert applied.status_code == 200 and applied.json()["ok"]
    assert api_client().get(f"{USERS}/{new}", headers=admin_headers).json()["wings"] == ["A", "B"]

    bad = good + f"{fresh_name()},Bad,officer,zz,{prison.code},\n"
    dry = api_client().post(f"{USERS}/import", content=bad, headers=headers).json()
    assert [(e["line"], e["column"]) for e in dry["errors"]] == [(3, "locale")]
    refused = api_client().post(f"{USERS}/import", params={"dry_run": "false"}, content=bad,
                                headers=headers)
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "invalid_csv"
    assert "Line 3, column locale" in refused.json()["error"]["message"]
    no_column = api_client().post(f"{USERS}/import", content="username\nx\n", headers=headers)
    assert no_column.status_code == 422 and "display_name" in no_column.json()["error"]["message"]
    wrong_type = api_client().post(f"{USERS}/import", content=good, headers=admin_headers)
    assert wrong_type.status_code == 415


def test_reset_forces_a_change_before_any_other_route(admin_headers, prison):
    user = created(admin_headers, prison)
    temporary = temporary_of(admin_headers, user["username"])
    headers = bearer(user["username"], temporary)
    refused = api_client().get("/api/v1/bootstrap", headers=headers)
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "password_change_required"
    change = "/api/v1/auth/password"
    wrong = api_client().post(change, headers=headers, json={
        "current_password": "not it at all", "new_password": NEW_PASSWORD})
    assert wrong.status_code == 403 and wrong.json()["error"]["message"].startswith(
        "current_password")
    same = api_client().post(change, headers=headers, json={
        "current_password": temporary, "new_password": temporary})
    assert same.status_code == 409 and same.json()["error"]["code"] == "same_password"
    done = api_client().post(change, headers=headers, json={
        "current_password": temporary, "new_password": NEW_PASSWORD})
    assert done.status_code == 204, done.text
    assert api_client().get("/api/v1/auth/me", headers=headers).status_code == 200
    assert api_client().get(f"{USERS}/{user['username']}",
                            headers=admin_headers).json()["must_change_password"] is False


def test_deactivate_refuses_the_accounts_tokens_and_unlock(admin_headers, prison):
    user = created(admin_headers, prison)
    name = user["username"]
    temporary = temporary_of(admin_headers, name)
    headers = bearer(name, temporary)
    off = api_client().patch(f"{USERS}/{name}", json={"active": False}, headers=admin_headers)
    assert off.status_code == 200 and off.json()["active"] is False
    assert api_client().post("/api/v1/auth/password", headers=headers, json={
        "current_password": temporary, "new_password": NEW_PASSWORD}).status_code == 401
    for _ in range(5):
        api_client().post("/api/v1/auth/token", json={"username": name, "password": "nope"})
    assert api_client().get(USERS, params={"locked": "true", "prison": prison.code},
                            headers=admin_headers).json()[0]["username"] == name
    unlocked = api_client().post(f"{USERS}/{name}/unlock", headers=admin_headers)
    assert unlocked.json() == {"username": name, "unlocked": True}
