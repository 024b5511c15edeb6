"""The review page's and the case page's hold panel's states, run as Reflex runs their handlers
(on a stand-in with a real session cookie, tests/test_page_params_fuzz.py), down to the
database; and the security head's overdue count on the trends page."""

from __future__ import annotations

from datetime import timedelta

from app.clock import prisons_today, utc_now
from app.db import unit_of_work
from app.i18n.locales import Locale
from app.i18n.messages import speaking
from app.models import LegalHold, ReviewEntry, ScreeningItem
from app.vocabulary import RecordClass
from state.legal_holds import CaseHoldState
from state.review import ROUTE, ReviewState
from state.trends import TrendsState
from tests.review_data import entry, item_entry, other_prison
from tests.test_page_params_fuzz import StandIn, cookie_of, router, run_handler

WHY = "Kept: the prisoner's appeal is still pending in court."
ENGLISH = speaking(Locale.EN)


def review_page(username: str = "screener1", query: dict | None = None) -> StandIn:
    page = StandIn(ReviewState, router(cookie_of(username), ROUTE, query or {}))
    run_handler(ReviewState, "load", page)
    return page


def typed(days: int) -> str:
    """A day as an English reader types it (the field's own format)."""
    return ENGLISH.day(prisons_today() + timedelta(days=days), "short")


def test_the_page_lists_overdue_first_and_extends_from_a_dialog():
    now = utc_now()
    today = prisons_today(now)
    late, _ = item_entry(now, today - timedelta(days=4))
    soon, _ = item_entry(now, today + timedelta(days=6))
    page = review_page()
    ids = [row.entry_id for row in page.rows if row.entry_id in (late, soon)]
    assert ids == [late, soon]
    (row,) = [r for r in page.rows if r.entry_id == late]
    assert row.overdue and row.due.startswith("Was due") and row.href.startswith("/screening/")
    assert row.rule == "Reviewed 5 years after the screening item closed"
    assert row.what.startswith("Screening record") and row.can_extend and row.can_erase

    run_handler(ReviewState, "ask_extend", page, late)
    assert (page.dialog, page.dialog_entry) == ("extend", late)
    run_handler(ReviewState, "extend", page, {"until": "not a day", "reason": WHY})
    assert page.dialog_error == "Write the date as in the example."
    run_handler(ReviewState, "extend", page, {"until": typed(0), "reason": WHY})
    assert page.dialog_error.startswith("The date must be after")
    run_handler(ReviewState, "extend", page, {"until": typed(90), "reason": WHY})
    assert page.dialog == "" and page.notice.startswith("Kept until")
    assert late not in [r.entry_id for r in page.rows]
    with unit_of_work() as db:
        assert db.get(ReviewEntry, late).extended_to == today + timedelta(days=90)


def test_dialogs_open_only_for_rows_shown_and_decisions_they_offer():
    page = review_page()
    for handler in ("ask_extend", "ask_erase", "ask_hold"):
        run_handler(ReviewState, handler, page, 10**9)
        assert page.dialog == ""
    log = entry(RecordClass.AUDIT_LOG, "2015-01", None, None, prisons_today(), utc_now(),
                rule_id="audit_log_review_10y")
    run_handler(ReviewState, "ask_erase", page, log)  # not the screener's, not erasable
    assert page.dialog == ""
    run_handler(ReviewState, "confirm", page)  # nothing asked: nothing done
    with unit_of_work() as db:
        assert db.get(ReviewEntry, log).decided_at is None


def test_erase_now_asks_first_and_a_hold_from_the_row_shows_the_row_held():
    now = utc_now()
    today = prisons_today(now)
    gone, _ = item_entry(now, today - timedelta(days=1))
    kept, _ = item_entry(now, today - timedelta(days=1))
    page = review_page()
    run_handler(ReviewState, "ask_erase", page, gone)
    assert page.dialog == "erase" and page.dialog_what.startswith("Screening record — Test")
    run_handler(ReviewState, "confirm", page)
    assert page.notice.startswith("Erased.") and gone not in [r.entry_id for r in page.rows]

    run_handler(ReviewState, "ask_hold", page, kept)
    run_handler(ReviewState, "hold", page, {"until": typed(30), "reason": "court"})
    assert page.dialog == "hold" and "at least 10 characters" in page.dialog_error
    run_handler(ReviewState, "hold", page, {"until": typed(30), "reason": WHY})
    (row,) = [r for r in page.rows if r.entry_id == kept]
    assert row.held and row.held_text.startswith("On legal hold until") and not row.can_erase


def test_filters_live_in_the_url():
    page = review_page(query={"when": "overdue", "class": "screening_decision"})
    assert (page.when, page.record_class) == ("overdue", "screening_decision")
    assert all(row.overdue for row in page.rows)
    assert str(run_handler(ReviewState, "filter_when", page, "coming")).count("when=coming")
    made = str(run_handler(ReviewState, "filter_class", page, "all"))
    assert "class=" not in made and "when=overdue" in made
    junk = review_page(query={"when": "\ud800", "class": "nothing"})
    assert (junk.when, junk.record_class) == ("all", "")


def test_the_case_panel_puts_the_item_on_hold_and_releases_it():
    now = utc_now()
    _, item_id = item_entry(now, prisons_today(now))
    page = StandIn(CaseHoldState, router(cookie_of("screener1"), f"/screening/{item_id}"))
    run_handler(CaseHoldState, "load", page)
    assert page.item_id == item_id and page.choices[0][0] == "item" and page.holds == []
    run_handler(CaseHoldState, "place", page, {"subject": "someone-else's", "until": typed(9),
                                               "reason": WHY})
    assert page.message == "Choose what to put on hold."
    run_handler(CaseHoldState, "place", page, {"subject": "item", "until": typed(9),
                                               "reason": WHY})
    assert page.message == "" and page.item_held.startswith("This item and its observations")
    (line,) = page.holds
    assert line.in_force and line.reason == WHY and line.language == "English"
    run_handler(CaseHoldState, "ask_release", page, line.id)
    assert page.releasing == line.id
    run_handler(CaseHoldState, "release", page)
    assert page.notice.startswith("Hold released") and not page.holds[0].in_force
    with unit_of_work() as db:
        assert db.get(LegalHold, line.id).released_at is not None


def test_the_case_panel_of_another_prisons_item_stays_empty():
    prison_id, prisoner_id = other_prison()
    with unit_of_work() as db:
        item = ScreeningItem(prisoner_id=prisoner_id, prison_id=prison_id, opened_at=utc_now())
        db.add(item)
        db.flush()
        item_id = item.id
    for path in (f"/screening/{item_id}", "/screening/99999999999", "/screening/x"):
        page = StandIn(CaseHoldState, router(cookie_of("screener1"), path))
        run_handler(CaseHoldState, "load", page)
        assert page.item_id == 0 and page.choices == [] and page.holds == []
        run_handler(CaseHoldState, "place", page, {"subject": "item", "until": typed(9),
                                                   "reason": WHY})
    with unit_of_work() as db:
        assert db.query(LegalHold).filter(LegalHold.subject_id == str(item_id)).count() == 0


def test_the_security_head_sees_a_count_of_overdue_entries_and_no_names():
    now = utc_now()
    item_entry(now, prisons_today(now) - timedelta(days=3))
    page = StandIn(TrendsState, router(cookie_of("security1"), "/trends"))
    run_handler(TrendsState, "load", page)
    assert "past their review date" in page.review_overdue or "past its review date" in \
        page.review_overdue
    assert "Test" not in page.review_overdue  # a count, no names
