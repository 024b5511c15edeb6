"""Dates, numbers, durations and plural categories from CLDR through Babel, per Wingwatch locale.

Moments are aware datetimes (the database hands back UTC); they are shown in `zone`, the prisons'
local time. Every week starts on Monday, which the CLDR data of every locale agrees with
(tests/test_i18n_formats.py checks it).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
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
