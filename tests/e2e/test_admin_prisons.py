"""An administrator sets up a prison in Chromium (issue 11 item 1): wings, an own location,
a renamed wing and a closed one; the overview and the prisons page at both sizes."""

from __future__ import annotations

import re
import secrets

from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.db import unit_of_work
from app.models import Prison, PrisonLocation, Wing
from tests.e2e.conftest import TABLET, expect_path, screenshot, sign_in

DESKTOP = {"width": 1280, "height": 800}
NAMES = {"en": "Chapel garden", "sq": "Kopshti i kapelës", "sr-Latn": "Bašta kapele",
         "mk": "Градина", "bs": "Bašta", "hr": "Vrt kapelice", "cnr": "Bašta"}


def wing_row(page: Page, code: str):
    return page.get_by_test_id("wing-row").filter(has=page.get_by_text(code, exact=True))


def add_wing(page: Page, code: str, name: str) -> None:
    page.locator("#wing-code").fill(code)
    page.locator("#wing-name").fill(name)
    page.locator("#create-wing").click()
    expect(wing_row(page, code)).to_be_visible()


def test_admin_sets_up_a_prison_with_wings_and_a_location(page: Page):
    """Buttons are found by id: the page's new words reach the catalogue only when the lead
    extracts them; what the server says (notices, states, counts) is checked in words."""
    code = "E" + secrets.token_hex(3).upper()
    page.set_viewport_size(TABLET)
    sign_in(page, "admin1")
    expect_path(page, "/admin")
    expect(page.get_by_test_id("admin-count").first).to_be_visible()
    expect(page.get_by_text("Active accounts: Officer")).to_be_visible()

    page.locator('main nav a[href="/admin/prisons"]').click()
    expect_path(page, "/admin/prisons")
    page.locator("#prison-code").fill(code)
    page.locator("#prison-name").fill("Northern Test Prison")
    page.locator("#create-prison").click()
    expect(page).to_have_url(re.compile(rf"/admin/prisons/?\?prison={code}$"))
    expect(page.get_by_role("heading", name="Northern Test Prison", level=2)).to_be_visible()
    expect(page.get_by_test_id("location-row").first).to_contain_text("Cell")

    # Not "A" and "B": other tests find the demo prison's wings by their code alone.
    a, b = f"A{code[1:4]}", f"B{code[1:4]}"
    add_wing(page, a, "Wing A")
    add_wing(page, b, "Wing B")

    for locale, name in NAMES.items():
        page.locator(f"#new-location-{locale}").fill(name)
    page.locator("#add-location").click()
    expect(page.get_by_test_id("location-row").last).to_contain_text("Chapel garden")
    expect(page.get_by_test_id("location-row").last).to_contain_text("chapel_garden")

    row = wing_row(page, a)
    row.locator("input[name=name]").fill("Alpha wing")
    row.locator("button[type=submit]").click()
    expect(page.get_by_text("Wing renamed.")).to_be_visible()
    expect(row.locator("input[name=name]")).to_have_value("Alpha wing")

    wing_row(page, b).get_by_test_id("close-wing").click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_be_visible()
    dialog.locator("#confirm-close-wing").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_text("Wing closed.")).to_be_visible()
    expect(wing_row(page, b)).to_contain_text("Closed since")
    expect(wing_row(page, b).get_by_test_id("reopen-wing")).to_be_visible()
    expect(wing_row(page, a)).to_contain_text("Open")
    expect(wing_row(page, a).get_by_test_id("close-wing")).to_be_visible()

    with unit_of_work() as db:
        prison = db.scalars(select(Prison).where(Prison.code == code)).one()
        wings = {w.code: w for w in db.scalars(select(Wing).where(Wing.prison_id == prison.id))}
        location = db.scalars(select(PrisonLocation).where(
            PrisonLocation.prison_id == prison.id, PrisonLocation.names.is_not(None))).one()
        assert wings[a].name == "Alpha wing" and wings[a].closed_on is None
        assert wings[b].closed_on is not None
        assert location.names["sr-Cyrl"] == "Башта капеле"

    screenshot(page, "admin-prisons")
    page.set_viewport_size(DESKTOP)
    expect(wing_row(page, b)).to_be_visible()
    screenshot(page, "admin-prisons")
    page.locator('main nav a[href="/admin"]').click()
    expect_path(page, "/admin")
    expect(page.get_by_test_id("admin-count").first).to_be_visible()
    screenshot(page, "admin-overview")
    page.set_viewport_size(TABLET)
    screenshot(page, "admin-overview")
