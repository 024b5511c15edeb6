"""An administrator loads a new prison's roster in Chromium (issue 11 item 4): a faulty file's
errors by line and column, the dry run's diff, "Apply"; then a second file that moves one
prisoner and releases another. The page at both sizes."""

from __future__ import annotations

from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.db import unit_of_work
from app.models import Prisoner, PrisonerMove
from tests.e2e.conftest import TABLET, expect_path, screenshot, sign_in
from tests.roster_data import csv_of, new_prison, today

DESKTOP = {"width": 1280, "height": 800}
FIRST = csv_of("K-1001,Марко,Петровић,A,2024-01-10,",
               "K-1002,Ana,Jovanović,A,2024-02-01,",
               "K-1003,Jovan,Ilić,B,2024-03-05,")
BROKEN = csv_of("K-1001,Марко,Петровић,A,10.01.2024,", "K-1002,Ana,Jovanović,Z,2024-02-01,")


def choose_file(page: Page, name: str, data: bytes) -> None:
    page.locator("#roster-file input[type=file]").set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": data}])
    expect(page.get_by_test_id("chosen-file")).to_have_text(name)
    page.get_by_role("button", name="Preview the changes").click()


def test_admin_previews_and_applies_a_roster(page: Page):
    prison = new_prison()
    page.set_viewport_size(TABLET)
    sign_in(page, "admin1")
    expect_path(page, "/admin")
    page.goto(f"/admin/roster?prison={prison.code}")
    expect(page.get_by_role("heading", name="Roster", level=1)).to_be_visible()
    expect(page.locator("#roster-prison")).to_have_value(prison.code)

    choose_file(page, "broken.csv", BROKEN)
    expect(page.get_by_text("The file has 2 errors; nothing was changed.")).to_be_visible()
    errors = page.get_by_test_id("roster-errors")
    expect(errors).to_contain_text("admitted_on")
    expect(errors).to_contain_text("Not a date: write it as YYYY-MM-DD.")
    expect(errors).to_contain_text("This prison has no wing Z.")
    expect(errors.get_by_role("row").nth(1)).to_contain_text("2")
    expect(errors.get_by_role("row").nth(2)).to_contain_text("3")
    screenshot(page, "admin-roster-errors")

    choose_file(page, "roster-day-1.csv", FIRST)
    added = page.get_by_test_id("roster-added")
    expect(added).to_contain_text("Марко Петровић")
    expect(added.get_by_role("row")).to_have_count(4)  # the header and three prisoners
    expect(page.get_by_test_id("roster-count").first).to_contain_text("3")
    screenshot(page, "admin-roster-preview")
    page.set_viewport_size(DESKTOP)
    expect(added.get_by_role("row").nth(3)).to_be_visible()
    screenshot(page, "admin-roster-preview")
    with unit_of_work() as db:  # the dry run wrote nothing
        assert db.scalars(select(Prisoner).where(Prisoner.prison_id == prison.prison_id)
                          ).all() == []
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_text("Roster imported.", exact=False)).to_be_visible()
    expect(page.get_by_role("heading", name="Imported", level=2)).to_be_visible()

    released = today().isoformat()
    second = csv_of("K-1001,Марко,Петровић,B,2024-01-10,",
                    f"K-1002,Ana,Jovanović,A,2024-02-01,{released}",
                    "K-1003,Jovan,Ilić,B,2024-03-05,")
    choose_file(page, "roster-day-2.csv", second)
    moved = page.get_by_test_id("roster-moved")
    expect(moved).to_contain_text("K-1001")
    expect(moved.get_by_role("row").nth(1)).to_contain_text("A")
    expect(page.get_by_test_id("roster-released")).to_contain_text("Ana Jovanović")
    expect(page.get_by_test_id("roster-added")).to_have_count(0)
    screenshot(page, "admin-roster-second")
    page.set_viewport_size(TABLET)
    # Below the fold after the resize: in view once, or Chromium's full-page capture leaves the
    # scrolling tables unpainted.
    page.get_by_role("button", name="Apply").scroll_into_view_if_needed()
    screenshot(page, "admin-roster-second")
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_text("Roster imported.", exact=False)).to_be_visible()

    with unit_of_work() as db:
        stored = {p.number: p for p in db.scalars(select(Prisoner).where(
            Prisoner.prison_id == prison.prison_id))}
        moves = db.scalars(select(PrisonerMove).where(
            PrisonerMove.prisoner_id == stored["K-1001"].id)).all()
    assert set(stored) == {"K-1001", "K-1002", "K-1003"}
    assert stored["K-1001"].wing_id == prison.wing_ids["B"]
    assert stored["K-1002"].released_on == today()
    assert [(m.from_wing_id, m.to_wing_id) for m in moves] == [(prison.wing_ids["A"],
                                                                prison.wing_ids["B"])]
