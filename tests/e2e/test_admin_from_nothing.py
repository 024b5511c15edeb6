"""Issue 11's "from nothing" path in Chromium: the operator's `create-admin`, then only the
browser — the new administrator creates a prison and its wings, loads its roster, makes an
officer's account with a posting and a temporary password; the officer chooses a password,
records an entry on the tablet, and it reaches the server."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from app.db import unit_of_work
from app.models import Observation, Prisoner, User
from tests.conftest import DATA_DIR
from tests.e2e.capture_steps import record, stored_count, tablet_entries, waiting
from tests.e2e.conftest import ROOT, TABLET, expect_path, screenshot, sign_in

DESKTOP = {"width": 1280, "height": 800}
ADMIN_PASSWORD = "a first administrator's passphrase"
OFFICER_PASSWORD = "the officer's own long password"


def create_admin(database: str, username: str) -> None:
    """What the operator runs once on the server, outside demo mode."""
    env = {**os.environ, "WINGWATCH_DATA_DIR": str(DATA_DIR), "WINGWATCH_DATABASE_URL": database,
           "WINGWATCH_DEMO": "0"}
    made = subprocess.run([sys.executable, "-m", "app.cli", "create-admin", "--username", username,
                           "--name", "First Administrator", "--password-stdin"], cwd=ROOT, env=env,
                          input=ADMIN_PASSWORD + "\n", capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stderr


def test_a_new_administrator_sets_up_a_prison_and_its_officer_records_an_entry(
        page: Page, browser: Browser, database: str):
    tag = secrets.token_hex(3).upper()
    prison, wing, admin, officer = f"N{tag}", f"W{tag[:3]}", f"adm-{tag.lower()}", f"off-{tag.lower()}"
    create_admin(database, admin)

    sign_in(page, admin, ADMIN_PASSWORD)
    expect_path(page, "/admin")
    page.goto("/admin/prisons")
    page.locator("#prison-code").fill(prison)
    page.locator("#prison-name").fill("Penitentiary of the North")
    page.locator("#create-prison").click()
    expect(page.get_by_role("heading", name="Penitentiary of the North", level=2)).to_be_visible()
    page.locator("#wing-code").fill(wing)
    page.locator("#wing-name").fill("First wing")
    page.locator("#create-wing").click()
    expect(page.get_by_test_id("wing-row").filter(has_text=wing)).to_be_visible()

    page.goto(f"/admin/roster?prison={prison}")
    roster = ("prisoner_number,given_name,family_name,wing,admitted_on,released_on\n"
              f"{tag}-1,Arben,Krasniqi,{wing},2025-05-01,\n{tag}-2,Marko,Vuković,{wing},2025-06-01,\n")
    page.locator("#roster-file input[type=file]").set_input_files(
        files=[{"name": "roster.csv", "mimeType": "text/csv", "buffer": roster.encode()}])
    page.get_by_role("button", name="Preview the changes").click()
    expect(page.get_by_test_id("roster-added")).to_contain_text("Marko Vuković")
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_role("heading", name="Imported", level=2)).to_be_visible()

    page.goto("/admin/users")
    page.locator("#new-username").fill(officer)
    page.locator("#new-display-name").fill("Officer Drita Hoxha")
    page.locator("#new-role").select_option("officer")
    page.locator("#new-prison").fill(prison)
    page.get_by_test_id("create-account").click()
    page.get_by_test_id("open-new-account").filter(has_text=officer).click()
    expect_path(page, f"/admin/users/{officer}")
    page.locator("#posting-wing").fill(wing)
    page.get_by_test_id("add-posting").click()
    expect(page.get_by_test_id("posting-row").filter(has_text=wing)).to_be_visible()
    page.get_by_test_id("reset-password").click()
    page.get_by_role("alertdialog").get_by_test_id("confirm").click()
    temporary = page.get_by_test_id("temporary-password")
    expect(temporary).to_be_visible()
    screenshot(page, "admin-from-nothing")
    page.set_viewport_size(DESKTOP)
    expect(temporary).to_be_visible()
    screenshot(page, "admin-from-nothing")

    tablet = browser.new_context(viewport=TABLET, base_url=page.url.split("/admin")[0]).new_page()
    sign_in(tablet, officer, temporary.inner_text().strip())
    expect_path(tablet, "/password")
    tablet.locator("#password-new").fill(OFFICER_PASSWORD)
    tablet.locator("#password-repeat").fill(OFFICER_PASSWORD)
    tablet.get_by_test_id("set-password").click()
    expect_path(tablet, "/capture")
    # Straight in, not a lock screen: the page made the offline unlock from the new password.
    expect(waiting(tablet, 0)).to_be_visible(timeout=30000)
    tablet.context.set_offline(True)  # on the wing: saved on the tablet, sent when back online
    record(tablet, "Helped a new arrival settle in; calm all morning.", prisoner="Vuković")
    expect(waiting(tablet, 1)).to_be_visible()
    ids = [entry["id"] for entry in tablet_entries(tablet)]
    tablet.context.set_offline(False)
    tablet.get_by_role("button", name="Send now").click()
    expect(waiting(tablet, 0)).to_be_visible(timeout=30000)
    assert stored_count(ids) == 1
    with unit_of_work() as db:
        author, number = db.execute(
            select(User.username, Prisoner.number).join(Observation, Observation.author_id == User.id)
            .join(Prisoner, Prisoner.id == Observation.prisoner_id)
            .where(Observation.id == ids[0])).one()
    assert (author, number) == (officer, f"{tag}-2")
    screenshot(tablet, "capture-from-nothing")
