"""/admin/users/<username>'s state: one account, its postings, and the commands on it (reset
the password, deactivate or reactivate, unlock, add or end a posting, edit name and language).
Each command is one service call; the temporary password is held only until the page leaves."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from urllib.parse import unquote

import reflex as rx
from sqlalchemy.orm import Session

from app.clock import prisons_today, utc_now
from app.i18n.messages import N_
from app.runtime import transaction
from app.services import admin_accounts, posting_changes
from app.services.account_list import user_detail
from app.services.accounts import Identity
from app.services.admin_refusals import Refused
from app.services.posting_changes import SCOPES, NewPosting
from app.views.accounts import SCOPE_LABELS, PostingItem, UserItem, locale_name, posting_item, refusal, \
    user_item
from state.admin_users import ROUTE as LIST_ROUTE
from state.forms import form_text
from state.identity import current_identity
from state.language import messages

PREFIX = LIST_ROUTE + "/"
NO_USER = UserItem("", "", "", "", "", "", False, False, False, "")


class AdminUserState(rx.State):
    user: UserItem = NO_USER
    role_code: str = ""
    locale: str = ""
    locale_name: str = ""
    postings: list[PostingItem] = []
    scopes: list[list[str]] = []  # [code, words]: the kinds of posting this role may hold
    missing: bool = False
    temporary: str = ""  # shown once, then forgotten
    confirming: str = ""  # deactivate, reactivate or reset: waits for a confirmation
    ending: int = 0  # the posting whose last day is being chosen
    today: str = ""  # as the reader writes a day, for the posting forms' defaults
    yesterday: str = ""
    day_example: str = ""
    message: str = ""
    notice: str = ""

    def _username(self) -> str:
        return unquote(self.router.url.path.rstrip("/").removeprefix(PREFIX))[:64]

    @rx.event
    async def load(self):
        self.temporary = self.confirming = self.message = self.notice = ""
        self.ending = 0
        who = current_identity(self.router.headers.cookie)
        if who is not None:
            await self._read(who)

    async def _read(self, who: Identity) -> None:
        words, day = await messages(self), prisons_today()
        self.today, self.yesterday = (words.day(d, "short") for d in (day, day - timedelta(days=1)))
        self.day_example = words.day_example(day)
        try:
            with transaction() as db:
                found = user_detail(db, who, self._username(), utc_now(), day)
        except Refused as error:
            self.missing, self.user, self.postings = True, NO_USER, []
            self.message = refusal(words, error)
            return
        self.missing = False
        self.user = user_item(found.user, words, LIST_ROUTE)
        self.role_code, self.locale = found.user.role, found.user.locale
        self.locale_name = locale_name(found.user.locale)
        self.scopes = [[scope.value, words.t(SCOPE_LABELS[scope])]
                       for scope in SCOPE_LABELS if scope in SCOPES.get(found.user.role, ())]
        self.postings = [posting_item(row, words) for row in found.postings]

    async def _run(self, command: Callable[[Session, Identity, str], object],
                   done: str) -> object:
        """One command in its own transaction; then `done` (a message id) or why it was
        refused, and what is stored now."""
        who = current_identity(self.router.headers.cookie)
        if who is None:
            return None
        words = await messages(self)
        try:
            with transaction() as db:
                result = command(db, who, self._username())
        except Refused as error:
            self.message, self.notice = refusal(words, error), ""
            return None
        self.message, self.notice, self.confirming, self.ending = "", words.t(done), "", 0
        await self._read(who)
        return result

    @rx.event
    def ask(self, what: str):
        if what in ("deactivate", "reactivate", "reset"):
            self.confirming, self.temporary = what, ""

    @rx.event
    def cancel(self):
        self.confirming, self.ending = "", 0

    @rx.event
    async def confirm(self):
        what, now = self.confirming, utc_now()
        if what == "reset":
            password = await self._run(
                lambda db, who, name: admin_accounts.reset_password(db, who, name, now),
                N_("Password reset. Give the person the temporary password below."))
            self.temporary = password if isinstance(password, str) else ""
        elif what in ("deactivate", "reactivate"):
            change = admin_accounts.UserChange(active=what == "reactivate")
            await self._run(
                lambda db, who, name: admin_accounts.update_user(db, who, name, change, now),
                N_("Account deactivated. Its sessions have ended.") if what == "deactivate"
                else N_("Account active again."))

    @rx.event
    def hide_temporary(self):
        self.temporary = ""

    @rx.event
    async def unlock(self):
        now = utc_now()
        await self._run(lambda db, who, name: admin_accounts.unlock(db, who, name, now),
                        N_("The username may sign in again."))

    @rx.event
    async def save(self, form_data: dict):
        change = admin_accounts.UserChange(display_name=form_text(form_data, "display_name", 120),
                                           locale=form_text(form_data, "locale", 16))
        now = utc_now()
        await self._run(lambda db, who, name: admin_accounts.update_user(db, who, name, change,
                                                                         now), N_("Saved."))

    @rx.event
    async def add_posting(self, form_data: dict):
        words = await messages(self)
        first = words.parse_day(form_text(form_data, "valid_from", 24))
        last_text = form_text(form_data, "valid_to", 24)
        last = words.parse_day(last_text) if last_text.strip() else None
        if first is None or (last_text.strip() and last is None):
            self.message = words.t("Write a day as in the example, e.g. {day}.",
                                   day=self.today)
            return
        new = NewPosting(form_text(form_data, "scope", 12), first, last,
                         wing=form_text(form_data, "wing", 16).strip())
        now = utc_now()
        await self._run(lambda db, who, name: posting_changes.add_posting(db, who, name, new,
                                                                          now),
                        N_("Posting added. It counts from the person's next request."))

    @rx.event
    def ask_end(self, posting_id: int):
        chosen = next((posting.id for posting in self.postings
                       if str(posting.id) == str(posting_id)), 0)
        self.ending, self.confirming = chosen, ""

    @rx.event
    async def end_posting(self, form_data: dict):
        words = await messages(self)
        last = words.parse_day(form_text(form_data, "valid_to", 24))
        if last is None or not self.ending:
            self.message = words.t("Write a day as in the example, e.g. {day}.",
                                   day=self.yesterday)
            return
        posting_id, now = self.ending, utc_now()
        await self._run(lambda db, who, name: posting_changes.end_posting(
            db, who, name, posting_id, last, now),
            N_("Posting ended. From the day after its last day it no longer counts."))
