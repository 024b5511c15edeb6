"""Administrators' account commands and reads: create, list and filter, edit, deactivate,
password reset, unlock, the forced password change, and the CSV import."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.clock import prisons_today, utc_now
from app.db import unit_of_work
from app.models import AuditEntry, LoginThrottle, Posting, User, WebSession
from app.services import account_import, admin_accounts, audit
from app.services.account_list import UserFilters, list_users, user_detail
from app.services.accounts import SignIn, authenticate, load_identity
from app.services.admin_accounts import NewUser, UserChange
from app.services.admin_refusals import Conflict, NotAllowed, Refused
from app.services.own_password import change_password
from app.services.passwords import password_problem
from app.vocabulary import Role
from tests.account_data import admin, fresh_name, fresh_prison
from tests.helpers import identity, new_ticket

NEW_PASSWORD = "a brand new passphrase"


@pytest.fixture
def prison():
    return fresh_prison()


def create(home, role=Role.OFFICER, **changes) -> str:
    fields = {"username": fresh_name(), "display_name": "Ana Test", "role": role,
              "locale": "sq", "prison": home.code if role != Role.ADMIN else ""}
    fields.update(changes)
    with unit_of_work() as db:
        return admin_accounts.create_user(db, admin(), NewUser(**fields), utc_now()).username


def changes_of(subject_username: str) -> list[dict]:
    with unit_of_work() as db:
        user_id = db.scalar(select(User.id).where(User.username == subject_username))
        rows = db.scalars(select(AuditEntry).where(AuditEntry.record_id == user_id)
                          .order_by(AuditEntry.seq))
        return [audit.change_of(row.detail) for row in rows]


def reset(username: str) -> str:
    with unit_of_work() as db:
        return admin_accounts.reset_password(db, admin(), username, utc_now())


def sign_in(username: str, password: str, channel: str = "web") -> SignIn:
    with unit_of_work() as db:
        return authenticate(db, username, password, utc_now(), channel=channel)[0]


def test_create_normalises_the_username_and_audits_without_any_password(prison):
    name = fresh_name()
    username = create(prison, username=f"  {name.upper()} ")
    assert username == name
    [entry] = changes_of(name)
    assert entry["change"] == "user.create" and entry["before"] is None
    assert entry["after"]["prison"] == prison.code and entry["after"]["role"] == "officer"
    assert "password_hash" not in entry["after"] and "$argon2" not in str(entry)


def test_a_taken_username_is_refused_with_the_field(prison):
    username = create(prison)
    with pytest.raises(Conflict) as refused:
        create(prison, username=username.upper())
    assert refused.value.field == "username"


@pytest.mark.parametrize("changes, field", [
    ({"username": "x"}, "username"), ({"username": "has space"}, "username"),
    ({"username": "import"}, "username"),
    ({"display_name": "  "}, "display_name"), ({"role": "boss"}, "role"),
    ({"locale": "de"}, "locale"), ({"locale": "en-XA"}, "locale"),
    ({"prison": "NOPE"}, "prison"), ({"prison": ""}, "prison"),
])
def test_bad_input_names_its_field(prison, changes, field):
    with pytest.raises(Refused) as refused:
        create(prison, **changes)
    assert refused.value.field == field


def test_an_admin_gets_no_prison_and_a_roster_service_account_can_be_made(prison):
    with pytest.raises(Refused) as refused:
        create(prison, role=Role.ADMIN, prison=prison.code)
    assert refused.value.code == "admin_no_prison"
    create(prison, role=Role.ADMIN)
    create(prison, role=Role.ROSTER_SERVICE)


def test_other_roles_are_refused_by_the_service(prison):
    with unit_of_work() as db, pytest.raises(NotAllowed):
        admin_accounts.create_user(db, identity("officer1"), NewUser(fresh_name(), "X", "officer",
                                                                     "en", prison.code),
                                   utc_now())
    with unit_of_work() as db, pytest.raises(NotAllowed):
        list_users(db, identity("security1"), UserFilters(), utc_now(), prisons_today())


def test_a_new_account_cannot_sign_in_until_a_reset_gives_it_a_password(prison):
    username = create(prison)
    temporary = reset(username)
    assert password_problem(temporary) is None and len(temporary) >= 16
    assert sign_in(username, temporary) is SignIn.OK
    with unit_of_work() as db:
        user = db.scalar(select(User).where(User.username == username))
        assert user.must_change_password and temporary not in user.password_hash
        assert load_identity(db, user.id).must_change_password
    assert all(temporary not in str(entry) for entry in changes_of(username))


def test_reset_ends_open_sessions_and_two_resets_differ(prison):
    username = create(prison)
    first = reset(username)
    who = identity(username)
    new_ticket(who, utc_now())
    second = reset(username)
    assert first != second
    assert sign_in(username, first) is not SignIn.OK
    with unit_of_work() as db:
        assert db.scalars(select(WebSession).where(WebSession.user_id == who.user_id,
                                                   WebSession.ended_at.is_(None))).all() == []


def test_forced_change_clears_the_mark_refuses_the_temporary_one_and_mismatches(prison):
    username = create(prison)
    temporary = reset(username)
    who = identity(username)
    for new, repeated, field in ((temporary, temporary, "new_password"),
                                 ("short", "short", "new_password"),
                                 (NEW_PASSWORD, NEW_PASSWORD + "x", "repeat_password")):
        with unit_of_work() as db, pytest.raises(Refused) as refused:
            change_password(db, who.user_id, new, repeated, utc_now())
        assert refused.value.field == field
    with unit_of_work() as db:
        change_password(db, who.user_id, NEW_PASSWORD, NEW_PASSWORD, utc_now())
    assert not identity(username).must_change_password
    assert sign_in(username, NEW_PASSWORD) is SignIn.OK
    assert changes_of(username)[-1]["change"] == "user.password_change"
    # Not forced any more: the current password is needed again.
    with unit_of_work() as db, pytest.raises(Refused) as refused:
        change_password(db, who.user_id, "another passphrase!", "another passphrase!", utc_now())
    assert refused.value.field == "current_password"


def test_deactivating_ends_sessions_keeps_the_account_and_reactivating_restores(prison):
    username = create(prison)
    reset(username)
    who = identity(username)
    new_ticket(who, utc_now())
    with unit_of_work() as db:
        admin_accounts.update_user(db, admin(), username, UserChange(active=False), utc_now())
    with unit_of_work() as db:
        assert load_identity(db, who.user_id) is None  # so the tablet's sync is refused
        assert db.get(User, who.user_id) is not None
        live = db.scalars(select(WebSession).where(WebSession.user_id == who.user_id,
                                                   WebSession.ended_at.is_(None))).all()
        assert live == []
        admin_accounts.update_user(db, admin(), username, UserChange(active=True), utc_now())
    assert identity(username).username == username
    last = changes_of(username)[-1]
    assert last["before"]["active"] is False and last["after"]["active"] is True


def test_an_admin_cannot_deactivate_themself():
    with unit_of_work() as db, pytest.raises(Refused):
        admin_accounts.update_user(db, admin(), "admin1", UserChange(active=False), utc_now())


def test_unlock_clears_the_lock_out_and_is_audited(prison):
    username = create(prison)
    temporary = reset(username)
    for _ in range(5):
        sign_in(username, "wrong wrong wrong")
    assert sign_in(username, temporary) is SignIn.LOCKED
    with unit_of_work() as db:
        [row] = list_users(db, admin(), UserFilters(prison=prison.code, locked=True), utc_now(),
                           prisons_today())
        assert row.username == username and row.locked
        assert admin_accounts.unlock(db, admin(), username, utc_now())
    with unit_of_work() as db:
        assert db.get(LoginThrottle, username) is None
        assert not admin_accounts.unlock(db, admin(), username, utc_now())
    assert sign_in(username, temporary) is SignIn.OK
    assert changes_of(username)[-1]["change"] == "user.unlock"


def test_list_filters_by_role_prison_wing_and_active_and_never_shows_a_hash(prison):
    officer = create(prison)
    treatment = create(prison, role=Role.TREATMENT)
    with unit_of_work() as db:
        user_id = db.scalar(select(User.id).where(User.username == officer))
        db.add(Posting(user_id=user_id, scope="wing", prison_id=prison.id,
                       wing_id=prison.wing_ids["A"], valid_from=prisons_today(),
                       created_at=utc_now()))
        admin_accounts.update_user(db, admin(), treatment, UserChange(active=False), utc_now())

    def names(**filters) -> list[str]:
        with unit_of_work() as db:
            return [row.username for row in list_users(
                db, admin(), UserFilters(prison=prison.code, **filters), utc_now(),
                prisons_today())]

    assert names() == sorted([officer, treatment])
    assert names(role="officer") == [officer]
    assert names(wing="A") == [officer] and names(wing="B") == []
    assert names(active=False) == [treatment] and names(active=True) == [officer]
    assert names(locked=True) == []
    with unit_of_work() as db:
        detail = user_detail(db, admin(), officer, utc_now(), prisons_today())
    assert detail.user.wings == ("A",) and detail.postings[0].current
    assert "password_hash" not in vars(detail.user)


def test_roster_service_cannot_sign_in_to_pages_but_gets_tokens(prison):
    username = create(prison, role=Role.ROSTER_SERVICE)
    temporary = reset(username)
    assert sign_in(username, temporary, "web") is SignIn.INVALID
    assert sign_in(username, temporary, "api") is SignIn.OK


# --- CSV import ---------------------------------------------------------------------------


def csv_of(prison, *rows: str) -> str:
    return "username,display_name,role,locale,prison,wings,valid_from\n" + "\n".join(
        row.replace("{P}", prison.code) for row in rows) + "\n"


def test_dry_run_lists_creates_and_changes_and_writes_nothing(prison):
    existing = create(prison, display_name="Old Name")
    new = fresh_name()
    text = csv_of(prison, f"{new},New Person,officer,sq,{{P}},A;B,",
                  f"{existing},New Name,officer,sq,{{P}},A,2026-01-05")
    with unit_of_work() as db:
        found = account_import.dry_run(db, admin(), text, utc_now())
    assert found.ok
    assert [(line.line, line.username, line.action) for line in found.lines] == [
        (2, new, "create"), (3, existing, "change")]
    assert found.lines[0].changes == ("account", "wing:A", "wing:B")
    assert found.lines[1].changes == ("display_name", "wing:A")
    with unit_of_work() as db:
        assert db.scalar(select(User).where(User.username == new)) is None


def test_apply_uses_the_services_and_postings_follow(prison):
    officer, treatment, head = fresh_name(), fresh_name(), fresh_name()
    text = csv_of(prison, f"{officer},Officer One,officer,sr-Latn,{{P}},A;B,2026-01-05",
                  f"{treatment},Treat One,treatment,mk,{{P}},,",
                  f"{head},Head One,security_head,en,,,")
    with unit_of_work() as db:
        assert account_import.apply(db, admin(), text, utc_now()).ok
    day = prisons_today()
    with unit_of_work() as db:
        assert len(user_detail(db, admin(), officer, utc_now(), day).postings) == 2
        assert user_detail(db, admin(), treatment, utc_now(), day).postings[0].scope == "prison"
        assert user_detail(db, admin(), head, utc_now(), day).postings[0].scope == "central"
    assert [entry["change"] for entry in changes_of(officer)] == ["user.create"]
    with unit_of_work() as db:  # applying again changes nothing
        again = account_import.dry_run(db, admin(), text, utc_now())
    assert {line.action for line in again.lines} == {"unchanged"}


def test_errors_name_line_and_column_and_nothing_is_applied(prison):
    good = fresh_name()
    text = csv_of(prison, f"{good},Good,officer,sq,{{P}},A,",
                  f"{fresh_name()},Bad Role,chief,sq,{{P}},,",
                  f"{fresh_name()},Closed,officer,sq,{{P}},C,",
                  f"{fresh_name()},Wings,treatment,sq,{{P}},A,",
                  f"{fresh_name()},Date,officer,sq,{{P}},A,05/01/2026",
                  f"{good},Twice,officer,sq,{{P}},A,")
    with unit_of_work() as db:
        found = account_import.apply(db, admin(), text, utc_now())
    assert [(error.line, error.column) for error in found.errors] == [
        (3, "role"), (4, "wing"), (5, "wings"), (6, "valid_from"), (7, "username")]
    with unit_of_work() as db:
        assert db.scalar(select(User).where(User.username == good)) is None


def test_a_file_without_a_needed_column_is_refused():
    with unit_of_work() as db, pytest.raises(account_import.BadFile) as refused:
        account_import.dry_run(db, admin(), "username,display_name\nx,y\n", utc_now())
    assert refused.value.params == {"column": "role"}
