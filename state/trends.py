"""The trends page's state: aggregates for the URL's filters, small counts already withheld.

Only `TrendsView` (strings and chart points made by app/views/trends.py, in the tab's language)
reaches the browser; the exact counts stay in the handler's local variables.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import reflex as rx

from app.clock import prisons_today, utc_now
from app.i18n.messages import Messages
from app.runtime import transaction
from app.services import catalogue, review_reads, tablet_reads, trend_report, trends
from app.services.accounts import Identity
from app.services.trend_report import Place
from app.views.suppression import Figures
from app.views.review import overdue_notice
from app.views.tablets import TabletNotice, tablet_notice
from app.views.trends import (
    THIS_WEEK,
    TrendFilters,
    TrendsView,
    end_choices,
    period_weeks,
    to_csv,
    trends_view,
)
from state.identity import current_identity
from state.language import messages
from state.screening_common import local_zone
from state.session import ask_page

ROUTE = "/trends"


class TrendsState(rx.State):
    view: TrendsView = TrendsView()
    prisons: list[list[str]] = []  # [code, name]
    wings: list[list[str]] = []  # the chosen prison's wings: [code, name]
    categories: list[list[str]] = []  # [code, label]
    ends: list[list[str]] = []  # [Monday or THIS_WEEK, the week's days]
    prison: str = ""
    wing: str = ""
    category: str = ""
    level: str = ""
    weeks: str = "12"
    end: str = ""
    notice: str = ""  # says an export was logged
    tablets: TabletNotice = TabletNotice()  # "N tablets need attention", no names
    review_overdue: str = ""  # "N records ... past their review date", a count only

    @rx.event
    async def load(self):
        who = current_identity(self.router.headers.cookie)
        if who is not None:
            self._refresh(who, await messages(self))

    def _refresh(self, who: Identity, words: Messages) -> None:
        filters, places, self.view = _build(who, self._query(), Figures(words))
        self.notice = ""
        self.tablets = _tablet_notice(who, places, words)
        self.review_overdue = _review_notice(places, words)
        self.prisons = [list(p) for p in sorted({(p.prison_code, p.prison_name)
                                                 for p in places})]
        self.wings = [[p.wing_code, words.t("Wing {wing}", wing=p.wing_code)]
                      for p in places if p.prison_code == filters.prison]
        locale = words.locale.value
        self.categories = [[c.code, f"{c.code} {catalogue.current().text(locale, c.code)}"]
                           for c in catalogue.current().categories]
        self.ends = end_choices(words, _this_week(), filters.end)
        self.prison, self.wing, self.category = filters.prison, filters.wing, filters.category
        self.level, self.weeks, self.end = filters.level, str(filters.weeks), filters.end

    def _query(self) -> dict[str, str]:
        return dict(self.router.url.query_parameters)

    def _show(self, **changes):
        """Filters live in the URL, so a reload, the back button or a shared link agree."""
        filters = replace(TrendFilters(self.prison, self.wing, self.category, self.level,
                                       int(self.weeks), self.end), **changes)
        return rx.redirect(filters.to_url(ROUTE), replace=True)

    @rx.event
    def filter_prison(self, prison: str):
        return self._show(prison="" if prison == "all" else str(prison), wing="")

    @rx.event
    def filter_wing(self, wing: str):
        return self._show(wing="" if wing == "all" else str(wing))

    @rx.event
    def filter_category(self, category: str):
        return self._show(category="" if category == "all" else str(category))

    @rx.event
    def filter_level(self, level: str):
        return self._show(level="" if level == "any" else str(level))

    @rx.event
    def filter_weeks(self, weeks: str):
        return self._show(weeks=period_weeks(str(weeks)))

    @rx.event
    def filter_end(self, end: str):
        """A week from the list; anything else the URL's parsing turns into 'this week'."""
        return self._show(end="" if end == THIS_WEEK else str(end))

    @rx.event
    def clear_filters(self):
        return rx.redirect(ROUTE, replace=True)

    @rx.event
    async def export_csv(self):
        words = await messages(self)
        # Plain digits and ISO dates in the file, the words in the reader's language.
        exported = self._export("csv", Figures(words, plain=True),
                                words.t("CSV downloaded. It is recorded in the audit log."))
        if exported is not None:
            filters, view = exported
            return rx.download(data=to_csv(view), mime_type="text/csv;charset=utf-8",
                               filename=f"wingwatch-trends-{filters.weeks}w"
                                        f"-{filters.end or 'this-week'}.csv")
        return None

    @rx.event
    async def print_view(self):
        words = await messages(self)
        if self._export("print", Figures(words),
                        words.t("Print view opened. It is recorded in the audit log.")):
            await ask_page(self, "print")

    def _export(self, what: str, figures: Figures, done: str
                ) -> tuple[TrendFilters, TrendsView] | None:
        """Made afresh from the URL's filters, not from what the browser holds, and audited."""
        who = current_identity(self.router.headers.cookie)
        if who is None:
            return None
        filters, _, view = _build(who, self._query(), figures)
        with transaction() as db:
            trend_report.log_export(db, who, what, filters.to_url(ROUTE), utc_now())
        self.notice = done
        return filters, view


def _tablet_notice(who: Identity, places: list[Place], words: Messages) -> TabletNotice:
    with transaction() as db:
        summary = tablet_reads.needing_attention(db, who, {p.prison_id for p in places},
                                                 utc_now())
    return tablet_notice(summary, words)


def _review_notice(places: list[Place], words: Messages) -> str:
    """How many review entries of these prisons are past their date undecided (issue 12)."""
    with transaction() as db:
        count = review_reads.overdue_count(db, {p.prison_id for p in places},
                                           prisons_today(utc_now()))
    return overdue_notice(words, count)


def _this_week() -> date:
    return trends.week_of(utc_now(), local_zone())


def _build(who: Identity, query: dict[str, str], figures: Figures
           ) -> tuple[TrendFilters, list[Place], TrendsView]:
    """The view for this security head. The URL's filters only ever name their own prisons
    and wings: anything else falls back to 'all of yours' (TrendFilters.from_query)."""
    now, zone = utc_now(), local_zone()
    this_week = trends.week_of(now, zone)
    with transaction() as db:
        places = trend_report.places(db, who)
        filters = TrendFilters.from_query(query, places, _category_codes(), this_week)
        report = trend_report.report(db, places, filters.for_report(places, this_week), now,
                                     zone)
    return filters, places, trends_view(report, places, catalogue.current(), filters, figures)


def _category_codes() -> dict[str, str]:
    return {c.code: c.label for c in catalogue.current().categories}
