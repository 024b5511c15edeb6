"""The REST API through HTTP: health, tokens, error bodies, and the sign-in cookie swap."""

from __future__ import annotations

import json

import pytest

from app.clock import utc_now
from app.services.accounts import INVALID_MESSAGE
from app.vocabulary import Role
from tests.conftest import TEST_PASSWORD
from tests.helpers import DEMO_PASSWORD, api_client, identity, new_ticket, session_row

TOKEN = "/api/v1/auth/token"
SESSION = "/api/v1/auth/session"
client = api_client()


@pytest.fixture(autouse=True)
def no_cookies():
    client.cookies.clear()  # the client is shared: each test starts as a fresh browser


def assert_error_body(response) -> None:
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    assert body["error"]["code"] and body["error"]["message"]


def token_for(username: str, password: str):
    return client.post(TOKEN, json={"username": username, "password": password})


def test_health_reports_ok():
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


ADMIN_PATHS = {f"/api/v1/admin/{path}" for path in (
    "audit", "audit/export.csv", "audit/verify", "keys", "keys/{kind}/rotate",
    "catalogue/drafts", "catalogue/drafts/{draft_id}", "catalogue/drafts/{draft_id}/check",
    "catalogue/drafts/{draft_id}/indicators", "catalogue/drafts/{draft_id}/indicators/{code}",
    "catalogue/drafts/{draft_id}/preview", "catalogue/drafts/{draft_id}/publish",
    "catalogue/drafts/{draft_id}/texts", "catalogue/versions", "catalogue/versions/{version}",
    "prisons", "prisons/{code}", "prisons/{code}/locations", "prisons/{code}/locations/{location}",
    "prisons/{code}/roster", "prisons/{code}/wings", "prisons/{code}/wings/{wing}",
    "tablets", "tablets/{device_id}/lost", "users", "users/import", "users/{username}",
    "users/{username}/password-reset", "users/{username}/postings",
    "users/{username}/postings/{posting_id}", "users/{username}/unlock")}


def test_openapi_lists_the_public_paths():
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert set(response.json()["paths"]) == {
        "/api/v1/health", "/api/v1/auth/token", "/api/v1/auth/me", "/api/v1/bootstrap",
        "/api/v1/observations/sync", "/api/v1/observations/mine",
        "/api/v1/observations/{observation_id}/addenda", "/api/v1/auth/password",
        "/api/v1/devices/report", *ADMIN_PATHS,
        # issue 12: the review list and legal holds
        "/api/v1/review", "/api/v1/review/{entry_id}/decision", "/api/v1/holds",
        "/api/v1/holds/{hold_id}/release"}


def test_token_for_the_right_password():
    response = token_for("security1", DEMO_PASSWORD)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access_token", "token_type", "expires_in", "role"}
    assert body["token_type"] == "bearer" and body["role"] == Role.SECURITY_HEAD
    assert 0 < body["expires_in"] <= 900
    assert body["access_token"].count(".") == 2


def test_wrong_password_and_unknown_user_get_the_same_401(make_user):
    wrong_password = token_for(make_user(Role.ADMIN), "not the password")
    unknown_user = token_for("nobody-by-this-name", "not the password")
    assert wrong_password.status_code == unknown_user.status_code == 401
    assert wrong_password.json() == unknown_user.json()
    assert wrong_password.json()["error"]["message"] == INVALID_MESSAGE
    assert_error_body(wrong_password)


def test_five_failures_give_423_with_retry_after(make_user):
    username = make_user(Role.TREATMENT)
    statuses = [token_for(username, "not the password").status_code for _ in range(5)]
    assert statuses[:4] == [401] * 4
    response = token_for(username, TEST_PASSWORD)
    assert response.status_code == 423
    assert response.headers["Retry-After"] == "900"
    assert_error_body(response)


@pytest.mark.parametrize("request_kwargs", [
    pytest.param({"content": b"{not json", "headers": {"content-type": "application/json"}},
                 id="not JSON"),
    pytest.param({"json": ["officer1", DEMO_PASSWORD]}, id="JSON array"),
    pytest.param({"json": {"username": 7, "password": ["x"]}}, id="wrong types"),
    pytest.param({"json": {"username": "officer1"}}, id="missing field"),
    pytest.param({"json": {"username": "officer1", "password": "x", "admin": True}},
                 id="unknown extra field"),
    pytest.param({"json": {"username": "u" * 10_000, "password": "x"}}, id="10 KB username"),
    pytest.param({"json": {"username": "", "password": ""}}, id="empty strings"),
    pytest.param({"content": b""}, id="empty body"),
])
def test_bad_token_request_is_422_with_error_body(request_kwargs):
    response = client.post(TOKEN, **request_kwargs)
    assert response.status_code == 422
    assert_error_body(response)


@pytest.mark.parametrize("username", ["nul\x00byte", "\ud800", "é" * 64, "🦅" * 64],
                         ids=["NUL byte", "lone surrogate", "64 accented", "64 emoji"])
def test_odd_usernames_are_refused_without_a_server_error(username):
    body = json.dumps({"username": username, "password": "x"})  # escaped as \u0000 etc.
    response = client.post(TOKEN, content=body, headers={"content-type": "application/json"})
    assert response.status_code in (401, 422)
    assert_error_body(response)


def test_unknown_route_is_404_with_error_body():
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert_error_body(response)


def test_wrong_method_is_405_with_error_body_and_allow_header():
    response = client.get(TOKEN)
    assert response.status_code == 405
    assert "POST" in response.headers["Allow"]
    assert_error_body(response)


def test_bogus_ticket_is_400():
    response = client.post(SESSION, json={"ticket": "x" * 43})
    assert response.status_code == 400
    assert_error_body(response)


def test_real_ticket_sets_a_strict_httponly_cookie_once():
    ticket = new_ticket(identity("officer1"), utc_now())
    response = client.post(SESSION, json={"ticket": ticket})
    assert response.status_code == 204
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("ww_session=")
    assert "httponly" in cookie.lower() and "samesite=strict" in cookie.lower()
    assert client.post(SESSION, json={"ticket": ticket}).status_code == 400


def test_sign_out_ends_the_session_and_clears_the_cookie():
    ticket = new_ticket(identity("officer1"), utc_now())
    key = client.post(SESSION, json={"ticket": ticket}).cookies["ww_session"]
    response = client.delete(SESSION)  # the client sends the cookie back, as a browser would
    assert response.status_code == 204
    cookie = response.headers["set-cookie"].lower()
    assert cookie.startswith('ww_session=""') and "max-age=0" in cookie
    assert session_row(key).end_reason == "sign_out"
    assert "ww_session" not in client.cookies


def test_sign_out_without_a_session_is_204():
    assert client.delete(SESSION).status_code == 204


def test_the_capture_page_swaps_its_session_cookie_for_a_bearer_token():
    client.post(SESSION, json={"ticket": new_ticket(identity("officer2"), utc_now())})
    swap = "/api/v1/auth/session-token"
    assert client.post(swap).status_code == 400  # without the custom header
    response = client.post(swap, headers={"X-Wingwatch": "capture"})
    assert response.status_code == 200 and response.json()["role"] == "officer"
    me = client.get("/api/v1/auth/me",
                    headers={"Authorization": f"Bearer {response.json()['access_token']}"})
    assert me.json()["username"] == "officer2"
    client.delete(SESSION)
    assert client.post(swap, headers={"X-Wingwatch": "capture"}).status_code == 401


def test_a_token_made_from_a_browser_session_ends_with_the_session():
    client.post(SESSION, json={"ticket": new_ticket(identity("officer1"), utc_now())})
    token = client.post("/api/v1/auth/session-token",
                        headers={"X-Wingwatch": "capture"}).json()["access_token"]
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/auth/me", headers=bearer).status_code == 200
    client.delete(SESSION)
    assert client.get("/api/v1/auth/me", headers=bearer).status_code == 401
