"""Administrators' changes to postings: add one, end one. Never deleted: ending sets valid_to.

Which scope a role may hold: an officer wings (one or more), treatment staff a prison, a
security head or a data-protection officer a prison or the central service; administrators and
the roster service none.
The read side, which every request goes through, is app/services/postings.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.i18n.messages import N_
from app.models import Posting, Prison, User, Wing
from app.services import audit
from app.services.accounts import Identity
from app.services.account_list import find_user
from app.services.admin_refusals import Conflict, NotFound, Refused, require_admin
from app.vocabulary import PostingScope, Role

SCOPES: dict[str, frozenset[PostingScope]] = {
    Role.OFFICER: frozenset({PostingScope.WING}),
    Role.TREATMENT: frozenset({PostingScope.PRISON}),
    Role.SECURITY_HEAD: frozenset({PostingScope.PRISON, PostingScope.CENTRAL}),
    Role.DATA_PROTECTION: frozenset({PostingScope.PRISON, PostingScope.CENTRAL}),
}


@dataclass(frozen=True)
class NewPosting:
    scope: str
    valid_from: date
    valid_to: date | None = None
    prison: str = ""  # a prison's code; '' means the user's own prison
    wing: str = ""  # a wing's code in that prison (scope wing)


def posting_fields(posting: Posting, db: Session) -> dict[str, object]:
    """A posting as the audit log keeps it: codes and dates."""
    prison = db.get(Prison, posting.prison_id) if posting.prison_id else None
    wing = db.get(Wing, posting.wing_id) if posting.wing_id else None
    return {"user": posting.user.username, "scope": posting.scope,
            "prison": prison.code if prison else None, "wing": wing.code if wing else None,
            "valid_from": posting.valid_from.isoformat(),
            "valid_to": posting.valid_to.isoformat() if posting.valid_to else None}


def _check_dates(valid_from: date, valid_to: date | None) -> None:
    if valid_to is not None and valid_to < valid_from:
        raise Refused("invalid_dates", N_("The last day cannot be before the first."),
                      "valid_to")


def _prison_of(db: Session, user: User, code: str) -> Prison:
    prison = (db.scalar(select(Prison).where(Prison.code == code)) if code
              else db.get(Prison, user.prison_id) if user.prison_id else None)
    if prison is None:
        raise Refused("unknown_prison", N_("There is no prison with this code."), "prison")
    if user.prison_id and prison.id != user.prison_id:
        raise Refused("other_prison", N_("This account belongs to another prison."), "prison")
    return prison


def open_wing(db: Session, prison: Prison, code: str) -> Wing:
    wing = db.scalar(select(Wing).where(Wing.prison_id == prison.id, Wing.code == code))
    if wing is None:
        raise Refused("unknown_wing", N_("This prison has no wing with this code."), "wing")
    if wing.closed_on is not None:
        raise Refused("wing_closed", N_("This wing is closed: it takes no new postings."),
                      "wing")
    return wing


def _overlapping(db: Session, user: User, posting: Posting) -> bool:
    """Whether another posting of the same kind overlaps: a second prison (or central) posting
    for treatment staff or a security head would make "their prison" ambiguous, and a second
    posting to the same wing says nothing new."""
    same_kind = (Posting.wing_id == posting.wing_id if posting.scope == PostingScope.WING
                 else Posting.scope != PostingScope.WING)
    ends = posting.valid_to or date.max
    return db.scalar(select(Posting.id).where(
        Posting.user_id == user.id, Posting.id != posting.id, same_kind,
        Posting.valid_from <= ends,
        or_(Posting.valid_to.is_(None), Posting.valid_to >= posting.valid_from))) is not None


def add_posting(db: Session, who: Identity, username: str, new: NewPosting,
                now: datetime) -> int:
    require_admin(who)
    user = find_user(db, username)
    allowed = SCOPES.get(user.role, frozenset())
    if new.scope not in allowed:
        raise Refused("wrong_scope", N_("This role cannot hold this kind of posting."), "scope")
    _check_dates(new.valid_from, new.valid_to)
    posting = Posting(user_id=user.id, scope=new.scope, valid_from=new.valid_from,
                      valid_to=new.valid_to, created_at=now)
    if new.scope != PostingScope.CENTRAL:
        prison = _prison_of(db, user, new.prison)
        posting.prison_id = prison.id
        if new.scope == PostingScope.WING:
            posting.wing_id = open_wing(db, prison, new.wing).id
    if _overlapping(db, user, posting):
        raise Conflict("overlapping_posting",
                       N_("This posting overlaps another of the same kind."), "valid_from")
    db.add(posting)
    db.flush()
    audit.record_change(db, at=now, actor_id=who.user_id, change="posting.add",
                        subject=str(posting.id), before=None, after=posting_fields(posting, db))
    return posting.id


def end_posting(db: Session, who: Identity, username: str, posting_id: int, valid_to: date,
                now: datetime) -> None:
    """Set a posting's last day (it holds through that day, on the prisons' clock)."""
    require_admin(who)
    user = find_user(db, username)
    posting = db.get(Posting, posting_id)
    if posting is None or posting.user_id != user.id:
        raise NotFound("not_found", N_("This account has no such posting."), "id")
    _check_dates(posting.valid_from, valid_to)
    before = posting_fields(posting, db)
    posting.valid_to = valid_to
    if _overlapping(db, user, posting):  # a later end can run into a newer posting
        raise Conflict("overlapping_posting",
                       N_("This posting overlaps another of the same kind."), "valid_to")
    audit.record_change(db, at=now, actor_id=who.user_id, change="posting.end",
                        subject=str(posting.id), before=before, after=posting_fields(posting, db))
