"""What the screening pages are given: filters from the URL, rows and actions for the person."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from app.i18n.locales import ENDONYMS, Locale
from app.i18n.messages import Messages
from app.services.screening import QueueRow, Reason, ScreeningError, TriggerView
from app.views.screening import (
    QueueFilters,
    language,
    queue_row,
    refusal,
    review_choices,
    start_of_day,
)
from tests.helpers import T0

ZONE = ZoneInfo("Europe/Belgrade")
EN = Messages(Locale.EN, ZONE)


def row(**changes) -> QueueRow:
    fields = dict(item_id=7, prisoner_id="p", prisoner_name="Arben Hoxha",
                  prisoner_number="DPC-24-1007", wing_code="A",
                  reasons=(Reason(TriggerView("R1-manual", {}, ("o",), T0), ("Shouted",)),),
                  observation_count=3, officer_count=1, first_flagged=T0,
                  due_at=T0 + timedelta(hours=72), overdue=False, holder_id=None, holder=None,
                  state="unclaimed")
    return QueueRow(**{**fields, **changes})


def test_filters_round_trip_through_the_url():
    filters = QueueFilters(wing="B", status="claimed", overdue=True, held="me", search="hox")
    url = filters.to_url("/screening")
    assert url == "/screening?wing=B&status=claimed&overdue=1&held=me&q=hox"
    query = dict(pair.split("=") for pair in url.split("?")[1].split("&"))
    assert QueueFilters.from_query(query) == filters
    assert QueueFilters().to_url("/screening") == "/screening"


def test_unknown_filter_values_fall_back_to_everything():
    filters = QueueFilters.from_query({"status": "<script>", "held": "boss", "overdue": "yes",
                                       "q": "x" * 500})
    assert (filters.status, filters.held, filters.overdue) == ("any", "anyone", False)
    assert len(filters.search) == 64


def test_filters_keep_only_matching_rows():
    mine = row(holder_id="me", state="claimed", overdue=True)
    free = row(item_id=8, wing_code="B", prisoner_name="Marko Ilić", prisoner_number="DPC-1")
    rows = [mine, free]
    assert [r.item_id for r in rows if QueueFilters(held="me").keeps(r, "me")] == [7]
    assert [r.item_id for r in rows if QueueFilters(held="unclaimed").keeps(r, "me")] == [8]
    assert [r.item_id for r in rows if QueueFilters(overdue=True).keeps(r, "me")] == [7]
    assert [r.item_id for r in rows if QueueFilters(wing="B").keeps(r, "me")] == [8]
    assert [r.item_id for r in rows if QueueFilters(search="ILIĆ").keeps(r, "me")] == [8]
    assert [r.item_id for r in rows if QueueFilters(search="24-1007").keeps(r, "me")] == [7]


def test_the_search_finds_a_name_whatever_the_script_and_accents_typed():
    names = ("Marko Petrović", "Ђорђе Ђорђевић", "Arben Hoxhë", "Марко Јовановски")
    rows = [row(item_id=i, prisoner_name=name) for i, name in enumerate(names, 1)]

    def found(search: str) -> list[int]:
        return [r.item_id for r in rows if QueueFilters(search=search).keeps(r, "me")]

    for typed in ("Petrovic", "Petrović", "PETROVIĆ", "Петровић", "petrovi"):
        assert found(typed) == [1], typed
    for typed in ("Djordjevic", "Dordevic", "Đorđević", "djordje"):
        assert found(typed) == [2], typed
    assert found("Hoxha") == found("hoxhe") == found("Ходжа") == [3]
    assert found("Jovanovski") == [4]
    assert found("Marko") == [1, 4]
    assert found("Petar") == []


def test_a_row_offers_only_what_the_screener_may_do():
    assert queue_row(row(), "me", EN, T0).can_claim
    held_by_other = queue_row(row(state="claimed", holder_id="x", holder="Milica"), "me", EN, T0)
    assert (held_by_other.can_claim, held_by_other.can_take_over) == (False, True)
    assert held_by_other.holder == "Held by Milica"
    held_by_me = queue_row(row(state="claimed", holder_id="me", holder="Lejla"), "me", EN, T0)
    assert (held_by_me.can_take_over, held_by_me.holder) == (False, "Held by you")


def test_counts_dates_and_reasons_read_as_sentences_in_local_time():
    view = queue_row(row(observation_count=1, officer_count=1), "me", EN, T0)
    assert view.counts == "1 observation from 1 officer"
    assert queue_row(row(observation_count=3, officer_count=2), "me", EN, T0).counts == (
        "3 observations from 2 officers")
    assert view.first_flagged == "First flagged " + EN.moment(T0, "medium")
    assert view.reasons[1] == "Officer's reason: Shouted"
    assert view.reasons[0].startswith("An officer flagged this observation")
    assert (view.status, view.state, view.wing) == ("Unclaimed", "unclaimed", "Wing A")


def test_how_long_is_left_or_overdue_is_said_as_a_duration():
    assert queue_row(row(), "me", EN, T0 + timedelta(hours=69)).due.startswith(
        "Due in 3 hours (")
    late = queue_row(row(overdue=True), "me", EN, T0 + timedelta(hours=75))
    assert late.due.startswith("Was due 3 hours ago (")


def test_a_free_text_names_its_language_as_that_language_calls_itself():
    assert language(EN, "sq") == ENDONYMS[Locale.SQ] == "Shqip"
    assert language(Messages(Locale.MK, ZONE), "sr-Cyrl") == "Српски (ћирилица)"
    assert language(EN, None) == "Language not recorded"
    assert language(EN, "xx") == "Language not recorded"


def test_a_refusal_is_said_with_its_count_and_its_day_in_the_readers_language():
    short = ScreeningError("Give a reason of at least {count} character.",
                           "Give a reason of at least {count} characters.", count=20)
    assert refusal(EN, short) == "Give a reason of at least 20 characters."
    monitored = ScreeningError("A decision was already recorded; the item is being monitored "
                               "until {day} and returns to the queue then.", day=T0)
    assert EN.day(T0.astimezone(ZONE).date()) in refusal(EN, monitored)
    assert "Held by Lejla" in refusal(EN, ScreeningError(
        "Held by {name}. Use Take over to move it to you.", name="Lejla"))


@pytest.mark.parametrize("locale", [Locale.EN, Locale.SQ, Locale.SR_CYRL, Locale.PSEUDO])
def test_review_dates_are_offered_as_the_locale_writes_them_and_read_back_as_days(locale):
    words = Messages(locale, ZONE)
    choices = review_choices(words, T0)
    assert len(choices) == 6
    first, said = choices[0]
    assert words.day((T0.astimezone(ZONE) + timedelta(weeks=1)).date(), "full") in said
    assert "/" not in said  # no US month/day/year
    start = start_of_day(first, ZONE)
    assert start is not None and start > T0


def test_a_review_date_starts_at_local_midnight():
    start = start_of_day("2026-12-01", ZONE)
    assert start is not None and start.utcoffset() == timedelta(hours=1)
    assert (start.hour, start.day) == (0, 1)
    assert start_of_day("1 December", ZONE) is None
