"""Accounts from a CSV file: a dry run lists who would be created or changed, and applying runs
the same services as one account at a time (admin_accounts, posting_changes), in one
transaction. Errors name the file's line (the header is line 1) and column.

Columns: username, display_name, role, locale, prison (a code), wings ("A;B", officers only),
valid_from (optional, ISO date; default today): the first day of the postings it adds. An
existing username may change its display name and locale and gain wings; its role and prison
stay (a different one is an error), and postings are never ended by an import.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.clock import prisons_today
from app.i18n.messages import N_
from app.models import Posting, Prison, User
from app.services import admin_accounts, posting_changes
from app.services.accounts import Identity
from app.services.admin_refusals import Refused, require_admin
from app.services.posting_changes import NewPosting
from app.vocabulary import PostingScope, Role

COLUMNS = ("username", "display_name", "role", "locale", "prison", "wings", "valid_from")
REQUIRED = COLUMNS[:5]
MAX_ROWS = 5000


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str  # a message id
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ImportLine:
    line: int
    username: str
    action: str  # create, change or unchanged
    changes: tuple[str, ...]  # fields that change, and "wing:A" for each posting added


@dataclass(frozen=True)
class ImportPlan:
    lines: tuple[ImportLine, ...]
    errors: tuple[RowError, ...]

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class _Row:
    line: int
    values: dict[str, str]
    wings: tuple[str, ...]
    valid_from: date


class BadFile(Refused):
    """The file as a whole cannot be read (no header, a missing column, too many rows)."""


def _read(text: str, today: date) -> tuple[list[_Row], list[RowError]]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise BadFile("csv_columns", N_("Line 1: the header lacks the column {column}."),
                      "body", column=missing[0])
    reader.fieldnames = header
    rows, errors = [], []
    for record in reader:
        line = reader.line_num
        if len(rows) >= MAX_ROWS:
            raise BadFile("csv_too_long", N_("At most {count} rows in one file."), "body",
                          count=MAX_ROWS)
        values = {name: (record.get(name) or "").strip() for name in COLUMNS}
        if not any(values.values()):
            continue  # an empty line
        wings = tuple(dict.fromkeys(code.strip() for code in values["wings"].split(";")
                                    if code.strip()))
        valid_from = today
        if values["valid_from"]:
            try:
                valid_from = date.fromisoformat(values["valid_from"])
            except ValueError:
                errors.append(RowError(line, "valid_from",
                                           N_("Write a date as YYYY-MM-DD.")))
        rows.append(_Row(line, values, wings, valid_from))
    return rows, errors


def _posted(db: Session, user: User, wing_id: str, day: date) -> bool:
    return db.scalar(select(Posting.id).where(
        Posting.user_id == user.id, Posting.wing_id == wing_id,
        or_(Posting.valid_to.is_(None), Posting.valid_to >= day))) is not None


def _new_wings(db: Session, row: _Row, role: Role, prison_code: str,
               user: User | None) -> list[str]:
    """The wings this row adds a posting to; refuses wings for other roles, or closed ones."""
    if row.wings and role is not Role.OFFICER:
        raise Refused("wings_not_for_role", N_("Only officers are posted to wings."), "wings")
    prison = db.scalar(select(Prison).where(Prison.code == prison_code))
    if prison is None:
        return []  # already an error on the prison column
    wings = [posting_changes.open_wing(db, prison, code) for code in row.wings]
    return [wing.code for wing in wings if user is None or not _posted(db, user, wing.id,
                                                                       row.valid_from)]


def _plan_row(db: Session, row: _Row) -> ImportLine:
    values = row.values
    username = admin_accounts.checked_username(values["username"])
    role = admin_accounts.checked_role(values["role"])
    display_name = admin_accounts.checked_display_name(values["display_name"])
    locale = admin_accounts.checked_locale(values["locale"])
    prison_id = admin_accounts.prison_for(db, role, values["prison"])
    user = db.scalar(select(User).where(User.username == username))
    wings = tuple(f"wing:{code}" for code in _new_wings(db, row, role, values["prison"], user))
    if user is None:
        return ImportLine(row.line, username, "create", ("account", *wings))
    if user.role != role:
        raise Refused("role_differs", N_("This account has another role; an import does not "
                                         "change roles."), "role")
    if user.prison_id != prison_id:
        raise Refused("prison_differs", N_("This account belongs to another prison; an import "
                                           "does not move accounts."), "prison")
    changed = tuple(name for name, new in (("display_name", display_name), ("locale", locale))
                    if getattr(user, name) != new) + wings
    return ImportLine(row.line, username, "change" if changed else "unchanged", changed)


def plan(db: Session, who: Identity, text: str, now: datetime) -> tuple[ImportPlan, list[_Row]]:
    """What the file would do, and every error in it (each row is checked, not just the first)."""
    require_admin(who)
    rows, errors = _read(text, prisons_today(now))
    bad_lines = {error.line for error in errors}
    lines, seen = [], {}
    for row in rows:
        try:
            line = _plan_row(db, row)
        except Refused as refused:
            errors.append(RowError(row.line, refused.field or "", refused.message,
                                       refused.params))
            continue
        if line.username in seen:
            errors.append(RowError(row.line, "username",
                                       N_("This username is already on line {line}."),
                                       {"line": seen[line.username]}))
            continue
        seen[line.username] = row.line
        if row.line not in bad_lines:
            lines.append(line)
    errors.sort(key=lambda error: error.line)
    return ImportPlan(tuple(lines), tuple(errors)), rows


def dry_run(db: Session, who: Identity, text: str, now: datetime) -> ImportPlan:
    return plan(db, who, text, now)[0]


def apply(db: Session, who: Identity, text: str, now: datetime) -> ImportPlan:
    """Apply the whole file, or nothing when it has an error (the plan says which)."""
    found, rows = plan(db, who, text, now)
    if not found.ok:
        return found
    by_line = {row.line: row for row in rows}
    for line in found.lines:
        row = by_line[line.line]
        _apply_row(db, who, row, line, now)
    return found


def _apply_row(db: Session, who: Identity, row: _Row, line: ImportLine, now: datetime) -> None:
    values = row.values
    if line.action == "create":
        admin_accounts.create_user(db, who, admin_accounts.NewUser(
            values["username"], values["display_name"], values["role"], values["locale"],
            values["prison"]), now)
        _first_prison_posting(db, who, line.username, values, row.valid_from, now)
    elif line.action == "change":
        admin_accounts.update_user(db, who, line.username, admin_accounts.UserChange(
            display_name=values["display_name"], locale=values["locale"]), now)
    for change in line.changes:
        if change.startswith("wing:"):
            posting_changes.add_posting(db, who, line.username, NewPosting(
                PostingScope.WING, row.valid_from, prison=values["prison"],
                wing=change.removeprefix("wing:")), now)


def _first_prison_posting(db: Session, who: Identity, username: str, values: dict[str, str],
                          valid_from: date, now: datetime) -> None:
    """Treatment staff are posted to their prison; a security head or a data-protection
    officer to theirs, or to the central service when the row names none."""
    role = values["role"]
    either = role in (Role.SECURITY_HEAD, Role.DATA_PROTECTION)
    if role == Role.TREATMENT or (either and values["prison"]):
        scope = PostingScope.PRISON
    elif either:
        scope = PostingScope.CENTRAL
    else:
        return
    posting_changes.add_posting(db, who, username, NewPosting(scope, valid_from,
                                                              prison=values["prison"]), now)
