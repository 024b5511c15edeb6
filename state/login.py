"""The sign-in page's state."""

from __future__ import annotations

import reflex as rx

from app import policy
from app.clock import utc_now
from app.i18n.messages import N_
from app.i18n.negotiation import offered_locale
from app.runtime import transaction
from app.services import web_sessions
from app.services.accounts import (
    INVALID_MESSAGE,
    LOCKED_MESSAGE,
    THROTTLED_MESSAGE,
    SignIn,
    authenticate,
)
from state.forms import form_text
from state.identity import live_session
from state.language import device_locale, speak
from state.session import ask_page


class LoginState(rx.State):
    error: str = ""  # a message id: the page shows it in the tab's language

    @rx.event
    async def open(self):
        """Someone already signed in goes straight to their home page.

        Reflex keeps a tab's state across page loads, so a fresh sign-in page must forget the
        previous attempt's message; otherwise it would answer for an attempt not yet made."""
        self.error = ""
        live = live_session(self.router.headers.cookie)
        if live is not None and live.status is web_sessions.Status.ACTIVE:
            return rx.redirect(policy.HOME[live.identity.role])
        headers = self.router.headers
        await speak(self, device_locale(headers.cookie, headers.accept_language))
        return None

    @rx.event
    async def choose_language(self, code: str):
        """The sign-in page's language choice: at once, and remembered on this device."""
        locale = offered_locale(code)
        if locale is None:
            return None
        await speak(self, locale)
        await ask_page(self, "rememberLocale", locale.value)
        return None

    @rx.event
    async def sign_in(self, form_data: dict):
        username = form_text(form_data, "username", 64)
        password = form_text(form_data, "password", 256)
        if not username.strip() or not password:
            self.error = N_("Enter your username and password.")
            return None
        now = utc_now()
        with transaction() as db:
            # The tab's address as Reflex saw it (X-Forwarded-For only via trusted_proxy_hops).
            outcome, identity = authenticate(db, username, password, now, channel="web",
                                             address=self.router.session.client_ip)
            ticket = web_sessions.start(db, identity, now) if identity else None
        if outcome is SignIn.THROTTLED:
            self.error = THROTTLED_MESSAGE
            return None
        if outcome is SignIn.LOCKED:
            self.error = LOCKED_MESSAGE
            return None
        if identity is None or ticket is None:
            self.error = INVALID_MESSAGE
            return None
        self.error = ""
        # The page swaps the one-time ticket for the HttpOnly cookie, then loads the home page.
        home = (policy.PASSWORD_PAGE if identity.must_change_password
                else policy.HOME[identity.role])
        await ask_page(self, "signedIn", ticket, home)
        return None

    @rx.event
    def route_home(self):
        """`/`: the signed-in user's home page, otherwise the sign-in page."""
        live = live_session(self.router.headers.cookie)
        return rx.redirect(policy.HOME[live.identity.role] if live else "/login")
