"""The audit viewer's verify in Chromium (issue 11 item 7): an administrator opens the audit
log, filters it, presses Verify now and is told the chain is intact; both sizes."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.conftest import TABLET, expect_path, screenshot, sign_in

DESKTOP = {"width": 1280, "height": 800}


def test_admin_filters_the_audit_log_and_verifies_it(page: Page):
    page.set_viewport_size(TABLET)
    sign_in(page, "admin1")
    expect_path(page, "/admin")
    page.goto("/admin/audit")
    expect_path(page, "/admin/audit")
    expect(page.get_by_role("heading", name="Audit log", level=1)).to_be_visible()

    page.get_by_label("Who (username)").fill("admin1")
    page.get_by_role("button", name="Show").first.click()
    expect(page).to_have_url(re.compile(r"/admin/audit/?\?who=admin1$"))
    page.get_by_role("combobox", name="Action").click()
    page.get_by_role("option", name="Sign-in", exact=True).click()
    expect(page).to_have_url(re.compile(r"who=admin1&action=sign_in$"))
    page.get_by_role("combobox", name="Period", exact=True).click()
    page.get_by_role("option", name="7 days").click()
    expect(page).to_have_url(re.compile(r"action=sign_in&days=7$"))
    entry = page.get_by_test_id("audit-entry").first
    expect(entry).to_contain_text("Signed in (browser)")
    expect(entry).to_contain_text("(admin1)")
    for other in page.get_by_test_id("audit-entry").all():
        expect(other).to_contain_text("Sign-in")

    page.get_by_role("button", name="Verify now").click()
    result = page.locator("#audit-verify-result")
    expect(result).to_contain_text(re.compile(r"Audit log intact: [\d,.\s]+ rows? checked\."))
    screenshot(page, "admin-audit")

    token = page.get_by_test_id("key-card").filter(has_text="Token signing key")
    old_kid = token.locator("code").inner_text()
    token.get_by_role("button", name="Rotate").click()
    confirm = page.get_by_role("alertdialog")
    confirm.get_by_role("button", name="Rotate").click()
    expect(page.get_by_text(re.compile(r"New key \w+ is in use"))).to_be_visible()
    expect(confirm).to_have_count(0)
    expect(page.get_by_test_id("key-card").filter(has_text="Retiring")).to_contain_text(old_kid)
    page.set_viewport_size(DESKTOP)
    expect(result).to_be_visible()
    screenshot(page, "admin-audit")
