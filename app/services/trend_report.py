"""What a security head's trends page shows, read from the trend tables (app/services/trends.py).

Exact counts only: the suppression of small numbers belongs to what leaves the server
(app/views/trends.py), so tests can check both the numbers and the suppression. Nothing here
names a person; the finest grain is wing x week x category.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import case, exists, func, select
from sqlalchemy.orm import Session

from app.models import (
    Prison,
    Prisoner,
    ScreeningEvent,
    ScreeningItem,
    TrendDecision,
    TrendIndicatorWeek,
    TrendWeek,
    Wing,
)
from app.services import audit
from app.services.accounts import Identity
from app.services.trends import ALL, restricted_now
from app.vocabulary import Role

TARGET_HOURS = 72
MAX_WEEKS = 156  # three years


class NotAllowed(Exception):
    """Not a security head, or a prison or wing outside theirs."""


@dataclass(frozen=True)
class Place:
    prison_id: str
    prison_code: str
    prison_name: str
    wing_id: str
    wing_code: str


@dataclass(frozen=True)
class Filters:
    last_week: date  # a Monday
    weeks: int = 12
    prison_id: str | None = None
    wing_id: str | None = None
    category: str | None = None
    concern: str | None = None

    @property
    def first_week(self) -> date:
        return self.last_week - timedelta(weeks=self.weeks - 1)

    @property
    def previous_first_week(self) -> date:
        return self.first_week - timedelta(weeks=self.weeks)

    def period_weeks(self) -> list[date]:
        return [self.first_week + timedelta(weeks=n) for n in range(self.weeks)]


@dataclass(frozen=True)
class WeekCount:
    week: date
    concern: int = 0
    protective: int = 0
    flagged: int = 0

    @property
    def total(self) -> int:
        return self.concern + self.protective


@dataclass(frozen=True)
class WingCount:
    wing_id: str
    concern: int
    protective: int


@dataclass(frozen=True)
class CategoryCount:
    category: str
    kind: str
    current: int
    previous: int


@dataclass(frozen=True)
class IndicatorRise:
    indicator: str
    category: str
    current: int
    previous: int

    @property
    def rise(self) -> int:
        return self.current - self.previous


@dataclass(frozen=True)
class ScreeningSummary:
    open_now: int
    awaiting_decision: int
    overdue: int
    decided: int = 0  # first decisions made in the period
    within_target: int = 0  # of them, made within TARGET_HOURS of the first flag
    median_hours: float | None = None
    p90_hours: float | None = None  # nearest rank: 90 % of first decisions took no longer


@dataclass(frozen=True)
class Report:
    filters: Filters
    weeks: list[WeekCount]
    wings: list[WingCount]
    categories: list[CategoryCount]
    risers: list[IndicatorRise]  # every indicator that rose, the largest rise first
    screening: ScreeningSummary
    outcomes: dict[str, int] = field(default_factory=dict)


def places(db: Session, who: Identity) -> list[Place]:
    """The prisons and wings this security head may look at: the prison they are posted to,
    or every prison for one posted to the central service; none without a posting."""
    if who.role != Role.SECURITY_HEAD:
        raise NotAllowed("trends are for security heads")
    if not who.central and who.prison_id is None:
        return []
    query = (select(Prison.id, Prison.code, Prison.name, Wing.id, Wing.code)
             .join(Wing, Wing.prison_id == Prison.id).order_by(Prison.code, Wing.code))
    if not who.central:
        query = query.where(Prison.id == who.prison_id)
    return [Place(*row) for row in db.execute(query).all()]


def report(db: Session, allowed: list[Place], filters: Filters, now: datetime,
           zone: ZoneInfo) -> Report:
    """The numbers for `filters`, within `allowed`: what places() gave the person asking (it
    refuses anyone but a security head), so a page reads them once per event."""
    if not 1 <= filters.weeks <= MAX_WEEKS or filters.last_week.weekday() != 0:
        raise ValueError("a period is 1 to 156 whole weeks")
    prisons = _prisons_in_view(allowed, filters)
    wings = [p.wing_id for p in allowed if p.prison_id in prisons
             and filters.wing_id in (None, p.wing_id)]
    return Report(
        filters=filters,
        weeks=_weeks(db, prisons, filters),
        wings=_wings(db, prisons, wings, filters),
        categories=_categories(db, prisons, filters),
        risers=_risers(db, prisons, filters),
        screening=_screening(db, prisons, filters, now, zone),
        outcomes=_outcomes(db, prisons, filters, zone),
    )


def _prisons_in_view(allowed: list[Place], filters: Filters) -> list[str]:
    prisons = sorted({p.prison_id for p in allowed})
    if filters.prison_id is not None and filters.prison_id not in prisons:
        raise NotAllowed("other prison")
    if filters.wing_id is not None and not any(
            p.wing_id == filters.wing_id and filters.prison_id in (None, p.prison_id)
            for p in allowed):
        raise NotAllowed("other wing")
    return [filters.prison_id] if filters.prison_id else prisons


def _in_week_range(model, prisons: list[str], filters: Filters, first: date) -> list:
    return [model.prison_id.in_(prisons), model.week >= first, model.week <= filters.last_week]


def _observations(prisons: list[str], filters: Filters, first: date, category) -> list:
    """trend_week rows for the filters: the wing's own rows, or the whole prison's ("*")."""
    conditions = [*_in_week_range(TrendWeek, prisons, filters, first), category,
                  TrendWeek.wing_id == (filters.wing_id or ALL)]
    if filters.concern:
        conditions.append(TrendWeek.concern == filters.concern)
    return conditions


def _weeks(db: Session, prisons: list[str], filters: Filters) -> list[WeekCount]:
    counts: dict[date, dict[str, int]] = {w: {} for w in filters.period_weeks()}
    query = (select(TrendWeek.week, TrendWeek.kind, func.sum(TrendWeek.observations),
                    func.sum(TrendWeek.flagged))
             .where(*_observations(prisons, filters, filters.first_week,
                                   TrendWeek.category == (filters.category or ALL)))
             .group_by(TrendWeek.week, TrendWeek.kind))
    for week, kind, observations, flagged in db.execute(query):
        cell = counts[week]
        cell[kind] = int(observations)
        cell["flagged"] = cell.get("flagged", 0) + int(flagged)
    return [WeekCount(week, **cell) for week, cell in counts.items()]


def _wings(db: Session, prisons: list[str], wings: list[str], filters: Filters
           ) -> list[WingCount]:
    counts: dict[str, dict[str, int]] = {}
    conditions = [*_in_week_range(TrendWeek, prisons, filters, filters.first_week),
                  TrendWeek.wing_id.in_(wings), TrendWeek.category == (filters.category or ALL)]
    if filters.concern:
        conditions.append(TrendWeek.concern == filters.concern)
    query = (select(TrendWeek.wing_id, TrendWeek.kind, func.sum(TrendWeek.observations))
             .where(*conditions).group_by(TrendWeek.wing_id, TrendWeek.kind))
    for wing_id, kind, observations in db.execute(query):
        counts.setdefault(wing_id, {"concern": 0, "protective": 0})[kind] = int(observations)
    return [WingCount(wing_id, **cell) for wing_id, cell in counts.items()]


def _two_periods(model, filters: Filters):
    """Sums for the period and for the one of the same length just before it."""
    current = model.week >= filters.first_week
    return (func.sum(case((current, model.observations), else_=0)),
            func.sum(case((current, 0), else_=model.observations)))


def _categories(db: Session, prisons: list[str], filters: Filters) -> list[CategoryCount]:
    category = (TrendWeek.category == filters.category if filters.category
                else TrendWeek.category != ALL)
    query = (select(TrendWeek.category, TrendWeek.kind, *_two_periods(TrendWeek, filters))
             .where(*_observations(prisons, filters, filters.previous_first_week, category))
             .group_by(TrendWeek.category, TrendWeek.kind).order_by(TrendWeek.category))
    return [CategoryCount(category, kind, int(now), int(before))
            for category, kind, now, before in db.execute(query)]


def _risers(db: Session, prisons: list[str], filters: Filters) -> list[IndicatorRise]:
    model = TrendIndicatorWeek
    conditions = [*_in_week_range(model, prisons, filters, filters.previous_first_week),
                  model.wing_id == (filters.wing_id or ALL),
                  model.concern == (filters.concern or ALL)]
    if filters.category:
        conditions.append(model.category == filters.category)
    query = (select(model.indicator, model.category, *_two_periods(model, filters))
             .where(*conditions).group_by(model.indicator, model.category))
    rises = [IndicatorRise(code, category, int(now), int(before))
             for code, category, now, before in db.execute(query)]
    return sorted((r for r in rises if r.rise > 0), key=lambda r: (-r.rise, r.indicator))


def _bounds(filters: Filters, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The period as instants: local midnight of its first Monday to that after its last week."""
    start = datetime.combine(filters.first_week, time(), tzinfo=zone).astimezone(UTC)
    end = datetime.combine(filters.last_week + timedelta(weeks=1), time(), tzinfo=zone)
    return start, end.astimezone(UTC)


def _decisions(prisons: list[str], filters: Filters, zone: ZoneInfo) -> list:
    start, end = _bounds(filters, zone)
    conditions = [TrendDecision.prison_id.in_(prisons), TrendDecision.decided_at >= start,
                  TrendDecision.decided_at < end]
    if filters.wing_id:
        conditions.append(TrendDecision.wing_id == filters.wing_id)
    return conditions


def _outcomes(db: Session, prisons: list[str], filters: Filters, zone: ZoneInfo
              ) -> dict[str, int]:
    query = (select(TrendDecision.outcome, func.count())
             .where(*_decisions(prisons, filters, zone)).group_by(TrendDecision.outcome))
    return {outcome: int(n) for outcome, n in db.execute(query)}


def _screening(db: Session, prisons: list[str], filters: Filters, now: datetime,
               zone: ZoneInfo) -> ScreeningSummary:
    decided = exists().where(ScreeningEvent.item_id == ScreeningItem.id,
                             ScreeningEvent.kind == "decision")
    query = (select(ScreeningItem.opened_at, decided)
             .join(Prisoner, Prisoner.id == ScreeningItem.prisoner_id)
             .where(ScreeningItem.prison_id.in_(prisons), ScreeningItem.closed_at.is_(None),
                    # a restricted prisoner's items are withheld, as their counts are
                    ScreeningItem.prisoner_id.not_in(restricted_now())))
    if filters.wing_id:
        query = query.where(Prisoner.wing_id == filters.wing_id)
    open_items = db.execute(query).all()
    waiting = [opened for opened, has_decision in open_items if not has_decision]
    late = now - timedelta(hours=TARGET_HOURS)
    return ScreeningSummary(open_now=len(open_items), awaiting_decision=len(waiting),
                            overdue=sum(1 for opened in waiting if opened < late),
                            **_delays(db, prisons, filters, zone))


def _delays(db: Session, prisons: list[str], filters: Filters, zone: ZoneInfo) -> dict:
    """Count, median and 90th percentile of first decisions' delays, ranked in the database:
    over three years of a national service that is tens of thousands of values."""
    hours = TrendDecision.hours_to_first
    conditions = [*_decisions(prisons, filters, zone), hours.is_not(None)]
    n, within = db.execute(select(func.count(), func.sum(case((hours <= TARGET_HOURS, 1),
                                                              else_=0)))
                           .where(*conditions)).one()
    if not n:
        return {}
    middle = {(n + 1) // 2, n // 2 + 1}  # one rank when n is odd, the two middle ones if even
    p90 = -(-9 * n // 10)  # ceil(0.9 n)
    ranked = select(hours, func.row_number().over(order_by=hours).label("rank")
                    ).where(*conditions).subquery()
    values = dict(db.execute(select(ranked.c.rank, ranked.c.hours_to_first)
                             .where(ranked.c.rank.in_(middle | {p90}))).all())
    return {"decided": n, "within_target": int(within),
            "median_hours": sum(values[r] for r in middle) / len(middle),
            "p90_hours": values[p90]}


def log_export(db: Session, who: Identity, what: str, filters: str, now: datetime) -> None:
    """A disclosure (LED Art. 25): who took which view out of the app, and when."""
    if who.role != Role.SECURITY_HEAD:
        raise NotAllowed("trends are for security heads")
    audit.append(db, at=now, action=audit.Action.EXPORT, actor_id=who.user_id,
                 record_id="trends", purpose=f"trends {what}", detail=filters)
