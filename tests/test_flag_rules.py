"""Rule R3 (pattern) on its own: pure function, frozen times."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.i18n.locales import Locale
from app.i18n.messages import Messages
from app.services import catalogue, flag_rules
from app.services.flag_rules import ConcernRecord

T0 = datetime(2026, 11, 1, 12, tzinfo=UTC)


def record(name: str, days: float, author: str = "a", categories=("C01",)) -> ConcernRecord:
    return ConcernRecord(name, T0 + timedelta(days=days), author, frozenset(categories))


def test_three_from_one_officer_in_one_category_do_not_fire():
    history = [record("x", 0), record("y", 1)]
    assert flag_rules.pattern(record("z", 2), history) is None


def test_three_from_two_officers_within_30_days_fire_and_say_why():
    history = [record("x", 0, "a"), record("y", 10, "b")]
    firing = flag_rules.pattern(record("z", 29), history)
    assert firing is not None and firing.rule_id == "R3-pattern"
    assert firing.observation_ids == ("x", "y", "z")
    assert firing.params == {"observations": 3, "officers": 2, "categories": 1, "days": 30}


def test_two_categories_from_one_officer_fire():
    history = [record("x", 0, categories=("C01",)), record("y", 1, categories=("C03",))]
    firing = flag_rules.pattern(record("z", 2), history)
    assert firing is not None and firing.params["categories"] == 2


def test_observations_more_than_30_days_apart_do_not_count_together():
    history = [record("x", 0, "a"), record("y", 31, "b")]
    assert flag_rules.pattern(record("z", 62, "c"), history) is None


def test_a_late_entry_that_happened_earlier_still_completes_a_window():
    history = [record("y", 20, "b"), record("z", 25, "c")]
    firing = flag_rules.pattern(record("x", 0, "a"), history)
    assert firing is not None and firing.observation_ids == ("x", "y", "z")


def test_the_new_observation_itself_is_never_counted_twice():
    new = record("x", 0, "a")
    assert flag_rules.pattern(new, [new, record("y", 1, "b")]) is None


def test_every_rule_has_an_id_and_a_description_and_none_is_a_score():
    ids = [rule.id for rule in flag_rules.RULES]
    assert len(set(ids)) == 3 and all(rule.description for rule in flag_rules.RULES)
    assert not any("score" in rule.description.lower() for rule in flag_rules.RULES)


# --- the sentences, said when read ----------------------------------------------------------

ZONE = ZoneInfo("Europe/Belgrade")


@dataclass(frozen=True)
class Counting(Messages):
    """Messages that note each plural asked for: (singular, count)."""

    asked: list = field(default_factory=list, compare=False)

    def tn(self, singular: str, plural: str, count: int, /, **params: object) -> str:
        self.asked.append((singular, count))
        return super().tn(singular, plural, count, **params)


def test_the_pattern_sentence_is_said_from_its_numbers_with_a_plural_for_each():
    english = Messages(Locale.EN, ZONE)
    params = {"observations": 3, "officers": 2, "categories": 1, "days": 30}
    assert flag_rules.sentence(english, "R3-pattern", params) == (
        "3 concern observations about this prisoner within 30 days, from 2 officers in 1 "
        "indicator category.")
    assert flag_rules.sentence(english, "R3-pattern", {**params, "officers": 1}).count(
        "from 1 officer in") == 1


@pytest.mark.parametrize("locale", [Locale.SR_LATN, Locale.MK, Locale.BS])
def test_each_number_of_a_sentence_takes_the_plural_form_its_language_has(locale):
    words = Counting(locale, ZONE)
    flag_rules.sentence(words, "R3-pattern",
                        {"observations": 5, "officers": 21, "categories": 2, "days": 30})
    assert words.asked == [("{count} concern observation", 5), ("{count} day", 30),
                           ("from {count} officer", 21), ("in {count} indicator category", 2)]


def test_the_immediate_sentence_names_the_indicators_in_the_readers_language():
    cat = catalogue.current()
    codes = [i.code for i in cat.indicators.values() if i.immediate][:2]
    firing = flag_rules.immediate("obs", cat.version, codes)
    assert firing.params == {"catalogue_version": cat.version, "indicators": codes}
    for locale in (Locale.EN, Locale.SQ):
        words = Counting(locale, ZONE)
        said = flag_rules.sentence(words, firing.rule_id, firing.params)
        assert all(cat.text(locale.value, code) in said for code in codes)
        assert words.asked == [("Recorded an indicator that needs attention at once: "
                                "{indicators}.", 2)]
    one = flag_rules.sentence(Messages(Locale.EN, ZONE), firing.rule_id,
                              {**firing.params, "indicators": codes[:1]})
    assert one == (f"Recorded an indicator that needs attention at once: "
                   f"{cat.text('en', codes[0])}.")


def test_a_manual_flag_and_an_unknown_rule_say_what_they_can():
    english = Messages(Locale.EN, ZONE)
    assert flag_rules.manual("obs").params == {}
    assert flag_rules.sentence(english, "R1-manual", {}).startswith("An officer flagged")
    assert flag_rules.sentence(english, "R9-later", {"x": 1}) == "R9-later"
