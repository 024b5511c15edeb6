"""The administration overview's state: a few counts an administrator starts from."""

from __future__ import annotations

import reflex as rx

from app.clock import prisons_today
from app.runtime import transaction
from app.services import organisation_reads
from app.views.organisation import Count, overview_counts
from state.identity import current_identity
from state.language import messages


class AdminOverviewState(rx.State):
    counts: list[Count] = []

    @rx.event
    async def load(self):
        who = current_identity(self.router.headers.cookie)
        if who is None:
            return
        with transaction() as db:
            found = organisation_reads.overview(db, who, prisons_today())
        self.counts = overview_counts(found, await messages(self))
