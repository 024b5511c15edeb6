"""The audit log viewer (issue 11 item 7): filters, each entry's meaning in words, never
protected content, the export and the verification audited, a broken chain reported.

Rows of a test's own are made with actors and prisoners of its own (unique names), so what other
tests append to the shared chain never changes what a filter here finds.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import secrets
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import sessionmaker

from app import migrate, runtime
from app.db import make_engine, unit_of_work
from app.i18n.locales import Locale
from app.i18n.messages import Messages
from app.models import AuditEntry, Prisoner, User
from app.services import audit, audit_log
from app.services.audit import Action
from app.services.audit_log import CHANGES, AuditFilters, BadFilter, NotAllowed
from app.settings import get_settings
from app.views.audit_log import change_text, entry_view, meaning_text, to_csv, verify_text
from tests.helpers import identity
from tests.trend_data import new_prison, record

ZONE = get_settings().zone
EN = Messages(Locale.EN, ZONE)
# 2026-03-02 in Belgrade (UTC+1 in winter): 23:30 UTC is already the 3rd there.
DAY = date(2026, 3, 2)
LATE = datetime(2026, 3, 2, 23, 30, tzinfo=UTC)


@pytest.fixture(scope="module", autouse=True)
def _admin():
    global ADMIN
    ADMIN = identity("admin1")


def _user(tag: str) -> User:
    with unit_of_work() as db:
        user = User(username=f"audit-{tag}", display_name=f"Auditor {tag}", role="officer",
                    password_hash="x", created_at=LATE)
        db.add(user)
    return user


def _rows(*entries: dict) -> None:
    with runtime.transaction() as db:  # signs the head, as every audited path does
        audit.append_many(db, list(entries))


def _find(**params: str) -> audit_log.LogPage:
    with unit_of_work() as db:
        return audit_log.entries(db, ADMIN, AuditFilters.parse(params), ZONE)


@pytest.fixture(scope="module")
def own_rows():
    """Two actors of this module; rows on 2 and 3 March (local), one about a prisoner."""
    tag = secrets.token_hex(4)
    alice, bob = _user(f"a{tag}"), _user(f"b{tag}")
    place = new_prison()
    prisoner_id = place.prisoners["X"][0]
    with unit_of_work() as db:
        number = db.scalar(select(Prisoner.number).where(Prisoner.id == prisoner_id))
    noon = datetime(2026, 3, 2, 11, 0, tzinfo=UTC)
    _rows({"at": noon, "action": Action.READ, "actor_id": alice.id, "prisoner_id": prisoner_id,
           "record_id": f"screening:{tag}", "purpose": "screening case view"},
          {"at": LATE, "action": Action.SIGN_IN, "actor_id": alice.id,
           "detail": f"web sign_in: {alice.username}"},
          {"at": noon, "action": Action.EXPORT, "actor_id": bob.id, "record_id": "trends",
           "purpose": "trends csv", "detail": "/trends?prison=P1&weeks=4"})
    return {"alice": alice, "bob": bob, "prisoner": prisoner_id, "number": number, "tag": tag}


# --- filters ---------------------------------------------------------------------------------


def test_who_filters_by_username_and_an_unknown_name_finds_nothing(own_rows):
    found = _find(who=own_rows["alice"].username.upper())
    assert found.total == 2
    assert {e.actor_username for e in found.entries} == {own_rows["alice"].username}
    assert _find(who=f"nobody-{own_rows['tag']}").total == 0


def test_action_filter(own_rows):
    found = _find(who=own_rows["alice"].username, action="sign_in")
    assert [e.action for e in found.entries] == ["sign_in"]


def test_subject_is_a_record_id_a_prisoner_id_or_a_prisoner_number(own_rows):
    by_record = _find(subject=f"screening:{own_rows['tag']}")
    by_number = _find(subject=own_rows["number"])
    by_id = _find(subject=own_rows["prisoner"])
    assert by_record.total == by_number.total == by_id.total == 1
    assert by_number.entries[0].prisoner_number == own_rows["number"]


def test_the_period_is_in_the_prisons_local_dates(own_rows):
    alice = own_rows["alice"].username
    on_the_2nd = _find(who=alice, since="2026-03-02", until="2026-03-02")
    on_the_3rd = _find(who=alice, since="2026-03-03", until="2026-03-03")
    assert [e.action for e in on_the_2nd.entries] == ["read"]
    assert [e.action for e in on_the_3rd.entries] == ["sign_in"]  # 23:30 UTC is the 3rd there


def test_paging_newest_first(own_rows, monkeypatch):
    monkeypatch.setattr(audit_log, "PAGE_SIZE", 1)
    alice = own_rows["alice"].username
    first, second = _find(who=alice), _find(who=alice, page="2")
    assert (first.pages, first.page, second.page) == (2, 1, 2)
    assert first.entries[0].seq > second.entries[0].seq
    assert _find(who=alice, page="9").page == 2  # past the end: the last page


@pytest.mark.parametrize(("params", "field"), [
    ({"action": "delete_everything"}, "action"),
    ({"since": "03/02/2026"}, "since"),
    ({"until": "2026-02-30"}, "until"),
    ({"since": "2026-03-05", "until": "2026-03-01"}, "since"),
    ({"until": "9999-12-31"}, "until"),
    ({"page": "0"}, "page"),
    ({"page": "²"}, "page"),
    ({"who": "x" * 65}, "who"),
])
def test_bad_filters_name_their_field(params, field):
    with pytest.raises(BadFilter) as refused:
        AuditFilters.parse(params)
    assert refused.value.field == field
    assert EN.t(refused.value.message, field=field).startswith(f"{field}: ")


def test_only_administrators_read_the_log():
    with unit_of_work() as db, pytest.raises(NotAllowed):
        audit_log.entries(db, identity("security1"), AuditFilters(), ZONE)


# --- what entries mean -----------------------------------------------------------------------


def _said(action: str, purpose: str | None = None, detail: str | None = None) -> str:
    meaning, _, recorded = audit_log.meaning_of(action, purpose, detail)
    return meaning_text(EN, meaning) + (f" [recorded: {recorded}]" if recorded else "")


@pytest.mark.parametrize(("action", "purpose", "detail", "said"), [
    (Action.CREATE, "observation recorded", "device tab-7", "Recorded an observation on tablet tab-7"),
    (Action.CREATE, "correction to an observation", "observation 41",
     "Added a correction to observation 41"),
    (Action.CREATE, "something new", None, "Created a record [recorded: something new]"),
    (Action.READ, "screening queue view", None, "Saw the item in the screening queue"),
    (Action.READ, "screening case view", None, "Opened a screening case"),
    (Action.READ, "refused: other prison", None, "Was refused a screening item of another prison"),
    (Action.READ, "refused: role", None, "Was refused a screening item: not their role"),
    (Action.READ, "own receipts", "3 own entries, no content",
     "Fetched the receipts of 3 of their own entries"),
    (Action.READ, "audit.verify", '{"broken": null, "ok": true, "rows": 12}',
     "Verified the audit log: intact, 12 rows checked"),
    (Action.READ, "audit.verify", '{"broken": 4, "ok": false, "rows": 3}',
     "Verified the audit log: broken at row 4"),
    (Action.DECISION, "screening item claimed", "event 1", "Claimed a screening item"),
    (Action.DECISION, "screening item taken over", "event 2", "Took over a screening item"),
    (Action.DECISION, "screening decision: refer_assessment", "event 3",
     "Recorded a screening decision"),
    (Action.DECISION, "referral for assessment signed off", None,
     "Signed off a referral for assessment"),
    (Action.DECISION, "screening addendum", None, "Added an addendum to a screening item"),
    (Action.DECISION, "a future step", None, "Recorded a screening step"),
    (Action.EXPORT, "trends csv", "/trends?prison=P1&weeks=4",
     "Downloaded the trends as CSV; filters: prison=P1, weeks=4"),
    (Action.EXPORT, "trends print", "/trends", "Opened the trends print view; filters: -"),
    (Action.EXPORT, "audit.export", '{"action": "read", "rows": 7}',
     "Downloaded 7 audit log entries as CSV; filters: action=read"),
    (Action.ERASE, None, None, "Erased a record"),
    (Action.SIGN_IN, None, "web sign_in: officer1", "Signed in (browser)"),
    (Action.SIGN_OUT, None, "api sign_out: officer1", "Signed out (API)"),
    (Action.SIGN_IN_FAILED, None, "web sign_in_failed: offcer1",
     "Failed to sign in as offcer1 (browser)"),
    (Action.SIGN_IN_FAILED, None, "api sign_in_refused_locked: officer2",
     "Refused sign-in as officer2: account locked (API)"),
    (Action.SIGN_IN, None, "written some other way", "Signed in [recorded: written some other way]"),
])
def test_every_action_is_said_in_words(action, purpose, detail, said):
    assert _said(action, purpose, detail) == said


def test_every_action_has_a_meaning_and_a_label():
    from app.views.audit_log import ACTION_LABELS

    assert set(ACTION_LABELS) == set(Action) == set(audit_log.GENERIC)


def _change(code: str, before: dict | None, after: dict | None) -> str:
    return json.dumps({"change": code, "before": before, "after": after})


@pytest.mark.parametrize("code", sorted(CHANGES))
def test_every_known_change_code_has_its_own_words(code):
    meaning, _, recorded = audit_log.meaning_of(Action.ADMIN_CHANGE, None,
                                                _change(code, None, {"id": "x"}))
    assert meaning.msgid == CHANGES[code] and "{" not in meaning_text(EN, meaning)
    assert recorded == ""


def test_an_unknown_change_code_is_said_generically_with_its_fields():
    meaning, changes, _ = audit_log.meaning_of(
        Action.ADMIN_CHANGE, None, _change("badge.print", {"colour": "red", "size": 2},
                                           {"colour": "blue", "size": 2}))
    assert meaning_text(EN, meaning) == "Administrative change: badge.print"
    assert [change_text(EN, c) for c in changes] == ["colour: red -> blue"]


def test_before_and_after_as_field_old_new():
    _, changes, _ = audit_log.meaning_of(Action.ADMIN_CHANGE, None, _change(
        "user.create", None, {"username": "neo", "active": True}))
    assert [change_text(EN, c) for c in changes] == ["username: (none) -> neo",
                                                     "active: (none) -> true"]
    _, ended, _ = audit_log.meaning_of(Action.ADMIN_CHANGE, None, _change(
        "posting.end", {"valid_to": None}, {"valid_to": "2026-03-31"}))
    assert [change_text(EN, c) for c in ended] == ["valid_to: (none) -> 2026-03-31"]


# --- never protected content -----------------------------------------------------------------


def test_protected_fields_of_a_change_are_never_shown():
    _, changes, _ = audit_log.meaning_of(Action.ADMIN_CHANGE, None, _change(
        "user.password_reset", {"password_hash": "$argon2$old"},
        {"password_hash": "$argon2$new", "facts": "He said he would", "family_name": "Doe"}))
    shown = [change_text(EN, c) for c in changes]
    assert shown == ["password_hash: (not shown)", "facts: (not shown)",
                     "family_name: (not shown)"]


def test_an_observation_and_a_flag_leave_no_content_in_the_log():
    """A real observation with a flag reason, through the ingest path: its audit row says an
    observation was recorded, and no word of its facts or reason reaches any field."""
    place = new_prison()
    officer = place.officers[0]
    record(officer, place.prisoners["X"][1], flag=True)
    with unit_of_work() as db:
        found = audit_log.entries(db, ADMIN, AuditFilters(who=officer.username), ZONE)
        name = db.scalar(select(Prisoner.family_name)
                         .where(Prisoner.id == place.prisoners["X"][1]))
    assert found.total >= 1
    views = [entry_view(EN, e) for e in found.entries]
    assert views[0].meaning.startswith("Recorded an observation on tablet")
    shown = json.dumps([v.__dict__ for v in views])
    for protected in ("Facts for a trend test", "Flagged in a trend test", name):
        assert protected not in shown


def test_an_account_changed_is_named_by_its_username(own_rows):
    bob = own_rows["bob"]
    with runtime.transaction() as db:
        audit.record_change(db, at=LATE, actor_id=ADMIN.user_id, change="user.update",
                            subject=bob.id, before={"active": True}, after={"active": False})
    entry = _find(subject=bob.id).entries[0]
    assert entry_view(EN, entry).subject == f"{bob.username} ({bob.id})"
    assert entry.change_code == "user.update"
    assert entry_view(EN, entry).meaning == "Changed an account"
    assert entry_view(EN, entry).changes == ["active: true -> false"]


def test_a_screening_decision_shows_neither_its_outcome_nor_its_text():
    view = entry_view(EN, audit_log.LogEntry(
        seq=1, at=LATE, action=Action.DECISION, actor_username="screener1", actor_name="S",
        subject="screening:1", subject_name="", prisoner_number="A1", meaning=audit_log.meaning_of(
            Action.DECISION, "screening decision: refer_assessment", "event 3")[0]))
    assert "refer" not in json.dumps(view.__dict__).lower()


def test_the_actor_by_name_and_username_and_the_prisoner_by_number(own_rows):
    entry = _find(subject=own_rows["number"]).entries[0]
    view = entry_view(EN, entry)
    assert view.actor == f"{own_rows['alice'].display_name} ({own_rows['alice'].username})"
    assert view.prisoner == own_rows["number"]


# --- export and verify, audited --------------------------------------------------------------


def test_the_export_is_the_filtered_view_and_is_audited(own_rows):
    filters = AuditFilters(who=own_rows["bob"].username, since=DAY, until=DAY)
    with runtime.transaction() as db:
        found = audit_log.all_entries(db, ADMIN, filters, ZONE)
        audit_log.log_export(db, ADMIN, filters, len(found), LATE)
    body = to_csv(EN, [entry_view(EN, e) for e in found], filters.codes())
    rows = list(csv.reader(io.StringIO(codecs.decode(body, "utf-8-sig"))))
    assert rows[2][6] == "Downloaded the trends as CSV; filters: prison=P1, weeks=4"
    assert len(rows) == 3
    with unit_of_work() as db:
        last = db.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
    assert (last.action, last.actor_id, last.purpose) == ("export", ADMIN.user_id, "audit.export")
    assert json.loads(last.detail) == {"who": own_rows["bob"].username, "since": "2026-03-02",
                                       "until": "2026-03-02", "rows": 1}


def test_a_csv_cell_is_never_a_formula():
    view = entry_view(EN, audit_log.LogEntry(
        seq=1, at=LATE, action=Action.SIGN_IN_FAILED, actor_username="", actor_name="",
        subject="", subject_name="", prisoner_number="", meaning=audit_log.Meaning("{x}", {"x": "=HYPERLINK()"}),
        recorded_text="=1+1"))
    row = list(csv.reader(io.StringIO(codecs.decode(to_csv(EN, [view], {}), "utf-8-sig"))))[2]
    assert row[6] == "'=HYPERLINK()" and row[8] == "'=1+1"


def test_verify_now_on_the_shared_chain_is_ok_and_audited():
    result = runtime.verify_audit()
    with runtime.transaction() as db:
        audit_log.log_verify(db, ADMIN, result, LATE)
    assert result.ok, result.reason
    assert verify_text(EN, result)[0] == f"Audit log intact: {EN.number(result.rows_checked)} rows checked."
    with unit_of_work() as db:
        last = db.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
    assert (last.action, last.purpose) == ("read", "audit.verify")
    assert json.loads(last.detail)["ok"] is True
    assert runtime.verify_audit().ok  # the audit row itself is signed too


def test_a_broken_chain_is_reported_at_its_first_broken_row(tmp_path):
    """On a scratch database of its own (tests/test_audit.py's way): the shared chain stays."""
    url = f"sqlite:///{tmp_path / 'scratch.db'}"
    migrate.upgrade(url)
    engine = make_engine(url)
    sessions, key, head = sessionmaker(engine), secrets.token_bytes(32), tmp_path / "head.json"
    with sessions.begin() as db:
        for n in range(6):
            audit.append(db, at=LATE, action=Action.READ, actor_id="u", purpose="audit.verify",
                         detail="{}")
    with sessions.begin() as db:
        audit.write_signed_head(db, head, key)
        db.execute(text("UPDATE audit_entry SET detail = 'x' WHERE seq = 4"))
    with sessions() as idle:
        result = audit.verify(idle, key, head)
    engine.dispose()
    message, reason = verify_text(EN, result)
    assert (result.ok, result.first_broken_seq) == (False, 4)
    assert message == "Audit log BROKEN at row 4."
    assert reason == "row 4 was changed: its content does not match its hash"
