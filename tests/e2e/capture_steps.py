"""Steps shared by the capture journeys: what an officer does on the tablet, and what the test
reads back from the tablet's IndexedDB and from the server's database."""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from app.clock import utc_now
from app.db import unit_of_work
from app.i18n.formats import plural_category
from app.i18n.locales import Locale
from app.models import Observation, Prison, Prisoner, ScreeningItem, User, Wing
from app.services import catalogue, posting_changes
from app.services.demo import PRISON_CODE
from app.services.passwords import hash_password
from app.services.posting_changes import NewPosting
from app.settings import get_settings
from app.vocabulary import PostingScope, Role
from tests.e2e.conftest import DEMO_PASSWORD, ROOT, sign_in
from tests.helpers import identity

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


def officer_on_wings(*codes: str, name: str = "Officer Posted Twice") -> str:
    """A fresh officer of the demo prison (the demo password), posted to its wings `codes`:
    a journey of its own, whose entries no other test counts."""
    username = f"post-{secrets.token_hex(4)}"
    with unit_of_work() as db:
        prison_id = db.scalar(select(Prison.id).where(Prison.code == PRISON_CODE))
        db.add(User(username=username, display_name=name, role=Role.OFFICER,
                    password_hash=hash_password(DEMO_PASSWORD), prison_id=prison_id,
                    created_at=utc_now(), locale="en"))
    admin = identity("admin1")
    for code in codes:
        with unit_of_work() as db:
            posting_changes.add_posting(db, admin, username, NewPosting(
                PostingScope.WING, date(2026, 1, 1), wing=code), utc_now())
    return username


def own_wing_with_prisoner() -> tuple[str, str]:
    """A new wing of the demo prison holding one prisoner: (wing code, his family name), for a
    journey whose entries must not meet other tests' about the demo roster (the flag rules
    count every officer's entries about a prisoner)."""
    tag = secrets.token_hex(3)
    with unit_of_work() as db:
        prison_id = db.scalar(select(Prison.id).where(Prison.code == PRISON_CODE))
        wing = Wing(prison_id=prison_id, code=f"J{tag}", name="Journey wing")
        db.add(wing)
        db.flush()
        db.add(Prisoner(prison_id=prison_id, wing_id=wing.id, number=f"J-{tag}",
                        given_name="Journey", family_name=f"Prisoner{tag}"))
    return wing.code, f"Prisoner{tag}"


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
