"""/trends: aggregates for security heads, never identities."""

from __future__ import annotations

import reflex as rx

from app.i18n.labels import CONCERN_LABELS
from app.i18n.messages import N_
from app.pages.frame import signed_in_frame
from app.views.trends import PERIODS, THIS_WEEK
from components import trends as ui
from components.controls import labelled_select
from components.layout import TOUCH
from components.review import overdue_notice
from components.tablets import attention_notice
from components.words import t
from state import trends as trends_state
from state.trends import TrendsState as S

ROUTE = trends_state.ROUTE
TITLE = N_("Trends")
ON_LOAD = S.load

LEVEL_OPTIONS = [("any", t("Any level"))] + [(code.value, t(msgid))
                                              for code, msgid in CONCERN_LABELS.items()]
PERIOD_OPTIONS = [(str(weeks), t(msgid)) for weeks, msgid in PERIODS.items()]


def _choices(items: rx.Var[list[list[str]]]) -> rx.Component:
    """[value, text] pairs the state made in the tab's language."""
    return rx.foreach(items, lambda item: rx.select.item(item[1], value=item[0]))


def _filters() -> rx.Component:
    return rx.flex(
        labelled_select(t("Prison"), rx.cond(S.prison == "", "all", S.prison), S.filter_prison,
                        [("all", t("All prisons"))], _choices(S.prisons)),
        labelled_select(t("Wing"), rx.cond(S.wing == "", "all", S.wing), S.filter_wing,
                        [("all", t("All wings"))], _choices(S.wings)),
        labelled_select(t("Category"), rx.cond(S.category == "", "all", S.category),
                        S.filter_category, [("all", t("All categories"))], _choices(S.categories)),
        labelled_select(t("Concern level"), rx.cond(S.level == "", "any", S.level),
                        S.filter_level, LEVEL_OPTIONS),
        labelled_select(t("Period"), S.weeks, S.filter_weeks, PERIOD_OPTIONS),
        # A list of weeks, not a date field: the browser would write that date its own way.
        labelled_select(t("Period ending"), rx.cond(S.end == "", THIS_WEEK, S.end),
                        S.filter_end, [], _choices(S.ends)),
        rx.button(t("Clear filters"), variant="ghost", size="3", on_click=S.clear_filters,
                  align_self="end", min_height=TOUCH),
        gap="12px 16px", wrap="wrap", align="end", width="100%", class_name="ww-no-print",
    )


def _actions() -> rx.Component:
    return rx.hstack(
        rx.button(rx.icon("download", size=18), t("Download CSV"), size="3",
                  on_click=S.export_csv, min_height=TOUCH),
        rx.button(rx.icon("printer", size=18), t("Print"), size="3", variant="soft",
                  on_click=S.print_view, min_height=TOUCH),
        rx.cond(S.notice != "", rx.text(S.notice, size="2", role="status")),
        spacing="3", wrap="wrap", align="center", class_name="ww-no-print",
    )


def _sections() -> rx.Component:
    view = S.view
    two_columns = rx.breakpoints(initial="1", md="2")
    return rx.vstack(
        ui.section(t("Observations per week"), t("Concern and protective observations apart."),
                   ui.weekly_chart(view.weekly_chart), ui.data_table(view.weekly)),
        rx.grid(
            ui.section(t("By wing"), "", ui.wing_chart(view.wing_chart),
                       ui.data_table(view.wings)),
            ui.section(t("By indicator category"),
                       t("An observation counts once in each category it names."),
                       ui.category_chart(view.category_chart), ui.data_table(view.categories)),
            columns=two_columns, spacing="4", width="100%",
        ),
        ui.section(t("Flags per week"),
                   t("Observations that raised a flag: by the officer, by an immediate "
                     "indicator or by completing a pattern."),
                   ui.flags_chart(view.weekly_chart), ui.data_table(view.flags)),
        ui.section(t("Screening"), view.screening_note,
                   ui.tiles(view.screening_tiles),
                   rx.grid(ui.data_table(view.screening),
                           rx.vstack(ui.outcome_chart(view.outcome_chart),
                                     ui.data_table(view.outcomes), width="100%"),
                           columns=two_columns, spacing="4", width="100%")),
        ui.section(t("Indicators that rose most"),
                   t("Against the previous period of the same length; the ten largest rises."),
                   ui.data_table(view.risers)),
        spacing="4", width="100%",
    )


def page() -> rx.Component:
    return signed_in_frame(
        rx.vstack(
            rx.heading(t(TITLE), size="8", as_="h1"),
            rx.text(S.view.scope, size="3", weight="medium"),
            rx.text(S.view.period, size="2", color=rx.color("gray", 11)),
            attention_notice(S.tablets),
            overdue_notice(S.review_overdue),
            _filters(),
            _actions(),
            rx.callout(S.view.note, icon="shield-check", size="1", width="100%"),
            ui.tiles(S.view.tiles),
            _sections(),
            spacing="4", width="100%",
        ),
    )
