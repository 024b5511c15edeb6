"""Tablets (issue 11 item 6): contact at every sync, the island's report, the 24 h / 3 day
rules, marking one lost (sessions and tokens end, its sealed entries are still taken), and the
API's roles and bad input. Each test makes its own prison and people."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.clock import utc_now
from app.db import unit_of_work
from app.i18n.locales import Locale
from app.i18n.messages import speaking
from app.models import (AuditEntry, Posting, Prison, Prisoner, Tablet, TabletOfficer,
                        TokenCutoff, User, Wing)
from app.runtime import session_timeouts
from app.services import audit, organisation, sealing, tablet_reads, tablets, web_sessions
from app.services.admin_refusals import Conflict, NotAllowed, NotFound, Refused
from app.services.passwords import hash_password
from app.services.tablet_reads import Attention
from app.views.tablets import tablet_notice, tablet_view
from app.vocabulary import PostingScope, Role
from tests.conftest import TEST_PASSWORD
from tests.helpers import (POSTED_SINCE, api_client, bearer, bootstrap, identity, new_ticket,
                           observation_payload)

SYNC = "/api/v1/observations/sync"
REPORT = "/api/v1/devices/report"
LIST = "/api/v1/admin/tablets"


@dataclass(frozen=True)
class Place:
    prison_id: str
    prison_code: str
    prisoner_id: str
    officers: tuple[str, ...]  # usernames, password TEST_PASSWORD
    security_head: str


def _user(db, role: Role, prison: Prison, wing: Wing | None) -> str:
    user = User(username=f"tab-{secrets.token_hex(5)}", display_name=f"Tablet {role}", role=role,
                password_hash=hash_password(TEST_PASSWORD), prison_id=prison.id,
                created_at=utc_now())
    scope = PostingScope.WING if wing else PostingScope.PRISON
    db.add_all([user, Posting(user=user, scope=scope, prison_id=prison.id, wing=wing,
                              valid_from=POSTED_SINCE, created_at=utc_now())])
    return user.username


@pytest.fixture
def place() -> Place:
    code = f"T{secrets.token_hex(3)}"
    with unit_of_work() as db:
        prison = Prison(code=code, name=f"Prison {code}")
        wing = Wing(code="W1", name="Wing 1", prison=prison)
        db.add_all([prison, wing])
        db.flush()
        organisation.give_standard_locations(db, prison)
        prisoner = Prisoner(prison_id=prison.id, wing_id=wing.id, number=f"{code}-1",
                            given_name="Ana", family_name="Test")
        db.add(prisoner)
        officers = tuple(_user(db, Role.OFFICER, prison, wing) for _ in range(2))
        head = _user(db, Role.SECURITY_HEAD, prison, None)
        db.flush()
        return Place(prison.id, code, prisoner.id, officers, head)


def device() -> str:
    return f"tablet-{uuid.uuid4()}"


def sync(username: str, device_id: str, prisoner_id: str):
    item = {"id": str(uuid.uuid4()),
            "sealed": sealing.seal(observation_payload(prisoner_id),
                                   bootstrap("officer1")["sealing_key"])}
    return api_client().post(SYNC, json={"device_id": device_id, "items": [item]},
                             headers=bearer(username, TEST_PASSWORD))


def tablet_row(device_id: str) -> Tablet | None:
    with unit_of_work() as db:
        row = db.get(Tablet, device_id)
        if row is not None:
            db.expunge(row)
        return row


def set_times(device_id: str, **times) -> None:
    """Move a tablet's (and its officers') clock back, as if days had passed."""
    with unit_of_work() as db:
        row = db.get_one(Tablet, device_id)
        for name, value in times.items():
            if name == "oldest_waiting_at":
                for officer in db.scalars(select(TabletOfficer)
                                          .where(TabletOfficer.device_id == device_id)):
                    officer.oldest_waiting_at, officer.waiting = value, 3
            else:
                setattr(row, name, value)


def listed(prison_code: str) -> dict[str, tablet_reads.TabletRow]:
    admin = identity("admin1")
    with unit_of_work() as db:
        found = tablet_reads.listing(db, admin, utc_now(), prison_code)
    return {row.device_id: row for row in found.rows}


# --- contact and report ------------------------------------------------------------------------

def test_a_sync_records_the_tablet_its_prison_and_officer(place):
    device_id = device()
    assert tablet_row(device_id) is None
    response = sync(place.officers[0], device_id, place.prisoner_id)
    assert response.json()["results"][0]["status"] == "created", response.text
    row = tablet_row(device_id)
    assert row is not None and row.prison_id == place.prison_id
    assert row.last_officer_id == identity(place.officers[0]).user_id
    first = row.last_contact_at
    sync(place.officers[1], device_id, place.prisoner_id)  # a second officer, a second batch
    row = tablet_row(device_id)
    assert row.last_officer_id == identity(place.officers[1]).user_id
    assert row.first_seen_at == first <= row.last_contact_at
    first_officer = identity(place.officers[0]).user_id
    with unit_of_work() as db:
        assert db.scalar(select(TabletOfficer.user_id).where(
            TabletOfficer.device_id == device_id).order_by(TabletOfficer.first_seen_at)
            .limit(1)) == first_officer


def test_the_islands_report_is_stored_per_officer_and_summed_per_tablet(place):
    device_id, now = device(), utc_now()
    for username, waiting, hours in ((place.officers[0], 2, 30), (place.officers[1], 1, 2)):
        response = api_client().post(REPORT, headers=bearer(username, TEST_PASSWORD), json={
            "device_id": device_id, "waiting": waiting, "app_version": "0.1.0+shell-v1",
            "oldest_waiting_at": (now - timedelta(hours=hours)).isoformat()})
        assert response.status_code == 204, response.text
    row = listed(place.prison_code)[device_id]
    assert (row.waiting, row.app_version) == (3, "0.1.0+shell-v1")
    assert abs(row.oldest_waiting_at - (now - timedelta(hours=30))) < timedelta(seconds=1)
    assert row.attention == (Attention.WAITING_LONG,)
    # The first officer sends theirs: nothing of theirs waits any more.
    api_client().post(REPORT, headers=bearer(place.officers[0], TEST_PASSWORD), json={
        "device_id": device_id, "waiting": 0, "app_version": "0.1.0+shell-v1"})
    row = listed(place.prison_code)[device_id]
    assert row.waiting == 1 and row.attention == ()


def test_a_report_is_taken_as_the_tablet_tells_it(place):
    """A clock ahead makes the oldest entry "now"; a count without a time keeps no time."""
    device_id, headers = device(), bearer(place.officers[0], TEST_PASSWORD)
    for oldest in ("2999-01-01T00:00:00Z", None):
        response = api_client().post(REPORT, headers=headers, json={
            "device_id": device_id, "waiting": 2, "app_version": "1",
            "oldest_waiting_at": oldest})
        assert response.status_code == 204, response.text
        row = listed(place.prison_code)[device_id]
        assert row.waiting == 2 and row.attention == ()
        assert (row.oldest_waiting_at is None) == (oldest is None)
        assert row.oldest_waiting_at is None or row.oldest_waiting_at <= utc_now()


@pytest.mark.parametrize("body, field", [
    ({"waiting": -1}, "waiting"),
    ({"waiting": 100_001}, "waiting"),
    ({"waiting": "3"}, "waiting"),
    ({"waiting": 1, "oldest_waiting_at": "yesterday"}, "oldest_waiting_at"),
    ({"device_id": "no spaces here"}, "device_id"),
    ({"app_version": ""}, "app_version"),
    ({"content": "what the entry said"}, "content"),
])
def test_a_bad_report_is_refused_naming_its_field(place, body, field):
    good = {"device_id": device(), "waiting": 0, "app_version": "1"}
    response = api_client().post(REPORT, json={**good, **body},
                                 headers=bearer(place.officers[0], TEST_PASSWORD))
    assert response.status_code == 422, response.text
    assert field in response.json()["error"]["message"]


def test_only_officers_report_and_only_administrators_list_or_mark(place):
    body = {"device_id": device(), "waiting": 0, "app_version": "1"}
    assert api_client().post(REPORT, json=body, headers=bearer("admin1")).status_code == 403
    assert api_client().post(REPORT, json=body).status_code == 401
    for username, password in ((place.officers[0], TEST_PASSWORD), (place.security_head,
                                                                     TEST_PASSWORD)):
        headers = bearer(username, password)
        assert api_client().get(LIST, headers=headers).status_code == 403
        assert api_client().post(f"{LIST}/{body['device_id']}/lost",
                                 headers=headers).status_code == 403
    officer, admin = identity(place.officers[0]), identity("admin1")
    with unit_of_work() as db, pytest.raises(NotAllowed):
        tablets.mark_lost(db, officer, body["device_id"], utc_now())
    with unit_of_work() as db, pytest.raises(Refused):
        tablets.record_contact(db, admin, body["device_id"], utc_now())


# --- the rules: 24 hours waiting, 3 days silent ---------------------------------------------

def test_the_rules_at_their_edges():
    now = utc_now()
    hour, day = timedelta(hours=1), timedelta(days=1)
    assert tablet_reads.attention(now, now - 23 * hour, None, now) == ()
    assert tablet_reads.attention(now, now - 25 * hour, None, now) == (Attention.WAITING_LONG,)
    assert tablet_reads.attention(now - 2 * day, None, None, now) == ()
    assert tablet_reads.attention(now - 3 * day - hour, None, None, now) == (Attention.SILENT,)
    assert tablet_reads.attention(now - 4 * day, now - 5 * day, None, now) == (
        Attention.WAITING_LONG, Attention.SILENT)
    # A lost tablet is known to be gone, unless it is heard from again.
    assert tablet_reads.attention(now - hour, now - 5 * day, now - 3 * day, now) == (
        Attention.BACK_AFTER_LOST,)
    assert tablet_reads.attention(now - 4 * day, None, now - 3 * day, now) == ()


def test_the_list_puts_a_silent_tablet_first_and_the_security_head_sees_the_count(place):
    quiet, busy = device(), device()
    for device_id in (quiet, busy):
        sync(place.officers[0], device_id, place.prisoner_id)
    set_times(quiet, last_contact_at=utc_now() - timedelta(days=4))
    rows = listed(place.prison_code)
    assert list(rows)[0] == quiet and rows[quiet].attention == (Attention.SILENT,)
    assert rows[busy].attention == ()
    head, demo_head = identity(place.security_head), identity("security1")
    with unit_of_work() as db:
        summary = tablet_reads.needing_attention(db, head, {place.prison_id}, utc_now())
        # Not another prison's, whatever the caller asks for.
        elsewhere = tablet_reads.needing_attention(db, demo_head, {place.prison_id}, utc_now())
    assert summary == tablet_reads.AttentionSummary(1, {Attention.SILENT: 1})
    assert elsewhere.tablets == 0


def test_the_list_filters_by_prison_and_refuses_an_unknown_one(place):
    device_id = device()
    sync(place.officers[0], device_id, place.prisoner_id)
    assert device_id in listed(place.prison_code)
    assert device_id not in listed("DEMO")
    admin = identity("admin1")
    with unit_of_work() as db, pytest.raises(NotFound) as refused:
        tablet_reads.listing(db, admin, utc_now(), "NO-SUCH")
    assert refused.value.field == "prison"
    response = api_client().get(LIST, params={"prison": place.prison_code},
                                headers=bearer("admin1"))
    assert response.status_code == 200, response.text
    body = response.json()
    assert [t["device_id"] for t in body["tablets"]] == [device_id]
    assert body["tablets"][0]["last_officer"]["username"] == place.officers[0]
    assert "facts" not in response.text and "sealed" not in response.text
    missing = api_client().get(LIST, params={"prison": "NO-SUCH"}, headers=bearer("admin1"))
    assert missing.status_code == 404 and "prison" in missing.json()["error"]["message"]
    too_long = api_client().get(LIST, params={"prison": "X" * 17}, headers=bearer("admin1"))
    assert too_long.status_code == 422


def test_a_deactivated_officers_waiting_entries_are_listed(place):
    device_id = device()
    api_client().post(REPORT, headers=bearer(place.officers[0], TEST_PASSWORD), json={
        "device_id": device_id, "waiting": 4, "app_version": "1",
        "oldest_waiting_at": utc_now().isoformat()})
    admin = identity("admin1")
    with unit_of_work() as db:
        assert tablet_reads.listing(db, admin, utc_now(), place.prison_code).held == []
        db.scalars(select(User).where(User.username == place.officers[0])).one().active = False
    with unit_of_work() as db:
        held = tablet_reads.listing(db, admin, utc_now(), place.prison_code).held
    assert [(h.username, h.device_id, h.waiting) for h in held] == [
        (place.officers[0], device_id, 4)]


# --- lost --------------------------------------------------------------------------------------

def test_marking_lost_ends_its_officers_sessions_and_tokens_and_is_audited(place):
    device_id = device()
    sync(place.officers[0], device_id, place.prisoner_id)
    officer = identity(place.officers[0])
    other = identity(place.officers[1])  # never used this tablet
    ticket = new_ticket(officer, utc_now())
    with unit_of_work() as db:
        key = web_sessions.redeem_ticket(db, ticket, utc_now())
    password_token = bearer(place.officers[0], TEST_PASSWORD)
    others_token = bearer(place.officers[1], TEST_PASSWORD)
    me = "/api/v1/auth/me"
    assert api_client().get(me, headers=password_token).status_code == 200

    response = api_client().post(f"{LIST}/{device_id}/lost", headers=bearer("admin1"))
    assert response.status_code == 200, response.text
    assert response.json()["officers"] == 1 and response.json()["sessions_ended"] == 1
    assert api_client().get(me, headers=password_token).status_code == 401
    assert api_client().get(me, headers=others_token).status_code == 200
    with unit_of_work() as db:
        assert web_sessions.resolve(db, key, utc_now(), session_timeouts()) is None
        entry = db.scalars(select(AuditEntry).where(AuditEntry.record_id == device_id)).one()
        change = audit.change_of(entry.detail)
    assert change["change"] == "tablet.lost" and change["before"] == {"lost_at": None}
    assert change["after"]["officers"] == [officer.user_id]
    assert tablet_row(device_id).lost_by == identity("admin1").user_id
    again = api_client().post(f"{LIST}/{device_id}/lost", headers=bearer("admin1"))
    assert again.status_code == 409
    unknown = api_client().post(f"{LIST}/{device()}/lost", headers=bearer("admin1"))
    assert unknown.status_code == 404
    assert api_client().post(f"{LIST}/bad%20id/lost", headers=bearer("admin1")).status_code == 422
    assert other.user_id not in change["after"]["officers"]


def test_a_lost_tablets_sealed_entries_are_still_accepted(place):
    device_id = device()
    sync(place.officers[0], device_id, place.prisoner_id)
    admin, officer = identity("admin1"), identity(place.officers[0])
    with unit_of_work() as db:
        tablets.mark_lost(db, admin, device_id, utc_now())
    with unit_of_work() as db, pytest.raises(Conflict):
        tablets.mark_lost(db, admin, device_id, utc_now())
    later = utc_now() + timedelta(seconds=1)
    with unit_of_work() as db:
        assert tablets.tokens_refused(db, officer.user_id, later) is False
        assert tablets.tokens_refused(db, officer.user_id,
                                      utc_now() - timedelta(seconds=1)) is True
    # The officer signs in again (a new token, after the cut-off) and the tablet sends.
    with unit_of_work() as db:  # as if time had passed: tokens carry whole seconds
        cutoff = db.get_one(TokenCutoff, officer.user_id)
        cutoff.not_before -= timedelta(seconds=2)
    response = sync(place.officers[0], device_id, place.prisoner_id)
    assert response.status_code == 200, response.text
    assert response.json()["results"][0]["status"] == "created"
    rows = listed(place.prison_code)
    assert rows[device_id].attention == (Attention.BACK_AFTER_LOST,)


# --- what the pages say ------------------------------------------------------------------------

def test_the_page_says_why_a_tablet_is_highlighted_and_the_notice_names_no_one():
    words = speaking(Locale.EN)
    now = utc_now()
    row = tablet_reads.TabletRow(
        "tablet-x", "P1", "Prison 1", now, now - timedelta(days=4), "Ana Officer", "ana", False,
        2, now - timedelta(days=5), "0.1.0", None, None,
        (Attention.WAITING_LONG, Attention.SILENT))
    view = tablet_view(row, words)
    assert view.attention and view.can_mark_lost
    assert view.reasons == ["An entry has waited on it more than 24 hours.",
                            "Not heard from for 3 days or more."]
    assert "deactivated" in view.last_officer
    notice = tablet_notice(tablet_reads.AttentionSummary(
        2, {Attention.SILENT: 2, Attention.WAITING_LONG: 1}), words)
    assert notice.title == "2 tablets need attention"
    assert notice.reasons == ["1 with an entry waiting more than 24 hours",
                              "2 not heard from for 3 days or more"]
    assert tablet_notice(tablet_reads.AttentionSummary(0, {}), words).title == ""
