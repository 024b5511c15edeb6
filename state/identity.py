"""Who is asking, from the HttpOnly session cookie that came with the websocket connection.

Never Reflex's client token: that lives in the tab's storage and is not a secret.
"""

from __future__ import annotations

from http.cookies import CookieError, SimpleCookie

from app.clock import utc_now
from app.runtime import session_cookie_name, session_timeouts, transaction
from app.services import web_sessions
from app.services.accounts import Identity


def cookie_value(cookie_header: str, name: str) -> str | None:
    """One cookie of the websocket handshake's Cookie header (None if absent or unreadable)."""
    try:
        morsel = SimpleCookie(cookie_header or "").get(name)
    except CookieError:
        return None
    return morsel.value if morsel else None


def session_key(cookie_header: str) -> str | None:
    return cookie_value(cookie_header, session_cookie_name())


def live_session(cookie_header: str, *, touch: bool = False) -> web_sessions.LiveSession | None:
    """The caller's session (None when signed out or expired); `touch` records activity."""
    key = session_key(cookie_header)
    if key is None:
        return None
    now = utc_now()
    with transaction() as db:
        live = web_sessions.resolve(db, key, now, session_timeouts())
        if touch and live is not None and live.status is web_sessions.Status.ACTIVE:
            web_sessions.touch(db, key, now)
    return live


def current_identity(cookie_header: str) -> Identity | None:
    """The signed-in user behind this event; the guard has already checked the role."""
    live = live_session(cookie_header)
    return live.identity if live is not None else None
