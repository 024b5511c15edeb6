"""Shared, flat session state: who is signed in, whether this page is theirs, the idle lock."""

from __future__ import annotations

import reflex as rx

from app import policy
from app.clock import utc_now
from app.db import unit_of_work
from app.runtime import sign_audit_head
from app.services import accounts, web_sessions
from app.services.web_sessions import Status
from app.settings import get_settings
from state.identity import live_session, session_key

UNLOCK_FAILED = "That password is not right."


class SessionState(rx.State):
    display_name: str = ""
    role: str = ""
    role_label: str = ""
    page_checked: bool = False
    page_allowed: bool = False
    locked: bool = False
    unlock_error: str = ""
    idle_timeout_ms: int = 15 * 60 * 1000

    @rx.event
    def enter_page(self):
        """on_load of every signed-in page: who is this, and may they see this page?"""
        self.idle_timeout_ms = get_settings().idle_timeout_seconds * 1000
        live = live_session(self.router.headers.cookie, touch=True)
        if live is None:
            self.reset()
            return rx.redirect("/login")
        identity = live.identity
        self.display_name, self.role = identity.display_name, identity.role
        self.role_label = policy.ROLE_LABELS.get(identity.role, identity.role)
        self.locked = live.status is Status.LOCKED
        # The route, not the URL: /screening/17 is checked as /screening/[item_id].
        path = "/" + (self.router.route_id or self.router.url.path).strip("/")
        self.page_allowed = policy.page_allowed(path, identity.role)
        self.page_checked = True
        if not self.page_allowed:
            with unit_of_work() as db:
                accounts.log_auth(db, utc_now(), "page_refused", identity.username, "web",
                                  identity.user_id, self.router.url.path)
        return None

    @rx.event
    def lock(self):
        """The browser saw no input for the idle timeout: lock now."""
        with unit_of_work() as db:
            web_sessions.lock(db, session_key(self.router.headers.cookie), utc_now())
        self.locked = True

    @rx.event
    def keep_alive(self):
        """The officer is reading or typing without sending events; the guard records it."""

    @rx.event
    def unlock(self, form_data: dict):
        password = str(form_data.get("password", ""))[:256]
        key = session_key(self.router.headers.cookie)
        with unit_of_work() as db:
            ok = web_sessions.unlock(db, key, password, utc_now())
        if ok:
            self.locked, self.unlock_error = False, ""
            return None
        self.unlock_error = UNLOCK_FAILED
        return SessionState.enter_page

    @rx.event
    def set_unlock_password(self, _value: str):
        """Typing in the unlock box clears the last error."""
        self.unlock_error = ""

    @rx.event
    def sign_out(self):
        with unit_of_work() as db:
            web_sessions.end(db, session_key(self.router.headers.cookie), utc_now())
        sign_audit_head()
        self.reset()
        return rx.call_script("wingwatch.signedOut()")
