"""/admin/users' state: the accounts as the URL's filters show them, a new account, and a CSV
import (a dry-run preview first, then Apply). Each command is one service call."""

from __future__ import annotations

from urllib.parse import urlencode

import reflex as rx

from app.clock import prisons_today, utc_now
from app.runtime import transaction
from app.services import account_import, admin_accounts
from app.services.account_list import UserFilters, list_users
from app.services.accounts import Identity
from app.services.admin_refusals import Refused
from app.views.accounts import ImportErrorItem, ImportLineItem, UserItem, import_items, \
    refusal, user_item
from state.forms import form_text
from state.identity import current_identity
from state.language import messages

ROUTE = "/admin/users"
MAX_CSV = 1_000_000  # characters pasted or chosen at once
STATUSES = ("all", "active", "inactive", "locked")


def _filters(query: dict) -> UserFilters:
    status = str(query.get("status", "all"))
    return UserFilters(role=str(query.get("role", ""))[:20],
                       prison=str(query.get("prison", ""))[:16],
                       wing=str(query.get("wing", ""))[:16],
                       active={"active": True, "inactive": False}.get(status),
                       locked=True if status == "locked" else None)


class AdminUsersState(rx.State):
    rows: list[UserItem] = []
    role: str = "all"
    prison: str = ""
    wing: str = ""
    status: str = "all"
    message: str = ""
    notice: str = ""
    created: str = ""  # the username just created: the page links to it
    import_lines: list[ImportLineItem] = []
    import_errors: list[ImportErrorItem] = []
    previewed: bool = False
    _csv: str = ""  # the previewed file, applied as it was shown

    @rx.event
    async def load(self):
        self.message = self.notice = self.created = ""
        self.previewed, self.import_lines, self.import_errors, self._csv = False, [], [], ""
        who = current_identity(self.router.headers.cookie)
        if who is not None:
            await self._read(who)

    async def _read(self, who: Identity) -> None:
        query = dict(self.router.url.query_parameters)
        filters = _filters(query)
        self.role, self.prison, self.wing = filters.role or "all", filters.prison, filters.wing
        self.status = str(query.get("status", "all")) if query.get("status") in STATUSES \
            else "all"
        words = await messages(self)
        with transaction() as db:
            found = list_users(db, who, filters, utc_now(), prisons_today())
        self.rows = [user_item(row, words, ROUTE) for row in found]

    def _show(self, **changes: str):
        """Filters live in the URL, so a reload or a shared link shows the same list."""
        values = {"role": "" if self.role == "all" else self.role, "prison": self.prison,
                  "wing": self.wing, "status": "" if self.status == "all" else self.status}
        values.update(changes)
        # What cannot be written as UTF-8 (a lone surrogate) cannot be in a URL either.
        query = urlencode({key: value.encode("utf-8", "ignore").decode("utf-8")
                           for key, value in values.items() if value})
        return rx.redirect(f"{ROUTE}?{query}" if query else ROUTE, replace=True)

    @rx.event
    def filter_role(self, role: str):
        return self._show(role="" if role == "all" else str(role)[:20])

    @rx.event
    def filter_status(self, status: str):
        return self._show(status="" if status == "all" else str(status)[:10])

    @rx.event
    def filter_place(self, form_data: dict):
        return self._show(prison=form_text(form_data, "prison", 16).strip(),
                          wing=form_text(form_data, "wing", 16).strip())

    @rx.event
    def clear_filters(self):
        return rx.redirect(ROUTE, replace=True)

    @rx.event
    async def create(self, form_data: dict):
        who = current_identity(self.router.headers.cookie)
        if who is None:
            return
        new = admin_accounts.NewUser(
            form_text(form_data, "username", 64), form_text(form_data, "display_name", 120),
            form_text(form_data, "role", 20), form_text(form_data, "locale", 16),
            form_text(form_data, "prison", 16).strip())
        words = await messages(self)
        try:
            with transaction() as db:
                username = admin_accounts.create_user(db, who, new, utc_now()).username
        except Refused as error:
            self.message, self.notice, self.created = refusal(words, error), "", ""
            return
        self.message, self.created = "", username
        self.notice = words.t("Account {username} created. Reset its password to give the "
                              "person a temporary one.", username=username)
        await self._read(who)

    @rx.event
    async def preview(self, form_data: dict):
        """The dry run: what the file would do, and every error with its line and column."""
        who = current_identity(self.router.headers.cookie)
        if who is None:
            return
        text = form_text(form_data, "csv", MAX_CSV)
        words = await messages(self)
        try:
            with transaction() as db:
                found = account_import.dry_run(db, who, text, utc_now())
        except Refused as error:
            self.message, self.previewed = refusal(words, error), False
            return
        self.import_lines, self.import_errors = import_items(found, words)
        self.previewed, self._csv, self.message, self.notice = True, text, "", ""

    @rx.event
    async def apply(self):
        who = current_identity(self.router.headers.cookie)
        if who is None or not self.previewed or self.import_errors:
            return
        words = await messages(self)
        try:
            with transaction() as db:
                found = account_import.apply(db, who, self._csv, utc_now())
        except Refused as error:
            self.message = refusal(words, error)
            return
        self.import_lines, self.import_errors = import_items(found, words)
        if found.ok:
            self.previewed, self._csv = False, ""
            self.notice = words.tn("{count} line applied.", "{count} lines applied.",
                                   len(found.lines))
        await self._read(who)

    @rx.event
    def start_over(self):
        self.previewed, self.import_lines, self.import_errors, self._csv = False, [], [], ""
