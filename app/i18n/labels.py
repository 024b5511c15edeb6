"""The words for each code of the vocabulary (app/vocabulary.py), as message ids.

One table per enum; a view renders a label in the reader's language with `label(messages, code)`
and the island gets the same tables in its language (python -m app.i18n export), so a code has
one name everywhere. Colours and badges are keyed by the code, never by these words.
tests/test_vocabulary.py checks that every code has one.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

from app.i18n.messages import Messages, N_
from app.vocabulary import (
    ConcernLevel,
    CorrectedFact,
    EventKind,
    HoldSubject,
    IndicatorKind,
    ItemState,
    ObservationStatus,
    Outcome,
    PostingScope,
    RecordClass,
    RestrictionGround,
    RetentionAction,
    RetentionReference,
    Role,
    Source,
    SupportKind,
)

ROLE_LABELS: Final[dict[Role, str]] = {
    Role.OFFICER: N_("Officer"),
    Role.TREATMENT: N_("Treatment staff"),
    Role.SECURITY_HEAD: N_("Security head"),
    Role.ADMIN: N_("Administrator"),
    Role.DATA_PROTECTION: N_("Data-protection officer"),
    Role.ROSTER_SERVICE: N_("Roster system"),
}
POSTING_SCOPE_LABELS: Final[dict[PostingScope, str]] = {
    PostingScope.WING: N_("Wing"),
    PostingScope.PRISON: N_("Prison"),
    PostingScope.CENTRAL: N_("Central service"),
}
STATE_LABELS: Final[dict[ItemState, str]] = {
    ItemState.UNCLAIMED: N_("Unclaimed"),
    ItemState.CLAIMED: N_("Claimed"),
    ItemState.DUE_FOR_REVIEW: N_("Monitoring review due"),
    ItemState.AWAITING_SIGN_OFF: N_("Awaiting sign-off"),
    ItemState.MONITORING: N_("Monitoring"),
    ItemState.CLOSED: N_("Closed"),
}
OUTCOME_LABELS: Final[dict[Outcome, str]] = {
    Outcome.NO_FURTHER_ACTION: N_("No further action"),
    Outcome.MONITOR: N_("Monitor"),
    Outcome.REFER_ASSESSMENT: N_("Refer for risk and needs assessment"),
    Outcome.REFER_SUPPORT: N_("Refer to other support"),
}
SUPPORT_LABELS: Final[dict[SupportKind, str]] = {
    SupportKind.MENTAL_HEALTH: N_("Mental health"),
    SupportKind.SAFEGUARDING: N_("Safeguarding / vulnerable to pressure"),
    SupportKind.SOCIAL_WELFARE: N_("Social welfare"),
    SupportKind.OTHER: N_("Other support"),
}
# How a screener reads where an observation came from ...
SOURCE_LABELS: Final[dict[Source, str]] = {
    Source.DIRECT: N_("Seen or heard by the officer"),
    Source.REPORTED_BY_STAFF: N_("Reported by staff"),
    Source.REPORTED_BY_PRISONER: N_("Reported by a prisoner"),
    Source.DOCUMENT: N_("A document"),
}
# ... and how the officer says it on the form.
SOURCE_CHOICES: Final[dict[Source, str]] = {
    Source.DIRECT: N_("I saw or heard it"),
    Source.REPORTED_BY_STAFF: N_("Reported by staff"),
    Source.REPORTED_BY_PRISONER: N_("Reported by a prisoner"),
    Source.DOCUMENT: N_("A document"),
}
CONCERN_LABELS: Final[dict[ConcernLevel, str]] = {
    ConcernLevel.LOW: N_("Low"),
    ConcernLevel.MEDIUM: N_("Medium"),
    ConcernLevel.HIGH: N_("High"),
}
EVENT_LABELS: Final[dict[EventKind, str]] = {
    EventKind.CLAIM: N_("Claimed"),
    EventKind.TAKE_OVER: N_("Taken over"),
    EventKind.DECISION: N_("Decision"),
    EventKind.SIGN_OFF: N_("Referral signed off"),
    EventKind.ADDENDUM: N_("Addendum"),
}
OBSERVATION_STATUS_LABELS: Final[dict[ObservationStatus, str]] = {
    ObservationStatus.RECEIVED: N_("Received"),
    ObservationStatus.FLAGGED: N_("Flagged for screening"),
    ObservationStatus.SCREENED: N_("Screened"),
}
INDICATOR_KIND_LABELS: Final[dict[IndicatorKind, str]] = {
    IndicatorKind.CONCERN: N_("Concern"),
    IndicatorKind.PROTECTIVE: N_("Protective"),
}
# Data protection (issue 12) -- restriction and rectification.
RESTRICTION_GROUND_LABELS: Final[dict[RestrictionGround, str]] = {
    RestrictionGround.ACCURACY_CONTESTED: N_("Accuracy contested"),
    RestrictionGround.EVIDENCE_ONLY: N_("Kept as evidence only"),
}
CORRECTED_FACT_LABELS: Final[dict[CorrectedFact, str]] = {
    CorrectedFact.OCCURRED_AT: N_("When it happened"),
    CorrectedFact.LOCATION: N_("Where it happened"),
    CorrectedFact.SOURCE: N_("Source"),
    CorrectedFact.FACTS: N_("Facts"),
    CorrectedFact.ASSESSMENT: N_("Officer's assessment"),
}
# Data protection (issue 12) -- review list and legal holds (the record classes are the
# retention schedule's too).
RECORD_CLASS_LABELS: Final[dict[RecordClass, str]] = {
    RecordClass.OBSERVATION_NOT_ESCALATED: N_("Observation, never escalated"),
    RecordClass.OBSERVATION_NO_FURTHER_ACTION: N_("Observation, screened with no further "
                                                  "action"),
    RecordClass.OBSERVATION_REFERRAL: N_("Observation on a referral"),
    RecordClass.SCREENING_DECISION: N_("Screening record"),
    RecordClass.AUDIT_LOG: N_("Audit log"),
    RecordClass.SIGN_IN_LOG: N_("Sign-in log"),
    RecordClass.TABLET_RECEIPT: N_("Receipt on a tablet"),
}
# Data protection (issue 12) -- retention schedule and runs.
RETENTION_REFERENCE_LABELS: Final[dict[RetentionReference, str]] = {
    RetentionReference.HAPPENED: N_("when it happened"),
    RetentionReference.ITEM_CLOSED: N_("when its screening item closed"),
    RetentionReference.RELEASED: N_("the prisoner's release"),
    RetentionReference.SENT: N_("when it was sent"),
}
RETENTION_ACTION_LABELS: Final[dict[RetentionAction, str]] = {
    RetentionAction.ERASE: N_("Erase"),
    RetentionAction.ANONYMISE: N_("Anonymise"),
    RetentionAction.REVIEW: N_("Review"),
}
HOLD_SUBJECT_LABELS: Final[dict[HoldSubject, str]] = {
    HoldSubject.OBSERVATION: N_("One observation"),
    HoldSubject.ITEM: N_("This screening item with its observations"),
}


def label(messages: Messages, table: dict, code: StrEnum | str) -> str:
    """The words for `code` in the reader's language; an unknown code is shown as itself."""
    msgid = table.get(code)
    return messages.t(msgid) if msgid else str(code)


def island_labels(messages: Messages) -> dict[str, dict[str, str]]:
    """The tables the capture island shows, in one language."""
    def words(table: dict) -> dict[str, str]:
        return {code.value: messages.t(msgid) for code, msgid in table.items()}
    return {"source": words(SOURCE_CHOICES), "concern": words(CONCERN_LABELS),
            "status": words(OBSERVATION_STATUS_LABELS), "role": words(ROLE_LABELS)}
