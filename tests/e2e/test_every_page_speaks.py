"""Every page in a language (issue 10): in the pseudo-locale, a word on screen outside the
⟦brackets⟧ that is not data is a string left in code; in Serbian Cyrillic and Albanian, no text
of the catalogues is left in English. Screenshots of each page are kept for a person to look at."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from app.clock import utc_now
from app.i18n.locales import Locale
from tests.e2e.capture_steps import Island, open_capture, record, waiting
from tests.e2e.conftest import TABLET, screenshot, sign_in, speaks
from tests.e2e.untranslated import english_left, untranslated
from tests.screening_data import flagged_item

pytestmark = pytest.mark.one_leg  # rendering only: the SQLite leg's run is enough

LOCALES = [Locale.PSEUDO, Locale.SR_CYRL, Locale.SQ]


def _problems(page: Page, locale: Locale) -> list[str]:
    return untranslated(page) if locale is Locale.PSEUDO else english_left(page, locale)


def _read(page: Page, path: str, locale: Locale, name: str) -> list[str]:
    page.goto(path)
    expect(page.locator("html")).to_have_attribute("lang", locale.value)
    page.wait_for_load_state("networkidle")
    screenshot(page, f"{locale.value}-{name}")
    return [f"{path}: {text}" for text in _problems(page, locale)]


@pytest.mark.parametrize("locale", LOCALES, ids=str)
def test_the_sign_in_page_speaks_the_devices_language(browser: Browser, base_url: str,
                                                       locale: Locale):
    context = browser.new_context(base_url=base_url, viewport=TABLET)
    context.add_cookies([{"name": "wingwatch_lang", "value": locale.value, "url": base_url}])
    assert _read(context.new_page(), "/login", locale, "login") == []
    context.close()


@pytest.mark.parametrize("locale", LOCALES, ids=str)
def test_every_signed_in_page_speaks_the_accounts_language(browser: Browser, base_url: str,
                                                           locale: Locale):
    case = flagged_item(utc_now())
    pages = {"officer1": ["/capture", "/entries", "/trends"],
             "screener1": ["/screening", f"/screening/{case}", "/review"],
             "security1": ["/trends"], "admin1": ["/admin", "/retention"],
             "dpo1": ["/dpo", "/review"]}
    left = []
    for username, paths in pages.items():
        speaks(username, locale)
        context = browser.new_context(base_url=base_url, viewport=TABLET)
        page = context.new_page()
        sign_in(page, username)
        expect(page).not_to_have_url(re.compile(r"/login"))
        for path in paths:
            left += _read(page, path, locale, f"{username}{path.replace('/', '-')}")
        context.close()
    assert left == []


def test_the_capture_journey_speaks_only_from_the_catalogues(page: Page, context: BrowserContext):
    """Each step shows texts of its own (the picker, a category open, the flag's reason, the
    outbox, offline): each is read."""
    speaks("officer1", Locale.PSEUDO)
    words = Island(Locale.PSEUDO)
    open_capture(page, words=words)
    left = untranslated(page)
    page.get_by_role("searchbox", name=words.t("Prisoner")).fill("a")
    expect(page.get_by_role("option").first).to_be_visible()
    left += untranslated(page)
    context.set_offline(True)
    record(page, "Shouted at staff on the landing.", words=words, flag_reason="Threats")
    left += untranslated(page)
    page.reload()
    expect(waiting(page, 1, words)).to_be_visible()
    left += untranslated(page)
    screenshot(page, "en-XA-capture-offline")
    assert left == []
