"""The role policy: every Reflex event handler is listed, and the tables say what they mean."""

from __future__ import annotations

import pytest
from reflex.state import State

import app.app  # noqa: F401  (builds the Reflex app, so every page's state class is registered)
from app import guard, policy
from app.vocabulary import Role
from state.session import SessionState

EVERYONE = (None, *policy.ROLES)


def all_states(cls: type[State] = State):
    yield cls
    for sub in cls.get_substates():
        yield from all_states(sub)


def test_every_event_handler_is_in_the_policy():
    missing = [
        f"{cls.__name__}.{name}"
        for cls in all_states()
        for name in cls.event_handlers
        if f"{cls.__name__}.{name}" not in policy.HANDLER_POLICY
        and name not in policy.DENIED_EVERYWHERE
    ]
    assert not missing, f"handlers missing from app/policy.HANDLER_POLICY: {sorted(missing)}"


def test_the_walk_sees_the_app_states():
    names = {cls.__name__ for cls in all_states()}
    assert {"State", "SessionState", "LoginState"} <= names


@pytest.mark.parametrize("role", EVERYONE)
def test_unlisted_handlers_are_refused_to_everyone(role):
    assert not policy.handler_allowed("SessionState.setvar", role)
    assert not policy.handler_allowed("NoSuchState.anything", role)


@pytest.mark.parametrize("role", EVERYONE)
def test_public_handlers_are_allowed_to_everyone(role):
    assert policy.handler_allowed("LoginState.sign_in", role)


def test_signed_in_handlers_need_a_role():
    assert not policy.handler_allowed("SessionState.sign_out", None)
    for role in policy.ROLES:
        assert policy.handler_allowed("SessionState.sign_out", role)


def test_role_set_handlers_allow_exactly_their_roles(monkeypatch):
    monkeypatch.setitem(policy.HANDLER_POLICY, "X.officers_only", frozenset({Role.OFFICER}))
    allowed = {role for role in EVERYONE if policy.handler_allowed("X.officers_only", role)}
    assert allowed == {Role.OFFICER}


@pytest.mark.parametrize("role", policy.ROLES)
def test_each_role_may_open_exactly_its_own_pages(role):
    extra = {Role.OFFICER: {"/entries"}, Role.TREATMENT: {"/screening/[item_id]"}}
    own = ({policy.HOME[role]} if role in policy.HOME else set()) | extra.get(role, set())
    if role not in policy.API_ONLY:  # a person may choose a new password
        own.add(policy.PASSWORD_PAGE)
    if role == Role.ADMIN:  # every administration page
        own |= {route for route in policy.PAGE_ROLES if route.startswith("/admin")}
    if role in (Role.ADMIN, Role.DATA_PROTECTION):  # the retention schedule and its runs
        own.add("/retention")
    if role in (Role.TREATMENT, Role.DATA_PROTECTION):  # the review list
        own.add("/review")
    routes = {*policy.PAGE_ROLES, "/", "/login", "/nowhere"}
    assert {route for route in routes if policy.page_allowed(route, role)} == own


def test_every_home_page_is_a_policed_page():
    assert set(policy.HOME.values()) <= set(policy.PAGE_ROLES)


def test_handler_key_names_a_real_event():
    event = SessionState.get_full_name() + ".sign_out"
    assert guard.handler_key(State, event) == "SessionState.sign_out"


@pytest.mark.parametrize("event", ["nope.sign_out", "sign_out", "", "a..b.c"])
def test_handler_key_of_an_invalid_path_is_not_in_the_policy(event):
    assert guard.handler_key(State, event) not in policy.HANDLER_POLICY
