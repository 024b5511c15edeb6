"""Tablets: what each device running the capture island last told the server, and marking one
lost (issue 11 item 6). The reads for the administrators' list are in tablet_reads.py.

A tablet is known by the id it made itself. Every sync names it (record_contact), and when
online the island reports how many of the signed-in officer's entries wait on it and since when
(record_report): counts and times, never content, and each officer's apart, as the tablet's
outbox keeps them. Marking a tablet lost ends its officers' sessions and bearer tokens; its
sealed entries are still taken when they arrive (the sync route does not ask about the tablet).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.i18n.messages import N_
from app.models import Tablet, TabletOfficer, TokenCutoff
from app.services import audit, web_sessions
from app.services.accounts import Identity
from app.services.admin_refusals import Conflict, NotFound, Refused, require_admin
from app.vocabulary import Role

MAX_WAITING = 100_000  # far more than a tablet's storage holds


@dataclass(frozen=True)
class Report:
    """What the island says about itself: the signed-in officer's entries waiting on it."""

    device_id: str
    waiting: int
    oldest_waiting_at: datetime | None
    app_version: str


@dataclass(frozen=True)
class Lost:
    device_id: str
    lost_at: datetime
    officers: tuple[str, ...]  # user ids whose sessions and tokens ended
    sessions_ended: int


def _require_officer(who: Identity) -> None:
    if who.role != Role.OFFICER:
        raise Refused("forbidden", N_("Only officers record observations."))


def _insert(db: Session, model):
    dialect = postgresql if db.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(model)


def record_contact(db: Session, who: Identity, device_id: str, now: datetime,
                   app_version: str | None = None) -> None:
    """The tablet was heard from, with this officer on it: one upsert of the tablet, one of
    its officer (cheap enough for every sync batch). A lost tablet is recorded like any other:
    the page then says it came back."""
    _require_officer(who)
    tablet = _insert(db, Tablet).values(
        device_id=device_id, prison_id=who.prison_id, first_seen_at=now, last_contact_at=now,
        last_officer_id=who.user_id, app_version=app_version)
    columns = Tablet.__table__.c
    db.execute(tablet.on_conflict_do_update(index_elements=["device_id"], set_={
        "last_contact_at": tablet.excluded.last_contact_at,
        "last_officer_id": tablet.excluded.last_officer_id,
        # An officer with no posting today says nothing about where the tablet is.
        "prison_id": func.coalesce(tablet.excluded.prison_id, columns.prison_id),
        "app_version": func.coalesce(tablet.excluded.app_version, columns.app_version),
    }))
    officer = _insert(db, TabletOfficer).values(
        device_id=device_id, user_id=who.user_id, first_seen_at=now, last_seen_at=now,
        waiting=0)
    db.execute(officer.on_conflict_do_update(index_elements=["device_id", "user_id"],
                                             set_={"last_seen_at": officer.excluded.last_seen_at}))


def record_report(db: Session, who: Identity, report: Report, now: datetime) -> None:
    """The island's own count of this officer's entries waiting on it, and the app it runs.

    Taken as told, not refused: it is the tablet's word about itself, and a count kept is worth
    more than a report turned away. A tablet's clock ahead of ours makes its oldest entry "now";
    a count without a time is kept without one (the 24-hour rule cannot judge it)."""
    if not 0 <= report.waiting <= MAX_WAITING:
        raise Refused("invalid_request", N_("The number of waiting entries is out of range."),
                      "waiting")
    oldest = min(report.oldest_waiting_at, now) if report.waiting and report.oldest_waiting_at \
        else None
    record_contact(db, who, report.device_id, now, report.app_version)
    row = db.get_one(TabletOfficer, (report.device_id, who.user_id))
    row.waiting, row.oldest_waiting_at, row.reported_at = report.waiting, oldest, now


def mark_lost(db: Session, who: Identity, device_id: str, now: datetime) -> Lost:
    """End the sessions and bearer tokens of every officer who used the tablet, and mark it.

    Every officer who ever used it, not only the last: a shared tablet may hold another
    officer's session cookie, and which browser session runs on which tablet is not known. Their
    password-grant tokens stop through a cut-off (tokens_refused). Entries the tablet sealed
    are still accepted: a seal proves the content, and the officer's next sign-in sends them."""
    require_admin(who)
    tablet = db.get(Tablet, device_id, with_for_update=True)
    if tablet is None:
        raise NotFound("not_found", N_("No tablet has this id."), "device_id")
    if tablet.lost_at is not None:
        raise Conflict("already_lost", N_("This tablet is already marked lost."), "device_id")
    officers = tuple(db.scalars(select(TabletOfficer.user_id)
                                .where(TabletOfficer.device_id == device_id)
                                .order_by(TabletOfficer.user_id)))
    ended = web_sessions.end_all(db, officers, now, "tablet_lost")
    for user_id in officers:
        cutoff = db.get(TokenCutoff, user_id) or TokenCutoff(user_id=user_id, not_before=now)
        cutoff.not_before = max(cutoff.not_before, now)
        db.add(cutoff)
    tablet.lost_at, tablet.lost_by = now, who.user_id
    audit.record_change(db, at=now, actor_id=who.user_id, change="tablet.lost", subject=device_id,
                        before={"lost_at": None},
                        after={"lost_at": now.isoformat(), "officers": list(officers),
                               "sessions_ended": ended})
    return Lost(device_id, now, officers, ended)


def tokens_refused(db: Session, user_id: str, issued_at: datetime | None) -> bool:
    """Whether a bearer token of this user, issued then, was cut off (a tablet marked lost).
    A token's iat is whole seconds, so one issued in the second of the cut-off is refused too."""
    not_before = db.scalar(select(TokenCutoff.not_before).where(TokenCutoff.user_id == user_id))
    if not_before is None:
        return False
    return issued_at is None or issued_at.timestamp() <= not_before.timestamp()
