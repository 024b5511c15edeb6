"""Every page read in the pseudo-locale: a word on screen outside the ⟦brackets⟧ that is not data
is a string left in code, not in the catalogues (issue 10)."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from app.clock import utc_now
from app.i18n.locales import Locale
from tests.e2e.conftest import TABLET, screenshot, sign_in, speaks
from tests.e2e.untranslated import untranslated
from tests.screening_data import flagged_item

PSEUDO_TEXT = "text=/⟦/"


def _read(page: Page, path: str, name: str) -> list[str]:
    page.goto(path)
    expect(page.locator(PSEUDO_TEXT).first).to_be_visible()
    page.wait_for_load_state("networkidle")
    screenshot(page, f"pseudo-{name}")
    return [f"{path}: {text}" for text in untranslated(page)]


def test_the_sign_in_page_speaks_only_from_the_catalogues(browser: Browser, base_url: str):
    context = browser.new_context(base_url=base_url, viewport=TABLET)
    context.add_cookies([{"name": "wingwatch_lang", "value": Locale.PSEUDO.value,
                          "url": base_url}])
    page = context.new_page()
    assert _read(page, "/login", "login") == []
    context.close()


def test_every_signed_in_page_speaks_only_from_the_catalogues(browser: Browser, base_url: str):
    case = flagged_item(utc_now())
    pages = {"officer1": ["/capture", "/entries", "/trends"],
             "screener1": ["/screening", f"/screening/{case}"],
             "security1": ["/trends"], "admin1": ["/admin"]}
    left = []
    for username, paths in pages.items():
        speaks(username, Locale.PSEUDO)
        context = browser.new_context(base_url=base_url, viewport=TABLET)
        page = context.new_page()
        sign_in(page, username)
        expect(page.locator(PSEUDO_TEXT).first).to_be_visible()
        for path in paths:
            left += _read(page, path, f"{username}{path.replace('/', '-')}")
        context.close()
    assert left == []
