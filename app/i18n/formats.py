"""Dates, numbers, durations and plural categories from CLDR through Babel, per Wingwatch locale.

Moments are aware datetimes (the database hands back UTC); they are shown in `zone`, the prisons'
local time. Every week starts on Monday, which the CLDR data of every locale agrees with
(tests/test_i18n_formats.py checks it).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
import re
from copy import copy
from typing import Literal, cast
from zoneinfo import ZoneInfo

from babel import dates, numbers

from app.i18n.locales import Locale, babel_locale

Width = Literal["short", "medium", "long", "full"]
PluralCategory = Literal["zero", "one", "two", "few", "many", "other"]


# CLDR's Albanian time is on the 12-hour clock ("4:31 m.d."); the prison services of Albania and
# Kosovo* write the 24-hour one, as every other locale here does.
_CLOCK: dict[Locale, str] = {Locale.SQ: "HH:mm"}


def format_datetime(moment: datetime, locale: Locale, zone: ZoneInfo,
                    width: Width = "medium") -> str:
    """A moment as the locale writes a date and time, in the prisons' zone: the date in `width`,
    the time always to the minute (a screener needs no seconds)."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: say which zone it is in")
    where = babel_locale(locale)
    local = moment.astimezone(zone)
    day = dates.format_date(local.date(), width, locale=where)
    clock = dates.format_time(local, _CLOCK.get(locale, "short"), tzinfo=zone, locale=where)
    return where.datetime_formats[width].format(clock, day)


def format_date(day: date, locale: Locale, width: Width = "medium") -> str:
    """A calendar day (already in the prisons' zone) as the locale writes it."""
    return dates.format_date(day, width, locale=babel_locale(locale))


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_day(text: str, locale: Locale) -> date | None:
    """A day as a person of `locale` types it ("1. 12. 2026.", "01/12/2026", "1.12.26") or as
    ISO 8601; None for anything that is not one day between 1900 and 9998. Babel reads the
    order of day, month and year from the locale's own pattern, so no US order slips in."""
    text = text.strip()
    try:
        day = (date.fromisoformat(text) if _ISO_DAY.fullmatch(text)
               else dates.parse_date(text, locale=babel_locale(locale), format="short"))
    except (ValueError, IndexError, TypeError, OverflowError):
        return None
    return day if 1900 <= day.year <= 9998 and re.search(r"\d", text) else None


def format_number(value: float, locale: Locale) -> str:
    return numbers.format_decimal(value, locale=babel_locale(locale))


def format_percent(share: float, locale: Locale, digits: int = 0) -> str:
    """A share (0.25) as a percentage ("25 %" or "25%", as the locale spaces it), with `digits`
    decimals ("16,4 %")."""
    where = babel_locale(locale)
    pattern = copy(where.percent_formats[None])
    pattern.frac_prec = (digits, digits)
    return pattern.apply(share, where)


def format_relative(delta: timedelta, locale: Locale) -> str:
    """A duration from now: positive is ahead ("in 3 hours"), negative behind ("3 hours ago")."""
    return dates.format_timedelta(delta, add_direction=True, locale=babel_locale(locale))


def plural_category(count: float, locale: Locale) -> PluralCategory:
    """The CLDR plural category of `count` in the locale, the key a catalogue's forms are chosen by."""
    return cast(PluralCategory, babel_locale(locale).plural_form(count))


def first_week_day(locale: Locale) -> int:
    """The first day of the week in the locale, 0 being Monday (as `date.weekday()` counts)."""
    return babel_locale(locale).first_week_day


def island_calendar(locale: Locale) -> dict:
    """CLDR's date patterns and names for the capture island, which formats dates itself:
    the browsers' Intl lacks some of these locales (Chromium has no Albanian or Macedonian
    dates, and Bosnian falls back to the root locale), and tablets must not show English."""
    where = babel_locale(locale)
    weekday = dates.match_skeleton("MMMMEEEEd", where.datetime_skeletons.keys())
    clock = _CLOCK.get(locale) or where.time_formats["short"].pattern
    day = where.date_formats["medium"].pattern
    names = {context: {width: [where.months[context][width][m] for m in range(1, 13)]
                       for width in ("wide", "abbreviated")}
             for context in ("format", "stand-alone")}
    symbols = where.number_symbols["latn"]
    return {
        "patterns": {
            "day": day,
            "moment": where.datetime_formats["medium"].format(clock, day),
            # The long weekday, whatever width the locale's skeleton match gave it.
            "weekday": re.sub(r"(?<![E'])E{1,3}(?!E)", "EEEE",
                              where.datetime_skeletons[weekday].pattern),
        },
        "months": names["format"], "months_alone": names["stand-alone"],
        # By JavaScript's getDay(): Sunday first.
        "days": {width: [where.days["format"][width][(n + 6) % 7] for n in range(7)]
                 for width in ("wide", "abbreviated")},
        "decimal": symbols["decimal"], "group": symbols["group"],
    }
