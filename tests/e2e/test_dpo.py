"""The data-protection officer's journey (issue 12 item 6) in Chromium: sign in, find a
prisoner, restrict processing of their records, produce the subject-access report with staff
names marked for redaction, download it as a PDF that opens, and the disclosure in the audit
log. Both sizes.

The prisoner is on a wing of the tests' own (tests/screening_data.py), with an observation of
its own, so no other test's entries reach this report.
"""

from __future__ import annotations

import io
import re
import secrets
from datetime import timedelta
from pathlib import Path

from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from app.clock import utc_now
from app.db import unit_of_work
from app.models import Posting, Prisoner, User
from app.runtime import ingest_context
from app.services import observations
from app.services.passwords import hash_password
from app.vocabulary import PostingScope, Role
from tests.e2e.conftest import DEMO_PASSWORD, TABLET, expect_path, screenshot, sign_in
from tests.helpers import POSTED_SINCE, identity
from tests.screening_data import new_prisoner, observe, own_wing

DESKTOP = {"width": 1280, "height": 800}
FACTS = "Told the kitchen crew that the new guard \u201cwill learn his lesson\u201d."
ADDENDUM = "He apologised to the guard the next morning, unprompted."
REASON = "The prisoner contests the facts in a letter to the director."


def a_prisoner_with_an_entry() -> tuple[str, str]:
    """(number, family name) of a prisoner with one flagged observation and its addendum."""
    prisoner = new_prisoner()
    now = utc_now()
    obs = observe(prisoner, facts=FACTS, now=now)
    with unit_of_work() as db:
        observations.add_addendum(db, identity(own_wing()[1]), obs, ADDENDUM,
                                  now + timedelta(minutes=1), ingest_context().cipher)
    with unit_of_work() as db:
        found = db.get(Prisoner, prisoner)
        return found.number, found.family_name


def a_data_protection_officer() -> str:
    """One of the central service, with the demo password, reading English."""
    username = f"dpo-{secrets.token_hex(4)}"
    with unit_of_work() as db:
        user = User(username=username, display_name="Nadia Protect", role=Role.DATA_PROTECTION,
                    password_hash=hash_password(DEMO_PASSWORD), created_at=utc_now(),
                    locale="en")
        db.add_all([user, Posting(user=user, scope=PostingScope.CENTRAL,
                                  valid_from=POSTED_SINCE, created_at=utc_now())])
    return username


def test_the_officer_restricts_and_produces_the_access_report_as_a_page_and_a_pdf(
        page: Page, browser: Browser, base_url: str):
    number, family = a_prisoner_with_an_entry()
    username = a_data_protection_officer()
    page.set_viewport_size(TABLET)
    sign_in(page, username)
    expect_path(page, "/dpo")
    expect(page.get_by_role("heading", name="Data protection", level=1)).to_be_visible()

    page.get_by_label("Prison", exact=True).select_option("DEMO")
    page.get_by_label("Prisoner number").fill(number)
    page.get_by_role("button", name="Find").click()
    card = page.get_by_test_id("prisoner-card")
    expect(card).to_contain_text(family)
    expect(card).to_contain_text("No restriction in force")

    page.get_by_label("Ground").select_option(label="Accuracy contested")
    page.get_by_label("Reason", exact=True).fill(REASON)
    page.get_by_role("button", name="Place restriction").click()
    expect(card).to_contain_text("Processing restricted")
    expect(card.get_by_test_id("restriction")).to_contain_text(REASON)
    expect(page.get_by_role("status").filter(has_text="Restriction placed")).to_be_visible()
    screenshot(page, "dpo-card")

    page.get_by_role("button", name="Produce report").click()
    report = page.get_by_test_id("access-report")
    expect(report).to_be_visible()
    expect(report).to_contain_text(FACTS)
    expect(report).to_contain_text(ADDENDUM)
    expect(report).to_contain_text("Restriction: Accuracy contested")
    expect(report).to_contain_text("Seen or heard by the officer")  # the source, in words
    expect(report.get_by_test_id("redact").filter(has_text="Test officer").first).to_contain_text(
        "[REDACT]")
    expect(page.get_by_test_id("redaction-summary")).to_contain_text("Test officer [REDACT]")
    expect(page.get_by_test_id("redaction-summary")).to_contain_text("Nadia Protect [REDACT]")
    expect(report).to_contain_text("Check it for third parties named in it before release.")
    screenshot(page, "dpo-report")
    page.set_viewport_size(DESKTOP)
    expect(report).to_be_visible()
    screenshot(page, "dpo-report")
    page.emulate_media(media="print")  # what Print puts on paper: the report, not the controls
    expect(page.get_by_role("button", name="Find")).to_be_hidden()
    expect(card).to_be_hidden()
    expect(report).to_be_visible()
    screenshot(page, "dpo-print")
    page.emulate_media(media="screen")

    with page.expect_download() as download:
        page.get_by_role("button", name="Download PDF").click()
    assert re.fullmatch(r"subject-access-.+\.pdf", download.value.suggested_filename)
    pdf = PdfReader(io.BytesIO(Path(download.value.path()).read_bytes()))
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in pdf.pages))
    assert "Subject-access report" in text and number in text
    assert re.sub(r"\s+", " ", FACTS) in text and "Test officer [REDACT]" in text
    # Made after the page's report: that disclosure is among the recipients, from the log.
    assert "Produced a subject-access report; period and form: form=page" in text
    expect(page.get_by_role("status").filter(has_text="PDF downloaded")).to_be_visible()

    # The disclosures, as the administrator reads them in the audit log.
    admin = browser.new_context(base_url=base_url, viewport=TABLET).new_page()
    sign_in(admin, "admin1")
    expect_path(admin, "/admin")
    admin.goto(f"/admin/audit?subject={number}&action=disclose")
    entries = admin.get_by_test_id("audit-entry")
    expect(entries).to_have_count(2)
    expect(entries.first).to_contain_text("Produced a subject-access report")
    expect(entries.first).to_contain_text("form=pdf")
    expect(entries.last).to_contain_text("form=page")
    expect(entries.first).to_contain_text(f"({username})")
    expect(entries.first).not_to_contain_text(FACTS)
    screenshot(admin, "dpo-audit")
