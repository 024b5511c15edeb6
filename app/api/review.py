"""API v1 for the periodic review and legal holds (issue 12 items 3 and 4): the caller's review
list, a decision on one entry, and placing and releasing a hold. Every route: who is asking
(a person's token), one service call, a DTO out; the services check the role, the prison and
the record class, and a refusal is a 4xx naming its field."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Literal, TypeVar

from fastapi import APIRouter, Path, Query, Response
from pydantic import Field

from app.api import errors
from app.api.deps import CurrentUser
from app.api.schemas import Plain, Strict, Text, error_responses
from app.clock import utc_now
from app.i18n.messages import N_, speaking
from app.runtime import ingest_context, transaction
from app.services import legal_holds, review_list, review_reads
from app.services.accounts import Identity
from app.services.review_errors import ReviewRefused
from app.views.review import ReviewFilters, refusal
from app.vocabulary import HoldSubject, ReviewDecision

PREFIX = "/api/v1"
T = TypeVar("T")
router = APIRouter(prefix=PREFIX, tags=["review and legal holds"],
                   responses=error_responses(404, 409))

EntryId = Annotated[int, Path(ge=1, le=2**31 - 1)]
Reason = Annotated[Text, Field(min_length=1, max_length=2000), Plain]


class ReviewEntryOut(Strict):
    id: int
    record_class: str  # vocabulary.RecordClass
    record_id: str  # an observation's id, an item's id, "YYYY-MM" of the audit log
    rule_id: str
    due_on: date
    overdue: bool  # past its date, nobody has decided
    prisoner_number: str | None
    prisoner_name: str | None
    happened_at: datetime | None  # an observation: when it happened (never what)
    wing: str | None
    item_id: int | None  # the screening item it is, or is on
    held_until: date | None  # on legal hold until then
    restricted: bool
    gone: bool  # erased meanwhile
    decisions: list[ReviewDecision]  # what may be decided on it
    can_hold: bool


class ReviewListOut(Strict):
    total: int
    overdue: int
    entries: list[ReviewEntryOut]


class DecisionIn(Strict):
    decision: ReviewDecision
    until: date | None = Field(None, description="extend: the new date (the prisons' day)")
    reason: Reason | None = Field(None, description="extend: why (at least 10 characters)")


class DecisionOut(Strict):
    entry_id: int
    decision: ReviewDecision
    extended_to: date | None


class HoldIn(Strict):
    subject: HoldSubject
    subject_id: Annotated[Text, Field(min_length=1, max_length=64), Plain] = Field(
        description="an observation's id, or a screening item's id")
    until: date = Field(description="the last day the hold keeps it (the prisons' day)")
    reason: Reason


class HoldOut(Strict):
    id: int
    until: date


def _run(caller: Identity, command: Callable[..., T]) -> T:
    try:
        with transaction() as db:  # signs the audit head once committed
            return command(db)
    except ReviewRefused as error:
        problem = refusal(speaking(caller.locale), error)
        raise errors.ApiError(error.status, error.code, N_("{field}: {problem}"),
                              params={"field": error.field or "request", "problem": problem}
                              ) from None


@router.get("/review", response_model=ReviewListOut)
def the_review_list(
        caller: CurrentUser,
        when: Annotated[Literal["all", "overdue", "coming"], Query()] = "all",
        record_class: Annotated[str | None, Query(alias="class", max_length=40)] = None,
) -> ReviewListOut:
    """The caller's open review entries (treatment staff: their prison's screening records
    and observations; the data-protection officer: the logs and the prisons in reach), past
    their date first. Each entry that names a prisoner is an audited read."""
    filters = ReviewFilters.from_query({"when": when, "class": record_class or ""})
    found = _run(caller, lambda db: review_reads.listing(db, caller, utc_now(), filters.keeps))
    return ReviewListOut(total=found.total, overdue=found.overdue, entries=[ReviewEntryOut(
        id=r.entry_id, record_class=r.record_class, record_id=r.record_id, rule_id=r.rule_id,
        due_on=r.due_on, overdue=r.overdue, prisoner_number=r.prisoner_number or None,
        prisoner_name=r.prisoner_name or None, happened_at=r.happened_at,
        wing=r.wing_code or None, item_id=r.item_id, held_until=r.held_until,
        restricted=r.restricted, gone=r.gone, decisions=sorted(r.decisions),
        can_hold=r.can_hold) for r in found.rows])


@router.post("/review/{entry_id}/decision", response_model=DecisionOut)
def decide(entry_id: EntryId, body: DecisionIn, caller: CurrentUser) -> DecisionOut:
    """Extend (with `until` and `reason`), anonymise now or erase now; once per entry (409
    after). A held or restricted record is not anonymised or erased (409)."""
    now = utc_now()
    if body.decision == ReviewDecision.EXTEND:
        until = _run(caller, lambda db: review_list.extend(
            db, caller, entry_id, body.until, body.reason or "", now, ingest_context().cipher,
            caller.locale))
        return DecisionOut(entry_id=entry_id, decision=body.decision, extended_to=until)
    _run(caller, lambda db: review_list.remove_now(db, caller, entry_id, body.decision, now))
    return DecisionOut(entry_id=entry_id, decision=body.decision, extended_to=None)


@router.post("/holds", response_model=HoldOut, status_code=201)
def place_hold(body: HoldIn, caller: CurrentUser) -> HoldOut:
    """Treatment staff of the record's prison: keep a screening item (with its observations)
    or one observation beyond its retention period, until `until`."""
    hold_id = _run(caller, lambda db: legal_holds.place(
        db, caller, body.subject, body.subject_id, body.reason, body.until, utc_now(),
        ingest_context().cipher, caller.locale))
    return HoldOut(id=hold_id, until=body.until)


@router.post("/holds/{hold_id}/release", status_code=204)
def release_hold(hold_id: EntryId, caller: CurrentUser) -> Response:
    """End a hold before its date (409 once it has ended)."""
    _run(caller, lambda db: legal_holds.release(db, caller, hold_id, utc_now()))
    return Response(status_code=204)
