"""Accounts and postings as the administration pages show them: text in the reader's language,
never an ORM row and never a password hash."""

from __future__ import annotations

from dataclasses import dataclass

from app.i18n.labels import ROLE_LABELS, label
from app.i18n.locales import ENDONYMS, Locale
from app.i18n.messages import Messages, N_
from app.services.account_import import ImportPlan
from app.services.account_list import PostingRow, UserRow
from app.services.admin_refusals import Refused
from app.vocabulary import PostingScope, parse

SCOPE_LABELS = {PostingScope.WING: N_("Wing"), PostingScope.PRISON: N_("Prison"),
                PostingScope.CENTRAL: N_("Central service")}
ACTION_LABELS = {"create": N_("New account"), "change": N_("Changes"),
                 "unchanged": N_("No change")}
FIELD_LABELS = {"account": N_("Account"), "display_name": N_("Display name"),
                "locale": N_("Language")}


@dataclass(frozen=True)
class UserItem:
    username: str
    href: str
    display_name: str
    role: str  # in words
    prison: str
    wings: str
    active: bool
    locked: bool
    must_change_password: bool
    last_sign_in: str


@dataclass(frozen=True)
class PostingItem:
    id: int
    what: str  # "Wing A", "Prison NPC", "Central service"
    period: str
    current: bool
    open_ended: bool  # no last day yet: the page offers to end it


@dataclass(frozen=True)
class ImportLineItem:
    line: int
    username: str
    action: str  # in words
    kind: str  # create, change or unchanged: the badge's colour
    changes: str


@dataclass(frozen=True)
class ImportErrorItem:
    line: int
    column: str
    problem: str


def refusal(words: Messages, error: Refused) -> str:
    return words.t(error.message, **error.params)


def locale_name(code: str) -> str:
    locale = parse(Locale, code)
    return ENDONYMS.get(locale, code) if locale else code


def user_item(row: UserRow, words: Messages, route: str) -> UserItem:
    return UserItem(
        username=row.username, href=f"{route}/{row.username}", display_name=row.display_name,
        role=label(words, ROLE_LABELS, row.role), prison=row.prison or "—",
        wings=", ".join(row.wings) or "—", active=row.active, locked=row.locked,
        must_change_password=row.must_change_password,
        last_sign_in=words.moment(row.last_sign_in_at) if row.last_sign_in_at
        else words.t("Never"))


def posting_item(row: PostingRow, words: Messages) -> PostingItem:
    what = label(words, SCOPE_LABELS, row.scope)
    place = row.wing if row.scope == PostingScope.WING else row.prison
    period = (words.t("{first} to {last}", first=words.day(row.valid_from),
                      last=words.day(row.valid_to)) if row.valid_to
              else words.t("from {first}", first=words.day(row.valid_from)))
    return PostingItem(id=row.id, what=f"{what} {place}".strip(), period=period,
                       current=row.current, open_ended=row.valid_to is None)


def import_items(found: ImportPlan, words: Messages
                 ) -> tuple[list[ImportLineItem], list[ImportErrorItem]]:
    def change(code: str) -> str:
        if code.startswith("wing:"):
            return words.t("posting to wing {wing}", wing=code.removeprefix("wing:"))
        return words.t(FIELD_LABELS.get(code, code))

    lines = [ImportLineItem(line.line, line.username, words.t(ACTION_LABELS[line.action]),
                            line.action, ", ".join(change(code) for code in line.changes))
             for line in found.lines]
    problems = [ImportErrorItem(error.line, error.column, words.t(error.message, **error.params))
                for error in found.errors]
    return lines, problems
