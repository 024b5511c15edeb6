"""Finds visible text that did not come from the message catalogues.

Pages are read in the pseudo-locale en-XA, where every catalogue text is ⟦bracketed⟧. What is
left outside the brackets must be data: names, numbers, codes, dates (CLDR's month names are data
too), the product's name, the languages' own names; or free text marked with the language it was
written in (a `lang` attribute other than the page's). Anything else is a string left in code.
"""

from __future__ import annotations

import re
from functools import cache
from zoneinfo import ZoneInfo

from babel import dates
from playwright.sync_api import Page
from sqlalchemy import select

from app.db import unit_of_work
from app.i18n.locales import ENDONYMS, Locale
from app.i18n.messages import Messages, placeholders, read_catalog
from app.models import Prison, Prisoner, User, Wing
from tests.e2e.conftest import DEMO_PASSWORD

ZONE = ZoneInfo("Europe/Belgrade")
BRACKETED = re.compile(r"⟦[^⟦⟧]*⟧")
WORD = re.compile(r"[^\W\d_]{2,}")

# Every visible text node, option and accessible name or hint, with its element's language.
READ_PAGE = """() => {
  const page = document.documentElement.lang;
  const foreign = (el) => { const marked = el.closest("[lang]");
                            return !!marked && marked !== document.documentElement
                                   && marked.lang !== page; };
  const out = [document.title];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || !node.textContent.trim() || foreign(el)) continue;
    if (el.closest("script, style, noscript, [hidden], [aria-hidden=true]")) continue;
    if (el.tagName === "OPTION" || el.checkVisibility()) out.push(node.textContent);
  }
  for (const el of document.querySelectorAll("[placeholder], [aria-label], [title], [alt]")) {
    if (foreign(el) || !el.checkVisibility()) continue;
    for (const name of ["placeholder", "aria-label", "title", "alt"])
      if (el.getAttribute(name)) out.push(el.getAttribute(name));
  }
  return out;
}"""


def data_phrases() -> tuple[str, ...]:
    """Texts that are data here: people's, prisons' and wings' names, month and day names;
    longest first, so "Officer Ana Kostić" goes whole before any shorter name in it."""
    words: set[str] = {"Wingwatch", DEMO_PASSWORD}  # the demo sign-in page shows the password
    with unit_of_work() as db:
        for row in db.execute(select(Prisoner.given_name, Prisoner.family_name,
                                     Prisoner.number)):
            words.update(row)
        words.update(db.scalars(select(User.display_name)))
        words.update(db.scalars(select(User.username)))
        for row in db.execute(select(Prison.code, Prison.name)):
            words.update(row)
        for row in db.execute(select(Wing.code, Wing.name)):
            words.update(row)
    words.update(ENDONYMS.values())
    for width in ("abbreviated", "wide"):
        for context in ("format", "stand-alone"):
            words.update(dates.get_month_names(width, context, "en_GB").values())
            words.update(dates.get_day_names(width, context, "en_GB").values())
    return tuple(sorted((w for w in words if w), key=len, reverse=True))


def _unbracketed(text: str) -> str:
    """The text without its catalogue texts, inner ones first (a label inside a sentence)."""
    while (shorter := BRACKETED.sub(" ", text)) != text:
        text = shorter
    return text


def untranslated(page: Page) -> list[str]:
    """The page's visible texts that have a word from neither a catalogue nor the data."""
    left, data = [], data_phrases()  # read now: the tests add prisoners as they go
    for text in page.evaluate(READ_PAGE):
        rest = _unbracketed(text)
        for phrase in data:
            rest = rest.replace(phrase, " ")
        if WORD.search(rest):
            left.append(text.strip())
    return sorted(set(left))


@cache
def _english_only(locale: Locale) -> frozenset[str]:
    """The catalogue's English texts whose translation in `locale` says something else."""
    english, other = Messages(Locale.EN, ZONE), Messages(locale, ZONE)
    return frozenset(message.id for message in read_catalog(Locale.EN)
                     if isinstance(message.id, str) and message.id
                     and WORD.search(message.id) and other.t(message.id) != english.t(message.id)
                     and not placeholders(message.id))


@cache
def _english_calendar() -> re.Pattern[str]:
    """English month and day names: a browser without the locale's date data writes them."""
    names = {name for width in ("abbreviated", "wide") for context in ("format", "stand-alone")
             for table in (dates.get_month_names(width, context, "en_GB"),
                           dates.get_day_names(width, context, "en_GB"))
             for name in table.values() if len(name) >= 3}
    return re.compile(r"\b(?:" + "|".join(sorted(names, key=len, reverse=True)) + r")\b")


def english_left(page: Page, locale: Locale) -> list[str]:
    """The page's visible texts that are a catalogue text still in English, or a date with an
    English month or day name in it."""
    return sorted({text.strip() for text in page.evaluate(READ_PAGE)
                   if text.strip() in _english_only(locale)
                   or _english_calendar().search(text)})
