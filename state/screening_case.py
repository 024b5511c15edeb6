"""The case page's state: one screening item, read in full, and the screener's actions on it."""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx
from sqlalchemy.orm import Session

from app.clock import utc_now
from app.runtime import transaction
from app.services import screening
from app.services.accounts import Identity
from app.views.screening import OUTCOME_LABELS, CaseView, case_view, start_of_day
from app.vocabulary import Outcome
from state.forms import form_text
from state.identity import current_identity
from state.screening_common import (
    cipher,
    item_number,
    local_zone,
    location_labels,
    log_refusal,
    run_command,
)

PREFIX = "/screening/"


class ScreeningCaseState(rx.State):
    case: CaseView = CaseView()
    loaded: bool = False
    refused: bool = False
    missing: str = ""
    message: str = ""
    notice: str = ""
    outcome: str = ""
    taking_over: bool = False

    def _item_id(self) -> int | None:
        return item_number(self.router.url.path.rstrip("/").removeprefix(PREFIX))

    @rx.event
    def load(self):
        """on_load: the case, once the frame has checked the role. Every read is audited."""
        self.loaded = self.refused = False
        self.missing = self.message = self.notice = self.outcome = ""
        self.taking_over = False
        who = current_identity(self.router.headers.cookie)
        if who is not None:
            self._read(who)

    def _read(self, who: Identity) -> None:
        item_id = self._item_id()
        if item_id is None:
            self.missing = "There is no such screening item."
            return
        try:
            with transaction() as db:
                case = screening.case(db, who, item_id, utc_now(), cipher())
        except screening.NotAllowed as error:
            log_refusal(who, item_id, error)
            self.case, self.refused = CaseView(), True
            return
        except screening.ScreeningError as error:
            self.missing = error.message
            return
        self.case = case_view(case, who.user_id, location_labels(), local_zone())
        self.loaded = True

    def _act(self, command: Callable[[Session, Identity, int], object], done: str) -> None:
        """Run a command on this item; on success re-read the case, else keep the form as typed."""
        who = current_identity(self.router.headers.cookie)
        item_id = self._item_id()
        if who is None or item_id is None:
            return
        self.message = run_command(lambda db: command(db, who, item_id))
        if self.message:
            return
        self.notice, self.outcome, self.taking_over = done, "", False
        self._read(who)

    def _act_on_text(self, command: Callable[..., object], text: str, done: str) -> None:
        """Take-over and addendum: commands that store one piece of the screener's text."""
        self._act(lambda db, who, item: command(db, who, item, text, utc_now(), cipher()), done)

    @rx.event
    def claim(self):
        self._act(lambda db, who, item: screening.claim(db, who, item, utc_now()),
                  "Claimed: this item is on your name.")

    @rx.event
    def ask_take_over(self):
        self.taking_over, self.message, self.notice = True, "", ""

    @rx.event
    def cancel_take_over(self):
        self.taking_over, self.message = False, ""

    @rx.event
    def take_over(self, form_data: dict):
        self._act_on_text(screening.take_over, form_text(form_data, "reason"),
                          "Taken over: this item is now on your name.")

    @rx.event
    def choose_outcome(self, outcome: str):
        """Only an outcome the form offers; anything else chooses none (a lone surrogate could
        not even be sent back to the page)."""
        chosen = str(outcome)
        self.outcome, self.message = chosen if chosen in OUTCOME_LABELS else "", ""

    @rx.event
    def decide(self, form_data: dict):
        outcome = form_text(form_data, "outcome") or self.outcome
        reason = form_text(form_data, "reason")
        review = form_text(form_data, "review_on")
        review_on = start_of_day(review, local_zone()) if outcome == Outcome.MONITOR else None
        if outcome == Outcome.MONITOR and review and review_on is None:
            self.message = "Enter the review date as a date."
            return
        kind = form_text(form_data, "support_kind") or None
        self._act(lambda db, who, item: screening.decide(
            db, who, item, outcome, reason, utc_now(), cipher(), review_on=review_on,
            support_kind=kind), "Decision recorded.")

    @rx.event
    def sign_off(self):
        self._act(lambda db, who, item: screening.sign_off(db, who, item, utc_now()),
                  "Referral signed off: it now counts.")

    @rx.event
    def add_addendum(self, form_data: dict):
        self._act_on_text(screening.add_addendum, form_text(form_data, "text"),
                          "Addendum added.")
