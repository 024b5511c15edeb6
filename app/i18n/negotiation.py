"""Which of our locales a caller asked for: a code they chose, or their Accept-Language.

Plain Python, so the REST API (its error messages) and the Reflex pages (the sign-in page's
language before anyone has signed in) answer the same request in the same language.
"""

from __future__ import annotations

from babel import Locale as BabelLocale
from babel import UnknownLocaleError, negotiate_locale

from app.i18n.locales import SPOKEN, Locale
from app.settings import get_settings
from app.vocabulary import parse

_MOST_ASKED = 10  # Accept-Language entries read: a header of thousands costs no more


def on_offer() -> tuple[Locale, ...]:
    """The locales a user may pick: the pseudo-locale too when the tests turned it on."""
    return (*SPOKEN, Locale.PSEUDO) if get_settings().pseudo_locale else SPOKEN


def offered_locale(code: object) -> Locale | None:
    """The locale `code` names exactly, if it is on offer; None otherwise."""
    locale = parse(Locale, code)
    return locale if locale in on_offer() else None


def from_accept_language(header: str | None) -> Locale | None:
    """The best of our locales for an Accept-Language header, None when it names none of them."""
    asked = [part.split(";")[0].strip() for part in (header or "").split(",")][:_MOST_ASKED]
    offered = on_offer()
    by_tag = {locale.value.lower(): locale for locale in offered}
    # Babel answers in the caller's spelling ("sr-latn"), tags match whatever their case.
    found = negotiate_locale(asked, [locale.value for locale in offered], sep="-")
    return by_tag.get((found or "").lower()) or _by_language(asked, offered)


def _by_language(asked: list[str], offered: tuple[Locale, ...]) -> Locale | None:
    """"sr-RS" or "sr" asks for Serbian: Cyrillic, as Serbia's official script is (SPOKEN lists
    it first)."""
    for tag in asked:
        try:
            language = BabelLocale.parse(tag, sep="-").language
        except (ValueError, TypeError, UnknownLocaleError):  # client text: anything may come
            continue
        for locale in offered:
            if locale.value.split("-")[0] == language:
                return locale
    return None
