"""The subject-access report (issue 12 item 6) on a frozen clock: what it holds about one
prisoner for a period (observations with facts and source, addenda and corrections, screening
decisions with reasons and sign-offs, who recorded what and when, recipients, retention dates,
holds and restrictions), the staff names marked for redaction, the period filter, the audit
row of the disclosure, and the refusals."""

from __future__ import annotations

import json
import secrets
from dataclasses import fields, is_dataclass
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.db import unit_of_work
from app.i18n.locales import Locale
from app.i18n.messages import Messages
from app.models import AuditEntry, LegalHold, Posting, Prison, ScreeningItem, User, Wing
from app.runtime import ingest_context
from app.services import access_report, access_report_subject, observations, restrictions, \
    screening
from app.services.access_report import ReportError
from app.services.access_report_subject import NotAllowed
from app.services.audit import Action
from app.services.audit_log import meaning_of
from app.services.passwords import hash_password
from app.settings import get_settings
from app.views import dpo as views
from app.views.audit_log import meaning_text
from app.vocabulary import CorrectedFact, HoldSubject, ItemState, PostingScope, RecordClass, Role
from tests.conftest import TEST_PASSWORD
from tests.helpers import POSTED_SINCE, T0, identity
from tests.screening_data import new_prisoner, observe, own_wing

ZONE = get_settings().zone
WORDS = Messages(Locale.EN, ZONE)
REASON = "Read every entry: a quarrel over the phone rota, nothing wider than that."
FACTS = "Told two others on the landing that the guards 'will pay'."
OLD_FACTS = "Refused his meal, said nothing else; calm the rest of the day."
CORRECTED = "It was the exercise yard, not the landing."


def cipher():
    return ingest_context().cipher


def run(command):
    with unit_of_work() as db:
        return command(db)


def produce(who, prisoner_id: str, since: date, until: date, now=T0 + timedelta(days=1),
            form: str = "page"):
    return run(lambda db: access_report.produce(db, who, prisoner_id, since, until, now,
                                                cipher(), form=form, zone=ZONE))


def local(moment) -> date:
    return moment.astimezone(ZONE).date()


@pytest.fixture(scope="module")
def case() -> dict:
    """A prisoner of the tests' own wing: an old observation (60 days before T0), a flagged one
    with an addendum and a correction, a screening item decided (referral, signed off by a
    second screener), read in the case view; and a legal hold on the item."""
    prisoner = new_prisoner()
    officer = identity(own_wing()[1])
    old = observe(prisoner, flag=False, facts=OLD_FACTS, now=T0 - timedelta(days=60))
    flagged = observe(prisoner, facts=FACTS, now=T0)
    run(lambda db: observations.add_addendum(db, officer, flagged, "He said it twice, loudly.",
                                             T0 + timedelta(minutes=5), cipher(), Locale.EN))
    run(lambda db: observations.add_addendum(db, officer, flagged, CORRECTED,
                                             T0 + timedelta(minutes=6), cipher(), Locale.EN,
                                             corrects=CorrectedFact.LOCATION))
    item_id = run(lambda db: db.scalar(select(ScreeningItem.id).where(
        ScreeningItem.prisoner_id == prisoner)))
    first, second = screener("Dr. Mira First"), screener("Ivo Second")
    at = T0 + timedelta(hours=2)
    run(lambda db: screening.case(db, first, item_id, at, cipher()))
    run(lambda db: screening.claim(db, first, item_id, at))
    run(lambda db: screening.decide(db, first, item_id, "refer_assessment", REASON, at,
                                    cipher(), locale=Locale.EN))
    run(lambda db: screening.sign_off(db, second, item_id, at + timedelta(hours=1)))
    with unit_of_work() as db:
        hold = LegalHold(subject=HoldSubject.ITEM, subject_id=str(item_id),
                         prison_id=db.scalar(select(Prison.id).where(Prison.code == "DEMO")),
                         prisoner_id=prisoner, reason_enc="", locale="en",
                         until=date(2027, 1, 1), placed_by=first.user_id, placed_at=at)
        db.add(hold)
        db.flush()
        hold.reason_enc = cipher().encrypt("Complaint to the ombudsman pending.",
                                           table="legal_hold", column="reason",
                                           row_id=str(hold.id))
    return {"prisoner": prisoner, "old": old, "flagged": flagged, "item": item_id,
            "officer": officer, "first": first, "second": second}


def screener(name: str):
    return staff(Role.TREATMENT, name)


def staff(role: Role, name: str, prison_code: str = "DEMO", central: bool = False):
    """A fresh account of `role` posted to the prison (or to the central service)."""
    username = f"ar-{secrets.token_hex(4)}"
    with unit_of_work() as db:
        prison_id = db.scalar(select(Prison.id).where(Prison.code == prison_code))
        user = User(username=username, display_name=name, role=role,
                    password_hash=hash_password(TEST_PASSWORD),
                    prison_id=None if central else prison_id, created_at=T0)
        db.add_all([user, Posting(user=user, scope=PostingScope.CENTRAL if central
                                  else PostingScope.PRISON, prison_id=None if central
                                  else prison_id, valid_from=POSTED_SINCE, created_at=T0)])
    return identity(username)


def other_prison() -> str:
    code = f"AR{secrets.token_hex(2).upper()}"
    with unit_of_work() as db:
        prison = Prison(code=code, name=f"Prison {code}")
        db.add_all([prison, Wing(prison=prison, code="A", name="Wing A")])
    return code


def test_the_report_holds_the_observation_its_addendum_correction_and_who_recorded_it(case):
    dpo = staff(Role.DATA_PROTECTION, "Dana Protect")
    report = produce(dpo, case["prisoner"], local(T0) - timedelta(days=30), local(T0))
    (obs,) = report.observations
    assert obs.id == case["flagged"]
    assert (obs.facts, obs.assessment) == (FACTS, "Seemed angry rather than ideological.")
    assert obs.source == "direct" and obs.flagged
    assert obs.flag_reason == "Threat against staff, please look"
    assert obs.author.name == "Test officer" and obs.author.role == Role.OFFICER
    assert obs.received_at == T0 and obs.occurred_at == T0 - timedelta(hours=1)
    (addendum,) = obs.addenda
    assert addendum.text == "He said it twice, loudly." and addendum.author == obs.author
    (correction,) = obs.corrections
    assert (correction.corrects, correction.text) == (CorrectedFact.LOCATION, CORRECTED)
    assert report.prisoner.prisoner_id == case["prisoner"]
    assert report.produced_by == "Dana Protect"


def test_the_report_holds_the_decision_with_its_reason_sign_off_and_trigger(case):
    report = produce(staff(Role.DATA_PROTECTION, "Dana Protect"), case["prisoner"],
                     local(T0), local(T0))
    (item,) = report.items
    assert item.id == case["item"] and item.state == ItemState.CLOSED
    assert [t.rule_id for t in item.triggers] == ["R1-manual"]
    kinds = [(e.kind, e.actor.name) for e in item.events]
    assert kinds == [("claim", "Dr. Mira First"), ("decision", "Dr. Mira First"),
                     ("sign_off", "Ivo Second")]
    decision = item.events[1]
    assert decision.outcome == "refer_assessment" and decision.text == REASON
    # A closed item has its retention date; the observation on it follows the item.
    assert item.retention is not None
    assert item.retention.record_class == RecordClass.SCREENING_DECISION
    (obs,) = report.observations
    assert obs.retention is not None
    assert obs.retention.record_class == RecordClass.OBSERVATION_REFERRAL
    (hold,) = report.holds
    assert hold.reason == "Complaint to the ombudsman pending." and hold.subject == "item"


def test_recipients_are_who_read_the_records_with_their_role_and_when(case):
    report = produce(staff(Role.DATA_PROTECTION, "Dana Protect"), case["prisoner"],
                     local(T0), local(T0))
    reads = [r for r in report.recipients if r.who and r.who.name == "Dr. Mira First"]
    (case_view,) = reads
    assert case_view.who.role == Role.TREATMENT and case_view.action == Action.READ
    assert meaning_text(WORDS, case_view.meaning) == "Opened a screening case"
    assert case_view.first_at == T0 + timedelta(hours=2) and case_view.count == 1
    # Recording is not receiving: the officer's own entry is not a recipient line.
    assert not any(r.who and r.who.name == "Test officer" for r in report.recipients)


def test_the_period_filters_observations_items_and_recipients(case):
    dpo = staff(Role.DATA_PROTECTION, "Dana Protect")
    old_day = local(T0 - timedelta(days=60, hours=1))
    early = produce(dpo, case["prisoner"], old_day - timedelta(days=1), old_day)
    assert [o.id for o in early.observations] == [case["old"]]
    assert early.items == () and early.recipients == ()
    assert early.observations[0].facts == OLD_FACTS
    # Never escalated: erased a year after it happened, under the default schedule.
    assert early.observations[0].retention.record_class == RecordClass.OBSERVATION_NOT_ESCALATED
    assert early.observations[0].retention.due_on == date(old_day.year + 1, old_day.month,
                                                          old_day.day)
    both = produce(dpo, case["prisoner"], old_day, local(T0))
    assert [o.id for o in both.observations] == [case["old"], case["flagged"]]
    later = produce(dpo, case["prisoner"], local(T0) + timedelta(days=2),
                    local(T0) + timedelta(days=9))
    assert later.observations == () and later.items == ()
    # Restrictions and holds say how the records are processed now, whatever the period.
    assert len(later.holds) == 1


def test_every_staff_name_is_marked_for_redaction_and_never_a_plain_value(case):
    report = produce(staff(Role.DATA_PROTECTION, "Dana Protect"), case["prisoner"],
                     local(T0) - timedelta(days=70), local(T0))
    names = {person.name for person in report.staff}
    assert {"Test officer", "Dr. Mira First", "Ivo Second"} <= names
    document = views.document(WORDS, report, {})
    assert set(document.redactions) == names
    marked, plain = set(), []
    for section in document.sections:
        for entry in section.blocks:
            for field in entry.lines:
                marked.add(field.staff)
                if not field.free:
                    plain += [name for name in names if name in field.value + field.note]
    assert names <= marked
    assert plain == [], "a staff name outside the redaction mark"
    assert document.mark == "[REDACT]"
    assert any("third parties" in notice for notice in document.notices)
    frees = [f for s in document.sections for e in s.blocks for f in e.lines if f.free]
    assert {FACTS, OLD_FACTS, REASON} <= {f.value for f in frees}


def test_the_corrected_reading_stands_beside_the_original(case):
    report = produce(staff(Role.DATA_PROTECTION, "Dana Protect"), case["prisoner"],
                     local(T0), local(T0))
    document = views.document(WORDS, report, {})
    (observations_section,) = [s for s in document.sections if s.heading == "Observations"]
    labels = [f.label for f in observations_section.blocks[0].lines]
    where = labels.index("Where")
    assert labels[where + 1] == "Corrected reading: Where it happened"
    assert labels.index("Addendum") > labels.index("Recorded by")


def test_producing_it_is_one_disclosure_row_with_the_period_and_never_content(case):
    dpo = staff(Role.DATA_PROTECTION, "Dana Protect")
    produce(dpo, case["prisoner"], date(2026, 1, 1), date(2026, 3, 31), form="pdf")
    with unit_of_work() as db:
        rows = db.scalars(select(AuditEntry).where(AuditEntry.actor_id == dpo.user_id)).all()
    (row,) = rows
    assert (row.action, row.prisoner_id) == (Action.DISCLOSE, case["prisoner"])
    assert json.loads(row.detail) == {"since": "2026-01-01", "until": "2026-03-31",
                                      "form": "pdf"}
    assert FACTS not in (row.detail or "") + (row.purpose or "")
    meaning = meaning_of(row.action, row.purpose, row.detail)[0]
    assert meaning_text(WORDS, meaning) == (
        "Produced a subject-access report; period and form: form=pdf, since=2026-01-01, "
        "until=2026-03-31")


def test_a_prisoner_of_another_prison_is_refused_and_the_refusal_can_be_logged(case):
    elsewhere = staff(Role.DATA_PROTECTION, "Far Away", prison_code=other_prison())
    with pytest.raises(NotAllowed) as refused:
        produce(elsewhere, case["prisoner"], local(T0), local(T0))
    assert refused.value.prisoner_id == case["prisoner"]
    run(lambda db: access_report_subject.log_refusal(db, elsewhere, refused.value, T0))
    with unit_of_work() as db:
        (row,) = db.scalars(select(AuditEntry).where(AuditEntry.actor_id ==
                                                     elsewhere.user_id)).all()
    assert (row.action, row.purpose) == (Action.READ, access_report_subject.REFUSED)
    assert meaning_text(WORDS, meaning_of(row.action, row.purpose, row.detail)[0]) == (
        "Was refused a prisoner outside their postings")
    with pytest.raises(NotAllowed):  # nor found by number in a prison not theirs
        run(lambda db: access_report_subject.find(db, elsewhere, "DEMO", "any"))


@pytest.mark.parametrize("role", [Role.TREATMENT, Role.SECURITY_HEAD, Role.ADMIN])
def test_other_roles_are_refused(case, role):
    with pytest.raises(NotAllowed):
        produce(staff(role, "Someone Else", central=role == Role.ADMIN), case["prisoner"],
                local(T0), local(T0))


def test_one_of_the_central_service_reaches_every_prison_and_one_of_a_prison_only_that(case):
    central = staff(Role.DATA_PROTECTION, "Central One", central=True)
    local_one = staff(Role.DATA_PROTECTION, "Local One")
    code = other_prison()
    reach = run(lambda db: [p.code for p in access_report_subject.prisons_in_reach(db, central)])
    assert {"DEMO", code} <= set(reach)
    assert run(lambda db: [p.code for p in access_report_subject.prisons_in_reach(
        db, local_one)]) == ["DEMO"]
    number = run(lambda db: db.get(access_report_subject.Prisoner, case["prisoner"]).number)
    assert run(lambda db: access_report_subject.find(db, central, "DEMO", number)) == \
        case["prisoner"]
    assert run(lambda db: access_report_subject.find(db, local_one, "DEMO", "nobody")) is None


def test_a_period_that_is_no_period_is_refused_before_anything_is_written(case):
    dpo = staff(Role.DATA_PROTECTION, "Dana Protect")
    for since, until, field_name in ((date(2026, 3, 2), date(2026, 3, 1), "until"),
                                     (None, date(2026, 3, 1), "since"),
                                     (date(2026, 3, 1), None, "until")):
        with pytest.raises(ReportError) as refused:
            produce(dpo, case["prisoner"], since, until)
        assert refused.value.field == field_name
    with unit_of_work() as db:
        assert db.scalars(select(AuditEntry).where(AuditEntry.actor_id == dpo.user_id)).all() \
            == []


def test_the_card_shows_a_restriction_placed_and_the_report_lists_it(case):
    dpo = staff(Role.DATA_PROTECTION, "Dana Protect")
    prisoner = new_prisoner()
    observe(prisoner, flag=False, now=T0)
    restriction_id = run(lambda db: restrictions.restrict(
        db, dpo, prisoner, "accuracy_contested", "The prisoner contests the facts in writing.",
        T0, ingest_context(), Locale.EN))
    card = run(lambda db: access_report_subject.card(db, dpo, prisoner, cipher(), T0))
    (placed,) = card.in_force
    assert (placed.id, placed.ground, placed.placed_by.name) == (
        restriction_id, "accuracy_contested", "Dana Protect")
    assert placed.reason == "The prisoner contests the facts in writing."
    view = views.card_view(WORDS, card)
    assert view.restricted and view.restrictions[0].ground == "Accuracy contested"
    run(lambda db: restrictions.lift(db, dpo, restriction_id, "Rectified by an addendum now.",
                                     T0 + timedelta(hours=1), ingest_context(), Locale.EN))
    report = produce(dpo, prisoner, local(T0), local(T0))
    (lifted,) = report.restrictions
    assert not lifted.in_force and lifted.lift_reason == "Rectified by an addendum now."
    # The officer's card read is itself an audited read of the person's record.
    with unit_of_work() as db:
        purposes = db.scalars(select(AuditEntry.purpose).where(
            AuditEntry.actor_id == dpo.user_id, AuditEntry.prisoner_id == prisoner)).all()
    assert access_report_subject.CARD_READ in purposes


def test_the_read_model_is_plain_dataclasses(case):
    report = produce(staff(Role.DATA_PROTECTION, "Dana Protect"), case["prisoner"],
                     local(T0), local(T0))
    assert is_dataclass(report) and all(is_dataclass(o) for o in report.observations)
    assert {f.name for f in fields(report)} >= {"observations", "items", "recipients", "holds"}
