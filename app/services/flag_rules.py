"""Automatic flag rules, as data: each has an id and says in words why it fired.

Rules bring a prisoner to a screener's attention; they never score anyone. Nothing here is summed
into a number about a person (design.md §4.3).

A firing is stored as its rule id and its numbers (`params`), never as a sentence: `sentence`
says it in the reader's language when it is read, with each language's plural forms.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Mapping

from app.i18n.messages import Messages, N_
from app.services import catalogue


@dataclass(frozen=True)
class Rule:
    id: str
    description: str  # a message id


MANUAL = Rule("R1-manual", N_("An officer flagged the observation for screening, with a reason."))
IMMEDIATE = Rule("R2-immediate", N_("An indicator that needs a screener at once was recorded."))
PATTERN = Rule("R3-pattern", N_("Three or more concern observations about one prisoner within "
                                "30 days, from at least two officers or in at least two "
                                "categories."))
RULES = (MANUAL, IMMEDIATE, PATTERN)

PATTERN_WINDOW = timedelta(days=30)
PATTERN_MIN_OBSERVATIONS = 3


@dataclass(frozen=True)
class ConcernRecord:
    """What rule R3 needs to know of one concern observation: no content, no identity."""

    id: str
    occurred_at: datetime
    author_id: str
    categories: frozenset[str]


@dataclass(frozen=True)
class Firing:
    rule_id: str
    params: Mapping[str, Any]  # the rule's numbers and codes; JSON as stored
    observation_ids: tuple[str, ...]


def manual(observation_id: str) -> Firing:
    return Firing(MANUAL.id, {}, (observation_id,))


def immediate(observation_id: str, catalogue_version: str, codes: list[str]) -> Firing:
    """R2: the codes (of that catalogue version) of the indicators that need a screener now."""
    return Firing(IMMEDIATE.id, {"catalogue_version": catalogue_version,
                                 "indicators": list(codes)}, (observation_id,))


def pattern(new: ConcernRecord, history: list[ConcernRecord]) -> Firing | None:
    """R3 for a newly stored concern observation, against the prisoner's other ones.

    Looks at every 30-day window that contains the new observation, because entries from an
    offline tablet can arrive days after others that happened later."""
    others = sorted({r.id: r for r in history if r.id != new.id}.values(),
                    key=lambda r: r.occurred_at)
    near = [r for r in others if abs(r.occurred_at - new.occurred_at) <= PATTERN_WINDOW]
    for start in sorted({new.occurred_at, *(r.occurred_at for r in near)}):
        if not start <= new.occurred_at <= start + PATTERN_WINDOW:
            continue
        window = [new, *(r for r in near if start <= r.occurred_at <= start + PATTERN_WINDOW)]
        officers = {r.author_id for r in window}
        categories = set().union(*(r.categories for r in window))
        if len(window) >= PATTERN_MIN_OBSERVATIONS and (len(officers) >= 2 or len(categories) >= 2):
            return Firing(PATTERN.id, {"observations": len(window), "officers": len(officers),
                                       "categories": len(categories),
                                       "days": PATTERN_WINDOW.days},
                          tuple(r.id for r in sorted(window, key=lambda r: (r.occurred_at, r.id))))
    return None


def sentence(words: Messages, rule_id: str, params: Mapping[str, Any]) -> str:
    """Why the rule fired, in the reader's language."""
    if rule_id == MANUAL.id:
        return words.t("An officer flagged this observation for screening and gave a reason "
                       "(shown with the observation).")
    if rule_id == IMMEDIATE.id:
        codes = list(params.get("indicators", ()))
        version = str(params.get("catalogue_version", ""))
        return words.tn("Recorded an indicator that needs attention at once: {indicators}.",
                        "Recorded {count} indicators that need attention at once: {indicators}.",
                        len(codes), indicators="; ".join(
                            _label(version, words, code) for code in codes))
    if rule_id == PATTERN.id:
        # i18n: the parts below fill {observations}, {days}, {officers} and {categories}; each
        # part carries its own preposition so that it can take the case its number needs.
        return words.t(
            "{observations} about this prisoner within {days}, {officers} {categories}.",
            observations=words.tn("{count} concern observation", "{count} concern observations",
                                  int(params["observations"])),
            days=words.tn("{count} day", "{count} days", int(params["days"])),
            # i18n: part of "3 concern observations … within 30 days, from 2 officers in …"
            officers=words.tn("from {count} officer", "from {count} officers",
                              int(params["officers"])),
            # i18n: part of "… from 2 officers in 3 indicator categories."
            categories=words.tn("in {count} indicator category",
                                "in {count} indicator categories", int(params["categories"])))
    return rule_id  # a rule this version does not know: its id, not a guess


def _label(version: str, words: Messages, code: str) -> str:
    """An indicator's label in the reader's language, as its catalogue version has it."""
    try:
        return catalogue.text(version, words.locale.value, code)
    except KeyError:
        return code
