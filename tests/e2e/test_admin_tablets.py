"""The tablet list in Chromium (issue 11 item 6): an officer's real tablet reporting itself from
the capture page, a silent one and one holding a deactivated officer's entries highlighted, and
why in words; "Mark lost" with its confirmation; the security head's "tablets need attention"
on the trends page. Both sizes."""

from __future__ import annotations

import secrets
import uuid
from datetime import timedelta

from playwright.sync_api import Page, expect

from app.clock import utc_now
from app.db import unit_of_work
from app.models import Posting, Prison, Tablet, TabletOfficer, User, Wing
from app.services.passwords import hash_password
from app.vocabulary import PostingScope, Role
from tests.e2e.conftest import TABLET, expect_path, screenshot, sign_in
from tests.helpers import DEMO_PASSWORD, POSTED_SINCE

DESKTOP = {"width": 1280, "height": 800}


def _user(db, prison: Prison, role: Role, wing: Wing | None, name: str, active=True) -> User:
    user = User(username=f"tab-{secrets.token_hex(4)}", display_name=name, role=role,
                password_hash=hash_password(DEMO_PASSWORD), prison_id=prison.id,
                created_at=utc_now(), active=active)
    db.add_all([user, Posting(user=user, scope=PostingScope.WING if wing else PostingScope.PRISON,
                              prison_id=prison.id, wing=wing, valid_from=POSTED_SINCE,
                              created_at=utc_now())])
    return user


def _tablet(db, prison: Prison, officer: User, contact_ago: timedelta, waiting: int = 0,
            oldest_ago: timedelta | None = None) -> str:
    now, device_id = utc_now(), f"tablet-{uuid.uuid4()}"
    db.add(Tablet(device_id=device_id, prison_id=prison.id, first_seen_at=now - timedelta(days=30),
                  last_contact_at=now - contact_ago, last_officer_id=officer.id,
                  app_version="0.1.0"))
    db.flush()
    db.add(TabletOfficer(device_id=device_id, user_id=officer.id, first_seen_at=now,
                         last_seen_at=now - contact_ago, waiting=waiting,
                         oldest_waiting_at=now - oldest_ago if oldest_ago else None,
                         reported_at=now - contact_ago))
    return device_id


def seed() -> dict[str, str]:
    """A prison of its own: a live tablet, one silent for 4 days, and one on which a
    deactivated officer's entries have waited 30 hours."""
    code = f"TB{secrets.token_hex(2).upper()}"
    with unit_of_work() as db:
        prison = Prison(code=code, name=f"Prison {code}")
        wing = Wing(code="A", name="Wing A", prison=prison)
        db.add_all([prison, wing])
        db.flush()
        officer = _user(db, prison, Role.OFFICER, wing, "Dana Officer")
        gone = _user(db, prison, Role.OFFICER, wing, "Mirko Left", active=False)
        head = _user(db, prison, Role.SECURITY_HEAD, None, "Head of Security")
        db.flush()
        return {
            "code": code, "head": head.username, "gone": gone.username,
            "officer": officer.username,
            "live": _tablet(db, prison, officer, timedelta(minutes=5)),
            "silent": _tablet(db, prison, officer, timedelta(days=4)),
            "held": _tablet(db, prison, gone, timedelta(hours=2), waiting=2,
                            oldest_ago=timedelta(hours=30)),
        }


def card(page: Page, device_id: str):
    return page.get_by_test_id("tablet").filter(has_text=device_id)


def test_admin_sees_a_silent_tablet_highlighted_and_marks_it_lost(page: Page):
    seeded = seed()
    page.set_viewport_size(TABLET)
    # A real tablet: the officer signs in on the capture page, which reports itself.
    with page.expect_response(lambda r: r.url.endswith("/api/v1/devices/report")) as report:
        sign_in(page, seeded["officer"])
    assert report.value.status == 204
    device_id = page.evaluate("localStorage.getItem('wingwatch.device')")
    page.context.clear_cookies()

    sign_in(page, "admin1")
    expect_path(page, "/admin")
    page.goto(f"/admin/tablets?prison={seeded['code']}")
    expect(page.get_by_role("heading", name="Tablets", level=1)).to_be_visible()
    expect(page.get_by_text("4 tablets. 2 need attention.")).to_be_visible()
    this_one = card(page, device_id)
    expect(this_one).to_contain_text("In touch")
    expect(this_one).to_contain_text("Dana Officer")
    expect(this_one).to_contain_text("0.1.0")

    silent = card(page, seeded["silent"])
    expect(silent).to_contain_text("Needs attention")
    expect(silent).to_contain_text("Not heard from for 3 days or more.")
    expect(silent).to_contain_text("Dana Officer")
    held = card(page, seeded["held"])
    expect(held).to_contain_text("An entry has waited on it more than 24 hours.")
    expect(held).to_contain_text("deactivated")
    live = card(page, seeded["live"])
    expect(live).to_contain_text("In touch")
    expect(live).not_to_contain_text("Needs attention")
    # Highlighted first, then the others, the one heard from last at the top.
    expect(page.get_by_test_id("tablet").nth(2)).to_contain_text(device_id)
    expect(page.get_by_test_id("tablet").last).to_contain_text(seeded["live"])
    expect(page.get_by_role("heading", name="Left on tablets by deactivated officers")
           ).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text(seeded["gone"])
    screenshot(page, "admin-tablets")
    page.set_viewport_size(DESKTOP)
    screenshot(page, "admin-tablets")

    silent.get_by_role("button", name="Mark lost").click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_contain_text(seeded["silent"])
    expect(dialog).to_contain_text("signed out everywhere")
    screenshot(page, "admin-tablets-confirm")
    dialog.get_by_role("button", name="Mark lost").click()
    expect(page.get_by_text("Marked lost. 1 officer who used it is signed out everywhere.")
           ).to_be_visible()
    silent = card(page, seeded["silent"])
    expect(silent).to_contain_text("Marked lost on")
    expect(silent.get_by_role("button", name="Mark lost")).to_have_count(0)
    expect(page.get_by_text("4 tablets. 1 needs attention.")).to_be_visible()
    with unit_of_work() as db:
        assert db.get(Tablet, seeded["silent"]).lost_at is not None

    # The prison's security head: the same warning on the trends page, without names.
    page.context.clear_cookies()
    page.set_viewport_size(TABLET)
    sign_in(page, seeded["head"])
    expect_path(page, "/trends")
    notice = page.get_by_test_id("tablet-notice")
    expect(notice).to_contain_text("1 tablet needs attention")
    expect(notice).to_contain_text("1 with an entry waiting more than 24 hours")
    expect(notice).not_to_contain_text("Mirko")
    screenshot(page, "trends-tablet-notice")
    page.set_viewport_size(DESKTOP)
    screenshot(page, "trends-tablet-notice")
