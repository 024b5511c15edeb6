"""/screening: treatment staff's queue of flagged observations, one row per prisoner."""

from __future__ import annotations

import reflex as rx

from app.i18n.messages import N_

from app.pages.frame import signed_in_frame
from app.services.screening import MIN_TAKE_OVER_REASON
from app.views.screening import STATE_LABELS, STATUS_CHOICES
from components import screening as ui
from components.controls import labelled_input_form, labelled_select
from components.layout import TOUCH
from components.words import t
from state import screening_queue
from state.screening_queue import ScreeningQueueState as S

ROUTE = screening_queue.ROUTE
TITLE = N_("Screening")
ON_LOAD = S.load

STATUS_OPTIONS = [("any", t("Any status"))] + [(key, t(STATE_LABELS[key]))
                                                for key in STATUS_CHOICES if key != "any"]
HELD_OPTIONS = [("anyone", t("Anyone")), ("me", t("Held by me")), ("unclaimed", t("Unclaimed"))]


def _search() -> rx.Component:
    return labelled_input_form(
        t("Name or number"), "queue-search", "q", S.search, S.search_for,
        rx.button(rx.icon("search", size=18), t("Search"), type="submit", size="3"),
        type="search", placeholder=t("e.g. Hoxha or DPC-24-1000"), max_length=64,
        min_width="200px")


def _filters() -> rx.Component:
    return rx.flex(
        _search(),
        labelled_select(t("Wing"), rx.cond(S.wing == "", "all", S.wing), S.filter_wing,
                        [("all", t("All wings"))],
                        rx.foreach(S.wings, lambda w: rx.select.item(w, value=w))),
        labelled_select(t("Status"), S.status, S.filter_status, STATUS_OPTIONS),
        labelled_select(t("Held by"), S.held, S.filter_held, HELD_OPTIONS),
        rx.el.label(
            rx.hstack(rx.checkbox(checked=S.overdue, on_change=S.filter_overdue, size="3"),
                      rx.text(t("Overdue only")), align="center", spacing="2",
                      min_height=TOUCH),
            align_self="end",
        ),
        rx.button(t("Clear filters"), variant="ghost", size="3", on_click=S.clear_filters,
                  align_self="end", min_height=TOUCH),
        gap="12px 16px", wrap="wrap", align="end", width="100%",
    )


def _take_over_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(t("Take over"), ": ", S.take_over_name),
            rx.dialog.description(
                t("The item moves to your name. The current holder and the audit log see that "
                  "you took it over and why."), size="2"),
            ui.take_over_form(S.take_over, S.cancel_take_over, MIN_TAKE_OVER_REASON,
                              S.take_over_hint, S.take_over_error),
            max_width="520px",
        ),
        open=S.take_over_item != 0,
        on_open_change=lambda _open: S.cancel_take_over,
    )


def _rows() -> rx.Component:
    return rx.cond(
        S.rows.length() > 0,
        rx.vstack(rx.foreach(S.rows, lambda row: ui.queue_row(row, S.claim, S.ask_take_over)),
                  spacing="3", width="100%"),
        rx.card(rx.text(rx.cond(S.total > 0, t("No open items match these filters."),
                                t("No open items. Flags from officers in your prison appear "
                                  "here."))), width="100%"),
    )


def page() -> rx.Component:
    return signed_in_frame(
        rx.vstack(
            rx.heading(t("Screening queue"), size="8", as_="h1"),
            rx.text(t("Flagged observations from your prison, one row per prisoner, due 72 "
                      "hours after the first flag."), " ", S.shown, size="3",
                    color=rx.color("gray", 11)),
            _filters(),
            rx.cond(S.restricted_note != "",
                    rx.callout(S.restricted_note, icon="lock", color_scheme="violet",
                               role="note", width="100%")),
            ui.alert(S.message),
            _rows(),
            _take_over_dialog(),
            spacing="4", width="100%",
        ),
    )
