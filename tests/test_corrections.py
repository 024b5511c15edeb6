"""Rectification stays append-only (issue 12 item 7): an addendum can name the fact it
corrects, by the officer through the API or by treatment staff on the case page; the case view
shows the corrected reading beside the original, and `corrections_of` reads them for the access
report."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from app.db import unit_of_work
from app.i18n import labels
from app.i18n.locales import Locale
from app.i18n.messages import Messages
from app.models import Addendum, AuditEntry, Observation, ScreeningItem, User
from app.runtime import ingest_context
from app.services import corrections, screening
from app.services.audit_log import meaning_of
from app.services.passwords import hash_password
from app.services.screening import NotAllowed, ScreeningError
from app.views import corrections as views
from app.views.screening import case_view
from app.vocabulary import CorrectedFact, RestrictionGround
from state.screening_case import PREFIX, ScreeningCaseState
from tests.helpers import DEMO_PASSWORD, api_client, bearer
from tests.test_page_params_fuzz import StandIn, cookie_of, router, run_handler
from tests.test_screening_views import ZONE
from tests.trend_data import BASE, new_prison, record
from tests.screening_data import flagged_item

EN = Messages(Locale.EN, ZONE)
CORRECTED = "It happened in the workshop, not in the yard."


def test_every_ground_and_fact_has_words():
    for table, enum in ((labels.RESTRICTION_GROUND_LABELS, RestrictionGround),
                        (labels.CORRECTED_FACT_LABELS, CorrectedFact)):
        assert set(table) == set(enum) and all(text.strip() for text in table.values())


# --- the officer, through the API -----------------------------------------------------------


def officers_observation():
    place = new_prison()
    officer = place.officers[0]
    with unit_of_work() as db:
        db.execute(update(User).where(User.id == officer.user_id)
                   .values(password_hash=hash_password(DEMO_PASSWORD)))
    obs_id = record(officer, place.prisoners["X"][0], flag=True)
    return place, obs_id, bearer(officer.username)


def test_an_officer_corrects_a_named_fact_of_their_own_observation():
    place, obs_id, headers = officers_observation()
    response = api_client().post(f"/api/v1/observations/{obs_id}/addenda", headers=headers,
                                 json={"text": CORRECTED, "corrects": "location", "locale": "en"})
    assert response.status_code == 201, response.text
    addendum_id = response.json()["id"]
    note = api_client().post(f"/api/v1/observations/{obs_id}/addenda", headers=headers,
                             json={"text": "Also: he apologised later."})
    assert note.status_code == 201
    with unit_of_work() as db:
        found = corrections.corrections_of(db, ingest_context().cipher, [obs_id, "none"])
        audit = db.execute(select(AuditEntry.purpose, AuditEntry.detail).where(
            AuditEntry.record_id == f"addendum:{addendum_id}")).one()
        assert db.get(Observation, obs_id).location  # the original stays as it was
    (only,) = found[obs_id]  # the note is no correction
    assert (only.fact, only.text, only.locale, only.author_id) == (
        "location", CORRECTED, "en", place.officers[0].user_id)
    assert audit == ("fact corrected", f"observation {obs_id}")
    assert meaning_of("create", *audit)[0].msgid == "Corrected a fact of observation {observation}"


@pytest.mark.parametrize("corrects", ["place", "FACTS", "", 3, ["facts"]])
def test_a_fact_that_is_not_one_is_refused_clearly(corrects):
    _place, obs_id, headers = officers_observation()
    response = api_client().post(f"/api/v1/observations/{obs_id}/addenda", headers=headers,
                                 json={"text": CORRECTED, "corrects": corrects})
    assert response.status_code == 422, response.text
    body = response.json()["error"]
    assert body["code"] == "invalid_request"
    assert body["message"].startswith("corrects: must be one of")
    assert "occurred_at" in body["message"] and "assessment" in body["message"]
    with unit_of_work() as db:
        assert db.scalar(select(func.count()).select_from(Addendum)
                         .where(Addendum.observation_id == obs_id)) == 0


# --- treatment staff, on the case page --------------------------------------------------------


def item_of(place, prisoner_id: str) -> int:
    with unit_of_work() as db:
        return db.scalar(select(ScreeningItem.id).where(ScreeningItem.prisoner_id == prisoner_id))


def correct(who, item_id, obs_id, fact, text=CORRECTED, now=BASE) -> int:
    with unit_of_work() as db:
        return corrections.correct(db, who, item_id, obs_id, fact, text, now,
                                   ingest_context().cipher, Locale.EN)


def test_the_case_shows_the_corrected_reading_beside_the_original():
    place = new_prison()
    prisoner = place.prisoners["X"][0]
    obs_id = record(place.officers[0], prisoner, flag=True)
    item_id = item_of(place, prisoner)
    screener = place.screeners[0]
    correct(screener, item_id, obs_id, "facts", "He said 'the rota will pay', not the guards.",
            now=BASE + timedelta(days=2))
    correct(screener, item_id, obs_id, "occurred_at", "At 15:10, after the count.",
            now=BASE + timedelta(days=3))
    with unit_of_work() as db:
        case = screening.case(db, screener, item_id, BASE + timedelta(days=3),
                              ingest_context().cipher)
    (card,) = case_view(case, screener.user_id, {}, EN, BASE + timedelta(days=3)).timeline
    assert card.facts == "Facts for a trend test."  # the original, as recorded
    assert card.addenda == []  # corrections are shown by their fact, not as notes
    assert [(c.fact, c.what, c.text) for c in card.corrections] == [
        ("facts", "Facts", "He said 'the rota will pay', not the guards."),
        ("occurred_at", "When it happened", "At 15:10, after the count.")]
    assert card.corrections[0].byline == "Corrected on 5 Jun 2026 by treatment"
    assert card.corrections[0].language == "English"


@pytest.mark.parametrize(("observation", "fact", "text", "says"), [
    ("other", "facts", CORRECTED, "Choose the observation this corrects."),
    ("own", "place", CORRECTED, "Choose the fact this corrects."),
    ("own", None, CORRECTED, "Choose the fact this corrects."),
    ("own", "facts", "   ", "Write the corrected reading first."),
    ("own", "facts", "x" * 2001, "This text can be at most 2000 characters."),
])
def test_a_correction_is_refused_for_a_wrong_observation_fact_or_text(observation, fact, text,
                                                                      says):
    place = new_prison()
    prisoner, other = place.prisoners["X"][0], place.prisoners["X"][1]
    own_obs = record(place.officers[0], prisoner, flag=True)
    other_obs = record(place.officers[0], other, flag=True)
    with pytest.raises(ScreeningError) as refused:
        correct(place.screeners[0], item_of(place, prisoner),
                own_obs if observation == "own" else other_obs, fact, text)
    assert str(refused.value) == says
    with unit_of_work() as db:
        assert db.scalar(select(func.count()).select_from(Addendum).where(
            Addendum.observation_id.in_([own_obs, other_obs]))) == 0


def test_only_treatment_staff_of_the_prison_correct_from_the_case():
    place, elsewhere = new_prison(), new_prison()
    prisoner = place.prisoners["X"][0]
    obs_id = record(place.officers[0], prisoner, flag=True)
    for who in (elsewhere.screeners[0], place.head, place.officers[0]):
        with pytest.raises(NotAllowed):
            correct(who, item_of(place, prisoner), obs_id, "facts")


def test_the_case_pages_addendum_form_takes_a_correction_or_a_note():
    item_id = flagged_item()
    page = StandIn(ScreeningCaseState, router(cookie_of("screener1"), f"{PREFIX}{item_id}"),
                   _opening=0)
    run_handler(ScreeningCaseState, "load", page)
    (card,) = page.case.timeline
    (target,) = page.correction_targets
    assert [option[0] for option in target.options] == [
        f"{fact.value}:{card.id}" for fact in CorrectedFact]
    run_handler(ScreeningCaseState, "add_addendum", page,
                {"text": CORRECTED, "corrects": f"location:{card.id}"})
    assert page.message == "" and "Correction added" in page.notice
    (shown,) = page.case.timeline[0].corrections
    assert (shown.fact, shown.text) == ("location", CORRECTED)
    run_handler(ScreeningCaseState, "add_addendum", page,
                {"text": CORRECTED, "corrects": "location:not-an-observation"})
    assert page.message == "Choose the observation this corrects."
    run_handler(ScreeningCaseState, "add_addendum", page, {"text": "A note.", "corrects": ""})
    assert page.notice == "Addendum added." and page.case.history[-1].text == "A note."


def test_parse_target_takes_only_fact_and_observation():
    assert views.parse_target("facts:abc") == ("facts", "abc")
    assert views.parse_target("facts:a:b") == ("facts", "a:b")
    for junk in ("", "facts", ":abc", "facts:", None, 3, ["facts:abc"]):
        assert views.parse_target(junk) is None
