"""Who may do what: the role policy for pages and for every Reflex event handler.

Deny by default: the event guard (app/guard.py) refuses any handler that is not listed here,
and tests/test_policy.py fails when a state class has a handler missing from this table.
"""

from __future__ import annotations

from typing import Final

from app.vocabulary import Role

ROLES: Final = tuple(Role)

# Markers for handlers that are not tied to one role.
PUBLIC: Final = "public"  # anyone, signed in or not (the handler checks what it needs itself)
SIGNED_IN: Final = "signed_in"  # any role, with a live session

HOME: Final[dict[Role, str]] = {
    Role.OFFICER: "/capture",
    Role.TREATMENT: "/screening",
    Role.SECURITY_HEAD: "/trends",
    Role.ADMIN: "/admin",
}
# Accounts of systems, not people: the API only, no page and no web sign-in.
API_ONLY: Final = frozenset({Role.ROSTER_SERVICE})

PAGE_ROLES: Final[dict[str, frozenset[Role]]] = {
    "/capture": frozenset({Role.OFFICER}),
    "/entries": frozenset({Role.OFFICER}),
    "/screening": frozenset({Role.TREATMENT}),
    "/screening/[item_id]": frozenset({Role.TREATMENT}),
    "/trends": frozenset({Role.SECURITY_HEAD}),
    "/admin": frozenset({Role.ADMIN}),
    # Administration (issue 11): one line per page, in each part's block.
    # -- prisons, wings, locations
    # -- accounts and postings
    # -- roster
    # -- catalogue versions
    # -- tablets
    # -- audit log and keys
}

# "StateClass.handler" -> PUBLIC, SIGNED_IN or the set of roles allowed.
HANDLER_POLICY: Final[dict[str, str | frozenset[Role]]] = {
    # Reflex's own plumbing: hydration, on_load dispatch, client storage sync, error reports.
    "State.hydrate": PUBLIC,
    "State.hydrate_and_load": PUBLIC,
    "State.set_is_hydrated": PUBLIC,
    "OnLoadInternalState.on_load_internal": PUBLIC,
    "OnLoadInternalState.set_is_hydrated": PUBLIC,
    "UpdateVarsInternalState.update_vars_internal": PUBLIC,
    "FrontendEventExceptionState.handle_frontend_exception": PUBLIC,
    # Sign-in page.
    "LoginState.sign_in": PUBLIC,
    "LoginState.open": PUBLIC,
    "LoginState.route_home": PUBLIC,
    "LoginState.choose_language": PUBLIC,
    # Shared session handling on every page.
    "SessionState.enter_page": PUBLIC,
    "SessionState.sign_out": SIGNED_IN,
    "SessionState.lock": SIGNED_IN,
    "SessionState.keep_alive": SIGNED_IN,
    "SessionState.unlock": SIGNED_IN,
    "SessionState.set_unlock_password": SIGNED_IN,
    "SessionState.change_language": SIGNED_IN,
    # Screening queue and case pages: treatment staff only (the services check the prison).
    **{f"ScreeningQueueState.{name}": frozenset({Role.TREATMENT}) for name in (
        "load", "filter_wing", "filter_status", "filter_held", "filter_overdue", "search_for",
        "clear_filters", "claim", "ask_take_over", "cancel_take_over", "take_over")},
    **{f"ScreeningCaseState.{name}": frozenset({Role.TREATMENT}) for name in (
        "load", "claim", "ask_take_over", "cancel_take_over", "take_over", "choose_outcome",
        "decide", "sign_off", "add_addendum")},
    # Trends: security heads only (the service checks which prisons are theirs).
    **{f"TrendsState.{name}": frozenset({Role.SECURITY_HEAD}) for name in (
        "load", "filter_prison", "filter_wing", "filter_category", "filter_level",
        "filter_weeks", "filter_end", "clear_filters", "export_csv", "print_view")},
    # Administration (issue 11): administrators only, one block per part.
    # -- prisons, wings, locations
    # -- accounts and postings
    # -- roster
    # -- catalogue versions
    # -- tablets
    # -- audit log and keys
}

# Handlers Reflex puts on every state that no client may call: `setvar` would let the browser
# write any field of the state, role included.
DENIED_EVERYWHERE: Final = frozenset({"setvar"})

# While the idle lock is on, only these may run: everything else waits for the password.
ALLOWED_WHEN_LOCKED: Final = frozenset(
    {"SessionState.enter_page", "SessionState.unlock", "SessionState.sign_out",
     "SessionState.set_unlock_password", "SessionState.lock"}
)


def handler_allowed(handler: str, role: str | None) -> bool:
    """Whether a caller with `role` (None: not signed in) may run `handler`."""
    rule = HANDLER_POLICY.get(handler)
    if rule is None:
        return False
    if rule == PUBLIC:
        return True
    if role is None:
        return False
    return rule == SIGNED_IN or role in rule


def page_allowed(path: str, role: str) -> bool:
    return role in PAGE_ROLES.get(path, frozenset())
