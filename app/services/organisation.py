"""Prisons, wings and each prison's locations: what an administrator sets up (issue 11 item 1).

The commands; the reads are in app/services/organisation_reads.py. Nothing is ever deleted: a
closed wing and a retired location stay, because old observations name them. Every write is
audited with its before and after (audit.record_change), as codes and values.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Mapping

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.clock import prisons_today
from app.i18n.messages import N_
from app.models import Prison, Prisoner, PrisonLocation, Wing
from app.services import audit, catalogue
from app.services.accounts import Identity
from app.services.roster import still_held
from app.vocabulary import Role

CODE_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,15}")  # a prison's or a wing's code
LOCATION_CODE = re.compile(r"[a-z0-9][a-z0-9_]{0,31}")
MAX_NAME = 120
MAX_LOCATION_NAME = 80
# The locales an administrator writes a location's name in; the others are written from them,
# as the catalogues' are (catalogue.GENERATED: sr-Cyrl from sr-Latn, the pseudo-locale from en).
WRITTEN = tuple(loc for loc in catalogue.LOCALES if loc not in catalogue.GENERATED)


@dataclass
class OrganisationError(ValueError):
    """A refused command: the field at fault, a code for programs, a message id and its
    placeholders. Raised before anything is written."""

    field: str
    code: str
    message: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__init__(self.code)


class NotAllowed(OrganisationError):
    """Only administrators set up prisons."""


class NotFound(OrganisationError):
    """No prison, wing or location with this code."""


class Conflict(OrganisationError):
    """The code is taken, or the thing is already in the state asked for."""


class Invalid(OrganisationError):
    """A value that is not acceptable (empty, too long, malformed, a locale missing)."""


# --- checks --------------------------------------------------------------------------------


def require_admin(actor: Identity) -> None:
    if actor.role != Role.ADMIN:
        raise NotAllowed("role", "forbidden", N_("Only administrators may do this."))


def _code(value: str, field_name: str) -> str:
    code = value.strip()
    if not CODE_PATTERN.fullmatch(code):
        raise Invalid(field_name, "bad_code", N_("Use 1 to 16 letters, digits, - or _, starting "
                                                 "with a letter or digit."))
    return code


def _name(value: str, field_name: str, limit: int = MAX_NAME) -> str:
    """A name as shown: spaces at the ends dropped, no control characters."""
    name = " ".join(value.split())
    if not name:
        raise Invalid(field_name, "empty", N_("Write a name."))
    if len(name) > limit:
        raise Invalid(field_name, "too_long", N_("At most {count} characters."),
                      {"count": limit})
    if any(unicodedata.category(ch).startswith("C") for ch in name):
        raise Invalid(field_name, "control_character",
                      N_("Remove the invisible control characters."))
    return name


def location_names(written: Mapping[str, str]) -> dict[str, str]:
    """A prison's own location's name in every locale: each of WRITTEN given, the rest made from
    them, so Serbian's two scripts cannot drift apart."""
    unknown = sorted(set(written) - set(WRITTEN))
    if unknown:
        raise Invalid(f"names.{unknown[0]}", "unknown_locale",
                      N_("Not a language a name is written in here."))
    names: dict[str, str] = {}
    for locale in WRITTEN:
        where = f"names.{locale}"
        if locale not in written:
            raise Invalid(where, "missing_locale", N_("The name in this language is missing."))
        names[locale] = _name(str(written[locale]), where, MAX_LOCATION_NAME)
    for locale, (source, write) in catalogue.GENERATED.items():
        names[locale] = write(names[source])
    return {locale: names[locale] for locale in catalogue.LOCALES}


# --- finding what a command works on -------------------------------------------------------


def prison_by_code(db: Session, code: str) -> Prison:
    prison = db.scalar(select(Prison).where(Prison.code == code))
    if prison is None:
        raise NotFound("prison", "unknown_prison", N_("There is no prison with the code "
                                                      "{code}."), {"code": code})
    return prison


def wing_in(db: Session, prison: Prison, code: str) -> Wing:
    wing = db.scalar(select(Wing).where(Wing.prison_id == prison.id, Wing.code == code))
    if wing is None:
        raise NotFound("wing", "unknown_wing", N_("There is no wing {code} in this prison."),
                       {"code": code})
    return wing


def _locations(db: Session, prison: Prison) -> list[PrisonLocation]:
    return list(db.scalars(select(PrisonLocation).where(PrisonLocation.prison_id == prison.id)
                           .order_by(PrisonLocation.position, PrisonLocation.code)))


def location_in(db: Session, prison: Prison, code: str) -> PrisonLocation:
    location = db.get(PrisonLocation, (prison.id, code))
    if location is None:
        raise NotFound("location", "unknown_location",
                       N_("There is no location {code} in this prison."), {"code": code})
    return location


# --- prisons -------------------------------------------------------------------------------


def give_standard_locations(db: Session, prison: Prison) -> None:
    """A new prison offers the standard locations (app/catalogue/locations.json), in that order;
    their words come from the catalogues, so `names` stays SQL NULL (not given: a None would be
    stored as JSON null, which `IS NULL` does not find)."""
    db.add_all(PrisonLocation(prison_id=prison.id, code=loc.code, position=n)
               for n, loc in enumerate(catalogue.locations()))


def create_prison(db: Session, actor: Identity, code: str, name: str, now: datetime) -> Prison:
    require_admin(actor)
    code, name = _code(code, "code"), _name(name, "name")
    taken = db.scalar(select(Prison.id).where(func.lower(Prison.code) == code.lower()))
    if taken is not None:
        raise Conflict("code", "code_taken", N_("The code {code} is already taken."),
                       {"code": code})
    prison = Prison(code=code, name=name)
    db.add(prison)
    db.flush()
    give_standard_locations(db, prison)
    audit.record_change(db, at=now, actor_id=actor.user_id, change="prison.create",
                        subject=prison.id, before=None, after={"code": code, "name": name})
    return prison


def rename_prison(db: Session, actor: Identity, code: str, name: str, now: datetime) -> None:
    require_admin(actor)
    prison, name = prison_by_code(db, code), _name(name, "name")
    if name == prison.name:
        return
    before, prison.name = prison.name, name
    audit.record_change(db, at=now, actor_id=actor.user_id, change="prison.rename",
                        subject=prison.id, before={"name": before}, after={"name": name})


# --- wings ---------------------------------------------------------------------------------


def create_wing(db: Session, actor: Identity, prison_code: str, code: str, name: str,
                now: datetime) -> Wing:
    require_admin(actor)
    prison = prison_by_code(db, prison_code)
    code, name = _code(code, "code"), _name(name, "name")
    taken = db.scalar(select(Wing.id).where(Wing.prison_id == prison.id,
                                            func.lower(Wing.code) == code.lower()))
    if taken is not None:
        raise Conflict("code", "code_taken", N_("The code {code} is already taken."),
                       {"code": code})
    wing = Wing(prison_id=prison.id, code=code, name=name)
    db.add(wing)
    db.flush()
    audit.record_change(db, at=now, actor_id=actor.user_id, change="wing.create",
                        subject=wing.id, before=None,
                        after={"prison": prison.code, "code": code, "name": name})
    return wing


def rename_wing(db: Session, actor: Identity, prison_code: str, code: str, name: str,
                now: datetime) -> None:
    require_admin(actor)
    wing, name = wing_in(db, prison_by_code(db, prison_code), code), _name(name, "name")
    if name == wing.name:
        return
    before, wing.name = wing.name, name
    audit.record_change(db, at=now, actor_id=actor.user_id, change="wing.rename",
                        subject=wing.id, before={"name": before}, after={"name": name})


def close_wing(db: Session, actor: Identity, prison_code: str, code: str, now: datetime,
               day: date | None = None) -> None:
    """From `day` (default: the prisons' today) the wing takes no new postings or prisoners and
    leaves the officers' reach. Refused while prisoners are still held there: they would drop
    off every tablet's roster, so the roster moves them first."""
    require_admin(actor)
    wing = wing_in(db, prison_by_code(db, prison_code), code)
    if wing.closed_on is not None:
        raise Conflict("closed", "already_closed", N_("Wing {code} is already closed."),
                       {"code": code})
    day = day or prisons_today(now)
    held = db.scalar(select(func.count()).select_from(Prisoner)
                     .where(Prisoner.wing_id == wing.id, still_held(day)))
    if held:
        raise Conflict("closed", "wing_not_empty",
                       N_("Prisoners still held on wing {code}: {count}. Move them first."),
                       {"code": code, "count": held})
    wing.closed_on = day
    audit.record_change(db, at=now, actor_id=actor.user_id, change="wing.close",
                        subject=wing.id, before={"closed_on": None},
                        after={"closed_on": day.isoformat()})


def reopen_wing(db: Session, actor: Identity, prison_code: str, code: str,
                now: datetime) -> None:
    require_admin(actor)
    wing = wing_in(db, prison_by_code(db, prison_code), code)
    if wing.closed_on is None:
        raise Conflict("closed", "not_closed", N_("Wing {code} is open."), {"code": code})
    before, wing.closed_on = wing.closed_on, None
    audit.record_change(db, at=now, actor_id=actor.user_id, change="wing.reopen",
                        subject=wing.id, before={"closed_on": before.isoformat()},
                        after={"closed_on": None})


# --- a prison's locations ------------------------------------------------------------------


def _slug(english: str) -> str:
    """A code made from the English name: ascii letters and digits, '_' between words."""
    ascii_only = unicodedata.normalize("NFKD", english).encode("ascii", "ignore").decode()
    return "_".join(re.findall(r"[a-z0-9]+", ascii_only.lower()))[:24].strip("_") or "place"


def _new_code(db: Session, prison: Prison, english: str) -> str:
    """Unique in the prison, and never a standard code (those mean the catalogues' words)."""
    taken = {loc.code for loc in _locations(db, prison)}
    taken |= {loc.code for loc in catalogue.locations()}
    base = _slug(english)
    code, n = base, 2
    while code in taken:
        code, n = f"{base}_{n}", n + 1
    return code


def add_location(db: Session, actor: Identity, prison_code: str, names: Mapping[str, str],
                 now: datetime, code: str | None = None) -> PrisonLocation:
    """A prison's own location, last in its list; its code from the English name unless given."""
    require_admin(actor)
    prison = prison_by_code(db, prison_code)
    full = location_names(names)
    if code is None:
        code = _new_code(db, prison, full["en"])
    elif not LOCATION_CODE.fullmatch(code):
        raise Invalid("code", "bad_code", N_("Use 1 to 32 small letters, digits or _."))
    elif (db.get(PrisonLocation, (prison.id, code)) is not None
          or code in {loc.code for loc in catalogue.locations()}):
        raise Conflict("code", "code_taken", N_("The code {code} is already taken."),
                       {"code": code})
    last = db.scalar(select(func.max(PrisonLocation.position))
                     .where(PrisonLocation.prison_id == prison.id))
    location = PrisonLocation(prison_id=prison.id, code=code, names=full,
                              position=(last + 1) if last is not None else 0, retired=False)
    db.add(location)
    db.flush()
    audit.record_change(db, at=now, actor_id=actor.user_id, change="location.create",
                        subject=prison.id, before=None, after={"code": code, "names": full})
    return location


def rename_location(db: Session, actor: Identity, prison_code: str, code: str,
                    names: Mapping[str, str], now: datetime) -> None:
    require_admin(actor)
    prison = prison_by_code(db, prison_code)
    location = location_in(db, prison, code)
    if location.names is None:
        raise Invalid("names", "standard_location",
                      N_("A standard location's words come from the catalogue; they cannot be "
                         "changed here."))
    full = location_names(names)
    if full == location.names:
        return
    before, location.names = location.names, full
    audit.record_change(db, at=now, actor_id=actor.user_id, change="location.rename",
                        subject=prison.id, before={"code": code, "names": before},
                        after={"code": code, "names": full})


def move_location(db: Session, actor: Identity, prison_code: str, code: str, position: int,
                  now: datetime) -> None:
    """Put a location at `position` (0 is first, past the end is last) of the prison's whole
    list, retired ones included, and number the list again from 0."""
    require_admin(actor)
    prison = prison_by_code(db, prison_code)
    moving = location_in(db, prison, code)
    if position < 0:
        raise Invalid("position", "negative", N_("Must be 0 or more."))
    order = [loc for loc in _locations(db, prison) if loc.code != code]
    before = moving.position
    order.insert(min(position, len(order)), moving)
    for n, loc in enumerate(order):
        loc.position = n
    if moving.position != before:
        audit.record_change(db, at=now, actor_id=actor.user_id, change="location.move",
                            subject=prison.id, before={"code": code, "position": before},
                            after={"code": code, "position": moving.position})


def set_location_retired(db: Session, actor: Identity, prison_code: str, code: str,
                         retired: bool, now: datetime) -> None:
    """Retire (the capture form stops offering it) or restore a location. Never deleted: old
    observations name it, and entries made offline before the retirement are still taken."""
    require_admin(actor)
    prison = prison_by_code(db, prison_code)
    location = location_in(db, prison, code)
    if location.retired == retired:
        return
    location.retired = retired
    audit.record_change(db, at=now, actor_id=actor.user_id,
                        change="location.retire" if retired else "location.restore",
                        subject=prison.id, before={"code": code, "retired": not retired},
                        after={"code": code, "retired": retired})
