"""CLDR formats through Babel for every Wingwatch locale (issue 10, items 1 and 3).

The expected strings are CLDR's own words for each language, written out here so a wrong Babel
locale in the mapping (say American English, or Serbian where Montenegrin data is asked for)
shows up as a different text, not as a second call to the same function.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.i18n.formats import (
    first_week_day,
    format_date,
    format_datetime,
    format_number,
    format_percent,
    format_relative,
    island_calendar,
    plural_category,
)
from app.i18n.locales import SPOKEN, Locale, babel_locale

ZONE = ZoneInfo("Europe/Belgrade")  # the prisons of the region share central European time
MOMENT = datetime(2026, 11, 30, 15, 31, tzinfo=UTC)  # 16:31 in the prisons' zone
SERBIAN_FAMILY = (Locale.SR_CYRL, Locale.SR_LATN, Locale.BS, Locale.HR, Locale.CNR)


def _spaces(text: str) -> str:
    """CLDR puts (narrow) no-break spaces in numbers and dates; compare them as plain spaces."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def test_the_locales_are_the_issues_tags() -> None:
    assert [locale.value for locale in SPOKEN] == [
        "sq", "sr-Cyrl", "sr-Latn", "mk", "bs", "hr", "cnr", "en"]


def test_montenegrin_is_formatted_with_serbian_latin_of_montenegro() -> None:
    cldr = babel_locale(Locale.CNR)
    assert (cldr.language, cldr.script, cldr.territory) == ("sr", "Latn", "ME")


@pytest.mark.parametrize("locale", list(Locale))
def test_no_locale_writes_dates_the_american_way(locale: Locale) -> None:
    for width in ("short", "medium"):
        text = format_datetime(MOMENT, locale, ZONE, width)
        assert not re.search(r"\b11/30\b|\bPM\b|\bAM\b", text), text
        assert not re.search(r"\d:\d\d:\d\d", text), text  # to the minute, no seconds
        # The day comes first in every locale of the region.
        assert re.match(r"\D*30\b", text), text


@pytest.mark.parametrize(("locale", "expected"), [
    (Locale.SQ, "30.11.26, 16:31"),
    (Locale.SR_CYRL, "30. 11. 2026. 16:31"),
    (Locale.SR_LATN, "30. 11. 2026. 16:31"),
    (Locale.MK, "30.11.2026 г., 16:31"),
    (Locale.BS, "30. 11. 2026. 16:31"),
    (Locale.HR, "30. 11. 26. 16:31"),
    (Locale.CNR, "30. 11. 2026. 16:31"),
    (Locale.EN, "30/11/2026, 16:31"),
])
def test_short_date_and_time_in_the_prisons_zone(locale: Locale, expected: str) -> None:
    assert _spaces(format_datetime(MOMENT, locale, ZONE, "short")) == expected


def test_the_zone_decides_the_day() -> None:
    late = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)  # already 1 December in the prisons
    assert _spaces(format_datetime(late, Locale.SR_LATN, ZONE, "short")) == "1. 12. 2026. 00:30"


def test_a_naive_moment_is_refused() -> None:
    with pytest.raises(ValueError):
        format_datetime(datetime(2026, 11, 30, 15, 31), Locale.EN, ZONE)


@pytest.mark.parametrize(("locale", "expected"), [
    (Locale.SQ, "30 nëntor 2026"),
    (Locale.SR_CYRL, "30. новембар 2026."),
    (Locale.SR_LATN, "30. novembar 2026."),
    (Locale.MK, "30 ноември 2026 г."),
    (Locale.BS, "30. novembar 2026."),
    (Locale.HR, "30. studenoga 2026."),
    (Locale.CNR, "30. novembar 2026."),
    (Locale.EN, "30 November 2026"),
])
def test_long_dates_in_each_language_and_script(locale: Locale, expected: str) -> None:
    assert _spaces(format_date(date(2026, 11, 30), locale, "long")) == expected


@pytest.mark.parametrize(("locale", "number", "percent"), [
    (Locale.SQ, "12 345,678", "26%"),
    (Locale.SR_CYRL, "12.345,678", "26%"),
    (Locale.SR_LATN, "12.345,678", "26%"),
    (Locale.MK, "12.345,678", "26 %"),
    (Locale.BS, "12.345,678", "26%"),
    (Locale.HR, "12.345,678", "26 %"),
    (Locale.CNR, "12.345,678", "26%"),
    (Locale.EN, "12,345.678", "26%"),
])
def test_numbers_and_percentages(locale: Locale, number: str, percent: str) -> None:
    assert _spaces(format_number(12345.678, locale)) == number
    assert _spaces(format_percent(0.256, locale)) == percent
    # One decimal where a share needs it, with the locale's decimal sign.
    decimal = "." if locale is Locale.EN else ","
    assert _spaces(format_percent(0.256, locale, 1)) == percent.replace("26", f"25{decimal}6")


@pytest.mark.parametrize(("locale", "ahead", "behind"), [
    (Locale.SQ, "pas 3 orësh", "3 orë më parë"),
    (Locale.SR_CYRL, "за 3 сата", "пре 3 сата"),
    (Locale.SR_LATN, "za 3 sata", "pre 3 sata"),
    (Locale.MK, "за 3 часа", "пред 3 часа"),
    (Locale.BS, "za 3 sata", "prije 3 sata"),
    (Locale.HR, "za 3 sata", "prije 3 sata"),
    (Locale.CNR, "za 3 sata", "pre 3 sata"),
    (Locale.EN, "in 3 hours", "3 hours ago"),
])
def test_relative_durations(locale: Locale, ahead: str, behind: str) -> None:
    assert _spaces(format_relative(timedelta(hours=3), locale)) == ahead
    assert _spaces(format_relative(-timedelta(hours=3), locale)) == behind


@pytest.mark.parametrize("locale", SERBIAN_FAMILY)
def test_serbian_bosnian_croatian_montenegrin_plurals(locale: Locale) -> None:
    counts = (1, 2, 5, 11, 12, 21, 22, 25, 111, 0)
    assert [plural_category(n, locale) for n in counts] == [
        "one", "few", "other", "other", "other", "one", "few", "other", "other", "other"]


def test_macedonian_plurals_have_their_own_rule() -> None:
    # One for every number ending in 1 except 11 (21, 31, 101), no "few": 2 to 4 are "other".
    counts = (1, 2, 5, 11, 21, 22, 25, 101, 111)
    assert [plural_category(n, Locale.MK) for n in counts] == [
        "one", "other", "other", "other", "one", "other", "other", "one", "other"]


@pytest.mark.parametrize("locale", (Locale.SQ, Locale.EN))
def test_albanian_and_english_plurals(locale: Locale) -> None:
    counts = (0, 1, 2, 5, 21, 22, 25)
    assert [plural_category(n, locale) for n in counts] == [
        "other", "one", "other", "other", "other", "other", "other"]


@pytest.mark.parametrize("locale", list(Locale))
def test_weeks_start_on_monday(locale: Locale) -> None:
    assert first_week_day(locale) == 0


@pytest.mark.parametrize("locale", list(Locale), ids=str)
def test_the_islands_calendar_is_cldrs_on_the_24_hour_clock(locale: Locale) -> None:
    """The island formats dates from these (browsers lack some of the locales' data)."""
    calendar = island_calendar(locale)
    assert not re.search(r"[ahK]", re.sub(r"'[^']*'", "", calendar["patterns"]["moment"]))
    assert "EEEE" in calendar["patterns"]["weekday"]
    assert len(calendar["months"]["wide"]) == 12 and len(calendar["days"]["wide"]) == 7
    assert calendar["days"]["wide"][1] == babel_locale(locale).days["format"]["wide"][0]  # Monday
