"""Administrators' view of the accounts: who exists, their role, prison, postings, whether they
are locked out and when they last signed in. DTOs only: never a password hash."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from app.i18n.messages import N_
from app.models import LoginThrottle, Posting, Prison, User, Wing
from app.services.admin_refusals import NotFound, require_admin
from app.services.accounts import Identity, normalise_username
from app.services.postings import valid_on

MAX_ROWS = 500  # one page of the list; filters narrow it


@dataclass(frozen=True)
class UserFilters:
    role: str = ""
    prison: str = ""  # a prison's code
    wing: str = ""  # a wing's code (in `prison` when given): posted there today
    active: bool | None = None
    locked: bool | None = None


@dataclass(frozen=True)
class UserRow:
    username: str
    display_name: str
    role: str
    locale: str
    prison: str  # code, '' when none
    wings: tuple[str, ...]  # codes of the wings posted to today
    active: bool
    locked: bool
    must_change_password: bool
    last_sign_in_at: datetime | None
    created_at: datetime


@dataclass(frozen=True)
class PostingRow:
    id: int
    scope: str
    prison: str  # code, '' for the central service
    wing: str  # code, '' unless a wing posting
    valid_from: date
    valid_to: date | None
    current: bool  # holds today


@dataclass(frozen=True)
class UserDetail:
    user: UserRow
    postings: tuple[PostingRow, ...]


def _locked_names(db: Session, now: datetime) -> set[str]:
    return set(db.scalars(select(LoginThrottle.username)
                          .where(LoginThrottle.locked_until > now)))


def _wings_today(db: Session, user_ids: list[str], day: date) -> dict[str, list[str]]:
    rows = db.execute(select(Posting.user_id, Wing.code).join(Wing, Wing.id == Posting.wing_id)
                      .where(Posting.user_id.in_(user_ids), valid_on(day))
                      .order_by(Wing.code)).all()
    found: dict[str, list[str]] = {}
    for user_id, code in rows:
        found.setdefault(user_id, []).append(code)
    return found


def _rows(db: Session, users: list[User], now: datetime, day: date) -> list[UserRow]:
    locked = _locked_names(db, now)
    wings = _wings_today(db, [user.id for user in users], day) if users else {}
    prisons = dict(db.execute(select(Prison.id, Prison.code)).all())
    return [UserRow(username=user.username, display_name=user.display_name, role=user.role,
                    locale=user.locale, prison=prisons.get(user.prison_id, ""),
                    wings=tuple(wings.get(user.id, ())), active=user.active,
                    locked=user.username in locked,
                    must_change_password=user.must_change_password,
                    last_sign_in_at=user.last_sign_in_at, created_at=user.created_at)
            for user in users]


def list_users(db: Session, who: Identity, filters: UserFilters, now: datetime,
               day: date) -> list[UserRow]:
    require_admin(who)
    query = select(User).order_by(User.username).limit(MAX_ROWS)
    if filters.role:
        query = query.where(User.role == filters.role)
    if filters.prison:
        query = query.join(Prison, Prison.id == User.prison_id).where(
            Prison.code == filters.prison)
    if filters.active is not None:
        query = query.where(User.active.is_(filters.active))
    if filters.wing:
        posted = (select(Posting.id).join(Wing, Wing.id == Posting.wing_id)
                  .where(Posting.user_id == User.id, Wing.code == filters.wing, valid_on(day)))
        if filters.prison:
            posted = posted.join(Prison, Prison.id == Wing.prison_id).where(
                Prison.code == filters.prison)
        query = query.where(exists(posted))
    if filters.locked is not None:
        locked = exists(select(LoginThrottle.username).where(
            LoginThrottle.username == User.username, LoginThrottle.locked_until > now))
        query = query.where(locked if filters.locked else ~locked)
    return _rows(db, list(db.scalars(query)), now, day)


def find_user(db: Session, username: str) -> User:
    user = db.scalar(select(User).where(User.username == normalise_username(username)))
    if user is None:
        raise NotFound("not_found", N_("There is no account with this username."), "username")
    return user


def posting_rows(db: Session, user_id: str, day: date) -> tuple[PostingRow, ...]:
    rows = db.execute(
        select(Posting, Prison.code, Wing.code)
        .outerjoin(Prison, Prison.id == Posting.prison_id)
        .outerjoin(Wing, Wing.id == Posting.wing_id)
        .where(Posting.user_id == user_id).order_by(Posting.valid_from, Posting.id)).all()
    return tuple(PostingRow(id=posting.id, scope=posting.scope, prison=prison or "",
                            wing=wing or "", valid_from=posting.valid_from,
                            valid_to=posting.valid_to,
                            current=posting.valid_from <= day
                            and (posting.valid_to is None or posting.valid_to >= day))
                 for posting, prison, wing in rows)


def user_detail(db: Session, who: Identity, username: str, now: datetime,
                day: date) -> UserDetail:
    require_admin(who)
    user = find_user(db, username)
    return UserDetail(_rows(db, [user], now, day)[0], posting_rows(db, user.id, day))
