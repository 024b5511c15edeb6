"""Who a user is, and whether they may sign in: credentials, lock-out, the sign-in log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import AuthLog, LoginThrottle, User
from app.services import audit
from app.services.passwords import verify_password


@dataclass(frozen=True)
class Identity:
    """What the rest of the app may know about a signed-in user."""

    user_id: str
    username: str
    display_name: str
    role: str
    prison_id: str | None
    wing_ids: tuple[str, ...]


@dataclass(frozen=True)
class LockoutPolicy:
    failures: int = 5
    window: timedelta = timedelta(minutes=15)
    duration: timedelta = timedelta(minutes=15)


class SignIn(Enum):
    OK = "ok"
    INVALID = "invalid"
    LOCKED = "locked"


# One message for unknown users and wrong passwords, so neither reveals which it was.
INVALID_MESSAGE = "Wrong username or password."
LOCKED_MESSAGE = "Too many failed attempts. This account is locked for 15 minutes."


def normalise_username(username: str) -> str:
    # NUL cannot be stored in PostgreSQL text: swap it, so the attempt is refused and logged.
    return username.replace("\x00", "\ufffd").strip().lower()[:64]


def identity_of(user: User) -> Identity:
    return Identity(
        user_id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=user.role,
        prison_id=user.prison_id,
        wing_ids=tuple(w.id for w in user.wings),
    )


def load_identity(db: Session, user_id: str) -> Identity | None:
    user = db.get(User, user_id)
    return identity_of(user) if user and user.active else None


# Sign-in events that also go into the hash-chained audit log (LED Art. 25).
CHAINED = {"sign_in": audit.Action.SIGN_IN, "sign_in_failed": audit.Action.SIGN_IN_FAILED,
           "sign_in_refused_locked": audit.Action.SIGN_IN_FAILED,
           "sign_out": audit.Action.SIGN_OUT}


def log_auth(db: Session, now: datetime, event: str, username: str, channel: str,
             user_id: str | None = None, detail: str = "") -> None:
    db.add(AuthLog(at=now, event=event, username=username, user_id=user_id,
                   channel=channel, detail=detail[:200]))
    if event in CHAINED:
        audit.append(db, at=now, action=CHAINED[event], actor_id=user_id,
                     detail=f"{channel} {event}: {username}"[:200])


def authenticate(db: Session, username: str, password: str, now: datetime, channel: str,
                 policy: LockoutPolicy = LockoutPolicy()) -> tuple[SignIn, Identity | None]:
    """Check credentials, counting failures per username; every attempt is logged."""
    name = normalise_username(username)
    throttle = db.get(LoginThrottle, name) or LoginThrottle(username=name, failures=0)
    db.add(throttle)
    if throttle.locked_until and now < throttle.locked_until:
        log_auth(db, now, "sign_in_refused_locked", name, channel)
        return SignIn.LOCKED, None

    user = db.scalar(select(User).where(User.username == name))
    valid = verify_password(user.password_hash if user else None, password)
    if valid and user is not None and user.active:
        throttle.failures, throttle.window_started_at, throttle.locked_until = 0, None, None
        log_auth(db, now, "sign_in", name, channel, user.id)
        return SignIn.OK, identity_of(user)

    _count_failure(throttle, now, policy)
    locked = throttle.locked_until is not None and now < throttle.locked_until
    log_auth(db, now, "sign_in_failed", name, channel, user.id if user else None,
             "account locked" if locked else "")
    return (SignIn.LOCKED if locked else SignIn.INVALID), None


def _count_failure(throttle: LoginThrottle, now: datetime, policy: LockoutPolicy) -> None:
    window_open = throttle.window_started_at and now - throttle.window_started_at <= policy.window
    throttle.failures = (throttle.failures or 0) + 1 if window_open else 1
    if not window_open:
        throttle.window_started_at = now
    if throttle.failures >= policy.failures:
        throttle.locked_until = now + policy.duration
        throttle.failures, throttle.window_started_at = 0, None
