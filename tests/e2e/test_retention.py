"""The retention page in Chromium (issue 12 items 1 and 2): an administrator reads the schedule
in words, previews the next run (its counts include records the test made due), the run
erases them, and the page shows the run. Tablet size and desktop."""

from __future__ import annotations

import secrets
from datetime import timedelta

from playwright.sync_api import Page, expect

from app import runtime
from app.clock import utc_now
from app.db import unit_of_work
from app.i18n.locales import Locale
from app.i18n.messages import Messages
from app.models import Observation, User
from app.services import retention_run, retention_schedule
from app.services.passwords import hash_password
from app.views.retention import counts_words, rule_words
from app.vocabulary import Role
from tests.e2e.conftest import TABLET, expect_path, screenshot, sign_in, speaks
from tests.e2e.untranslated import untranslated
from tests.helpers import DEMO_PASSWORD
from tests.retention_data import ZONE, new_place, new_prisoner, observe

DESKTOP = {"width": 1280, "height": 800}
RULE = "not_escalated_1y"


def admin() -> str:
    with unit_of_work() as db:
        user = User(username=f"ret-{secrets.token_hex(4)}", display_name="Retention Admin",
                    role=Role.ADMIN, password_hash=hash_password(DEMO_PASSWORD),
                    created_at=utc_now())
        db.add(user)
        return user.username


def test_admin_previews_the_run_and_sees_it_done(page: Page):
    username = admin()
    place = new_place()
    prisoner = new_prisoner(place)
    due = [observe(place, prisoner, utc_now() - timedelta(days=400 + n)) for n in range(3)]
    schedule = retention_schedule.load()
    words = Messages(Locale.EN, ZONE)
    # the whole service's count, as the page's preview counts
    expected = retention_run.plan(unit_of_work, schedule, utc_now().astimezone(ZONE).date()
                                  ).summary()[RULE]
    assert expected["erase"] >= 3

    page.set_viewport_size(TABLET)
    sign_in(page, username)
    expect_path(page, "/admin")
    page.get_by_role("link", name="Retention").first.click()
    expect_path(page, "/retention")
    expect(page.get_by_role("heading", name="Retention", exact=True)).to_be_visible()
    rules = page.get_by_test_id("retention-rule")
    expect(rules).to_have_count(len(schedule.rules))
    first = rules.filter(has_text="Observation, never escalated").first
    expect(first).to_contain_text("when it happened")
    expect(first).to_contain_text("365 days")
    expect(first).to_contain_text("Erase")
    expect(rules.filter(has_text="Audit log")).to_contain_text("10 years")

    page.get_by_test_id("retention-preview-button").click()
    preview = page.get_by_test_id("retention-preview")
    expect(preview).to_contain_text(f"{rule_words(schedule, RULE, words)}: "
                                    f"{counts_words(expected, words, planned=True)}")
    screenshot(page, "retention-preview")

    result = retention_run.run(runtime.transaction, schedule, now=utc_now(), trigger="cli",
                               prison_ids=place.scope)
    assert result.summary[RULE] == {"erase": 3}
    with unit_of_work() as db:
        assert all(db.get(Observation, obs_id) is None for obs_id in due)

    page.set_viewport_size(DESKTOP)
    page.reload()
    run = page.get_by_test_id("retention-run").first
    expect(run).to_contain_text("Run from the command line")
    expect(run).to_contain_text(f"{rule_words(schedule, RULE, words)} — 3 erased")
    screenshot(page, "retention")

    # every word of the page from the catalogues: in the pseudo-locale, nothing outside ⟦⟧
    speaks(username, Locale.PSEUDO)
    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", Locale.PSEUDO.value)
    page.get_by_test_id("retention-preview-button").click()
    expect(page.get_by_test_id("retention-preview")).to_be_visible()
    expect(page.get_by_test_id("retention-run").first).to_be_visible()
    assert untranslated(page) == []
