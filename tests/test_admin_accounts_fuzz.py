"""The accounts pages' handlers take whatever a browser sends: hostile forms and arguments end
in a refusal on the page, never an exception (the same stand-in as tests/test_page_params_fuzz)."""

from __future__ import annotations

from functools import lru_cache

from hypothesis import given
from hypothesis import strategies as st

from app.clock import utc_now
from app.db import unit_of_work
from app.services import admin_accounts
from app.services.admin_accounts import NewUser
from app.services.demo import PRISON_CODE
from app.services.own_password import change_password
from state.admin_user import PREFIX, AdminUserState
from state.admin_users import AdminUsersState
from state.password import PasswordState
from tests.account_data import admin, fresh_name
from tests.helpers import DEMO_PASSWORD, identity
from tests.test_page_params_fuzz import (HANDLER_FUZZ, StandIn, cookie_of, forms, hostile,
                                         router, run_handler, session_cookie)


@lru_cache(maxsize=1)
def officer() -> str:
    """A fresh officer of the demo prison with the demo password (not forced to change it)."""
    with unit_of_work() as db:
        username = admin_accounts.create_user(db, admin(), NewUser(
            fresh_name("fuzz"), "Fuzzed Officer", "officer", "en", PRISON_CODE),
            utc_now()).username
        temporary = admin_accounts.reset_password(db, admin(), username, utc_now())
    with unit_of_work() as db:
        change_password(db, identity(username).user_id, DEMO_PASSWORD, DEMO_PASSWORD,
                        utc_now(), current=temporary)
    return username


LIST_ARGUMENTS = {
    "filter_role": hostile | st.sampled_from(["officer", "all"]),
    "filter_status": hostile | st.sampled_from(["active", "locked"]),
    "filter_place": forms("prison", "wing", prison=[PRISON_CODE], wing=["A"]),
    "create": forms("username", "display_name", "role", "locale", "prison",
                    role=["officer", "admin"], locale=["sq"], prison=[PRISON_CODE]),
    "preview": forms("csv", csv=["username,display_name,role,locale,prison\n"
                                 "x1,X,officer,sq,DEMO\n"]),
}


@HANDLER_FUZZ
@given(st.sampled_from(sorted(LIST_ARGUMENTS)), st.data())
def test_the_list_pages_handlers_take_any_input(handler: str, data):
    argument = data.draw(LIST_ARGUMENTS[handler])
    page = StandIn(AdminUsersState, router(cookie_of("admin1"), "/admin/users"), _csv="")
    run_handler(AdminUsersState, handler, page, argument)


DETAIL_ARGUMENTS = {
    "ask": hostile | st.sampled_from(["reset", "deactivate"]),
    "ask_end": hostile | st.integers(),
    "save": forms("display_name", "locale", display_name=["Fuzzed Officer"], locale=["en"]),
    "add_posting": forms("scope", "wing", "valid_from", "valid_to", scope=["wing"], wing=["A"],
                         valid_from=["2026-01-01"]),
    "end_posting": forms("valid_to", valid_to=["2026-01-01"]),
}


@HANDLER_FUZZ
@given(st.sampled_from(sorted(DETAIL_ARGUMENTS)), st.data(), hostile)
def test_the_account_pages_handlers_take_any_input(handler: str, data, path: object):
    argument = data.draw(DETAIL_ARGUMENTS[handler])
    where = PREFIX + (officer() if data.draw(st.booleans()) else str(path))
    page = StandIn(AdminUserState, router(cookie_of("admin1"), where))
    run_handler(AdminUserState, handler, page, argument)


@HANDLER_FUZZ
@given(forms("current", "new", "repeat", current=["wrong one"], new=["fuzzed passphrase!"],
             repeat=["fuzzed passphrase!"]))
def test_the_password_page_takes_any_form(form: object):
    page = StandIn(PasswordState, router(session_cookie(officer()), "/password"))
    run_handler(PasswordState, "change", page, form)
    assert identity(officer()).username == officer()  # the account is still there and usable
