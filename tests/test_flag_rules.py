"""Rule R3 (pattern) on its own: pure function, frozen times."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.services import flag_rules
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
    assert "3 concern observations" in firing.sentence and "2 officer(s)" in firing.sentence


def test_two_categories_from_one_officer_fire():
    history = [record("x", 0, categories=("C01",)), record("y", 1, categories=("C03",))]
    firing = flag_rules.pattern(record("z", 2), history)
    assert firing is not None and "2 indicator categories" in firing.sentence


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


def test_every_rule_has_an_id_and_a_sentence_and_none_is_a_score():
    ids = [rule.id for rule in flag_rules.RULES]
    assert len(set(ids)) == 3 and all(rule.description for rule in flag_rules.RULES)
    assert not any("score" in rule.description.lower() for rule in flag_rules.RULES)
