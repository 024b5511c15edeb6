"""The review list (issue 12 item 3) on a frozen clock: who sees which entries, overdue and
coming, extend's checks, anonymise and erase now, and the audit rows of each decision.

Entries are made directly (tests/review_data.py), as the retention run queues them; other
tests share the database, so each test looks only at its own entries."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.db import unit_of_work
from app.models import AuditEntry, ErasedRecord, Observation, ReviewEntry, ScreeningItem
from app.services import review_list, review_reads
from app.services.review_errors import ReviewRefused
from app.vocabulary import RecordClass
from tests.helpers import T0, identity
from tests.review_data import (
    cipher,
    data_protection_officer,
    entry,
    item_entry,
    other_prison,
    prison_of,
    run,
)
from tests.screening_data import new_prisoner, observe

TODAY = date(2026, 3, 2)  # T0 on the prisons' clock
WHY = "Kept for the pending court case of the prisoner."
S1, S2 = "screener1", "screener2"


def listed(who, now=T0, keep=lambda _row: True):
    return run(review_reads.listing, who, now, keep)


def mine(found, *entry_ids):
    return [row for row in found.rows if row.entry_id in entry_ids]


def refused(code, fn, *args, **kwargs) -> ReviewRefused:
    with pytest.raises(ReviewRefused) as caught:
        run(fn, *args, **kwargs)
    assert caught.value.code == code, str(caught.value)
    return caught.value


def stored(entry_id: int) -> ReviewEntry:
    with unit_of_work() as db:
        row = db.get(ReviewEntry, entry_id)
        db.expunge(row)
        return row


def audit_of(entry_id: int) -> list[AuditEntry]:
    with unit_of_work() as db:
        return list(db.scalars(select(AuditEntry).where(
            AuditEntry.record_id == f"review:{entry_id}").order_by(AuditEntry.seq)))


# --- what the list holds ---------------------------------------------------------------------


def test_overdue_entries_come_first_and_coming_ones_after_by_date():
    late, _ = item_entry(T0, TODAY - timedelta(days=5))
    soon, _ = item_entry(T0, TODAY + timedelta(days=3))
    later, _ = item_entry(T0, TODAY + timedelta(days=20))
    today, _ = item_entry(T0, TODAY)
    rows = mine(listed(identity(S1)), late, soon, later, today)
    assert [r.entry_id for r in rows] == [late, today, soon, later]
    assert [r.overdue for r in rows] == [True, False, False, False]  # due today is not late


def test_an_entry_becomes_overdue_the_day_after_its_date():
    entry_id, _ = item_entry(T0, TODAY)
    (row,) = mine(listed(identity(S1), T0 + timedelta(days=1)), entry_id)
    assert row.overdue


def test_filters_keep_overdue_or_coming_and_the_counts_are_of_everything():
    late, _ = item_entry(T0, TODAY - timedelta(days=1))
    soon, _ = item_entry(T0, TODAY + timedelta(days=1))
    found = listed(identity(S1), keep=lambda row: row.overdue)
    assert [r.entry_id for r in mine(found, late, soon)] == [late]
    assert found.total >= 2 and found.overdue >= 1
    assert found.total > len(found.rows)


def test_a_screening_record_names_the_prisoner_and_an_observation_says_when_and_where():
    entry_id, item_id = item_entry(T0, TODAY + timedelta(days=9))
    prisoner_id = new_prisoner()
    obs_id = observe(prisoner_id, flag=False, now=T0)
    obs_entry = entry(RecordClass.OBSERVATION_REFERRAL, obs_id, prison_of(S1), prisoner_id,
                      TODAY + timedelta(days=9), T0, rule_id="referral_review_5y")
    item_row, obs_row = mine(listed(identity(S1)), entry_id, obs_entry)
    assert item_row.item_id == item_id and item_row.prisoner_number.startswith("T-")
    assert item_row.item_closed_at is not None and item_row.happened_at is None
    assert obs_row.happened_at is not None and obs_row.wing_code
    assert obs_row.prisoner_name.startswith("Test Prisoner")
    assert item_row.decisions == {"extend", "erase"}  # a screening record is not anonymised
    assert obs_row.decisions == {"extend", "anonymise", "erase"}
    assert item_row.can_hold and obs_row.can_hold


def test_rows_that_name_a_prisoner_are_audited_reads():
    entry_id, _ = item_entry(T0, TODAY + timedelta(days=2))
    listed(identity(S1))
    (read,) = audit_of(entry_id)
    assert (read.action, read.purpose, read.actor_id) == ("read", "review list view",
                                                          identity(S1).user_id)


def test_decided_entries_leave_the_list():
    entry_id, _ = item_entry(T0, TODAY - timedelta(days=2))
    run(review_list.extend, identity(S1), entry_id, TODAY + timedelta(days=100), WHY, T0,
        cipher())
    assert mine(listed(identity(S1)), entry_id) == []


def test_treatment_staff_see_only_their_prisons_records_and_no_logs():
    prison_id, prisoner_id = other_prison()
    elsewhere = entry(RecordClass.SCREENING_DECISION, "999999", prison_id, prisoner_id,
                      TODAY, T0)
    log = entry(RecordClass.AUDIT_LOG, "2016-02", None, None, TODAY, T0,
                rule_id="audit_log_review_10y")
    assert mine(listed(identity(S1)), elsewhere, log) == []


def test_the_data_protection_officer_sees_the_logs_and_the_prisons_in_reach():
    prison_id, prisoner_id = other_prison()
    elsewhere = entry(RecordClass.SCREENING_DECISION, "999998", prison_id, prisoner_id,
                      TODAY, T0)
    log = entry(RecordClass.AUDIT_LOG, "2016-03", None, None, TODAY - timedelta(days=1), T0,
                rule_id="audit_log_review_10y")
    central = data_protection_officer(T0)
    rows = mine(listed(central), elsewhere, log)
    assert {r.entry_id for r in rows} == {elsewhere, log}
    (log_row,) = [r for r in rows if r.entry_id == log]
    assert log_row.decisions == {"extend"} and not log_row.can_hold
    assert log_row.prisoner_name == "" and log_row.overdue
    one_prison = data_protection_officer(T0, central=False, prison_id=prison_of(S1))
    assert {r.entry_id for r in mine(listed(one_prison), elsewhere, log)} == {log}


def test_other_roles_have_no_review_list():
    for username in ("officer1", "security1", "admin1"):
        refused("forbidden", review_reads.listing, identity(username), T0)


# --- extend ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("until", "reason", "code"), [
    (None, WHY, "date_missing"),
    (TODAY, WHY, "date_too_early"),
    (TODAY - timedelta(days=1), WHY, "date_too_early"),
    (TODAY + timedelta(days=5 * 366), WHY, "date_too_late"),
    (TODAY + timedelta(days=30), "", "reason_too_short"),
    (TODAY + timedelta(days=30), "   short  ", "reason_too_short"),
    (TODAY + timedelta(days=30), "x" * 2001, "reason_too_long"),
    (TODAY + timedelta(days=30), "a reason \ud800 here", "reason_unstorable"),
])
def test_extend_needs_a_date_after_today_within_five_years_and_a_reason(until, reason, code):
    entry_id, _ = item_entry(T0, TODAY - timedelta(days=3))
    error = refused(code, review_list.extend, identity(S1), entry_id, until, reason, T0,
                    cipher())
    assert error.field in ("until", "reason")
    assert stored(entry_id).decided_at is None and audit_of(entry_id) == []


def test_a_coming_entry_is_extended_past_its_own_date_not_just_past_today():
    entry_id, _ = item_entry(T0, TODAY + timedelta(days=20))
    error = refused("date_too_early", review_list.extend, identity(S1), entry_id,
                    TODAY + timedelta(days=10), WHY, T0, cipher())
    assert error.params["day"] == TODAY + timedelta(days=20)


def test_the_limit_is_five_years_from_today_to_the_day():
    entry_id, _ = item_entry(T0, TODAY - timedelta(days=3))
    refused("date_too_late", review_list.extend, identity(S1), entry_id, date(2031, 3, 3), WHY,
            T0, cipher())
    assert run(review_list.extend, identity(S1), entry_id, date(2031, 3, 2), WHY, T0,
               cipher()) == date(2031, 3, 2)


def test_extend_records_the_decision_with_the_reason_encrypted_and_one_audit_row():
    entry_id, item_id = item_entry(T0, TODAY - timedelta(days=3))
    until = TODAY + timedelta(days=400)
    run(review_list.extend, identity(S1), entry_id, until, WHY, T0, cipher(), identity(S1).locale)
    row = stored(entry_id)
    assert (row.decision, row.decided_at, row.decided_by, row.extended_to) == (
        "extend", T0, identity(S1).user_id, until)
    assert WHY not in row.reason_enc and row.locale == identity(S1).locale.value
    assert cipher().decrypt(row.reason_enc, table="review_entry", column="reason",
                            row_id=str(entry_id)) == WHY
    (decision,) = audit_of(entry_id)
    assert (decision.action, decision.purpose) == ("review", "review.extend")
    assert json.loads(decision.detail) == {"class": "screening_decision", "record": str(item_id),
                                           "until": until.isoformat()}
    assert WHY not in (decision.detail or "")


def test_an_entry_is_decided_once():
    entry_id, _ = item_entry(T0, TODAY - timedelta(days=3))
    run(review_list.extend, identity(S1), entry_id, TODAY + timedelta(days=40), WHY, T0,
        cipher())
    error = refused("already_decided", review_list.extend, identity(S2), entry_id,
                    TODAY + timedelta(days=90), WHY, T0, cipher())
    assert error.status == 409 and error.params["name"]
    refused("already_decided", review_list.remove_now, identity(S2), entry_id, "erase", T0)


def test_another_prisons_entry_is_refused_and_nothing_is_written():
    prison_id, prisoner_id = other_prison()
    elsewhere = entry(RecordClass.SCREENING_DECISION, "999997", prison_id, prisoner_id,
                      TODAY, T0)
    error = refused("forbidden", review_list.extend, identity(S1), elsewhere,
                    TODAY + timedelta(days=30), WHY, T0, cipher())
    assert error.status == 403
    refused("forbidden", review_list.remove_now, identity(S1), elsewhere, "erase", T0)
    refused("forbidden", review_list.extend, identity("officer1"), elsewhere,
            TODAY + timedelta(days=30), WHY, T0, cipher())
    refused("not_found", review_list.extend, identity(S1), 10**9, TODAY + timedelta(days=30),
            WHY, T0, cipher())
    assert stored(elsewhere).decided_at is None and audit_of(elsewhere) == []


def test_an_audit_log_month_is_only_ever_extended():
    log = entry(RecordClass.AUDIT_LOG, "2016-04", None, None, TODAY, T0,
                rule_id="audit_log_review_10y")
    officer = data_protection_officer(T0)
    refused("decision_not_offered", review_list.remove_now, officer, log, "erase", T0)
    refused("decision_not_offered", review_list.remove_now, officer, log, "anonymise", T0)
    refused("not_holdable", review_list.hold, officer, log, WHY, TODAY + timedelta(days=9), T0,
            cipher())
    run(review_list.extend, officer, log, TODAY + timedelta(days=365), WHY, T0, cipher())
    assert stored(log).extended_to == TODAY + timedelta(days=365)


# --- anonymise and erase now -------------------------------------------------------------------


def test_erase_now_removes_the_screening_record_and_the_entry_forgets_the_prisoner():
    entry_id, item_id = item_entry(T0, TODAY - timedelta(days=1))
    prisoner_id = stored(entry_id).prisoner_id
    run(review_list.remove_now, identity(S1), entry_id, "erase", T0)
    row = stored(entry_id)
    assert (row.decision, row.decided_by, row.prisoner_id) == ("erase", identity(S1).user_id,
                                                                None)
    with unit_of_work() as db:
        assert db.get(ScreeningItem, item_id) is None
        stone = db.scalar(select(ErasedRecord).where(ErasedRecord.record_id == str(item_id),
                                                     ErasedRecord.record_class ==
                                                     "screening_decision"))
        assert stone.rule_id == f"review:{entry_id}" and stone.action == "erase"
        erased = db.scalar(select(AuditEntry).where(AuditEntry.record_id ==
                                                    f"screening:{item_id}",
                                                    AuditEntry.action == "erase"))
    assert erased is not None
    (decision,) = audit_of(entry_id)
    assert (decision.purpose, decision.prisoner_id) == ("review.erase", prisoner_id)


def test_anonymise_now_keeps_an_observations_counts_and_not_the_person():
    prisoner_id = new_prisoner()
    obs_id = observe(prisoner_id, flag=False, now=T0)
    entry_id = entry(RecordClass.OBSERVATION_REFERRAL, obs_id, prison_of(S1), prisoner_id,
                     TODAY, T0, rule_id="referral_review_5y")
    run(review_list.remove_now, identity(S1), entry_id, "anonymise", T0)
    with unit_of_work() as db:
        assert db.get(Observation, obs_id) is None
        stone = db.scalar(select(ErasedRecord).where(ErasedRecord.record_id == obs_id))
    assert stone.action == "anonymise" and stone.wing_id and stone.prison_id
    assert stored(entry_id).decision == "anonymise"
    assert [a.purpose for a in audit_of(entry_id)] == ["review.anonymise"]


def test_unknown_decisions_are_refused():
    entry_id, _ = item_entry(T0, TODAY)
    for decision in ("extend", "", "delete", None):
        refused("decision_unknown", review_list.remove_now, identity(S1), entry_id, decision,
                T0)
    refused("decision_not_offered", review_list.remove_now, identity(S1), entry_id,
            "anonymise", T0)  # a screening record's schedule does not anonymise


def test_an_already_erased_record_is_decided_without_erasing_twice():
    entry_id, item_id = item_entry(T0, TODAY - timedelta(days=1))
    again = entry(RecordClass.SCREENING_DECISION, str(item_id), prison_of(S1),
                  stored(entry_id).prisoner_id, TODAY, T0)
    run(review_list.remove_now, identity(S1), entry_id, "erase", T0)
    (row,) = mine(listed(identity(S1)), again)
    assert row.gone and row.item_id is None and not row.can_hold
    run(review_list.remove_now, identity(S1), again, "erase", T0)
    with unit_of_work() as db:
        assert len(db.scalars(select(ErasedRecord).where(
            ErasedRecord.record_id == str(item_id))).all()) == 1
    assert stored(again).decision == "erase"


def test_overdue_count_for_the_security_head_counts_only_undecided_past_entries():
    prison_id, prisoner_id = other_prison()
    for days in (-3, -1, 0, 4):
        entry(RecordClass.SCREENING_DECISION, f"9{days + 10}", prison_id, prisoner_id,
              TODAY + timedelta(days=days), T0)
    decided = entry(RecordClass.SCREENING_DECISION, "977", prison_id, prisoner_id,
                    TODAY - timedelta(days=9), T0)
    with unit_of_work() as db:
        db.get(ReviewEntry, decided).decided_at = T0
    assert run(review_reads.overdue_count, {prison_id}, TODAY) == 2
    assert run(review_reads.overdue_count, {prison_id}, TODAY + timedelta(days=5)) == 4
    assert run(review_reads.overdue_count, set(), TODAY) == 0
