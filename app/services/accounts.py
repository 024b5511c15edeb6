"""Who a user is, and whether they may sign in: credentials, lock-out, the sign-in log."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import Enum

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.i18n.locales import Locale
from app.i18n.messages import N_
from app.models import AuthLog, LoginAddressThrottle, LoginThrottle, User
from app.clock import prisons_today
from app.services import audit, postings
from app.services.passwords import verify_password
from app.policy import API_ONLY
from app.vocabulary import parse


@dataclass(frozen=True)
class Identity:
    """What the rest of the app may know about a signed-in user."""

    user_id: str
    username: str
    display_name: str
    role: str
    prison_id: str | None  # from today's postings (app/services/postings.py)
    wing_ids: tuple[str, ...]
    locale: Locale = Locale.EN  # the language and script the user works in
    # Posted to the central service (a security head, a data-protection officer): every prison.
    central: bool = False
    # After an administrator's password reset: every page but /password, and every API route
    # but POST /auth/password, is refused until a new password is chosen.
    must_change_password: bool = False


@dataclass(frozen=True)
class LockoutPolicy:
    failures: int = 5
    window: timedelta = timedelta(minutes=15)
    duration: timedelta = timedelta(minutes=15)


@dataclass(frozen=True)
class AddressPolicy:
    """Failed sign-ins allowed from one client address (any usernames) per fixed window.
    Twenty is four officers' worth of lock-outs: a shared office behind one address does not
    trip it with typos, a sprayer gets 80 guesses an hour instead of thousands."""

    failures: int = 20
    window: timedelta = timedelta(minutes=15)


class SignIn(Enum):
    OK = "ok"
    INVALID = "invalid"
    LOCKED = "locked"
    THROTTLED = "throttled"  # too many failures from this address: not even checked


# One message for unknown users and wrong passwords, so neither reveals which it was.
INVALID_MESSAGE = N_("Wrong username or password.")
LOCKED_MESSAGE = N_("Too many failed attempts. This account is locked for 15 minutes.")
THROTTLED_MESSAGE = N_("Too many failed sign-ins from this device. Try again in 15 minutes.")


def normalise_username(username: str) -> str:
    # NUL cannot be stored in PostgreSQL text, nor a lone surrogate in any UTF-8: swap them, so
    # the attempt is refused and logged.
    text = username.replace("\x00", "\ufffd").encode("utf-8", "replace").decode("utf-8")
    return text.strip().lower()[:64]


def identity_of(db: Session, user: User, day: date | None = None) -> Identity:
    """Who `user` is and what their postings valid on `day` (default: the prisons' today) let
    them see. Read at every request, so a posting change counts from the next one."""
    reach = postings.reach(db, user.id, day or prisons_today())
    return Identity(
        user_id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=user.role,
        prison_id=reach.prison_id,
        wing_ids=reach.wing_ids,
        locale=Locale(user.locale),
        central=reach.central,
        must_change_password=user.must_change_password,
    )


def load_identity(db: Session, user_id: str) -> Identity | None:
    user = db.get(User, user_id)
    return identity_of(db, user) if user and user.active else None


class UnknownLocale(ValueError):
    """A locale code Wingwatch does not speak (tags are exact: "sr-Latn", not "sr_latn")."""


def set_locale(db: Session, who: Identity, code: object) -> Identity:
    """Change the caller's own locale; only their own, so `who` is the one changed."""
    locale = parse(Locale, code)
    if locale is None:
        raise UnknownLocale(code)
    db.get_one(User, who.user_id).locale = locale.value
    return replace(who, locale=locale)


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
                 address: str = "", policy: LockoutPolicy = LockoutPolicy(),
                 address_policy: AddressPolicy = AddressPolicy()
                 ) -> tuple[SignIn, Identity | None]:
    """Check credentials, counting failures per username and per client address (when known);
    every attempt is logged. A throttled address is refused before the username is looked at,
    so its attempts neither test a password nor count towards that user's lock-out."""
    name = normalise_username(username)
    if address and address_retry_after(db, address, now, address_policy):
        log_auth(db, now, "sign_in_refused_throttled", name, channel, detail=f"from {address}")
        return SignIn.THROTTLED, None
    throttle = db.get(LoginThrottle, name) or LoginThrottle(username=name, failures=0)
    db.add(throttle)
    if throttle.locked_until and now < throttle.locked_until:
        _count_address_failure(db, address, now, address_policy)
        log_auth(db, now, "sign_in_refused_locked", name, channel)
        return SignIn.LOCKED, None

    user = db.scalar(select(User).where(User.username == name))
    valid = verify_password(user.password_hash if user else None, password)
    # The roster service is a program, not a person: it gets tokens, never a web session.
    person = channel != "web" or (user is not None and user.role not in API_ONLY)
    if valid and user is not None and user.active and person:
        throttle.failures, throttle.window_started_at, throttle.locked_until = 0, None, None
        user.last_sign_in_at = now
        log_auth(db, now, "sign_in", name, channel, user.id)
        return SignIn.OK, identity_of(db, user, prisons_today(now))

    _count_failure(throttle, now, policy)
    _count_address_failure(db, address, now, address_policy)
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


def address_retry_after(db: Session, address: str, now: datetime,
                        policy: AddressPolicy = AddressPolicy()) -> int:
    """Seconds until this address may try again; 0 when it may now."""
    row = db.get(LoginAddressThrottle, _address_key(address))
    if row is None or row.failures < policy.failures:
        return 0
    return max(0, int((row.window_started_at + policy.window - now).total_seconds()))


def _count_address_failure(db: Session, address: str, now: datetime,
                           policy: AddressPolicy) -> None:
    if not address:
        return
    key = _address_key(address)
    row = db.get(LoginAddressThrottle, key)
    if row is None or now - row.window_started_at > policy.window:
        db.merge(LoginAddressThrottle(address=key, failures=1, window_started_at=now))
    else:
        row.failures += 1


def _address_key(address: str) -> str:
    return normalise_username(address)  # the same cleaning: an address is client-sent text too
