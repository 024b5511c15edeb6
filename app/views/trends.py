"""What the trends page shows: the report's numbers, with every count from 1 to 4 withheld, in
the reader's language.

No Reflex here. The page, its websocket frames, the CSV export and the print view are all made
from these views, and a count from 1 to 4 never enters them: tables say "<5", charts get no value
(a gap in the bar), and a share, median or change that would let one work a small count out is
not shown either. Nor is a count that would give a "<5" away by one subtraction, such as a
week's "All" beside its "Concern" (see suppress()); such a count says "–".

Every text is rendered here, on the server, through the reader's `Messages`: words from the
catalogues, dates and numbers in CLDR's formats (app/views/suppression.Figures), indicator and
category names from the catalogue in the reader's locale. Chart points keep plain keys
("concern", "current"); the page gives each series its name in the reader's language.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from urllib.parse import urlencode

from babel.dates import format_interval, format_skeleton

from app.i18n.labels import CONCERN_LABELS, OUTCOME_LABELS, label
from app.i18n.locales import babel_locale
from app.i18n.messages import Messages, N_
from app.services.catalogue import Catalogue
from app.services.trend_report import (
    MAX_WEEKS,
    TARGET_HOURS,
    CategoryCount,
    Filters,
    IndicatorRise,
    Place,
    Report,
)
from app.views.screening import plain
from app.views.suppression import NOT_SHOWN, SMALL, Cells, Figures, plotted, small, suppress
from app.vocabulary import IndicatorKind

# The periods the page offers, each named as a whole: a fixed number reads best written out
# by the translator, and the page can then name them without asking the server.
PERIODS = {4: N_("4 weeks"), 12: N_("12 weeks"), 26: N_("26 weeks"), 52: N_("1 year"),
           104: N_("2 years"), 156: N_("3 years")}
PERIOD_WEEKS = tuple(PERIODS)
TOP_RISERS = 10
THIS_WEEK = "now"  # the period-end choice for the current week (a select's value is never '')
# Short names for chart axes; the tables carry the catalogue's full labels. Keyed by category
# code, which every catalogue version keeps.
SHORT_CATEGORY = {
    "C01": N_("Support for violence"), "C02": N_("Threats to harm"),
    "C03": N_("Hostility, us/them"), "C04": N_("Pressure, recruitment"),
    "C05": N_("Contacts"), "C06": N_("Extremist material"), "C07": N_("Withdrawal"),
    "C08": N_("Change in behaviour"), "C09": N_("Ideological grievance"),
    "C10": N_("Capability, preparation"), "C11": N_("Protective"),
}
KIND_LABELS = {IndicatorKind.CONCERN: N_("Concern"), IndicatorKind.PROTECTIVE: N_("Protective")}


def week_label(words: Messages, week: date, long_period: bool) -> str:
    """A chart axis label, as short as the locale writes a day and month ("16 Nov",
    "16. нов"); the year too when the period spans more than one."""
    return format_skeleton("yyMMMd" if long_period else "MMMd", week,
                           locale=babel_locale(words.locale))


def week_span(words: Messages, monday: date) -> str:
    """A week as the locale writes a span of days: "16 – 22 Nov 2026", "16.–22. нов 2026."."""
    return format_interval(monday, monday + timedelta(days=6), "yMMMd",
                           locale=babel_locale(words.locale))


# --- filters, as the URL spells them ---------------------------------------------------------


@dataclass(frozen=True)
class TrendFilters:
    prison: str = ""  # prison code
    wing: str = ""  # wing code within the prison
    category: str = ""
    level: str = ""
    weeks: int = 12
    end: str = ""  # the Monday of the period's last week, YYYY-MM-DD; '' is this week

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


# --- the filters' choices, in the reader's language -----------------------------------------


@lru_cache(maxsize=16)
def _past_weeks(words: Messages, this_week: date) -> tuple[tuple[str, str], ...]:
    return tuple((monday.isoformat(), week_span(words, monday))
                 for monday in (this_week - timedelta(weeks=n) for n in range(1, MAX_WEEKS + 1)))


def end_choices(words: Messages, this_week: date, end: str) -> list[list[str]]:
    """The weeks a period may end with, newest first, each by its days as the locale writes
    them (no browser date field, which writes dates the browser's way, often American): this
    week, the three years before, and the URL's own week if it is older still."""
    choices = [[THIS_WEEK, words.t("This week")], *map(list, _past_weeks(words, this_week))]
    if end and end not in {value for value, _ in choices}:
        choices.append([end, week_span(words, date.fromisoformat(end))])
    return choices


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
    title: str = ""  # the export's first cell: what the file is
    scope: str = ""
    period: str = ""
    note: str = ""  # what "<5" and "–" mean
    screening_note: str = ""
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
                filters: TrendFilters, figures: Figures) -> TrendsView:
    words, weeks = figures.words, report.weeks
    wings, categories = _wing_rows(report, places, words), _category_rows(report, catalogue)
    cells = _cells(report, wings, categories, figures)
    text, t = cells.text, words.t
    return TrendsView(
        title=t("Wingwatch trends"),
        scope=_scope(places, filters, catalogue, words),
        period=_period(report.filters, figures),
        note=t("Counts from 1 to 4 are shown as “{small}” and left out of the charts; "
               "“{not_shown}” marks a figure that would let one work such a count out. No names "
               "or free text appear here.", small=t(SMALL), not_shown=t(NOT_SHOWN)),
        tiles=[Tile(t("Observations"), text(("all", "total")),
                    words.tn("{count} week", "{count} weeks", len(weeks))),
               Tile(t("Concern"), text(("all", "concern"))),
               Tile(t("Protective"), text(("all", "protective"))),
               Tile(t("Flagged"), text(("all", "flagged")), _share_note(cells, words))],
        screening_tiles=_screening_tiles(report, figures),
        screening_note=words.tn(
            "Open items and the time from the first flag to the first decision, against the "
            "target of {count} hour. Prison, wing and period apply here; category and concern "
            "level do not.",
            "Open items and the time from the first flag to the first decision, against the "
            "target of {count} hours. Prison, wing and period apply here; category and concern "
            "level do not.", TARGET_HOURS),
        weekly_chart=[{"week": week_label(words, w.week, len(weeks) >= 52),
                       "concern": cells.plot(("week", i, "concern")),
                       "protective": cells.plot(("week", i, "protective")),
                       "flagged": cells.plot(("week", i, "flagged"))}
                      for i, w in enumerate(weeks)],
        wing_chart=[{"wing": name, "concern": cells.plot(("wing", i, "concern")),
                     "protective": cells.plot(("wing", i, "protective"))}
                    for i, (name, _, _) in enumerate(wings)],
        category_chart=[{"category": _short_category(c.category, catalogue, words),
                         "current": cells.plot(("category", i, "current")),
                         "previous": cells.plot(("category", i, "previous"))}
                        for i, c in enumerate(categories)],
        outcome_chart=[{"outcome": label(words, OUTCOME_LABELS, o), "decisions": plotted(n)}
                       for o, n in sorted(report.outcomes.items())],
        weekly=Table(t("Observations per week"),
                     [t("Week of"), t("Concern"), t("Protective"), t("All")],
                     [[figures.day(w.week), text(("week", i, "concern")),
                       text(("week", i, "protective")), text(("week", i, "total"))]
                      for i, w in enumerate(weeks)]),
        wings=Table(t("Observations by wing"), [t("Wing"), t("Concern"), t("Protective")],
                    [[name, text(("wing", i, "concern")), text(("wing", i, "protective"))]
                     for i, (name, _, _) in enumerate(wings)]),
        categories=Table(t("Observations by indicator category"),
                         [t("Category"), t("Kind"), t("This period"), t("Previous period"),
                          t("Change")],
                         [[_catalogue_label(catalogue, c.category, words),
                           label(words, KIND_LABELS, c.kind),
                           text(("category", i, "current")), text(("category", i, "previous")),
                           cells.change(("category", i, "current"),
                                        ("category", i, "previous"))]
                          for i, c in enumerate(categories)]),
        flags=Table(t("Flags per week"),
                    [t("Week of"), t("Observations"), t("Flagged"), t("Share flagged")],
                    [[figures.day(w.week), text(("week", i, "total")),
                      text(("week", i, "flagged")),
                      cells.share(("week", i, "flagged"), ("week", i, "total"))]
                     for i, w in enumerate(weeks)]),
        screening=_screening_table(report, figures),
        outcomes=Table(t("Decisions by outcome"), [t("Outcome"), t("Decisions")],
                       [[label(words, OUTCOME_LABELS, o), figures.count(n)]
                        for o, n in sorted(report.outcomes.items())]),
        risers=Table(t("Indicators that rose most against the previous period"),
                     [t("Indicator"), t("Category"), t("Previous period"), t("This period"),
                      t("Change")],
                     [[_catalogue_label(catalogue, r.indicator, words),
                       _short_category(r.category, catalogue, words), figures.count(r.previous),
                       figures.count(r.current), figures.change(r.current, r.previous)]
                      for r in _risers(report)]),
    )


def _share_note(cells: Cells, words: Messages) -> str:
    value = cells.share(("all", "flagged"), ("all", "total"))
    return "" if value == words.t(NOT_SHOWN) else words.t("{share} of observations", share=value)


KINDS = ("concern", "protective", "total", "flagged")


def _cells(report: Report, wings: list[tuple[str, int, int]],
           categories: list[CategoryCount], figures: Figures) -> Cells:
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
    return Cells(counts, suppress(counts, relations), figures)


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


def _wing_rows(report: Report, places: list[Place], words: Messages
               ) -> list[tuple[str, int, int]]:
    """Every wing in view, those without observations too: a quiet wing is news as well."""
    f = report.filters
    shown_places = [p for p in places if f.prison_id in (None, p.prison_id)
                    and f.wing_id in (None, p.wing_id)]
    several = len({p.prison_id for p in shown_places}) > 1
    counts = {w.wing_id: w for w in report.wings}
    rows = []
    for p in shown_places:
        count = counts.get(p.wing_id)
        rows.append((f"{p.prison_code} {p.wing_code}" if several
                     else words.t("Wing {wing}", wing=p.wing_code),
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


def _screening_tiles(report: Report, figures: Figures) -> list[Tile]:
    s, words = report.screening, figures.words
    return [
        Tile(words.t("Open now"), figures.count(s.open_now),
             words.t("Awaiting a decision: {count}", count=figures.count(s.awaiting_decision))),
        Tile(words.tn("Over {count} hour without a decision",
                      "Over {count} hours without a decision", TARGET_HOURS),
             figures.count(s.overdue)),
        Tile(words.t("Time to decision, median"), figures.hours(s.median_hours, s.decided),
             words.t("First decisions in the period: {count}", count=figures.count(s.decided))),
        Tile(words.t("Time to decision, 90th percentile"), figures.hours(s.p90_hours, s.decided),
             words.tn("Target: {count} hour", "Target: {count} hours", TARGET_HOURS))]


def _screening_table(report: Report, figures: Figures) -> Table:
    s, words = report.screening, figures.words
    t = words.t
    return Table(t("Screening"), [t("Measure"), t("Value")], [
        [t("Open items now"), figures.count(s.open_now)],
        [t("Open items awaiting a first decision"), figures.count(s.awaiting_decision)],
        [words.tn("Awaiting a decision for more than {count} hour",
                  "Awaiting a decision for more than {count} hours", TARGET_HOURS),
         figures.count(s.overdue)],
        [t("First decisions in the period"), figures.count(s.decided)],
        [t("Median time to first decision"), figures.hours(s.median_hours, s.decided)],
        [t("90th percentile of time to first decision"), figures.hours(s.p90_hours, s.decided)],
        [words.tn("First decisions within {count} hour", "First decisions within {count} hours",
                  TARGET_HOURS), figures.count(s.within_target)],
    ])


def _catalogue_label(catalogue: Catalogue, code: str, words: Messages) -> str:
    """A category's or indicator's label in the reader's locale; a code this version does not
    have (counted under an older one) is shown as itself."""
    known = code in catalogue.indicators or any(c.code == code for c in catalogue.categories)
    return catalogue.text(words.locale.value, code) if known else code


def _short_category(code: str, catalogue: Catalogue, words: Messages) -> str:
    msgid = SHORT_CATEGORY.get(code)
    return words.t(msgid) if msgid else _catalogue_label(catalogue, code, words)


def _scope(places: list[Place], filters: TrendFilters, catalogue: Catalogue,
           words: Messages) -> str:
    """What the numbers cover, one part per filter; a list, so no sentence is pieced together."""
    t = words.t
    prison = next((p.prison_name for p in places if p.prison_code == filters.prison),
                  t("All prisons"))
    parts = [prison, t("Wing {wing}", wing=filters.wing) if filters.wing else t("All wings"),
             _short_category(filters.category, catalogue, words) if filters.category
             else t("All categories"),
             t("Concern level: {level}", level=label(words, CONCERN_LABELS, filters.level))
             if filters.level else t("Any concern level")]
    return " · ".join(parts)


def _period(filters: Filters, figures: Figures) -> str:
    return figures.words.tn(
        "{count} week: {first} to {last}, compared with the week before",
        "{count} weeks: {first} to {last}, compared with the {count} weeks before",
        filters.weeks, first=figures.day(filters.first_week),
        last=figures.day(filters.last_week + timedelta(days=6)))


def to_csv(view: TrendsView) -> bytes:
    """The current view as the page shows it, small counts withheld the same way; UTF-8 with a
    byte order mark, which Excel needs to read Cyrillic and diacritics as such."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([view.title, view.scope, view.period])
    writer.writerow([view.note])
    for table in view.tables():
        writer.writerow([])
        writer.writerow([table.title])
        writer.writerow(table.headers)
        writer.writerows(table.rows)
    return out.getvalue().encode("utf-8-sig")
