"""Fuzz run over the OpenAPI document with every schemathesis check: generated requests for
every operation, valid and invalid, get no server error and an answer the document describes
(status, headers, body, Allow on 405, invalid data refused, valid data accepted)."""

from __future__ import annotations

import secrets
import tempfile
from functools import cache
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from app.api import build_api
from app.web_security import WebSecurity
from tests.helpers import bearer

# Valid requests may still meet a refusal the document lists: a generated username that an
# earlier case locked out (423), or a request id that is another's (409).
CONFIG = SchemathesisConfig.from_dict({"checks": {"positive_data_acceptance": {
    "expected-statuses": ["2xx", "401", "403", "404", "409", "423", "429"]}}})


def from_addresses_of_its_own(app: ASGIApp) -> ASGIApp:
    """Every generated request from a fresh client address: the hundreds of wrong passwords
    the fuzzer sends must not throttle the address the rest of the suite signs in from."""

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            scope = {**scope, "client": (f"fuzz-{secrets.token_hex(4)}", 0)}
        await app(scope, receive, send)

    return wrapped


def mounted_api() -> ASGIApp:
    """The API as the one port serves it (app/app.py, rx.App's api_transformer): the backend
    mounted under it at "" with the compiled frontend's static files last, WebSecurity around
    all. Only Reflex's own routes (/_event, /ping) are left out; the document names none."""
    frontend = Path(tempfile.mkdtemp(prefix="wingwatch-frontend-"))
    (frontend / "index.html").write_text("<!doctype html><title>Wingwatch</title>")
    api = build_api()
    api.mount("", Starlette(routes=[Mount("", StaticFiles(directory=frontend, html=True))]))
    return WebSecurity(api)


schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json",
                                        from_addresses_of_its_own(mounted_api()), config=CONFIG)


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_keeps_to_its_openapi_document(case):
    # As an officer, so the generated bodies reach the validation and storage code behind auth.
    case.call_and_validate(headers={**officer_header(), **(case.headers or {})})


@cache
def officer_header() -> dict[str, str]:
    return bearer("officer1")
