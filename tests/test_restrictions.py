"""Restriction of processing (issue 12 item 5): placed and lifted by the data-protection officer
of the prisoner's prison, out of the queue and the ordinary case view, opened only with a reason
(audited), and the prisoner's counts withdrawn from the trends and put back exactly.

Each test has a prison of its own (tests/trend_data.py), so the counts compared are its alone.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.db import unit_of_work
from app.models import (
    AuditEntry,
    Posting,
    Restriction,
    RestrictionOpening,
    ScreeningItem,
    TrendDecision,
    TrendIndicatorWeek,
    TrendWeek,
    User,
)
from app.runtime import ingest_context
from app.services import accounts, catalogue, restrictions, screening, trend_report, trends
from app.services.audit_log import meaning_of
from app.services.restrictions import NotAllowed, RestrictionError
from app.services.trend_report import Filters
from app.vocabulary import PostingScope, RestrictionGround, Role
from tests.helpers import POSTED_SINCE
from tests.trend_data import BASE, TrendPrison, codes, new_prison, record

REASON = "The prisoner contests the accuracy of the entries of March."
OPEN_REASON = "Preparing the reply to the prisoner's complaint."


def dpo(place: TrendPrison | None, central: bool = False) -> accounts.Identity:
    """A data-protection officer posted to `place`'s prison, or to the central service."""
    with unit_of_work() as db:
        user = User(username=f"dpo-{secrets.token_hex(4)}", display_name="Dana Protić",
                    role=Role.DATA_PROTECTION, password_hash="x",
                    prison_id=None if central else place.prison_id, created_at=BASE)
        db.add(user)
        db.add(Posting(user=user, scope=PostingScope.CENTRAL if central else PostingScope.PRISON,
                       prison_id=None if central else place.prison_id, valid_from=POSTED_SINCE,
                       created_at=BASE))
        db.flush()
        return accounts.identity_of(db, user)


def restrict(who, prisoner_id: str, ground: str = RestrictionGround.ACCURACY_CONTESTED,
             reason: str = REASON, now=BASE) -> int:
    with unit_of_work() as db:
        return restrictions.restrict(db, who, prisoner_id, ground, reason, now, ingest_context())


def lift(who, restriction_id: int, reason: str = "The complaint was settled.", now=BASE) -> None:
    with unit_of_work() as db:
        restrictions.lift(db, who, restriction_id, reason, now, ingest_context())


def audit_rows(record_id: str) -> list[tuple[str, str]]:
    with unit_of_work() as db:
        return [(a, p) for a, p in db.execute(
            select(AuditEntry.action, AuditEntry.purpose)
            .where(AuditEntry.record_id == record_id).order_by(AuditEntry.seq))]


def restriction_count() -> int:
    with unit_of_work() as db:
        return db.scalar(select(func.count()).select_from(Restriction))


# --- placing and lifting ---------------------------------------------------------------------


def test_a_restriction_is_placed_and_lifted_with_reasons_kept_encrypted_and_audited():
    place = new_prison()
    officer = dpo(place)
    prisoner = place.prisoners["X"][0]
    restriction_id = restrict(officer, prisoner, now=BASE)
    with unit_of_work() as db:
        shown = restrictions.restrictions_of(db, [prisoner, place.prisoners["X"][1]])
        stored = db.get(Restriction, restriction_id)
        assert REASON not in stored.reason_enc  # encrypted at rest
    assert set(shown) == {prisoner}
    info = shown[prisoner]
    assert (info.ground, info.since, info.by, info.by_id) == (
        RestrictionGround.ACCURACY_CONTESTED, BASE, "Dana Protić", officer.user_id)
    assert audit_rows(f"restriction:{restriction_id}") == [("restrict", "restriction placed")]

    lift(officer, restriction_id, now=BASE + timedelta(days=3))
    with unit_of_work() as db:
        assert restrictions.restrictions_of(db, [prisoner]) == {}
        (listed,) = [r for r in restrictions.listing(db, officer, BASE, ingest_context().cipher,
                                                     lifted=True) if r.id == restriction_id]
    assert (listed.reason, listed.lift_reason) == (REASON, "The complaint was settled.")
    assert listed.lifted_at == BASE + timedelta(days=3)
    assert audit_rows(f"restriction:{restriction_id}") == [
        ("restrict", "restriction placed"), ("restrict", "restriction lifted")]
    # The log viewer says each in words, never "as recorded".
    said = [meaning_of(action, purpose, None)[0].msgid
            for action, purpose in audit_rows(f"restriction:{restriction_id}")]
    assert said == ["Restricted the processing of a prisoner's records",
                    "Lifted a restriction of processing"]


def test_a_central_officer_reaches_every_prison_a_prison_officer_only_their_own():
    place, other = new_prison(), new_prison()
    with pytest.raises(NotAllowed):
        restrict(dpo(other), place.prisoners["X"][0])
    assert restrict(dpo(None, central=True), place.prisoners["X"][0]) > 0
    # Lifting, too, only within reach.
    restriction_id = restrict(dpo(place), place.prisoners["Y"][0])
    with pytest.raises(NotAllowed):
        lift(dpo(other), restriction_id)


@pytest.mark.parametrize("who", ["officer", "treatment", "security_head"])
def test_no_other_role_may_restrict_or_lift(who: str):
    place = new_prison()
    identity = {"officer": place.officers[0], "treatment": place.screeners[0],
                "security_head": place.head}[who]
    before = restriction_count()
    with pytest.raises(NotAllowed):
        restrict(identity, place.prisoners["X"][0])
    restriction_id = restrict(dpo(place), place.prisoners["X"][0])
    with pytest.raises(NotAllowed):
        lift(identity, restriction_id)
    assert restriction_count() == before + 1


@pytest.mark.parametrize(("ground", "reason", "says"), [
    ("suspicion", REASON, "Choose one of the grounds offered."),
    ("", REASON, "Choose one of the grounds offered."),
    (RestrictionGround.EVIDENCE_ONLY, "", "Give a reason of at least 10 characters."),
    (RestrictionGround.EVIDENCE_ONLY, "   short  ", "Give a reason of at least 10 characters."),
    (RestrictionGround.EVIDENCE_ONLY, "x" * 2001, "This text can be at most 2000 characters."),
    (RestrictionGround.EVIDENCE_ONLY, "a reason \ud800 here",
     "This text holds a character that cannot be stored; type it again."),
])
def test_a_bad_ground_or_reason_is_refused_and_nothing_is_written(ground, reason, says):
    place = new_prison()
    before = restriction_count()
    with pytest.raises(RestrictionError) as refused:
        restrict(dpo(place), place.prisoners["X"][0], ground=ground, reason=reason)
    assert str(refused.value) == says
    assert restriction_count() == before


def test_twice_restricted_lifted_twice_or_unknown_is_refused():
    place = new_prison()
    officer = dpo(place)
    restriction_id = restrict(officer, place.prisoners["X"][0])
    with pytest.raises(RestrictionError, match="already restricted"):
        restrict(officer, place.prisoners["X"][0])
    with pytest.raises(RestrictionError, match="no such prisoner"):
        restrict(officer, "no-such-prisoner")
    lift(officer, restriction_id)
    with pytest.raises(RestrictionError, match="lifted already"):
        lift(officer, restriction_id)
    with pytest.raises(RestrictionError, match="no such restriction"):
        lift(officer, 10**9)
    # Once lifted, the prisoner can be restricted again.
    assert restrict(officer, place.prisoners["X"][0]) != restriction_id


# --- the queue ------------------------------------------------------------------------------


def queue_of(who, now):
    with unit_of_work() as db:
        return screening.queue(db, who, now, ingest_context().cipher)


def test_a_restricted_prisoners_item_leaves_the_queue_counted_but_never_read():
    place = new_prison()
    restricted, other = place.prisoners["X"][0], place.prisoners["X"][1]
    record(place.officers[0], restricted, flag=True)
    record(place.officers[0], other, flag=True)
    now = BASE + timedelta(hours=2)
    screener = place.screeners[0]
    before = queue_of(screener, now)
    assert {r.prisoner_id for r in before.rows} == {restricted, other}
    assert before.restricted == 0

    restriction_id = restrict(dpo(place), restricted)
    with unit_of_work() as db:
        item_id = db.scalar(select(ScreeningItem.id).where(
            ScreeningItem.prisoner_id == restricted))
        reads_before = db.scalar(select(func.count()).where(
            AuditEntry.record_id == f"screening:{item_id}"))
    after = queue_of(screener, now)
    assert [r.prisoner_id for r in after.rows] == [other]
    assert (after.total, after.restricted) == (1, 1)
    with unit_of_work() as db:
        assert db.scalar(select(func.count()).where(
            AuditEntry.record_id == f"screening:{item_id}")) == reads_before  # not read

    lift(dpo(place), restriction_id)
    assert {r.prisoner_id for r in queue_of(screener, now).rows} == {restricted, other}


def open_now(place: TrendPrison) -> int:
    """The security head's count of open screening items."""
    with unit_of_work() as db:
        return trend_report.report(db, trend_report.places(db, place.head),
                                   Filters(trends.week_of(BASE, ingest_context().zone)), BASE,
                                   ingest_context().zone).screening.open_now


def test_the_security_heads_open_items_leave_out_a_restricted_prisoners():
    place = new_prison()
    for prisoner in place.prisoners["X"][:2]:
        record(place.officers[0], prisoner, flag=True)
    assert open_now(place) == 2
    restriction_id = restrict(dpo(place), place.prisoners["X"][0])
    assert open_now(place) == 1
    lift(dpo(place), restriction_id)
    assert open_now(place) == 2


# --- the trends -----------------------------------------------------------------------------


def _cells(db, prison_id: str) -> dict:
    weeks = {(r.wing_id, r.category, r.week, r.kind, r.concern): (r.observations, r.flagged)
             for r in db.scalars(select(TrendWeek).where(TrendWeek.prison_id == prison_id))}
    ticks = {(r.wing_id, r.concern, r.week, r.indicator): r.observations
             for r in db.scalars(select(TrendIndicatorWeek)
                                 .where(TrendIndicatorWeek.prison_id == prison_id))}
    decisions = {(r.event_id, r.wing_id, r.outcome, round(r.hours_to_first or -1, 6))
                 for r in db.scalars(select(TrendDecision)
                                     .where(TrendDecision.prison_id == prison_id))}
    return {"weeks": weeks, "ticks": ticks, "decisions": decisions}


def counts(prison_id: str) -> dict:
    """Every rollup cell and decision row of one prison."""
    with unit_of_work() as db:
        return _cells(db, prison_id)


def decide(place: TrendPrison, prisoner_id: str, now) -> None:
    screener = place.screeners[0]
    with unit_of_work() as db:
        item_id = db.scalar(select(ScreeningItem.id).where(
            ScreeningItem.prisoner_id == prisoner_id, ScreeningItem.closed_at.is_(None)))
        screening.claim(db, screener, item_id, now)
        screening.decide(db, screener, item_id, "no_further_action",
                         "Read every entry: no pattern, a quarrel over the phone rota.", now,
                         ingest_context().cipher)


def test_the_trends_lose_exactly_the_prisoners_counts_and_get_them_back_at_lift():
    place = new_prison()
    others = place.prisoners["X"][1], place.prisoners["Y"][0]
    record(place.officers[0], others[0], flag=True, hours_ago=30)
    record(place.officers[1], others[1], indicators=(codes("protective")[0],), hours_ago=200)
    decide(place, others[0], BASE + timedelta(hours=1))
    without = counts(place.prison_id)

    prisoner = place.prisoners["X"][0]  # a week of concerns, a flag, an immediate indicator,
    record(place.officers[0], prisoner, flag=True, hours_ago=2)  # a protective one, a decision
    record(place.officers[0], prisoner, indicators=(codes("concern", immediate=True)[0],),
           concern="high", hours_ago=26)
    record(place.officers[0], prisoner, indicators=tuple(codes("concern")[:2]), hours_ago=170)
    record(place.officers[0], prisoner, indicators=(codes("protective")[1],), concern="low",
           hours_ago=400)
    decide(place, prisoner, BASE + timedelta(hours=2))
    with_prisoner = counts(place.prison_id)
    assert with_prisoner != without

    officer = dpo(place)
    restriction_id = restrict(officer, prisoner, now=BASE + timedelta(hours=3))
    assert counts(place.prison_id) == without  # the cells at nought are gone, too

    # While restricted, a new observation of theirs (and a decision on it) is not counted.
    record(place.officers[0], prisoner, flag=True, hours_ago=1)
    decide(place, prisoner, BASE + timedelta(hours=4))
    assert counts(place.prison_id) == without

    # Nor by a recount from the stored rows (rolled back: other tests' counts stay theirs).
    assert counts_after_recount(place.prison_id) == without

    lift(officer, restriction_id, now=BASE + timedelta(hours=5))
    back = counts(place.prison_id)
    # Everything of theirs, the one recorded while restricted too, as a recount would have it.
    assert back == counts_after_recount(place.prison_id)
    assert back["weeks"] != with_prisoner["weeks"]  # one more observation than before
    assert with_prisoner["decisions"] < back["decisions"]


def counts_after_recount(prison_id: str) -> dict:
    """What `rebuild` would make of the prison now, rolled back afterwards."""
    class Rollback(Exception):
        pass

    found: dict = {}
    with pytest.raises(Rollback), unit_of_work() as db:
        trends.rebuild(db, catalogue.catalogues(), ingest_context().zone)
        found.update(_cells(db, prison_id))
        raise Rollback
    return found


# --- opening a restricted record -----------------------------------------------------------


def flagged(place: TrendPrison, prisoner_id: str) -> int:
    record(place.officers[0], prisoner_id, flag=True)
    with unit_of_work() as db:
        return db.scalar(select(ScreeningItem.id).where(ScreeningItem.prisoner_id == prisoner_id,
                                                        ScreeningItem.closed_at.is_(None)))


def case(who, item_id: int, now, opening: int | None = None) -> screening.Case:
    with unit_of_work() as db:
        return screening.case(db, who, item_id, now, ingest_context().cipher, opening=opening)


def open_record(who, item_id: int, now, reason: str = OPEN_REASON) -> int:
    with unit_of_work() as db:
        return restrictions.open_record(db, who, item_id, reason, now, ingest_context().cipher)


def test_a_restricted_case_shows_only_who_until_opened_with_a_reason_which_is_audited():
    place = new_prison()
    prisoner = place.prisoners["Y"][1]
    item_id = flagged(place, prisoner)
    restriction_id = restrict(dpo(place), prisoner)
    screener, other_screener = place.screeners
    now = BASE + timedelta(hours=1)

    withheld = case(screener, item_id, now)
    assert withheld.withheld and withheld.restriction.id == restriction_id
    assert (withheld.timeline, withheld.triggers, withheld.events, withheld.previous) == (
        (), (), (), ())
    assert withheld.prisoner_number  # who it is, nothing else
    assert audit_rows(f"screening:{item_id}")[-1] == ("read", "restricted case view")

    opening = open_record(screener, item_id, now)
    assert audit_rows(f"screening:{item_id}")[-1] == ("restrict", "restricted record opened")
    with unit_of_work() as db:
        stored = db.get(RestrictionOpening, opening)
        assert (stored.restriction_id, stored.opened_by) == (restriction_id, screener.user_id)
        assert OPEN_REASON not in stored.reason_enc
        assert restrictions.openings_of(db, ingest_context().cipher, [restriction_id])[
            restriction_id][0].reason == OPEN_REASON
    opened = case(screener, item_id, now, opening)
    assert not opened.withheld and opened.restriction.id == restriction_id
    assert len(opened.timeline) == 1 and opened.timeline[0].facts == "Facts for a trend test."
    assert audit_rows(f"screening:{item_id}")[-1] == ("read", "screening case view")

    # The opening is the opener's, for this item, and for a while only.
    assert case(other_screener, item_id, now, opening).withheld
    assert case(screener, item_id, now + restrictions.OPEN_FOR, opening).withheld
    assert case(screener, item_id, now - timedelta(seconds=1), opening).withheld


def test_opening_is_refused_without_reason_elsewhere_or_when_not_restricted():
    place, other = new_prison(), new_prison()
    prisoner = place.prisoners["X"][0]
    item_id = flagged(place, prisoner)
    with pytest.raises(RestrictionError, match="not restricted"):
        open_record(place.screeners[0], item_id, BASE)
    restrict(dpo(place), prisoner)
    with pytest.raises(RestrictionError, match="at least 10"):
        open_record(place.screeners[0], item_id, BASE, reason="  why  ")
    with pytest.raises(NotAllowed):
        open_record(other.screeners[0], item_id, BASE)
    with pytest.raises(NotAllowed):
        open_record(place.head, item_id, BASE)
    with pytest.raises(RestrictionError, match="no such screening item"):
        open_record(place.screeners[0], 10**9, BASE)
    with unit_of_work() as db:
        assert db.scalar(select(func.count()).select_from(RestrictionOpening).where(
            RestrictionOpening.item_id == item_id)) == 0
