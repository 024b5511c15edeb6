"""Every user-visible word, from gettext catalogues handled with Babel.

The message ids are the English texts, as gettext has it: code reads as what the user sees, and
English needs no catalogue of its own. The other locales have `po/<locale>.po`, written by
people; two are generated here rather than kept by hand:
- `sr-Cyrl` is `sr-Latn` letter for letter (app/text/translit.py), so the two scripts cannot drift;
- `en-XA` is the pseudo-locale: every English text accented, bracketed and 40 % longer, which the
  browser suite reads every page in to find text that did not come from a catalogue.

A catalogue is compiled with Babel when it is first used (read_po, then write_mo into memory) and
read through gettext, so plural forms follow each language's Plural-Forms (CLDR's rules).
Placeholders are named, in braces: `t("Due {when}", when=...)`.
"""

from __future__ import annotations

import io
import string
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from app.i18n import formats
from app.i18n.locales import Locale, babel_locale
from app.settings import get_settings
from app.text.translit import to_cyrillic

PO_DIR = Path(__file__).parent / "po"
DOMAIN = "messages"
_FIELDS = string.Formatter()


def N_(msgid: str) -> str:
    """Marks a text for extraction where it is only named, to be translated when it is shown."""
    return msgid


def N_plural(singular: str, plural: str) -> tuple[str, str]:
    """Marks a text with a plural for extraction where it is only named (one msgid with its
    msgid_plural, as `tn` reads it when it is shown)."""
    return singular, plural


def placeholders(text: str) -> set[str]:
    """The named placeholders of a text: {when}, {count}."""
    return {field for _, field, _, _ in _FIELDS.parse(text) if field}


def po_path(locale: Locale) -> Path:
    return PO_DIR / f"{locale.value}.po"


def written_by_hand(locale: Locale) -> bool:
    """Whether `locale` has a .po file of its own (English and the generated ones do not)."""
    return locale not in (Locale.EN, Locale.SR_CYRL, Locale.PSEUDO)


def read_catalog(locale: Locale) -> Catalog:
    """The locale's catalogue as Babel reads it (sr-Cyrl and en-XA made from their sources)."""
    if locale is Locale.SR_CYRL:
        return _transformed(read_catalog(Locale.SR_LATN), to_cyrillic, locale)
    if locale is Locale.PSEUDO:
        return _transformed(_template(), pseudo, locale, from_id=True)
    if locale is Locale.EN:
        return _template()
    with po_path(locale).open("rb") as handle:
        return read_po(handle, locale=babel_locale(locale), domain=DOMAIN)


def _template() -> Catalog:
    with (PO_DIR / f"{DOMAIN}.pot").open("rb") as handle:
        return read_po(handle, domain=DOMAIN)


def _transformed(source: Catalog, change, locale: Locale, *, from_id: bool = False) -> Catalog:
    """A catalogue whose every text is `change` of the source's translation (or of its id)."""
    out = Catalog(locale=babel_locale(locale), domain=DOMAIN)
    for message in source:
        if not message.id:
            continue
        text = message.id if from_id else message.string
        text = tuple(change(part) for part in text) if message.pluralizable else change(text)
        out.add(message.id, text, context=message.context)
    return out


@cache
def _translations(locale: Locale) -> Translations:
    buffer = io.BytesIO()
    write_mo(buffer, read_catalog(locale), use_fuzzy=False)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


# --- The pseudo-locale ------------------------------------------------------------------------

_ACCENTS = str.maketrans("aceinorsuyzACEINORSUYZ", "áçéîñöŕšüýžÁÇÉÎÑÖŔŠÜÝŽ")
PSEUDO_OPEN, PSEUDO_CLOSE = "⟦", "⟧"


def pseudo(text: str) -> str:
    """`⟦Šîĝñ öüţ·····⟧`: accented, bracketed and 40 % longer, placeholders left working."""
    out, length = [], 0
    for literal, field, spec, conversion in _FIELDS.parse(text):
        out.append(literal.translate(_ACCENTS))
        length += len(literal)
        if field is not None:
            out.append("{" + field + (f"!{conversion}" if conversion else "")
                       + (f":{spec}" if spec else "") + "}")
    padding = "·" * max(1, round(length * 0.4))
    return f"{PSEUDO_OPEN}{''.join(out)}{padding}{PSEUDO_CLOSE}"


# --- Rendering --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Messages:
    """One reader's language: texts from the catalogue, and CLDR formats of dates and numbers."""

    locale: Locale
    zone: ZoneInfo

    def t(self, msgid: str, /, **params: object) -> str:
        text = _translations(self.locale).gettext(msgid)
        return text.format(**params) if params else text

    def tn(self, singular: str, plural: str, count: int, /, **params: object) -> str:
        """A text with {count} in it, in the plural form the language has for `count`."""
        text = _translations(self.locale).ngettext(singular, plural, count)
        return text.format(count=self.number(count), **params)

    def number(self, value: float) -> str:
        return formats.format_number(value, self.locale)

    def percent(self, share: float, digits: int = 0) -> str:
        return formats.format_percent(share, self.locale, digits)

    def moment(self, value: datetime, width: formats.Width = "short") -> str:
        return formats.format_datetime(value, self.locale, self.zone, width)

    def day(self, value: date, width: formats.Width = "medium") -> str:
        return formats.format_date(value, self.locale, width)

    def parse_day(self, text: str) -> date | None:
        """A day typed in this locale's way (see formats.parse_day)."""
        return formats.parse_day(text, self.locale)

    def day_example(self, day: date) -> str:
        """The hint beside a typed day: `day` as this locale writes it for short."""
        return self.t("For example {day}", day=self.day(day, "short"))

    def relative(self, delta: timedelta) -> str:
        return formats.format_relative(delta, self.locale)


def speaking(locale: Locale) -> Messages:
    """`locale`'s texts, with dates in the prisons' zone (WINGWATCH_TIMEZONE)."""
    return Messages(locale, get_settings().zone)


def every_text(locale: Locale, *, where: str = "") -> dict[str, str | dict[str, str]]:
    """The catalogue's texts whose source is under `where` (a path prefix, "" for all), by
    message id: a text, or for a message with a number its forms by CLDR plural category ("one",
    "few", "other"), which is what `Intl.PluralRules` answers in the island."""
    translations = _translations(locale)
    out: dict[str, str | dict[str, str]] = {}
    for message in _template():
        if not message.id or not any(path.startswith(where) for path, _ in message.locations):
            continue
        if message.pluralizable:
            singular, plural = message.id
            out[singular] = {category: translations.ngettext(singular, plural, sample)
                             for category, sample in _samples(locale).items()}
        else:
            out[message.id] = translations.gettext(message.id)
    return out


@cache
def _samples(locale: Locale) -> dict[str, int]:
    """A whole number of each CLDR plural category the locale has (counts are whole here)."""
    found: dict[str, int] = {}
    for count in range(0, 200):
        found.setdefault(formats.plural_category(count, locale), count)
    return found
