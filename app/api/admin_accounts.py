"""Administrators' API for accounts and postings. Every route: an administrator (the `Admin`
dependency), one service call, a DTO out; a refusal is a 4xx naming its field."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Literal, TypeVar

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, Field, StrictBool
from starlette.convertors import StringConvertor, register_url_convertor

from app.api import errors
from app.api.deps import Admin
from app.api.schemas import Plain, Strict, Text, error_responses
from app.clock import prisons_today, utc_now
from app.i18n.messages import N_, speaking
from app.runtime import transaction
from app.services import account_import, admin_accounts, posting_changes
from app.services.accounts import Identity
from app.services.account_list import (PostingRow, UserFilters, UserRow, find_user, list_users,
                                       posting_rows, user_detail)
from app.services.admin_refusals import Refused
from app.vocabulary import PostingScope, Role

class UsernameConvertor(StringConvertor):
    """A username in a path, never "import": that is the CSV import's own address, which a
    plain {username} would also match (GET /admin/users/import would read an account)."""

    regex = f"(?!{admin_accounts.RESERVED_USERNAME}$)[^/]+"


register_url_convertor("username", UsernameConvertor())

PREFIX = "/api/v1/admin/users"
router = APIRouter(prefix=PREFIX, tags=["admin: accounts"],
                   responses=error_responses(404, 409, 415))
T = TypeVar("T")


class UserOut(BaseModel):
    username: str
    display_name: str
    role: Role
    locale: str
    prison: str | None
    wings: list[str]  # posted to today
    active: bool
    locked: bool
    must_change_password: bool
    last_sign_in_at: datetime | None
    created_at: datetime


class PostingOut(BaseModel):
    id: int
    scope: PostingScope
    prison: str | None
    wing: str | None
    valid_from: date
    valid_to: date | None
    current: bool


class UserDetailOut(UserOut):
    postings: list[PostingOut]


class NewUserIn(Strict):
    username: Annotated[Text, Field(min_length=1, max_length=64), Plain]
    display_name: Annotated[Text, Field(min_length=1, max_length=120), Plain]
    role: Role
    locale: Annotated[Text, Field(min_length=1, max_length=16), Plain] = "en"
    prison: Annotated[Text, Field(max_length=16), Plain] | None = None


class UserChangeIn(Strict):
    display_name: Annotated[Text, Field(min_length=1, max_length=120), Plain] | None = None
    locale: Annotated[Text, Field(min_length=1, max_length=16), Plain] | None = None
    active: StrictBool | None = None


class NewPostingIn(Strict):
    scope: PostingScope
    valid_from: date
    valid_to: date | None = None
    prison: Annotated[Text, Field(max_length=16), Plain] | None = None  # default: theirs
    wing: Annotated[Text, Field(max_length=16), Plain] | None = None


class PostingEndIn(Strict):
    valid_to: date


class TemporaryPasswordOut(BaseModel):
    username: str
    temporary_password: str  # shown once: only its hash is kept
    must_change_password: Literal[True] = True


class UnlockOut(BaseModel):
    username: str
    unlocked: bool  # False: it was not locked


class ImportLineOut(BaseModel):
    line: int
    username: str
    action: Literal["create", "change", "unchanged"]
    changes: list[str]


class ImportErrorOut(BaseModel):
    line: int
    column: str
    message: str


class ImportOut(BaseModel):
    dry_run: bool
    ok: bool
    lines: list[ImportLineOut]
    errors: list[ImportErrorOut]


def _refused(caller: Identity, error: Refused) -> errors.ApiError:
    """A refused command as a 4xx naming its field, in the caller's language."""
    problem = speaking(caller.locale).t(error.message, **error.params)
    return errors.ApiError(error.status, error.code, N_("{field}: {problem}"),
                           params={"field": error.field or "body", "problem": problem})


def _run(caller: Identity, command: Callable[..., T]) -> T:
    try:
        with transaction() as db:
            return command(db)
    except Refused as error:
        raise _refused(caller, error) from None


def _user_out(row: UserRow) -> dict:
    return {**vars(row), "prison": row.prison or None, "wings": list(row.wings)}


def _posting_out(row: PostingRow) -> PostingOut:
    return PostingOut(**{**vars(row), "prison": row.prison or None, "wing": row.wing or None})


def _detail(caller: Identity, username: str) -> UserDetailOut:
    found = _run(caller, lambda db: user_detail(db, caller, username, utc_now(),
                                                prisons_today()))
    return UserDetailOut(**_user_out(found.user),
                         postings=[_posting_out(row) for row in found.postings])


@router.get("", response_model=list[UserOut])
def users(caller: Admin, role: Role | None = None,
          prison: Annotated[str | None, Query(max_length=16)] = None,
          wing: Annotated[str | None, Query(max_length=16)] = None,
          active: bool | None = None, locked: bool | None = None) -> list[UserOut]:
    """Accounts, filtered: role, prison and wing codes (wing: posted there today), active,
    locked (a lock-out still running). At most 500, by username."""
    filters = UserFilters(role=role.value if role else "", prison=prison or "", wing=wing or "",
                          active=active, locked=locked)
    rows = _run(caller, lambda db: list_users(db, caller, filters, utc_now(), prisons_today()))
    return [UserOut(**_user_out(row)) for row in rows]


@router.post("", response_model=UserDetailOut, status_code=201)
def create_user(body: NewUserIn, caller: Admin) -> UserDetailOut:
    """A new account, without a usable password: reset it to give the first, temporary one."""
    new = admin_accounts.NewUser(body.username, body.display_name, body.role.value, body.locale,
                                 body.prison or "")
    user = _run(caller, lambda db: admin_accounts.create_user(db, caller, new, utc_now()))
    return _detail(caller, user.username)


async def csv_text(request: Request) -> str:
    """The request body as CSV text (UTF-8)."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind not in ("text/csv", "text/plain"):
        raise errors.ApiError(415, "unsupported_media_type", N_("Send the file as {type}."),
                              params={"type": "text/csv"})
    try:
        return (await request.body()).decode("utf-8")
    except UnicodeDecodeError:
        raise errors.ApiError(422, "invalid_csv", N_("The file is not UTF-8 text.")) from None


@router.post("/import", response_model=ImportOut,
             openapi_extra={"requestBody": {"content": {"text/csv": {"schema": {
                 "type": "string"}}}, "required": True}})
def import_users(caller: Admin, text: Annotated[str, Depends(csv_text)],
                 dry_run: bool = True) -> ImportOut:
    """Accounts from CSV (username, display_name, role, locale, prison, wings, valid_from).
    `dry_run=true` (the default) lists what would be created or changed; `false` applies it,
    all or nothing: a file with errors is refused with 422 naming each line and column."""
    command = account_import.dry_run if dry_run else account_import.apply
    found = _run(caller, lambda db: command(db, caller, text, utc_now()))
    words = speaking(caller.locale)
    row_errors = [ImportErrorOut(line=e.line, column=e.column,
                                 message=words.t(e.message, **e.params)) for e in found.errors]
    if row_errors and not dry_run:
        raise errors.ApiError(422, "invalid_csv", N_("The file has errors: {problem}"),
                              params={"problem": "; ".join(
                                  words.t("Line {line}, column {column}: {problem}",
                                          line=e.line, column=e.column, problem=e.message)
                                  for e in row_errors[:10])})
    return ImportOut(dry_run=dry_run, ok=found.ok, errors=row_errors,
                     lines=[ImportLineOut(line=line.line, username=line.username,
                                          action=line.action, changes=list(line.changes))
                            for line in found.lines])


@router.get("/{username:username}", response_model=UserDetailOut)
def user(username: str, caller: Admin) -> UserDetailOut:
    return _detail(caller, username)


@router.patch("/{username:username}", response_model=UserDetailOut)
def change_user(username: str, body: UserChangeIn, caller: Admin) -> UserDetailOut:
    """Display name, locale, active. Deactivating ends the account's sessions and tokens now;
    the account is never deleted."""
    change = admin_accounts.UserChange(body.display_name, body.locale, body.active)
    _run(caller, lambda db: admin_accounts.update_user(db, caller, username, change, utc_now()))
    return _detail(caller, username)


@router.post("/{username:username}/password-reset", response_model=TemporaryPasswordOut)
def reset_password(username: str, caller: Admin, response: Response) -> TemporaryPasswordOut:
    """A one-time temporary password, in this answer only; the next sign-in must change it."""
    password = _run(caller, lambda db: admin_accounts.reset_password(db, caller, username,
                                                                     utc_now()))
    response.headers["Cache-Control"] = "no-store"
    return TemporaryPasswordOut(username=username.strip().lower(), temporary_password=password)


@router.post("/{username:username}/unlock", response_model=UnlockOut)
def unlock(username: str, caller: Admin) -> UnlockOut:
    unlocked = _run(caller, lambda db: admin_accounts.unlock(db, caller, username, utc_now()))
    return UnlockOut(username=username.strip().lower(), unlocked=unlocked)


@router.get("/{username:username}/postings", response_model=list[PostingOut])
def postings(username: str, caller: Admin) -> list[PostingOut]:
    return _detail(caller, username).postings


@router.post("/{username:username}/postings", response_model=PostingOut, status_code=201)
def add_posting(username: str, body: NewPostingIn, caller: Admin) -> PostingOut:
    """Officer: scope wing (prison defaults to theirs); treatment: prison; security head:
    prison or central. Both dates are included; no valid_to: until further notice."""
    new = posting_changes.NewPosting(body.scope.value, body.valid_from, body.valid_to,
                                     body.prison or "", body.wing or "")
    posting_id = _run(caller, lambda db: posting_changes.add_posting(db, caller, username, new,
                                                                     utc_now()))
    return _posting(caller, username, posting_id)


@router.patch("/{username:username}/postings/{posting_id}", response_model=PostingOut)
def end_posting(username: str, posting_id: int, body: PostingEndIn,
                caller: Admin) -> PostingOut:
    """Set a posting's last day (included). From the day after, the next request no longer
    reaches what it gave: an officer's next bootstrap drops that wing's roster."""
    _run(caller, lambda db: posting_changes.end_posting(db, caller, username, posting_id,
                                                        body.valid_to, utc_now()))
    return _posting(caller, username, posting_id)


def _posting(caller: Identity, username: str, posting_id: int) -> PostingOut:
    rows = _run(caller, lambda db: posting_rows(db, find_user(db, username).id,
                                                prisons_today()))
    return next(_posting_out(row) for row in rows if row.id == posting_id)
