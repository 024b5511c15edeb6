"""Reading the tablets: the administrators' list per prison, what a deactivated officer's
tablets still hold, and the security head's "tablets need attention" (issue 11 item 6).

A tablet needs attention when an entry has waited on it over 24 hours or it has been silent
for 3 days; a tablet marked lost does not, unless it is heard from again after that. Counts,
times and accounts only: nothing here reads an observation.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from app.i18n.messages import N_
from app.models import Prison, Tablet, TabletOfficer, User
from app.services.accounts import Identity
from app.services.admin_refusals import NotAllowed, NotFound, require_admin
from app.vocabulary import Role

WAITING_LIMIT = timedelta(hours=24)
SILENT_LIMIT = timedelta(days=3)


class Attention(StrEnum):
    WAITING_LONG = "waiting_long"  # an entry has waited on it more than 24 hours
    SILENT = "silent"  # not heard from for 3 days
    BACK_AFTER_LOST = "back_after_lost"  # marked lost, then heard from again


@dataclass(frozen=True)
class TabletRow:
    device_id: str
    prison_code: str | None
    prison_name: str | None
    first_seen_at: datetime
    last_contact_at: datetime
    last_officer: str | None  # display name
    last_officer_username: str | None
    last_officer_active: bool
    waiting: int
    oldest_waiting_at: datetime | None
    app_version: str | None
    lost_at: datetime | None
    lost_by: str | None  # display name
    attention: tuple[Attention, ...]


@dataclass(frozen=True)
class HeldRow:
    """Entries of a deactivated officer that wait on a tablet, as the tablet last reported."""

    officer: str
    username: str
    device_id: str
    waiting: int
    oldest_waiting_at: datetime | None
    reported_at: datetime | None


@dataclass(frozen=True)
class Listing:
    prison_code: str  # "" for every prison
    rows: list[TabletRow]
    held: list[HeldRow]


@dataclass(frozen=True)
class AttentionSummary:
    tablets: int  # how many need attention
    by_reason: dict[Attention, int]


def attention(last_contact_at: datetime, oldest_waiting_at: datetime | None,
              lost_at: datetime | None, now: datetime) -> tuple[Attention, ...]:
    if lost_at is not None:
        return (Attention.BACK_AFTER_LOST,) if last_contact_at > lost_at else ()
    reasons = []
    if oldest_waiting_at is not None and now - oldest_waiting_at > WAITING_LIMIT:
        reasons.append(Attention.WAITING_LONG)
    if now - last_contact_at > SILENT_LIMIT:
        reasons.append(Attention.SILENT)
    return tuple(reasons)


def prison_choices(db: Session, who: Identity) -> list[tuple[str, str]]:
    """(code, name) of every prison, for the list's filter."""
    require_admin(who)
    return [tuple(row) for row in db.execute(select(Prison.code, Prison.name)
                                             .order_by(Prison.code))]


def _waiting():
    """Each tablet's waiting entries, all its officers' together."""
    return (select(TabletOfficer.device_id,
                   func.sum(TabletOfficer.waiting).label("waiting"),
                   func.min(TabletOfficer.oldest_waiting_at).label("oldest"))
            .where(TabletOfficer.waiting > 0).group_by(TabletOfficer.device_id).subquery())


def _prison_id(db: Session, code: str) -> str:
    prison_id = db.scalar(select(Prison.id).where(Prison.code == code))
    if prison_id is None:
        raise NotFound("not_found", N_("No prison has this code."), "prison")
    return prison_id


def listing(db: Session, who: Identity, now: datetime, prison_code: str = "") -> Listing:
    """Every tablet (of one prison, when a code is given), those needing attention first."""
    require_admin(who)
    prison_id = _prison_id(db, prison_code) if prison_code else None
    waiting, officer, marker = _waiting(), aliased(User), aliased(User)
    query = (select(Tablet, Prison.code, Prison.name, officer.display_name, officer.username,
                    officer.active, waiting.c.waiting, waiting.c.oldest, marker.display_name)
             .outerjoin(Prison, Prison.id == Tablet.prison_id)
             .outerjoin(officer, officer.id == Tablet.last_officer_id)
             .outerjoin(marker, marker.id == Tablet.lost_by)
             .outerjoin(waiting, waiting.c.device_id == Tablet.device_id))
    if prison_id is not None:
        query = query.where(Tablet.prison_id == prison_id)
    rows = [TabletRow(t.device_id, code, name, t.first_seen_at, t.last_contact_at, officer_name,
                      username, bool(active), int(count or 0), oldest, t.app_version, t.lost_at,
                      lost_by, attention(t.last_contact_at, oldest, t.lost_at, now))
            for t, code, name, officer_name, username, active, count, oldest, lost_by
            in db.execute(query)]
    rows.sort(key=lambda r: (not r.attention, r.lost_at is not None,
                             -r.last_contact_at.timestamp()))
    return Listing(prison_code, rows, _held_by_deactivated(db, prison_id))


def _held_by_deactivated(db: Session, prison_id: str | None) -> list[HeldRow]:
    """What deactivated officers left waiting on tablets (of the prison): kept on the tablet
    and listed for a supervisor, who can have it sent or the tablet collected."""
    query = (select(User.display_name, User.username, TabletOfficer.device_id,
                    TabletOfficer.waiting, TabletOfficer.oldest_waiting_at,
                    TabletOfficer.reported_at)
             .join(User, User.id == TabletOfficer.user_id)
             .join(Tablet, Tablet.device_id == TabletOfficer.device_id)
             .where(User.active.is_(False), TabletOfficer.waiting > 0)
             .order_by(TabletOfficer.oldest_waiting_at, User.username))
    if prison_id is not None:
        query = query.where(Tablet.prison_id == prison_id)
    return [HeldRow(*row) for row in db.execute(query)]


def needing_attention(db: Session, who: Identity, prison_ids: set[str],
                      now: datetime) -> AttentionSummary:
    """How many tablets of these prisons need attention, and why: for a security head's trends
    page (their own prisons only), no officer named."""
    if who.role == Role.SECURITY_HEAD:
        prison_ids = prison_ids if who.central else prison_ids & {who.prison_id}
    elif who.role != Role.ADMIN:
        raise NotAllowed()
    waiting = _waiting()
    found = db.execute(select(Tablet.last_contact_at, waiting.c.oldest, Tablet.lost_at)
                       .outerjoin(waiting, waiting.c.device_id == Tablet.device_id)
                       .where(Tablet.prison_id.in_(prison_ids)))
    reasons = [attention(last, oldest, lost, now) for last, oldest, lost in found]
    return AttentionSummary(sum(1 for r in reasons if r),
                            dict(Counter(reason for r in reasons for reason in r)))
