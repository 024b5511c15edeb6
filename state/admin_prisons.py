"""The prisons page's state: the list, the chosen prison (?prison=CODE), and the commands on its
wings and locations. Each command is one call of app/services/organisation.py."""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx
from sqlalchemy.orm import Session

from app.clock import prisons_today, utc_now
from app.i18n.messages import Messages, N_
from app.runtime import transaction
from app.services import organisation, organisation_reads
from app.services.accounts import Identity
from app.services.organisation import OrganisationError
from app.views.organisation import (
    LocationItem,
    PrisonItem,
    WingItem,
    location_items,
    prison_items,
    refusal,
    wing_items,
)
from state.forms import form_text
from state.identity import current_identity
from state.language import messages

ROUTE = "/admin/prisons"


class AdminPrisonsState(rx.State):
    prisons: list[PrisonItem] = []
    chosen: str = ""  # the chosen prison's code, from the URL
    name: str = ""
    wings: list[WingItem] = []
    locations: list[LocationItem] = []
    closing: str = ""  # the wing whose closing waits for a confirmation
    editing: str = ""  # the own location being renamed
    message: str = ""
    notice: str = ""

    @rx.event
    async def load(self):
        self.closing = self.editing = self.message = self.notice = ""
        who = current_identity(self.router.headers.cookie)
        if who is not None:
            self._read(who, await messages(self))

    def _read(self, who: Identity, words: Messages) -> None:
        chosen = str(self.router.url.query_parameters.get("prison", ""))[:16]
        # Only printable text is said back (a lone surrogate could not even reach the page).
        chosen = chosen if chosen.isprintable() else ""
        try:
            with transaction() as db:
                found = organisation_reads.prisons(db, who, prisons_today())
                detail = (organisation_reads.prison_detail(db, who, chosen, words)
                          if chosen else None)
        except organisation.NotFound as error:
            self.message, detail = refusal(words, error), None
        self.prisons = prison_items(found, words, ROUTE)
        self.chosen = detail.code if detail else ""
        self.name = detail.name if detail else ""
        self.wings = wing_items(detail, words) if detail else []
        self.locations = location_items(detail) if detail else []

    async def _run(self, command: Callable[[Session, Identity], object], done: str) -> bool:
        """One command in its own transaction; the page then says `done` (a message id) or why
        it was refused, and shows what is stored now."""
        who = current_identity(self.router.headers.cookie)
        if who is None:
            return False
        words = await messages(self)
        try:
            with transaction() as db:
                command(db, who)
        except OrganisationError as error:
            self.message, self.notice = refusal(words, error), ""
            return False
        self.message, self.notice, self.closing, self.editing = "", words.t(done), "", ""
        self._read(who, words)
        return True

    @rx.event
    async def create_prison(self, form_data: dict):
        code = form_text(form_data, "code", 16).strip()
        if await self._run(lambda db, who: organisation.create_prison(
                db, who, code, form_text(form_data, "name", 200), utc_now()),
                N_("Prison created, with the standard locations.")):
            return rx.redirect(f"{ROUTE}?prison={code}")

    @rx.event
    async def rename_prison(self, form_data: dict):
        await self._run(lambda db, who: organisation.rename_prison(
            db, who, self.chosen, form_text(form_data, "name", 200), utc_now()),
            N_("Prison renamed."))

    @rx.event
    async def create_wing(self, form_data: dict):
        await self._run(lambda db, who: organisation.create_wing(
            db, who, self.chosen, form_text(form_data, "code", 16),
            form_text(form_data, "name", 200), utc_now()), N_("Wing created."))

    def _wing(self, value: object) -> str:
        """A wing the page shows, or '': the browser may send anything."""
        codes = {wing.code for wing in self.wings}
        return value if isinstance(value, str) and value in codes else ""

    def _location(self, value: object) -> str:
        codes = {loc.code for loc in self.locations}
        return value if isinstance(value, str) and value in codes else ""

    @rx.event
    async def rename_wing(self, form_data: dict):
        if wing := self._wing(form_text(form_data, "wing", 16)):
            await self._run(lambda db, who: organisation.rename_wing(
                db, who, self.chosen, wing, form_text(form_data, "name", 200), utc_now()),
                N_("Wing renamed."))

    @rx.event
    def ask_close_wing(self, wing: str):
        self.closing, self.message, self.notice = self._wing(wing), "", ""

    @rx.event
    def cancel_close_wing(self):
        self.closing = ""

    @rx.event
    async def close_wing(self):
        if wing := self.closing:
            await self._run(lambda db, who: organisation.close_wing(
                db, who, self.chosen, wing, utc_now()), N_("Wing closed."))

    @rx.event
    async def reopen_wing(self, wing: str):
        if code := self._wing(wing):
            await self._run(lambda db, who: organisation.reopen_wing(
                db, who, self.chosen, code, utc_now()), N_("Wing opened again."))

    @rx.event
    async def add_location(self, form_data: dict):
        names = _names(form_data)
        await self._run(lambda db, who: organisation.add_location(
            db, who, self.chosen, names, utc_now()), N_("Location added at the end of the list."))

    @rx.event
    def edit_location(self, code: str):
        self.editing, self.message, self.notice = self._location(code), "", ""

    @rx.event
    def cancel_edit_location(self):
        self.editing = ""

    @rx.event
    async def rename_location(self, form_data: dict):
        names, code = _names(form_data), self.editing
        if code:
            await self._run(lambda db, who: organisation.rename_location(
                db, who, self.chosen, code, names, utc_now()), N_("Location renamed."))

    async def _move(self, value: object, step: int) -> None:
        codes = [loc.code for loc in self.locations]
        if code := self._location(value):
            position = max(0, codes.index(code) + step)
            await self._run(lambda db, who: organisation.move_location(
                db, who, self.chosen, code, position, utc_now()), N_("Location moved."))

    @rx.event
    async def move_up(self, code: str):
        await self._move(code, -1)

    @rx.event
    async def move_down(self, code: str):
        await self._move(code, 1)

    async def _retire(self, value: object, retired: bool, done: str) -> None:
        if code := self._location(value):
            await self._run(lambda db, who: organisation.set_location_retired(
                db, who, self.chosen, code, retired, utc_now()), done)

    @rx.event
    async def retire_location(self, code: str):
        await self._retire(code, True,
                           N_("Location retired: the capture form no longer offers it."))

    @rx.event
    async def restore_location(self, code: str):
        await self._retire(code, False, N_("Location restored."))


def _names(form_data: object) -> dict[str, str]:
    """The name fields of a location form (name_<locale>), as the service expects them."""
    return {locale: form_text(form_data, f"name_{locale}", 200)
            for locale in organisation.WRITTEN}
