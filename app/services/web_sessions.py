"""Server-side browser sessions: random keys, idle lock, absolute expiry, sign-out.

The browser holds the key only in an HttpOnly cookie; the database holds its SHA-256.
Sign-in makes a one-time ticket first, which the page swaps for the cookie (app/api/session.py),
because Reflex event handlers cannot set HttpOnly cookies.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import User, WebSession
from app.services.accounts import Identity, load_identity, log_auth
from app.services.passwords import verify_password

COOKIE_NAME = "ww_session"  # the HttpOnly cookie that carries the session key (see cookie_name)
TICKET_LIFETIME = timedelta(seconds=60)
MAX_UNLOCK_FAILURES = 5


def cookie_name(secure: bool) -> str:
    """The cookie's name. Behind TLS it is `__Host-` (Secure, Path=/, no Domain): browsers then
    bind it to our exact origin, so no other service behind a shared proxy can set or shadow it.
    Browsers accept the prefix only with Secure, so plain-http localhost keeps the plain name."""
    return f"__Host-{COOKIE_NAME}" if secure else COOKIE_NAME


@dataclass(frozen=True)
class Timeouts:
    idle: timedelta = timedelta(minutes=15)
    absolute: timedelta = timedelta(hours=12)


class Status(Enum):
    ACTIVE = "active"
    LOCKED = "locked"


@dataclass(frozen=True)
class LiveSession:
    identity: Identity
    status: Status
    session_id: int


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def start(db: Session, identity: Identity, now: datetime) -> str:
    """Open a session for a user who just proved who they are; returns the one-time ticket."""
    ticket = secrets.token_urlsafe(32)
    db.add(WebSession(user_id=identity.user_id, created_at=now, last_activity_at=now,
                      ticket_hash=_digest(ticket), ticket_expires_at=now + TICKET_LIFETIME))
    return ticket


def redeem_ticket(db: Session, ticket: str, now: datetime) -> str | None:
    """Swap a fresh ticket for the session key that goes into the cookie (once only)."""
    row = db.scalar(select(WebSession).where(WebSession.ticket_hash == _digest(ticket)))
    if row is None or row.ended_at or row.ticket_expires_at is None or now > row.ticket_expires_at:
        return None
    key = secrets.token_urlsafe(32)
    row.key_hash, row.ticket_hash, row.ticket_expires_at = _digest(key), None, None
    return key


def _find(db: Session, key: str | None) -> WebSession | None:
    if not key:
        return None
    row = db.scalar(select(WebSession).where(WebSession.key_hash == _digest(key)))
    return row if row is not None and row.ended_at is None else None


def resolve(db: Session, key: str | None, now: datetime, timeouts: Timeouts) -> LiveSession | None:
    """The session behind a cookie, locking it when idle too long; None when there is none."""
    row = _find(db, key)
    if row is None:
        return None
    identity = load_identity(db, row.user_id)
    if identity is None or now - row.created_at > timeouts.absolute:
        _end(db, row, now, "expired", identity.username if identity else "")
        return None
    if not row.locked and now - row.last_activity_at > timeouts.idle:
        row.locked = True
        log_auth(db, now, "session_locked", identity.username, "web", identity.user_id, "idle")
    return LiveSession(identity, Status.LOCKED if row.locked else Status.ACTIVE, row.id)


def usable(db: Session, session_id: int, now: datetime, timeouts: Timeouts) -> bool:
    """Whether a bearer token made from this browser session may still be used: the session is
    not ended, locked, idle past the timeout (it would lock at its next use) or past its
    absolute limit."""
    row = db.get(WebSession, session_id)
    return (row is not None and row.ended_at is None and not row.locked
            and now - row.created_at <= timeouts.absolute
            and now - row.last_activity_at <= timeouts.idle)


def touch(db: Session, key: str | None, now: datetime) -> None:
    """Record activity on an unlocked session (what keeps the idle lock away)."""
    row = _find(db, key)
    if row is not None and not row.locked:
        row.last_activity_at = now


def lock(db: Session, key: str | None, now: datetime) -> None:
    row = _find(db, key)
    if row is not None and not row.locked:
        row.locked = True
        log_auth(db, now, "session_locked", "", "web", row.user_id, "requested")


def unlock(db: Session, key: str | None, password: str, now: datetime) -> bool:
    """Re-open a locked session for the same user when their password is right.

    Five wrong passwords end the session: the full sign-in, with its lock-out, takes over."""
    row = _find(db, key)
    user = db.get(User, row.user_id) if row is not None else None
    if row is None or user is None:
        return False
    if verify_password(user.password_hash, password):
        row.locked, row.last_activity_at, row.unlock_failures = False, now, 0
        log_auth(db, now, "unlock", user.username, "web", user.id)
        return True
    row.unlock_failures += 1
    log_auth(db, now, "unlock_failed", user.username, "web", user.id)
    if row.unlock_failures >= MAX_UNLOCK_FAILURES:
        _end(db, row, now, "unlock_refused", user.username)
    return False


def end(db: Session, key: str | None, now: datetime, reason: str = "sign_out") -> None:
    row = _find(db, key)
    if row is not None:
        identity = load_identity(db, row.user_id)
        _end(db, row, now, reason, identity.username if identity else "")


def end_all(db: Session, user_ids: Iterable[str], now: datetime, reason: str) -> int:
    """End every open session of these users (e.g. a tablet marked lost); how many ended.
    Their bearer tokens made from those sessions stop with them (usable)."""
    ids = list(user_ids)
    names = dict(db.execute(select(User.id, User.username).where(User.id.in_(ids))).all())
    rows = db.scalars(select(WebSession).where(WebSession.user_id.in_(ids),
                                               WebSession.ended_at.is_(None))).all()
    for row in rows:
        _end(db, row, now, reason, names.get(row.user_id, ""))
    return len(rows)


def _end(db: Session, row: WebSession, now: datetime, reason: str, username: str) -> None:
    row.ended_at, row.end_reason, row.locked = now, reason, False
    log_auth(db, now, reason, username, "web", row.user_id)
