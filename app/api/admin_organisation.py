"""Admin API v1: prisons, wings and each prison's locations (issue 11 item 1).

Administrators only (the `Admin` dependency; the services refuse other roles as well). Every
write goes through app/services/organisation.py, which audits it with its before and after.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import BaseModel, ConfigDict, Field

from app.api import errors
from app.api.deps import Admin
from app.api.schemas import error_responses
from app.clock import prisons_today, utc_now
from app.i18n.messages import N_, speaking
from app.runtime import transaction
from app.services import organisation, organisation_reads
from app.services.accounts import Identity
from app.services.organisation import OrganisationError

PREFIX = "/api/v1/admin/prisons"
_STATUS = {organisation.NotAllowed: 403, organisation.NotFound: 404,
           organisation.Conflict: 409, organisation.Invalid: 422}

router = APIRouter(prefix=PREFIX, tags=["admin"],
                   responses=error_responses(404, 409))

PrisonCode = Annotated[str, Path(min_length=1, max_length=16, description="the prison's code")]
WingCode = Annotated[str, Path(min_length=1, max_length=16, description="the wing's code")]
LocationCode = Annotated[str, Path(min_length=1, max_length=32,
                                   description="the location's code")]
Name = Annotated[str, Field(max_length=organisation.MAX_NAME)]
Names = Annotated[dict[Annotated[str, Field(max_length=16)],
                       Annotated[str, Field(max_length=organisation.MAX_LOCATION_NAME)]],
                  Field(max_length=12, description="the name in each of "
                                                   + ", ".join(organisation.WRITTEN))]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PrisonCreate(_Body):
    code: Annotated[str, Field(max_length=16)]
    name: Name


class PrisonChange(_Body):
    name: Name


class WingCreate(_Body):
    code: Annotated[str, Field(max_length=16)]
    name: Name


class WingChange(_Body):
    name: Name | None = None
    closed: bool | None = Field(None, description="true closes the wing from today, false "
                                                  "opens it again")


class LocationCreate(_Body):
    names: Names
    code: Annotated[str | None, Field(max_length=32, description="made from the English name "
                                                                 "when absent")] = None


class LocationChange(_Body):
    names: Names | None = None
    position: Annotated[int | None, Field(ge=0, le=10_000)] = None
    retired: bool | None = None


class PrisonOut(BaseModel):
    code: str
    name: str
    open_wings: int
    closed_wings: int


class WingOut(BaseModel):
    code: str
    name: str
    closed_on: date | None


class LocationOut(BaseModel):
    code: str
    standard: bool
    label: str  # in the caller's language
    names: dict[str, str] | None
    position: int
    retired: bool


class PrisonDetailOut(BaseModel):
    code: str
    name: str
    wings: list[WingOut]
    locations: list[LocationOut]


def _refused(caller: Identity, error: OrganisationError) -> errors.ApiError:
    """A refused command as a 4xx naming its field, in the caller's language."""
    problem = speaking(caller.locale).t(error.message, **error.params)
    return errors.ApiError(_STATUS.get(type(error), 422), error.code, N_("{field}: {problem}"),
                           params={"field": error.field, "problem": problem})


def _detail(caller: Identity, code: str) -> PrisonDetailOut:
    try:
        with transaction() as db:
            found = organisation_reads.prison_detail(db, caller, code, speaking(caller.locale))
    except OrganisationError as error:
        raise _refused(caller, error) from None
    return PrisonDetailOut(
        code=found.code, name=found.name,
        wings=[WingOut(code=w.code, name=w.name, closed_on=w.closed_on) for w in found.wings],
        locations=[LocationOut(code=loc.code, standard=loc.names is None, label=loc.label,
                               names=loc.names, position=loc.position, retired=loc.retired)
                   for loc in found.locations])


def _run(caller: Identity, command) -> None:
    try:
        with transaction() as db:  # signs the audit head once committed
            command(db)
    except OrganisationError as error:
        raise _refused(caller, error) from None


@router.get("", response_model=list[PrisonOut])
def list_prisons(caller: Admin) -> list[PrisonOut]:
    """Every prison with its number of open and closed wings."""
    with transaction() as db:
        found = organisation_reads.prisons(db, caller, prisons_today())
    return [PrisonOut(code=p.code, name=p.name, open_wings=p.open_wings,
                      closed_wings=p.closed_wings) for p in found]


@router.post("", response_model=PrisonDetailOut, status_code=201)
def create_prison(body: PrisonCreate, caller: Admin) -> PrisonDetailOut:
    """A new prison with the standard locations; its code is unique and never changes."""
    _run(caller, lambda db: organisation.create_prison(db, caller, body.code, body.name,
                                                       utc_now()))
    return _detail(caller, body.code.strip())


@router.get("/{code}", response_model=PrisonDetailOut)
def get_prison(code: PrisonCode, caller: Admin) -> PrisonDetailOut:
    return _detail(caller, code)


@router.patch("/{code}", response_model=PrisonDetailOut)
def change_prison(code: PrisonCode, body: PrisonChange, caller: Admin) -> PrisonDetailOut:
    _run(caller, lambda db: organisation.rename_prison(db, caller, code, body.name, utc_now()))
    return _detail(caller, code)


@router.post("/{code}/wings", response_model=WingOut, status_code=201)
def create_wing(code: PrisonCode, body: WingCreate, caller: Admin) -> WingOut:
    created: list[WingOut] = []
    _run(caller, lambda db: created.append(_wing_out(organisation.create_wing(
        db, caller, code, body.code, body.name, utc_now()))))
    return created[0]


def _wing_out(wing) -> WingOut:
    return WingOut(code=wing.code, name=wing.name, closed_on=wing.closed_on)


@router.patch("/{code}/wings/{wing}", response_model=WingOut)
def change_wing(code: PrisonCode, wing: WingCode, body: WingChange, caller: Admin) -> WingOut:
    """Rename, close (from today) or reopen a wing; one transaction for all of it."""
    def change(db) -> None:
        now = utc_now()
        organisation.wing_in(db, organisation.prison_by_code(db, code), wing)  # 404 if none
        if body.name is not None:
            organisation.rename_wing(db, caller, code, wing, body.name, now)
        if body.closed is True:
            organisation.close_wing(db, caller, code, wing, now)
        elif body.closed is False:
            organisation.reopen_wing(db, caller, code, wing, now)
    _run(caller, change)
    return next(w for w in _detail(caller, code).wings if w.code == wing)


@router.get("/{code}/locations", response_model=list[LocationOut])
def list_locations(code: PrisonCode, caller: Admin) -> list[LocationOut]:
    """The prison's whole list in its order, retired ones included (marked)."""
    return _detail(caller, code).locations


@router.post("/{code}/locations", response_model=LocationOut, status_code=201)
def add_location(code: PrisonCode, body: LocationCreate, caller: Admin) -> LocationOut:
    """A prison's own location, last in the list, with its name in every language."""
    made: list[str] = []
    _run(caller, lambda db: made.append(organisation.add_location(
        db, caller, code, body.names, utc_now(), body.code).code))
    return _location_out(caller, code, made[0])


@router.patch("/{code}/locations/{location}", response_model=LocationOut)
def change_location(code: PrisonCode, location: LocationCode, body: LocationChange,
                    caller: Admin) -> LocationOut:
    """Rename (own locations only), move, retire or restore; one transaction for all of it."""
    def change(db) -> None:
        now = utc_now()
        organisation.location_in(db, organisation.prison_by_code(db, code), location)
        if body.names is not None:
            organisation.rename_location(db, caller, code, location, body.names, now)
        if body.position is not None:
            organisation.move_location(db, caller, code, location, body.position, now)
        if body.retired is not None:
            organisation.set_location_retired(db, caller, code, location, body.retired, now)
    _run(caller, change)
    return _location_out(caller, code, location)


def _location_out(caller: Identity, code: str, location: str) -> LocationOut:
    return next(loc for loc in _detail(caller, code).locations if loc.code == location)
