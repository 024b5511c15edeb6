"""Treatment staff's journeys (issue 5) in Chromium: the queue, claims, the case and decisions.

Items are made through the real services about prisoners of the tests' own wing
(tests/screening_data.py), so each test finds its own row by the prisoner's number.
"""

from __future__ import annotations

import re
import secrets
from datetime import timedelta

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import func, select

from app.clock import utc_now
from app.db import unit_of_work
from app.i18n.locales import Locale
from app.i18n.messages import Messages
from app.services.screening import MIN_REASON
from app.models import (AuditEntry, Posting, Prison, Prisoner, ScreeningEvent, ScreeningItem,
                        User, Wing)
from app.services.demo import PRISON_CODE
from app.vocabulary import PostingScope
from app.services.passwords import hash_password
from tests.e2e.capture_steps import open_capture, record, waiting
from tests.e2e.conftest import TABLET, screenshot, sign_in, speaks
from tests.e2e.untranslated import untranslated
from tests.helpers import POSTED_SINCE
from tests.screening_data import flagged_item
from tests.test_screening_views import ZONE

REASON = "Read all entries: a quarrel over the phone rota, no wider pattern or pressure."
DESKTOP = {"width": 1280, "height": 800}


def number_of(item_id: int) -> str:
    with unit_of_work() as db:
        return db.scalar(select(Prisoner.number).join(ScreeningItem, ScreeningItem.prisoner_id
                                                      == Prisoner.id)
                         .where(ScreeningItem.id == item_id))


def event_count(item_id: int) -> int:
    with unit_of_work() as db:
        return db.scalar(select(func.count()).where(ScreeningEvent.item_id == item_id))


def reads_of(item_id: int, purpose: str) -> list[str]:
    """Who read (or was refused) this item, from the audit log."""
    with unit_of_work() as db:
        return list(db.scalars(select(User.username).join(AuditEntry, AuditEntry.actor_id ==
                                                          User.id)
                               .where(AuditEntry.record_id == f"screening:{item_id}",
                                      AuditEntry.purpose == purpose)))


def queue_row(page: Page, item_id: int):
    """Open the queue searched for this item's prisoner; the one card shown."""
    number = number_of(item_id)
    page.goto(f"/screening?q={number}")
    row = page.get_by_role("article").filter(has_text=number)
    expect(row).to_have_count(1)
    return row


def screener_page(browser: Browser, base_url: str, username: str, viewport=TABLET) -> Page:
    page = browser.new_context(base_url=base_url, viewport=viewport).new_page()
    sign_in(page, username)
    expect(page.get_by_role("heading", name="Screening queue")).to_be_visible()
    return page


def decide(page: Page, outcome: str, reason: str, review_on: str | None = None) -> None:
    """Choose, give the reason, record; `review_on` is one of the offered days (ISO)."""
    page.get_by_role("radio", name=outcome).click()
    if review_on is not None:
        page.get_by_label("Review date", exact=True).select_option(review_on)
    page.get_by_label("Reason (at least").fill(reason)
    page.get_by_role("button", name="Record decision").click()


def free_wing_a_prisoner() -> Prisoner:
    """A wing A prisoner (officer1's roster) with no open item."""
    with unit_of_work() as db:
        busy = select(ScreeningItem.prisoner_id).where(ScreeningItem.closed_at.is_(None))
        prisoner = db.scalars(select(Prisoner).join(Wing, Wing.id == Prisoner.wing_id)
                              .join(Prison, Prison.id == Wing.prison_id)
                              .where(Prison.code == PRISON_CODE, Wing.code == "A",
                                     Prisoner.id.not_in(busy))
                              .order_by(Prisoner.number.desc())).first()
        return prisoner


def test_a_flag_travels_from_officer_to_screener_and_back_as_reviewed(
        page: Page, browser: Browser, base_url: str):
    prisoner = free_wing_a_prisoner()
    open_capture(page, "officer1")
    page.context.set_offline(True)  # on the wing, out of reach; sent when back in reach
    record(page, 'Said in the yard "the bombers were heroes" to two young prisoners.',
           prisoner=prisoner.number, flag_reason="Praise of an attack in front of young prisoners.")
    expect(waiting(page, 1)).to_be_visible()
    page.context.set_offline(False)
    page.get_by_role("button", name="Send now").click()
    expect(waiting(page, 0)).to_be_visible(timeout=30000)
    with unit_of_work() as db:
        item_id = db.scalar(select(ScreeningItem.id).where(
            ScreeningItem.prisoner_id == prisoner.id, ScreeningItem.closed_at.is_(None)))

    screener = screener_page(browser, base_url, "screener1")
    row = queue_row(screener, item_id)
    expect(row).to_contain_text("Officer's reason: Praise of an attack in front of young")
    expect(row).to_contain_text("1 observation from 1 officer")
    expect(row).to_contain_text("Not claimed")
    screenshot(screener, "screening-queue")
    row.get_by_role("button", name="Claim").click()
    expect(row).to_contain_text("Held by you")
    row.get_by_role("link", name="Open case").click()

    expect(screener.get_by_role("heading", level=1, name=f"{prisoner.given_name} "
                                f"{prisoner.family_name}")).to_be_visible()
    timeline = screener.get_by_role("article")
    expect(timeline).to_have_count(1)
    expect(timeline).to_contain_text("the bombers were heroes")
    expect(timeline).to_contain_text("Facts — what was seen or heard")
    assert reads_of(item_id, "screening case view") == ["screener1"]
    screenshot(screener, "screening-case")
    decide(screener, "No further action", REASON)
    expect(screener.get_by_role("status").filter(has_text="Decision recorded.")).to_be_visible()
    expect(screener.get_by_text("Decision: No further action").first).to_be_visible()
    expect(screener.get_by_text("This item is closed.")).to_be_visible()

    page.goto("/entries")
    reviewed = page.get_by_role("row").filter(has_text="Reviewed on")
    expect(reviewed).to_have_count(1)
    expect(reviewed).not_to_contain_text("No further action")


def test_two_screeners_claim_at_once_and_the_second_is_told(browser: Browser, base_url: str):
    item_id = flagged_item()
    first, second = (screener_page(browser, base_url, name) for name in ("screener1",
                                                                          "screener2"))
    rows = [queue_row(page, item_id) for page in (first, second)]
    rows[1].get_by_role("button", name="Claim").click()
    expect(rows[1]).to_contain_text("Held by you")
    rows[0].get_by_role("button", name="Claim").click()  # on a page that still says unclaimed
    expect(first.get_by_role("alert")).to_have_text(
        "Held by Milica Stanković. Use Take over to move it to you.")
    expect(rows[0]).to_contain_text("Held by Milica Stanković")
    assert event_count(item_id) == 1

    rows[0].get_by_role("button", name="Take over").click()
    dialog = first.get_by_role("dialog")
    dialog.get_by_role("button", name="Take over").click()
    expect(dialog.get_by_role("alert")).to_contain_text("at least 10 characters")
    assert event_count(item_id) == 1
    dialog.get_by_label("Why are you taking this over?").fill("Milica is on leave this week.")
    dialog.get_by_role("button", name="Take over").click()
    expect(dialog).to_have_count(0)
    expect(rows[0]).to_contain_text("Held by you")
    second.reload()
    expect(queue_row(second, item_id)).to_contain_text("Held by Dr. Lejla Hadžić")


def test_bad_decisions_are_refused_with_a_message_and_record_nothing(
        browser: Browser, base_url: str):
    item_id = flagged_item()
    page = screener_page(browser, base_url, "screener1", DESKTOP)
    page.goto(f"/screening/{item_id}")
    page.get_by_role("button", name="Claim").click()
    expect(page.get_by_role("status").filter(has_text="Claimed: this item is on your name.")
           ).to_be_visible()
    screenshot(page, "screening-case")
    before = event_count(item_id)
    decide(page, "No further action", "Too short.")
    expect(page.get_by_role("alert")).to_have_text("Give a reason of at least 20 characters.")
    decide(page, "Monitor", REASON)  # no review date chosen
    expect(page.get_by_role("alert")).to_have_text("Monitoring needs a review date.")
    assert event_count(item_id) == before
    # The reason typed is still there to correct.
    expect(page.get_by_label("Reason (at least")).to_have_value(REASON)


def test_a_referral_counts_only_after_another_screener_signs_it_off(
        browser: Browser, base_url: str):
    item_id = flagged_item()
    referrer = screener_page(browser, base_url, "screener1")
    referrer.goto(f"/screening/{item_id}")
    referrer.get_by_role("button", name="Claim").click()
    decide(referrer, "Refer for risk and needs assessment", REASON)
    expect(referrer.get_by_text("Awaiting sign-off", exact=True)).to_be_visible()
    expect(referrer.get_by_text("You made this referral")).to_be_visible()
    expect(referrer.get_by_role("button", name="Sign off referral")).to_have_count(0)

    second = screener_page(browser, base_url, "screener2")
    second.goto(f"/screening/{item_id}")
    second.get_by_role("button", name="Sign off referral").click()
    expect(second.get_by_text("Closed", exact=True)).to_be_visible()
    expect(second.get_by_text("Referral signed off", exact=True)).to_be_visible()


@pytest.mark.parametrize("username", ["officer1", "security1", "admin1"])
def test_other_roles_cannot_open_the_queue_or_a_case(page: Page, username: str):
    item_id = flagged_item()
    sign_in(page, username)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    for path in ("/screening", f"/screening/{item_id}"):
        page.goto(path)
        expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()
        expect(page.get_by_text(number_of(item_id))).to_have_count(0)
    assert reads_of(item_id, "screening case view") == []


def test_a_case_of_another_prison_is_refused_and_the_attempt_audited(page: Page):
    item_id = flagged_item()
    username = f"trea-{secrets.token_hex(4)}"
    with unit_of_work() as db:
        other = Prison(code=f"P{secrets.token_hex(3)}", name="Another prison")
        db.add(other)
        db.flush()
        screener = User(username=username, display_name="Other screener", role="treatment",
                        password_hash=hash_password("wingwatch-demo"), prison_id=other.id,
                        created_at=utc_now())
        db.add_all([screener, Posting(user=screener, scope=PostingScope.PRISON,
                                      prison_id=other.id, valid_from=POSTED_SINCE,
                                      created_at=utc_now())])
    sign_in(page, username)
    expect(page.get_by_role("heading", name="Screening queue")).to_be_visible()
    page.goto(f"/screening/{item_id}")
    expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()
    expect(page.get_by_text(number_of(item_id))).to_have_count(0)
    assert reads_of(item_id, "refused: other prison") == [username]


def test_filters_and_search_live_in_the_url(browser: Browser, base_url: str):
    mine, other = flagged_item(), flagged_item()
    page = screener_page(browser, base_url, "screener2", DESKTOP)
    queue_row(page, mine).get_by_role("button", name="Claim").click()
    page.goto("/screening")
    page.get_by_role("combobox", name="Held by").click()
    page.get_by_role("option", name="Held by me").click()
    expect(page).to_have_url(re.compile(r"/screening/?\?held=me$"))
    rows = page.get_by_role("article")
    expect(rows.filter(has_text=number_of(mine))).to_have_count(1)
    expect(rows.filter(has_text=number_of(other))).to_have_count(0)
    screenshot(page, "screening-queue")
    page.reload()  # the URL alone brings the same list back
    expect(page.get_by_role("combobox", name="Held by")).to_have_text("Held by me")
    expect(rows.filter(has_text=number_of(mine))).to_have_count(1)
    page.get_by_label("Name or number").fill(number_of(other))
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(rf"held=me&q={number_of(other)}$"))
    expect(page.get_by_text("No open items match these filters.")).to_be_visible()


def test_monitor_and_support_referral_leave_the_queue(browser: Browser, base_url: str):
    monitored, referred = flagged_item(), flagged_item()
    page = screener_page(browser, base_url, "screener1")
    in_four_weeks = (utc_now().astimezone(ZONE) + timedelta(weeks=4)).date()
    page.goto(f"/screening/{monitored}")
    page.get_by_role("button", name="Claim").click()
    decide(page, "Monitor", REASON, review_on=in_four_weeks.isoformat())
    said = Messages(Locale.EN, ZONE).day(in_four_weeks)  # "29 Dec 2026", as en-GB has it
    expect(page.get_by_text(f"review on {said}").first).to_be_visible()
    expect(page.get_by_text("Being monitored")).to_be_visible()

    page.goto(f"/screening/{referred}")
    page.get_by_role("button", name="Claim").click()
    page.get_by_role("radio", name="Refer to other support").click()
    page.get_by_label("Reason (at least").fill(REASON)
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_role("alert")).to_have_text("Choose the kind of support to refer to.")
    page.get_by_label("Kind of support").select_option(label="Mental health")
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("Decision: Refer to other support (Mental health)").first
           ).to_be_visible()

    for item_id in (monitored, referred):
        page.goto(f"/screening?q={number_of(item_id)}")
        expect(page.get_by_role("searchbox", name="Name or number")).to_have_value(
            number_of(item_id))
        expect(page.get_by_role("article")).to_have_count(0)


def test_the_case_and_a_decision_in_albanian(browser: Browser, base_url: str):
    """screener1 works in Albanian: the page's words, the rule's sentence, the refusal and the
    record all come from the sq catalogue; the reason is stored as written, marked Shqip."""
    item_id = flagged_item(utc_now())
    speaks("screener1", Locale.SQ)
    sq = Messages(Locale.SQ, ZONE)
    page = browser.new_context(base_url=base_url, viewport=TABLET).new_page()
    sign_in(page, "screener1")
    expect(page.get_by_role("heading", name=sq.t("Screening queue"))).to_be_visible()
    page.goto(f"/screening/{item_id}")
    expect(page.get_by_role("heading", name=sq.t("Why this was flagged"))).to_be_visible()
    expect(page.get_by_text(sq.t("An officer flagged this observation for screening and gave a "
                                 "reason (shown with the observation).")).first).to_be_visible()
    expect(page.get_by_role("article")).to_contain_text(sq.t("Facts — what was seen or heard"))
    page.get_by_role("button", name=sq.t("Claim"), exact=True).click()
    expect(page.get_by_role("status").filter(has_text=sq.t("Claimed: this item is on your name."))
           ).to_be_visible()

    outcome = sq.t("No further action")
    page.get_by_role("radio", name=outcome).click()
    hint = sq.tn("Reason (at least {count} character): what you read and why this decision",
                 "Reason (at least {count} characters): what you read and why this decision",
                 MIN_REASON)
    page.get_by_label(hint).fill("Shumë shkurt.")
    page.get_by_role("button", name=sq.t("Record decision")).click()
    expect(page.get_by_role("alert")).to_have_text(sq.tn(
        "Give a reason of at least {count} character.",
        "Give a reason of at least {count} characters.", MIN_REASON))
    reason = "Lexova të gjitha shënimet: një grindje për telefonin, pa presion mbi të tjerët."
    page.get_by_label(hint).fill(reason)
    page.get_by_role("button", name=sq.t("Record decision")).click()
    expect(page.get_by_role("status").filter(has_text=sq.t("Decision recorded."))).to_be_visible()
    decided = sq.t("Decision: {outcome}", outcome=outcome)
    expect(page.get_by_text(decided, exact=True).first).to_be_visible()
    record = page.locator("div").filter(has_text=reason).last
    expect(record).to_contain_text("Shqip")
    expect(page.get_by_text(sq.t("This item is closed. A correction or a later note goes in "
                                 "an addendum."))).to_be_visible()


@pytest.mark.parametrize("viewport", [TABLET, DESKTOP], ids=["tablet", "desktop"])
def test_the_queue_and_the_case_hold_in_the_pseudo_locale(browser: Browser, base_url: str,
                                                          viewport):
    """40 % longer words: nothing clipped or overflowing, every target 44 px, no text left in
    code; screenshots for a person to look at."""
    item_id = flagged_item(utc_now())
    speaks("screener2", Locale.PSEUDO)
    page = browser.new_context(base_url=base_url, viewport=viewport).new_page()
    sign_in(page, "screener2")
    expect(page.locator("text=/⟦/").first).to_be_visible()
    size = f"{viewport['width']}"
    for path, name in ((f"/screening?q={number_of(item_id)}", "queue"),
                       (f"/screening/{item_id}", "case")):
        page.goto(path)
        expect(page.get_by_role("article").first).to_be_visible()
        if name == "case":
            pseudo = Messages(Locale.PSEUDO, ZONE)
            page.get_by_role("button", name=pseudo.t("Claim"), exact=True).click()
            page.get_by_role("radio").nth(1).click()  # Monitor: the review date shows
            expect(page.locator("#review-on")).to_be_visible()
        page.wait_for_load_state("networkidle")
        screenshot(page, f"pseudo-screening-{name}-{size}")
        assert _left_in_code(page, item_id) == [], path
        assert _overflowing(page) == [], path
        assert _small_targets(page) == [], path


# Not this page's: Reflex's connection toast and notifications region, the page title (the
# frame's), which tests/e2e/test_pseudo_locale.py sweeps for.
NOT_OURS = ("Connection Error:", "Notifications alt+T")


def _left_in_code(page: Page, item_id: int) -> list[str]:
    """What untranslated() finds, less what is not ours and this test's own prisoner (made
    after its list of names was read)."""
    with unit_of_work() as db:
        prisoner = db.scalars(select(Prisoner).join(
            ScreeningItem, ScreeningItem.prisoner_id == Prisoner.id)
            .where(ScreeningItem.id == item_id)).one()
        data = {prisoner.number, f"{prisoner.given_name} {prisoner.family_name}"}
    return [text for text in untranslated(page)
            if text not in NOT_OURS and text != page.title() and text.strip() not in data]


def _overflowing(page: Page) -> list[str]:
    """Buttons and badges whose text does not fit, and anything wider than the page."""
    return page.evaluate("""() => {
        const out = [];
        for (const el of document.querySelectorAll('button, .rt-Badge, select')) {
            const r = el.getBoundingClientRect();
            if (r.width === 0) continue;
            if (el.scrollWidth > el.clientWidth + 1) out.push('clipped: ' + el.textContent);
            if (r.right > document.documentElement.clientWidth + 1)
                out.push('off the page: ' + el.textContent);
        }
        return out;
    }""")


def _small_targets(page: Page) -> list[str]:
    """Buttons, selects and fields under 44 px tall; a radio or a checkbox is tapped through
    the label around it, which is the target."""
    return page.evaluate("""() => Array.from(document.querySelectorAll(
            'main button:not([role=checkbox]):not([role=radio]), main select, '
            + 'main input:not([type=radio]):not([type=checkbox])'))
        .filter(el => el.getBoundingClientRect().width > 0 && el.getBoundingClientRect().height < 44)
        .map(el => (el.textContent || el.id) + ': ' + el.getBoundingClientRect().height)""")
