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
    # The data-protection officer: the retention schedule, restrictions and subject-access
    # reports (issue 12). A role of its own, not an admin right: an administrator never reads
    # observation content, and an access report is nothing but content.
    DATA_PROTECTION = "data_protection"


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


# --- data protection (issue 12) ---------------------------------------------------------------


class RecordClass(StrEnum):
    """What the retention schedule sets time limits for (app/retention/schedule.json)."""

    OBSERVATION_NOT_ESCALATED = "observation_not_escalated"  # never on a screening item
    OBSERVATION_NO_FURTHER_ACTION = "observation_no_further_action"  # item closed, no action
    OBSERVATION_REFERRAL = "observation_referral"  # item closed with a referral
    SCREENING_DECISION = "screening_decision"  # a closed item with its events and triggers
    AUDIT_LOG = "audit_log"
    SIGN_IN_LOG = "sign_in_log"
    TABLET_RECEIPT = "tablet_receipt"  # kept on the tablet only (assets/island/outbox.js)


class RetentionReference(StrEnum):
    """The date a retention period is counted from."""

    HAPPENED = "happened"  # when the observation was made, the log line written
    ITEM_CLOSED = "item_closed"  # when the screening item it belongs to closed
    RELEASED = "released"  # the prisoner's release date (rules on it apply once there is one)
    SENT = "sent"  # when the tablet's entry reached the server


class RetentionAction(StrEnum):
    ERASE = "erase"  # personal data gone; a tombstone keeps class, dates and rule
    ANONYMISE = "anonymise"  # what the trends count stays, the person goes
    REVIEW = "review"  # a person decides: into the review list


class ReviewDecision(StrEnum):
    EXTEND = "extend"  # keep until a new date, with a reason
    ANONYMISE = "anonymise"
    ERASE = "erase"


class HoldSubject(StrEnum):
    """What a legal hold keeps from the retention run."""

    OBSERVATION = "observation"
    ITEM = "item"  # a screening item with its observations


class RestrictionGround(StrEnum):
    """Why a prisoner's records are restricted (LED Art. 16(3))."""

    ACCURACY_CONTESTED = "accuracy_contested"
    EVIDENCE_ONLY = "evidence_only"


class CorrectedFact(StrEnum):
    """The fact of an observation an addendum corrects (rectification stays append-only)."""

    OCCURRED_AT = "occurred_at"
    LOCATION = "location"
    SOURCE = "source"
    FACTS = "facts"
    ASSESSMENT = "assessment"


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
