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
    Role.DATA_PROTECTION: "/dpo",
}
# Accounts of systems, not people: the API only, no page and no web sign-in.
API_ONLY: Final = frozenset({Role.ROSTER_SERVICE})
# After an administrator's password reset, the only page a user reaches until they choose one.
PASSWORD_PAGE: Final = "/password"

PAGE_ROLES: Final[dict[str, frozenset[Role]]] = {
    "/capture": frozenset({Role.OFFICER}),
    "/entries": frozenset({Role.OFFICER}),
    "/screening": frozenset({Role.TREATMENT}),
    "/screening/[item_id]": frozenset({Role.TREATMENT}),
    "/trends": frozenset({Role.SECURITY_HEAD}),
    "/admin": frozenset({Role.ADMIN}),
    # Administration (issue 11): one line per page, in each part's block.
    # -- prisons, wings, locations
    "/admin/prisons": frozenset({Role.ADMIN}),
    # -- accounts and postings
    "/admin/users": frozenset({Role.ADMIN}),
    "/admin/users/[username]": frozenset({Role.ADMIN}),
    PASSWORD_PAGE: frozenset(set(Role) - API_ONLY),
    # -- roster
    "/admin/roster": frozenset({Role.ADMIN}),
    # -- catalogue versions
    "/admin/catalogue": frozenset({Role.ADMIN}),
    # -- tablets
    "/admin/tablets": frozenset({Role.ADMIN}),
    # -- audit log and keys
    "/admin/audit": frozenset({Role.ADMIN}),
    # Data protection (issue 12): one line per page, in each part's block.
    # -- retention schedule and runs
    "/retention": frozenset({Role.ADMIN, Role.DATA_PROTECTION}),
    # -- review list and legal holds
    "/review": frozenset({Role.TREATMENT, Role.DATA_PROTECTION}),
    # -- restriction and rectification
    # -- the data-protection officer's workspace and the subject-access report
    "/dpo": frozenset({Role.DATA_PROTECTION}),
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
    "AdminOverviewState.load": frozenset({Role.ADMIN}),
    **{f"AdminPrisonsState.{name}": frozenset({Role.ADMIN}) for name in (
        "load", "create_prison", "rename_prison", "create_wing", "rename_wing", "ask_close_wing",
        "cancel_close_wing", "close_wing", "reopen_wing", "add_location", "edit_location",
        "cancel_edit_location", "rename_location", "move_up", "move_down", "retire_location",
        "restore_location")},
    # -- accounts and postings
    **{f"AdminUsersState.{name}": frozenset({Role.ADMIN}) for name in (
        "load", "filter_role", "filter_status", "filter_place", "clear_filters", "create",
        "preview", "apply", "start_over")},
    **{f"AdminUserState.{name}": frozenset({Role.ADMIN}) for name in (
        "load", "ask", "cancel", "confirm", "hide_temporary", "unlock", "save", "add_posting",
        "ask_end", "end_posting")},
    "PasswordState.load": frozenset(set(Role) - API_ONLY),
    "PasswordState.change": frozenset(set(Role) - API_ONLY),
    # -- roster
    **{f"AdminRosterState.{name}": frozenset({Role.ADMIN}) for name in (
        "load", "choose_prison", "start_over", "preview", "apply")},
    # -- catalogue versions
    **{f"AdminCatalogueState.{name}": frozenset({Role.ADMIN}) for name in (
        "load", "start_draft", "choose_locale", "show_category", "choose_preview_locale",
        "show_preview",
        "show_editor", "save_texts", "add_indicator", "retire", "restore", "mark_immediate",
        "unmark_immediate", "ask_publish", "cancel_publish", "publish")},
    # -- tablets
    **{f"AdminTabletsState.{name}": frozenset({Role.ADMIN}) for name in (
        "load", "filter_prison", "ask_lost", "cancel_lost", "mark_lost")},
    # -- audit log and keys
    **{f"AdminAuditState.{name}": frozenset({Role.ADMIN}) for name in (
        "load", "filter_who", "filter_subject", "filter_action", "filter_days", "filter_until",
        "clear_filters", "next_page", "previous_page", "verify_now", "export_csv", "ask_rotate",
        "cancel_rotate", "rotate")},
    # Data protection (issue 12): one block per part.
    # -- retention schedule and runs
    **{f"RetentionState.{name}": frozenset({Role.ADMIN, Role.DATA_PROTECTION}) for name in (
        "load", "preview")},
    # -- review list and legal holds (the services check the prison and the record class)
    **{f"ReviewState.{name}": frozenset({Role.TREATMENT, Role.DATA_PROTECTION}) for name in (
        "load", "filter_when", "filter_class", "clear_filters", "ask_extend", "ask_anonymise",
        "ask_erase", "cancel", "extend", "confirm")},
    **{f"ReviewState.{name}": frozenset({Role.TREATMENT}) for name in ("ask_hold", "hold")},
    **{f"CaseHoldState.{name}": frozenset({Role.TREATMENT}) for name in (
        "load", "place", "ask_release", "cancel_release", "release")},
    # -- restriction and rectification (the case page; add_addendum above takes corrections)
    **{f"ScreeningCaseState.{name}": frozenset({Role.TREATMENT}) for name in (
        "ask_open", "cancel_open", "open_restricted")},
    # -- the data-protection officer's workspace and the subject-access report (the
    # services check the prison in reach)
    **{f"DpoState.{name}": frozenset({Role.DATA_PROTECTION}) for name in (
        "load", "find", "restrict", "ask_lift", "cancel_lift", "lift", "produce",
        "download_pdf", "print_report")},
}

# Handlers Reflex puts on every state that no client may call: `setvar` would let the browser
# write any field of the state, role included.
DENIED_EVERYWHERE: Final = frozenset({"setvar"})

# While the idle lock is on, only these may run: everything else waits for the password.
ALLOWED_WHEN_LOCKED: Final = frozenset(
    {"SessionState.enter_page", "SessionState.unlock", "SessionState.sign_out",
     "SessionState.set_unlock_password", "SessionState.lock"}
)

# While an administrator's password reset waits for the user's own choice: the password page
# and what every page's frame needs, nothing else.
ALLOWED_WHEN_PASSWORD_CHANGE: Final = ALLOWED_WHEN_LOCKED | frozenset(
    {"SessionState.keep_alive", "SessionState.change_language", "PasswordState.load",
     "PasswordState.change"})


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
