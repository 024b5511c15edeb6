"""The officer's journeys on the wing tablet (issue 4), offline and online, in Chromium 768×1024.

Every entry a test makes is accounted for at the end: on the server exactly once, or still on
the tablet where the journey says it must be.
"""

from __future__ import annotations

import gzip
import json
import uuid
from datetime import UTC, datetime, timedelta

from playwright.sync_api import BrowserContext, Page, Route, expect
from sqlalchemy import select, update

from app.db import unit_of_work
from app.i18n.locales import Locale
from app.models import Prison, Prisoner, WebSession, Wing
from app.services.demo import PRISON_CODE
from tests.e2e.capture_steps import (
    ENGLISH,
    FIRST_CATEGORY,
    Island,
    authors,
    occurred_at,
    open_capture,
    open_items_for,
    record,
    stored_count,
    tablet_entries,
    unlock,
    waiting,
    written_in,
)
from tests.conftest import TEST_PASSWORD
from tests.e2e.conftest import ROOT, expect_path, screenshot, sign_in, speaks
from tests.screening_data import observe


def words() -> str:
    return f'Said "{uuid.uuid4().hex[:12]} will pay for this" at the servery.'


def test_offline_entries_survive_reloads_and_reach_the_server_once(page: Page,
                                                                    context: BrowserContext):
    open_capture(page)
    context.set_offline(True)
    page.reload()
    expect(waiting(page, 0)).to_be_visible()
    facts = [words() for _ in range(3)]
    record(page, facts[0])
    record(page, facts[1], flag_reason="Threatened the landing officer.")
    record(page, facts[2])
    # Seconds offline by now: elsewhere Reflex would show its toast; here only our indicator.
    expect(page.get_by_text("Cannot connect to server")).to_be_hidden()
    page.reload()
    expect(waiting(page, 3)).to_be_visible()
    expect(page.get_by_text("Offline", exact=True)).to_be_visible()
    screenshot(page, "capture-offline")
    entries = tablet_entries(page)
    assert len(entries) == 3
    stored = json.dumps(entries)
    assert not any(text in stored for text in facts)  # sealed: no plaintext on the tablet
    ids = [entry["id"] for entry in entries]

    context.set_offline(False)
    page.get_by_role("button", name="Send now").click()
    expect(waiting(page, 0)).to_be_visible(timeout=30000)
    assert stored_count(ids) == 3
    assert set(open_items_for(ids).values()) == {1}
    page.get_by_role("link", name="My entries").click()
    rows = page.get_by_role("row")
    expect(rows.filter(has_text="Flagged for screening")).to_have_count(1)
    expect(rows.filter(has_text="Received")).to_have_count(2)
    expect(rows.filter(has_text=ENGLISH.category(FIRST_CATEGORY))).to_have_count(3)
    screenshot(page, "entries")


def test_the_offline_journey_in_serbian_cyrillic(page: Page, context: BrowserContext):
    speaks("officer1", Locale.SR_CYRL)
    cyrl = Island(Locale.SR_CYRL)
    open_capture(page, words=cyrl)
    assert page.evaluate("document.documentElement.lang") == "sr-Cyrl"
    context.set_offline(True)
    record(page, words(), words=cyrl)  # up to the island's "Saved on this tablet", in sr-Cyrl
    page.reload()
    expect(waiting(page, 1, cyrl)).to_be_visible()
    expect(page.get_by_text(cyrl.t("Offline"), exact=True)).to_be_visible()
    # Offline the page knows the officer's language only from what the tablet remembered.
    assert page.evaluate("document.documentElement.lang") == "sr-Cyrl"
    screenshot(page, "capture-offline-sr-Cyrl")
    [entry] = tablet_entries(page)
    assert entry["locale"] == "sr-Cyrl"

    context.set_offline(False)
    page.get_by_role("button", name=cyrl.t("Send now")).click()
    expect(waiting(page, 0, cyrl)).to_be_visible(timeout=30000)
    assert stored_count([entry["id"]]) == 1
    assert written_in(entry["id"]) == "sr-Cyrl"


def test_an_entry_waiting_more_than_a_day_raises_a_warning(page: Page, context: BrowserContext):
    page.clock.install()
    open_capture(page)
    context.set_offline(True)
    record(page, words())
    warning = page.get_by_role("alert").filter(has_text="waited more than 24 hours")
    expect(warning).to_have_count(0)
    page.clock.fast_forward("24:05:00")
    page.get_by_role("button", name="Send now").click()
    expect(warning).to_be_visible()
    ids = [entry["id"] for entry in tablet_entries(page)]
    context.set_offline(False)
    lock = page.get_by_role("dialog", name="Locked")  # a day without input locked the page
    lock.get_by_label("Password").fill("wingwatch-demo")
    lock.get_by_role("button", name="Unlock").click()
    page.get_by_role("button", name="Send now").click()
    expect(waiting(page, 0)).to_be_visible(timeout=30000)
    expect(warning).to_have_count(0)
    assert stored_count(ids) == 1


def test_a_lost_response_is_retried_and_stored_once(page: Page):
    open_capture(page)
    lost = []

    def lose_first_answer(route: Route) -> None:
        if not lost:
            lost.append(route.fetch())  # the server stores the batch...
            route.fulfill(status=500, body="{}")  # ...but the tablet never hears back
        else:
            route.continue_()

    page.route("**/api/v1/observations/sync", lose_first_answer)
    record(page, words())
    expect(page.get_by_text("Offline", exact=True)).to_be_visible(timeout=15000)
    page.get_by_role("button", name="Send now").click()
    expect(waiting(page, 0)).to_be_visible(timeout=30000)
    ids = [entry["id"] for entry in tablet_entries(page)]
    assert lost and stored_count(ids) == 1


def test_an_expired_session_keeps_entries_until_the_officer_signs_in_again(
        page: Page, context: BrowserContext):
    open_capture(page)
    context.set_offline(True)
    record(page, words())
    with unit_of_work() as db:  # the shift's session ends while the tablet is offline
        db.execute(update(WebSession).values(ended_at=datetime.now().astimezone(),
                                             end_reason="expired")
                   .where(WebSession.ended_at.is_(None)))
    context.set_offline(False)
    page.get_by_role("button", name="Send now").click()
    expect(page.get_by_role("link", name="Sign in again to send")
           .or_(page.get_by_role("button", name="Sign in"))).to_be_visible(timeout=30000)
    ids = [entry["id"] for entry in tablet_entries(page)]
    assert stored_count(ids) == 0
    sign_in(page, "officer1")
    expect(waiting(page, 0)).to_be_visible(timeout=30000)
    assert stored_count(ids) == 1 and authors(ids) == {"officer1"}


def test_two_tabs_never_send_the_same_entry(page: Page, context: BrowserContext):
    open_capture(page)
    other = context.new_page()
    other.goto("/capture")
    unlock(other)  # a new tab holds no key to the tablet's data: the password once
    expect(waiting(other)).to_be_visible(timeout=30000)
    posted: list[str] = []
    context.on("request", lambda request: posted.extend(
        item["id"] for item in json.loads(request.post_data or "{}").get("items", []))
        if request.url.endswith("/api/v1/observations/sync") else None)
    context.set_offline(True)
    for _ in range(3):
        record(page, words())
    ids = [entry["id"] for entry in tablet_entries(page)]
    context.set_offline(False)  # both tabs hear "online" and try to send
    page.get_by_role("button", name="Send now").click()
    other.get_by_role("button", name="Send now").click()
    expect(waiting(page, 0)).to_be_visible(timeout=30000)
    expect(waiting(other, 0)).to_be_visible(timeout=30000)
    assert sorted(posted) == sorted(ids)
    assert stored_count(ids) == 3


def test_the_form_refuses_a_time_in_the_future(page: Page):
    open_capture(page)
    # Minutes ahead, not hours: after 22:00 in the prisons' zone two hours on is tomorrow, a day
    # the form does not offer at all (it failed there on a fresh clone).
    record(page, words(), when=datetime.now().astimezone() + timedelta(minutes=3), saved=False)
    expect(page.get_by_role("alert")).to_have_text('"When" cannot be in the future.')
    assert tablet_entries(page) == []


def test_the_time_chosen_is_the_instant_sent(page: Page, context: BrowserContext):
    open_capture(page)
    when = (datetime.now().astimezone() - timedelta(days=2)).replace(second=0, microsecond=0)
    # Saved offline first, so "0 waiting" below is after the send, not before the save.
    context.set_offline(True)
    record(page, words(), when=when)
    expect(waiting(page, 1)).to_be_visible()
    context.set_offline(False)
    page.get_by_role("button", name="Send now").click()
    expect(waiting(page, 0)).to_be_visible(timeout=30000)
    [entry] = tablet_entries(page)
    assert datetime.fromisoformat(entry["summary"]["occurred_at"]) == when
    stored = occurred_at(entry["id"])
    assert (stored if stored.tzinfo else stored.replace(tzinfo=UTC)) == when


def test_a_rejected_entry_is_shown_with_the_reason_until_dismissed(page: Page):
    # The tablet's clock is 40 days behind: to it the entry is new, to the server too old.
    page.clock.install(time=datetime.now() - timedelta(days=40))
    open_capture(page)
    record(page, words())
    problems = page.get_by_role("region", name="Entries the server did not accept")
    expect(problems).to_contain_text("older than 30 days", timeout=30000)
    expect(waiting(page, 0)).to_be_visible()
    problems.get_by_role("button", name="Dismiss").click()
    expect(problems).to_have_count(0)


def test_a_shared_tablet_keeps_each_officers_entries_apart(page: Page):
    open_capture(page, "officer1")
    page.route("**/api/v1/observations/sync", lambda route: route.abort())  # no signal here
    record(page, words())
    record(page, words())
    expect(waiting(page, 2)).to_be_visible()
    ids = [entry["id"] for entry in tablet_entries(page)]
    page.once("dialog", lambda dialog: dialog.accept())  # "2 waiting to send... Sign out?"
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()

    page.unroute("**/api/v1/observations/sync")
    open_capture(page, "officer2")
    expect(waiting(page, 0)).to_be_visible()
    expect(page.get_by_text("Officer Driton Rama")).to_be_visible()
    assert stored_count(ids) == 0
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()

    sign_in(page, "officer1")
    expect(waiting(page, 0)).to_be_visible(timeout=30000)
    assert stored_count(ids) == 2 and authors(ids) == {"officer1"}


def test_the_page_locks_when_idle_and_unlocks_offline_with_the_password(
        page: Page, context: BrowserContext):
    page.clock.install()
    open_capture(page)
    context.set_offline(True)
    page.clock.fast_forward("05:05")
    lock = page.get_by_role("dialog", name="Locked")
    expect(lock).to_be_visible()
    expect(page.get_by_role("button", name="Save")).to_have_count(0)
    lock.get_by_label("Password").fill("not my password")
    lock.get_by_role("button", name="Unlock").click()
    expect(lock.get_by_role("alert")).to_have_text("That password is not right.")
    lock.get_by_label("Password").fill("wingwatch-demo")
    lock.get_by_role("button", name="Unlock").click()
    expect(page.get_by_role("button", name="Save")).to_be_visible()


def test_a_new_release_waits_for_a_clean_form_then_reloads_at_once(page: Page):
    open_capture(page)
    worker = ROOT / ".web" / "build" / "client" / "sw.js"
    served = [worker, worker.with_name("sw.js.gz")]  # the server prefers the compressed copy
    originals = [path.read_bytes() for path in served]
    release = originals[0] + b"\n// the next release\n"
    try:
        worker.write_bytes(release)
        served[1].write_bytes(gzip.compress(release))
        page.get_by_label("What you saw or heard").fill("Half-written, not saved yet.")
        page.evaluate("window.beforeUpdate = true; "
                      "navigator.serviceWorker.getRegistration().then((r) => r.update())")
        page.wait_for_function(
            "async () => !!(await navigator.serviceWorker.getRegistration()).waiting")
        page.wait_for_timeout(6000)  # two of the page's 5-second checks pass while dirty
        assert page.evaluate("window.beforeUpdate") is True
        expect(page.get_by_label("What you saw or heard")).to_have_value(
            "Half-written, not saved yet.")
        page.get_by_label("What you saw or heard").fill("")
        page.wait_for_function("() => window.beforeUpdate === undefined")  # reloaded
        expect(page.get_by_role("button", name="Save")).to_be_visible()
    finally:
        for path, content in zip(served, originals):
            path.write_bytes(content)


def test_a_blip_at_the_token_request_is_retried_not_taken_for_sign_in_again(
        page: Page, context: BrowserContext):
    page.clock.install()
    open_capture(page)
    context.set_offline(True)
    page.reload()  # an offline start: the page holds no token
    record(page, words())
    expect(waiting(page, 1)).to_be_visible()
    # Timers stand still from here: no backoff retry can send, only "Send now" can.
    page.clock.pause_at(page.evaluate("Date.now() / 1000 + 1"))  # seconds, a second on
    blips: list[str] = []

    def drop_once(route: Route) -> None:
        if blips:
            route.continue_()
        else:
            blips.append(route.request.url)
            route.abort("internetdisconnected")  # the network was there for a few ms only

    page.route("**/api/v1/auth/session-token", drop_once)
    # The health check passes, then the token request fails: the path that used to pause.
    with page.expect_event("requestfailed", lambda request: "/auth/session-token" in request.url):
        context.set_offline(False)
    page.get_by_role("button", name="Send now").click()
    expect(waiting(page, 0)).to_be_visible()  # at once: within the default 5 s, timers frozen
    assert len(blips) == 1
    expect(page.get_by_role("link", name="Sign in again to send")).to_have_count(0)
    ids = [entry["id"] for entry in tablet_entries(page)]
    assert stored_count(ids) == 1


def test_after_the_lock_a_reload_or_a_new_tab_shows_the_lock_screen_until_the_password(
        page: Page, context: BrowserContext):
    page.clock.install()
    open_capture(page)
    page.route("**/api/v1/observations/sync", lambda route: route.abort())  # no signal here
    record(page, words())  # before the clock moves: the server refuses entries from the future
    page.clock.fast_forward("05:05")
    lock = page.get_by_role("dialog", name="Locked")
    expect(lock).to_be_visible()
    page.reload()
    expect(lock).to_be_visible()
    expect(page.get_by_role("button", name="Save")).to_have_count(0)
    other = context.new_page()
    other.goto("/capture")
    expect(other.get_by_role("dialog", name="Locked")).to_be_visible(timeout=30000)
    expect(other.get_by_role("button", name="Save")).to_have_count(0)
    other.close()
    screenshot(page, "capture-locked")
    unlock(page, "not my password")
    expect(lock.get_by_role("alert")).to_have_text("That password is not right.")
    unlock(page)
    page.unroute("**/api/v1/observations/sync")
    page.get_by_role("button", name="Send now").click()  # the server session is unlocked too
    expect(waiting(page, 0)).to_be_visible(timeout=30000)
    assert stored_count([entry["id"] for entry in tablet_entries(page)]) == 1


def test_an_entry_dropped_into_the_officers_outbox_is_never_sent(page: Page):
    open_capture(page)
    forged = page.evaluate("""async () => {
        const { seal } = await import("/island/seal.js");
        const token = (await (await fetch("/api/v1/auth/session-token", { method: "POST",
            headers: { "X-Wingwatch": "capture" } })).json()).access_token;
        const boot = await (await fetch("/api/v1/bootstrap",
            { headers: { Authorization: `Bearer ${token}` } })).json();
        const payload = { prisoner_id: boot.roster[0].id, occurred_at: new Date().toISOString(),
            recorded_at: new Date().toISOString(), location: boot.locations[0].code,
            catalogue_version: boot.catalogue.version,
            indicators: [boot.catalogue.categories[0].indicators[0].code],
            facts: "Written by someone else.", assessment: null, source: "direct",
            concern: "high", flag: false, flag_reason: null };
        const entry = { id: crypto.randomUUID(), officerId: boot.user.id,
            sealed: await seal(payload, boot.sealing_key), tag: "AAAA", createdAt: Date.now(),
            state: "waiting", attempts: 0,
            summary: { occurred_at: payload.occurred_at, wing: "A", categories: [], flag: false } };
        await new Promise((resolve, reject) => {
            const open = indexedDB.open("wingwatch");
            open.onsuccess = () => {
                const tx = open.result.transaction("entries", "readwrite");
                tx.objectStore("entries").add(entry);
                tx.oncomplete = resolve;
                tx.onerror = () => reject(tx.error);
            };
        });
        return entry.id;
    }""")
    page.get_by_role("button", name="Send now").click()
    problems = page.get_by_role("region", name="Entries the server did not accept")
    expect(problems).to_contain_text("not sent", timeout=30000)
    expect(waiting(page, 0)).to_be_visible()
    assert stored_count([forged]) == 0


def test_my_entries_shows_the_newest_twenty_and_older_ones_on_asking(page: Page, make_user):
    officer = make_user("officer", ("A",))
    with unit_of_work() as db:
        prisoner = db.scalar(select(Prisoner.id).join(Wing).join(Prison, Prison.id == Wing.prison_id)
                             .where(Prison.code == PRISON_CODE, Wing.code == "A").limit(1))
    now = datetime.now().astimezone()
    for hours in range(23):
        observe(prisoner, flag=False, author=officer, now=now,
                occurred_at=now - timedelta(hours=hours))
    sign_in(page, officer, TEST_PASSWORD)
    expect_path(page, "/capture")
    page.goto("/entries")
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(20)
    older = page.get_by_role("button", name="Older")
    older.click()
    expect(rows).to_have_count(23)
    expect(older).to_have_count(0)
