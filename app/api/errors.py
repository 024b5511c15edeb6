"""Every error leaves as {"error": {"code", "message"}} with a 4xx status; nothing leaks a trace.

The code is for programs and never changes with the language; the message is for the person
reading it, in their language: the signed-in caller's own locale when the route knows who is
asking (deps puts it on request.state), else what the request's Accept-Language asks for, else
English. An ApiError carries a message id (marked with N_) and its placeholders, and is put in
words only here, when the answer is written.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from babel.lists import format_list
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.i18n.locales import DEFAULT, Locale, babel_locale
from app.i18n.messages import Messages, N_, speaking
from app.i18n.negotiation import from_accept_language

log = logging.getLogger("wingwatch.api")

_MOST_ERRORS = 10  # validation errors told in one answer


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str,
                 headers: dict[str, str] | None = None,
                 params: dict[str, object] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers
        self.params = params or {}


def error_body(code: str, message: str) -> dict:
    return {"error": {"code": code, "message": message}}


def caller_messages(request: Request) -> Messages:
    """The language to answer this request in."""
    locale: Locale | None = getattr(request.state, "locale", None)
    locale = locale or from_accept_language(request.headers.get("accept-language")) or DEFAULT
    return speaking(locale)


def printable(text: str) -> str:
    """Client text safe to echo in JSON: a lone surrogate cannot be written as UTF-8 and would
    make the whole answer fail, so it is spelled out (\\ud800), as is NUL."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8").replace("\x00", "\\x00")


# --- What pydantic found wrong, in the reader's words -------------------------------------------
# By pydantic's error type; each says what is wrong with a field, after "{field}: ". A type not
# here keeps pydantic's own (English) sentence as the technical detail.

def _choices(words: Messages, context: dict) -> str:
    """pydantic's "'low', 'medium' or 'high'" as the reader's language lists alternatives."""
    expected = str(context.get("expected", ""))
    codes = re.findall(r"'([^']*)'", expected) or [expected]
    return format_list(codes, style="or", locale=babel_locale(words.locale))


_SAID: dict[str, str] = {
    # i18n: what is wrong with a field of an API request, after its name: "facts: required"
    "missing": N_("required"),
    "extra_forbidden": N_("not a field this request takes"),
    "string_type": N_("must be text"),
    "string_unicode": N_("must be text without lone surrogates (unpaired \\ud800-\\udfff escapes)"),
    "string_pattern_mismatch": N_("is not in the expected form"),
    "int_type": N_("must be a whole number"),
    "int_parsing": N_("must be a whole number"),
    "int_from_float": N_("must be a whole number"),
    "float_type": N_("must be a number"),
    "float_parsing": N_("must be a number"),
    "bool_type": N_("must be true or false"),
    "bool_parsing": N_("must be true or false"),
    "list_type": N_("must be a list"),
    "dict_type": N_("must be an object"),
    "model_type": N_("must be an object"),
    "model_attributes_type": N_("must be an object"),
    "datetime_type": N_("must be a date and time (ISO 8601)"),
    "datetime_parsing": N_("must be a date and time (ISO 8601)"),
    "datetime_from_date_parsing": N_("must be a date and time (ISO 8601)"),
    "uuid_type": N_("must be a UUID"),
    "uuid_parsing": N_("must be a UUID"),
}

# The problems with a number or a list of choices in them.
_PROBLEMS: dict[str, Callable[[Messages, dict], str]] = {
    "string_too_short": lambda w, c: w.tn("must be at least {count} character long",
                                          "must be at least {count} characters long",
                                          c["min_length"]),
    "string_too_long": lambda w, c: w.tn("must be at most {count} character long",
                                         "must be at most {count} characters long",
                                         c["max_length"]),
    "too_short": lambda w, c: w.tn("must have at least {count} item",
                                   "must have at least {count} items", c["min_length"]),
    "too_long": lambda w, c: w.tn("must have at most {count} item",
                                  "must have at most {count} items", c["max_length"]),
    "greater_than_equal": lambda w, c: w.t("must be at least {limit}", limit=w.number(c["ge"])),
    "less_than_equal": lambda w, c: w.t("must be at most {limit}", limit=w.number(c["le"])),
    "enum": lambda w, c: w.t("must be one of {choices}", choices=_choices(w, c)),
    "literal_error": lambda w, c: w.t("must be one of {choices}", choices=_choices(w, c)),
}


def field_message(error: dict, words: Messages | None = None) -> str:
    """What is wrong with one field, in the reader's words (English unless `words` says)."""
    words = words or speaking(DEFAULT)
    kind = str(error.get("type"))
    if kind in _SAID:
        return words.t(_SAID[kind])
    describe = _PROBLEMS.get(kind)
    try:
        if describe is not None:
            return describe(words, error.get("ctx") or {})
    except (KeyError, TypeError, ValueError, ArithmeticError):
        pass  # a context pydantic did not fill as it usually does: its own sentence, then
    # A validator's own sentence (schemas.py) is a message id as well: in the catalogue, it is
    # in the reader's language; not yet, it stays as written.
    return words.t(str(error.get("msg", "invalid")).removeprefix("Value error, "))


def _describe(error: dict, words: Messages) -> str:
    if error.get("type") == "json_invalid":
        return words.t("The body is not valid JSON.")
    where = ".".join(printable(str(part)) for part in error.get("loc", ()) if part != "body")
    # i18n: {field} is a field's name in the API (facts, items.0.id), {problem} what is wrong
    return words.t("{field}: {problem}", field=where or "body",
                   problem=field_message(error, words))


_HTTP = {
    # FastAPI's own 400: a body it could not read at all.
    400: ("invalid_body", N_("The request body could not be read.")),
    404: ("not_found", N_("There is nothing at this address.")),
    405: ("method_not_allowed", N_("This address does not take this method.")),
}


def install(api: FastAPI) -> None:
    @api.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        message = caller_messages(request).t(exc.message, **exc.params)
        return JSONResponse(error_body(exc.code, message), exc.status, headers=exc.headers)

    @api.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        words = caller_messages(request)
        message = "; ".join(_describe(e, words) for e in exc.errors()[:_MOST_ERRORS])
        return JSONResponse(error_body("invalid_request", message or words.t("Invalid request.")),
                            422)

    @api.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code, message = _HTTP.get(exc.status_code,
                                  ("http_error", N_("The request could not be handled.")))
        return JSONResponse(error_body(code, caller_messages(request).t(message)),
                            exc.status_code, headers=exc.headers)  # e.g. a 405's Allow header

    @api.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error in API")
        message = caller_messages(request).t("Something went wrong on the server.")
        return JSONResponse(error_body("internal_error", message), 500)
