"""Bad input against the running app (issue 9, item 5): the real server, not an in-process copy.

The API is fuzzed over HTTP with every schemathesis check, and each page is opened with hostile
URL parameters and paths; neither may give a 5xx, an error toast, or a traceback in the
server's log.
"""

from __future__ import annotations

import json
import urllib.request

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from playwright.sync_api import Page, expect

from app.api import build_api
from tests.conftest import DATA_DIR
from tests.e2e.conftest import DEMO_PASSWORD, sign_in
from tests.screening_data import flagged_item
from tests.test_api_fuzz import CONFIG

SERVER_LOG = DATA_DIR / "server.log"
# What Reflex logs, and the page shows as a toast, when a handler raises.
BACKEND_ERROR = "Reflex Backend Exception"
ERROR_TOAST = "An error occurred."


def server_log_mark() -> int:
    return len(SERVER_LOG.read_text(errors="replace"))


def new_in_server_log(mark: int) -> str:
    return SERVER_LOG.read_text(errors="replace")[mark:]


@pytest.fixture(scope="module")
def officer_bearer(app_server) -> dict[str, str]:
    request = urllib.request.Request(
        f"{app_server}/api/v1/auth/token", method="POST",
        data=json.dumps({"username": "officer1", "password": DEMO_PASSWORD}).encode(),
        headers={"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return {"Authorization": f"Bearer {json.load(response)['access_token']}"}


# The document is the one the server serves (build_api's); the requests go to the live server.
# Sign-in is fuzzed in-process (tests/test_api_fuzz.py), from addresses of its own: here every
# wrong password would come from 127.0.0.1 and throttle the browser tests' sign-ins.
live = schemathesis.openapi.from_dict(build_api().openapi(), config=CONFIG).exclude(
    path="/api/v1/auth/token")


@live.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_live_api_keeps_to_its_document(case, app_server, officer_bearer):
    mark = server_log_mark()
    case.call_and_validate(base_url=app_server,
                           headers={**officer_bearer, **(case.headers or {})}, timeout=30)
    assert "Traceback" not in new_in_server_log(mark)


HOSTILE_QUERIES = [
    "wing=%00&status=%ff%fe&held=%ED%A0%80&overdue=maybe&q=" + "Ж" * 5000,
    "prison=%00&wing=..%2F..&category=%F0%28%8C%28&level=999&weeks=99999999999999999999"
    "&end=0001-01-01",
    "weeks=-1&end=9999-12-31&category=" + "x" * 20000,
    "end=2026-02-30&weeks=%C2%B2",
]


@pytest.mark.parametrize(("username", "paths", "settled"), [
    ("screener1", ["/screening", "/screening/{item}", "/screening/99999999999999999999999",
                   "/screening/%C2%B2", "/screening/%00"], "Screening queue"),
    ("security1", ["/trends"], "Trends"),
    ("officer1", ["/entries", "/capture"], "My entries"),
    ("admin1", ["/admin"], "Administration"),
])
def test_pages_take_hostile_urls_without_an_error(page: Page, username: str, paths: list[str],
                                                  settled: str):
    item = flagged_item()
    sign_in(page, username)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    mark = server_log_mark()
    for path in paths:
        for query in HOSTILE_QUERIES:
            response = page.goto(path.format(item=item) + "?" + query)
            assert response is not None and response.status < 500, (path, query)
            if response.status == 200:  # a path no route takes is the server's plain 404
                expect(page.get_by_role("button", name="Sign out")).to_be_visible()
                expect(page.get_by_text(ERROR_TOAST)).to_have_count(0)
    # Events of one tab run in order: once a clean home page has loaded, every hostile page's
    # handlers have run, and anything they raised is in the log.
    page.goto(paths[0])
    expect(page.get_by_role("heading", name=settled, exact=True)).to_be_visible()
    expect(page.get_by_text(ERROR_TOAST)).to_have_count(0)
    log = new_in_server_log(mark)
    assert BACKEND_ERROR not in log and "Traceback" not in log, log[-3000:]
