"""Posting changes: who may be posted where, the refusals, ending one, and that identity_of
(read at every request) follows at once."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.clock import prisons_today, utc_now
from app.db import unit_of_work
from app.models import AuditEntry, Posting, User
from app.services import admin_accounts, audit, posting_changes
from app.services.accounts import identity_of
from app.services.admin_accounts import NewUser
from app.services.admin_refusals import Conflict, NotAllowed, NotFound, Refused
from app.services.posting_changes import NewPosting
from app.vocabulary import PostingScope, Role
from tests.account_data import admin, fresh_name, fresh_prison
from tests.helpers import identity

SINCE = date(2026, 1, 1)


@pytest.fixture
def prison():
    return fresh_prison()


def account(home, role: str, prison_code: str | None = None) -> str:
    code = home.code if prison_code is None else prison_code
    with unit_of_work() as db:
        return admin_accounts.create_user(db, admin(), NewUser(
            fresh_name(), "Posted Person", role, "en", code), utc_now()).username


def post(username: str, scope: str, valid_from=SINCE, valid_to=None, prison="", wing="") -> int:
    with unit_of_work() as db:
        return posting_changes.add_posting(db, admin(), username, NewPosting(
            scope, valid_from, valid_to, prison, wing), utc_now())


def end(username: str, posting_id: int, valid_to: date) -> None:
    with unit_of_work() as db:
        posting_changes.end_posting(db, admin(), username, posting_id, valid_to, utc_now())


def reach_of(username: str, day: date | None = None):
    with unit_of_work() as db:
        user = db.scalar(select(User).where(User.username == username))
        return identity_of(db, user, day)


def test_an_officer_is_posted_to_several_wings_and_sees_them(prison):
    officer = account(prison, Role.OFFICER)
    post(officer, PostingScope.WING, wing="A")
    post(officer, PostingScope.WING, wing="B")
    who = reach_of(officer)
    assert set(who.wing_ids) == {prison.wing_ids["A"], prison.wing_ids["B"]}
    assert who.prison_id == prison.id


def test_ending_a_posting_drops_the_wing_from_the_next_request(prison):
    officer = account(prison, Role.OFFICER)
    a = post(officer, PostingScope.WING, wing="A")
    post(officer, PostingScope.WING, wing="B")
    yesterday = prisons_today() - timedelta(days=1)
    end(officer, a, yesterday)
    assert reach_of(officer).wing_ids == (prison.wing_ids["B"],)
    assert prison.wing_ids["A"] in reach_of(officer, yesterday).wing_ids  # the last day counts
    with unit_of_work() as db:
        entry = db.scalars(select(AuditEntry).where(AuditEntry.record_id == str(a))
                           .order_by(AuditEntry.seq.desc())).first()
        change = audit.change_of(entry.detail)
    assert change["change"] == "posting.end"
    assert change["before"]["valid_to"] is None and change["after"]["valid_to"] == \
        yesterday.isoformat()
    assert change["after"]["wing"] == "A" and change["after"]["prison"] == prison.code


def test_treatment_gets_a_prison_and_a_security_head_a_prison_or_central(prison):
    treatment = account(prison, Role.TREATMENT)
    post(treatment, PostingScope.PRISON)
    assert reach_of(treatment).prison_id == prison.id
    head = account(prison, Role.SECURITY_HEAD, prison_code="")
    post(head, PostingScope.CENTRAL)
    assert reach_of(head).central


@pytest.mark.parametrize("role, scope", [
    (Role.OFFICER, PostingScope.PRISON), (Role.TREATMENT, PostingScope.WING),
    (Role.TREATMENT, PostingScope.CENTRAL), (Role.SECURITY_HEAD, PostingScope.WING),
    (Role.ADMIN, PostingScope.PRISON), (Role.ROSTER_SERVICE, PostingScope.PRISON),
])
def test_the_wrong_scope_for_the_role_is_refused(prison, role, scope):
    username = account(prison, role, prison_code="" if role == Role.ADMIN else None)
    with pytest.raises(Refused) as refused:
        post(username, scope, wing="A")
    assert (refused.value.code, refused.value.field) == ("wrong_scope", "scope")


def test_a_closed_wing_and_an_unknown_one_are_refused(prison):
    officer = account(prison, Role.OFFICER)
    for wing, code in (("C", "wing_closed"), ("Z", "unknown_wing")):
        with pytest.raises(Refused) as refused:
            post(officer, PostingScope.WING, wing=wing)
        assert (refused.value.code, refused.value.field) == (code, "wing")


def test_a_wing_of_another_prison_is_refused(prison):
    officer = account(prison, Role.OFFICER)
    other = fresh_prison()
    with pytest.raises(Refused) as refused:
        post(officer, PostingScope.WING, prison=other.code, wing="A")
    assert (refused.value.code, refused.value.field) == ("other_prison", "prison")


def test_overlapping_prison_postings_are_refused_but_consecutive_ones_are_not(prison):
    treatment = account(prison, Role.TREATMENT)
    post(treatment, PostingScope.PRISON, SINCE, date(2026, 1, 31))
    with pytest.raises(Conflict):
        post(treatment, PostingScope.PRISON, date(2026, 1, 31))
    post(treatment, PostingScope.PRISON, date(2026, 2, 1))
    head = account(prison, Role.SECURITY_HEAD)
    post(head, PostingScope.PRISON)
    with pytest.raises(Conflict):
        post(head, PostingScope.CENTRAL)


def test_the_same_wing_twice_at_once_is_refused(prison):
    officer = account(prison, Role.OFFICER)
    post(officer, PostingScope.WING, wing="A")
    with pytest.raises(Conflict):
        post(officer, PostingScope.WING, date(2027, 1, 1), wing="A")


def test_a_last_day_before_the_first_is_refused_on_add_and_on_end(prison):
    officer = account(prison, Role.OFFICER)
    with pytest.raises(Refused) as refused:
        post(officer, PostingScope.WING, SINCE, SINCE - timedelta(days=1), wing="A")
    assert refused.value.field == "valid_to"
    posting = post(officer, PostingScope.WING, SINCE, wing="A")
    with pytest.raises(Refused) as refused:
        end(officer, posting, SINCE - timedelta(days=1))
    assert refused.value.field == "valid_to"


def test_a_posting_of_someone_else_is_not_found_and_other_roles_are_refused(prison):
    officer, other = account(prison, Role.OFFICER), account(prison, Role.OFFICER)
    posting = post(officer, PostingScope.WING, wing="A")
    with pytest.raises(NotFound):
        end(other, posting, prisons_today())
    with unit_of_work() as db, pytest.raises(NotAllowed):
        posting_changes.add_posting(db, identity("officer1"), officer, NewPosting(
            PostingScope.WING, SINCE, wing="B"), utc_now())
    with unit_of_work() as db:
        assert db.scalars(select(Posting).where(Posting.id == posting)).one().valid_to is None
