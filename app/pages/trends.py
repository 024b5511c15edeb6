"""/trends: aggregates for security heads, never identities."""

from __future__ import annotations

import reflex as rx

from app.pages.frame import signed_in_frame
from app.views.screening import CONCERN_LABELS
from app.views.trends import PERIOD_WEEKS
from components import trends as ui
from components.controls import labelled_input_form, labelled_select
from state import trends as trends_state
from state.trends import TrendsState as S

ROUTE = trends_state.ROUTE
TITLE = "Trends — Wingwatch"
ON_LOAD = S.load

PERIOD_OPTIONS = [(str(n), f"{n} weeks" if n < 52 else f"{n // 52} year{'s' * (n > 52)}")
                  for n in PERIOD_WEEKS]
LEVEL_OPTIONS = [("any", "Any level")] + list(CONCERN_LABELS.items())


def _period_end() -> rx.Component:
    return labelled_input_form("Period ending", "trends-end", "end", S.end, S.filter_end,
                               rx.button("Show", type="submit", size="3", variant="soft"),
                               type="date")


def _filters() -> rx.Component:
    return rx.flex(
        labelled_select("Prison", rx.cond(S.prison == "", "all", S.prison), S.filter_prison,
                        [("all", "All prisons")],
                        rx.foreach(S.prisons, lambda p: rx.select.item(p[1], value=p[0]))),
        labelled_select("Wing", rx.cond(S.wing == "", "all", S.wing), S.filter_wing,
                        [("all", "All wings")],
                        rx.foreach(S.wings, lambda w: rx.select.item("Wing " + w, value=w))),
        labelled_select("Category", rx.cond(S.category == "", "all", S.category),
                        S.filter_category, [("all", "All categories")],
                        rx.foreach(S.categories,
                                   lambda c: rx.select.item(c[0] + " " + c[1], value=c[0]))),
        labelled_select("Concern level", rx.cond(S.level == "", "any", S.level),
                        S.filter_level, LEVEL_OPTIONS),
        labelled_select("Period", S.weeks, S.filter_weeks, PERIOD_OPTIONS),
        _period_end(),
        rx.button("Clear filters", variant="ghost", size="3", on_click=S.clear_filters,
                  align_self="end"),
        gap="12px 16px", wrap="wrap", align="end", width="100%", class_name="ww-no-print",
    )


def _actions() -> rx.Component:
    return rx.hstack(
        rx.button(rx.icon("download", size=18), "Download CSV", size="3",
                  on_click=S.export_csv),
        rx.button(rx.icon("printer", size=18), "Print", size="3", variant="soft",
                  on_click=S.print_view),
        rx.cond(S.notice != "", rx.text(S.notice, size="2", role="status")),
        spacing="3", wrap="wrap", align="center", class_name="ww-no-print",
    )


def _sections() -> rx.Component:
    view = S.view
    two_columns = rx.breakpoints(initial="1", md="2")
    return rx.vstack(
        ui.section("Observations per week", "Concern and protective observations apart.",
                   ui.weekly_chart(view.weekly_chart), ui.data_table(view.weekly)),
        rx.grid(
            ui.section("By wing", "", ui.wing_chart(view.wing_chart), ui.data_table(view.wings)),
            ui.section("By indicator category",
                       "An observation counts once in each category it names.",
                       ui.category_chart(view.category_chart), ui.data_table(view.categories)),
            columns=two_columns, spacing="4", width="100%",
        ),
        ui.section("Flags per week",
                   "Observations that raised a flag: by the officer, by an immediate indicator "
                   "or by completing a pattern.",
                   ui.flags_chart(view.weekly_chart), ui.data_table(view.flags)),
        ui.section("Screening", "Open items and the time from the first flag to the first "
                   "decision, against the 72-hour target. Prison, wing and period apply here; "
                   "category and concern level do not.",
                   ui.tiles(view.screening_tiles),
                   rx.grid(ui.data_table(view.screening),
                           rx.vstack(ui.outcome_chart(view.outcome_chart),
                                     ui.data_table(view.outcomes), width="100%"),
                           columns=two_columns, spacing="4", width="100%")),
        ui.section("Indicators that rose most", "Against the previous period of the same "
                   "length; the ten largest rises.", ui.data_table(view.risers)),
        spacing="4", width="100%",
    )


def page() -> rx.Component:
    return signed_in_frame(
        rx.vstack(
            rx.heading("Trends", size="8", as_="h1"),
            rx.text(S.view.scope, size="3", weight="medium"),
            rx.text(S.view.period, size="2", color=rx.color("gray", 11)),
            _filters(),
            _actions(),
            rx.callout("Counts from 1 to 4 are shown as \"<5\" and left out of the charts. "
                       "No names or free text appear on this page.", icon="shield-check",
                       size="1", width="100%"),
            ui.tiles(S.view.tiles),
            _sections(),
            spacing="4", width="100%",
        ),
    )
