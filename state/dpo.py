"""/dpo's state: the data-protection officer finds a prisoner of a prison in reach, places or
lifts a restriction, and produces the subject-access report (page, print, PDF).

Each handler: who is asking, one service call, a view. The prisoner's id and the period of the
report shown stay on the server (backend-only vars); the PDF and the print view are made afresh
from them, each an audited disclosure of its own. A refusal (another prison's prisoner by a
forged form) is logged in a transaction of its own, as screening does.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import reflex as rx
from sqlalchemy.orm import Session

from app.clock import prisons_today, utc_now
from app.i18n.messages import Messages, N_
from app.runtime import ingest_context, transaction
from app.services import access_report, access_report_pdf, access_report_subject as subject
from app.services import restrictions
from app.services.access_report import ReportError
from app.services.access_report_pdf import Document
from app.services.accounts import Identity
from app.views.dpo import (
    CardView,
    card_view,
    document,
    ground_choices,
    prison_choices,
    report_refusal,
)
from app.views.restrictions import refusal as restriction_refusal
from app.views.screening import plain
from state.forms import form_text
from state.identity import current_identity
from state.language import messages
from state.screening_common import cipher, local_zone, location_labels
from state.session import ask_page

ROUTE = "/dpo"
DEFAULT_PERIOD = timedelta(days=365)
NOT_ALLOWED = N_("Not allowed")


class DpoState(rx.State):
    prisons: list[list[str]] = []  # [code, words]: the prisons in reach
    prison: str = ""  # the prison searched in
    number: str = ""  # the number searched for, as typed
    card: CardView = CardView()
    grounds: list[list[str]] = []  # [code, words]
    lifting: int = 0  # the restriction whose lifting waits for a reason
    since: str = ""  # the report's period, as the reader writes days
    until: str = ""
    day_example: str = ""
    report: Document = Document()
    message: str = ""  # why something was refused
    notice: str = ""  # what was done
    _prisoner_id: str = ""
    _period: list[str] = []  # ISO first and last day of the report shown

    def _clear(self) -> None:
        self.card, self.report, self.lifting = CardView(), Document(), 0
        self.message = self.notice = ""
        self._prisoner_id, self._period = "", []

    @rx.event
    async def load(self):
        """Nothing of the last visit stays: a fresh search, the last year as the period."""
        self._clear()
        self.prison = self.number = ""
        who = current_identity(self.router.headers.cookie)
        if who is None:
            return
        words = await messages(self)
        with transaction() as db:
            self.prisons = prison_choices(subject.prisons_in_reach(db, who))
        self.prison = self.prisons[0][0] if len(self.prisons) == 1 else ""
        self.grounds = ground_choices(words)
        today = prisons_today()
        self.since = words.day(today - DEFAULT_PERIOD, "short")
        self.until = words.day(today, "short")
        self.day_example = words.day_example(today)

    def _refused(self, who: Identity, error: subject.NotAllowed, words: Messages) -> None:
        with transaction() as db:
            subject.log_refusal(db, who, error, utc_now())
        self._clear()
        self.message = words.t(NOT_ALLOWED)

    @rx.event
    async def find(self, form_data: dict):
        who = current_identity(self.router.headers.cookie)
        if who is None:
            return
        words = await messages(self)
        # No NUL nor lone surrogate reaches the database (PostgreSQL refuses both) or the tab.
        prison = plain(form_text(form_data, "prison", 16))
        number = plain(form_text(form_data, "number", 32)).strip()
        self._clear()
        self.prison, self.number = prison, number
        try:
            with transaction() as db:
                found = subject.find(db, who, prison, number)
                shown = (subject.card(db, who, found, cipher(), utc_now())
                         if found is not None else None)
        except subject.NotAllowed as error:
            self._refused(who, error, words)
            return
        if shown is None:
            self.message = words.t("No prisoner with this number in this prison.")
            return
        self._prisoner_id = shown.prisoner_id
        self.card = card_view(words, shown)

    async def _command(self, command: Callable[[Session, Identity], object], done: str
                       ) -> None:
        """A restriction placed or lifted on the card shown, then the card again."""
        who = current_identity(self.router.headers.cookie)
        if who is None or not self._prisoner_id:
            return
        words = await messages(self)
        try:
            with transaction() as db:
                command(db, who)
            with transaction() as db:
                shown = subject.card_again(db, who, self._prisoner_id, cipher())
        except restrictions.RestrictionError as error:
            self.message, self.notice = restriction_refusal(words, error), ""
            return
        except subject.NotAllowed as error:
            self._refused(who, error, words)
            return
        self.card, self.lifting = card_view(words, shown), 0
        self.message, self.notice = "", words.t(done)
        self.report, self._period = Document(), []  # made before the change: make it again

    @rx.event
    async def restrict(self, form_data: dict):
        ground, reason = form_text(form_data, "ground", 24), form_text(form_data, "reason", 4000)
        prisoner_id, words = self._prisoner_id, await messages(self)
        await self._command(lambda db, who: restrictions.restrict(
            db, who, prisoner_id, ground, reason, utc_now(), ingest_context(), words.locale),
            N_("Restriction placed. The prisoner's records have left the queue, the ordinary "
               "case view and the trends."))

    @rx.event
    def ask_lift(self, restriction_id: int):
        self.lifting = next((line.id for line in self.card.restrictions
                             if line.in_force and str(line.id) == str(restriction_id)), 0)

    @rx.event
    def cancel_lift(self):
        self.lifting = 0

    @rx.event
    async def lift(self, form_data: dict):
        restriction_id, words = self.lifting, await messages(self)
        if not restriction_id:
            return
        reason = form_text(form_data, "reason", 4000)
        await self._command(lambda db, who: restrictions.lift(
            db, who, restriction_id, reason, utc_now(), ingest_context(), words.locale),
            N_("Restriction lifted. The records are processed as before."))

    def _produce(self, who: Identity, words: Messages, first: date | None, last: date | None,
                 form: str) -> Document | None:
        """The report made afresh and audited; None (and why, said) when it is refused."""
        try:
            with transaction() as db:
                made = access_report.produce(db, who, self._prisoner_id, first, last,
                                             utc_now(), cipher(), form=form, zone=local_zone())
        except ReportError as error:
            self.message = report_refusal(words, error)
            return None
        except subject.NotAllowed as error:
            self._refused(who, error, words)
            return None
        self.message = ""
        self._period = [made.since.isoformat(), made.until.isoformat()]
        return document(words, made, location_labels(made.prisoner.prison_id, words))

    @rx.event
    async def produce(self, form_data: dict):
        who = current_identity(self.router.headers.cookie)
        if who is None or not self._prisoner_id:
            return
        words = await messages(self)
        # As typed, to show again: a lone surrogate (which no JSON to the tab holds) as '?'.
        self.since = plain(form_text(form_data, "since", 24))
        self.until = plain(form_text(form_data, "until", 24))
        shown = self._produce(who, words, words.parse_day(self.since),
                              words.parse_day(self.until), "page")
        self.report = shown or Document()
        self.notice = (words.t("Report produced. It is recorded in the audit log as a "
                               "disclosure.") if shown else "")

    def _shown_period(self) -> tuple[date, date] | None:
        try:
            first, last = (date.fromisoformat(day) for day in self._period)
        except ValueError:
            return None
        return first, last

    @rx.event
    async def download_pdf(self):
        who, period = current_identity(self.router.headers.cookie), self._shown_period()
        if who is None or not self._prisoner_id or period is None:
            return None
        words = await messages(self)
        made = self._produce(who, words, *period, "pdf")
        if made is None:
            return None
        try:
            pdf = access_report_pdf.render(made)
        except access_report_pdf.FontMissing:
            self.message = words.t("The PDF cannot be made: its font is not installed on the "
                                   "server.")
            return None
        self.notice = words.t("PDF downloaded. It is recorded in the audit log as a "
                              "disclosure.")
        return rx.download(data=pdf, mime_type="application/pdf", filename=made.filename)

    @rx.event
    async def print_report(self):
        who, period = current_identity(self.router.headers.cookie), self._shown_period()
        if who is None or not self._prisoner_id or period is None:
            return
        words = await messages(self)
        made = self._produce(who, words, *period, "print")
        if made is not None:
            self.report = made
            self.notice = words.t("Print view opened. It is recorded in the audit log as a "
                                  "disclosure.")
            await ask_page(self, "print")
