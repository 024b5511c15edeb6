"""The language the pages speak: the signed-in user's locale, or before sign-in the device's.

The pages' words are one dictionary (message id → text in this locale) that components read
through components/words.t, so a page's text changes with the locale without a rebuild; texts
with numbers, dates or names in them are rendered on the server, through `messages(state)`.
"""

from __future__ import annotations

from functools import cache
from types import MappingProxyType

import reflex as rx

from app.i18n.locales import DEFAULT, ENDONYMS, Locale
from app.i18n.messages import Messages, every_text, speaking
from app.i18n.negotiation import from_accept_language, offered_locale, on_offer
from app.vocabulary import parse
from state.identity import cookie_value

DEVICE_COOKIE = "wingwatch_lang"  # set by assets/wingwatch.js: the language chosen on this device


@cache
def _words(locale: Locale) -> MappingProxyType:
    return MappingProxyType({msgid: text for msgid, text in every_text(locale).items()
                             if isinstance(text, str)})


def offered() -> list[list[str]]:
    """[code, endonym] of each locale a user may pick (the pseudo-locale only in tests)."""
    return [[locale.value, ENDONYMS[locale]] for locale in on_offer()]


def device_locale(cookie_header: str, accept_language: str) -> Locale:
    """Before sign-in: the language chosen on this device, else the browser's, else English."""
    chosen = offered_locale(cookie_value(cookie_header, DEVICE_COOKIE))
    return chosen or from_accept_language(accept_language) or DEFAULT


class LanguageState(rx.State):
    locale: str = ""
    words: dict[str, str] = {}
    choices: list[list[str]] = []


async def speak(state: rx.State, locale: Locale) -> None:
    """From now on the tab's pages speak `locale`."""
    language = await state.get_state(LanguageState)
    if language.locale != locale.value:
        language.locale = locale.value
        language.words = dict(_words(locale))
    if not language.choices:
        language.choices = offered()


async def messages(state: rx.State) -> Messages:
    """The tab's language, for texts rendered on the server (dates, counts, names)."""
    language = await state.get_state(LanguageState)
    return speaking(parse(Locale, language.locale) or DEFAULT)
