"""Request-scoped helpers: the bearer token's user and role, the session cookie."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request

from app.api.errors import ApiError
from app.clock import utc_now
from app.i18n.messages import N_
from app.runtime import session_cookie_name, session_timeouts, signing_keys, transaction
from app.services import tablets, tokens, web_sessions
from app.services.accounts import Identity, load_identity
from app.settings import get_settings
from app.vocabulary import Role


SIGN_IN_AGAIN = N_("Sign in again.")


def _unauthorised(message: str = SIGN_IN_AGAIN) -> ApiError:
    return ApiError(401, "unauthorised", message, {"WWW-Authenticate": "Bearer"})


def answer_in_their_language(request: Request, identity: Identity) -> None:
    """From here on, this request's errors are in the caller's own language (errors.py)."""
    request.state.locale = identity.locale


def token_identity(request: Request,
                   authorization: Annotated[str | None, Header()] = None) -> Identity:
    """The token's user, even one who must first change their password (only the route that
    changes it takes this directly). Its own short transaction: on SQLite a transaction holds the write
    lock, and the route may need one of its own."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise _unauthorised(N_("A bearer token is required."))
    settings = get_settings()
    try:
        claims = tokens.verify(signing_keys(), token.strip(), settings.jwt_issuer,
                               settings.jwt_audience)
    except tokens.InvalidToken:
        raise _unauthorised() from None
    with transaction() as db:
        identity = load_identity(db, claims.user_id)
        # A token made from a browser session works only while that session does: a lock, a
        # sign-out or the end of the shift stops both.
        refused = claims.session_id is not None and not web_sessions.usable(
            db, claims.session_id, utc_now(), session_timeouts())
        # A tablet marked lost cuts off its officers' tokens, those of the password grant too.
        refused = refused or tablets.tokens_refused(db, claims.user_id, claims.issued_at)
    if identity is None or identity.role != claims.role or refused:
        raise _unauthorised()
    answer_in_their_language(request, identity)
    return identity


def bearer_identity(identity: Annotated[Identity, Depends(token_identity)]) -> Identity:
    """The token's user, refused while an administrator's password reset waits for them to
    choose their own (POST /auth/password)."""
    if identity.must_change_password:
        raise ApiError(403, "password_change_required",
                       N_("Choose a new password first ({route})."),
                       params={"route": "POST /api/v1/auth/password"})
    return identity


def session_key(request: Request) -> str | None:
    return request.cookies.get(session_cookie_name())


# The browser session's key from its HttpOnly cookie, whose name depends on TLS (cookie_name).
SessionKey = Annotated[str | None, Depends(session_key)]


def person(caller: Annotated[Identity, Depends(bearer_identity)]) -> Identity:
    """Any signed-in person: not the prison management system's account, whose token replaces
    a roster (RosterWriter) and opens nothing else."""
    if caller.role == Role.ROSTER_SERVICE:
        raise ApiError(403, "forbidden", N_("This account may only load rosters."))
    return caller


CurrentUser = Annotated[Identity, Depends(person)]


def officer(caller: Annotated[Identity, Depends(bearer_identity)]) -> Identity:
    if caller.role != Role.OFFICER:
        raise ApiError(403, "forbidden", N_("Only officers record observations."))
    return caller


Officer = Annotated[Identity, Depends(officer)]


def admin(caller: Annotated[Identity, Depends(bearer_identity)]) -> Identity:
    if caller.role != Role.ADMIN:
        raise ApiError(403, "forbidden", N_("Only administrators may do this."))
    return caller


def roster_service(caller: Annotated[Identity, Depends(bearer_identity)]) -> Identity:
    """Who may replace a prison's roster: an administrator, or the prison management system's
    own account (Role.ROSTER_SERVICE), which may do nothing else."""
    if caller.role not in (Role.ADMIN, Role.ROSTER_SERVICE):
        raise ApiError(403, "forbidden", N_("Only administrators may do this."))
    return caller


Admin = Annotated[Identity, Depends(admin)]
RosterWriter = Annotated[Identity, Depends(roster_service)]
