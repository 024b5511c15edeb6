"""Legal holds (issue 12 item 4) on a frozen clock: placing one on an item (which keeps its
observations) or an observation, what the retention run sees as held (held_on), release and
the end date, another prison refused, and the audit rows."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.db import unit_of_work
from app.models import AuditEntry, LegalHold, Observation, Prisoner, ScreeningTrigger
from app.runtime import ingest_context
from app.services import legal_holds, review_list, review_reads
from app.services.review_errors import ReviewRefused
from app.vocabulary import HoldSubject, RecordClass
from tests.helpers import T0, identity
from tests.review_data import (cipher, data_protection_officer, entry, item_entry, other_prison,
                               prison_of, run)
from tests.screening_data import new_prisoner, observe

TODAY = date(2026, 3, 2)
WHY = "Evidence in the complaint to the ombudsman, ref. 2026/114."
S1, S2 = "screener1", "screener2"


def place(subject, subject_id, until=TODAY + timedelta(days=60), who=S1, now=T0,
          reason=WHY) -> int:
    return run(legal_holds.place, identity(who), subject, subject_id, reason, until, now,
               cipher(), identity(who).locale)


def refused(code, fn, *args) -> ReviewRefused:
    with pytest.raises(ReviewRefused) as caught:
        run(fn, *args)
    assert caught.value.code == code, str(caught.value)
    return caught.value


def observations_of(item_id: int) -> set[str]:
    with unit_of_work() as db:
        return {o for ids in db.scalars(select(ScreeningTrigger.observation_ids)
                                        .where(ScreeningTrigger.item_id == item_id)) for o in ids}


def hold_rows(hold_id: int) -> list[AuditEntry]:
    with unit_of_work() as db:
        return list(db.scalars(select(AuditEntry).where(AuditEntry.record_id == f"hold:{hold_id}")
                               .order_by(AuditEntry.seq)))


def test_an_items_hold_keeps_the_item_and_its_observations_for_the_retention_run():
    entry_id, item_id = item_entry(T0, TODAY - timedelta(days=1))
    until = TODAY + timedelta(days=60)
    hold_id = place(HoldSubject.ITEM, str(item_id), until)
    held = run(legal_holds.held_on, TODAY)
    assert item_id in held.item_ids
    index = run(legal_holds.index_on, TODAY)
    assert index.item(item_id) == until
    assert all(index.observation(o) == until for o in observations_of(item_id))
    assert item_id in run(legal_holds.held_on, until).item_ids  # the end day is included
    assert item_id not in run(legal_holds.held_on, until + timedelta(days=1)).item_ids
    me = identity(S1).user_id
    with unit_of_work() as db:
        hold = db.get(LegalHold, hold_id)
        assert WHY not in hold.reason_enc and hold.placed_by == me
        assert cipher().decrypt(hold.reason_enc, table="legal_hold", column="reason",
                                row_id=str(hold_id)) == WHY


def test_a_held_record_is_shown_as_held_and_is_not_erased_from_the_list():
    entry_id, item_id = item_entry(T0, TODAY - timedelta(days=1))
    until = TODAY + timedelta(days=30)
    place(HoldSubject.ITEM, str(item_id), until)
    (row,) = [r for r in run(review_reads.listing, identity(S1), T0).rows
              if r.entry_id == entry_id]
    assert row.held_until == until
    error = refused("on_hold", review_list.remove_now, identity(S1), entry_id, "erase", T0)
    assert error.params["day"] == until
    # extend is still a decision a held record can have
    run(review_list.extend, identity(S1), entry_id, TODAY + timedelta(days=200),
        "Kept while the hold lasts and after.", T0, cipher())


def test_an_observations_hold_and_one_from_the_list_row():
    prisoner_id = new_prisoner()
    obs_id = observe(prisoner_id, flag=False, now=T0)
    entry_id = entry(RecordClass.OBSERVATION_REFERRAL, obs_id, prison_of(S1), prisoner_id,
                     TODAY - timedelta(days=2), T0, rule_id="referral_review_5y")
    hold_id = run(review_list.hold, identity(S1), entry_id, WHY, TODAY + timedelta(days=10), T0,
                  cipher())
    with unit_of_work() as db:
        hold = db.get(LegalHold, hold_id)
        assert (hold.subject, hold.subject_id, hold.prisoner_id) == ("observation", obs_id,
                                                                     prisoner_id)
    assert obs_id in run(legal_holds.held_on, TODAY).observation_ids
    refused("on_hold", review_list.remove_now, identity(S1), entry_id, "anonymise", T0)


def test_release_ends_the_hold_and_the_record_can_go():
    entry_id, item_id = item_entry(T0, TODAY - timedelta(days=1))
    hold_id = place(HoldSubject.ITEM, str(item_id))
    later = T0 + timedelta(days=1)
    run(legal_holds.release, identity(S2), hold_id, later)
    assert item_id not in run(legal_holds.held_on, TODAY + timedelta(days=1)).item_ids
    second = identity(S2).user_id
    with unit_of_work() as db:
        hold = db.get(LegalHold, hold_id)
        assert (hold.released_at, hold.released_by) == (later, second)
    refused("hold_ended", legal_holds.release, identity(S1), hold_id, later)
    run(review_list.remove_now, identity(S1), entry_id, "erase", later)
    placed, released = hold_rows(hold_id)
    assert (placed.action, placed.purpose, released.purpose) == ("hold", "hold.place",
                                                                 "hold.release")
    assert json.loads(placed.detail) == {"subject": "item", "record": str(item_id),
                                         "until": (TODAY + timedelta(days=60)).isoformat()}
    assert WHY not in placed.detail and placed.prisoner_id is not None


def test_a_hold_past_its_end_date_cannot_be_released_and_holds_nothing():
    _, item_id = item_entry(T0, TODAY)
    hold_id = place(HoldSubject.ITEM, str(item_id), TODAY + timedelta(days=1))
    after = T0 + timedelta(days=2)
    assert item_id not in run(legal_holds.held_on, TODAY + timedelta(days=2)).item_ids
    refused("hold_ended", legal_holds.release, identity(S1), hold_id, after)


def test_two_holds_keep_a_record_until_the_later_one_ends():
    _, item_id = item_entry(T0, TODAY)
    place(HoldSubject.ITEM, str(item_id), TODAY + timedelta(days=10))
    second = place(HoldSubject.ITEM, str(item_id), TODAY + timedelta(days=90))
    assert run(legal_holds.index_on, TODAY).item(item_id) == TODAY + timedelta(days=90)
    run(legal_holds.release, identity(S1), second, T0)
    assert run(legal_holds.index_on, TODAY).item(item_id) == TODAY + timedelta(days=10)


@pytest.mark.parametrize(("until", "reason", "code"), [
    (None, WHY, "date_missing"),
    (TODAY, WHY, "date_too_early"),
    (date(2031, 3, 3), WHY, "date_too_late"),
    (TODAY + timedelta(days=9), "court", "reason_too_short"),
])
def test_a_hold_needs_a_reason_and_an_end_date_after_today(until, reason, code):
    _, item_id = item_entry(T0, TODAY)
    refused(code, legal_holds.place, identity(S1), "item", str(item_id), reason, until, T0,
            cipher())
    assert item_id not in run(legal_holds.held_on, TODAY).item_ids


def test_another_prisons_record_or_another_role_is_refused():
    prison_id, prisoner_id = other_prison()
    officer = identity("officer1").user_id
    with unit_of_work() as db:
        db.add(Observation(
            id="held-elsewhere-" + prisoner_id[:8], prisoner_id=prisoner_id,
            wing_id=db.get(Prisoner, prisoner_id).wing_id, prison_id=prison_id,
            author_id=officer, device_id="t", occurred_at=T0,
            received_at=T0, location="cell", catalogue_version="1", indicators=["C01.1"],
            categories=["C01"], concern_observation=True, source="direct", concern="low",
            flag=False, facts_enc="x", payload_hash="h", review_at=T0))
    _, item_id = item_entry(T0, TODAY)
    until = TODAY + timedelta(days=9)
    refused("forbidden", legal_holds.place, identity(S1), "observation",
            "held-elsewhere-" + prisoner_id[:8], WHY, until, T0, cipher())
    refused("forbidden", legal_holds.place, identity(S1), "observation", "no-such", WHY, until,
            T0, cipher())
    refused("forbidden", legal_holds.place, identity("officer1"), "item", str(item_id), WHY,
            until, T0, cipher())
    refused("subject_unknown", legal_holds.place, identity(S1), "prisoner", str(item_id), WHY,
            until, T0, cipher())
    refused("forbidden", legal_holds.place, data_protection_officer(T0), "item", str(item_id),
            WHY, until, T0, cipher())  # the data-protection officer sees holds, places none
    hold_id = place(HoldSubject.ITEM, str(item_id))
    refused("forbidden", legal_holds.release, identity("security1"), hold_id, T0)


def test_the_case_panel_lists_the_items_and_its_observations_holds():
    _, item_id = item_entry(T0, TODAY)
    first = sorted(observations_of(item_id))[0]
    item_hold = place(HoldSubject.ITEM, str(item_id), TODAY + timedelta(days=20))
    obs_hold = place(HoldSubject.OBSERVATION, first, TODAY + timedelta(days=40))
    run(legal_holds.release, identity(S1), obs_hold, T0 + timedelta(hours=1))
    panel = run(legal_holds.for_case, identity(S1), item_id, T0 + timedelta(hours=2), cipher())
    assert [(h.id, h.in_force) for h in panel.holds] == [(item_hold, True), (obs_hold, False)]
    assert panel.holds[0].reason == WHY and panel.item_held_until == TODAY + timedelta(days=20)
    (choice,) = [o for o in panel.observations if o.id == first]
    assert choice.held_until == TODAY + timedelta(days=20)  # with its item
    with pytest.raises(ReviewRefused):
        run(legal_holds.for_case, identity("officer1"), item_id, T0, cipher())


def test_a_restricted_cases_panel_stays_shut_until_its_record_is_opened():
    """The case page withholds a restricted record; its hold panel (reasons, the observations'
    dates) must not reach the tab by its own load either."""
    from app.services import restrictions

    _, item_id = item_entry(T0, TODAY)
    place(HoldSubject.ITEM, str(item_id), TODAY + timedelta(days=20))
    with unit_of_work() as db:
        from app.models import ScreeningItem
        prisoner_id = db.get(ScreeningItem, item_id).prisoner_id
    dpo = data_protection_officer(T0)
    run(restrictions.restrict, dpo, prisoner_id, "accuracy_contested",
        "The prisoner contests what was written.", T0, ingest_context())
    with pytest.raises(ReviewRefused):
        run(legal_holds.for_case, identity(S1), item_id, T0 + timedelta(minutes=1), cipher())
    run(restrictions.open_record, identity(S1), item_id, "Needed for the complaint hearing.",
        T0 + timedelta(minutes=2), cipher())
    panel = run(legal_holds.for_case, identity(S1), item_id, T0 + timedelta(minutes=3), cipher())
    assert panel.holds and panel.holds[0].reason == WHY
