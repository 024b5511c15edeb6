"""The legal-hold panel of the screening case page: its own state, loaded when the panel shows
(after the case itself was read and its reading audited), so the case's state stays as it is."""

from __future__ import annotations

import reflex as rx

from app.clock import prisons_today, utc_now
from app.i18n.messages import Messages
from app.runtime import transaction
from app.services import legal_holds
from app.services.accounts import Identity
from app.services.review_errors import ReviewRefused
from app.views.legal_holds import ITEM_CHOICE, HoldLine, hold_panel, hold_reason_hint
from app.views.review import date_hint, suggested_end
from app.vocabulary import HoldSubject
from state.forms import form_text
from state.identity import current_identity
from state.language import messages
from state.review import run
from state.screening_case import PREFIX
from state.screening_common import cipher, item_number


class CaseHoldState(rx.State):
    item_id: int = 0
    item_held: str = ""
    holds: list[HoldLine] = []
    choices: list[list[str]] = []  # [value, words]: the item, or one of its observations
    message: str = ""
    notice: str = ""
    date_hint: str = ""
    day_example: str = ""
    suggested: str = ""
    reason_hint: str = ""
    releasing: int = 0  # the hold the "Release" dialog asks about

    def _item_id(self) -> int | None:
        return item_number(self.router.url.path.rstrip("/").removeprefix(PREFIX))

    @rx.event
    async def load(self):
        """When the panel shows: this item's holds (another item's, left from before, go)."""
        self.message = self.notice = ""
        self.releasing = 0
        who = current_identity(self.router.headers.cookie)
        if who is not None:
            self._read(who, await messages(self))

    def _read(self, who: Identity, words: Messages) -> None:
        item_id = self._item_id()
        self.item_id, self.item_held, self.holds, self.choices = 0, "", [], []
        if item_id is None:
            return
        now = utc_now()
        try:
            with transaction() as db:
                found = legal_holds.for_case(db, who, item_id, now, cipher())
        except ReviewRefused:
            return  # the case page itself says "Not allowed" (and audits it)
        panel = hold_panel(found, words)
        self.item_id, self.item_held = item_id, panel.item_held
        self.holds, self.choices = panel.holds, panel.choices
        today = prisons_today(now)
        self.date_hint, self.reason_hint = date_hint(words, today), hold_reason_hint(words)
        self.day_example = words.day_example(suggested_end(today))
        self.suggested = words.day(suggested_end(today), "short")

    @rx.event
    async def place(self, form_data: dict):
        who = current_identity(self.router.headers.cookie)
        item_id = self._item_id()
        if who is None or item_id is None:
            return
        words = await messages(self)
        chosen = form_text(form_data, "subject", 64)
        subject, subject_id = ((HoldSubject.ITEM, str(item_id)) if chosen == ITEM_CHOICE
                               else (HoldSubject.OBSERVATION, chosen))
        if chosen != ITEM_CHOICE and chosen not in {value for value, _ in self.choices}:
            self.message, self.notice = words.t("Choose what to put on hold."), ""
            return
        typed, reason = form_text(form_data, "until", 64), form_text(form_data, "reason")
        self.message = run(lambda db: legal_holds.place(
            db, who, subject, subject_id, reason, words.parse_day(typed), utc_now(), cipher(),
            words.locale), words)
        if self.message:
            self.notice = ""
            return
        self.notice = words.t("Put on legal hold. The retention schedule leaves the record alone "
                              "until the hold ends.")
        self._read(who, words)

    @rx.event
    def ask_release(self, hold_id: int):
        number = item_number(hold_id)
        if any(line.id == number and line.in_force for line in self.holds):
            self.releasing, self.message, self.notice = number, "", ""

    @rx.event
    def cancel_release(self):
        self.releasing = 0

    @rx.event
    async def release(self):
        who = current_identity(self.router.headers.cookie)
        hold_id, self.releasing = self.releasing, 0
        if who is None or not hold_id:
            return
        words = await messages(self)
        self.message = run(lambda db: legal_holds.release(db, who, hold_id, utc_now()), words)
        if not self.message:
            self.notice = words.t("Hold released. The record is kept only as the retention "
                                  "schedule says from now on.")
            self._read(who, words)

