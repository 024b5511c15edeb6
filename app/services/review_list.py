"""The periodic review (issue 12 item 3): decisions on the records the retention run put in the
review list (ReviewEntry rows, queued 30 days before they fall due).

Who sees which entries (`scope_of`): treatment staff the screening records and observations of
the prison they are posted to; the data-protection officer the audit and sign-in logs, and
every class of the prisons in their reach (all of them when posted to the central service).

A decision, once, per entry: extend (a new date after today and after the entry's own date,
at most MAX_YEARS from today, with a reason), anonymise now or erase now (through
app.services.erasure, which leaves the tombstone and its own erase audit row). The logs allow
extend only. A record on legal hold, or of a prisoner whose records are restricted, is neither
anonymised nor erased. Every decision sets the entry's decision fields (the reason encrypted,
with its language) and writes one audit row (Action.REVIEW, purposes "review.extend",
"review.anonymise", "review.erase"; codes and dates, never the reason); after an anonymise or
erase the entry no longer names the prisoner (the audit rows do, as erasure's own does).

Plain Python, no web framework; the reads of the list are in app/services/review_reads.py.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.clock import prisons_today
from app.i18n.locales import Locale
from app.i18n.messages import N_
from app.models import ReviewEntry, User
from app.services import audit, erasure, legal_holds, restrictions, retention_schedule
from app.services.accounts import Identity
from app.services.fieldcrypt import FieldCipher
from app.services.legal_holds import check_end, check_reason
from app.services.retention_schedule import ACTIONS, OBSERVATION_CLASSES
from app.services.review_errors import ReviewRefused, not_allowed, not_found
from app.vocabulary import HoldSubject, RecordClass, RetentionAction, ReviewDecision, Role, parse

PRISON_CLASSES = frozenset(OBSERVATION_CLASSES | {RecordClass.SCREENING_DECISION})
LOG_CLASSES = frozenset({RecordClass.AUDIT_LOG, RecordClass.SIGN_IN_LOG})
PURPOSES = {ReviewDecision.EXTEND: "review.extend", ReviewDecision.ANONYMISE: "review.anonymise",
            ReviewDecision.ERASE: "review.erase"}
SEEN = "review list view"  # the audit rows of the list's reads (Action.READ)


@dataclass(frozen=True)
class Scope:
    """The entries a person's review list holds."""

    prison_ids: frozenset[str] | None  # None: every prison
    classes: frozenset[RecordClass]  # of those prisons
    logs: bool  # the audit and sign-in logs too (they belong to no prison)

    def covers(self, entry: ReviewEntry) -> bool:
        if entry.record_class in LOG_CLASSES:
            return self.logs
        return (entry.record_class in self.classes and entry.prison_id is not None
                and (self.prison_ids is None or entry.prison_id in self.prison_ids))


def scope_of(who: Identity) -> Scope:
    if who.role == Role.TREATMENT and who.prison_id is not None:
        return Scope(frozenset({who.prison_id}), PRISON_CLASSES, logs=False)
    if who.role == Role.DATA_PROTECTION:
        prisons = None if who.central else frozenset({who.prison_id} - {None})
        return Scope(prisons, PRISON_CLASSES, logs=True)
    raise not_allowed()


def decisions_for(record_class: str) -> frozenset[ReviewDecision]:
    """What may be decided on a record of this class: the logs are only ever extended; the
    others as the schedule allows their class to be treated."""
    parsed = parse(RecordClass, record_class)
    if parsed is None or parsed in LOG_CLASSES:
        return frozenset({ReviewDecision.EXTEND})
    allowed = ACTIONS.get(parsed, frozenset())
    return frozenset({ReviewDecision.EXTEND} | {
        decision for decision, action in ((ReviewDecision.ANONYMISE, RetentionAction.ANONYMISE),
                                          (ReviewDecision.ERASE, RetentionAction.ERASE))
        if action in allowed})


def hold_subject(record_class: str) -> HoldSubject | None:
    """What a legal hold on this class of record is placed on (None: the logs, never held)."""
    if record_class == RecordClass.SCREENING_DECISION:
        return HoldSubject.ITEM
    return HoldSubject.OBSERVATION if record_class in OBSERVATION_CLASSES else None


def _entry(db: Session, who: Identity, entry_id: int) -> ReviewEntry:
    """The open entry, locked, if it is in the person's list."""
    scope = scope_of(who)
    if legal_holds.row_id(entry_id) is None:
        raise not_found()
    entry = db.scalar(select(ReviewEntry).where(ReviewEntry.id == entry_id).with_for_update()
                      .execution_options(populate_existing=True))
    if entry is None:
        raise not_found()
    if not scope.covers(entry):
        raise not_allowed()
    if entry.decided_at is not None:
        name = db.scalar(select(User.display_name).where(User.id == entry.decided_by)) or ""
        raise ReviewRefused("already_decided", N_("{name} already decided on this entry on "
                                                  "{day}."), status=409, name=name,
                            day=prisons_today(entry.decided_at))
    return entry


def _decided(db: Session, who: Identity, entry: ReviewEntry, decision: ReviewDecision,
             now: datetime, detail: dict) -> None:
    entry.decision, entry.decided_at, entry.decided_by = decision.value, now, who.user_id
    db.flush()
    audit.append(db, at=now, action=audit.Action.REVIEW, actor_id=who.user_id,
                 prisoner_id=entry.prisoner_id, record_id=f"review:{entry.id}",
                 purpose=PURPOSES[decision],
                 detail=json.dumps({"class": entry.record_class, "record": entry.record_id,
                                    **detail}, sort_keys=True))


def extend(db: Session, who: Identity, entry_id: int, until: date | None, reason: str,
           now: datetime, cipher: FieldCipher, locale: Locale | None = None) -> date:
    """Keep the record until `until`: the retention run leaves it alone till then (and queues
    it again 30 days before). Returns the date."""
    entry = _entry(db, who, entry_id)
    reason = check_reason(reason)
    until = check_end(until, prisons_today(now), after=entry.due_on)
    entry.extended_to = until
    entry.reason_enc = cipher.encrypt(reason, table=ReviewEntry.__tablename__, column="reason",
                                      row_id=str(entry.id))
    entry.locale = locale.value if locale else None
    _decided(db, who, entry, ReviewDecision.EXTEND, now, {"until": until.isoformat()})
    return until


def _reference_on(db: Session, entry: ReviewEntry, today: date) -> date:
    """The day the record's period was counted from, as the schedule says today; the entry's
    own date if the schedule no longer finds it."""
    if entry.prisoner_id is not None:
        for due in retention_schedule.dates_for_prisoner(db, retention_schedule.load(),
                                                          entry.prisoner_id, today):
            if (due.record_class, due.record_id) == (entry.record_class, entry.record_id):
                return due.reference_on or entry.due_on
    return entry.due_on


def check_removable(db: Session, entry: ReviewEntry, today: date) -> None:
    """A record kept as evidence (held), or of a prisoner whose records are restricted, stays."""
    index = legal_holds.index_on(db, today, [entry.prison_id] if entry.prison_id else None)
    subject = hold_subject(entry.record_class)
    until = None
    if subject == HoldSubject.ITEM and entry.record_id.isdigit():
        until = index.item(int(entry.record_id))
    elif subject == HoldSubject.OBSERVATION:
        until = index.observation(entry.record_id)
    if until is not None:
        raise ReviewRefused("on_hold", N_("This record is on legal hold until {day}. It cannot "
                                          "be anonymised or erased while it is held."),
                            status=409, day=until)
    if entry.prisoner_id in restrictions.restricted_prisoner_ids(db):
        raise ReviewRefused("restricted", N_("This prisoner's records are restricted. They "
                                             "cannot be anonymised or erased while the "
                                             "restriction is in force."), status=409)


def remove_now(db: Session, who: Identity, entry_id: int, decision: str,
               now: datetime) -> None:
    """Anonymise or erase the record now, as the decision on its review."""
    chosen = parse(ReviewDecision, decision)
    entry = _entry(db, who, entry_id)
    if chosen is None or chosen == ReviewDecision.EXTEND:
        raise ReviewRefused("decision_unknown", N_("Choose one of the decisions offered."),
                            "decision")
    if chosen not in decisions_for(entry.record_class):
        raise ReviewRefused("decision_not_offered", N_("This record can only be kept longer "
                                                       "(extend)."), "decision")
    today = prisons_today(now)
    check_removable(db, entry, today)
    action = RetentionAction.ERASE if chosen == ReviewDecision.ERASE \
        else RetentionAction.ANONYMISE
    try:
        erasure.apply(db, entry.record_class, entry.record_id, action,
                      rule_id=f"review:{entry.id}",
                      reference_on=_reference_on(db, entry, today), now=now,
                      actor_id=who.user_id)
    except erasure.ErasureError:
        raise ReviewRefused("record_gone", N_("This record cannot be anonymised or erased "
                                              "now: it is gone, or its screening item is "
                                              "still open."),
                            status=409) from None
    _decided(db, who, entry, chosen, now, {})
    entry.prisoner_id = None  # the entry outlives the record: it no longer names the person
    db.flush()


def hold(db: Session, who: Identity, entry_id: int, reason: str, until: date | None,
         now: datetime, cipher: FieldCipher, locale: Locale | None = None) -> int:
    """Put the entry's record on legal hold (from the list's row); the entry stays open."""
    scope_of(who)
    if legal_holds.row_id(entry_id) is None:
        raise not_found()
    entry = db.get(ReviewEntry, entry_id)
    if entry is None:
        raise not_found()
    subject = hold_subject(entry.record_class)
    if subject is None:
        raise ReviewRefused("not_holdable", N_("Only screening records and observations can be "
                                               "put on legal hold."), status=409)
    return legal_holds.place(db, who, subject, entry.record_id, reason, until, now, cipher,
                             locale)
