"""The API's error messages in the caller's language: the signed-in user's own locale, else the
request's Accept-Language, else English. The code never changes with the language.

The pseudo-locale (en-XA) stands for a language whose translations are in: every text it gives
is bracketed, so an English message where a translated one belongs fails these tests.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from enum import StrEnum

import pytest
from pydantic import BaseModel, ValidationError
from sqlalchemy import update

from app.api.errors import field_message
from app.db import unit_of_work
from app.i18n.locales import Locale
from app.i18n.messages import PSEUDO_OPEN, Messages
from app.i18n.negotiation import from_accept_language
from app.models import User
from app.settings import get_settings
from tests.helpers import api_client, bearer

client = api_client()
NOWHERE = "/api/v1/no-such-thing"
SYNC = "/api/v1/observations/sync"


def words(locale: Locale) -> Messages:
    return Messages(locale, get_settings().zone)


@pytest.fixture
def pseudo_on_offer() -> Iterator[None]:
    """As the browser suite runs the server: en-XA among the languages on offer."""
    os.environ["WINGWATCH_PSEUDO_LOCALE"] = "1"
    get_settings.cache_clear()
    try:
        yield
    finally:
        del os.environ["WINGWATCH_PSEUDO_LOCALE"]
        get_settings.cache_clear()


@pytest.fixture
def security1_speaks_pseudo() -> Iterator[None]:
    with unit_of_work() as db:
        db.execute(update(User).where(User.username == "security1")
                   .values(locale=Locale.PSEUDO.value))
    try:
        yield
    finally:
        with unit_of_work() as db:
            db.execute(update(User).where(User.username == "security1")
                       .values(locale=Locale.SR_CYRL.value))


@pytest.mark.parametrize(("header", "locale"), [
    ("sq-AL,sq;q=0.9,en;q=0.5", Locale.SQ),
    ("sr-latn", Locale.SR_LATN),  # tags match whatever their case
    ("sr-RS", Locale.SR_CYRL),  # Serbia's official script
    ("fr-FR, mk;q=0.8", Locale.MK),
    ("cnr", Locale.CNR),
])
def test_accept_language_finds_our_locale(header, locale):
    assert from_accept_language(header) is locale


@pytest.mark.parametrize("header", ["", None, "de-DE", "*", ";;;,,", "x" * 5000])
def test_accept_language_without_one_of_ours_is_none(header):
    assert from_accept_language(header) is None


def test_the_pseudo_locale_is_asked_for_only_while_it_is_on_offer(pseudo_on_offer):
    assert from_accept_language("en-XA") is Locale.PSEUDO


def test_the_pseudo_locale_is_not_on_offer_in_service():
    assert from_accept_language("en-XA") is Locale.EN


def test_an_error_answers_in_the_accept_language(pseudo_on_offer):
    response = client.get(NOWHERE, headers={"Accept-Language": "en-XA, en;q=0.5"})
    assert response.status_code == 404
    error = response.json()["error"]
    assert error["code"] == "not_found"
    assert error["message"] == words(Locale.PSEUDO).t("There is nothing at this address.")
    assert error["message"].startswith(PSEUDO_OPEN)


@pytest.mark.parametrize("locale", [Locale.SQ, Locale.MK, Locale.SR_CYRL], ids=str)
def test_an_error_says_what_the_catalogue_says_for_that_locale(locale):
    response = client.get(NOWHERE, headers={"Accept-Language": locale.value})
    assert response.json()["error"] == {
        "code": "not_found", "message": words(locale).t("There is nothing at this address.")}


def test_without_accept_language_an_error_is_english():
    response = client.get(NOWHERE, headers={"Accept-Language": ""})
    assert response.json()["error"]["message"] == "There is nothing at this address."


def test_a_signed_in_callers_error_is_in_their_own_language(security1_speaks_pseudo):
    headers = {**bearer("security1"), "Accept-Language": "sq"}  # their account says en-XA
    response = client.post(SYNC, json={"device_id": "d", "items": []}, headers=headers)
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "forbidden"
    assert error["message"] == words(Locale.PSEUDO).t("Only officers record observations.")
    assert error["message"].startswith(PSEUDO_OPEN)


def test_an_unknown_token_is_answered_in_the_accept_language(pseudo_on_offer):
    response = client.get("/api/v1/auth/me", headers={"Authorization": "Bearer nonsense",
                                                     "Accept-Language": "en-XA"})
    assert response.status_code == 401
    assert response.json()["error"]["message"] == words(Locale.PSEUDO).t("Sign in again.")


def test_validation_errors_keep_field_and_code_and_speak_the_callers_language(pseudo_on_offer):
    response = client.post("/api/v1/auth/token", json={"username": "x" * 65, "extra": 1},
                           headers={"Accept-Language": "en-XA"})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_request"
    pseudo = words(Locale.PSEUDO)
    parts = error["message"].split("; ")
    assert pseudo.t("{field}: {problem}", field="username", problem=pseudo.tn(
        "must be at most {count} character long", "must be at most {count} characters long",
        64)) in parts
    assert pseudo.t("{field}: {problem}", field="password", problem=pseudo.t("required")) in parts
    assert pseudo.t("{field}: {problem}", field="extra",
                    problem=pseudo.t("not a field this request takes")) in parts


@pytest.mark.parametrize(("body", "message"), [
    ({"username": "", "password": "p"}, "username: must be at least 1 character long"),
    ({"username": "u"}, "password: required"),
    ({"username": 5, "password": "p"}, "username: must be text"),
])
def test_validation_errors_in_english_read_as_sentences(body, message):
    response = client.post("/api/v1/auth/token", json=body)
    assert response.json()["error"]["message"] == message


class Level(StrEnum):
    LOW = "low"
    HIGH = "high"


class Shape(BaseModel):
    level: Level
    count: int


def problems(data: dict, locale: Locale) -> list[str]:
    try:
        Shape.model_validate(data)
    except ValidationError as error:
        return [field_message(e, words(locale)) for e in error.errors()]
    raise AssertionError("no error")


def test_choices_are_listed_as_the_readers_language_lists_them():
    assert problems({"level": "mid", "count": 1}, Locale.EN) == ["must be one of low or high"]
    # CLDR's "or" of each language, not an English one (Albanian "ose", Macedonian "или").
    assert problems({"level": "mid", "count": 1}, Locale.SQ) == [
        words(Locale.SQ).t("must be one of {choices}", choices="low ose high")]
    assert problems({"level": "mid", "count": 1}, Locale.MK) == [
        words(Locale.MK).t("must be one of {choices}", choices="low или high")]


def test_a_number_that_is_not_one_is_said_so():
    assert problems({"level": "low", "count": "many"}, Locale.EN) == ["must be a whole number"]


def test_a_body_that_is_not_json_is_said_so_in_the_callers_language(pseudo_on_offer):
    response = client.post("/api/v1/auth/token", content=b"{not json",
                           headers={"Content-Type": "application/json",
                                    "Accept-Language": "en-XA"})
    assert response.status_code == 422
    assert response.json()["error"]["message"] == words(Locale.PSEUDO).t(
        "The body is not valid JSON.")


def test_a_body_over_the_limit_is_refused_in_the_callers_language(pseudo_on_offer):
    limit = get_settings().max_request_bytes
    response = client.post("/api/v1/auth/token", content=b"x" * (limit + 1),
                           headers={"Accept-Language": "en-XA"})
    assert response.status_code == 413
    pseudo = words(Locale.PSEUDO)
    assert response.json()["error"]["message"] == pseudo.t(
        "The request body is larger than {limit} bytes.", limit=pseudo.number(limit))
