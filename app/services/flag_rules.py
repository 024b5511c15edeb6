"""Automatic flag rules, as data: each has an id and says in words why it fired.

Rules bring a prisoner to a screener's attention; they never score anyone. Nothing here is summed
into a number about a person (design.md §4.3).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Rule:
    id: str
    description: str


MANUAL = Rule("R1-manual", "An officer flagged the observation for screening, with a reason.")
IMMEDIATE = Rule("R2-immediate", "An indicator that needs a screener at once was recorded.")
PATTERN = Rule("R3-pattern", "Three or more concern observations about one prisoner within 30 "
                             "days, from at least two officers or in at least two categories.")
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
    sentence: str
    observation_ids: tuple[str, ...]


def manual(observation_id: str) -> Firing:
    return Firing(MANUAL.id, "An officer flagged this observation for screening and gave a "
                  "reason (shown with the observation).", (observation_id,))


def immediate(observation_id: str, labels: list[str]) -> Firing:
    return Firing(IMMEDIATE.id, "Recorded an indicator that needs attention at once: "
                  + "; ".join(labels) + ".", (observation_id,))


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
            return Firing(PATTERN.id, f"{len(window)} concern observations about this prisoner "
                          f"within 30 days, from {len(officers)} officer(s) in "
                          f"{len(categories)} indicator categor{'y' if len(categories) == 1 else 'ies'}.",
                          tuple(r.id for r in sorted(window, key=lambda r: (r.occurred_at, r.id))))
    return None
