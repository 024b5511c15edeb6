"""The screening queue page's state: the open items of the screener's prison, filtered by the URL."""

from __future__ import annotations

from dataclasses import replace

import reflex as rx

from app.clock import utc_now
from app.runtime import transaction
from app.services import screening
from app.services.accounts import Identity
from app.views.restrictions import queue_note
from app.views.screening import QueueFilters, QueueRowView, queue_row, take_over_hint
from state.forms import form_text
from state.identity import current_identity
from state.language import messages
from state.screening_common import cipher, item_number, run_command

ROUTE = "/screening"


class ScreeningQueueState(rx.State):
    rows: list[QueueRowView] = []
    total: int = 0
    wings: list[str] = []
    wing: str = ""
    status: str = "any"
    overdue: bool = False
    held: str = "anyone"
    search: str = ""
    message: str = ""
    take_over_item: int = 0
    take_over_name: str = ""
    take_over_error: str = ""
    shown: str = ""  # "3 shown of 12 open."
    restricted_note: str = ""  # how many are not shown because restricted (issue 12), or ""
    take_over_hint: str = ""

    @rx.event
    async def load(self):
        """on_load, and after every action: the queue as the URL's filters show it."""
        who = current_identity(self.router.headers.cookie)
        if who is not None:
            await self._refresh(who)

    async def _refresh(self, who: Identity) -> None:
        filters = QueueFilters.from_query(dict(self.router.url.query_parameters))
        self.wing, self.status, self.overdue = filters.wing, filters.status, filters.overdue
        self.held, self.search = filters.held, filters.search
        now, words = utc_now(), await messages(self)
        with transaction() as db:
            found = screening.queue(db, who, now, cipher(),
                                    keep=lambda row: filters.keeps(row, who.user_id))
        self.total = found.total
        self.wings = sorted(found.wing_codes | ({filters.wing} - {""}))
        self.rows = [queue_row(row, who.user_id, words, now) for row in found.rows]
        self.shown = words.tn("{shown} shown of {count} open.", "{shown} shown of {count} open.",
                              found.total, shown=words.number(len(found.rows)))
        self.take_over_hint = take_over_hint(words)
        self.restricted_note = queue_note(words, found.restricted)

    def _show(self, **changes):
        """Filters live in the URL, so a reload or a shared link shows the same list."""
        filters = replace(QueueFilters(self.wing, self.status, self.overdue, self.held,
                                       self.search), **changes)
        return rx.redirect(filters.to_url(ROUTE), replace=True)

    @rx.event
    def filter_wing(self, wing: str):
        return self._show(wing="" if wing == "all" else str(wing))

    @rx.event
    def filter_status(self, status: str):
        return self._show(status=str(status))

    @rx.event
    def filter_held(self, held: str):
        return self._show(held=str(held))

    @rx.event
    def filter_overdue(self, overdue: bool):
        return self._show(overdue=overdue is True)

    @rx.event
    def search_for(self, form_data: dict):
        return self._show(search=form_text(form_data, "q"))

    @rx.event
    def clear_filters(self):
        return rx.redirect(ROUTE, replace=True)

    @rx.event
    async def claim(self, item_id: int):
        who = current_identity(self.router.headers.cookie)
        item = item_number(item_id)
        if who is None or item is None:
            return
        self.message = run_command(lambda db: screening.claim(db, who, item, utc_now()),
                                   await messages(self))
        await self._refresh(who)

    @rx.event
    def ask_take_over(self, item_id: int):
        row = next((r for r in self.rows if r.item_id == item_number(item_id)), None)
        if row is not None:
            self.take_over_item, self.take_over_name = row.item_id, row.prisoner
            self.take_over_error = ""

    @rx.event
    def cancel_take_over(self):
        self.take_over_item, self.take_over_error = 0, ""

    @rx.event
    async def take_over(self, form_data: dict):
        who = current_identity(self.router.headers.cookie)
        if who is None or not self.take_over_item:
            return
        item_id, reason = self.take_over_item, form_text(form_data, "reason")
        words = await messages(self)
        # The reason is stored with the language the screener writes in now.
        self.take_over_error = run_command(
            lambda db: screening.take_over(db, who, item_id, reason, utc_now(), cipher(),
                                           words.locale), words)
        if not self.take_over_error:
            self.take_over_item, self.message = 0, ""
            await self._refresh(who)
