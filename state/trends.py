"""The trends page's state: aggregates for the URL's filters, small counts already withheld.

Only `TrendsView` (strings and chart points made by app/views/trends.py) reaches the browser;
the exact counts stay in the handler's local variables.
"""

from __future__ import annotations

from dataclasses import replace

import reflex as rx

from app.clock import utc_now
from app.runtime import transaction
from app.services import catalogue, trend_report, trends
from app.services.accounts import Identity
from app.services.trend_report import Place
from app.views.trends import TrendFilters, TrendsView, period_weeks, to_csv, trends_view
from state.forms import form_text
from state.identity import current_identity
from state.screening_common import local_zone
from state.session import ask_page

ROUTE = "/trends"


class TrendsState(rx.State):
    view: TrendsView = TrendsView()
    prisons: list[list[str]] = []  # [code, name]
    wings: list[str] = []  # the chosen prison's wing codes
    categories: list[list[str]] = []  # [code, label]
    prison: str = ""
    wing: str = ""
    category: str = ""
    level: str = ""
    weeks: str = "12"
    end: str = ""
    notice: str = ""  # says an export was logged

    @rx.event
    def load(self):
        who = current_identity(self.router.headers.cookie)
        if who is not None:
            self._refresh(who)

    def _refresh(self, who: Identity) -> None:
        filters, places, self.view = _build(who, self._query())
        self.notice = ""
        self.prisons = [list(p) for p in sorted({(p.prison_code, p.prison_name)
                                                 for p in places})]
        self.wings = [p.wing_code for p in places if p.prison_code == filters.prison]
        self.categories = [[code, label] for code, label in _category_labels().items()]
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
    def filter_end(self, form_data: dict):
        return self._show(end=form_text(form_data, "end"))

    @rx.event
    def clear_filters(self):
        return rx.redirect(ROUTE, replace=True)

    @rx.event
    def export_csv(self):
        exported = self._export("csv", "CSV downloaded.")
        if exported is not None:
            filters, view = exported
            return rx.download(data=to_csv(view), filename=f"wingwatch-trends-{filters.weeks}w"
                                                          f"-{filters.end or 'this-week'}.csv")

    @rx.event
    async def print_view(self):
        if self._export("print", "Print view opened.") is not None:
            await ask_page(self, "print")

    def _export(self, what: str, done: str) -> tuple[TrendFilters, TrendsView] | None:
        """Made afresh from the URL's filters, not from what the browser holds, and audited."""
        who = current_identity(self.router.headers.cookie)
        if who is None:
            return None
        filters, _, view = _build(who, self._query())
        with transaction() as db:
            trend_report.log_export(db, who, what, filters.to_url(ROUTE), utc_now())
        self.notice = f"{done} It is recorded in the audit log."
        return filters, view


def _build(who: Identity, query: dict[str, str]
           ) -> tuple[TrendFilters, list[Place], TrendsView]:
    """The view for this security head. The URL's filters only ever name their own prisons
    and wings: anything else falls back to 'all of yours' (TrendFilters.from_query)."""
    now, zone = utc_now(), local_zone()
    this_week = trends.week_of(now, zone)
    with transaction() as db:
        places = trend_report.places(db, who)
        filters = TrendFilters.from_query(query, places, _category_labels(), this_week)
        report = trend_report.report(db, places, filters.for_report(places, this_week), now,
                                     zone)
    return filters, places, trends_view(report, places, catalogue.current(), filters)


def _category_labels() -> dict[str, str]:
    return {c.code: c.label for c in catalogue.current().categories}
