"""The retention run on a frozen clock: every rule due and not due, held, restricted, already
erased, run twice; reviews queued ahead and extended; the audit chain and the trends after it."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app import runtime
from app.db import unit_of_work
from app.models import (
    Addendum,
    AuditEntry,
    AuthLog,
    ErasedRecord,
    LegalHold,
    Observation,
    Restriction,
    RetentionRun,
    ReviewEntry,
    ScreeningEvent,
    ScreeningItem,
    ScreeningTrigger,
    TrendIndicatorWeek,
    TrendWeek,
    WebSession,
)
from app.runtime import ingest_context
from app.services import (
    audit,
    audit_log,
    catalogue,
    erasure,
    retention_reads,
    retention_run,
    retention_schedule,
    screening,
    trends,
)
from app.services.observations import Item, ObservationInput, add_addendum, ingest
from app.vocabulary import HoldSubject, Outcome, RecordClass, RestrictionGround, Role
from tests.retention_data import (
    NOW,
    TODAY,
    ZONE,
    close,
    days_ago,
    new_place,
    new_prisoner,
    observe,
    open_item,
    run,
)


def exists(observation_id: str) -> bool:
    with unit_of_work() as db:
        return db.get(Observation, observation_id) is not None


def tombstone(record_id: str) -> ErasedRecord | None:
    with unit_of_work() as db:
        return db.scalars(select(ErasedRecord).where(ErasedRecord.record_id == record_id)
                          ).one_or_none()


def entries(record_id: str) -> list[ReviewEntry]:
    with unit_of_work() as db:
        return list(db.scalars(select(ReviewEntry).where(ReviewEntry.record_id == record_id)
                               .order_by(ReviewEntry.id)))


# --- observations never escalated: a year after, or 90 days after release ------------------


def test_not_escalated_erased_a_year_after_it_happened_not_a_day_before():
    place = new_place()
    prisoner = new_prisoner(place)
    old = observe(place, prisoner, days_ago(365))  # due today
    young = observe(place, prisoner, days_ago(364))
    day_before = datetime.combine(TODAY, datetime.min.time(), ZONE) - timedelta(minutes=1)
    assert run(place, now=day_before).summary == {}  # not yet due
    assert exists(old)
    result = run(place)
    assert result.summary == {"not_escalated_1y": {"erase": 1}}
    assert not exists(old) and exists(young)
    stone = tombstone(old)
    assert (stone.record_class, stone.action, stone.rule_id, stone.run_id) == (
        RecordClass.OBSERVATION_NOT_ESCALATED, "erase", "not_escalated_1y", result.run_id)
    assert stone.reference_on == TODAY - timedelta(days=365)
    assert stone.prison_id is None and stone.indicators is None  # erased: nothing kept


def test_released_prisoner_erased_90_days_after_release_when_that_is_sooner():
    place = new_place()
    released = new_prisoner(place, released_on=TODAY - timedelta(days=91))
    recent = new_prisoner(place, released_on=TODAY - timedelta(days=10))
    gone = observe(place, released, days_ago(120))
    kept = observe(place, recent, days_ago(120))
    assert run(place).summary == {"not_escalated_released_90d": {"erase": 1}}
    assert not exists(gone) and exists(kept)
    assert tombstone(gone).reference_on == TODAY - timedelta(days=91)


def test_addenda_go_with_their_observation():
    place = new_place()
    prisoner = new_prisoner(place)
    old = observe(place, prisoner, days_ago(400))
    with unit_of_work() as db:
        add_addendum(db, place.officer, old, "A correction.", days_ago(399), ingest_context().cipher)
    run(place)
    with unit_of_work() as db:
        assert db.scalar(select(func.count()).select_from(Addendum)
                         .where(Addendum.observation_id == old)) == 0


# --- observations on closed items ------------------------------------------------------------


def test_no_further_action_erased_two_years_after_the_item_closed():
    place = new_place()
    prisoner = new_prisoner(place)
    obs = observe(place, prisoner, days_ago(800), flag=True)
    item = close(place, prisoner, days_ago(740))
    young_prisoner = new_prisoner(place)
    young = observe(place, young_prisoner, days_ago(800), flag=True)
    close(place, young_prisoner, days_ago(720))
    result = run(place)
    assert result.summary["no_further_action_2y"] == {"erase": 1}
    assert not exists(obs) and exists(young)
    assert tombstone(obs).record_class == RecordClass.OBSERVATION_NO_FURTHER_ACTION
    # the screening record itself is reviewed at five years, not yet
    with unit_of_work() as db:
        assert db.get(ScreeningItem, item) is not None


def test_observation_on_an_open_item_has_no_date():
    place = new_place()
    prisoner = new_prisoner(place)
    obs = observe(place, prisoner, days_ago(900), flag=True)
    assert open_item(prisoner)
    assert run(place).summary == {}
    assert exists(obs)


def test_referral_and_screening_record_queued_for_review_30_days_before_five_years():
    place = new_place()
    prisoner = new_prisoner(place)
    obs = observe(place, prisoner, days_ago(2000), flag=True)
    closed_on_day = days_ago(1826 - 29)  # five years on is 29 days from now
    item = close(place, prisoner, closed_on_day, Outcome.REFER_SUPPORT)
    later = new_prisoner(place)
    observe(place, later, days_ago(2000), flag=True)
    close(place, later, days_ago(1826 - 40), Outcome.REFER_ASSESSMENT)  # 40 days away
    result = run(place)
    assert result.summary == {"referral_review_5y": {"review": 1},
                              "screening_review_5y": {"review": 1}}
    (entry,) = entries(obs)
    closed_on = closed_on_day.astimezone(ZONE).date()
    assert (entry.record_class, entry.prisoner_id, entry.prison_id, entry.rule_id,
            entry.due_on, entry.decision) == (
        RecordClass.OBSERVATION_REFERRAL, prisoner, place.prison_id, "referral_review_5y",
        retention_schedule.add_months(closed_on, 60), None)
    assert [e.record_class for e in entries(str(item))] == [RecordClass.SCREENING_DECISION]
    assert exists(obs)  # a review takes nothing away
    assert run(place).summary == {}  # queued once


def test_extend_moves_the_date_and_a_new_entry_is_queued_then():
    place = new_place()
    prisoner = new_prisoner(place)
    obs = observe(place, prisoner, days_ago(2100), flag=True)
    close(place, prisoner, days_ago(1830), Outcome.REFER_SUPPORT)
    run(place)
    (entry,) = entries(obs)
    extended_to = TODAY + timedelta(days=100)
    with unit_of_work() as db:  # what helper B's review list records for "extend"
        row = db.get(ReviewEntry, entry.id)
        row.decision, row.decided_at, row.extended_to = "extend", NOW, extended_to
    assert "referral_review_5y" not in run(place).summary
    assert "referral_review_5y" not in run(place, now=NOW + timedelta(days=69)).summary
    later = run(place, now=NOW + timedelta(days=70))  # 30 days before the new date
    assert later.summary["referral_review_5y"] == {"review": 1}
    assert [e.due_on for e in entries(obs)] == [entry.due_on, extended_to]
    with unit_of_work() as db:
        dates = retention_schedule.dates_for_prisoner(db, retention_schedule.load(), prisoner,
                                                      TODAY)
    assert {d.record_id: d.due_on for d in dates}[obs] == extended_to


def test_anonymised_keeps_the_trend_fields_and_a_rebuild_counts_it():
    place = new_place()
    prisoner = new_prisoner(place)
    obs = observe(place, prisoner, days_ago(400), flag=True)
    close(place, prisoner, days_ago(399))
    with unit_of_work() as db:
        row = db.get(Observation, obs)
        fields = (row.prison_id, row.wing_id, row.concern, row.indicators, row.catalogue_version)
        week = trends.week_of(row.occurred_at, ZONE)
    with unit_of_work() as db:
        assert erasure.apply(db, RecordClass.OBSERVATION_NO_FURTHER_ACTION, obs, "anonymise",
                             rule_id="review:0", reference_on=TODAY, now=NOW)
    stone = tombstone(obs)
    assert (stone.prison_id, stone.wing_id, stone.concern, stone.indicators,
            stone.catalogue_version) == fields
    assert stone.week == week and stone.flagged is True and stone.concern_observation is True
    before = counts(place.prison_id)
    with unit_of_work() as db:
        trends.rebuild(db, catalogue.catalogues(), ZONE)
    assert counts(place.prison_id) == before  # the anonymised one is counted again


def counts(prison_id: str) -> tuple:
    with unit_of_work() as db:
        weeks = sorted(db.execute(select(TrendWeek.wing_id, TrendWeek.category, TrendWeek.week,
                                         TrendWeek.kind, TrendWeek.concern,
                                         TrendWeek.observations, TrendWeek.flagged)
                                  .where(TrendWeek.prison_id == prison_id)).tuples())
        ticks = sorted(db.execute(select(TrendIndicatorWeek.wing_id, TrendIndicatorWeek.concern,
                                         TrendIndicatorWeek.week, TrendIndicatorWeek.indicator,
                                         TrendIndicatorWeek.observations)
                                  .where(TrendIndicatorWeek.prison_id == prison_id)).tuples())
    return weeks, ticks


def test_trend_counts_are_unchanged_by_an_erasure():
    place = new_place()
    prisoner = new_prisoner(place)
    for days in (400, 390, 380, 10):
        observe(place, prisoner, days_ago(days))
    before = counts(place.prison_id)
    assert sum(n for *_, n, _flagged in before[0] if _[1] == trends.ALL) == 8  # 4, twice ("*")
    assert run(place).summary == {"not_escalated_1y": {"erase": 3}}
    assert counts(place.prison_id) == before


# --- held, restricted, already erased, twice ------------------------------------------------


def hold(place, prisoner_id: str, subject: str, subject_id: str, until: date) -> None:
    with unit_of_work() as db:
        db.add(LegalHold(subject=subject, subject_id=subject_id, prison_id=place.prison_id,
                         prisoner_id=prisoner_id, reason_enc="x", until=until,
                         placed_by=place.screeners[0].user_id, placed_at=NOW))


def test_held_records_are_skipped_until_the_hold_ends():
    place = new_place()
    prisoner = new_prisoner(place)
    held = observe(place, prisoner, days_ago(400))
    free = observe(place, prisoner, days_ago(401))
    hold(place, prisoner, HoldSubject.OBSERVATION, held, TODAY + timedelta(days=5))
    assert run(place).summary == {"not_escalated_1y": {"erase": 1, "held": 1}}
    assert exists(held) and not exists(free)
    assert run(place, now=NOW + timedelta(days=6)).summary == {"not_escalated_1y": {"erase": 1}}
    assert not exists(held)


def test_an_item_hold_keeps_its_observations_and_its_screening_record():
    place = new_place()
    prisoner = new_prisoner(place)
    obs = observe(place, prisoner, days_ago(2000), flag=True)
    item = close(place, prisoner, days_ago(1000))
    hold(place, prisoner, HoldSubject.ITEM, str(item), TODAY + timedelta(days=365))
    assert run(place).summary == {"no_further_action_2y": {"held": 1}}
    assert exists(obs)


def test_a_restricted_prisoners_records_are_skipped():
    place = new_place()
    prisoner = new_prisoner(place)
    obs = observe(place, prisoner, days_ago(400))
    with unit_of_work() as db:
        restriction = Restriction(prisoner_id=prisoner, prison_id=place.prison_id,
                                  ground=RestrictionGround.EVIDENCE_ONLY, reason_enc="x",
                                  placed_by=place.screeners[0].user_id, placed_at=NOW)
        db.add(restriction)
    assert run(place).summary == {"not_escalated_1y": {"restricted": 1}}
    assert exists(obs)
    with unit_of_work() as db:
        db.get(Restriction, restriction.id).lifted_at = NOW
    assert run(place).summary == {"not_escalated_1y": {"erase": 1}}


def test_run_twice_and_erase_again_change_nothing():
    place = new_place()
    prisoner = new_prisoner(place)
    obs = observe(place, prisoner, days_ago(400))
    run(place)
    with unit_of_work() as db:
        erased_before = db.scalar(select(func.count()).select_from(ErasedRecord))
    second = run(place)
    assert second.summary == {} and second.run_id is not None
    with unit_of_work() as db:
        assert not erasure.apply(db, RecordClass.OBSERVATION_NOT_ESCALATED, obs, "erase",
                                 rule_id="x", reference_on=TODAY, now=NOW)
        assert db.scalar(select(func.count()).select_from(ErasedRecord)) == erased_before


def test_dry_run_lists_and_changes_nothing():
    place = new_place()
    prisoner = new_prisoner(place)
    obs = observe(place, prisoner, days_ago(400))
    with unit_of_work() as db:
        runs, head = (db.scalar(select(func.count()).select_from(RetentionRun)),
                      db.scalar(select(func.max(AuditEntry.seq))))
    result = run(place, dry_run=True)
    assert result.run_id is None and result.summary == {"not_escalated_1y": {"erase": 1}}
    assert [d.record_id for d in result.plan.act] == [obs]
    assert exists(obs)
    with unit_of_work() as db:
        assert db.scalar(select(func.count()).select_from(RetentionRun)) == runs
        assert db.scalar(select(func.max(AuditEntry.seq))) == head


# --- what is written: one audit row per record, never content; the chain verifies -------------


def test_one_erase_row_per_record_a_summary_and_the_chain_verifies():
    place = new_place()
    prisoner = new_prisoner(place)
    ids = [observe(place, prisoner, days_ago(400 + n)) for n in range(3)]
    result = run(place)
    with unit_of_work() as db:
        rows = list(db.scalars(select(AuditEntry).where(AuditEntry.action == audit.Action.ERASE,
                                                        AuditEntry.record_id.in_(ids))))
        summary = db.scalars(select(AuditEntry).where(
            AuditEntry.record_id == f"retention_run:{result.run_id}")).one()
        stored = db.get(RetentionRun, result.run_id)
    assert sorted(r.record_id for r in rows) == sorted(ids)
    for row in rows:
        assert row.purpose == "retention.erase" and row.prisoner_id == prisoner
        assert json.loads(row.detail) == {"class": "observation_not_escalated",
                                          "rule": "not_escalated_1y",
                                          "reference_on": json.loads(row.detail)["reference_on"]}
        assert "secret words" not in (row.detail or "")
    assert json.loads(summary.detail)["erase"] == 3 and summary.purpose == "retention.run"
    assert stored.summary == {"not_escalated_1y": {"erase": 3}}
    assert stored.finished_at == NOW and stored.trigger == "cli"
    assert runtime.verify_audit().ok


# --- the screening record, the tablet, the case view --------------------------------------------


def test_screening_record_erased_by_a_decision_keeps_its_trend_decision():
    place = new_place()
    prisoner = new_prisoner(place)
    observe(place, prisoner, days_ago(2000), flag=True)
    item = close(place, prisoner, days_ago(1900))
    with unit_of_work() as db:
        decisions = db.scalar(select(func.count()).select_from(trends.TrendDecision)
                              .where(trends.TrendDecision.prison_id == place.prison_id))
        assert erasure.apply(db, RecordClass.SCREENING_DECISION, str(item), "erase",
                             rule_id="review:1", reference_on=TODAY, now=NOW,
                             actor_id=place.screeners[0].user_id)
    with unit_of_work() as db:
        assert db.get(ScreeningItem, item) is None
        for model in (ScreeningTrigger, ScreeningEvent):
            assert db.scalar(select(func.count()).select_from(model)
                             .where(model.item_id == item)) == 0
        assert db.scalar(select(func.count()).select_from(trends.TrendDecision)
                         .where(trends.TrendDecision.prison_id == place.prison_id)) == decisions
        row = db.scalars(select(AuditEntry).where(AuditEntry.record_id == f"screening:{item}",
                                                  AuditEntry.action == "erase")).one()
    assert row.actor_id == place.screeners[0].user_id


def test_an_open_item_and_the_audit_log_cannot_be_erased():
    place = new_place()
    prisoner = new_prisoner(place)
    observe(place, prisoner, days_ago(10), flag=True)
    with unit_of_work() as db:
        for record_class, record_id in ((RecordClass.SCREENING_DECISION, str(open_item(prisoner))),
                                        (RecordClass.AUDIT_LOG, "2015-01"),
                                        (RecordClass.OBSERVATION_NOT_ESCALATED, "no-such-id")):
            try:
                erasure.apply(db, record_class, record_id, "erase", rule_id="r",
                              reference_on=TODAY, now=NOW)
            except erasure.ErasureError:
                continue
            raise AssertionError(record_class)


def test_a_tablet_resending_an_erased_entry_gets_duplicate():
    place = new_place()
    prisoner = new_prisoner(place)
    obs = observe(place, prisoner, days_ago(400))
    run(place)
    version = catalogue.current(TODAY)
    again = ObservationInput(
        prisoner_id=prisoner, occurred_at=NOW - timedelta(hours=1), recorded_at=None,
        location=catalogue.locations()[0].code, catalogue_version=version.version,
        indicators=(next(iter(version.indicators)),), facts="x", assessment=None,
        source="direct", concern="low", flag=False, flag_reason=None)
    with unit_of_work() as db:
        (result,) = ingest(db, place.officer, "retention-test", [Item(obs, again, "h" + obs)],
                           NOW, ingest_context())
    assert result.status == "duplicate"
    assert not exists(obs)


def test_the_case_view_survives_a_trigger_naming_an_erased_observation():
    place = new_place()
    prisoner = new_prisoner(place)
    old = observe(place, prisoner, days_ago(900), flag=True)
    close(place, prisoner, days_ago(800))
    run(place)  # the no-further-action observation is erased, its item stays
    assert not exists(old)
    fresh = observe(place, prisoner, days_ago(1), flag=True)
    with unit_of_work() as db:
        case = screening.case(db, place.screeners[0], open_item(prisoner), NOW,
                              ingest_context().cipher)
        closed = [p for p in case.previous]
    assert [o.id for o in case.timeline] == [fresh] and len(closed) == 1
    with unit_of_work() as db:
        old_item = closed[0].item_id
        view = screening.case(db, place.screeners[0], old_item, NOW, ingest_context().cipher)
    assert view.triggers and old in view.triggers[0].observation_ids
    assert view.timeline and all(o.id != old for o in view.timeline)


# --- the logs -------------------------------------------------------------------------------


def test_a_day_of_the_sign_in_log_is_erased_after_a_year():
    place = new_place()
    old_day = TODAY - timedelta(days=380)
    at = datetime.combine(old_day, datetime.min.time(), ZONE).replace(hour=10).astimezone(UTC)
    with unit_of_work() as db:
        db.add(AuthLog(at=at, event="sign_in", username="someone", channel="web"))
        db.add(AuthLog(at=at + timedelta(days=200), event="sign_in", username="someone",
                       channel="web"))
        db.add(WebSession(user_id=place.officer.user_id, created_at=at, last_activity_at=at,
                          ended_at=at + timedelta(hours=1), end_reason="sign_out"))
    result = run(place)
    assert result.summary["sign_in_log_1y"]["erase"] >= 1
    with unit_of_work() as db:
        assert db.scalar(select(func.count()).select_from(AuthLog).where(AuthLog.at == at)) == 0
        assert db.scalar(select(func.count()).select_from(WebSession)
                         .where(WebSession.created_at == at)) == 0
        assert db.scalar(select(func.count()).select_from(AuthLog)
                         .where(AuthLog.at == at + timedelta(days=200))) == 1
    stone = tombstone(old_day.isoformat())
    assert stone.record_class == RecordClass.SIGN_IN_LOG and stone.happened_on == old_day
    assert "sign_in_log_1y" not in run(place).summary


def test_a_month_of_the_audit_log_is_reviewed_after_ten_years_never_erased():
    at = datetime(2016, 11, 5, 8, 0, tzinfo=UTC)  # ten years on from the month's end: 2026-11-30
    with runtime.transaction() as db:
        audit.append(db, at=at, action=audit.Action.READ, actor_id=None,
                     purpose="a retention test's old row")
    result = run(new_place())
    assert result.summary.get("audit_log_review_10y", {}).get("review", 0) >= 1
    (entry,) = entries("2016-11")
    assert (entry.record_class, entry.due_on, entry.prison_id) == (
        RecordClass.AUDIT_LOG, date(2026, 11, 30), None)
    with unit_of_work() as db:
        assert db.scalar(select(func.count()).select_from(AuditEntry)
                         .where(AuditEntry.at == at)) == 1
    assert runtime.verify_audit().ok


# --- who reads the runs, and what the audit viewer says -----------------------------------------


def test_only_administrators_and_data_protection_officers_read_runs_and_preview():
    place = new_place()
    for role, allowed in ((Role.ADMIN, True), (Role.DATA_PROTECTION, True),
                          (Role.TREATMENT, False), (Role.SECURITY_HEAD, False),
                          (Role.OFFICER, False)):
        who = dataclasses.replace(place.screeners[0], role=role)
        if allowed:
            with unit_of_work() as db:
                retention_reads.last_runs(db, who)
            retention_reads.preview(unit_of_work, who, retention_schedule.load(), NOW)
            continue
        with unit_of_work() as db, pytest.raises(retention_reads.NotAllowed):
            retention_reads.last_runs(db, who)
        with pytest.raises(retention_reads.NotAllowed):
            retention_reads.preview(unit_of_work, who, retention_schedule.load(), NOW)


def test_the_audit_viewer_says_what_an_erase_row_means():
    place = new_place()
    prisoner = new_prisoner(place)
    obs = observe(place, prisoner, days_ago(400))
    result = run(place)
    with unit_of_work() as db:
        rows = {row.record_id: row for row in db.scalars(select(AuditEntry).where(
            AuditEntry.record_id.in_([obs, f"retention_run:{result.run_id}"])))
            if row.action == "erase"}
    meaning, _, shown = audit_log.meaning_of("erase", rows[obs].purpose, rows[obs].detail)
    assert meaning.msgid == "Erased a record under the retention schedule ({filters})"
    assert "rule=not_escalated_1y" in meaning.params["filters"] and shown == ""
    run_row = rows[f"retention_run:{result.run_id}"]
    meaning, _, _ = audit_log.meaning_of("erase", run_row.purpose, run_row.detail)
    assert meaning.msgid == "Ran the retention schedule ({filters})"
    assert "erase=1" in meaning.params["filters"]


def test_a_hold_placed_while_the_run_goes_is_respected(monkeypatch):
    place = new_place()
    prisoner = new_prisoner(place)
    obs = observe(place, prisoner, days_ago(400))
    apply_batch = retention_run._apply

    def hold_first(db, *args, **kwargs):  # placed after the plan, before the batch is done
        db.add(LegalHold(subject=HoldSubject.OBSERVATION, subject_id=obs,
                         prison_id=place.prison_id, prisoner_id=prisoner, reason_enc="x",
                         until=TODAY, placed_by=place.screeners[0].user_id, placed_at=NOW))
        db.flush()
        return apply_batch(db, *args, **kwargs)

    monkeypatch.setattr(retention_run, "_apply", hold_first)
    assert run(place).summary == {"not_escalated_1y": {"held": 1}}
    assert exists(obs)


def test_the_plan_reads_the_observations_page_by_page(monkeypatch):
    monkeypatch.setattr(retention_run, "PAGE", 2)
    place = new_place()
    prisoner = new_prisoner(place)
    same_moment = days_ago(500)
    due = [observe(place, prisoner, same_moment) for _ in range(3)]  # one key, three ids
    due += [observe(place, prisoner, days_ago(400 + n)) for n in range(4)]
    observe(place, prisoner, days_ago(10))
    assert run(place).summary == {"not_escalated_1y": {"erase": 7}}
    assert not any(exists(obs_id) for obs_id in due)
