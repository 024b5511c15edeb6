"""Every error leaves as {"error": {"code", "message"}} with a 4xx status; nothing leaks a trace."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger("wingwatch.api")


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers


def error_body(code: str, message: str) -> dict:
    return {"error": {"code": code, "message": message}}


def printable(text: str) -> str:
    """Client text safe to echo in JSON: a lone surrogate cannot be written as UTF-8 and would
    make the whole answer fail, so it is spelled out (\\ud800), as is NUL."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8").replace("\x00", "\\x00")


def field_message(error: dict) -> str:
    """Pydantic's sentence for one error, in words a client developer can act on."""
    if error.get("type") == "string_unicode":
        return "must be text without lone surrogates (unpaired \\ud800-\\udfff escapes)"
    return str(error.get("msg", "invalid")).removeprefix("Value error, ")


def _describe(error: dict) -> str:
    if error.get("type") == "json_invalid":
        return "the body is not valid JSON"
    where = ".".join(printable(str(part)) for part in error.get("loc", ()) if part != "body")
    return f"{where or 'body'}: {field_message(error)}"


def install(api: FastAPI) -> None:
    @api.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(error_body(exc.code, exc.message), exc.status, headers=exc.headers)

    @api.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        message = "; ".join(_describe(e) for e in exc.errors()[:10]) or "Invalid request."
        return JSONResponse(error_body("invalid_request", message), 422)

    @api.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {400: "invalid_body", 404: "not_found", 405: "method_not_allowed"}.get(
            exc.status_code, "http_error")  # FastAPI's 400: a body it could not parse at all
        return JSONResponse(error_body(code, str(exc.detail)), exc.status_code,
                            headers=exc.headers)  # e.g. the Allow header a 405 must carry

    @api.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error in API")
        return JSONResponse(error_body("internal_error", "Something went wrong on the server."), 500)
