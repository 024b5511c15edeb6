"""A security head's journeys (issue 6) in Chromium: the trends page at both sizes, small counts
withheld on the page and in the websocket frames, filters in the URL, exports audited.

The numbers come from a prison of the test's own (tests/trend_data.py), so other tests'
observations never change them.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select, update

from app.clock import utc_now
from app.db import unit_of_work
from app.i18n.locales import Locale
from app.i18n.messages import Messages
from app.models import AuditEntry, Prison, User
from app.services import trends
from app.services.passwords import hash_password
from app.views.trends import week_span
from tests.e2e.conftest import DEMO_PASSWORD, TABLET, expect_path, screenshot, sign_in, speaks
from tests.test_screening_views import ZONE
from tests.trend_data import TrendPrison, codes, new_prison, record

DESKTOP = {"width": 1280, "height": 800}


def prison_with_a_week_of_entries(locale: Locale = Locale.EN) -> tuple[TrendPrison, str]:
    """7 concern and 3 protective observations on wing X this week; the head can sign in and
    reads `locale`. Also the week's Monday as the page writes it there."""
    place = new_prison()
    now = utc_now()
    for n in range(10):
        kind = "concern" if n < 7 else "protective"
        record(place.officers[0], place.prisoners["X"][n % 4], hours_ago=0, now=now,
               indicators=(codes(kind)[n % 3],), flag=n == 0)
    with unit_of_work() as db:
        db.execute(update(User).where(User.id == place.head.user_id)
                   .values(password_hash=hash_password(DEMO_PASSWORD)))
    speaks(place.head.username, locale)
    return place, Messages(locale, ZONE).day(trends.week_of(now, ZONE))


def head_page(browser: Browser, base_url: str, place: TrendPrison, viewport=TABLET,
              frames: list | None = None, locale: Locale = Locale.EN) -> Page:
    page = browser.new_context(base_url=base_url, viewport=viewport,
                               accept_downloads=True).new_page()
    if frames is not None:
        page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: frames.append(payload)))
    sign_in(page, place.head.username)
    expect(page.get_by_role("heading", name=Messages(locale, ZONE).t("Trends"), exact=True)
           ).to_be_visible()
    return page


def table_row(page: Page, section: str, first_cell: str):
    card = page.locator(".ww-trend-section").filter(
        has=page.get_by_role("heading", name=section, exact=True))
    return card.get_by_role("row").filter(has=page.get_by_role("cell", name=first_cell,
                                                                exact=True))


def trend_values(frames: list) -> list:
    """Every value the server sent for the trends page's state."""
    found: list = []

    def walk(value, inside: bool) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, inside or "trends_state" in str(key))
        elif isinstance(value, list):
            for item in value:
                walk(item, inside)
        elif inside:
            found.append(value)

    for frame in frames:  # socket.io text frames: '42/_event,' then JSON
        text = frame if isinstance(frame, str) else frame.decode(errors="ignore")
        start = re.search(r"[\[{]", text)
        try:
            walk(json.loads(text[start.start():]), False) if start else None
        except json.JSONDecodeError:
            continue  # not a state update
    return found


def test_a_security_head_reads_the_week_with_small_counts_withheld(browser: Browser,
                                                                   base_url: str):
    place, this_week = prison_with_a_week_of_entries()
    frames: list = []
    page = head_page(browser, base_url, place, frames=frames)
    row = table_row(page, "Observations per week", this_week)
    # 10 - 7 would give the 3 away, so the 7 is withheld too, wherever it stands
    expect(row.get_by_role("cell")).to_have_text([this_week, "–", "<5", "10"])
    expect(table_row(page, "Flags per week", this_week).get_by_role("cell")).to_have_text(
        [this_week, "10", "<5", "–"])
    expect(table_row(page, "By wing", "Wing X").get_by_role("cell")).to_have_text(
        ["Wing X", "–", "<5"])
    expect(page.get_by_text(place.prisoners["X"][0])).to_have_count(0)
    screenshot(page, "trends")
    values = trend_values(frames)
    assert "<5" in values  # the frames were read
    assert not [v for v in values if v in (1, 2, 3, 4, 7, "1", "2", "3", "4", "7")]
    desktop = head_page(browser, base_url, place, DESKTOP)
    expect(table_row(desktop, "By wing", "Wing X")).to_be_visible()
    screenshot(desktop, "trends")


def test_filters_live_in_the_url_and_exports_are_audited(browser: Browser, base_url: str):
    place, this_week = prison_with_a_week_of_entries()
    page = head_page(browser, base_url, place, DESKTOP)
    page.get_by_role("combobox", name="Wing").click()
    page.get_by_role("option", name="Wing Y").click()
    expect(page).to_have_url(re.compile(r"/trends/?\?prison=T\w+&wing=Y$"))
    page.get_by_role("combobox", name="Period", exact=True).click()
    page.get_by_role("option", name="1 year").click()
    expect(page).to_have_url(re.compile(r"wing=Y&weeks=52$"))
    # The year is counted before the reload: a reload while it is still counting waits for it
    # (one event at a time per tab), which on a loaded machine outlasts an expect's patience.
    expect(page.get_by_text(re.compile(r"^52 weeks: "))).to_be_visible()
    page.reload()
    expect(page.get_by_text(re.compile(r"· Wing Y ·"))).to_be_visible()
    expect(table_row(page, "Observations per week", this_week).get_by_role("cell")
           ).to_have_text([this_week, "0", "0", "0"])
    with page.expect_download() as download:
        page.get_by_role("button", name="Download CSV").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert "Observations per week" in text and "Wing Y" in text
    page.get_by_role("button", name="Print").click()
    expect(page.get_by_role("status").filter(has_text="Print view opened. It is recorded")).to_be_visible()
    with unit_of_work() as db:
        rows = db.execute(select(AuditEntry.purpose, AuditEntry.detail).where(
            AuditEntry.actor_id == place.head.user_id, AuditEntry.action == "export")).all()
    assert sorted(rows) == [("trends csv", f"/trends?prison={_code(place)}&wing=Y&weeks=52"),
                            ("trends print", f"/trends?prison={_code(place)}&wing=Y&weeks=52")]


def _code(place: TrendPrison) -> str:
    with unit_of_work() as db:
        return db.scalar(select(Prison.code).where(Prison.id == place.prison_id))


def test_another_prison_in_the_url_shows_only_ones_own(browser: Browser, base_url: str):
    place, this_week = prison_with_a_week_of_entries()
    page = head_page(browser, base_url, place)
    page.goto("/trends?prison=DEMO&weeks=4")
    expect(page.get_by_text(re.compile(r"^Trend test prison \w+ · All wings"))).to_be_visible()
    expect(table_row(page, "Observations per week", this_week).get_by_role("cell")
           ).to_have_text([this_week, "–", "<5", "10"])


@pytest.mark.parametrize("username", ["officer1", "screener1", "admin1"])
def test_other_roles_cannot_open_trends(page: Page, username: str):
    sign_in(page, username)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.goto("/trends")
    expect_path(page, "/trends")
    expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()
    expect(page.get_by_role("heading", name="Observations per week")).to_have_count(0)


def test_trends_and_their_csv_in_macedonian(browser: Browser, base_url: str):
    """Headings, cells, the period's weeks and the CSV in the head's language (mk); the words
    are the catalogue's, whatever the translators have put there by now."""
    place, this_week = prison_with_a_week_of_entries(Locale.MK)
    mk = Messages(Locale.MK, ZONE)
    page = head_page(browser, base_url, place, DESKTOP, locale=Locale.MK)
    for heading in ("Observations per week", "By wing", "By indicator category",
                    "Flags per week", "Screening", "Indicators that rose most"):
        expect(page.get_by_role("heading", name=mk.t(heading), exact=True)).to_be_visible()
    expect(table_row(page, mk.t("Observations per week"), this_week).get_by_role("cell")
           ).to_have_text([this_week, mk.t("–"), mk.t("<5"), "10"])
    wing = mk.t("Wing {wing}", wing="X")
    expect(table_row(page, mk.t("By wing"), wing).get_by_role("cell")).to_have_text(
        [wing, mk.t("–"), mk.t("<5")])
    expect(page.get_by_role("columnheader", name=mk.t("Share flagged"))).to_be_visible()

    with page.expect_download() as download:
        page.get_by_role("button", name=mk.t("Download CSV")).click()
    data = Path(download.value.path()).read_bytes()
    assert data.startswith(codecs.BOM_UTF8)  # so Excel reads Cyrillic as Cyrillic
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][0] == mk.t("Wingwatch trends")
    start = rows.index([mk.t("Observations per week")])
    assert rows[start + 1] == [mk.t(h) for h in ("Week of", "Concern", "Protective", "All")]
    monday = trends.week_of(utc_now(), ZONE)
    assert [monday.isoformat(), mk.t("–"), mk.t("<5"), "10"] in rows  # ISO dates, plain digits
    assert mk.t("Flags per week") in {row[0] for row in rows if row}

    # the period ends with a week picked from a list written the Macedonian way
    page.get_by_role("combobox", name=mk.t("Period ending")).click()
    earlier = monday - timedelta(weeks=1)
    page.get_by_role("option", name=week_span(mk, earlier), exact=True).click()
    expect(page).to_have_url(re.compile(rf"end={earlier.isoformat()}$"))
    expect(table_row(page, mk.t("Observations per week"), mk.day(earlier)).get_by_role("cell")
           ).to_have_text([mk.day(earlier), "0", "0", "0"])


@pytest.mark.parametrize("locale", [Locale.PSEUDO, Locale.SR_CYRL], ids=str)
def test_the_page_holds_with_long_words_and_in_cyrillic(browser: Browser, base_url: str,
                                                        locale: Locale):
    """At both sizes: every control of the page is whole, on screen and big enough to touch;
    nothing pushes the page sideways. (tests/e2e/test_pseudo_locale.py reads it for words left
    out of the catalogues.)"""
    place, _ = prison_with_a_week_of_entries(locale)
    for viewport in (TABLET, DESKTOP):
        page = head_page(browser, base_url, place, viewport, locale=locale)
        expect(page.locator(".recharts-surface").first).to_be_visible()
        main = page.locator("main")
        for control in main.get_by_role("button").all() + main.get_by_role("combobox").all():
            box = control.bounding_box()
            assert box is not None and box["height"] >= 44, control
            assert 0 <= box["x"] and box["x"] + box["width"] <= viewport["width"], control
            assert control.evaluate("el => el.scrollWidth <= el.clientWidth + 1"), control
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        screenshot(page, f"trends-{locale.value}")
        page.context.close()
