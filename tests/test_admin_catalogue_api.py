"""Admin API for catalogue versions: roles, every route, bad input as 4xx naming the field."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.clock import prisons_today
from app.services import catalogue
from app.services.catalogue_draft_reads import WRITTEN
from tests.helpers import api_client, bearer
from tests.test_catalogue_drafts import versions_restored  # noqa: F401  (the fixture)

BASE = "/api/v1/admin/catalogue"


def call(method: str, path: str, username: str = "admin1", **kwargs):
    return api_client().request(method, BASE + path, headers=bearer(username), **kwargs)


def new_draft() -> str:
    response = call("POST", "/drafts")
    assert response.status_code == 201, response.text
    assert response.json()["based_on"] == "1"
    return response.json()["id"]


@pytest.mark.parametrize("username", ["officer1", "screener1", "security1"])
def test_other_roles_are_refused(username, versions_restored):
    for method, path in [("GET", "/versions"), ("POST", "/drafts"), ("GET", "/versions/1")]:
        response = call(method, path, username)
        assert response.status_code == 403, (method, path)
        assert response.json()["error"]["code"] == "forbidden"


def test_no_token_no_catalogue():
    assert api_client().get(BASE + "/versions").status_code == 401


def test_every_version_is_readable(versions_restored):
    listed = call("GET", "/versions").json()
    assert [(v["version"], v["state"]) for v in listed] == [("1", "current")]
    one = call("GET", "/versions/1").json()
    assert one["sha256"] == catalogue.get("1").sha256
    assert set(one["content"]["texts"]) == set(WRITTEN)
    assert call("GET", "/versions/9").status_code == 404


def test_a_draft_is_edited_checked_and_published(versions_restored):
    draft = new_draft()
    assert call("PUT", f"/drafts/{draft}/texts", json={
        "code": "C01.1", "part": "guidance", "locale": "hr", "text": "Nove upute."}
    ).status_code == 204
    added = call("POST", f"/drafts/{draft}/indicators", json={
        "category": "C05", "kind": "concern", "label": "Refuses to leave the cell at unlock",
        "guidance": "Repeatedly, without a stated reason."})
    assert added.status_code == 201
    code = added.json()["code"]
    assert call("PATCH", f"/drafts/{draft}/indicators/C05.1",
                json={"retired": True}).status_code == 204
    assert call("PATCH", f"/drafts/{draft}/indicators/{code}",
                json={"immediate": True}).status_code == 204

    checked = call("GET", f"/drafts/{draft}/check").json()
    assert not checked["publishable"]
    assert {p["params"]["locale"] for p in checked["problems"]} == set(WRITTEN[1:])
    day = (prisons_today() + timedelta(days=5)).isoformat()
    refused = call("POST", f"/drafts/{draft}/publish",
                   json={"reason": "New indicator", "effective_from": day})
    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "draft_problems"
    assert code in refused.json()["error"]["message"]

    for locale in WRITTEN[1:]:
        for part in ("label", "guidance"):
            call("PUT", f"/drafts/{draft}/texts",
                 json={"code": code, "part": part, "locale": locale, "text": f"{code} {locale}"})
    preview = call("GET", f"/drafts/{draft}/preview", params={"locale": "sr-Cyrl"}).json()
    offered = {i["code"]: i for c in preview["categories"] for i in c["indicators"]}
    assert "C05.1" not in offered and offered[code]["immediate"]
    assert offered[code]["label"] == f"{code} ср-Латн"  # made from the sr-Latn text, code kept
    published = call("POST", f"/drafts/{draft}/publish",
                     json={"reason": "New indicator", "effective_from": day})
    assert published.status_code == 200, published.text
    assert published.json() == {"version": "2", "effective_from": day}
    listed = call("GET", "/versions").json()
    assert [(v["version"], v["state"]) for v in listed] == [("2", "scheduled"), ("1", "current")]
    assert call("GET", "/versions/2").json()["reason"] == "New indicator"
    assert call("GET", f"/drafts/{draft}").status_code == 404  # a version now, never edited


@pytest.mark.parametrize("path, body, field", [
    ("/texts", {"code": "C01.1", "part": "label", "locale": "sr-Cyrl", "text": "x"}, "locale"),
    ("/texts", {"code": "C77.1", "part": "label", "locale": "en", "text": "x"}, "code"),
    ("/texts", {"code": "C01.1", "part": "label", "locale": "en", "text": "x" * 201}, "text"),
    ("/indicators", {"category": "C77", "kind": "concern", "label": "a", "guidance": "b"},
     "category"),
    ("/indicators", {"category": "C01", "kind": "concern", "label": " ", "guidance": "b"},
     "label"),
    ("/publish", {"reason": " ", "effective_from": "2999-01-01"}, "reason"),
    ("/publish", {"reason": "Why", "effective_from": "2000-01-01"}, "effective_from"),
])
def test_bad_input_names_the_field(versions_restored, path, body, field):
    draft = new_draft()
    method = "PUT" if path == "/texts" else "POST"
    response = call(method, f"/drafts/{draft}{path}", json=body)
    assert 400 <= response.status_code < 500, response.text
    assert response.json()["error"]["message"].startswith(f"{field}: ")


@pytest.mark.parametrize("method, path, body", [
    ("PUT", "/texts", {"code": "C01.1", "part": "title", "locale": "en", "text": "x"}),
    ("POST", "/indicators", {"category": "C01", "kind": "identity", "label": "a",
                             "guidance": "b"}),
    ("POST", "/publish", {"reason": "Why", "effective_from": "01/12/2026"}),
    ("POST", "/publish", {"reason": "Why", "effective_from": "2999-01-01", "extra": 1}),
    ("PATCH", "/indicators/C01.1", {"retired": "maybe"}),
])
def test_malformed_requests_are_422(versions_restored, method, path, body):
    response = call(method, f"/drafts/{new_draft()}{path}", json=body)
    assert response.status_code == 422, response.text


def test_a_protective_indicator_is_never_immediate(versions_restored):
    protective = next(i.code for i in catalogue.current().indicators.values()
                      if i.kind == "protective")
    response = call("PATCH", f"/drafts/{new_draft()}/indicators/{protective}",
                    json={"immediate": True})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "protective_immediate"


def test_an_unknown_draft_is_404(versions_restored):
    response = call("GET", "/drafts/00000000-0000-0000-0000-000000000000")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "no_draft"
