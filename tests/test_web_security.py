"""Only our own origin, and security headers on every response (issue 9, items 3 and 4).

Most tests run the whole backend as the server runs it (Reflex's ASGI app with the API, CORS and
the socket.io endpoint), built in-process with the page compile skipped."""

from __future__ import annotations

import base64
import hashlib
import os
from collections.abc import Iterator
from functools import lru_cache

import pytest
from starlette.staticfiles import StaticFiles
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from app.clock import utc_now
from app.settings import get_settings
from tests.helpers import api_client, bearer, identity, new_ticket

OURS = "http://localhost:3000"  # the default origin: tests run with WINGWATCH_PORT unset
EVIL = "https://evil.example"
SESSION = "/api/v1/auth/session"
SESSION_TOKEN = "/api/v1/auth/session-token"
HANDSHAKE = "/_event/?EIO=4&transport=websocket"
UPGRADE = {"upgrade": "websocket", "connection": "Upgrade"}


@lru_cache(maxsize=1)
def whole_app() -> TestClient:
    from app.app import app as reflex_app

    reflex_app._compile = lambda **_: None  # the pages are not needed to answer HTTP here
    return TestClient(reflex_app())


@pytest.fixture
def client() -> Iterator[TestClient]:
    client = whole_app()
    client.cookies.clear()
    yield client
    client.cookies.clear()


@pytest.fixture
def https_origin() -> Iterator[None]:
    """Settings as behind TLS; read afresh, as at a server start."""
    os.environ["WINGWATCH_PUBLIC_ORIGIN"] = "https://wingwatch.example"
    get_settings.cache_clear()
    try:
        yield
    finally:
        del os.environ["WINGWATCH_PUBLIC_ORIGIN"]
        get_settings.cache_clear()


def signed_in_cookie(client: TestClient) -> None:
    ticket = new_ticket(identity("officer1"), utc_now())
    assert client.post(SESSION, json={"ticket": ticket}, headers={"origin": OURS}).status_code == 204


# --- item 3: only our own origin --------------------------------------------------------------

def test_the_default_origins_are_the_local_url():
    assert get_settings().public_origins == ("http://localhost:3000", "http://127.0.0.1:3000")


def test_configured_origins_are_read_as_browsers_send_them(monkeypatch):
    monkeypatch.setenv("WINGWATCH_PUBLIC_ORIGIN", "https://WW.example:443/, http://10.0.0.5:3000")
    get_settings.cache_clear()
    try:
        assert get_settings().public_origins == ("https://ww.example", "http://10.0.0.5:3000")
        monkeypatch.setenv("WINGWATCH_PUBLIC_ORIGIN", "ww.example/path")
        with pytest.raises(ValueError, match="WINGWATCH_PUBLIC_ORIGIN"):
            get_settings.cache_clear()
            get_settings()
    finally:
        monkeypatch.delenv("WINGWATCH_PUBLIC_ORIGIN")
        get_settings.cache_clear()


def test_cors_answers_our_origin_only(client):
    ours = client.get("/api/v1/health", headers={"origin": OURS})
    assert ours.headers["access-control-allow-origin"] == OURS
    foreign = client.get("/api/v1/health", headers={"origin": EVIL})
    assert "access-control-allow-origin" not in foreign.headers


def test_a_foreign_preflight_is_refused(client):
    response = client.options(SESSION_TOKEN, headers={
        "origin": EVIL, "access-control-request-method": "POST",
        "access-control-request-headers": "x-wingwatch"})
    assert response.status_code >= 400
    assert "access-control-allow-origin" not in response.headers


def test_the_websocket_refuses_a_foreign_origin(client):
    with pytest.raises(WebSocketDisconnect):
        with client.websocket_connect(HANDSHAKE, headers={**UPGRADE, "origin": EVIL}):
            pass


def test_the_websocket_accepts_our_origin(client):
    with client.websocket_connect(HANDSHAKE, headers={**UPGRADE, "origin": OURS}) as socket:
        assert socket.receive_text().startswith('0{"sid"')  # engine.io's open packet


def test_the_session_cookie_is_not_given_to_a_foreign_origin(client):
    ticket = new_ticket(identity("officer1"), utc_now())
    response = client.post(SESSION, json={"ticket": ticket}, headers={"origin": EVIL})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "foreign_origin"
    assert "set-cookie" not in response.headers


@pytest.mark.parametrize("headers", [
    {"origin": EVIL},
    {"origin": "null"},  # a sandboxed frame elsewhere
    {"sec-fetch-site": "same-site"},  # another service behind the same proxy
])
def test_cookie_routes_refuse_other_sites(client, headers):
    signed_in_cookie(client)
    token = client.post(SESSION_TOKEN, headers={"x-wingwatch": "capture", **headers})
    assert token.status_code == 403 and "access_token" not in token.text
    assert client.delete(SESSION, headers=headers).status_code == 403  # no sign-out from outside


def test_our_own_page_may_post_without_a_referrer(client):
    """Under Referrer-Policy: no-referrer a same-origin POST says `Origin: null`; the browser's
    Sec-Fetch-Site still tells us it is ours."""
    ticket = new_ticket(identity("officer1"), utc_now())
    response = client.post(SESSION, json={"ticket": ticket},
                           headers={"origin": "null", "sec-fetch-site": "same-origin"})
    assert response.status_code == 204


def test_clients_without_a_browser_are_unaffected(client):
    assert client.get("/api/v1/auth/me", headers=bearer("officer1")).status_code == 200


def test_behind_tls_the_cookie_is_host_bound_and_secure(https_origin):
    from state.identity import session_key

    client = TestClient(api_client().app, base_url="https://wingwatch.example")
    response = client.post(SESSION, json={"ticket": new_ticket(identity("officer1"), utc_now())})
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("__Host-ww_session=")
    lowered = cookie.lower()
    assert "; secure" in lowered and "; path=/" in lowered and "domain" not in lowered
    key = client.cookies["__Host-ww_session"]
    assert session_key(f"__Host-ww_session={key}") == key  # the websocket side reads it too
    token = client.post(SESSION_TOKEN, headers={"x-wingwatch": "capture"})
    assert token.status_code == 200
    gone = client.delete(SESSION).headers["set-cookie"]
    assert gone.startswith('__Host-ww_session=""') and "; secure" in gone.lower()


def test_on_plain_http_the_cookie_keeps_its_plain_name():
    client = TestClient(api_client().app)
    response = client.post(SESSION, json={"ticket": new_ticket(identity("officer1"), utc_now())})
    assert response.headers["set-cookie"].startswith("ww_session=")
    assert "secure" not in response.headers["set-cookie"].lower()


# --- item 4: security headers -----------------------------------------------------------------

def assert_security_headers(headers) -> None:
    csp = dict(part.strip().split(" ", 1) for part in headers["content-security-policy"].split(";"))
    assert csp["frame-ancestors"] == "'none'" and csp["object-src"] == "'none'"
    assert csp["base-uri"] == "'none'" and csp["connect-src"] == "'self'"
    assert "unsafe-inline" not in csp["script-src"] and "unsafe-eval" not in csp["script-src"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert "camera=()" in headers["permissions-policy"]
    assert "microphone=()" in headers["permissions-policy"]


@pytest.mark.parametrize("path", [
    "/api/v1/health", "/api/v1/openapi.json", "/api/v1/nowhere", "/nowhere", "/ping", "/_health"])
def test_every_backend_response_carries_the_headers(client, path):
    assert_security_headers(client.get(path).headers)


def test_a_refusal_carries_the_headers_too(client):
    assert_security_headers(client.delete(SESSION, headers={"origin": EVIL}).headers)


@pytest.mark.parametrize("path", ["/api/v1/auth/me", "/api/v1/bootstrap", "/api/v1/observations/mine"])
def test_authenticated_api_responses_are_never_stored(client, path):
    response = client.get(path, headers=bearer("officer1"))
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"


def test_the_session_token_is_never_stored(client):
    signed_in_cookie(client)
    response = client.post(SESSION_TOKEN, headers={"x-wingwatch": "capture", "origin": OURS})
    assert response.status_code == 200 and response.headers["cache-control"] == "no-store"


def test_no_hsts_on_plain_http(client):
    assert "strict-transport-security" not in client.get("/api/v1/health").headers


def test_hsts_behind_tls(https_origin):
    from app.web_security import WebSecurity

    client = TestClient(WebSecurity(api_client().app), base_url="https://wingwatch.example")
    assert client.get("/api/v1/health").headers["strict-transport-security"].startswith("max-age=")


def test_swagger_ui_is_off_by_default_and_the_schema_stays(client):
    assert client.get("/api/v1/docs").status_code == 404
    assert client.get("/api/v1/openapi.json").status_code == 200


def test_inline_scripts_of_the_build_are_allowed_by_their_hash(tmp_path):
    """The production build has inline scripts (React Router's context, React's streaming); the
    policy names each by its hash and allows no other inline script."""
    from app.web_security import WebSecurity

    inline = 'window.__ctx = {"a": 1};'
    (tmp_path / "index.html").write_text(
        f'<html><script src="/x.js"></script><script>{inline}</script></html>')
    (tmp_path / "x.js").write_text("1;")
    files = StaticFiles(directory=tmp_path, html=True)
    client = TestClient(WebSecurity(files, static_dir=tmp_path))
    digest = base64.b64encode(hashlib.sha256(inline.encode()).digest()).decode()
    for path in ("/", "/x.js"):
        headers = client.get(path).headers
        assert_security_headers(headers)
        script_src = headers["content-security-policy"].split("script-src ")[1].split(";")[0]
        assert script_src.split() == ["'self'", f"'sha256-{digest}'"]


def test_a_line_break_in_a_path_reaches_the_app_not_a_bare_text_404():
    """Reflex's outermost Starlette mounts everything at "", a pattern a line break escapes."""
    from starlette.applications import Starlette

    from app.api.main import build_api
    from app.web_security import LineBreaksInPaths

    outer = Starlette()
    outer.mount("", build_api())
    path = "/api/v1/admin/prisons/a%0Ab/wings/c"
    bare = TestClient(outer).patch(path, json={})
    assert (bare.status_code, bare.headers["content-type"]) == (404, "text/plain; charset=utf-8")
    answered = TestClient(LineBreaksInPaths(outer)).patch(path, json={})
    assert answered.status_code == 401 and answered.json()["error"]["code"] == "unauthorised"
