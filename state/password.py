"""/password's state: choosing a new password, forced after an administrator's reset."""

from __future__ import annotations

import reflex as rx

from app import policy
from app.clock import utc_now
from app.runtime import transaction
from app.services.admin_refusals import Refused
from app.services.own_password import MAX_PASSWORD, change_password
from app.services.passwords import MIN_LENGTH
from app.views.accounts import refusal
from state.forms import form_text
from state.identity import current_identity
from state.language import messages
from state.session import ask_page

ROUTE = policy.PASSWORD_PAGE


class PasswordState(rx.State):
    forced: bool = False  # after a reset: no current password asked, nothing else reachable
    username: str = ""  # beside the new password, for the tablet's offline unlock
    error: str = ""
    rules: str = ""

    @rx.event
    async def load(self):
        who = current_identity(self.router.headers.cookie)
        self.error = ""
        self.forced = who is not None and who.must_change_password
        self.username = who.username if who else ""
        self.rules = (await messages(self)).t(
            "At least {count} characters. A few unrelated words are easy to remember and hard "
            "to guess.", count=MIN_LENGTH)

    @rx.event
    async def change(self, form_data: dict):
        who = current_identity(self.router.headers.cookie)
        if who is None:
            return None
        current = None if who.must_change_password else form_text(form_data, "current",
                                                                   MAX_PASSWORD + 1)
        try:
            with transaction() as db:
                change_password(db, who.user_id, form_text(form_data, "new", MAX_PASSWORD + 1),
                                form_text(form_data, "repeat", MAX_PASSWORD + 1), utc_now(),
                                current=current)
        except Refused as error:
            self.error = refusal(await messages(self), error)
            return None
        self.error, self.forced = "", False
        # Through the page: a tablet first derives its offline unlock from the new password.
        await ask_page(self, "passwordChanged", policy.HOME.get(who.role, "/"))
        return None

