"""The tablets page's state: each tablet of the URL's prison, and marking one lost."""

from __future__ import annotations

from urllib.parse import urlencode

import reflex as rx

from app.clock import utc_now
from app.i18n.messages import Messages
from app.runtime import transaction
from app.services import tablet_reads, tablets
from app.services.accounts import Identity
from app.services.admin_refusals import Refused
from app.views.tablets import HeldView, TabletView, held_view, summary_line, tablet_view
from state.identity import current_identity
from state.language import messages

ROUTE = "/admin/tablets"
ALL = "all"  # the filter's "every prison" (a select's value is never '')


class AdminTabletsState(rx.State):
    rows: list[TabletView] = []
    held: list[HeldView] = []
    prisons: list[list[str]] = []  # [code, "code — name"]
    prison: str = ""
    summary: str = ""
    message: str = ""  # what marking lost did
    error: str = ""  # why it was refused
    confirm_device: str = ""  # the tablet the "Mark lost" dialog asks about

    @rx.event
    async def load(self):
        who = current_identity(self.router.headers.cookie)
        if who is not None:
            self.message = self.error = ""
            self._refresh(who, await messages(self))

    def _refresh(self, who: Identity, words: Messages) -> None:
        asked = self.router.url.query_parameters.get("prison", "")
        with transaction() as db:
            choices = tablet_reads.prison_choices(db, who)
            # A code that names no prison shows every prison's tablets, as if none was given.
            self.prison = asked if asked in {code for code, _ in choices} else ""
            found = tablet_reads.listing(db, who, utc_now(), self.prison)
        self.prisons = [[code, f"{code} — {name}"] for code, name in choices]
        self.rows = [tablet_view(row, words) for row in found.rows]
        self.held = [held_view(row, words) for row in found.held]
        self.summary = summary_line(found.rows, words)

    @rx.event
    def filter_prison(self, prison: str):
        """The prison lives in the URL, so a reload or a shared link shows the same list. Only
        a prison of the list: anything else the browser sends shows every prison."""
        known = isinstance(prison, str) and prison in {code for code, _ in self.prisons}
        query = "?" + urlencode({"prison": prison}) if known else ""
        return rx.redirect(ROUTE + query, replace=True)

    @rx.event
    def ask_lost(self, device_id: str):
        if any(row.device_id == device_id and row.can_mark_lost for row in self.rows):
            self.confirm_device = str(device_id)

    @rx.event
    def cancel_lost(self):
        self.confirm_device = ""

    @rx.event
    async def mark_lost(self):
        who = current_identity(self.router.headers.cookie)
        device_id, self.confirm_device = self.confirm_device, ""
        if who is None or not device_id:
            return
        words = await messages(self)
        try:
            with transaction() as db:  # signs the audit head once committed
                lost = tablets.mark_lost(db, who, device_id, utc_now())
        except Refused as error:
            self.error, self.message = words.t(error.message, **error.params), ""
        else:
            self.error = ""
            self.message = words.tn(
                "Marked lost. {count} officer who used it is signed out everywhere.",
                "Marked lost. {count} officers who used it are signed out everywhere.",
                len(lost.officers))
        self._refresh(who, words)
