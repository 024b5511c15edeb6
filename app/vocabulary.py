"""The domain's words as codes: one StrEnum per vocabulary, shared by the API, services, views,
policy and (through the generated assets/island/vocabulary.js) the capture island.

Each value is the code the database already stores, so nothing here needs a migration. Labels
are not here: they are written where they are shown, keyed by these enums (a later issue moves
them to message catalogues).

`python -m app.vocabulary` rewrites assets/island/vocabulary.js; tests/test_vocabulary.py fails
when that file no longer matches these enums.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import TypeVar

ISLAND_MODULE = Path(__file__).resolve().parent.parent / "assets" / "island" / "vocabulary.js"


class Role(StrEnum):
    OFFICER = "officer"
    TREATMENT = "treatment"
    SECURITY_HEAD = "security_head"
    ADMIN = "admin"
    # A prison management system's account: it may replace a prison's roster, nothing else.
    ROSTER_SERVICE = "roster_service"


class PostingScope(StrEnum):
    """What a posting gives access to: an officer's wing, treatment staff's or a security head's
    prison, or (security heads only) the central service, which sees every prison."""

    WING = "wing"
    PRISON = "prison"
    CENTRAL = "central"


class Source(StrEnum):
    """Where an observation's facts come from."""

    DIRECT = "direct"
    REPORTED_BY_STAFF = "reported_by_staff"
    REPORTED_BY_PRISONER = "reported_by_prisoner"
    DOCUMENT = "document"


class ConcernLevel(StrEnum):
    """The officer's own sense of how worrying an observation is."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class IndicatorKind(StrEnum):
    """A catalogue indicator (and so an observation that has one) is a concern or protective."""

    CONCERN = "concern"
    PROTECTIVE = "protective"


class ObservationStatus(StrEnum):
    """What an officer may know of their own observation (never the decision)."""

    RECEIVED = "received"
    FLAGGED = "flagged"
    SCREENED = "screened"


class ItemState(StrEnum):
    """A screening item's status, derived from its events, never stored."""

    UNCLAIMED = "unclaimed"
    CLAIMED = "claimed"
    MONITORING = "monitoring"
    DUE_FOR_REVIEW = "due_for_review"
    AWAITING_SIGN_OFF = "awaiting_sign_off"
    CLOSED = "closed"


class EventKind(StrEnum):
    """What a screening event records."""

    CLAIM = "claim"
    TAKE_OVER = "take_over"
    DECISION = "decision"
    SIGN_OFF = "sign_off"
    ADDENDUM = "addendum"


class Outcome(StrEnum):
    """A screener's decision."""

    NO_FURTHER_ACTION = "no_further_action"
    MONITOR = "monitor"
    REFER_ASSESSMENT = "refer_assessment"
    REFER_SUPPORT = "refer_support"


class SupportKind(StrEnum):
    """The kind of support an item is referred to (with Outcome.REFER_SUPPORT)."""

    MENTAL_HEALTH = "mental_health"
    SAFEGUARDING = "safeguarding"
    SOCIAL_WELFARE = "social_welfare"
    OTHER = "other"


Code = TypeVar("Code", bound=StrEnum)


def parse(enum: type[Code], value: object) -> Code | None:
    """The member whose code `value` is, or None for anything else (text from a client, or a
    NULL column); `"x" in Enum` would raise on Python 3.11."""
    try:
        return enum(value)
    except ValueError:
        return None


# The codes the island offers, under the names it reads them by.
ISLAND_VOCABULARY: dict[str, type[StrEnum]] = {"sources": Source, "concerns": ConcernLevel}


def island_module() -> str:
    """The text of assets/island/vocabulary.js for the enums as they are now."""
    codes = {name: [member.value for member in enum] for name, enum in ISLAND_VOCABULARY.items()}
    return ("// Generated from app/vocabulary.py by `python -m app.vocabulary`: do not edit.\n"
            f"export const VOCABULARY = {json.dumps(codes, indent=2)};\n")


if __name__ == "__main__":
    ISLAND_MODULE.write_text(island_module(), encoding="utf-8")
