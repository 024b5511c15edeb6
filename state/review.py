"""The review list's state: the person's open review entries, filtered by the URL, and the
decisions on them (extend, anonymise now, erase now) and legal holds, each in a dialog."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

import reflex as rx
from sqlalchemy.orm import Session

from app.clock import prisons_today, utc_now
from app.i18n.messages import Messages, N_
from app.runtime import transaction
from app.services import review_list, review_reads
from app.services.accounts import Identity
from app.services.review_errors import ReviewRefused
from app.views.review import (
    ALL_CLASSES,
    ReviewFilters,
    ReviewRowView,
    class_choices,
    date_hint,
    reason_hint,
    refusal,
    row_view,
    suggested_end,
    summary,
)
from app.vocabulary import ReviewDecision, Role
from state.forms import form_text
from state.identity import current_identity
from state.language import messages
from state.screening_common import cipher, item_number

ROUTE = "/review"
# What each dialog is for, and the row's flag that offers it.
DIALOGS = {"extend": "can_extend", "anonymise": "can_anonymise", "erase": "can_erase",
           "hold": "can_hold"}
DONE = {ReviewDecision.ANONYMISE: N_("Anonymised: what the trends count stays, the person is "
                                     "gone."),
        ReviewDecision.ERASE: N_("Erased. A tombstone keeps the record's class, dates and the "
                                 "rule, never its content.")}


def run(command: Callable[[Session], object], words: Messages) -> str:
    """One command in its own transaction; '' or the refusal in `words` (nothing written)."""
    try:
        with transaction() as db:  # signs the audit head once committed
            command(db)
    except ReviewRefused as error:
        return refusal(words, error)
    return ""


class ReviewState(rx.State):
    rows: list[ReviewRowView] = []
    total: int = 0
    summary: str = ""
    when: str = "all"
    record_class: str = ""
    classes: list[list[str]] = []  # [code, words]
    message: str = ""  # a refusal outside a dialog
    notice: str = ""  # what a decision did
    dialog: str = ""  # one of DIALOGS, or '' when none is open
    dialog_entry: int = 0
    dialog_what: str = ""  # the record the dialog is about, in words
    dialog_error: str = ""
    date_hint: str = ""
    day_example: str = ""
    suggested: str = ""  # the date field's first value, as the reader's locale writes it
    reason_hint: str = ""

    @rx.event
    async def load(self):
        """on_load: the list as the URL's filters show it; no dialog left open."""
        self.message = self.notice = ""
        self._close()
        who = current_identity(self.router.headers.cookie)
        if who is not None:
            self._refresh(who, await messages(self))

    def _refresh(self, who: Identity, words: Messages) -> None:
        filters = ReviewFilters.from_query(dict(self.router.url.query_parameters))
        self.when, self.record_class = filters.when, filters.record_class
        now = utc_now()
        with transaction() as db:  # the rows naming a prisoner are an audited read
            found = review_reads.listing(db, who, now, keep=filters.keeps)
        today = prisons_today(now)
        self.rows = [row_view(row, words, today, links=who.role == Role.TREATMENT)
                     for row in found.rows]
        self.total, self.summary = found.total, summary(words, found)
        self.classes = class_choices(words, found.classes, filters.record_class)
        self.reason_hint = reason_hint(words)

    def _show(self, **changes):
        """Filters live in the URL, so a reload or a shared link shows the same list."""
        filters = replace(ReviewFilters(self.when, self.record_class), **changes)
        return rx.redirect(filters.to_url(ROUTE), replace=True)

    @rx.event
    def filter_when(self, when: str):
        return self._show(when=str(when))

    @rx.event
    def filter_class(self, record_class: str):
        chosen = str(record_class)
        return self._show(record_class="" if chosen == ALL_CLASSES else chosen)

    @rx.event
    def clear_filters(self):
        return rx.redirect(ROUTE, replace=True)

    # --- the dialogs -------------------------------------------------------------------------

    def _close(self) -> None:
        self.dialog, self.dialog_entry, self.dialog_what, self.dialog_error = "", 0, "", ""

    async def _ask(self, kind: str, entry_id: object) -> None:
        """Open a dialog for a row the page shows that offers it; anything else opens none."""
        number = item_number(entry_id)
        row = next((r for r in self.rows if r.entry_id == number), None)
        if row is None or not getattr(row, DIALOGS[kind]):
            return
        words = await messages(self)
        today = prisons_today(utc_now())
        self.dialog, self.dialog_entry, self.dialog_error = kind, row.entry_id, ""
        self.dialog_what = f"{row.what} — {row.who}" if row.who else row.what
        self.message = self.notice = ""
        # A new date comes after the entry's own; a hold's end after today.
        after = date.fromisoformat(row.due_on) if kind == "extend" else None
        self.date_hint = date_hint(words, today, after)
        self.day_example = words.day_example(suggested_end(today, after))
        self.suggested = words.day(suggested_end(today, after), "short")

    @rx.event
    async def ask_extend(self, entry_id: int):
        await self._ask("extend", entry_id)

    @rx.event
    async def ask_anonymise(self, entry_id: int):
        await self._ask("anonymise", entry_id)

    @rx.event
    async def ask_erase(self, entry_id: int):
        await self._ask("erase", entry_id)

    @rx.event
    async def ask_hold(self, entry_id: int):
        await self._ask("hold", entry_id)

    @rx.event
    def cancel(self):
        self._close()

    async def _decide(self, kind: str, command: Callable[[Session, Identity, Messages], object],
                      done: Callable[[Messages], str]) -> None:
        """Run the open dialog's command; on success close it, say what happened and show the
        list again, else keep the dialog open with the refusal."""
        who = current_identity(self.router.headers.cookie)
        if who is None or self.dialog != kind or not self.dialog_entry:
            return
        words = await messages(self)
        self.dialog_error = run(lambda db: command(db, who, words), words)
        if self.dialog_error:
            return
        self.notice = done(words)
        self._close()
        self._refresh(who, words)

    @rx.event
    async def extend(self, form_data: dict):
        entry = self.dialog_entry
        typed, reason = form_text(form_data, "until", 64), form_text(form_data, "reason")
        kept: list = []

        def command(db: Session, who: Identity, words: Messages) -> None:
            kept.append(review_list.extend(db, who, entry, words.parse_day(typed), reason,
                                           utc_now(), cipher(), words.locale))

        await self._decide("extend", command, lambda words: words.t(
            "Kept until {day}. The record is reviewed again before then.",
            day=words.day(kept[0])))

    @rx.event
    async def confirm(self):
        """Anonymise or erase now: the dialog asked first."""
        kind, entry = self.dialog, self.dialog_entry
        if kind not in (ReviewDecision.ANONYMISE, ReviewDecision.ERASE):
            return
        await self._decide(kind, lambda db, who, _words: review_list.remove_now(
            db, who, entry, kind, utc_now()), lambda words: words.t(DONE[kind]))

    @rx.event
    async def hold(self, form_data: dict):
        entry = self.dialog_entry
        typed, reason = form_text(form_data, "until", 64), form_text(form_data, "reason")
        await self._decide("hold", lambda db, who, words: review_list.hold(
            db, who, entry, reason, words.parse_day(typed), utc_now(), cipher(), words.locale),
            lambda words: words.t("Put on legal hold. The retention schedule leaves the record "
                                  "alone until the hold ends."))
