"""Shared, flat session state: who is signed in, whether this page is theirs, the idle lock."""

from __future__ import annotations

import json
import secrets

import reflex as rx

from app import policy
from app.clock import utc_now
from app.i18n.labels import ROLE_LABELS, label
from app.i18n.messages import N_
from app.i18n.negotiation import offered_locale
from app.runtime import transaction
from app.services import accounts, web_sessions
from app.services.web_sessions import Status
from app.settings import get_settings
from state.forms import form_text
from state.identity import live_session, session_key
from state.language import messages, speak

UNLOCK_FAILED = N_("That password is not right.")


def _every_state_below(cls: type[rx.State]):
    for substate in cls.get_substates():
        yield substate
        yield from _every_state_below(substate)


async def forget_client(state: rx.State) -> None:
    """Reset every page state this tab's client token holds on the server, not only the ones this
    event loaded: the case, the queue and the trends a user read must not outlive their session
    (with Redis they would otherwise wait there for the next hydrate under the same token)."""
    root = state._get_root_state()
    for cls in _every_state_below(type(root)):
        await root.get_state(cls)
    root.reset()


async def ask_page(state: rx.State, call: str, *args: str) -> None:
    """Have the page run `wingwatch.<call>(*args)` from assets/wingwatch.js, which offers a few
    by name. Reflex's call_script would evaluate a string, which the Content-Security-Policy
    forbids; a signal rendered into a hidden element's data attribute needs no eval. The nonce
    lets the page run each signal once, and not again when a reload hydrates the same value."""
    session = await state.get_state(SessionState)
    session.signal = json.dumps({"call": call, "args": list(args), "n": secrets.token_hex(6)})


async def leave(state: rx.State) -> None:
    """Signed out, expired or past the absolute limit: forget the tab on the server, then the
    page drops its client token, cookie and storage, and loads /login (a fresh Reflex state)."""
    await forget_client(state)
    await ask_page(state, "signedOut")


class SessionState(rx.State):
    display_name: str = ""
    role: str = ""
    role_label: str = ""
    page_checked: bool = False
    page_allowed: bool = False
    locked: bool = False
    unlock_error: str = ""
    idle_timeout_ms: int = 15 * 60 * 1000
    signal: str = ""  # what the page should run next: ask_page

    @rx.event
    async def enter_page(self):
        """on_load of every signed-in page: who is this, and may they see this page?"""
        self.idle_timeout_ms = get_settings().idle_timeout_seconds * 1000
        live = live_session(self.router.headers.cookie, touch=True)
        if live is None:
            await leave(self)
            return None
        identity = live.identity
        self.display_name, self.role = identity.display_name, identity.role
        await speak(self, identity.locale)
        self.role_label = label(await messages(self), ROLE_LABELS, identity.role)
        self.locked = live.status is Status.LOCKED
        # The route, not the URL: /screening/17 is checked as /screening/[item_id].
        path = "/" + (self.router.route_id or self.router.url.path).strip("/")
        if identity.must_change_password and path != policy.PASSWORD_PAGE:
            # An administrator reset the password: nothing else until they choose their own.
            self.page_checked = False
            return rx.redirect(policy.PASSWORD_PAGE)
        self.page_allowed = policy.page_allowed(path, identity.role)
        self.page_checked = True
        if not self.page_allowed:
            with transaction() as db:
                accounts.log_auth(db, utc_now(), "page_refused", identity.username, "web",
                                  identity.user_id, self.router.url.path)
        return None

    @rx.event
    def lock(self):
        """The browser saw no input for the idle timeout: lock now."""
        with transaction() as db:
            web_sessions.lock(db, session_key(self.router.headers.cookie), utc_now())
        self.locked = True

    @rx.event
    def keep_alive(self):
        """The officer is reading or typing without sending events; the guard records it."""

    @rx.event
    def unlock(self, form_data: dict):
        password = form_text(form_data, "password", 256)
        key = session_key(self.router.headers.cookie)
        with transaction() as db:
            ok = web_sessions.unlock(db, key, password, utc_now())
        if ok:
            self.locked, self.unlock_error = False, ""
            return None
        self.unlock_error = UNLOCK_FAILED
        return SessionState.enter_page

    @rx.event
    async def change_language(self, code: str):
        """The header's language choice: the user's own account, so every device follows."""
        locale = offered_locale(code)
        if locale is None:
            return None  # not a language on offer: nothing changes
        live = live_session(self.router.headers.cookie)
        if live is None:
            await leave(self)
            return None
        with transaction() as db:
            accounts.set_locale(db, live.identity, locale.value)
        await speak(self, locale)
        self.role_label = label(await messages(self), ROLE_LABELS, live.identity.role)
        # The page's own texts with dates and counts were rendered on the server by its loader:
        # load the page again, so none stays in the language before.
        await ask_page(self, "reload")
        return None

    @rx.event
    def set_unlock_password(self, _value: str):
        """Typing in the unlock box clears the last error."""
        self.unlock_error = ""

    @rx.event
    async def sign_out(self):
        with transaction() as db:
            web_sessions.end(db, session_key(self.router.headers.cookie), utc_now())
        await leave(self)
