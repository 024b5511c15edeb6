"""Steps shared by the capture journeys: what an officer does on the tablet, and what the test
reads back from the tablet's IndexedDB and from the server's database."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from app.db import unit_of_work
from app.models import Observation, ScreeningItem, User
from tests.e2e.conftest import DEMO_PASSWORD, sign_in

FIRST_CATEGORY = "Support for or justification of violence or terrorism"


def open_capture(page: Page, username: str = "officer1") -> None:
    """Sign in online and wait until the tablet has cached what it needs to work offline."""
    sign_in(page, username)
    expect(waiting(page)).to_be_visible(timeout=30000)
    page.wait_for_function(
        "async () => !!navigator.serviceWorker.controller"
        " && !!(await caches.match(location.origin + '/capture'))", timeout=30000)


def unlock(page: Page, password: str = DEMO_PASSWORD) -> None:
    lock = page.get_by_role("dialog", name="Locked")
    lock.get_by_label("Password").fill(password)
    lock.get_by_role("button", name="Unlock").click()


def waiting(page: Page, count: int | None = None):
    text = f"{count} waiting to send" if count is not None else re.compile(r"\d+ waiting to send")
    return page.get_by_test_id("waiting-count").filter(has_text=text)


def record(page: Page, facts: str, *, prisoner: str = "a", flag_reason: str | None = None,
           when: str | None = None) -> None:
    page.get_by_role("searchbox", name="Prisoner").fill(prisoner)
    page.get_by_role("option").first.click()
    page.locator("summary", has_text=FIRST_CATEGORY).click()
    page.locator("details", has_text=FIRST_CATEGORY).get_by_role("checkbox").first.check()
    if when:
        page.get_by_label("When", exact=True).fill(when)
    page.get_by_label("What you saw or heard").fill(facts)
    if flag_reason:
        page.get_by_role("switch", name="Flag for screening").check()
        page.get_by_label("Reason for flag").fill(flag_reason)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status").filter(has_text="Saved on this tablet")).to_be_visible()


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
