"""Admin API v1: a prison's roster from its management system (issue 11 item 4).

PUT replaces the roster as a whole: the body is the full export, as CSV (text/csv) or JSON
(application/json); `?dry_run=true` answers the diff and changes nothing. Administrators and the
prison management system's own account (Role.ROSTER_SERVICE, which may do nothing else) only.
A faulty file is refused whole, 422, every fault with its line and column.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from app.api import errors
from app.api.deps import RosterWriter
from app.api.schemas import ErrorDetail, error_responses
from app.clock import utc_now
from app.i18n.messages import N_
from app.runtime import transaction
from app.services import roster_import
from app.services.accounts import Identity
from app.services.roster_file import (MAX_BYTES, RosterFile, RosterRejected, parse_csv,
                                      parse_json)
from app.services.roster_import import Added, Moved, Released, Renamed, Returned, RosterDiff
from app.views.roster import fault_summary

PREFIX = "/api/v1/admin/prisons"
# A whole roster is larger than any other request (roster_file.MAX_BYTES): this route alone has
# that limit rather than the app's (limits.BodyLimit).
BODY_LIMIT = (re.compile(rf"{PREFIX}/[^/]+/roster"), MAX_BYTES)
_PARSERS = {"text/csv": parse_csv, "application/json": parse_json}

router = APIRouter(prefix=PREFIX, tags=["admin"],
                   responses=error_responses(404, 409, 413, 415))


class RosterFault(BaseModel):
    line: int  # of the CSV, the header being 1; of the JSON list, the first item being 1
    column: str
    code: str
    message: str


class RosterErrorDetail(ErrorDetail):
    errors: list[RosterFault]
    total: int  # faults found; at most the first 100 are listed


class RosterErrorBody(BaseModel):
    error: RosterErrorDetail


class RosterCounts(BaseModel):
    rows: int
    added: int
    moved: int
    renamed: int
    released: int
    missing: int
    returned: int
    unchanged: int


class RosterOut(BaseModel):
    prison: str
    day: date  # the import day: of the moves, and of the release of those missing
    applied: bool
    counts: RosterCounts
    added: list[Added]
    moved: list[Moved]
    renamed: list[Renamed]
    released: list[Released]
    missing: list[Released]  # held here, not in the file: released on `day`
    returned: list[Returned]


@router.put("/{code}/roster", response_model=RosterOut,
            responses={422: {"model": RosterErrorBody}},
            openapi_extra={"requestBody": {"required": True, "content": {
                "text/csv": {"schema": {"type": "string"}},
                "application/json": {"schema": {"type": "array", "items": {"type": "object"}}},
            }}})
async def replace_roster(request: Request, caller: RosterWriter,
                         code: Annotated[str, Path(min_length=1, max_length=16)],
                         dry_run: Annotated[bool, Query()] = False):
    """Replace the prison's roster with the body, or with `dry_run` only say what that would do:
    who is added, moved between wings, renamed, released, missing (released today) or back."""
    media = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    parse = _PARSERS.get(media)
    if parse is None:
        raise errors.ApiError(415, "unsupported_media_type",
                              N_("Send the roster as {csv} or {json}."),
                              params={"csv": "text/csv", "json": "application/json"})
    data = await request.body()
    try:
        # Parsing 20 000 rows and writing them take seconds: off the event loop, and the
        # transaction opens and closes in that one worker thread.
        diff = await run_in_threadpool(_import, caller, code, parse, data, dry_run)
    except RosterRejected as rejected:
        return _rejected(request, rejected)
    return _out(diff)


def _import(caller: Identity, code: str, parse: Callable[[bytes], RosterFile], data: bytes,
            dry_run: bool) -> RosterDiff:
    roster = parse(data)  # before the transaction: no lock held while parsing
    try:
        with transaction() as db:
            return roster_import.import_roster(db, caller, code, roster, now=utc_now(),
                                               dry_run=dry_run)
    except roster_import.UnknownPrison:
        raise errors.ApiError(404, "unknown_prison",
                              N_("There is no prison with this code.")) from None
    except roster_import.NotAllowed:
        raise errors.ApiError(403, "forbidden",
                              N_("This account may not load this prison's roster.")) from None


def _rejected(request: Request, rejected: RosterRejected) -> JSONResponse:
    words = errors.caller_messages(request)
    body = errors.error_body("invalid_roster", fault_summary(rejected.total, words))
    body["error"]["errors"] = [
        {"line": e.line, "column": errors.printable(e.column), "code": e.code,
         "message": e.said(words)} for e in rejected.errors]
    body["error"]["total"] = rejected.total
    return JSONResponse(body, 422)


def _out(diff: RosterDiff) -> RosterOut:
    return RosterOut(prison=diff.prison_code, day=diff.day, applied=diff.applied,
                     counts=RosterCounts(**diff.counts()), added=diff.added, moved=diff.moved,
                     renamed=diff.renamed, released=diff.released, missing=diff.missing,
                     returned=diff.returned)
