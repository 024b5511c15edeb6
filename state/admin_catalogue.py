"""The catalogue page's state: the versions, the one opened (?version=N or ?draft=ID) with its
texts in the chosen locale beside the English, a draft's preview and its publishing. Each
command is one call of app/services/catalogue_drafts.py."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import reflex as rx
from sqlalchemy.orm import Session

from app.clock import prisons_today, utc_now
from app.i18n.messages import Messages, N_
from app.runtime import transaction
from app.services import catalogue, catalogue_draft_reads as reads, catalogue_drafts as drafts
from app.services.accounts import Identity
from app.services.admin_refusals import Refused
from app.services.catalogue_draft_reads import DraftProblems
from app.views.catalogue_drafts import (
    CategoryItem,
    PreviewCategory,
    VersionItem,
    category_items,
    day_choices,
    locale_choices,
    preview_categories,
    problem_lines,
    refusal,
    version_items,
)
from state.forms import form_text
from state.identity import current_identity
from state.language import messages

ROUTE = "/admin/catalogue"
FIRST_TRANSLATED = reads.WRITTEN[1]  # what the editor shows beside English at first
PUBLISHED = N_("Published. Tablets get it at their next sync from the day it takes effect.")


class AdminCatalogueState(rx.State):
    versions: list[VersionItem] = []
    key: str = ""  # the opened version's number or draft's id; "" for the list alone
    draft: bool = False
    title: str = ""
    state_label: str = ""
    state_colour: str = "gray"
    effective: str = ""
    reason: str = ""
    locale: str = FIRST_TRANSLATED  # the language edited (or read) beside English
    locales: list[list[str]] = locale_choices()
    locale_name: str = ""  # the chosen language's own name
    categories: list[CategoryItem] = []
    showing_category: str = ""  # the one category shown; "" for all
    problems: list[str] = []
    showing: str = "edit"  # or "preview"
    preview_locale: str = "en"
    preview_locales: list[list[str]] = locale_choices(tuple(catalogue.LOCALES))
    preview: list[PreviewCategory] = []
    category_choices: list[list[str]] = []
    publishing: bool = False
    days: list[list[str]] = []
    message: str = ""
    notice: str = ""

    @rx.event
    async def load(self):
        self.message = self.notice = ""
        self.publishing, self.showing = False, "edit"
        query = self.router.url.query_parameters
        self.key = str(query.get("draft") or query.get("version") or "")[:36]
        who = current_identity(self.router.headers.cookie)
        if who is not None:
            words = await messages(self)
            self._read(who, words)
            if query.get("published") and not self.message:
                self.notice = words.t(PUBLISHED)

    def _read(self, who: Identity, words: Messages) -> None:
        rows: list[reads.VersionRow] = []
        try:
            with transaction() as db:
                rows = reads.versions(db, who)
                found = reads.edition(db, who, self.key, self.locale) if self.key else None
                problems = reads.check(db, who, self.key) if found and not found.version \
                    else []
                shown = reads.preview(db, who, self.key, self.preview_locale) \
                    if found and not found.version and self.showing == "preview" else None
        except Refused as error:
            self.message, found, problems, shown = refusal(words, error), None, [], None
        self.versions = version_items(rows, words, ROUTE, found.key if found else "")
        self.key = found.key if found else ""
        self.draft = bool(found and found.version is None)
        opened = next((item for item in self.versions if item.key == self.key), None)
        self.title = opened.title if opened else ""
        self.state_label = opened.state_label if opened else ""
        self.state_colour = opened.colour if opened else "gray"
        self.effective, self.reason = (opened.effective, opened.reason) if opened else ("", "")
        every = category_items(found, words) if found else []
        self.category_choices = [[c.code, f"{c.code} {c.label_en}"] for c in every]
        self.categories = [c for c in every if self.showing_category in ("", c.code)]
        self.problems = problem_lines(problems, words)
        self.preview = preview_categories(shown) if shown else []
        self.days = day_choices(words, prisons_today())
        self.locale_name = dict(self.locales).get(self.locale, self.locale)

    async def _run(self, command: Callable[[Session, Identity], object], done: str) -> object:
        """One command in its own transaction; the page then says `done` (a message id) or why
        it was refused, and shows what is stored now."""
        who = current_identity(self.router.headers.cookie)
        if who is None:
            return None
        words = await messages(self)
        try:
            with transaction() as db:
                result = command(db, who)
        except Refused as error:
            self.message, self.notice = refusal(words, error), ""
            if isinstance(error, DraftProblems):
                self.problems = problem_lines(error.problems, words)
            return None
        self.message, self.notice, self.publishing = "", words.t(done), False
        self._read(who, words)
        return result if result is not None else True

    @rx.event
    async def start_draft(self):
        draft_id = await self._run(lambda db, who: drafts.start(db, who, utc_now()),
                                   N_("Draft started from the newest version."))
        if isinstance(draft_id, str):
            return rx.redirect(f"{ROUTE}?draft={draft_id}")

    @rx.event
    async def choose_locale(self, locale: str):
        if str(locale) in reads.WRITTEN:
            self.locale = str(locale)
            await self._refresh()

    @rx.event
    async def show_category(self, code: str):
        """One category's indicators, or all of them (""): a long list on a tablet."""
        if str(code) == "" or any(c[0] == str(code) for c in self.category_choices):
            self.showing_category = str(code)
            await self._refresh()

    @rx.event
    async def choose_preview_locale(self, locale: str):
        if str(locale) in catalogue.LOCALES:
            self.preview_locale = str(locale)
            await self._refresh()

    @rx.event
    async def show_preview(self):
        self.showing = "preview"
        await self._refresh()

    @rx.event
    async def show_editor(self):
        self.showing = "edit"
        await self._refresh()

    async def _refresh(self) -> None:
        who = current_identity(self.router.headers.cookie)
        if who is not None:
            self._read(who, await messages(self))

    @rx.event
    async def save_texts(self, form_data: dict):
        """A category's label, or an indicator's label and guidance, in the chosen locale:
        only the texts that changed are written (each one audited)."""
        code, locale, key = _code(form_text(form_data, "code", 16)), self.locale, self.key
        sent = form_data if isinstance(form_data, dict) else {}
        said = {part: form_text(sent, part, reads.MAX_TEXT[part] + 1).strip()
                for part, old in self._texts_of(code).items() if part in sent}
        changed = {part: text for part, text in said.items()
                   if text != self._texts_of(code)[part]}
        if not changed:
            self.message, self.notice = "", (await messages(self)).t(
                "Nothing to save: the texts are as they were.")
            return

        def command(db: Session, who: Identity) -> None:
            for part, text in changed.items():
                drafts.set_text(db, who, key, code, part, locale, text, utc_now())
        await self._run(command, N_("Saved."))

    def _texts_of(self, code: str) -> dict[str, str]:
        for category in self.categories:
            if category.code == code:
                return {"label": category.label}
            for item in category.indicators:
                if item.code == code:
                    return {"label": item.label, "guidance": item.guidance}
        return {}

    @rx.event
    async def add_indicator(self, form_data: dict):
        key = self.key
        await self._run(lambda db, who: drafts.add_indicator(
            db, who, key, form_text(form_data, "category", 16),
            form_text(form_data, "kind", 16), form_text(form_data, "label", 400),
            form_text(form_data, "guidance", 4000), utc_now()),
            N_("Indicator added. Write its texts in the other languages before publishing."))

    @rx.event
    async def retire(self, code: str):
        await self._flag(drafts.retire, _code(code), True,
                         N_("Retired: the form no longer offers it; old entries keep it."))

    @rx.event
    async def restore(self, code: str):
        await self._flag(drafts.retire, _code(code), False, N_("Offered again."))

    @rx.event
    async def mark_immediate(self, code: str):
        await self._flag(drafts.mark_immediate, _code(code), True,
                         N_("Marked immediate: its entries go before a screener at once."))

    @rx.event
    async def unmark_immediate(self, code: str):
        await self._flag(drafts.mark_immediate, _code(code), False,
                         N_("No longer immediate."))

    async def _flag(self, command, code: str, value: bool, done: str) -> None:
        key = self.key
        await self._run(lambda db, who: command(db, who, key, code, value, utc_now()), done)

    @rx.event
    def ask_publish(self):
        self.publishing, self.message, self.notice = True, "", ""

    @rx.event
    def cancel_publish(self):
        self.publishing = False

    @rx.event
    async def publish(self, form_data: dict):
        key = self.key
        try:
            day = date.fromisoformat(form_text(form_data, "effective_from", 10))
        except ValueError:
            self.message = (await messages(self)).t("Choose the day it takes effect.")
            return
        version = await self._run(lambda db, who: drafts.publish(
            db, who, key, form_text(form_data, "reason", 1000), day, utc_now()), PUBLISHED)
        if isinstance(version, str):
            return rx.redirect(f"{ROUTE}?version={version}&published=1")


def _code(value: object) -> str:
    """An indicator or category code (C01, C01.2) from the browser, or "": anything else would
    only come back in a refusal, and a lone surrogate there could not even be sent."""
    text = str(value)[:16]
    return text if re.fullmatch(r"C\d{2}(?:\.\d{1,4})?", text) else ""
