"""Request and response bodies of API v1. Unknown fields are refused, not ignored."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic_core import PydanticCustomError
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictStr,
    model_validator,
)

from app.i18n.locales import Locale
from app.i18n.messages import N_
from app.vocabulary import ConcernLevel, CorrectedFact, ObservationStatus, Role, Source


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _plain_text(value: str) -> str:
    # PostgreSQL cannot store NUL in text, and no one types it: refuse it everywhere alike.
    if "\x00" in value:
        raise ValueError("must not contain a NUL character")
    try:  # JSON may spell a lone surrogate (\ud800), which no UTF-8 text can hold
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("must not contain a lone surrogate (\\ud800-\\udfff)") from None
    return value


# Every string a client sends: Annotated[Text, Field(<lengths>), Plain]. Plain comes after the
# lengths, so a string too long is told so; the schema states the NUL rule too.
Text = Annotated[StrictStr, Field(json_schema_extra={"pattern": "^[^\\x00]*$"})]
Plain = AfterValidator(_plain_text)

# Blank, spelled out: what Python's str.isspace and ECMAScript's \s call white space, together,
# so the document's pattern and the server's check agree on every character ("\x1c" is blank
# to Python and not to a JSON Schema validator).
_BLANK = ("\\t\\n\\v\\f\\r \\x1c-\\x1f\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f"
          "\\u205f\\u3000\\ufeff")
WORDS = re.compile(f"[^{_BLANK}]")


def has_words(value: str) -> bool:
    return WORDS.search(value) is not None


# Text that must say something: not only white space (the server checks with has_words).
Words = Annotated[StrictStr, Field(json_schema_extra={
    "pattern": f"^[^\\x00]*[^\\x00{_BLANK}][^\\x00]*$"})]

_RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})")


def _rfc3339(value: object) -> object:
    # Pydantic also takes numbers and "0.5" as Unix times; the schema promises a date-time.
    if not (isinstance(value, str) and _RFC3339.fullmatch(value)):
        raise ValueError("give an ISO 8601 date-time with a time zone offset")
    return value


def _in_utc_range(value: datetime) -> datetime:
    try:
        value.astimezone(UTC)  # year 1 at +01:00 is year 0 in UTC, which does not exist
    except OverflowError:
        raise ValueError("is outside the calendar's range") from None
    return value


Moment = Annotated[AwareDatetime, BeforeValidator(_rfc3339)]  # as sent, any offset
StoredMoment = Annotated[Moment, AfterValidator(_in_utc_range)]  # one we keep, in UTC


class TokenRequest(Strict):
    username: Annotated[Text, Field(min_length=1, max_length=64), Plain]
    password: Annotated[Text, Field(min_length=1, max_length=256), Plain]


class TokenResponse(Strict):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int
    role: Role


class TicketRequest(Strict):
    ticket: Annotated[Text, Field(min_length=10, max_length=100), Plain]


class UnlockRequest(Strict):
    password: str = Field(min_length=1, max_length=256)


class Health(Strict):
    status: Literal["ok", "degraded"]
    database: Literal["ok", "unreachable"]


class Caller(Strict):
    user_id: str
    username: str
    display_name: str
    role: Role
    locale: Locale


class ErrorDetail(Strict):
    code: str
    message: str


def error_responses(*statuses: int) -> dict[int, dict]:
    """A router's documented error answers: 400 (a body that is not JSON at all), 401, 403 and
    422 always, plus `statuses`, each with the ErrorBody shape."""
    return {status: {"model": ErrorBody} for status in sorted({400, 401, 403, 422, *statuses})}


class ErrorBody(Strict):
    error: ErrorDetail


# --- Sync API v1 (design.md §3) ---------------------------------------------------------------

Code = Annotated[Text, Field(min_length=1, max_length=32), Plain]


# The payload's own checks: error type -> (the field, a message id for the client's language).
MODEL_CHECKS: dict[str, tuple[str, str]] = {
    "facts_blank": ("facts", N_("Write what was seen or heard.")),
    "flag_reason_required": ("flag_reason", N_("Required when flag is true.")),
}


class ObservationPayload(Strict):
    """What the officer wrote. The author is the token's user, never a field here."""

    prisoner_id: Annotated[Text, Field(min_length=1, max_length=36), Plain]
    occurred_at: StoredMoment
    recorded_at: StoredMoment | None = None
    location: Code
    catalogue_version: Code
    indicators: Annotated[list[Code], Field(min_length=1, max_length=30)]
    facts: Annotated[Text, Field(min_length=1, max_length=4000), Plain]
    assessment: Annotated[Text, Field(max_length=4000), Plain] | None = None
    source: Source
    concern: ConcernLevel
    flag: StrictBool = False
    flag_reason: Annotated[Text, Field(max_length=1000), Plain] | None = None

    @model_validator(mode="after")
    def _checks(self) -> ObservationPayload:
        if not self.facts.strip():
            raise PydanticCustomError("facts_blank", "facts: write what was seen or heard")
        if self.flag and not (self.flag_reason or "").strip():
            raise PydanticCustomError("flag_reason_required",
                                      "flag_reason: required when flag is true")
        return self


class SyncRequest(Strict):
    device_id: Annotated[StrictStr, Field(min_length=1, max_length=64, pattern=r"^[\w.:-]+$")]
    # Items are checked one by one, so one malformed item is rejected without blocking the rest.
    items: Annotated[list[Any], Field(min_length=1, max_length=500, description=(
        'Each {"id", "payload" | "sealed", "locale"?}: "locale" (optional, one of '
        + ", ".join(locale.value for locale in Locale)
        + ") is the language the entry was written in; absent from older clients."))]


class ItemError(Strict):
    field: str
    message: str  # in the caller's language
    code: str = "invalid"  # what is wrong, for programs (e.g. unknown_prisoner, too_old)


class ItemResult(Strict):
    id: str | None
    status: Literal["created", "duplicate", "conflict", "rejected"]
    error: ItemError | None


class SyncResponse(Strict):
    results: list[ItemResult]


class RosterEntry(Strict):
    id: str
    name: str
    number: str
    wing: str
    # The prisoner's records are restricted (LED Art. 16(3)): the tablet shows it beside them.
    restricted: bool = False


class BootstrapUser(Strict):
    id: str
    username: str
    display_name: str
    role: Role
    locale: Locale
    wings: list[str]


class TabletRetention(Strict):
    """How long the tablet keeps a receipt, a problem and an officer's cached data: the
    retention schedule's period for tablet receipts (assets/island/outbox.js prune)."""

    receipt_days: int


class Bootstrap(Strict):
    user: BootstrapUser
    roster: list[RosterEntry]
    catalogue: dict[str, Any]
    locations: list[dict[str, str]]
    sealing_key: dict[str, Any]
    retention: TabletRetention


class MyObservation(Strict):
    id: str
    prisoner_id: str
    wing: str
    occurred_at: datetime
    received_at: datetime
    categories: list[str]
    flag: bool
    status: ObservationStatus
    reviewed_at: datetime | None = None  # when a screener first decided; never what or why


class MyObservations(Strict):
    observations: list[MyObservation]


class AddendumRequest(Strict):
    text: Annotated[Words, Field(min_length=1, max_length=2000), Plain]
    locale: Locale | None = None  # the language it is written in; absent from older clients
    # Rectification: the fact of the observation this corrects, the text being its corrected
    # reading; absent for a note.
    corrects: CorrectedFact | None = None


class AddendumCreated(Strict):
    id: int
    observation_id: str
