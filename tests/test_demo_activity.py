"""Demo activity's background half-year: the plan it draws, and what setting it up leaves behind.

The plan is checked on its own (no database) for a `now` on each day of the week, because this
week is only filled as far as `now`. The set-up runs as an operator would, in a fresh data dir:
the shared test database starts from the bare demo and must stay that way.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import create_engine, func, select

from app.models import ScreeningItem, ScreeningTrigger
from app.services import catalogue, demo_activity, flag_rules, screening
from app.services.demo_activity import DAY, RECEIVED_AFTER, background
from app.services.trends import week_of
from app.vocabulary import Outcome, SupportKind, parse

ZONE = ZoneInfo("Europe/Belgrade")
ROSTERS = {"A": 20, "B": 20, "C": 20}  # app/services/demo.py: 60 prisoners over wings A-C
NOWS = [datetime(2026, 11, 16, 9, 30, tzinfo=UTC) + timedelta(days=n, hours=n) for n in range(7)]


def _at(entry, now: datetime) -> datetime:
    return now - entry.days_ago * DAY


def _is_concern(entry) -> bool:
    return catalogue.current().indicators[entry.indicators[0]].kind == "concern"


@pytest.mark.parametrize("now", NOWS, ids=lambda now: now.strftime("%a"))
def test_background_stays_out_of_the_queue_and_of_the_fortnight(now):
    entries, _ = background(now, ZONE, ROSTERS)
    fortnight = {(e.wing, e.prisoner) for e in demo_activity.ENTRIES}
    assert {e.wing for e in entries} == {"A", "B"}  # the wings with a demo officer
    assert not {(e.wing, e.prisoner) for e in entries} & fortnight
    concerns: dict[tuple[str, int], list[datetime]] = {}
    for entry in filter(_is_concern, entries):
        concerns.setdefault((entry.wing, entry.prisoner), []).append(_at(entry, now))
    for times in concerns.values():  # rule R3 needs three within its window
        assert all(sum(t <= u <= t + flag_rules.PATTERN_WINDOW for u in times) <= 2
                   for t in times)
    assert all(_at(e, now) + RECEIVED_AFTER < now for e in entries)


def test_background_uses_catalogue_codes_that_do_not_raise_a_flag_by_themselves():
    current = catalogue.current()
    locations = {location.code for location in catalogue.locations()}
    facts = [*(f for fs in demo_activity.CONCERN_FACTS.values() for f in fs),
             *demo_activity.PROTECTIVE_FACTS]
    for fact in facts:
        indicator = current.indicators[fact.indicator]
        assert not indicator.immediate and fact.location in locations and fact.text
    for category, fs in demo_activity.CONCERN_FACTS.items():
        assert {current.indicators[f.indicator].category for f in fs} == {category}
        assert {current.indicators[f.indicator].kind for f in fs} == {"concern"}
    assert {current.indicators[f.indicator].kind
            for f in demo_activity.PROTECTIVE_FACTS} == {"protective"}
    assert (set(demo_activity.CONCERN_WEIGHTS) == set(demo_activity.CONCERN_FACTS)
            == set(demo_activity.FLAG_REASONS))


@pytest.mark.parametrize("now", NOWS, ids=lambda now: now.strftime("%a"))
def test_background_weeks_are_steady_and_hostility_and_pressure_rise(now):
    entries, _ = background(now, ZONE, ROSTERS)
    this_week = week_of(now, ZONE)
    weeks = Counter((week_of(_at(e, now), ZONE), _is_concern(e)) for e in entries)
    for back in range(1, demo_activity.BACKGROUND_WEEKS):  # whole weeks only
        week = this_week - timedelta(weeks=back)
        assert 10 <= weeks[(week, True)] <= 16 and 5 <= weeks[(week, False)] <= 9, week

    def rising(first: int, last: int) -> int:  # weeks back, inclusive
        return sum(1 for e in entries if e.indicators[0] in demo_activity.RISING
                   and this_week - timedelta(weeks=last) <= week_of(_at(e, now), ZONE)
                   <= this_week - timedelta(weeks=first))

    assert rising(1, 8) >= 2 * rising(9, 16) > 0


@pytest.mark.parametrize("now", NOWS, ids=lambda now: now.strftime("%a"))
def test_background_flags_are_screened_within_days_and_mostly_closed(now):
    entries, reviews = background(now, ZONE, ROSTERS)
    flagged = [e for e in entries if e.flag_reason is not None]
    assert 15 <= len(flagged) == len(reviews) <= 19  # about one every ten days
    assert len({(e.wing, e.prisoner) for e in flagged}) == len(flagged)  # one item each
    by_man = {(e.wing, e.prisoner): e for e in flagged}
    for review in reviews:
        written = _at(by_man[(review.wing, review.prisoner)], now)
        assert written + RECEIVED_AFTER < review.claimed_at < review.decided_at
        assert timedelta(hours=6) <= review.decided_at - written <= timedelta(days=5)
        assert parse(Outcome, review.decision.outcome) is not None
        assert len(review.decision.reason) >= screening.MIN_REASON
        if review.decision.outcome == "refer_support":
            assert parse(SupportKind, review.decision.support_kind) is not None
        if review.decision.outcome == "refer_assessment":
            assert review.signer not in (None, review.screener)
            assert review.decided_at < review.signed_at < now
    open_ones = [r for r in reviews if r.decision.outcome == "monitor"]
    assert len(open_ones) == 1 and open_ones[0].review_on < now - timedelta(days=30)
    assert {r.screener for r in reviews} == {"screener1", "screener2"}


def test_background_is_the_same_every_time():
    assert background(NOWS[3], ZONE, ROSTERS) == background(NOWS[3], ZONE, ROSTERS)


def test_setting_up_the_demo_activity_leaves_a_short_queue_once(tmp_path):
    env = {**os.environ, "WINGWATCH_DATA_DIR": str(tmp_path), "WINGWATCH_DEMO": "1",
           "WINGWATCH_DATABASE_URL": f"sqlite:///{tmp_path / 'ww.db'}"}

    def set_up() -> str:
        done = subprocess.run([sys.executable, "-m", "app.cli", "setup", "--demo-activity"],
                              env=env, capture_output=True, text=True, timeout=120, check=False)
        assert done.returncode == 0, done.stderr
        return done.stdout

    assert "Demo activity recorded." in set_up()
    assert "Demo activity already present." in set_up()
    engine = create_engine(env["WINGWATCH_DATABASE_URL"])
    with engine.connect() as conn:
        open_items = conn.scalar(select(func.count()).select_from(ScreeningItem)
                                 .where(ScreeningItem.closed_at.is_(None)))
        rules = Counter(conn.scalars(select(ScreeningTrigger.rule_id)))
    # The fortnight's five, and the background's one monitored item due for review.
    assert open_items == 6
    assert rules[flag_rules.PATTERN.id] == 1 and rules[flag_rules.IMMEDIATE.id] == 1
