"""Accounts and postings in Chromium: a posting ended by an administrator takes a wing off the
officer's tablet at its next bootstrap; a new account's temporary password leads to /password
and then home."""

from __future__ import annotations

import re
import secrets

from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from app.db import unit_of_work
from app.models import Prison, Prisoner, User, Wing
from app.services.account_import import COLUMNS
from app.services.demo import PRISON_CODE
from tests.e2e.capture_steps import officer_on_wings, open_capture
from tests.e2e.conftest import DEMO_PASSWORD, TABLET, expect_path, screenshot, sign_in

DESKTOP = {"width": 1280, "height": 800}
NEW_PASSWORD = "plenty of words for a password"


def number_on(wing: str) -> str:
    with unit_of_work() as db:
        return db.scalar(select(Prisoner.number).join(Wing, Wing.id == Prisoner.wing_id)
                         .join(Prison, Prison.id == Wing.prison_id)
                         .where(Prison.code == PRISON_CODE, Wing.code == wing,
                                Prisoner.released_on.is_(None))
                         .order_by(Prisoner.number).limit(1))


def search(page: Page, number: str):
    page.get_by_role("searchbox", name="Prisoner").fill(number)
    return page.get_by_role("option").filter(has_text=number)


def both_sizes(page: Page, name: str) -> None:
    for size in (TABLET, DESKTOP):
        page.set_viewport_size(size)
        screenshot(page, name)
    page.set_viewport_size(TABLET)


def test_ending_a_posting_takes_the_wing_off_the_tablet(page: Page, browser: Browser):
    officer = officer_on_wings("A", "B")
    on_b = number_on("B")
    open_capture(page, officer)
    who = page.locator(".ww-who")
    expect(who).to_have_text(re.compile(r"Wings A, B$"), timeout=30000)
    expect(search(page, on_b)).to_have_count(1)

    admin = browser.new_context(viewport=TABLET, base_url=page.url.split("/capture")[0]
                                ).new_page()
    sign_in(admin, "admin1")
    expect_path(admin, "/admin")
    admin.goto(f"/admin/users?prison={PRISON_CODE}&wing=B")
    expect(admin.get_by_test_id("user-row").filter(has_text=officer)).to_be_visible()
    both_sizes(admin, "admin-users")
    admin.get_by_role("link", name=officer).click()
    expect_path(admin, f"/admin/users/{officer}")
    row_b = admin.get_by_test_id("posting-row").filter(has_text="Wing B")
    row_b.get_by_test_id("end-posting-start").click()
    admin.get_by_test_id("end-posting").click()  # last day: yesterday, the default
    expect(admin.get_by_role("status").filter(has_text="Posting ended")).to_be_visible()
    expect(row_b.get_by_test_id("end-posting-start")).to_have_count(0)
    both_sizes(admin, "admin-user")

    page.reload()  # online: the next bootstrap
    expect(who).to_have_text(re.compile(r"Wing A$"), timeout=30000)
    expect(search(page, on_b)).to_have_count(0)
    expect(search(page, number_on("A"))).to_have_count(1)


def test_a_new_account_signs_in_with_its_temporary_password_and_chooses_its_own(
        page: Page, browser: Browser):
    username = f"new-{secrets.token_hex(4)}"
    sign_in(page, "admin1")
    expect_path(page, "/admin")
    page.goto("/admin/users")
    page.locator("#new-username").fill(username)
    page.locator("#new-display-name").fill("Officer Brand New")
    page.locator("#new-prison").fill(PRISON_CODE)
    page.get_by_test_id("create-account").click()
    expect(page.get_by_role("status").filter(has_text=username)).to_be_visible()
    imported = f"csv-{secrets.token_hex(4)}"
    good = f"{imported},Officer From Csv,officer,sq,{PRISON_CODE},A;B,"
    page.locator("#import-csv").fill(f"{','.join(COLUMNS)}\n{good}\nx2,Bad,chief,sq,{PRISON_CODE},,")
    page.get_by_test_id("import-preview").click()
    expect(page.get_by_test_id("import-error")).to_have_text(re.compile(r"^3\s*role"))
    expect(page.get_by_test_id("import-line").filter(has_text=imported)).to_be_visible()
    expect(page.get_by_test_id("import-apply")).to_be_disabled()
    both_sizes(page, "admin-users-import")
    page.locator("#import-csv").fill(f"{','.join(COLUMNS)}\n{good}")
    page.get_by_test_id("import-preview").click()
    expect(page.get_by_test_id("import-error")).to_have_count(0)
    page.get_by_test_id("import-apply").click()
    expect(page.get_by_role("status").filter(has_text="1 line applied")).to_be_visible()
    expect(page.get_by_test_id("user-row").filter(has_text=imported)).to_contain_text("A, B")
    page.get_by_test_id("open-new-account").filter(has_text=username).click()
    expect_path(page, f"/admin/users/{username}")
    page.locator("#posting-wing").fill("A")
    page.get_by_test_id("add-posting").click()
    expect(page.get_by_test_id("posting-row").filter(has_text="Wing A")).to_be_visible()
    page.get_by_test_id("reset-password").click()
    page.get_by_role("alertdialog").get_by_test_id("confirm").click()
    shown = page.get_by_test_id("temporary-password")
    expect(shown).to_have_text(re.compile(r"^[a-z2-9]{4}(-[a-z2-9]{4}){3}$"))
    temporary = shown.inner_text().strip()
    both_sizes(page, "admin-user-reset")

    person = browser.new_context(viewport=TABLET, base_url=page.url.split("/admin")[0]).new_page()
    sign_in(person, username, temporary)
    expect_path(person, "/password")
    person.goto("/capture")
    expect_path(person, "/password")  # nothing else until a new password is chosen
    person.locator("#password-new").fill(temporary)
    person.locator("#password-repeat").fill(temporary)
    person.get_by_test_id("set-password").click()
    expect(person.get_by_role("alert")).to_contain_text("different")
    person.locator("#password-new").fill(NEW_PASSWORD)
    person.locator("#password-repeat").fill(NEW_PASSWORD)
    both_sizes(person, "password")
    person.get_by_test_id("set-password").click()
    expect_path(person, "/capture")
    with unit_of_work() as db:
        assert not db.scalar(select(User.must_change_password).where(User.username == username))
