"""A restriction where the prisoner appears (issue 12 item 5): the case page's state holds
nothing of a restricted record until it is opened with a reason, the queue says how many it does
not show, and the officer's roster on the tablet marks the prisoner."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select, update

from app.clock import utc_now
from app.db import unit_of_work
from app.i18n.locales import Locale
from app.i18n.messages import Messages
from app.models import AuditEntry, ScreeningItem, User
from app.services.passwords import hash_password
from app.views.restrictions import queue_note
from state.screening_case import PREFIX, ScreeningCaseState
from state.screening_queue import ScreeningQueueState
from tests.helpers import DEMO_PASSWORD, api_client, bearer
from tests.screening_data import flagged_item
from tests.test_page_params_fuzz import (
    HANDLER_FUZZ,
    StandIn,
    cookie_of,
    forms,
    router,
    run_handler,
)
from tests.test_restrictions import OPEN_REASON, dpo, lift, restrict
from tests.test_screening_views import ZONE
from tests.trend_data import new_prison

FACTS = "Told two others on the landing that the guards 'will pay'."  # screening_data.observe


def restricted_item() -> int:
    """A flagged item of the screening tests' own wing (screener1's prison), restricted."""
    item_id = flagged_item(utc_now())
    with unit_of_work() as db:
        prisoner_id = db.get(ScreeningItem, item_id).prisoner_id
    restrict(dpo(None, central=True), prisoner_id, now=utc_now())
    return item_id


def case_page(item_id: int) -> StandIn:
    return StandIn(ScreeningCaseState, router(cookie_of("screener1"), f"{PREFIX}{item_id}"),
                   _opening=0)


def sent(page: StandIn) -> str:
    """What Reflex would send the browser of this state."""
    return json.dumps(page.fields(), default=str, ensure_ascii=False)


def test_a_restricted_case_reaches_the_page_as_its_banner_only_until_opened():
    item_id = restricted_item()
    page = case_page(item_id)
    run_handler(ScreeningCaseState, "load", page)
    assert page.loaded and page.withheld
    assert page.restriction.shown and "Processing restricted" in page.restriction.title
    assert page.case.prisoner and page.case.timeline == [] and page.case.history == []
    assert FACTS not in sent(page) and page.correction_targets == []

    run_handler(ScreeningCaseState, "open_restricted", page, {"reason": "why"})
    assert page.withheld and "at least 10" in page.message and page._opening == 0

    run_handler(ScreeningCaseState, "ask_open", page)
    assert page.asking_open
    run_handler(ScreeningCaseState, "open_restricted", page, {"reason": OPEN_REASON})
    assert not page.withheld and not page.asking_open and page._opening > 0
    assert page.restriction.shown and page.restriction.opened  # the banner stays
    assert FACTS in sent(page) and len(page.case.timeline) == 1
    assert "_opening" not in page.fields()  # backend only: the browser never holds it
    with unit_of_work() as db:
        purposes = list(db.scalars(select(AuditEntry.purpose).where(
            AuditEntry.record_id == f"screening:{item_id}").order_by(AuditEntry.seq)))
    assert purposes[-3:] == ["restricted case view", "restricted record opened",
                             "screening case view"]

    # The next visit starts withheld again.
    run_handler(ScreeningCaseState, "load", page)
    assert page.withheld and FACTS not in sent(page)


@HANDLER_FUZZ
@given(argument=forms("reason", reason=[OPEN_REASON]), opened=st.booleans())
def test_opening_takes_any_form(argument: object, opened: bool):
    item_id = restricted_item()
    page = case_page(item_id)
    run_handler(ScreeningCaseState, "load", page)
    if opened:
        run_handler(ScreeningCaseState, "open_restricted", page, {"reason": OPEN_REASON})
    run_handler(ScreeningCaseState, "open_restricted", page, argument)
    assert page.withheld == (page._opening == 0)


def test_the_queue_says_how_many_it_does_not_show():
    restricted_item()
    page = StandIn(ScreeningQueueState, router(cookie_of("screener1"), "/screening"))
    run_handler(ScreeningQueueState, "load", page)
    assert "not shown" in page.restricted_note
    words = Messages(Locale.EN, ZONE)
    assert queue_note(words, 0) == ""
    assert queue_note(words, 1) == "1 item is not shown: its prisoner's records are restricted."
    assert queue_note(words, 3) == ("3 items are not shown: their prisoners' records are "
                                    "restricted.")


def test_the_officers_roster_marks_a_restricted_prisoner():
    place = new_prison()
    officer = place.officers[0]
    with unit_of_work() as db:
        db.execute(update(User).where(User.id == officer.user_id)
                   .values(password_hash=hash_password(DEMO_PASSWORD)))
    restricted = place.prisoners["X"][0]
    restriction_id = restrict(dpo(place), restricted)
    headers = bearer(officer.username)
    roster = {row["id"]: row for row in
              api_client().get("/api/v1/bootstrap", headers=headers).json()["roster"]}
    assert roster[restricted]["restricted"] is True
    assert [pid for pid, row in roster.items() if row["restricted"]] == [restricted]

    lift(dpo(place), restriction_id)
    roster = api_client().get("/api/v1/bootstrap", headers=headers).json()["roster"]
    assert not any(row["restricted"] for row in roster)
