"""A catalogue draft published and picked up by a tablet while an older offline entry is still
accepted (issue 11 item 5), in Chromium: an officer records an entry offline on version 1; an
administrator drafts version 2 in the browser (a text changed, an indicator retired, one added
and refused until it is written in every language, the form previewed) and publishes it from
today; the officer's entry on version 1, sent afterwards, is accepted, and the officer's next
start has version 2. The page at 768x1024 and 1280x800.

The e2e database is shared by the whole run, which expects the demo catalogue v1 current: the
version published here is taken away at the end, and the test waits until the server says v1.
"""

from __future__ import annotations

import secrets
import time

from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import delete, select

from app.db import unit_of_work
from app.i18n.locales import ENDONYMS, Locale
from app.models import CatalogueEdition, CatalogueVersion, Observation
from app.services import catalogue
from app.services.catalogue_draft_reads import WRITTEN
from tests.e2e.capture_steps import (ENGLISH, FIRST_CATEGORY, officer_on_wings, open_capture,
                                     own_wing_with_prisoner, record, tablet_entries, waiting)
from tests.e2e.conftest import DEMO_PASSWORD, TABLET, expect_path, screenshot, sign_in

DESKTOP = {"width": 1280, "height": 800}
SERVER_REFRESH_S = catalogue.REFRESH_SECONDS + 10  # another worker's cache, and some slack


def saved(page: Page, text: str = "Saved.") -> None:
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


def choose_language(page: Page, locale: str, code: str = "C01.1") -> None:
    """The language edited beside English; its texts shown (the column names it) before a
    test types into them, or the new texts' arrival would replace what it typed."""
    page.locator("#catalogue-locale").select_option(locale)
    expect(page.get_by_test_id(f"indicator-{code}").get_by_test_id("chosen-language")
           ).to_have_text(ENDONYMS[Locale(locale)])


def write_texts(page: Page, code: str, label: str, guidance: str | None = None) -> None:
    form = page.get_by_test_id(f"indicator-{code}").locator("form")
    form.get_by_label("Label").fill(label)
    if guidance is not None:
        form.get_by_label("Guidance").fill(guidance)
    form.get_by_role("button", name="Save").click()


def test_a_published_draft_reaches_the_tablet_and_an_old_offline_entry_is_accepted(
        page: Page, context: BrowserContext, browser: Browser, base_url: str):
    first, retired = catalogue.current().indicators["C01.1"], "C01.2"
    assert catalogue.current().version == "1"
    new_label = f"Watches staff routines closely {secrets.token_hex(3)}"

    # The officer (of this journey alone: others count officer1's entries), online once, then
    # offline: an entry saved on the tablet on version 1.
    wing, prisoner = own_wing_with_prisoner()
    open_capture(page, officer_on_wings(wing, name="Officer Catalogue Journey"))
    context.set_offline(True)
    record(page, f"Asked twice when the night shift changes {secrets.token_hex(3)}.",
           prisoner=prisoner)
    expect(waiting(page, 1)).to_be_visible()
    [entry] = tablet_entries(page)

    admin_context = browser.new_context(base_url=base_url, viewport=TABLET)
    admin = admin_context.new_page()
    try:
        _draft_and_publish(admin, first.code, retired, new_label)

        # The entry made offline on version 1 is sent after publishing: accepted (grace).
        context.set_offline(False)
        page.get_by_role("button", name="Send now").click()
        expect(waiting(page, 0)).to_be_visible(timeout=30000)
        with unit_of_work() as db:
            assert db.scalar(select(Observation.catalogue_version)
                             .where(Observation.id == entry["id"])) == "1"

        # The officer's next start online has version 2: the new label, no retired indicator.
        page.reload()
        category = page.locator("details", has_text=ENGLISH.category(FIRST_CATEGORY))
        category.locator("summary").click()
        expect(category.get_by_text(new_label)).to_be_visible(timeout=15000)
        expect(category.get_by_text(catalogue.current().text("en", retired))).to_have_count(0)
        screenshot(page, "capture-catalogue-v2")
    finally:
        admin_context.close()
        context.set_offline(False)
        _take_version_two_away(page)


def _draft_and_publish(admin: Page, code: str, retired: str, new_label: str) -> None:
    new = "C03.{}".format(1 + sum(1 for i in catalogue.current().indicators.values()
                                  if i.category == "C03"))
    sign_in(admin, "admin1")
    expect_path(admin, "/admin")
    admin.goto("/admin/catalogue")
    expect(admin.get_by_role("heading", name="Catalogue", level=1)).to_be_visible()
    expect(admin.get_by_test_id("version-row").filter(has_text="Version 1")).to_contain_text(
        "In use")
    admin.get_by_role("button", name="Start a draft from the newest version").click()
    expect(admin.get_by_role("heading", name="Draft from version 1", level=2)).to_be_visible()
    expect(admin.get_by_text("Every check passes")).to_be_visible()

    choose_language(admin, "en")
    write_texts(admin, code, new_label)
    saved(admin)
    admin.get_by_test_id(f"indicator-{retired}").get_by_role("button", name="Retire").click()
    saved(admin, "Retired")
    expect(admin.get_by_test_id(f"indicator-{retired}")).to_contain_text("Retired: not offered")

    admin.get_by_label("Category").select_option("C03")
    admin.locator("#new-label").fill("Keeps notes of when staff change shifts")
    admin.locator("#new-guidance").fill("Written times of shift changes or patrols.")
    admin.get_by_role("button", name="Add indicator").click()
    saved(admin, "Indicator added")
    problems = admin.get_by_role("status").filter(has_text="Not ready to publish")
    expect(problems.get_by_role("listitem")).to_have_count(2 * (len(WRITTEN) - 1))
    added = admin.get_by_test_id(f"indicator-{new}")
    expect(added).to_contain_text("New")
    admin.locator("#catalogue-category").select_option("C03")  # one category at a time, on a tablet
    expect(admin.get_by_test_id(f"indicator-{code}")).to_have_count(0)

    choose_language(admin, "sq", new)
    added.scroll_into_view_if_needed()
    screenshot(admin, "admin-catalogue-draft")
    admin.set_viewport_size(DESKTOP)
    screenshot(admin, "admin-catalogue-draft")
    admin.set_viewport_size(TABLET)

    # Refused with the problems listed until the new indicator is written in every language.
    admin.get_by_role("button", name="Publish…").click()
    dialog = admin.get_by_role("dialog")
    dialog.get_by_label("Reason").fill("A shift-pattern indicator; clearer first label.")
    dialog.get_by_role("button", name="Publish").click()
    expect(dialog).to_contain_text("This draft cannot be published yet")
    dialog.get_by_role("button", name="Cancel").click()

    for n, locale in enumerate(WRITTEN[1:], start=1):
        choose_language(admin, locale, new)
        write_texts(admin, new, f"{new} tekst {n}", f"{new} opis {n}")
        expect(problems.get_by_role("listitem")).to_have_count(2 * (len(WRITTEN) - 1 - n))
    expect(admin.get_by_text("Every check passes")).to_be_visible()

    admin.get_by_role("button", name="Preview the form").click()
    preview = admin.get_by_test_id("draft-preview")
    admin.locator("#preview-locale").select_option("sr-Cyrl")
    # Made from the sr-Latn text, which was the second written.
    expect(preview).to_contain_text(f"{new} текст {WRITTEN.index('sr-Latn')}")
    expect(preview).not_to_contain_text(retired)
    screenshot(admin, "admin-catalogue-preview")
    admin.set_viewport_size(DESKTOP)
    screenshot(admin, "admin-catalogue-preview")

    admin.get_by_role("button", name="Publish…").click()
    dialog.get_by_label("Reason").fill("A shift-pattern indicator; clearer first label.")
    expect(dialog.get_by_label("In effect from").locator("option")).to_have_count(90)
    dialog.get_by_label("In effect from").select_option(index=0)  # today
    screenshot(admin, "admin-catalogue-publish")
    admin.set_viewport_size(TABLET)
    screenshot(admin, "admin-catalogue-publish")
    dialog.get_by_role("button", name="Publish").click()
    expect_path(admin, "/admin/catalogue")
    saved(admin, "Published.")
    expect(admin.get_by_role("heading", name="Version 2", level=2)).to_be_visible()
    rows = admin.get_by_test_id("version-row")
    expect(rows.filter(has_text="Version 2")).to_contain_text("In use")
    expect(rows.filter(has_text="Version 1")).to_contain_text("entries on it still accepted")
    screenshot(admin, "admin-catalogue-published")


def _take_version_two_away(page: Page) -> None:
    """Back to the demo catalogue v1 for the rest of the run: the published rows deleted (a
    test's privilege; the app never deletes a version), and the server seen to say v1."""
    with unit_of_work() as db:
        made = db.scalars(select(CatalogueEdition.version)
                          .where(CatalogueEdition.version.is_not(None))).all()
        db.execute(delete(CatalogueEdition))
        db.execute(delete(CatalogueVersion).where(CatalogueVersion.version.in_(made)))
    catalogue.forget()
    token = page.request.post("/api/v1/auth/token", data={
        "username": "officer1", "password": DEMO_PASSWORD}).json()["access_token"]
    deadline = time.monotonic() + SERVER_REFRESH_S
    while True:  # the server process reads the published versions again within seconds
        answer = page.request.get("/api/v1/bootstrap",
                                  headers={"Authorization": f"Bearer {token}"}).json()
        if answer["catalogue"]["version"] == "1" or time.monotonic() > deadline:
            break
        page.wait_for_timeout(500)
    assert answer["catalogue"]["version"] == "1", "the server still serves the test's version"
