"""What the trends page shows: the report's numbers, with every count from 1 to 4 withheld.

No Reflex here. The page, its websocket frames, the CSV export and the print view are all made
from these views, and a count from 1 to 4 never enters them: tables say "<5", charts get no value
(a gap in the bar), and a share, median or change that would let one work a small count out is
not shown either. Nor is a count that would give a "<5" away by one subtraction, such as a
week's "All" beside its "Concern" (see suppress()); such a count says "–".
"""

from __future__ import annotations

import csv
import io
from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import urlencode

from app.services.catalogue import Catalogue
from app.services.trend_report import (
    TARGET_HOURS,
    CategoryCount,
    Filters,
    IndicatorRise,
    Place,
    Report,
)
from app.views.screening import CONCERN_LABELS, OUTCOME_LABELS, plain
from app.views.suppression import (
    NOT_SHOWN,
    Cells,
    change,
    hours,
    plotted,
    shown,
    small,
    suppress,
)

PERIOD_WEEKS = (4, 12, 26, 52, 104, 156)
TOP_RISERS = 10
# Short names for chart axes; the tables carry the catalogue's full labels. Keyed by category
# code, which every catalogue version keeps.
SHORT_CATEGORY = {
    "C01": "Support for violence", "C02": "Threats to harm", "C03": "Hostility, us/them",
    "C04": "Pressure, recruitment", "C05": "Contacts", "C06": "Extremist material",
    "C07": "Withdrawal", "C08": "Change in behaviour", "C09": "Ideological grievance",
    "C10": "Capability, preparation", "C11": "Protective",
}


def week_label(week: date, long_period: bool) -> str:
    """A chart axis label: the year too when the period spans more than one."""
    return f"{week.day} {week:%b %y}" if long_period else f"{week.day} {week:%b}"


# --- filters, as the URL spells them ---------------------------------------------------------


@dataclass(frozen=True)
class TrendFilters:
    prison: str = ""  # prison code
    wing: str = ""  # wing code within the prison
    category: str = ""
    level: str = ""
    weeks: int = 12
    end: str = ""  # a day of the period's last week, YYYY-MM-DD; '' is this week

    @classmethod
    def from_query(cls, params: dict[str, str], places: list[Place],
                   categories: dict[str, str], this_week: date) -> TrendFilters:
        """Whatever the URL says; what the page does not offer falls back to 'everything'."""
        prisons = {p.prison_code for p in places}
        prison = params.get("prison", "")
        if prison not in prisons:
            prison = next(iter(prisons)) if len(prisons) == 1 else ""
        wing = params.get("wing", "")
        if not any(p.prison_code == prison and p.wing_code == wing for p in places):
            wing = ""
        return cls(prison=prison, wing=wing,
                   category=params.get("category", "") if params.get("category") in categories
                   else "",
                   level=params.get("level", "") if params.get("level") in CONCERN_LABELS else "",
                   weeks=period_weeks(params.get("weeks", "")),
                   end=_end(params.get("end", ""), this_week))

    def to_url(self, path: str) -> str:
        params = {"prison": self.prison, "wing": self.wing, "category": self.category,
                  "level": self.level, "weeks": "" if self.weeks == 12 else str(self.weeks),
                  "end": self.end}
        query = urlencode({k: plain(v) for k, v in params.items() if v})  # handlers pass raw text
        return f"{path}?{query}" if query else path

    def for_report(self, places: list[Place], this_week: date) -> Filters:
        prison = next((p for p in places if p.prison_code == self.prison), None)
        wing = next((p for p in places if p.prison_code == self.prison
                     and p.wing_code == self.wing), None)
        last = date.fromisoformat(self.end) if self.end else this_week
        return Filters(last_week=last - timedelta(days=last.weekday()), weeks=self.weeks,
                       prison_id=prison.prison_id if prison else None,
                       wing_id=wing.wing_id if wing else None,
                       category=self.category or None, concern=self.level or None)


def period_weeks(value: str) -> int:
    """One of the periods the page offers; anything else (also '²', which isdigit() takes but
    int() refuses, or 5000 digits) is the default 12."""
    weeks = int(value) if value.isascii() and value.isdigit() and len(value) <= 3 else 0
    return weeks if weeks in PERIOD_WEEKS else 12


# The earliest last week a period and the one before it can both be counted back from.
_FIRST_END = date.min + timedelta(weeks=2 * max(PERIOD_WEEKS) + 1)


def _end(value: str, this_week: date) -> str:
    """A past or current week's Monday; a later, malformed or impossibly early date (0001-01-01
    would count back before the calendar's first day) means 'this week'."""
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        return ""
    monday = day - timedelta(days=day.weekday())
    return "" if monday >= this_week or monday < _FIRST_END else monday.isoformat()


# --- the page's content ----------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    title: str
    headers: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class Tile:
    label: str
    value: str
    note: str = ""


@dataclass(frozen=True)
class TrendsView:
    scope: str = ""
    period: str = ""
    tiles: list[Tile] = field(default_factory=list)
    screening_tiles: list[Tile] = field(default_factory=list)
    weekly_chart: list[dict] = field(default_factory=list)
    wing_chart: list[dict] = field(default_factory=list)
    category_chart: list[dict] = field(default_factory=list)
    outcome_chart: list[dict] = field(default_factory=list)
    weekly: Table = Table("", [], [])
    wings: Table = Table("", [], [])
    categories: Table = Table("", [], [])
    flags: Table = Table("", [], [])
    screening: Table = Table("", [], [])
    outcomes: Table = Table("", [], [])
    risers: Table = Table("", [], [])

    def tables(self) -> list[Table]:
        return [self.weekly, self.wings, self.categories, self.flags, self.screening,
                self.outcomes, self.risers]


def trends_view(report: Report, places: list[Place], catalogue: Catalogue,
                filters: TrendFilters) -> TrendsView:
    weeks = report.weeks
    wings, categories = _wing_rows(report, places), _category_rows(report, catalogue)
    cells = _cells(report, wings, categories)
    text = cells.text
    s = report.screening
    return TrendsView(
        scope=_scope(places, filters),
        period=_period(report.filters),
        tiles=[Tile("Observations", text(("all", "total")), f"{len(weeks)} weeks"),
               Tile("Concern", text(("all", "concern"))),
               Tile("Protective", text(("all", "protective"))),
               Tile("Flagged", text(("all", "flagged")), _share_note(cells))],
        screening_tiles=[
            Tile("Open now", shown(s.open_now), f"{shown(s.awaiting_decision)} awaiting a decision"),
            Tile("Past 72 h without a decision", shown(s.overdue)),
            Tile("Time to decision, median", hours(s.median_hours, s.decided),
                 f"{shown(s.decided)} first decisions in the period"),
            Tile("Time to decision, 90th percentile", hours(s.p90_hours, s.decided),
                 f"target {TARGET_HOURS} h")],
        weekly_chart=[{"week": week_label(w.week, len(weeks) >= 52),
                       "Concern": cells.plot(("week", i, "concern")),
                       "Protective": cells.plot(("week", i, "protective")),
                       "Flagged": cells.plot(("week", i, "flagged"))}
                      for i, w in enumerate(weeks)],
        wing_chart=[{"wing": label, "Concern": cells.plot(("wing", i, "concern")),
                     "Protective": cells.plot(("wing", i, "protective"))}
                    for i, (label, _, _) in enumerate(wings)],
        category_chart=[{"category": SHORT_CATEGORY.get(c.category, c.category),
                         "This period": cells.plot(("category", i, "current")),
                         "Previous period": cells.plot(("category", i, "previous"))}
                        for i, c in enumerate(categories)],
        outcome_chart=[{"outcome": OUTCOME_LABELS.get(o, o), "Decisions": plotted(n)}
                       for o, n in sorted(report.outcomes.items())],
        weekly=Table("Observations per week",
                     ["Week of", "Concern", "Protective", "All"],
                     [[f"{w.week:%d %b %Y}", text(("week", i, "concern")),
                       text(("week", i, "protective")), text(("week", i, "total"))]
                      for i, w in enumerate(weeks)]),
        wings=Table("Observations by wing", ["Wing", "Concern", "Protective"],
                    [[label, text(("wing", i, "concern")), text(("wing", i, "protective"))]
                     for i, (label, _, _) in enumerate(wings)]),
        categories=Table("Observations by indicator category",
                         ["Category", "Kind", "This period", "Previous period", "Change"],
                         [[_category_label(catalogue, c.category), c.kind.capitalize(),
                           text(("category", i, "current")), text(("category", i, "previous")),
                           cells.change(("category", i, "current"),
                                        ("category", i, "previous"))]
                          for i, c in enumerate(categories)]),
        flags=Table("Flags per week", ["Week of", "Observations", "Flagged", "Share flagged"],
                    [[f"{w.week:%d %b %Y}", text(("week", i, "total")),
                      text(("week", i, "flagged")),
                      cells.share(("week", i, "flagged"), ("week", i, "total"))]
                     for i, w in enumerate(weeks)]),
        screening=_screening_table(report),
        outcomes=Table("Decisions by outcome", ["Outcome", "Decisions"],
                       [[OUTCOME_LABELS.get(o, o), shown(n)]
                        for o, n in sorted(report.outcomes.items())]),
        risers=Table("Indicators that rose most against the previous period",
                     ["Indicator", "Category", "Previous period", "This period", "Change"],
                     [[_indicator_label(catalogue, r.indicator),
                       SHORT_CATEGORY.get(r.category, r.category), shown(r.previous),
                       shown(r.current), change(r.current, r.previous)]
                      for r in _risers(report)]),
    )


def _share_note(cells: Cells) -> str:
    value = cells.share(("all", "flagged"), ("all", "total"))
    return "" if value == NOT_SHOWN else f"{value} of observations"


KINDS = ("concern", "protective", "total", "flagged")


def _cells(report: Report, wings: list[tuple[str, int, int]],
           categories: list[CategoryCount]) -> Cells:
    """The counts that add up to one another on the page, and what suppress() withholds.

    Keys: ("week", i, kind) and ("all", kind) for the period's tiles, ("wing", i, kind),
    ("category", i, "current" | "previous"). Flagged is a part of a week's observations, but
    the unflagged rest is not shown, so it adds up only down its column.
    """
    weeks = [{"concern": w.concern, "protective": w.protective, "total": w.total,
              "flagged": w.flagged} for w in report.weeks]
    counts: dict[Hashable, int] = {("all", k): sum(w[k] for w in weeks) for k in KINDS}
    counts |= {("week", i, k): w[k] for i, w in enumerate(weeks) for k in KINDS}
    counts |= {("wing", i, k): n for i, (_, c, p) in enumerate(wings)
               for k, n in (("concern", c), ("protective", p))}
    counts |= {("category", i, k): n for i, c in enumerate(categories)
               for k, n in (("current", c.current), ("previous", c.previous))}
    parts = ("total", "concern", "protective")  # the total first, then what adds up to it
    relations = [[("week", i, k) for k in parts] for i in range(len(weeks))]
    relations += [[("all", k)] + [("week", i, k) for i in range(len(weeks))] for k in KINDS]
    relations += [[("all", k) for k in parts]]
    relations += [[("all", k)] + [("wing", i, k) for i in range(len(wings))]
                  for k in ("concern", "protective")]
    if report.filters.category and categories:  # its one row's count is the period's total
        relations += [[("all", "total"), ("category", 0, "current")]]
    relations += _sole_categories(categories, counts[("all", "concern")])
    return Cells(counts, suppress(counts, relations))


def _sole_categories(categories: list[CategoryCount], concern: int) -> list[list[Hashable]]:
    """A category that equals its kind's tile. Each concern observation names a concern
    category, so when only one has any this period, its count is the Concern tile; with no
    concerns at all, the same goes for the protective ones. Zeros are shown, so a reader sees it.
    """
    found = []
    for kind in ("concern", "protective"):
        rows = [i for i, c in enumerate(categories) if c.kind == kind and c.current]
        if len(rows) == 1 and (kind == "concern" or not concern):
            found.append([("all", kind), ("category", rows[0], "current")])
    return found


def _wing_rows(report: Report, places: list[Place]) -> list[tuple[str, int, int]]:
    """Every wing in view, those without observations too: a quiet wing is news as well."""
    f = report.filters
    shown_places = [p for p in places if f.prison_id in (None, p.prison_id)
                    and f.wing_id in (None, p.wing_id)]
    several = len({p.prison_id for p in shown_places}) > 1
    counts = {w.wing_id: w for w in report.wings}
    rows = []
    for p in shown_places:
        count = counts.get(p.wing_id)
        rows.append((f"{p.prison_code} {p.wing_code}" if several else f"Wing {p.wing_code}",
                     count.concern if count else 0, count.protective if count else 0))
    return rows


def _category_rows(report: Report, catalogue: Catalogue) -> list[CategoryCount]:
    """Every category in view, in catalogue order, with zeros where nothing was recorded."""
    counts = {c.category: c for c in report.categories}
    wanted = [c for c in catalogue.categories if report.filters.category in (None, c.code)]
    protective = {i.category for i in catalogue.indicators.values() if i.kind == "protective"}
    return [counts.get(c.code) or CategoryCount(
        c.code, "protective" if c.code in protective else "concern", 0, 0) for c in wanted]


def _risers(report: Report) -> list[IndicatorRise]:
    """The largest rises to a count that may be shown: ranking counts under 5 against each
    other would tell them apart."""
    return [r for r in report.risers if not small(r.current)][:TOP_RISERS]


def _screening_table(report: Report) -> Table:
    s = report.screening
    return Table("Screening", ["Measure", "Value"], [
        ["Open items now", shown(s.open_now)],
        ["Open items awaiting a first decision", shown(s.awaiting_decision)],
        [f"Awaiting a decision for more than {TARGET_HOURS} h", shown(s.overdue)],
        ["First decisions in the period", shown(s.decided)],
        ["Median time to first decision", hours(s.median_hours, s.decided)],
        ["90th percentile of time to first decision", hours(s.p90_hours, s.decided)],
        [f"First decisions within {TARGET_HOURS} h", shown(s.within_target)],
    ])


def _category_label(catalogue: Catalogue, code: str) -> str:
    return next((c.label for c in catalogue.categories if c.code == code), code)


def _indicator_label(catalogue: Catalogue, code: str) -> str:
    indicator = catalogue.indicators.get(code)
    return indicator.label if indicator else code


def _scope(places: list[Place], filters: TrendFilters) -> str:
    prison = next((p.prison_name for p in places if p.prison_code == filters.prison),
                  "All prisons")
    parts = [prison, f"Wing {filters.wing}" if filters.wing else "all wings",
             SHORT_CATEGORY.get(filters.category, "all categories") if filters.category
             else "all categories",
             f"{CONCERN_LABELS[filters.level].lower()} concern" if filters.level
             else "any concern level"]
    return " · ".join(parts)


def _period(filters: Filters) -> str:
    last_day = filters.last_week + timedelta(days=6)
    return (f"{filters.weeks} weeks: {filters.first_week:%d %b %Y} to {last_day:%d %b %Y}, "
            f"compared with the {filters.weeks} weeks before")


def to_csv(view: TrendsView) -> str:
    """The current view as the page shows it, small counts withheld the same way."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Wingwatch trends", view.scope, view.period])
    writer.writerow(["Counts from 1 to 4 are shown as <5; – means not shown, as is a count "
                     "that would let one work a <5 out."])
    for table in view.tables():
        writer.writerow([])
        writer.writerow([table.title])
        writer.writerow(table.headers)
        writer.writerows(table.rows)
    return out.getvalue()
