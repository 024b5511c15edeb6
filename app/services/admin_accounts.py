"""Administrators' changes to accounts: create, edit, deactivate and reactivate (never delete:
the author of an old entry stays known), reset a password, unlock a username.

Every write is audited with before and after (audit.record_change): codes and values, never a
password, a hash or a temporary password. The reads are in app/services/account_list.py, the
CSV import in app/services/account_import.py, postings in app/services/posting_changes.py.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.i18n.locales import Locale
from app.i18n.messages import N_
from app.models import LoginThrottle, Prison, User
from app.services import audit, web_sessions
from app.services.accounts import Identity, normalise_username
from app.services.account_list import find_user
from app.services.admin_refusals import Conflict, Refused, require_admin
from app.services.passwords import hash_password, password_problem
from app.vocabulary import Role, parse

USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,63}")
RESERVED_USERNAME = "import"  # the API's address for a CSV import (/api/v1/admin/users/import)
MAX_DISPLAY_NAME = 120
# Roles that work in one prison; a security head may be central (no prison), an administrator
# works across all of them and so has none.
PRISON_REQUIRED = frozenset({Role.OFFICER, Role.TREATMENT})
# Letters and digits nobody misreads on a screen or a phone line (no 0/o, 1/l/i).
_READABLE = "abcdefghjkmnpqrstuvwxyz23456789"
TEMPORARY_GROUPS, GROUP_LENGTH = 4, 4  # "kfmr-7xqp-2bnd-h9ts": 80 bits, 19 characters


@dataclass(frozen=True)
class NewUser:
    username: str
    display_name: str
    role: str
    locale: str = Locale.EN.value
    prison: str = ""  # a prison's code


@dataclass(frozen=True)
class UserChange:
    """What PATCH may change; None leaves a field as it is."""

    display_name: str | None = None
    locale: str | None = None
    active: bool | None = None


def user_fields(db: Session, user: User) -> dict[str, object]:
    """An account as the audit log keeps it: never the password hash."""
    prison = db.get(Prison, user.prison_id) if user.prison_id else None
    return {"username": user.username, "display_name": user.display_name, "role": user.role,
            "locale": user.locale, "prison": prison.code if prison else None,
            "active": user.active, "must_change_password": user.must_change_password}


def checked_username(text: str) -> str:
    name = normalise_username(text)
    if not USERNAME.fullmatch(name) or name == RESERVED_USERNAME:
        raise Refused("invalid_username",
                      N_("Use 2 to 64 letters {letters}, digits, dots, dashes or underscores, "
                         "starting with a letter or digit."), "username", letters="a-z")
    return name


def checked_display_name(text: str) -> str:
    name = " ".join(text.split())
    if not name or len(name) > MAX_DISPLAY_NAME or not name.isprintable():
        raise Refused("invalid_display_name",
                      N_("Write a name of 1 to {count} characters."), "display_name",
                      count=MAX_DISPLAY_NAME)
    return name


def checked_locale(text: str) -> str:
    locale = parse(Locale, text)
    if locale is None or locale is Locale.PSEUDO:
        raise Refused("invalid_locale", N_("Choose one of the languages Wingwatch speaks."),
                      "locale")
    return locale.value


def checked_role(text: str) -> Role:
    role = parse(Role, text)
    if role is None:
        raise Refused("invalid_role", N_("Choose one of the roles."), "role")
    return role


def prison_for(db: Session, role: Role, code: str) -> str | None:
    """The prison id a new account of `role` belongs to."""
    if role is Role.ADMIN:
        if code:
            raise Refused("admin_no_prison",
                          N_("An administrator works for every prison: leave the prison "
                             "empty."), "prison")
        return None
    if not code:
        if role in PRISON_REQUIRED:
            raise Refused("prison_required", N_("Choose the prison this account works in."),
                          "prison")
        return None
    prison_id = db.scalar(select(Prison.id).where(Prison.code == code.strip()))
    if prison_id is None:
        raise Refused("unknown_prison", N_("There is no prison with this code."), "prison")
    return prison_id


def create_user(db: Session, who: Identity, new: NewUser, now: datetime) -> User:
    """A new account with no usable password: a reset gives its first, temporary one."""
    require_admin(who)
    username = checked_username(new.username)
    role = checked_role(new.role)
    if db.scalar(select(User.id).where(User.username == username)) is not None:
        raise Conflict("username_taken", N_("This username is taken."), "username")
    user = User(username=username, display_name=checked_display_name(new.display_name),
                role=role.value, locale=checked_locale(new.locale),
                prison_id=prison_for(db, role, new.prison), created_at=now, active=True,
                # Nobody knows this password; it only makes signing in cost the same time.
                password_hash=hash_password(secrets.token_urlsafe(32)),
                must_change_password=True)
    db.add(user)
    db.flush()
    audit.record_change(db, at=now, actor_id=who.user_id, change="user.create", subject=user.id,
                        before=None, after=user_fields(db, user))
    return user


def update_user(db: Session, who: Identity, username: str, change: UserChange,
                now: datetime) -> User:
    require_admin(who)
    user = find_user(db, username)
    if change.active is False and user.id == who.user_id:
        raise Refused("own_account", N_("You cannot deactivate your own account."), "active")
    before = user_fields(db, user)
    if change.display_name is not None:
        user.display_name = checked_display_name(change.display_name)
    if change.locale is not None:
        user.locale = checked_locale(change.locale)
    if change.active is not None:
        user.active = change.active
        # Their browsers and the tokens made from them stop now; load_identity refuses an
        # inactive account's other tokens.
        if not change.active:
            web_sessions.end_all(db, [user.id], now, "deactivated")
    after = user_fields(db, user)
    if after != before:
        audit.record_change(db, at=now, actor_id=who.user_id, change="user.update",
                            subject=user.id, before=before, after=after)
    return user


def temporary_password() -> str:
    groups = ("".join(secrets.choice(_READABLE) for _ in range(GROUP_LENGTH))
              for _ in range(TEMPORARY_GROUPS))
    password = "-".join(groups)
    assert password_problem(password) is None  # the rules a user's own password meets
    return password


def reset_password(db: Session, who: Identity, username: str, now: datetime) -> str:
    """A one-time temporary password, returned once to show; only its hash is stored. The
    next sign-in must choose a new one, and the account's open sessions end now."""
    require_admin(who)
    user = find_user(db, username)
    before = {"must_change_password": user.must_change_password}
    password = temporary_password()
    user.password_hash, user.must_change_password = hash_password(password), True
    web_sessions.end_all(db, [user.id], now, "password_reset")
    audit.record_change(db, at=now, actor_id=who.user_id, change="user.password_reset",
                        subject=user.id, before=before, after={"must_change_password": True})
    return password


def unlock(db: Session, who: Identity, username: str, now: datetime) -> bool:
    """Clear a username's lock-out; False when it was not locked (nothing written)."""
    require_admin(who)
    user = find_user(db, username)
    throttle = db.get(LoginThrottle, user.username)
    if throttle is None or throttle.locked_until is None or throttle.locked_until <= now:
        return False
    before = {"locked_until": throttle.locked_until.isoformat()}
    db.delete(throttle)
    audit.record_change(db, at=now, actor_id=who.user_id, change="user.unlock",
                        subject=user.id, before=before, after={"locked_until": None})
    return True
