"""Trend counts: equal to an independent count of the stored observations for any data and
filters, exact under concurrent ingest, for security heads only, and every export audited."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import timedelta
from functools import lru_cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.db import unit_of_work
from app.models import (
    AuditEntry,
    ScreeningItem,
    TrendDecision,
    TrendIndicatorWeek,
    TrendWeek,
    Wing,
)
from app.runtime import ingest_context
from app.services import catalogue, screening, trend_report, trends
from app.services.trend_report import Filters, NotAllowed
from tests.helpers import identity
from tests.trend_data import BASE, TrendPrison, codes, new_prison, record, recount, tick

ZONE = ingest_context().zone
THIS_WEEK = trends.week_of(BASE, ZONE)
ALL_CODES = codes("concern") + codes("protective") + codes("concern", immediate=True)
CATEGORIES = sorted({i.category for i in catalogue.current().indicators.values()})


@lru_cache(maxsize=1)
def shared_prison() -> TrendPrison:
    return new_prison()


def report(place: TrendPrison, f: Filters, now=BASE) -> trend_report.Report:
    with unit_of_work() as db:
        return trend_report.report(db, trend_report.places(db, place.head), f, now, ZONE)


def assert_matches_recount(place: TrendPrison, f: Filters) -> None:
    got = report(place, f)
    want = recount(place.prison_id, f, ZONE)
    assert {w.week: {"concern": w.concern, "protective": w.protective, "flagged": w.flagged}
            for w in got.weeks} == want.weeks
    assert {w.wing_id: {"concern": w.concern, "protective": w.protective}
            for w in got.wings if w.concern or w.protective} == want.wings
    assert {c.category: (c.current, c.previous) for c in got.categories
            if c.current or c.previous} == want.categories
    rising = {code: now_before for code, now_before in want.indicators.items()
              if now_before[0] > now_before[1]}
    assert {r.indicator: (r.current, r.previous) for r in got.risers} == rising
    assert [r.rise for r in got.risers] == sorted((r.rise for r in got.risers), reverse=True)


observation = st.tuples(
    st.integers(0, 1),  # which officer
    st.sampled_from(["X", "Y", "Z"]),
    st.integers(0, 3),  # which prisoner on the wing
    st.integers(0, 29 * 24),  # hours before it was sent
    st.lists(st.sampled_from(ALL_CODES), min_size=1, max_size=3, unique=True),
    st.sampled_from(["low", "medium", "high"]),
    st.booleans(),  # manual flag
)
filters = st.fixed_dictionaries({
    "weeks": st.integers(1, 6),
    "last_week": st.sampled_from([THIS_WEEK, THIS_WEEK - timedelta(weeks=1)]),
    "wing": st.sampled_from([None, "X", "Y", "Z"]),
    "category": st.sampled_from([None, *CATEGORIES]),
    "concern": st.sampled_from([None, "low", "medium", "high"]),
})


@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
@given(batch=st.lists(observation, max_size=8), choice=filters)
def test_the_numbers_equal_an_independent_count_for_any_data_and_filters(batch, choice):
    place = shared_prison()
    for officer, wing, n, hours_ago, indicators, concern, flag in batch:
        who = place.officers[officer]
        if wing == ("Z" if officer == 0 else "X"):  # not one of this officer's wings
            who = place.officers[1 - officer]
        record(who, place.prisoners[wing][n], hours_ago=hours_ago, indicators=tuple(indicators),
               concern=concern, flag=flag)
    f = Filters(last_week=choice["last_week"], weeks=choice["weeks"],
                wing_id=place.wings[choice["wing"]] if choice["wing"] else None,
                category=choice["category"], concern=choice["concern"])
    assert_matches_recount(place, f)


def test_the_counts_stay_exact_when_officers_send_at_the_same_time():
    place = new_prison()

    def send(officer: int) -> None:
        who = place.officers[officer]
        wing = "X" if officer == 0 else "Z"
        for n in range(12):
            record(who, place.prisoners[wing][n % 4], hours_ago=n * 20,
                   indicators=(codes("concern")[n % 5], codes("protective")[n % 3]),
                   concern="high", flag=n % 4 == 0)

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(send, [0, 1, 0, 1]))
    f = Filters(last_week=THIS_WEEK, weeks=2)
    assert sum(w.total for w in report(place, f).weeks) == 48
    assert_matches_recount(place, f)


def test_a_rebuild_counts_what_ingest_counted():
    place = new_prison()
    for n in range(6):
        record(place.officers[0], place.prisoners["X"][n % 4], hours_ago=n * 30,
               indicators=(codes("concern")[n], codes("protective")[0]), flag=n == 2)
    before = _rollups(place.prison_id)
    assert before[0] and before[1]
    with unit_of_work() as db:
        trends.rebuild(db, catalogue.catalogues(), ZONE, batch=7)
    assert _rollups(place.prison_id) == before


def _rollups(prison_id: str) -> tuple[list, ...]:
    """This prison's rows only: other tests also store observations without the ingest path."""
    with unit_of_work() as db:
        return tuple(sorted(tuple(row) for row in db.execute(select(
            *model.__table__.columns).where(model.prison_id == prison_id)).all())
            for model in (TrendWeek, TrendIndicatorWeek, TrendDecision))


def test_time_to_decision_and_outcomes_count_first_decisions_against_72_hours():
    place = new_prison()
    screener, second = place.screeners
    delays = {0: ("no_further_action", 2), 1: ("no_further_action", 10),
              2: ("refer_support", 30), 3: ("refer_support", 50), 4: ("monitor", 80),
              5: ("no_further_action", 100)}
    for n, (outcome, hours) in delays.items():
        prisoner = place.prisoners["XY"[n % 2]][n // 2]
        opened = tick()
        record(place.officers[0], prisoner, flag=True, now=opened)
        item = _open_item(prisoner)
        decided = opened + timedelta(hours=hours)
        with unit_of_work() as db:
            screening.claim(db, screener, item, decided - timedelta(minutes=5))
            screening.decide(db, screener, item, outcome, "Reasons of the screener, long enough.",
                             decided, ingest_context().cipher,
                             review_on=decided + timedelta(days=2),
                             support_kind="mental_health")
    monitored = _open_item(place.prisoners["X"][2])
    again = BASE + timedelta(days=6)
    with unit_of_work() as db:  # the monitored item comes back and gets a second decision
        screening.claim(db, second, monitored, again)
        screening.decide(db, second, monitored, "no_further_action",
                         "Nothing further seen while monitored.", again, ingest_context().cipher)
    record(place.officers[1], place.prisoners["Z"][0], flag=True)  # open, not yet decided
    got = report(place, Filters(last_week=THIS_WEEK + timedelta(weeks=1), weeks=3),
                 now=BASE + timedelta(days=5))
    s = got.screening
    assert (s.decided, s.within_target) == (6, 4)  # 2, 10, 30, 50 | 80, 100 hours
    assert s.median_hours == pytest.approx(40, abs=0.01)
    assert s.p90_hours == pytest.approx(100, abs=0.01)
    assert got.outcomes == {"no_further_action": 4, "refer_support": 2, "monitor": 1}
    assert (s.open_now, s.awaiting_decision, s.overdue) == (1, 1, 1)


def _open_item(prisoner_id: str) -> int:
    with unit_of_work() as db:
        return db.scalar(select(ScreeningItem.id).where(ScreeningItem.prisoner_id == prisoner_id,
                                                        ScreeningItem.closed_at.is_(None)))


def test_only_security_heads_see_trends_and_only_of_their_prison():
    place, other = new_prison(), new_prison()
    others = [identity(name) for name in ("officer1", "screener1", "admin1")]
    with unit_of_work() as db:
        for who in others:
            with pytest.raises(NotAllowed):
                trend_report.places(db, who)
        mine = trend_report.places(db, place.head)
        with pytest.raises(NotAllowed):
            trend_report.report(db, mine, Filters(THIS_WEEK, prison_id=other.prison_id),
                                BASE, ZONE)
        with pytest.raises(NotAllowed):
            trend_report.report(db, mine, Filters(THIS_WEEK, wing_id=other.wings["X"]),
                                BASE, ZONE)
        assert {p.prison_id for p in mine} == {place.prison_id}


def test_a_security_head_of_the_central_service_sees_every_prison():
    central = replace(new_prison().head, prison_id=None, central=True)
    with unit_of_work() as db:
        everywhere = {p.prison_id for p in trend_report.places(db, central)}
        prisons = set(db.scalars(select(Wing.prison_id)))  # every prison that has wings
    assert everywhere == prisons


def test_an_export_writes_an_audit_row_with_who_what_and_the_filters():
    place, officer = new_prison(), identity("officer1")
    with unit_of_work() as db:
        trend_report.log_export(db, place.head, "csv", "/trends?wing=X&weeks=26", BASE)
        with pytest.raises(NotAllowed):
            trend_report.log_export(db, officer, "csv", "/trends", BASE)
    with unit_of_work() as db:
        row = db.scalars(select(AuditEntry).where(AuditEntry.actor_id == place.head.user_id)
                         ).one()
    assert (row.action, row.purpose, row.detail, row.at) == (
        "export", "trends csv", "/trends?wing=X&weeks=26", BASE)
    assert row.prisoner_id is None
