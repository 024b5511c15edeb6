"""The event guard: every Reflex event passes the role policy on the server before it runs.

Deny by default. A handler missing from app/policy.HANDLER_POLICY never runs; a signed-out
caller is sent to /login; a locked session runs only what unlocking needs.
"""

from __future__ import annotations

import logging

from reflex.middleware.middleware import Middleware
from reflex.state import BaseState, StateUpdate
from reflex_base.event import Event

from app import policy
from app.services.web_sessions import Status
from state.identity import live_session
from state.session import SessionState

log = logging.getLogger("wingwatch.guard")


def handler_key(root: type[BaseState], event_name: str) -> str:
    """'StateClass.handler' for an event name such as 'reflex___state____state.x.sign_out'."""
    state_path, _, handler = event_name.rpartition(".")
    try:
        return f"{root.get_class_substate(state_path).__name__}.{handler}"
    except ValueError:
        return f"?.{handler}"


def _refuse(events: list | None = None) -> StateUpdate:
    return StateUpdate(delta={}, events=Event.from_event_type(events) if events else [])


class EventGuard(Middleware):
    async def preprocess(self, app, state: BaseState, event: Event) -> StateUpdate | None:
        key = handler_key(type(state), event.name)
        if policy.HANDLER_POLICY.get(key) == policy.PUBLIC:
            return None
        if key not in policy.HANDLER_POLICY:
            log.warning("refused unlisted handler %s", key)
            return _refuse()
        cookie = state.router.headers.cookie
        live = live_session(cookie, touch=key not in policy.ALLOWED_WHEN_LOCKED)
        if live is None:  # signed out elsewhere, expired, or past the absolute limit:
            return _refuse([SessionState.enter_page])  # which forgets the tab and leaves
        if live.status is Status.LOCKED and key not in policy.ALLOWED_WHEN_LOCKED:
            return _refuse([SessionState.enter_page])  # the page check puts the lock screen up
        if (live.identity.must_change_password
                and key not in policy.ALLOWED_WHEN_PASSWORD_CHANGE):
            return _refuse([SessionState.enter_page])  # which sends them to /password
        if not policy.handler_allowed(key, live.identity.role):
            log.warning("refused %s for role %s", key, live.identity.role)
            return _refuse()
        return None
