"""API v1 routes: health, bearer tokens, and the cookie swap behind the sign-in page."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, FastAPI, Header, Request, Response

from app.api import admin_organisation, errors, observations, tablets
from app.api import admin_roster
from app.api import admin_audit
from app.api import admin_catalogue
from app.api import admin_accounts, own_account
from app.api import review
from app.api.fallback import ApiFallback
from app.api.limits import BodyLimit
from app.api.deps import SIGN_IN_AGAIN, CurrentUser, SessionKey, answer_in_their_language
from app.runtime import session_cookie_name, session_timeouts, signing_keys, transaction
from app.api.schemas import (Caller, ErrorBody, Health, TicketRequest, TokenRequest, TokenResponse,
                             UnlockRequest)
from app.clock import utc_now
from app.db import ping
from app.i18n.messages import N_
from app.services import tokens, web_sessions
from app.services.accounts import (
    INVALID_MESSAGE,
    LOCKED_MESSAGE,
    THROTTLED_MESSAGE,
    SignIn,
    address_retry_after,
    authenticate,
)
from app.settings import get_settings

PREFIX = "/api/v1"
_ERRORS = {status: {"model": ErrorBody} for status in (400, 401, 413, 422, 423)}

router = APIRouter(prefix=PREFIX, responses=_ERRORS)


@router.get("/health", response_model=Health, tags=["system"])
def health(response: Response) -> Health:
    """Liveness and database reachability. No authentication, no personal data."""
    try:
        ping()  # no transaction: a health check must never queue behind writers
    except Exception:  # any driver error means the same thing to a client: not reachable
        response.status_code = 503
        return Health(status="degraded", database="unreachable")
    return Health(status="ok", database="ok")


@router.post("/auth/token", response_model=TokenResponse, tags=["auth"],
             responses={429: {"model": ErrorBody}})
def issue_token(body: TokenRequest, request: Request) -> TokenResponse:
    """Exchange username and password for a bearer token (at most 15 minutes)."""
    settings = get_settings()
    now = utc_now()
    address = request.client.host if request.client else ""
    # Its own transaction, committed before any refusal: the attempt is logged either way.
    with transaction() as db:
        outcome, identity = authenticate(db, body.username, body.password, now, channel="api",
                                         address=address)
        retry_after = (address_retry_after(db, address, now)
                       if outcome is SignIn.THROTTLED else 0)
    if outcome is SignIn.THROTTLED:
        raise errors.ApiError(429, "too_many_attempts", THROTTLED_MESSAGE,
                              {"Retry-After": str(retry_after or 1)})
    if outcome is SignIn.LOCKED:
        raise errors.ApiError(423, "account_locked", LOCKED_MESSAGE,
                              {"Retry-After": str(settings.lockout_seconds)})
    if identity is None:
        raise errors.ApiError(401, "invalid_credentials", INVALID_MESSAGE)
    return _token_response(identity.user_id, identity.role, now)


def _token_response(user_id: str, role: str, now, session_id: int | None = None
                    ) -> TokenResponse:
    settings = get_settings()
    lifetime = timedelta(seconds=settings.token_lifetime_seconds)
    token = tokens.issue(signing_keys(), user_id, role, now, lifetime, settings.jwt_issuer,
                         settings.jwt_audience, session_id)
    return TokenResponse(access_token=token, expires_in=int(lifetime.total_seconds()), role=role)


@router.post("/auth/session-token", response_model=TokenResponse, tags=["auth"],
             include_in_schema=False)
def token_for_browser_session(request: Request, ww_session: SessionKey,
                              x_wingwatch: str | None = Header(default=None)) -> TokenResponse:
    """The capture page's bearer token, from the signed-in browser's HttpOnly cookie.

    The custom header cannot be sent cross-site without a CORS preflight, which this API never
    grants to other origins: together with SameSite=Strict it keeps other sites out."""
    _require_capture(x_wingwatch)
    now = utc_now()
    with transaction() as db:
        live = web_sessions.resolve(db, ww_session, now, session_timeouts())
        web_sessions.touch(db, ww_session, now)  # the island syncing is the officer at work
    if live is None:
        raise errors.ApiError(401, "unauthorised", SIGN_IN_AGAIN)
    answer_in_their_language(request, live.identity)
    if live.status is web_sessions.Status.LOCKED:
        raise _session_locked()
    return _token_response(live.identity.user_id, live.identity.role, now, live.session_id)


def _require_capture(x_wingwatch: str | None) -> None:
    if x_wingwatch != "capture":
        raise errors.ApiError(400, "missing_header", N_("X-Wingwatch: capture is required."))


def _session_locked() -> errors.ApiError:
    # Distinct from 401: the session is alive and waits for its officer's password, so the
    # capture page shows its lock screen rather than "signed out".
    return errors.ApiError(423, "session_locked", N_("This page is locked: enter your password."))


@router.post("/auth/session/lock", status_code=204, tags=["auth"], include_in_schema=False)
def lock_browser_session(response: Response, ww_session: SessionKey,
                         x_wingwatch: str | None = Header(default=None)) -> Response:
    """The capture page's idle lock, told to the server: no token until the password is given."""
    _require_capture(x_wingwatch)
    with transaction() as db:
        web_sessions.lock(db, ww_session, utc_now())
    response.status_code = 204
    return response


@router.post("/auth/session/unlock", status_code=204, tags=["auth"], include_in_schema=False)
def unlock_browser_session(body: UnlockRequest, request: Request, response: Response,
                           ww_session: SessionKey,
                           x_wingwatch: str | None = Header(default=None)) -> Response:
    """The officer's password, proven to the server; five wrong ones end the session."""
    _require_capture(x_wingwatch)
    now = utc_now()
    with transaction() as db:
        live = web_sessions.resolve(db, ww_session, now, session_timeouts())
        if live is None:
            raise errors.ApiError(401, "unauthorised", SIGN_IN_AGAIN)
        answer_in_their_language(request, live.identity)
        unlocked = web_sessions.unlock(db, ww_session, body.password, now)
    if not unlocked:
        raise _session_locked()
    response.status_code = 204
    return response


@router.get("/auth/me", response_model=Caller, tags=["auth"])
def who_am_i(caller: CurrentUser) -> Caller:
    """The bearer token's user: lets a client check that its token still holds."""
    return Caller(user_id=caller.user_id, username=caller.username,
                  display_name=caller.display_name, role=caller.role, locale=caller.locale)


@router.post("/auth/session", status_code=204, tags=["auth"], include_in_schema=False)
def open_browser_session(body: TicketRequest, response: Response) -> Response:
    """Swap the sign-in page's one-time ticket for the HttpOnly session cookie."""
    with transaction() as db:  # opened and closed in the route's own thread
        key = web_sessions.redeem_ticket(db, body.ticket, utc_now())
    if key is None:
        raise errors.ApiError(400, "invalid_ticket", N_("Sign-in expired. Please sign in again."))
    settings = get_settings()
    response.status_code = 204
    response.set_cookie(session_cookie_name(), key, max_age=settings.session_max_seconds, path="/",
                        httponly=True, samesite="strict", secure=settings.secure_cookies)
    return response


@router.delete("/auth/session", status_code=204, tags=["auth"], include_in_schema=False)
def close_browser_session(response: Response, ww_session: SessionKey) -> Response:
    """Sign-out: end the server session (if any) and drop the cookie."""
    with transaction() as db:  # opened and closed in the route's own thread
        web_sessions.end(db, ww_session, utc_now())
    response.status_code = 204
    response.delete_cookie(session_cookie_name(), path="/", httponly=True, samesite="strict",
                           secure=get_settings().secure_cookies)
    return response


def build_api() -> FastAPI:
    # Swagger UI would load its script from a third-party CDN onto our origin: off by default.
    docs_url = f"{PREFIX}/docs" if get_settings().api_docs else None
    api = FastAPI(
        title="Wingwatch API", version="1.0.0",
        openapi_url=f"{PREFIX}/openapi.json", docs_url=docs_url, redoc_url=None,
    )
    errors.install(api)
    api.add_middleware(BodyLimit, max_bytes=get_settings().max_request_bytes,
                       larger=(admin_roster.BODY_LIMIT,))  # a whole roster file
    api.include_router(router)
    api.include_router(observations.router)
    api.include_router(tablets.router)
    api.include_router(admin_organisation.router)
    api.include_router(admin_roster.router)
    api.include_router(admin_audit.router)
    api.include_router(admin_catalogue.router)
    api.include_router(admin_accounts.router)
    api.include_router(own_account.router)
    api.include_router(review.router)
    api.router.routes.append(ApiFallback(PREFIX, api.router.routes))  # last: after every route
    return api
