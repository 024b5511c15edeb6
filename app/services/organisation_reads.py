"""Prisons, wings and locations as the rest of the app reads them; the commands are in
app/services/organisation.py.

`wing_is_open` / `wing_open_on` are what postings and the roster ask before putting anyone on
a wing; `places` is what the capture form offers and what screeners read a location as.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.i18n.messages import Messages
from app.models import Prison, PrisonLocation, User, Wing
from app.services import catalogue
from app.services.accounts import Identity
from app.services.organisation import prison_by_code, require_admin
from app.vocabulary import Role


def wing_open_on(day: date):
    """The SQL condition of a wing open on `day`: a wing closed on a day is closed from then."""
    return or_(Wing.closed_on.is_(None), Wing.closed_on > day)


def wing_is_open(db: Session, wing_id: str, day: date) -> bool:
    """Whether a wing exists and may take new postings and prisoners on `day`."""
    return db.scalar(select(Wing.id).where(Wing.id == wing_id, wing_open_on(day))) is not None


@dataclass(frozen=True)
class Place:
    """A location as one reader sees it: its code and its words in their language."""

    code: str
    label: str
    standard: bool
    retired: bool


def _standard_labels() -> dict[str, str]:
    return {loc.code: loc.label for loc in catalogue.locations()}  # message ids


def _label(row: PrisonLocation, words: Messages, standard: dict[str, str]) -> str:
    if row.names is None:
        return words.t(standard.get(row.code, row.code))
    return row.names.get(words.locale.value) or row.names["en"]


def places(db: Session, prison_id: str | None, words: Messages, *,
           retired: bool = False) -> list[Place]:
    """A prison's locations in its order, retired ones only when asked. A prison without a list
    (none posted yet, or made before lists existed) offers the standard locations."""
    standard = _standard_labels()
    rows = [] if prison_id is None else db.scalars(
        select(PrisonLocation).where(PrisonLocation.prison_id == prison_id,
                                     *([] if retired else [PrisonLocation.retired.is_(False)]))
        .order_by(PrisonLocation.position, PrisonLocation.code)).all()
    if not rows and not _has_list(db, prison_id):
        return [Place(code, words.t(label), True, False) for code, label in standard.items()]
    return [Place(row.code, _label(row, words, standard), row.names is None, row.retired)
            for row in rows]


def _has_list(db: Session, prison_id: str | None) -> bool:
    return prison_id is not None and db.scalar(
        select(PrisonLocation.code).where(PrisonLocation.prison_id == prison_id).limit(1)
    ) is not None


def own_location_codes(db: Session, prison_id: str | None) -> frozenset[str]:
    """The codes of a prison's own locations, retired ones too: an entry made offline before a
    retirement is still taken. One small query; the standard codes are known without one."""
    if prison_id is None:
        return frozenset()
    return frozenset(db.scalars(select(PrisonLocation.code).where(
        PrisonLocation.prison_id == prison_id, PrisonLocation.names.is_not(None))))


# --- what the administration pages read ----------------------------------------------------


@dataclass(frozen=True)
class PrisonSummary:
    code: str
    name: str
    open_wings: int
    closed_wings: int


@dataclass(frozen=True)
class WingRow:
    code: str
    name: str
    closed_on: date | None


@dataclass(frozen=True)
class LocationRow:
    code: str
    label: str  # in the reader's language
    names: dict[str, str] | None  # a prison's own location's names by locale; None: standard
    position: int
    retired: bool


@dataclass(frozen=True)
class PrisonDetail:
    code: str
    name: str
    wings: tuple[WingRow, ...]
    locations: tuple[LocationRow, ...]


@dataclass(frozen=True)
class Overview:
    prisons: int
    open_wings: int
    closed_wings: int
    active_accounts: tuple[tuple[str, int], ...]  # (role, count), every role, in Role's order


def prisons(db: Session, actor: Identity, day: date) -> list[PrisonSummary]:
    require_admin(actor)
    open_now = wing_open_on(day)
    rows = db.execute(
        select(Prison.code, Prison.name,
               func.count(Wing.id).filter(open_now), func.count(Wing.id).filter(~open_now))
        .outerjoin(Wing, Wing.prison_id == Prison.id)
        .group_by(Prison.id, Prison.code, Prison.name).order_by(Prison.code)).all()
    return [PrisonSummary(code, name, opened, closed) for code, name, opened, closed in rows]


def prison_detail(db: Session, actor: Identity, code: str, words: Messages) -> PrisonDetail:
    require_admin(actor)
    prison = prison_by_code(db, code)
    wings = db.scalars(select(Wing).where(Wing.prison_id == prison.id).order_by(Wing.code))
    standard = _standard_labels()
    locations = db.scalars(select(PrisonLocation).where(PrisonLocation.prison_id == prison.id)
                           .order_by(PrisonLocation.position, PrisonLocation.code))
    return PrisonDetail(
        code=prison.code, name=prison.name,
        wings=tuple(WingRow(w.code, w.name, w.closed_on) for w in wings),
        locations=tuple(LocationRow(loc.code, _label(loc, words, standard),
                                    dict(loc.names) if loc.names is not None else None,
                                    loc.position, loc.retired) for loc in locations))


def overview(db: Session, actor: Identity, day: date) -> Overview:
    """The counts an administrator starts from; nothing about observations."""
    require_admin(actor)
    open_now = wing_open_on(day)
    opened, closed = db.execute(select(func.count(Wing.id).filter(open_now),
                                       func.count(Wing.id).filter(~open_now))).one()
    by_role = dict(db.execute(select(User.role, func.count(User.id))
                              .where(User.active.is_(True)).group_by(User.role)).all())
    return Overview(prisons=db.scalar(select(func.count(Prison.id))) or 0,
                    open_wings=opened or 0, closed_wings=closed or 0,
                    active_accounts=tuple((role.value, by_role.get(role.value, 0))
                                          for role in Role))
