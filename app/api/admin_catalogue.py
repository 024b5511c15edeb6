"""Admin API v1: catalogue versions (issue 11 item 5).

Administrators only (the `Admin` dependency; the services refuse other roles as well). Every
version stays readable; a draft is edited, checked and published through
app/services/catalogue_drafts.py, which audits each command with its before and after.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Any, Literal, TypeVar

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, ConfigDict, Field

from app.api import errors
from app.api.deps import Admin
from app.api.schemas import ErrorBody
from app.clock import utc_now
from app.i18n.messages import N_, speaking
from app.runtime import transaction
from app.services import catalogue, catalogue_draft_reads as reads, catalogue_drafts as drafts
from app.services.accounts import Identity
from app.services.admin_refusals import Refused
from app.services.catalogue_draft_reads import DraftProblems, Problem

PREFIX = "/api/v1/admin/catalogue"
T = TypeVar("T")

router = APIRouter(prefix=PREFIX, tags=["admin"],
                   responses={s: {"model": ErrorBody} for s in (400, 401, 403, 404, 409, 422)})

Version = Annotated[str, Path(pattern=r"^[1-9][0-9]{0,8}$", description="a version number")]
DraftId = Annotated[str, Path(min_length=36, max_length=36, description="a draft's id")]
Locale = Annotated[str, Query(max_length=16, description="the language to show beside English")]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TextChange(_Body):
    code: Annotated[str, Field(max_length=16, description='an indicator or category code; "" '
                                                          "for the top-level guidance")]
    part: Literal["label", "guidance"]
    locale: Annotated[str, Field(max_length=16, description="one of "
                                                            + ", ".join(reads.WRITTEN))]
    text: Annotated[str, Field(max_length=2000, description='"" clears it')]


class IndicatorCreate(_Body):
    category: Annotated[str, Field(max_length=16)]
    kind: Literal["concern", "protective"]
    label: Annotated[str, Field(max_length=reads.MAX_TEXT["label"], description="English")]
    guidance: Annotated[str, Field(max_length=reads.MAX_TEXT["guidance"],
                                   description="English")]


class IndicatorChange(_Body):
    retired: bool | None = Field(None, description="true takes it off the form")
    immediate: bool | None = Field(None, description="true puts its entries before a "
                                                     "screener at once")


class Publish(_Body):
    reason: Annotated[str, Field(max_length=drafts.MAX_REASON)]
    effective_from: date = Field(description="the prisons' day from which tablets get it")


class VersionOut(BaseModel):
    key: str
    version: str | None
    state: str
    based_on: str | None
    effective_from: date | None
    published_at: datetime | None
    reason: str | None
    offered: int
    retired: int


class EditionOut(BaseModel):
    key: str
    version: str | None
    state: str
    based_on: str | None
    effective_from: date | None
    published_at: datetime | None
    reason: str | None
    sha256: str
    content: dict[str, Any] = Field(description="every text in every written locale")


class DraftCreated(BaseModel):
    id: str
    based_on: str


class IndicatorCreated(BaseModel):
    code: str


class ProblemOut(BaseModel):
    code: str
    message: str
    params: dict[str, str]


class CheckOut(BaseModel):
    publishable: bool
    problems: list[ProblemOut]


class Published(BaseModel):
    version: str
    effective_from: date


def _say(caller: Identity, problem: Problem) -> str:
    return speaking(caller.locale).t(problem.message, **problem.params)


def _refused(caller: Identity, error: Refused) -> errors.ApiError:
    """A refused command as a 4xx naming its field, in the caller's language; a draft that
    fails the checks says every problem."""
    problem = speaking(caller.locale).t(error.message, **error.params)
    if isinstance(error, DraftProblems):
        problem = " ".join([problem, *(_say(caller, p) for p in error.problems)])
    return errors.ApiError(error.status, error.code, N_("{field}: {problem}"),
                           params={"field": error.field or "body", "problem": problem})


def _run(caller: Identity, command: Callable[[Any], T]) -> T:
    try:
        with transaction() as db:  # signs the audit head once committed
            return command(db)
    except Refused as error:
        raise _refused(caller, error) from None


def _edition(found: reads.Edition) -> EditionOut:
    return EditionOut(key=found.key, version=found.version, state=found.state,
                      based_on=found.based_on, effective_from=found.effective_from,
                      published_at=found.published_at, reason=found.reason,
                      sha256=found.sha256, content=dict(found.content))


@router.get("/versions", response_model=list[VersionOut])
def list_versions(caller: Admin) -> list[VersionOut]:
    """Every version, newest first (current, scheduled, in grace, superseded), then drafts."""
    rows = _run(caller, lambda db: reads.versions(db, caller))
    return [VersionOut(**row.__dict__) for row in rows]


@router.get("/versions/{version}", response_model=EditionOut)
def get_version(version: Version, caller: Admin) -> EditionOut:
    """One version, published or shipped as a file, with every text in every locale."""
    if catalogue.get(version) is None:
        raise errors.ApiError(404, "not_found", N_("No such catalogue version."))
    return _edition(_run(caller, lambda db: reads.edition(db, caller, version)))


@router.post("/drafts", response_model=DraftCreated, status_code=201)
def start_draft(caller: Admin) -> DraftCreated:
    """A draft copied from the newest version."""
    draft_id = _run(caller, lambda db: drafts.start(db, caller, utc_now()))
    return DraftCreated(id=draft_id, based_on=drafts.newest().version)


@router.get("/drafts/{draft_id}", response_model=EditionOut)
def get_draft(draft_id: DraftId, caller: Admin) -> EditionOut:
    return _edition(_run(caller, lambda db: reads.edition(db, caller, draft_id)))


@router.put("/drafts/{draft_id}/texts", status_code=204)
def set_text(draft_id: DraftId, body: TextChange, caller: Admin) -> None:
    """One label or guidance in one written locale (sr-Cyrl and en-XA are made from them)."""
    _run(caller, lambda db: drafts.set_text(db, caller, draft_id, body.code, body.part,
                                            body.locale, body.text, utc_now()))


@router.post("/drafts/{draft_id}/indicators", response_model=IndicatorCreated, status_code=201)
def add_indicator(draft_id: DraftId, body: IndicatorCreate, caller: Admin) -> IndicatorCreated:
    """A new indicator at the end of its category, with its English texts."""
    code = _run(caller, lambda db: drafts.add_indicator(
        db, caller, draft_id, body.category, body.kind, body.label, body.guidance, utc_now()))
    return IndicatorCreated(code=code)


@router.patch("/drafts/{draft_id}/indicators/{code}", status_code=204)
def change_indicator(draft_id: DraftId, code: Annotated[str, Path(max_length=16)],
                     body: IndicatorChange, caller: Admin) -> None:
    """Retire an indicator (never deleted) or mark it immediate; either, or both."""
    def command(db) -> None:
        if body.retired is not None:
            drafts.retire(db, caller, draft_id, code, body.retired, utc_now())
        if body.immediate is not None:
            drafts.mark_immediate(db, caller, draft_id, code, body.immediate, utc_now())
    _run(caller, command)


@router.get("/drafts/{draft_id}/check", response_model=CheckOut)
def check_draft(draft_id: DraftId, caller: Admin) -> CheckOut:
    """What stops the draft being published: codes, missing texts, protected traits."""
    found = _run(caller, lambda db: reads.check(db, caller, draft_id))
    return CheckOut(publishable=not found, problems=[
        ProblemOut(code=p.code, message=_say(caller, p), params=dict(p.params)) for p in found])


@router.get("/drafts/{draft_id}/preview")
def preview_draft(draft_id: DraftId, caller: Admin, locale: Locale = "en") -> dict[str, Any]:
    """The draft as a tablet would get it at bootstrap, in `locale`."""
    return _run(caller, lambda db: reads.preview(db, caller, draft_id, locale))


@router.post("/drafts/{draft_id}/publish", response_model=Published)
def publish_draft(draft_id: DraftId, body: Publish, caller: Admin) -> Published:
    """The next version, in effect from `effective_from` (today or later); tablets get it at
    their next bootstrap from that day, and entries on the previous version are still taken in
    for WINGWATCH_CATALOGUE_GRACE_DAYS (30) after it."""
    version = _run(caller, lambda db: drafts.publish(db, caller, draft_id, body.reason,
                                                     body.effective_from, utc_now()))
    return Published(version=version, effective_from=body.effective_from)
