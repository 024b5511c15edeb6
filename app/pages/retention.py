"""/retention: the retention schedule in words, the last runs, and a preview of the next
(administrators and data-protection officers; counts only)."""

from __future__ import annotations

import reflex as rx

from app.i18n.messages import N_
from app.pages.frame import signed_in_frame
from components import retention as ui
from components.layout import TOUCH
from components.words import t
from state.retention import RetentionState as S

ROUTE = "/retention"
TITLE = N_("Retention")
ON_LOAD = S.load


def _schedule() -> rx.Component:
    return rx.vstack(
        rx.heading(t("Schedule"), size="5", as_="h2"),
        rx.text(t("How long each kind of record is kept, counted from which date, and what "
                  "happens then. A record goes under whichever of its rules falls due first. "
                  "Records on legal hold, and a prisoner's records while they are restricted, "
                  "are kept until the hold or the restriction ends."), size="2"),
        rx.text(rx.cond(S.own_schedule, t("This service's own schedule."),
                        t("The default schedule.")), size="2", color=rx.color("gray", 11)),
        rx.grid(rx.foreach(S.rules, ui.rule_card),
                columns=rx.breakpoints(initial="1", md="2"), gap="12px", width="100%"),
        spacing="3", width="100%",
    )


def _preview() -> rx.Component:
    return rx.vstack(
        rx.heading(t("Preview"), size="5", as_="h2"),
        rx.text(t("Counts what a run now would erase, anonymise or put up for review, and "
                  "changes nothing."), size="2"),
        rx.button(rx.icon("eye", size=18), t("Preview the next run"), size="3",
                  min_height=TOUCH, on_click=S.preview, data_testid="retention-preview-button"),
        rx.cond(S.preview_title != "", rx.vstack(
            rx.text(S.preview_title, weight="medium", role="status"),
            ui.preview_list(S.preview_lines), spacing="2", width="100%")),
        spacing="3", width="100%", align="start",
    )


def _runs() -> rx.Component:
    return rx.vstack(
        rx.heading(t("Last runs"), size="5", as_="h2"),
        rx.text(t("The schedule runs once a day by itself; each run is written to the audit "
                  "log, one entry per record."), size="2"),
        rx.cond(S.runs.length() > 0,
                rx.vstack(rx.foreach(S.runs, ui.run_card), spacing="3", width="100%"),
                rx.card(rx.text(t("The schedule has not run yet.")), width="100%")),
        spacing="3", width="100%",
    )


def page() -> rx.Component:
    return signed_in_frame(rx.vstack(
        rx.heading(t(TITLE), size="7", as_="h1"),
        _schedule(),
        _preview(),
        _runs(),
        spacing="5", width="100%", align="stretch",
    ))
