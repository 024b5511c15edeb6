"""Steps shared by the capture journeys: what an officer does on the tablet, and what the test
reads back from the tablet's IndexedDB and from the server's database."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from app.db import unit_of_work
from app.i18n.formats import plural_category
from app.i18n.locales import Locale
from app.models import Observation, ScreeningItem, User
from app.services import catalogue
from app.settings import get_settings
from tests.e2e.conftest import DEMO_PASSWORD, ROOT, sign_in

FIRST_CATEGORY = "C01"


@cache
def _island_messages(locale: Locale) -> dict:
    path = ROOT / "assets" / "island" / "messages" / f"{locale.value}.json"
    return json.loads(path.read_text(encoding="utf-8"))["messages"]


@dataclass(frozen=True)
class Island:
    """The island's words in one locale, as the tablet shows them: the generated
    assets/island/messages/<locale>.json (a text it lacks is a KeyError, not a guess)."""

    locale: Locale = Locale.EN

    def t(self, msgid: str, **params: object) -> str:
        return _island_messages(self.locale)[msgid].format(**params)

    def tn(self, singular: str, count: int, **params: object) -> str:
        forms = _island_messages(self.locale)[singular]
        return forms[plural_category(count, self.locale)].format(count=count, **params)

    def category(self, code: str) -> str:
        return catalogue.current().text(self.locale.value, code)


ENGLISH = Island()


def open_capture(page: Page, username: str = "officer1", words: Island | None = None) -> None:
    """Sign in online and wait until the tablet has cached what it needs to work offline."""
    sign_in(page, username)
    expect(waiting(page, 0, words) if words else waiting(page)).to_be_visible(timeout=30000)
    page.wait_for_function(
        "async () => !!navigator.serviceWorker.controller"
        " && !!(await caches.match(location.origin + '/capture'))", timeout=30000)


def unlock(page: Page, password: str = DEMO_PASSWORD) -> None:
    lock = page.get_by_role("dialog", name="Locked")
    lock.get_by_label("Password").fill(password)
    lock.get_by_role("button", name="Unlock").click()


def waiting(page: Page, count: int | None = None, words: Island = ENGLISH):
    text = (words.tn("{count} waiting to send", count) if count is not None
            else re.compile(r"\d+ waiting to send"))
    return page.get_by_test_id("waiting-count").filter(has_text=text)


def choose_when(page: Page, when: datetime, words: Island = ENGLISH) -> None:
    """The day, hour and minute selects, on the prisons' clock."""
    local = when.astimezone(get_settings().zone)
    group = page.get_by_role("group", name=words.t("When"))
    group.get_by_label(words.t("Day"), exact=True).select_option(local.date().isoformat())
    group.get_by_label(words.t("Hour"), exact=True).select_option(str(local.hour))
    group.get_by_label(words.t("Minute"), exact=True).select_option(str(local.minute))


def record(page: Page, facts: str, *, prisoner: str = "a", flag_reason: str | None = None,
           when: datetime | None = None, words: Island = ENGLISH, saved: bool = True) -> None:
    page.get_by_role("searchbox", name=words.t("Prisoner")).fill(prisoner)
    page.get_by_role("option").first.click()
    category = words.category(FIRST_CATEGORY)
    page.locator("summary", has_text=category).click()
    page.locator("details", has_text=category).get_by_role("checkbox").first.check()
    if when:
        choose_when(page, when, words)
    page.get_by_label(words.t("What you saw or heard")).fill(facts)
    if flag_reason:
        page.get_by_role("switch", name=words.t("Flag for screening")).check()
        page.get_by_label(words.t("Reason for flag")).fill(flag_reason)
    page.get_by_role("button", name=words.t("Save"), exact=True).click()
    if saved:
            expect(page.get_by_role("status").filter(has_text=words.t("Saved on this tablet"))
               ).to_be_visible()


def tablet_entries(page: Page) -> list[dict]:
    """Every entry in the tablet's outbox, as stored (sealed blobs included)."""
    return page.evaluate("""() => new Promise((resolve, reject) => {
        const open = indexedDB.open("wingwatch");
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
            const read = open.result.transaction("entries").objectStore("entries").getAll();
            read.onsuccess = () => resolve(read.result);
            read.onerror = () => reject(read.error);
        };
    })""")


def occurred_at(observation_id: str) -> datetime:
    with unit_of_work() as db:
        return db.scalar(select(Observation.occurred_at).where(Observation.id == observation_id))


def written_in(observation_id: str) -> str | None:
    with unit_of_work() as db:
        return db.scalar(select(Observation.locale).where(Observation.id == observation_id))


def stored_count(ids: list[str]) -> int:
    with unit_of_work() as db:
        return db.scalar(select(func.count()).where(Observation.id.in_(ids)))


def authors(ids: list[str]) -> set[str]:
    with unit_of_work() as db:
        return set(db.scalars(select(User.username).join(Observation,
                                                         Observation.author_id == User.id)
                              .where(Observation.id.in_(ids))))


def open_items_for(ids: list[str]) -> dict[str, int]:
    """prisoner id -> open screening items, for the prisoners of these observations."""
    with unit_of_work() as db:
        prisoners = set(db.scalars(select(Observation.prisoner_id)
                                   .where(Observation.id.in_(ids))))
        rows = db.execute(select(ScreeningItem.prisoner_id, func.count())
                          .where(ScreeningItem.prisoner_id.in_(prisoners),
                                 ScreeningItem.closed_at.is_(None))
                          .group_by(ScreeningItem.prisoner_id)).all()
    return {prisoner: count for prisoner, count in rows}
