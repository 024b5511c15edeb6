"""Trend test data: a prison of its own per test (so other tests' observations never enter the
counts), observations made through the real ingest path, and an independent recount of them."""

from __future__ import annotations

import itertools
import secrets
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from app.db import unit_of_work
from app.models import (Observation, Posting, Prison, Prisoner, ScreeningTrigger, User,
                        Wing)
from app.runtime import ingest_context
from app.services import accounts, catalogue, flag_rules
from app.services.observations import Item, ObservationInput, ingest
from app.services.trend_report import Filters
from app.vocabulary import PostingScope
from tests.helpers import POSTED_SINCE

BASE = datetime(2026, 6, 3, 9, 0, tzinfo=UTC)  # a Wednesday
_ticks = itertools.count()


def tick() -> datetime:
    """Server time of the next ingest: strictly later each time, so 'received last' is clear."""
    return BASE + timedelta(seconds=next(_ticks))


@dataclass(frozen=True)
class TrendPrison:
    prison_id: str
    wings: dict[str, str]  # code -> id
    prisoners: dict[str, list[str]]  # wing code -> prisoner ids
    officers: tuple[accounts.Identity, ...]  # the first on wings X and Y, the second on Y and Z
    head: accounts.Identity
    screeners: tuple[accounts.Identity, ...]


def new_prison(prisoners_per_wing: int = 4) -> TrendPrison:
    tag = secrets.token_hex(3)
    with unit_of_work() as db:
        prison = Prison(code=f"T{tag}", name=f"Trend test prison {tag}")
        wings = {code: Wing(code=code, name=f"Wing {code}", prison=prison) for code in "XYZ"}
        db.add_all([prison, *wings.values()])
        db.flush()
        roster = {code: [Prisoner(prison_id=prison.id, wing_id=wing.id, number=f"{tag}-{code}{n}",
                                  given_name="Test", family_name=f"Trend{n}")
                         for n in range(prisoners_per_wing)] for code, wing in wings.items()}
        db.add_all([p for people in roster.values() for p in people])

        def user(role: str, wing_codes: str = "") -> User:
            account = User(username=f"{role[:4]}-{secrets.token_hex(4)}", display_name=role,
                           role=role, password_hash="x", prison_id=prison.id, created_at=BASE)
            db.add(account)
            db.add_all([Posting(user=account, scope=PostingScope.WING, prison_id=prison.id,
                                wing=wings[c], valid_from=POSTED_SINCE, created_at=BASE)
                        for c in wing_codes] or [
                Posting(user=account, scope=PostingScope.PRISON, prison_id=prison.id,
                        valid_from=POSTED_SINCE, created_at=BASE)])
            return account

        users = [user("officer", "XY"), user("officer", "YZ"), user("security_head"),
                 user("treatment"), user("treatment")]
        db.flush()
        who = [accounts.identity_of(db, u) for u in users]
        return TrendPrison(prison.id, {c: w.id for c, w in wings.items()},
                           {c: [p.id for p in people] for c, people in roster.items()},
                           (who[0], who[1]), who[2], (who[3], who[4]))


def record(who: accounts.Identity, prisoner_id: str, *, hours_ago: float = 1,
           indicators: tuple[str, ...] = (), concern: str = "medium", flag: bool = False,
           now: datetime | None = None) -> str:
    """One observation through the real ingest path; returns its id."""
    now = now or tick()
    obs_id = str(uuid.uuid4())
    obs = ObservationInput(
        prisoner_id=prisoner_id, occurred_at=now - timedelta(hours=hours_ago), recorded_at=None,
        location=catalogue.locations()[0].code, catalogue_version=catalogue.current().version,
        indicators=indicators or (codes("concern")[0],), facts="Facts for a trend test.",
        assessment=None, source="direct", concern=concern, flag=flag,
        flag_reason="Flagged in a trend test." if flag else None)
    with unit_of_work() as db:
        (result,) = ingest(db, who, "trend-test", [Item(obs_id, obs, "h" + obs_id)], now,
                           ingest_context())
    assert result.status == "created", result
    return obs_id


def codes(kind: str, immediate: bool = False) -> list[str]:
    return [i.code for i in catalogue.current().indicators.values()
            if i.kind == kind and i.immediate == immediate]


# --- the independent count: straight from the observation rows and the triggers ---------------


@dataclass(frozen=True)
class Expected:
    weeks: dict[date, dict[str, int]]  # week -> concern, protective, flagged
    wings: dict[str, dict[str, int]]  # wing id -> concern, protective
    categories: dict[str, tuple[int, int]]  # category -> (this period, previous period)
    indicators: dict[str, tuple[int, int]]  # indicator -> (this period, previous period)


def monday(moment: datetime, zone) -> date:
    day = moment.astimezone(zone).date()
    return day - timedelta(days=day.weekday())


def recount(prison_id: str, f: Filters, zone) -> Expected:
    with unit_of_work() as db:
        rows = db.execute(select(Observation).where(Observation.prison_id == prison_id)
                          ).scalars().all()
        raised = _raised(db, [r.id for r in rows])
    kinds = {i.category: i.kind for i in catalogue.current().indicators.values()}
    categories_of = {i.code: i.category for i in catalogue.current().indicators.values()}
    weeks = {w: {"concern": 0, "protective": 0, "flagged": 0} for w in f.period_weeks()}
    wings: dict[str, dict[str, int]] = defaultdict(lambda: {"concern": 0, "protective": 0})
    cats: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    ticks: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        week = monday(row.occurred_at, zone)
        if not (f.previous_first_week <= week <= f.last_week) or \
                (f.wing_id and row.wing_id != f.wing_id) or (f.concern and row.concern != f.concern):
            continue
        period = 0 if week >= f.first_week else 1
        for category in set(row.categories):
            if f.category in (None, category):
                cats[category][period] += 1
        for code in row.indicators:
            if f.category in (None, categories_of[code]):
                ticks[code][period] += 1
        if period or (f.category and f.category not in row.categories):
            continue
        kind = kinds[f.category] if f.category else (
            "concern" if row.concern_observation else "protective")
        weeks[week][kind] += 1
        weeks[week]["flagged"] += row.id in raised
        wings[row.wing_id][kind] += 1
    return Expected(weeks, dict(wings), {k: tuple(v) for k, v in cats.items()},
                    {k: tuple(v) for k, v in ticks.items()})


def _raised(db, ids: list[str]) -> set[str]:
    """Observations that raised a flag: named by an R1 or R2 trigger, or the one of an R3
    trigger's observations that arrived in the same ingest as the trigger (the last to arrive:
    but officers sending at once can commit in another order than their clocks read)."""
    triggers = db.execute(select(ScreeningTrigger.rule_id, ScreeningTrigger.observation_ids,
                                 ScreeningTrigger.created_at)).all()
    received = dict(db.execute(select(Observation.id, Observation.received_at)
                               .where(Observation.id.in_(ids))).all())
    raised: set[str] = set()
    for rule_id, group, at in triggers:
        mine = [i for i in group if i in received]
        if rule_id == flag_rules.PATTERN.id and mine:
            same = [i for i in mine if received[i] == at]
            raised.add(same[0] if same else max(mine, key=received.__getitem__))
        elif rule_id != flag_rules.PATTERN.id:
            raised.update(mine)
    return raised
