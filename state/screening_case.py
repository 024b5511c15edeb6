"""The case page's state: one screening item, read in full, and the screener's actions on it."""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx
from sqlalchemy.orm import Session

from app.clock import utc_now
from app.i18n.messages import Messages, N_
from app.runtime import transaction
from app.services import corrections, restrictions, screening
from app.services.accounts import Identity
from app.views import corrections as correction_views
from app.views import restrictions as restriction_views
from app.views.corrections import CorrectionTarget
from app.views.restrictions import RestrictionBanner
from app.views.screening import (
    OUTCOME_LABELS,
    CaseView,
    case_view,
    reason_hint,
    refusal,
    review_choices,
    take_over_hint,
    start_of_day,
)
from app.vocabulary import Outcome
from state.forms import form_text
from state.identity import current_identity
from state.language import messages
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
    review_choices: list[list[str]] = []  # [ISO date, its words]
    take_over_hint: str = ""
    reason_hint: str = ""
    # Restriction of processing and rectification (issue 12): the banner; `withheld` while the
    # record is restricted and not opened (then `case` holds only who the prisoner is); what
    # an addendum may correct.
    restriction: RestrictionBanner = RestrictionBanner()
    withheld: bool = False
    asking_open: bool = False
    open_hint: str = ""
    correction_targets: list[CorrectionTarget] = []
    _opening: int = 0  # this visit's opening of the restricted record, never the browser's

    def _item_id(self) -> int | None:
        return item_number(self.router.url.path.rstrip("/").removeprefix(PREFIX))

    @rx.event
    async def load(self):
        """on_load: the case, once the frame has checked the role. Every read is audited."""
        self.loaded = self.refused = False
        self.missing = self.message = self.notice = self.outcome = ""
        self.taking_over = self.asking_open = False
        self._opening = 0  # a restricted record is opened again on each visit
        self.restriction, self.withheld, self.correction_targets = RestrictionBanner(), False, []
        who = current_identity(self.router.headers.cookie)
        if who is not None:
            self._read(who, await messages(self))

    def _read(self, who: Identity, words: Messages) -> None:
        item_id = self._item_id()
        if item_id is None:
            self.missing = words.t("There is no such screening item.")
            return
        now = utc_now()
        try:
            with transaction() as db:
                case = screening.case(db, who, item_id, now, cipher(),
                                      opening=self._opening or None)
        except screening.NotAllowed as error:
            log_refusal(who, item_id, error)
            self.case, self.refused = CaseView(), True
            return
        except screening.ScreeningError as error:
            self.missing = refusal(words, error)
            return
        self.withheld = case.withheld
        self.restriction = restriction_views.banner(case.restriction, words,
                                                    opened=bool(self._opening)
                                                    and not case.withheld)
        if case.withheld:
            self.case, self.correction_targets = restriction_views.withheld_case(case, words), []
            self.open_hint, self.loaded = restriction_views.open_hint(words), True
            return
        self.case = case_view(case, who.user_id, location_labels(who.prison_id, words), words,
                              now)
        self.correction_targets = correction_views.targets(words, self.case.timeline)
        self.review_choices = review_choices(words, now)
        self.take_over_hint, self.reason_hint = take_over_hint(words), reason_hint(words)
        self.loaded = True

    async def _act(self, command: Callable[[Session, Identity, int, Messages], object],
                   done: str) -> None:
        """Run a command on this item; on success re-read the case, else keep the form as typed.
        `done` is the message id of what the page then says."""
        who = current_identity(self.router.headers.cookie)
        item_id = self._item_id()
        if who is None or item_id is None:
            return
        words = await messages(self)
        self.message = run_command(lambda db: command(db, who, item_id, words), words)
        if self.message:
            return
        self.notice, self.outcome, self.taking_over = words.t(done), "", False
        self._read(who, words)

    async def _act_on_text(self, command: Callable[..., object], text: str, done: str) -> None:
        """Take-over and addendum: commands that store one piece of the screener's text, with
        the language the screener writes in now."""
        await self._act(lambda db, who, item, words: command(
            db, who, item, text, utc_now(), cipher(), words.locale), done)

    @rx.event
    async def claim(self):
        await self._act(lambda db, who, item, _words: screening.claim(db, who, item, utc_now()),
                        N_("Claimed: this item is on your name."))

    @rx.event
    def ask_take_over(self):
        self.taking_over, self.message, self.notice = True, "", ""

    @rx.event
    def cancel_take_over(self):
        self.taking_over, self.message = False, ""

    @rx.event
    async def take_over(self, form_data: dict):
        await self._act_on_text(screening.take_over, form_text(form_data, "reason"),
                                N_("Taken over: this item is now on your name."))

    @rx.event
    def choose_outcome(self, outcome: str):
        """Only an outcome the form offers; anything else chooses none (a lone surrogate could
        not even be sent back to the page)."""
        chosen = str(outcome)
        self.outcome, self.message = chosen if chosen in OUTCOME_LABELS else "", ""

    @rx.event
    async def decide(self, form_data: dict):
        outcome = form_text(form_data, "outcome") or self.outcome
        reason = form_text(form_data, "reason")
        review = form_text(form_data, "review_on")
        review_on = start_of_day(review, local_zone()) if outcome == Outcome.MONITOR else None
        if outcome == Outcome.MONITOR and review and review_on is None:
            self.message = (await messages(self)).t("Choose one of the review dates offered.")
            return
        kind = form_text(form_data, "support_kind") or None
        await self._act(lambda db, who, item, words: screening.decide(
            db, who, item, outcome, reason, utc_now(), cipher(), review_on=review_on,
            support_kind=kind, locale=words.locale), N_("Decision recorded."))

    @rx.event
    async def sign_off(self):
        await self._act(lambda db, who, item, _words: screening.sign_off(db, who, item,
                                                                         utc_now()),
                        N_("Referral signed off: it now counts."))

    @rx.event
    async def add_addendum(self, form_data: dict):
        """A note on the screening record or, when the form names a fact of an observation,
        its corrected reading (rectification: the original stays)."""
        text = form_text(form_data, "text")
        target = correction_views.parse_target(form_text(form_data, "corrects"))
        if target is None:
            await self._act_on_text(screening.add_addendum, text, N_("Addendum added."))
            return
        fact, observation_id = target
        await self._act(lambda db, who, item, words: corrections.correct(
            db, who, item, observation_id, fact, text, utc_now(), cipher(), words.locale),
            N_("Correction added; the original reading stays beside it."))

    @rx.event
    def ask_open(self):
        self.asking_open, self.message, self.notice = True, "", ""

    @rx.event
    def cancel_open(self):
        self.asking_open, self.message = False, ""

    @rx.event
    async def open_restricted(self, form_data: dict):
        """Open the restricted record with a reason (recorded and audited); then the case shows
        as usual on this visit, the banner still there."""
        who = current_identity(self.router.headers.cookie)
        item_id = self._item_id()
        if who is None or item_id is None:
            return
        words = await messages(self)
        reason = form_text(form_data, "reason")
        try:
            with transaction() as db:
                opening = restrictions.open_record(db, who, item_id, reason, utc_now(),
                                                   cipher(), words.locale)
        except restrictions.RestrictionError as error:
            self.message = restriction_views.refusal(words, error)
            return
        self._opening, self.asking_open, self.message = opening, False, ""
        self._read(who, words)
