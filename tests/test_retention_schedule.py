"""The retention schedule as data: the default, a deployment's own file checked at start, the
earliest rule wins, the dates of one prisoner's records, the tablet's period, the command."""

from __future__ import annotations

import dataclasses
import json
from datetime import date, timedelta

import pytest

from app import cli
from app.db import unit_of_work
from app.i18n.locales import Locale
from app.i18n.messages import Messages
from app.services import retention_schedule as rs
from app.settings import get_settings
from app.views import retention as views
from app.vocabulary import Outcome, RecordClass, RetentionAction, RetentionReference
from tests.retention_data import (
    TODAY,
    ZONE,
    close,
    days_ago,
    new_place,
    new_prisoner,
    observe,
)

DEFAULT = json.loads(rs.DEFAULT_FILE.read_text())


def test_the_default_schedule_has_a_rule_for_every_class():
    schedule = rs.load()
    assert {rule.record_class for rule in schedule.rules} == set(RecordClass)
    assert rs.tablet_receipt_days(schedule) == 7
    (audit_rule,) = schedule.for_class(RecordClass.AUDIT_LOG)
    assert audit_rule.action == RetentionAction.REVIEW and audit_rule.period_months == 120


def test_a_deployments_own_schedule_is_read_from_its_file(tmp_path, monkeypatch):
    body = json.loads(json.dumps(DEFAULT))
    receipt = next(r for r in body["rules"] if r["record_class"] == "tablet_receipt")
    receipt["period_days"] = 3
    path = tmp_path / "schedule.json"
    path.write_text(json.dumps(body))
    assert rs.tablet_receipt_days(rs.load(path)) == 3
    monkeypatch.setattr(rs, "get_settings",
                        lambda: dataclasses.replace(get_settings(), retention_schedule=path))
    assert rs.load().source == str(path.resolve())


def bad(rules_change) -> dict:
    body = json.loads(json.dumps(DEFAULT))
    rules_change(body["rules"])
    return body


@pytest.mark.parametrize(("body", "says"), [
    ({"rules": []}, "non-empty list of rules"),
    (bad(lambda r: r[0].update(record_class="observation")), "'record_class' must be one of"),
    (bad(lambda r: r[0].update(reference="item_closed")), "cannot be counted from item_closed"),
    (bad(lambda r: r[5].update(action="erase")), "audit_log cannot be erased"),
    (bad(lambda r: r[0].update(period_months=12)), "exactly one of 'period_days'"),
    (bad(lambda r: r[0].update(period_days=0)), "a whole number from 1"),
    (bad(lambda r: r[0].update(period_days="365")), "a whole number from 1"),
    (bad(lambda r: r[1].update(id=r[0]["id"])), "twice"),
    (bad(lambda r: r[0].update(id="Bad Id")), "'id' must be"),
    (bad(lambda r: r[0].update(colour="red")), "unknown fields ['colour']"),
    (bad(lambda r: r.pop(6)), "no rule for sign_in_log"),
    (bad(lambda r: r.pop(0)), "no rule for observation_not_escalated that counts from a date"),
    (bad(lambda r: r.append(dict(r[7], id="second_receipt"))), "exactly one rule for "
                                                                 "tablet_receipt"),
])
def test_a_bad_schedule_is_refused_with_what_is_wrong(body, says):
    with pytest.raises(rs.ScheduleError) as error:
        rs.parse(body, "deployment.json")
    assert says in str(error.value) and "deployment.json" in str(error.value)


def test_a_missing_or_broken_file_is_refused(tmp_path):
    with pytest.raises(rs.ScheduleError, match="no such file"):
        rs.load(tmp_path / "nowhere.json")
    (tmp_path / "broken.json").write_text("{not json")
    with pytest.raises(rs.ScheduleError, match="not readable JSON"):
        rs.load(tmp_path / "broken.json")


def test_setup_refuses_to_start_with_a_bad_schedule(tmp_path, monkeypatch, capsys):
    (tmp_path / "bad.json").write_text(json.dumps({"rules": [{"id": "x"}]}))
    monkeypatch.setattr(rs, "get_settings", lambda: dataclasses.replace(
        get_settings(), retention_schedule=tmp_path / "bad.json"))
    assert cli.main(["setup"]) == 2
    assert "Refusing to start: retention schedule" in capsys.readouterr().err
    assert cli.main(["retention", "run", "--dry-run"]) == 2


def test_the_earliest_applicable_rule_wins():
    schedule = rs.load()
    happened = date(2025, 1, 10)
    refs = {RetentionReference.HAPPENED: happened, RetentionReference.RELEASED: None}
    due = rs.earliest(schedule, RecordClass.OBSERVATION_NOT_ESCALATED, "o", refs)
    assert (due.rule_id, due.due_on) == ("not_escalated_1y", happened + timedelta(days=365))
    refs[RetentionReference.RELEASED] = date(2025, 3, 1)  # release + 90 days comes sooner
    due = rs.earliest(schedule, RecordClass.OBSERVATION_NOT_ESCALATED, "o", refs)
    assert (due.rule_id, due.due_on) == ("not_escalated_released_90d", date(2025, 5, 30))
    refs[RetentionReference.RELEASED] = date(2025, 12, 1)  # later than a year: the year wins
    assert rs.earliest(schedule, RecordClass.OBSERVATION_NOT_ESCALATED, "o", refs
                       ).rule_id == "not_escalated_1y"
    extended = rs.earliest(schedule, RecordClass.OBSERVATION_NOT_ESCALATED, "o", refs,
                           extended_to=date(2030, 1, 1))
    assert extended.due_on == date(2030, 1, 1) and extended.extended


def test_months_end_on_the_last_day_of_a_shorter_month():
    assert rs.add_months(date(2024, 2, 29), 24) == date(2026, 2, 28)
    assert rs.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert rs.add_months(date(2026, 3, 31), -1) == date(2026, 2, 28)


def test_dates_for_one_prisoner():
    place = new_place()
    prisoner = new_prisoner(place, released_on=TODAY - timedelta(days=30))
    plain = observe(place, prisoner, days_ago(100))
    referred = observe(place, prisoner, days_ago(300), flag=True)
    item = close(place, prisoner, days_ago(200), Outcome.REFER_SUPPORT)
    waiting = observe(place, prisoner, days_ago(5), flag=True)  # on a new, open item
    with unit_of_work() as db:
        dates = rs.dates_for_prisoner(db, rs.load(), prisoner, TODAY)
    by_id = {due.record_id: due for due in dates}
    assert set(by_id) == {plain, referred, str(item)} and waiting not in by_id
    assert (by_id[plain].rule_id, by_id[plain].due_on) == (
        "not_escalated_released_90d", TODAY + timedelta(days=60))
    closed_on = days_ago(200).astimezone(ZONE).date()
    assert (by_id[referred].record_class, by_id[referred].action, by_id[referred].due_on) == (
        RecordClass.OBSERVATION_REFERRAL, RetentionAction.REVIEW, rs.add_months(closed_on, 60))
    assert by_id[str(item)].record_class == RecordClass.SCREENING_DECISION
    assert [d.due_on for d in dates] == sorted(d.due_on for d in dates)


def test_the_schedule_in_words():
    words = Messages(Locale.EN, ZONE)
    lines = {v.rule_id: v for v in views.schedule_views(rs.load(), words)}
    assert (lines["not_escalated_1y"].records, lines["not_escalated_1y"].counted_from,
            lines["not_escalated_1y"].period, lines["not_escalated_1y"].then) == (
        "Observation, never escalated", "when it happened", "365 days", "Erase")
    assert lines["audit_log_review_10y"].period == "10 years"
    assert lines["not_escalated_released_90d"].note.startswith("Applies once")
    assert views.counts_words({"erase": 2, "held": 1}, words) == "2 erased, 1 kept: on legal hold"
    assert views.counts_words({"review": 3}, words, planned=True) == "3 to put up for review"


def test_the_command_prints_a_summary(capsys):
    assert cli.main(["retention", "run", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Dry run for ") and "nothing was changed" in out
