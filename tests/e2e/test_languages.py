"""The language of the pages (issue 10): chosen on the sign-in page and kept on the device,
switched from the header and kept on the account, and on a shared tablet the signed-in
officer's own, whatever the previous one spoke.

Expected texts come from the catalogue for that locale (Messages), not from this file: the
translations are filled in after the code. The pseudo-locale en-XA renders every catalogue text
bracketed (⟦…⟧), so on it any visible text that did not come from a catalogue is found.
"""

from __future__ import annotations

from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.db import unit_of_work
from app.clock import utc_now
from app.i18n.labels import ROLE_LABELS, STATE_LABELS
from app.i18n.locales import ENDONYMS, Locale
from app.i18n.messages import Messages
from app.models import User
from app.settings import get_settings
from app.vocabulary import ItemState, Role
from tests.e2e.conftest import DEMO_PASSWORD, expect_path, screenshot, sign_in, speaks
from tests.e2e.untranslated import untranslated
from tests.screening_data import flagged_item

DEVICE_COOKIE = "wingwatch_lang"
DEVICE_STORAGE = "wingwatch.deviceLocale"
BRAND = "Wingwatch"

def words(locale: Locale) -> Messages:
    return Messages(locale, get_settings().zone)


def expect_speaks(page: Page, locale: Locale, select_id: str) -> None:
    """The page is in `locale`: <html lang>, the language choice, and the page's own words."""
    expect(page.locator("html")).to_have_attribute("lang", locale.value)
    expect(page.locator(f"#{select_id}")).to_have_value(locale.value)
    expect(page.get_by_label(words(locale).t("Language"))).to_be_visible()


def sign_in_as(page: Page, username: str, locale: Locale) -> None:
    """The sign-in form, read in `locale` (conftest.sign_in reads it in English)."""
    say = words(locale).t
    page.get_by_label(say("Username")).fill(username)
    page.get_by_label(say("Password")).fill(DEMO_PASSWORD)
    page.get_by_role("button", name=say("Sign in")).click()


def test_the_sign_in_pages_language_applies_at_once_and_stays_on_the_device(page: Page):
    page.goto("/login")
    expect_speaks(page, Locale.EN, "login-language")  # the browser asks for en-US
    page.get_by_label("Language").select_option(Locale.PSEUDO.value)
    pseudo = words(Locale.PSEUDO)
    expect(page.get_by_role("heading", name=pseudo.t("Sign in"))).to_be_visible()
    expect_speaks(page, Locale.PSEUDO, "login-language")
    expect(page).to_have_title(f"{pseudo.t('Sign in')} — {BRAND}")
    page.get_by_text(pseudo.t("Demo accounts")).click()
    assert untranslated(page) == []
    screenshot(page, "login-en-XA")

    # Kept on the device, not in the tab: a reload, and a new tab, speak it before sign-in.
    assert page.evaluate(f"localStorage.getItem({DEVICE_STORAGE!r})") == Locale.PSEUDO.value
    assert {c["name"]: c["value"] for c in page.context.cookies()}[DEVICE_COOKIE] == "en-XA"
    page.reload()
    expect_speaks(page, Locale.PSEUDO, "login-language")
    other = page.context.new_page()
    other.goto("/login")
    expect_speaks(other, Locale.PSEUDO, "login-language")
    other.close()

    # Signed in, the pages speak the user's own language; signed out, the device's again.
    sign_in_as(page, "admin1", Locale.PSEUDO)
    expect_path(page, "/admin")
    expect_speaks(page, Locale.EN, "header-language")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    expect_path(page, "/login")
    expect_speaks(page, Locale.PSEUDO, "login-language")


def test_the_header_switch_changes_the_users_language_and_it_stays(page: Page):
    sign_in(page, "admin1")
    expect_path(page, "/admin")
    expect_speaks(page, Locale.EN, "header-language")
    page.get_by_label("Language").select_option(Locale.PSEUDO.value)
    pseudo = words(Locale.PSEUDO)
    expect(page.get_by_role("button", name=pseudo.t("Sign out"))).to_be_visible()
    expect_speaks(page, Locale.PSEUDO, "header-language")
    expect(page.get_by_role("heading", name=pseudo.t("Administration"))).to_be_visible()
    expect(page.get_by_text(pseudo.t(ROLE_LABELS[Role.ADMIN]), exact=True)).to_be_visible()
    expect(page.get_by_role("status", name=pseudo.t("Demo mode"))).to_be_visible()
    expect(page).to_have_title(f"{pseudo.t('Administration')} — {BRAND}")
    assert untranslated(page) == []
    header_holds(page, pseudo)
    screenshot(page, "header-en-XA")

    # The account's language, not the tab's: the next page, and a new tab, speak it too.
    with unit_of_work() as db:
        assert db.scalar(select(User.locale).where(User.username == "admin1")) == "en-XA"
    page.goto("/")
    expect_path(page, "/admin")
    expect_speaks(page, Locale.PSEUDO, "header-language")
    other = page.context.new_page()
    other.goto("/admin")
    expect(other.get_by_role("heading", name=pseudo.t("Administration"))).to_be_visible()
    expect_speaks(other, Locale.PSEUDO, "header-language")
    other.close()

    # The switch refuses what is not on offer, and changes nothing.
    page.locator("#header-language").evaluate(
        "el => { const o = new Option('x', 'de'); el.add(o); el.value = 'de';"
        " el.dispatchEvent(new Event('change', {bubbles: true})); }")
    page.reload()
    expect_speaks(page, Locale.PSEUDO, "header-language")
    with unit_of_work() as db:
        assert db.scalar(select(User.locale).where(User.username == "admin1")) == "en-XA"


def test_on_a_shared_tablet_each_officer_sees_their_own_language(page: Page):
    speaks("officer1", Locale.SR_LATN)
    speaks("officer2", Locale.SQ)
    for username, locale in (("officer1", Locale.SR_LATN), ("officer2", Locale.SQ)):
        page.goto("/login")
        # Between the two, the sign-in page speaks the device's language, not the last user's.
        expect_speaks(page, Locale.EN, "login-language")
        sign_in(page, username)
        expect_path(page, "/capture")
        expect(page.locator("html")).to_have_attribute("lang", locale.value)
        page.goto("/entries")
        say = words(locale).t
        expect(page.get_by_role("heading", name=say("My entries"))).to_be_visible()
        expect(page.get_by_role("button", name=say("Sign out"))).to_be_visible()
        expect(page.get_by_text(say(ROLE_LABELS[Role.OFFICER]), exact=True)).to_be_visible()
        expect_speaks(page, locale, "header-language")
        page.get_by_role("button", name=say("Sign out")).click()
        expect_path(page, "/login")


def test_cyrillic_pages_at_tablet_size(page: Page):
    """Screenshots for a person to look at: the sign-in page and the header in sr-Cyrl."""
    speaks("security1", Locale.SR_CYRL)
    page.goto("/login")
    page.get_by_label("Language").select_option(Locale.SR_CYRL.value)
    expect_speaks(page, Locale.SR_CYRL, "login-language")
    expect(page.locator("#login-language option:checked")).to_have_text(
        ENDONYMS[Locale.SR_CYRL])
    screenshot(page, "login-sr-Cyrl")
    sign_in_as(page, "security1", Locale.SR_CYRL)  # security1 works in sr-Cyrl
    expect_path(page, "/trends")
    expect_speaks(page, Locale.SR_CYRL, "header-language")
    screenshot(page, "header-sr-Cyrl")


def header_holds(page: Page, say: Messages) -> None:
    """At 768 px, with texts 40 % longer than English: every control of the header whole on
    the screen, none narrower or lower than a gloved finger needs."""
    width = (page.viewport_size or {})["width"]
    controls = [page.locator("#header-language"),
                page.get_by_role("button", name=say.t("Sign out")),
                page.get_by_role("navigation").get_by_role("link")]
    for control in controls:
        for box in (control.nth(i).bounding_box() for i in range(control.count())):
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, box
            assert box["height"] >= 44 and box["width"] >= 44, box


def test_a_language_switch_renders_the_pages_own_texts_again(page: Page):
    """A queue's status names and due times are rendered on the server: after the switch they
    are in the new language too, not only the header's words."""
    flagged_item(utc_now())
    sign_in(page, "screener1")
    expect_path(page, "/screening")
    english, albanian = words(Locale.EN), words(Locale.SQ)
    unclaimed = page.get_by_text(english.t(STATE_LABELS[ItemState.UNCLAIMED]), exact=True)
    expect(unclaimed.first).to_be_visible()
    page.get_by_label("Language").select_option(Locale.SQ.value)
    expect_speaks(page, Locale.SQ, "header-language")
    expect(page.get_by_text(albanian.t(STATE_LABELS[ItemState.UNCLAIMED]),
                            exact=True).first).to_be_visible()
    expect(unclaimed).to_have_count(0)
