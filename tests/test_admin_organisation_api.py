"""The admin API for prisons, wings and locations: who may call it, bad input, happy paths."""

from __future__ import annotations

import secrets

import pytest

from app.services import catalogue
from tests.helpers import api_client, bearer, bootstrap

BASE = "/api/v1/admin/prisons"
NAMES = {"en": "Chapel garden", "sq": "Kopshti", "sr-Latn": "Bašta", "mk": "Градина",
         "bs": "Bašta", "hr": "Vrt", "cnr": "Bašta"}


def admin() -> dict[str, str]:
    return bearer("admin1")


def new_prison(headers: dict[str, str]) -> str:
    code = "P" + secrets.token_hex(3).upper()
    response = api_client().post(BASE, json={"code": code, "name": f"Prison {code}"},
                                 headers=headers)
    assert response.status_code == 201, response.text
    return code


CALLS = [("get", BASE, None), ("post", BASE, {"code": "X1", "name": "X"}),
         ("patch", f"{BASE}/DEMO", {"name": "X"}),
         ("post", f"{BASE}/DEMO/wings", {"code": "Z", "name": "Z"}),
         ("patch", f"{BASE}/DEMO/wings/A", {"name": "X"}),
         ("get", f"{BASE}/DEMO/locations", None),
         ("post", f"{BASE}/DEMO/locations", {"names": NAMES}),
         ("patch", f"{BASE}/DEMO/locations/cell", {"retired": True})]


@pytest.mark.parametrize("username", ["officer1", "screener1", "security1"])
@pytest.mark.parametrize(("method", "url", "body"), CALLS)
def test_other_roles_are_refused(username, method, url, body):
    response = api_client().request(method, url, json=body, headers=bearer(username))
    assert response.status_code == 403, response.text
    assert response.json()["error"]["code"] == "forbidden"


@pytest.mark.parametrize(("method", "url", "body"), CALLS)
def test_no_token_is_unauthorised(method, url, body):
    assert api_client().request(method, url, json=body).status_code == 401


def test_create_prison_then_wings_and_locations():
    headers = admin()
    code = "P" + secrets.token_hex(3).upper()
    created = api_client().post(BASE, json={"code": code, "name": "Northern Prison"},
                                headers=headers)
    assert created.status_code == 201, created.text
    body = created.json()
    assert (body["code"], body["name"], body["wings"]) == (code, "Northern Prison", [])
    assert [loc["code"] for loc in body["locations"]] == [
        loc.code for loc in catalogue.locations()]
    assert body["locations"][0] == {"code": "cell", "standard": True, "label": "Cell",
                                    "names": None, "position": 0, "retired": False}

    wing_code = "A" + secrets.token_hex(2)  # not "A": other tests find the demo's by code
    wing = api_client().post(f"{BASE}/{code}/wings", json={"code": wing_code, "name": "Wing A"},
                             headers=headers)
    assert wing.status_code == 201 and wing.json() == {"code": wing_code, "name": "Wing A",
                                                       "closed_on": None}
    changed = api_client().patch(f"{BASE}/{code}/wings/{wing_code}",
                                 json={"name": "Alpha", "closed": True}, headers=headers)
    assert changed.status_code == 200, changed.text
    assert changed.json()["name"] == "Alpha" and changed.json()["closed_on"] is not None
    reopened = api_client().patch(f"{BASE}/{code}/wings/{wing_code}", json={"closed": False},
                                  headers=headers)
    assert reopened.json()["closed_on"] is None

    own = api_client().post(f"{BASE}/{code}/locations", json={"names": NAMES}, headers=headers)
    assert own.status_code == 201, own.text
    assert own.json()["code"] == "chapel_garden" and own.json()["names"]["sr-Cyrl"] == "Башта"
    moved = api_client().patch(f"{BASE}/{code}/locations/chapel_garden",
                               json={"position": 0, "retired": True,
                                     "names": {**NAMES, "en": "Garden"}}, headers=headers)
    assert moved.status_code == 200, moved.text
    assert (moved.json()["position"], moved.json()["retired"], moved.json()["label"]) == (
        0, True, "Garden")

    renamed = api_client().patch(f"{BASE}/{code}", json={"name": "North"}, headers=headers)
    assert renamed.status_code == 200 and renamed.json()["name"] == "North"
    listed = api_client().get(BASE, headers=headers).json()
    assert {"code": code, "name": "North", "open_wings": 1, "closed_wings": 0} in listed
    locations = api_client().get(f"{BASE}/{code}/locations", headers=headers).json()
    assert locations[0]["code"] == "chapel_garden"


@pytest.mark.parametrize(("url", "body", "status", "field"), [
    (BASE, {"code": "DEMO", "name": "Again"}, 409, "code"),
    (BASE, {"code": "bad code", "name": "X"}, 422, "code"),
    (BASE, {"code": "OK1", "name": "  "}, 422, "name"),
    (BASE, {"code": "OK1", "name": "x" * 121}, 422, "name"),
    (BASE, {"code": "OK1"}, 422, "name"),
    (BASE, {"code": "OK1", "name": "X", "extra": 1}, 422, "extra"),
    (f"{BASE}/DEMO/wings", {"code": "a", "name": "Again"}, 409, "code"),
    (f"{BASE}/DEMO/locations", {"names": {k: v for k, v in NAMES.items() if k != "bs"}}, 422,
     "names.bs"),
    (f"{BASE}/DEMO/locations", {"names": {**NAMES, "sq": ""}}, 422, "names.sq"),
    (f"{BASE}/DEMO/locations", {"names": NAMES, "code": "cell"}, 409, "code"),
    (f"{BASE}/DEMO/locations", {"names": NAMES, "code": "Not OK"}, 422, "code"),
])
def test_bad_input_is_a_4xx_naming_the_field(url, body, status, field):
    response = api_client().post(url, json=body, headers=admin())
    assert response.status_code == status, response.text
    assert response.json()["error"]["message"].startswith(field), response.text


@pytest.mark.parametrize(("method", "url", "body", "code"), [
    ("get", f"{BASE}/NOPE", None, "unknown_prison"),
    ("patch", f"{BASE}/NOPE", {"name": "X"}, "unknown_prison"),
    ("post", f"{BASE}/NOPE/wings", {"code": "A", "name": "A"}, "unknown_prison"),
    ("patch", f"{BASE}/DEMO/wings/ZZ", {"name": "X"}, "unknown_wing"),
    ("patch", f"{BASE}/DEMO/wings/ZZ", {}, "unknown_wing"),
    ("get", f"{BASE}/NOPE/locations", None, "unknown_prison"),
    ("patch", f"{BASE}/DEMO/locations/nowhere", {}, "unknown_location"),
])
def test_unknown_codes_are_404(method, url, body, code):
    response = api_client().request(method, url, json=body, headers=admin())
    assert response.status_code == 404, response.text
    assert response.json()["error"]["code"] == code


def test_a_standard_location_cannot_be_renamed_and_a_position_is_not_negative():
    code = new_prison(admin())
    renamed = api_client().patch(f"{BASE}/{code}/locations/cell", json={"names": NAMES},
                                 headers=admin())
    assert renamed.status_code == 422 and renamed.json()["error"]["code"] == "standard_location"
    negative = api_client().patch(f"{BASE}/{code}/locations/cell", json={"position": -1},
                                  headers=admin())
    assert negative.status_code == 422 and "position" in negative.json()["error"]["message"]


def test_errors_speak_the_callers_language():
    """admin1 works in English; the message is the catalogue's, the field its API name."""
    response = api_client().post(BASE, json={"code": "OK2", "name": " "}, headers=admin())
    assert response.json()["error"]["message"] == "name: Write a name."


def test_the_officers_capture_form_offers_their_prisons_list_in_their_words():
    """officer1 (DEMO, Serbian Latin) sees a new own location in Serbian, and no longer once it
    is retired; the standard ones stay first, in the catalogue's order."""
    headers = admin()
    code = "kiosk_" + secrets.token_hex(3)
    made = api_client().post(f"{BASE}/DEMO/locations",
                             json={"names": {**NAMES, "sr-Latn": "Kiosk"}, "code": code},
                             headers=headers)
    assert made.status_code == 201, made.text

    def offered() -> dict[str, str]:
        response = api_client().get("/api/v1/bootstrap", headers=bearer("officer1"))
        return {loc["code"]: loc["label"] for loc in response.json()["locations"]}
    assert offered()[code] == "Kiosk"
    assert list(offered())[:3] == ["cell", "landing", "yard"]
    assert offered()["cell"] == bootstrap("officer1")["locations"][0]["label"] != "Cell"
    api_client().patch(f"{BASE}/DEMO/locations/{code}", json={"retired": True}, headers=headers)
    assert code not in offered()
