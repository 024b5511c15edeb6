"""The periodic review and legal holds (issue 12 items 3 and 4) in Chromium: a screener of a
prison of the journey's own opens the review list, sees the entry past its date highlighted
and first, keeps it longer with a reason, puts the other record's screening item on hold from
the case page, and finds it shown as held in the list; the audit log has both.

The review entries are made directly in the database, as the retention run queues them."""

from __future__ import annotations

import re
import secrets
from datetime import date, timedelta

from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from app.clock import prisons_today, utc_now
from app.db import unit_of_work
from app.i18n.locales import Locale
from app.i18n.messages import speaking
from app.models import (AuditEntry, LegalHold, Posting, Prison, Prisoner, ReviewEntry,
                        ScreeningItem, User, Wing)
from app.runtime import ingest_context
from app.services import screening
from app.services.passwords import hash_password
from app.vocabulary import PostingScope, RecordClass, Role
from tests.e2e.conftest import DEMO_PASSWORD, TABLET, expect_path, screenshot, sign_in
from tests.helpers import POSTED_SINCE, identity
from tests.screening_data import observe

DESKTOP = {"width": 1280, "height": 800}
REASON = "No further action, but the prisoner's appeal is still pending."
EXTEND_WHY = "The prisoner's appeal is pending; the record may be needed until it is decided."
HOLD_WHY = "Complaint to the ombudsman, ref. OMB-2026-114: keep as evidence."
ENGLISH = speaking(Locale.EN)


def own_prison() -> tuple[str, str]:
    """A prison of the journey's own, with a wing, an officer and a screener posted to it:
    (officer's username, screener's username). Nobody else's review entries are in it."""
    tag = secrets.token_hex(3).upper()
    officer, screener = f"revo-{tag.lower()}", f"revs-{tag.lower()}"
    with unit_of_work() as db:
        prison = Prison(code=f"V{tag}", name=f"Review journey {tag}")
        db.add(prison)
        db.flush()
        wing = Wing(prison_id=prison.id, code="A", name="Wing A")
        db.add(wing)
        for username, role, name in ((officer, Role.OFFICER, "Officer Journey"),
                                     (screener, Role.TREATMENT, "Screener Journey")):
            user = User(username=username, display_name=name, role=role,
                        password_hash=hash_password(DEMO_PASSWORD), prison_id=prison.id,
                        created_at=utc_now(), locale="en")
            db.add(user)
            db.add(Posting(user=user, scope=PostingScope.WING if role == Role.OFFICER
                           else PostingScope.PRISON, prison_id=prison.id,
                           wing=wing if role == Role.OFFICER else None,
                           valid_from=POSTED_SINCE, created_at=utc_now()))
    return officer, screener


def closed_item(officer: str, screener: str, family: str) -> tuple[int, str]:
    """A prisoner of the officer's wing, flagged and screened with no further action:
    (item id, prisoner id)."""
    now = utc_now()
    with unit_of_work() as db:
        wing = db.scalar(select(Wing).join(Posting, Posting.wing_id == Wing.id)
                         .join(User, User.id == Posting.user_id)
                         .where(User.username == officer))
        prisoner = Prisoner(prison_id=wing.prison_id, wing_id=wing.id,
                            number=f"V-{secrets.token_hex(3)}", given_name="Review",
                            family_name=family)
        db.add(prisoner)
        db.flush()
        prisoner_id = prisoner.id
    observe(prisoner_id, author=officer, now=now)
    who, cipher = identity(screener), ingest_context().cipher
    with unit_of_work() as db:
        item_id = db.scalar(select(ScreeningItem.id)
                            .where(ScreeningItem.prisoner_id == prisoner_id))
        screening.claim(db, who, item_id, now)
    with unit_of_work() as db:
        screening.decide(db, who, item_id, "no_further_action", REASON, now, cipher)
    return item_id, prisoner_id


def review_entry(item_id: int, prisoner_id: str, due_on: date) -> int:
    with unit_of_work() as db:
        prison_id = db.scalar(select(Prisoner.prison_id).where(Prisoner.id == prisoner_id))
        row = ReviewEntry(record_class=RecordClass.SCREENING_DECISION, record_id=str(item_id),
                          prison_id=prison_id, prisoner_id=prisoner_id,
                          rule_id="screening_review_5y", due_on=due_on, queued_at=utc_now())
        db.add(row)
        db.flush()
        return row.id


def audit_purposes(record_id: str) -> list[tuple[str, str]]:
    with unit_of_work() as db:
        return [(a, p) for a, p in db.execute(
            select(AuditEntry.action, AuditEntry.purpose)
            .where(AuditEntry.record_id == record_id).order_by(AuditEntry.seq))]


def typed(day: date) -> str:
    return ENGLISH.day(day, "short")


def test_a_screener_extends_an_overdue_record_and_puts_another_on_hold(browser: Browser,
                                                                        base_url: str):
    officer, screener = own_prison()
    today = prisons_today()
    late_item, late_prisoner = closed_item(officer, screener, "Overdue")
    held_item, held_prisoner = closed_item(officer, screener, "Kept")
    coming = review_entry(held_item, held_prisoner, today + timedelta(days=12))
    late = review_entry(late_item, late_prisoner, today - timedelta(days=10))

    page: Page = browser.new_context(base_url=base_url, viewport=TABLET).new_page()
    sign_in(page, screener)
    expect(page.get_by_role("heading", name="Screening queue")).to_be_visible()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Review").click()
    expect_path(page, "/review")
    rows = page.get_by_role("article")
    expect(rows).to_have_count(2)
    first = rows.first
    expect(first).to_contain_text("Review Overdue")  # past its date, so first
    expect(first).to_have_attribute("data-overdue", "true")
    expect(first.get_by_text("Overdue", exact=True)).to_be_visible()
    expect(first).to_contain_text("Was due")
    expect(first).to_contain_text("Reviewed 5 years after the screening item closed")
    expect(rows.nth(1)).to_have_attribute("data-overdue", "false")
    expect(page.get_by_role("status").filter(has_text="2 entries to review, 1 overdue")
           ).to_be_visible()
    screenshot(page, "review-list")

    first.get_by_role("button", name="Extend").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("Keep this record longer")
    until = today + timedelta(days=200)
    dialog.get_by_label("Keep until").fill(typed(until))
    dialog.get_by_label("Reason (at least").fill("Appeal")
    dialog.get_by_role("button", name="Extend").click()
    expect(dialog.get_by_role("alert")).to_contain_text("Give a reason of at least 10")
    dialog.get_by_label("Reason (at least").fill(EXTEND_WHY)
    screenshot(page, "review-extend")
    dialog.get_by_role("button", name="Extend").click()
    expect(page.get_by_role("status").filter(has_text="Kept until")).to_be_visible()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Review Kept")

    rows.first.get_by_role("link", name="Open case").click()
    expect_path(page, f"/screening/{held_item}")
    panel = page.get_by_test_id("legal-hold-panel")
    expect(panel.get_by_label("What to keep")).to_have_value("item")
    panel.get_by_label("Hold until").fill(typed(today + timedelta(days=90)))
    panel.get_by_label("Reason for the hold").fill(HOLD_WHY)
    panel.get_by_role("button", name="Put on hold").click()
    expect(panel.get_by_text(re.compile(r"This item and its observations are on legal hold "
                                        r"until"))).to_be_visible()
    expect(panel.get_by_test_id("legal-hold")).to_contain_text(HOLD_WHY)
    screenshot(page, "review-case-hold")

    page.set_viewport_size(DESKTOP)
    page.reload()
    expect(panel.get_by_test_id("legal-hold")).to_have_count(1)
    screenshot(page, "review-case-hold")
    page.goto("/review")
    expect(rows).to_have_count(1)
    expect(rows.first.get_by_text("On legal hold", exact=True)).to_be_visible()
    expect(rows.first).to_contain_text("On legal hold until")
    expect(rows.first.get_by_role("button", name="Erase now")).to_have_count(0)
    screenshot(page, "review-list")

    with unit_of_work() as db:
        decided = db.get(ReviewEntry, late)
        assert (decided.decision, decided.extended_to) == ("extend", until)
        hold = db.scalars(select(LegalHold).where(LegalHold.subject_id == str(held_item))).one()
        assert db.get(ReviewEntry, coming).decided_at is None
    assert ("review", "review.extend") in audit_purposes(f"review:{late}")
    assert audit_purposes(f"hold:{hold.id}") == [("hold", "hold.place")]
    assert ("read", "review list view") in audit_purposes(f"review:{coming}")
