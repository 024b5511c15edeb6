"""Sign-in, landing pages, route gating, sign-out, idle lock and lock-out, in Chromium."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from app import policy
from tests.conftest import TEST_PASSWORD
from tests.e2e.conftest import expect_path, screenshot, sign_in

HOMES = {
    "officer1": ("/capture", "Record an observation"),
    "screener1": ("/screening", "Screening queue"),
    "security1": ("/trends", "Trends"),
    "admin1": ("/admin", "Administration"),
}
PAGE_HEADINGS = {
    "/capture": "Record an observation",
    "/entries": "My entries",
    "/screening": "Screening queue",
    "/trends": "Trends",
    "/admin": "Administration",
}


def heading(page: Page, name: str):
    return page.get_by_role("heading", name=name, exact=True)


@pytest.mark.parametrize("username", HOMES)
def test_each_role_signs_in_to_its_home(page: Page, username: str):
    home, title = HOMES[username]
    sign_in(page, username)
    expect_path(page, home)
    expect(heading(page, title)).to_be_visible()
    expect(page.get_by_role("status", name="Demo mode")).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    expect(page.locator('link[rel="manifest"]')).to_have_attribute("href", "/manifest.webmanifest")
    screenshot(page, f"home-{username}")
    page.set_viewport_size({"width": 1280, "height": 800})
    screenshot(page, f"home-{username}")
    page.reload()  # the session is the cookie's, not the tab's: a reload stays signed in
    expect(heading(page, title)).to_be_visible()


@pytest.mark.parametrize("username", HOMES)
def test_every_route_shows_content_only_to_its_roles(page: Page, username: str):
    sign_in(page, username)
    expect_path(page, HOMES[username][0])
    role = {"officer1": "officer", "screener1": "treatment", "security1": "security_head",
            "admin1": "admin"}[username]
    for route, title in PAGE_HEADINGS.items():
        page.goto(route)
        if policy.page_allowed(route, role):
            expect(heading(page, title)).to_be_visible()
            expect(heading(page, "Not allowed")).to_have_count(0)
        else:
            expect(heading(page, "Not allowed")).to_be_visible()
            expect(heading(page, title)).to_have_count(0)


@pytest.mark.parametrize("route", ["/", *PAGE_HEADINGS])
def test_anonymous_visitor_is_sent_to_sign_in(page: Page, route: str):
    page.goto(route)
    expect_path(page, "/login")
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()


def test_sign_in_page_looks_right(page: Page):
    page.goto("/login")
    expect(page.get_by_label("Username")).to_be_visible()
    expect(page.get_by_role("status", name="Demo mode")).to_be_visible()
    page.get_by_text("Demo accounts").click()
    expect(page.get_by_text("Password of every demo account:")).to_be_visible()
    expect(page.get_by_text("wingwatch-demo", exact=True)).to_be_visible()
    screenshot(page, "login")
    page.set_viewport_size({"width": 1280, "height": 800})
    screenshot(page, "login")


def test_sign_out_ends_the_session(page: Page):
    sign_in(page, "officer2")
    expect(heading(page, "Record an observation")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    expect_path(page, "/login")
    page.goto("/capture")
    expect_path(page, "/login")
    page.go_back()
    expect(heading(page, "Record an observation")).to_have_count(0)


def test_idle_page_locks_and_unlocks_with_the_password(page: Page):
    page.clock.install()
    sign_in(page, "screener2")
    expect(heading(page, "Screening queue")).to_be_visible()
    page.clock.fast_forward("15:05")
    lock = page.get_by_role("dialog", name="Locked")
    expect(lock).to_be_visible()
    lock.get_by_label("Password").fill("not the password")
    lock.get_by_role("button", name="Unlock").click()
    expect(lock.get_by_role("alert")).to_have_text("That password is not right.")
    lock.get_by_label("Password").fill("wingwatch-demo")
    lock.get_by_role("button", name="Unlock").click()
    expect(lock).to_have_count(0)
    expect(heading(page, "Screening queue")).to_be_visible()


def test_five_failures_lock_the_account_with_one_message_for_all(page: Page, make_user):
    username = make_user("officer", ("A",))
    unknown_message = _attempt(page, "no-such-user", "whatever-it-is")
    for _ in range(4):
        assert _attempt(page, username, "wrong password") == unknown_message
    _attempt(page, username, "wrong password")
    # Now even the right password is refused, with the lock-out message.
    assert "locked" in _attempt(page, username, TEST_PASSWORD)


def _attempt(page: Page, username: str, password: str) -> str:
    """One sign-in in a new tab: Reflex keeps page state per tab, so a new tab cannot show an
    earlier attempt's message, and the alert read is this attempt's answer."""
    tab = page.context.new_page()
    try:
        sign_in(tab, username, password)
        alert = tab.get_by_role("alert")
        expect(alert).to_be_visible()
        expect_path(tab, "/login")
        return alert.inner_text()
    finally:
        tab.close()
