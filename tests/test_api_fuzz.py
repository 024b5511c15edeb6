"""Fuzz run over the OpenAPI document: generated requests for every operation, 0 server errors."""

from __future__ import annotations

from functools import cache

import schemathesis
from hypothesis import HealthCheck, settings

from app.api import build_api
from tests.helpers import bearer

schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", build_api())


@schema.parametrize()
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_generated_request_causes_a_server_error(case):
    # As an officer, so the generated bodies reach the validation and storage code behind auth.
    response = case.call(headers={**officer_header(), **(case.headers or {})})
    assert response.status_code < 500, (response.status_code, response.text[:300])


@cache
def officer_header() -> dict[str, str]:
    return bearer("officer1")
