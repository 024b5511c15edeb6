"""API v1 for tablets (issue 11 item 6): the capture island's report of what waits on it, and
the administrators' list and "mark lost".

The report is an officer's (the island sends it with the officer's bearer token); the list and
the marking are administrators' (the `Admin` dependency; the services refuse other roles too).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, TypeVar

from fastapi import APIRouter, Path, Query, Response
from pydantic import BeforeValidator, Field, StrictInt, StrictStr

from app.api import errors
from app.api.deps import Admin, Officer
from app.api.schemas import Strict, StoredMoment, error_responses
from app.clock import utc_now
from app.i18n.messages import N_, speaking
from app.runtime import transaction
from app.services import tablet_reads, tablets
from app.services.accounts import Identity
from app.services.admin_refusals import Refused
from app.services.tablets import MAX_WAITING

PREFIX = "/api/v1"
DEVICE_PATTERN = r"^[\w.:-]+$"  # as SyncRequest.device_id
T = TypeVar("T")

router = APIRouter(prefix=PREFIX, tags=["tablets"],
                   responses=error_responses(404, 409))

DeviceId = Annotated[StrictStr, Field(min_length=1, max_length=64, pattern=DEVICE_PATTERN)]


def _whole_number(value: object) -> object:
    # JSON Schema counts 3.0 as an integer, so the schema's fuzzing sends it; "3" stays refused.
    return int(value) if isinstance(value, float) and value.is_integer() else value


class DeviceReport(Strict):
    device_id: DeviceId
    waiting: Annotated[StrictInt, Field(ge=0, le=MAX_WAITING, description=(
        "the signed-in officer's entries waiting on this tablet")), BeforeValidator(_whole_number)]
    oldest_waiting_at: StoredMoment | None = Field(None, description=(
        "when the oldest of them was saved; required when waiting > 0"))
    app_version: Annotated[StrictStr, Field(min_length=1, max_length=32,
                                            pattern=r"^[\w.+-]+$")]


class OfficerOut(Strict):
    display_name: str
    username: str
    active: bool


class TabletOut(Strict):
    device_id: str
    prison: str | None  # the prison's code
    first_seen_at: datetime
    last_contact_at: datetime
    last_officer: OfficerOut | None
    waiting: int
    oldest_waiting_at: datetime | None
    app_version: str | None
    lost_at: datetime | None
    lost_by: str | None  # the administrator's display name
    attention: list[tablet_reads.Attention]  # why it needs attention; empty when it does not


class HeldOut(Strict):
    officer: str
    username: str
    device_id: str
    waiting: int
    oldest_waiting_at: datetime | None
    reported_at: datetime | None


class TabletList(Strict):
    prison: str | None
    tablets: list[TabletOut]
    held_by_deactivated: list[HeldOut]


class LostOut(Strict):
    device_id: str
    lost_at: datetime
    officers: int  # whose sessions and tokens ended
    sessions_ended: int


def _run(caller: Identity, command: Callable[..., T]) -> T:
    try:
        with transaction() as db:  # signs the audit head once committed
            return command(db)
    except Refused as error:
        problem = speaking(caller.locale).t(error.message, **error.params)
        raise errors.ApiError(error.status, error.code, N_("{field}: {problem}"),
                              params={"field": error.field or "request", "problem": problem}
                              ) from None


@router.post("/devices/report", status_code=204)
def report(body: DeviceReport, caller: Officer) -> Response:
    """The capture island, online: how many of the officer's entries wait on it and since when
    (no content), and the app version it runs."""
    news = tablets.Report(body.device_id, body.waiting, body.oldest_waiting_at,
                          body.app_version)
    _run(caller, lambda db: tablets.record_report(db, caller, news, utc_now()))
    return Response(status_code=204)


@router.get("/admin/tablets", response_model=TabletList)
def list_tablets(caller: Admin, prison: Annotated[str | None, Query(
        max_length=16, description="a prison's code; every prison when absent")] = None
                 ) -> TabletList:
    """Each tablet: last contact, last officer, entries waiting, oldest waiting, app version,
    and why it needs attention (an entry waiting over 24 h, silent for 3 days)."""
    found = _run(caller, lambda db: tablet_reads.listing(db, caller, utc_now(), prison or ""))
    return TabletList(
        prison=prison or None,
        tablets=[TabletOut(
            device_id=r.device_id, prison=r.prison_code, first_seen_at=r.first_seen_at,
            last_contact_at=r.last_contact_at,
            last_officer=OfficerOut(display_name=r.last_officer,
                                    username=r.last_officer_username,
                                    active=r.last_officer_active) if r.last_officer else None,
            waiting=r.waiting, oldest_waiting_at=r.oldest_waiting_at, app_version=r.app_version,
            lost_at=r.lost_at, lost_by=r.lost_by, attention=list(r.attention))
            for r in found.rows],
        held_by_deactivated=[HeldOut(**vars(h)) for h in found.held])


@router.post("/admin/tablets/{device_id}/lost", response_model=LostOut)
def mark_lost(caller: Admin, device_id: Annotated[str, Path(
        min_length=1, max_length=64, pattern=DEVICE_PATTERN)]) -> LostOut:
    """Mark a tablet lost: every officer who used it is signed out and their bearer tokens stop.
    Its sealed entries are still accepted if they arrive."""
    lost = _run(caller, lambda db: tablets.mark_lost(db, caller, device_id, utc_now()))
    return LostOut(device_id=lost.device_id, lost_at=lost.lost_at, officers=len(lost.officers),
                   sessions_ended=lost.sessions_ended)
