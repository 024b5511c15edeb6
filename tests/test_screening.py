"""Screening service: claims, take-overs, decisions, sign-off, queue and case view.

Each test makes its own prisoners (tests/screening_data.py) so their open items never collide
with other tests' data in the shared database.
"""

from __future__ import annotations

import secrets
import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text

from app.db import get_engine, unit_of_work
from app.models import (
    AuditEntry,
    Prison,
    ScreeningEvent,
    ScreeningItem,
    User,
)
from app.runtime import ingest_context
from app.services import catalogue, screening
from app.services.accounts import Identity
from app.services.screening import ScreeningError
from tests.helpers import T0, identity
from tests.screening_data import codes, flagged_item, new_prisoner, observe, own_wing

REASON = "Read the whole timeline; the remark was a one-off quarrel over the phone rota."


def cipher():
    return ingest_context().cipher


def run(fn, *args, **kwargs):
    with unit_of_work() as db:
        return fn(db, *args, **kwargs)


def events_of(item_id: int) -> list[tuple]:
    with unit_of_work() as db:
        return [(e.id, e.at, e.actor_id, e.kind, e.outcome, e.support_kind, e.review_on,
                 e.refers_to, e.text_enc)
                for e in db.scalars(select(ScreeningEvent).where(ScreeningEvent.item_id == item_id)
                                    .order_by(ScreeningEvent.id))]


def audit_rows(item_id: int) -> list[AuditEntry]:
    with unit_of_work() as db:
        return list(db.scalars(select(AuditEntry).where(
            AuditEntry.record_id == f"screening:{item_id}").order_by(AuditEntry.seq)))


def status(item_id: int, now):
    with unit_of_work() as db:
        item = db.get(ScreeningItem, item_id)
        return screening.derive(item, db.scalars(select(ScreeningEvent).where(
            ScreeningEvent.item_id == item_id)).all(), now)


S1, S2 = "screener1", "screener2"


def test_claim_puts_item_on_screener_and_is_audited():
    item_id = flagged_item()
    assert status(item_id, T0).state == "unclaimed"
    run(screening.claim, identity(S1), item_id, T0)
    st = status(item_id, T0)
    assert (st.state, st.holder_id) == ("claimed", identity(S1).user_id)
    assert st.due_at == T0 + timedelta(hours=72) and not st.overdue
    assert status(item_id, T0 + timedelta(hours=73)).overdue
    rows = audit_rows(item_id)
    assert [r.action for r in rows] == ["decision"] and rows[0].actor_id == identity(S1).user_id


def test_second_claim_refused_naming_holder():
    item_id = flagged_item()
    run(screening.claim, identity(S1), item_id, T0)
    with pytest.raises(ScreeningError, match="Held by Dr. Lejla Hadžić. Use Take over"):
        run(screening.claim, identity(S2), item_id, T0)
    assert len(events_of(item_id)) == 1


def test_two_screeners_claiming_at_once_one_wins(monkeypatch):
    item_id = flagged_item()
    who = [identity(S1), identity(S2)]
    barrier = threading.Barrier(2)
    # Make the race certain: the first claimer to read the item's events waits until the other
    # has read them too, or (PostgreSQL) is blocked on the row lock. Without the lock both would
    # read "unclaimed" and both would claim. On SQLite BEGIN IMMEDIATE already serialises the
    # two transactions, so there is nothing to wait for.
    first_reader = threading.Lock()
    others_read = threading.Event()
    real_events = screening._events

    def someone_blocked() -> bool:
        with get_engine().connect() as conn:
            return bool(conn.scalar(text("SELECT count(*) FROM pg_locks WHERE NOT granted")))

    def events(db, item_id):
        if db.bind.dialect.name == "postgresql" and first_reader.acquire(blocking=False):
            deadline = time.monotonic() + 10  # a safety net only
            while not others_read.is_set() and not someone_blocked():
                assert time.monotonic() < deadline, "the other claimer never arrived"
        found = real_events(db, item_id)
        others_read.set()
        return found

    monkeypatch.setattr(screening, "_events", events)
    outcomes: list[str] = []

    def attempt(person: Identity) -> None:
        barrier.wait()
        try:
            with unit_of_work() as db:
                screening.claim(db, person, item_id, T0)
            outcomes.append("won")
        except ScreeningError as error:
            outcomes.append(error.message)

    threads = [threading.Thread(target=attempt, args=(p,)) for p in who]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(outcomes) == 2 and outcomes.count("won") == 1, outcomes
    assert next(o for o in outcomes if o != "won").startswith("Held by ")
    assert [e[3] for e in events_of(item_id)] == ["claim"]


def test_take_over_needs_reason_and_is_audited():
    item_id = flagged_item()
    run(screening.claim, identity(S1), item_id, T0)
    with pytest.raises(ScreeningError, match="reason"):
        run(screening.take_over, identity(S2), item_id, "   short ", T0, cipher())
    assert len(events_of(item_id)) == 1
    with pytest.raises(ScreeningError, match="already hold"):
        run(screening.take_over, identity(S1), item_id, "I want it back now", T0, cipher())
    event_id = run(screening.take_over, identity(S2), item_id, "Dr. Hadžić is on leave.", T0,
                   cipher())
    assert status(item_id, T0).holder_id == identity(S2).user_id
    last = audit_rows(item_id)[-1]
    assert (last.action, last.actor_id, last.detail) == ("decision", identity(S2).user_id,
                                                         f"event {event_id}")
    case = run(screening.case, identity(S2), item_id, T0, cipher())
    assert case.events[-1].text == "Dr. Hadžić is on leave." and case.holder == "Milica Stanković"


def test_only_holder_decides():
    item_id = flagged_item()
    with pytest.raises(ScreeningError, match="Claim this item"):
        run(screening.decide, identity(S1), item_id, "no_further_action", REASON, T0, cipher())
    run(screening.claim, identity(S1), item_id, T0)
    with pytest.raises(ScreeningError, match="Only the holder.*Dr. Lejla Hadžić"):
        run(screening.decide, identity(S2), item_id, "no_further_action", REASON, T0, cipher())
    assert [e[3] for e in events_of(item_id)] == ["claim"]


@pytest.mark.parametrize("outcome,reason,kwargs,message", [
    ("no_further_action", "too short, really", {}, "at least 20"),
    ("no_further_action", " " * 30, {}, "at least 20"),
    ("dismiss", REASON, {}, "Choose one"),
    ("monitor", REASON, {"review_on": T0 - timedelta(days=1)}, "future"),
    ("monitor", REASON, {"review_on": T0}, "future"),
    ("monitor", REASON, {}, "review date"),
    ("refer_support", REASON, {"support_kind": "prayer"}, "kind of support"),
])
def test_bad_decision_refused_and_nothing_recorded(outcome, reason, kwargs, message):
    item_id = flagged_item()
    run(screening.claim, identity(S1), item_id, T0)
    before_events, before_audit = events_of(item_id), len(audit_rows(item_id))
    with pytest.raises(ScreeningError, match=message):
        run(screening.decide, identity(S1), item_id, outcome, reason, T0, cipher(), **kwargs)
    assert events_of(item_id) == before_events and len(audit_rows(item_id)) == before_audit
    with unit_of_work() as db:
        assert db.get(ScreeningItem, item_id).closed_at is None


def test_no_further_action_closes_and_double_submit_refused():
    item_id = flagged_item()
    run(screening.claim, identity(S1), item_id, T0)
    run(screening.decide, identity(S1), item_id, "no_further_action", REASON, T0, cipher())
    with pytest.raises(ScreeningError, match="already recorded"):
        run(screening.decide, identity(S1), item_id, "no_further_action", REASON, T0, cipher())
    assert [e[3] for e in events_of(item_id)] == ["claim", "decision"]
    with unit_of_work() as db:
        assert db.get(ScreeningItem, item_id).closed_at == T0
    assert status(item_id, T0).state == "closed"


def test_refer_support_needs_kind_and_closes():
    item_id = flagged_item()
    run(screening.claim, identity(S1), item_id, T0)
    run(screening.decide, identity(S1), item_id, "refer_support", REASON, T0, cipher(),
        support_kind="mental_health")
    st = status(item_id, T0)
    assert (st.state, st.outcome, st.support_kind) == ("closed", "refer_support", "mental_health")


def test_monitor_returns_to_queue_on_its_date():
    item_id = flagged_item()
    review_on = T0 + timedelta(days=14)
    run(screening.claim, identity(S1), item_id, T0)
    run(screening.decide, identity(S1), item_id, "monitor", REASON, T0, cipher(),
        review_on=review_on)
    before = review_on - timedelta(minutes=1)
    assert status(item_id, before).state == "monitoring"
    assert item_id not in [r.item_id for r in run(screening.queue, identity(S1), before, cipher()).rows]
    with pytest.raises(ScreeningError, match="monitored until"):
        run(screening.claim, identity(S2), item_id, before)
    rows = {r.item_id: r for r in run(screening.queue, identity(S1), review_on, cipher()).rows}
    assert rows[item_id].state == "due_for_review" and rows[item_id].holder is None
    run(screening.claim, identity(S2), item_id, review_on)
    assert status(item_id, review_on).holder_id == identity(S2).user_id


def test_referral_needs_sign_off_by_another_screener():
    item_id = flagged_item()
    run(screening.claim, identity(S1), item_id, T0)
    decision_id = run(screening.decide, identity(S1), item_id, "refer_assessment", REASON, T0,
                      cipher())
    assert status(item_id, T0).state == "awaiting_sign_off"
    with pytest.raises(ScreeningError, match="already recorded"):
        run(screening.decide, identity(S1), item_id, "refer_assessment", REASON, T0, cipher())
    with pytest.raises(ScreeningError,
                       match="The person who referred cannot sign off their own referral."):
        run(screening.sign_off, identity(S1), item_id, T0)
    with unit_of_work() as db:
        assert db.get(ScreeningItem, item_id).closed_at is None
    later = T0 + timedelta(hours=2)
    run(screening.sign_off, identity(S2), item_id, later)
    assert events_of(item_id)[-1][3:] == ("sign_off", None, None, None, decision_id, None)
    assert status(item_id, later).state == "closed"
    with unit_of_work() as db:
        assert db.get(ScreeningItem, item_id).closed_at == later
    with pytest.raises(ScreeningError, match="no referral awaiting"):
        run(screening.sign_off, identity(S2), item_id, later)


def _other_prison_screener() -> Identity:
    with unit_of_work() as db:
        prison = Prison(code=f"P{secrets.token_hex(3)}", name="Other Prison")
        db.add(prison)
        db.flush()
        user = User(username=f"trea-{secrets.token_hex(4)}", display_name="Other Screener",
                    role="treatment", password_hash="x", prison_id=prison.id, created_at=T0)
        db.add(user)
        db.flush()
        return Identity(user.id, user.username, user.display_name, "treatment", prison.id, ())


def test_other_prison_screener_refused_and_refusal_can_be_logged():
    item_id = flagged_item()
    other = _other_prison_screener()
    for attempt in (lambda db: screening.claim(db, other, item_id, T0),
                    lambda db: screening.case(db, other, item_id, T0, cipher()),
                    lambda db: screening.add_addendum(db, other, item_id, "note here", T0,
                                                      cipher())):
        with pytest.raises(screening.NotAllowed, match="^Not allowed$") as refused, \
                unit_of_work() as db:
            attempt(db)
    assert events_of(item_id) == [] and audit_rows(item_id) == []
    assert other.user_id not in [r.holder_id for r in run(screening.queue, identity(S1), T0,
                                                             cipher()).rows]
    assert all(r.item_id != item_id for r in run(screening.queue, other, T0, cipher()).rows)
    run(screening.log_refusal, other, item_id, refused.value, T0)
    (row,) = [r for r in audit_rows(item_id) if r.actor_id == other.user_id]
    assert (row.action, row.actor_id, row.purpose) == ("read", other.user_id,
                                                        "refused: other prison")


@pytest.mark.parametrize("role", ["officer", "security_head", "admin"])
def test_other_roles_refused(role, make_user):
    item_id = flagged_item()
    who = identity(make_user(role, ("A",) if role == "officer" else ()))
    for call in (lambda db: screening.claim(db, who, item_id, T0),
                 lambda db: screening.case(db, who, item_id, T0, cipher()),
                 lambda db: screening.queue(db, who, T0, cipher()),
                 lambda db: screening.add_addendum(db, who, item_id, "a note", T0, cipher())):
        with pytest.raises(screening.NotAllowed, match="Not allowed"), unit_of_work() as db:
            call(db)
    assert events_of(item_id) == [] and audit_rows(item_id) == []


def test_case_is_audited_and_decrypted():
    prisoner_id = new_prisoner()
    protective = observe(prisoner_id, flag=False, kind="protective",
                         facts="Helped a new arrival fill in his education form.",
                         occurred_at=T0 - timedelta(days=3))
    concern = observe(prisoner_id)
    with unit_of_work() as db:
        item_id = db.scalar(select(ScreeningItem.id).where(
            ScreeningItem.prisoner_id == prisoner_id))
    before = len(audit_rows(item_id))
    case = run(screening.case, identity(S1), item_id, T0, cipher())
    rows = audit_rows(item_id)
    assert len(rows) == before + 1
    assert (rows[-1].action, rows[-1].actor_id, rows[-1].prisoner_id) == (
        "read", identity(S1).user_id, prisoner_id)
    assert case.prisoner_number.startswith("T-") and case.wing_code == own_wing()[0]
    assert [o.id for o in case.timeline] == [concern, protective]  # newest first
    first, second = case.timeline
    assert first.facts.startswith("Told two others") and first.kind == "concern"
    assert first.assessment == "Seemed angry rather than ideological."
    assert first.flag_reason == "Threat against staff, please look"
    version = catalogue.current().version
    assert (first.indicators[0].code, first.indicators[0].catalogue_version) == (
        codes("concern")[0], version)
    assert second.kind == "protective" and second.facts.startswith("Helped a new arrival")
    assert [t.rule_id for t in case.triggers] == ["R1-manual"]
    assert case.status.state == "unclaimed" and case.previous == ()


def test_previous_items_show_their_outcome():
    prisoner_id = new_prisoner()
    observe(prisoner_id)
    with unit_of_work() as db:
        first = db.scalar(select(ScreeningItem.id).where(ScreeningItem.prisoner_id == prisoner_id))
    run(screening.claim, identity(S1), first, T0)
    run(screening.decide, identity(S1), first, "no_further_action", REASON, T0, cipher())
    later = T0 + timedelta(days=5)
    observe(prisoner_id, now=later)
    with unit_of_work() as db:
        second = db.scalar(select(ScreeningItem.id).where(
            ScreeningItem.prisoner_id == prisoner_id, ScreeningItem.closed_at.is_(None)))
    assert second != first
    case = run(screening.case, identity(S2), second, later, cipher())
    assert [(p.item_id, p.state, p.outcome) for p in case.previous] == [
        (first, "closed", "no_further_action")]
    assert len(case.timeline) == 2


def test_queue_rows_carry_reasons_counts_and_sort_by_due():
    later_prisoner, earlier_prisoner = new_prisoner(), new_prisoner()
    observe(later_prisoner, now=T0 - timedelta(days=400))  # flagged long ago: due first
    observe(later_prisoner, flag=True, now=T0)
    early = T0 - timedelta(days=500)
    observe(earlier_prisoner, now=early)
    rows = run(screening.queue, identity(S1), T0, cipher()).rows
    mine = [r for r in rows if r.prisoner_id in (later_prisoner, earlier_prisoner)]
    assert [r.prisoner_id for r in mine] == [earlier_prisoner, later_prisoner]
    assert [r.due_at for r in rows] == sorted(r.due_at for r in rows)
    late = mine[1]
    assert late.observation_count == 2 and late.officer_count == 1
    assert late.overdue and late.due_at == T0 - timedelta(days=400) + timedelta(hours=72)
    assert late.state == "unclaimed" and late.holder is None and late.wing_code == own_wing()[0]
    manual = [r for r in late.reasons if r.trigger.rule_id == "R1-manual"]
    assert manual and all(r.officer_reasons == ("Threat against staff, please look",)
                          and r.trigger.params == {} for r in manual)
    assert late.prisoner_name.startswith("Test Prisoner")
    run(screening.claim, identity(S2), late.item_id, T0)
    row = {r.item_id: r for r in run(screening.queue, identity(S1), T0, cipher()).rows}[late.item_id]
    assert (row.state, row.holder) == ("claimed", "Milica Stanković")


def test_a_queue_view_is_an_audited_read_of_the_rows_it_shows():
    shown, hidden = flagged_item(), flagged_item()
    keep = lambda row: row.item_id == shown  # noqa: E731  (what the page's filters keep)
    before = len(audit_rows(hidden))
    rows = run(screening.queue, identity(S1), T0, cipher(), keep=keep).rows
    assert [r.item_id for r in rows] == [shown]
    last = audit_rows(shown)[-1]
    assert (last.action, last.actor_id, last.purpose) == ("read", identity(S1).user_id,
                                                          "screening queue view")
    assert last.prisoner_id == rows[0].prisoner_id
    assert len(audit_rows(hidden)) == before  # a row the filters left out was not shown


def test_queue_uses_fixed_number_of_queries():
    from sqlalchemy import event

    for _ in range(3):
        flagged_item()
    statements: list[str] = []

    def count(*args):
        statements.append(args[2])

    event.listen(get_engine(), "before_cursor_execute", count)
    try:
        run(screening.queue, identity(S1), T0, cipher())
        small = len(statements)
        for _ in range(4):
            flagged_item()
        statements.clear()
        run(screening.queue, identity(S1), T0, cipher())
    finally:
        event.remove(get_engine(), "before_cursor_execute", count)
    assert len(statements) == small


def test_addendum_never_edits_events_or_status():
    item_id = flagged_item()
    run(screening.claim, identity(S1), item_id, T0)
    run(screening.decide, identity(S1), item_id, "refer_assessment", REASON, T0, cipher())
    before, st_before = events_of(item_id), status(item_id, T0)
    with pytest.raises(ScreeningError, match="Write the addendum"):
        run(screening.add_addendum, identity(S2), item_id, "   ", T0, cipher())
    with pytest.raises(ScreeningError, match="at most 2000"):
        run(screening.add_addendum, identity(S2), item_id, "x" * 2001, T0, cipher())
    run(screening.add_addendum, identity(S2), item_id, "Correction: it was the yard.", T0,
        cipher())
    after = events_of(item_id)
    assert after[:len(before)] == before and after[-1][3] == "addendum"
    assert status(item_id, T0) == st_before
    case = run(screening.case, identity(S1), item_id, T0, cipher())
    assert (case.events[-1].actor, case.events[-1].text) == ("Milica Stanković",
                                                             "Correction: it was the yard.")
    assert case.events[1].text == REASON
    with unit_of_work() as db:
        assert db.scalar(select(func.count()).select_from(ScreeningEvent)
                         .where(ScreeningEvent.item_id == item_id)) == 3
