"""Pieces of the review list: a row per record with its decisions, the dialogs that ask for a
date and a reason or a confirmation, and the trends page's overdue line. Plain functions of
data and event handlers."""

from __future__ import annotations

import reflex as rx

from app.views.review import ReviewRowView
from components.controls import day_field
from components.layout import TOUCH
from components.screening import alert
from components.words import t


def _badges(row: ReviewRowView) -> rx.Component:
    return rx.flex(
        rx.cond(row.overdue, rx.badge(rx.icon("clock-alert", size=14), t("Overdue"),
                                      color_scheme="red", variant="solid", size="2",
                                      white_space="normal")),
        rx.cond(row.held, rx.badge(rx.icon("lock", size=14), t("On legal hold"),
                                   color_scheme="violet", size="2", white_space="normal")),
        rx.cond(row.restricted, rx.badge(rx.icon("shield-alert", size=14), t("Restricted"),
                                         color_scheme="amber", size="2", white_space="normal")),
        rx.cond(row.gone, rx.badge(t("No longer held"), color_scheme="gray", size="2",
                                   white_space="normal")),
        gap="6px", wrap="wrap",
    )


def review_row(row: ReviewRowView, on_extend, on_anonymise, on_erase, on_hold) -> rx.Component:
    """What the record is (never its content), when it falls due and by which rule, and the
    decisions it allows. Past its date with no decision: red, and first in the list. Stacked
    on a tablet; one line per record on a desktop, so forty fit a few screens."""
    return rx.card(
        rx.grid(
            rx.vstack(
                rx.heading(row.what, size="3", as_="h2"),
                rx.cond(row.who != "", rx.text(row.who, size="2", weight="medium")),
                rx.cond(row.detail != "", rx.text(row.detail, size="2",
                                                  color=rx.color("gray", 11))),
                _badges(row),
                spacing="1",
            ),
            rx.vstack(
                rx.text(row.due, size="2", weight="bold",
                        color=rx.cond(row.overdue, rx.color("red", 11), rx.color("gray", 12))),
                rx.text(row.rule, size="2", color=rx.color("gray", 11)),
                rx.cond(row.held_text != "", rx.text(row.held_text, size="2",
                                                     color=rx.color("violet", 11))),
                spacing="1",
            ),
            rx.flex(
                rx.cond(row.can_extend, rx.button(
                    rx.icon("calendar-plus", size=18), t("Extend"), size="3",
                    on_click=on_extend(row.entry_id))),
                rx.cond(row.can_anonymise, rx.button(
                    t("Anonymise now"), size="3", variant="outline",
                    on_click=on_anonymise(row.entry_id))),
                rx.cond(row.can_erase, rx.button(
                    t("Erase now"), size="3", variant="outline", color_scheme="red",
                    on_click=on_erase(row.entry_id))),
                rx.cond(row.can_hold, rx.button(
                    rx.icon("lock", size=18), t("Put on hold"), size="3", variant="soft",
                    color_scheme="violet", on_click=on_hold(row.entry_id))),
                rx.cond(row.href != "", rx.link(
                    rx.button(t("Open case"), size="3", variant="ghost"), href=row.href)),
                gap="8px", wrap="wrap", justify="end", align_self="center",
            ),
            grid_template_columns=["1fr", "1fr", "1fr",
                                   "minmax(200px, 1fr) minmax(0, 1fr) auto"],
            gap="10px 20px", width="100%",
        ),
        width="100%", size="2", role="article", aria_label=row.what,
        custom_attrs={"data-overdue": rx.cond(row.overdue, "true", "false")},
        background=rx.cond(row.overdue, rx.color("red", 2), rx.color("gray", 1)),
        border_left=rx.cond(row.overdue, f"6px solid {rx.color('red', 9)}",
                            f"6px solid {rx.color('gray', 4)}"),
    )


def date_reason_form(date_label: rx.Var[str], field_id: str, suggested: rx.Var[str],
                     example: rx.Var[str], hint: rx.Var[str], reason_hint: rx.Var[str],
                     error: rx.Var[str], submit: rx.Var[str], on_submit,
                     on_cancel) -> rx.Component:
    """A day typed as the reader's locale writes it and a reason, both required."""
    return rx.form(
        rx.vstack(
            day_field(date_label, "until", field_id, suggested, example, required=True),
            rx.text(hint, size="2"),
            rx.el.label(reason_hint, html_for=f"{field_id}-reason", font_weight="500",
                        font_size="14px"),
            rx.text_area(id=f"{field_id}-reason", name="reason", rows="3", size="3",
                         width="100%", max_length=2000, required=True),
            alert(error),
            rx.flex(rx.button(submit, type="submit", size="3", min_height=TOUCH),
                    rx.button(t("Cancel"), type="button", variant="soft", size="3",
                              min_height=TOUCH, on_click=on_cancel),
                    gap="12px", wrap="wrap"),
            spacing="2", width="100%",
        ),
        on_submit=on_submit, reset_on_submit=False, width="100%",
    )


def form_dialog(is_open: rx.Var[bool], title: rx.Var[str], what: rx.Var[str],
                explanation: rx.Var[str], form: rx.Component, on_cancel) -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(title),
            rx.dialog.description(rx.vstack(rx.text(what, weight="medium"),
                                             rx.text(explanation), spacing="1"), size="2"),
            rx.box(form, margin_top="12px"),
            max_width="560px",
        ),
        open=is_open, on_open_change=lambda _open: on_cancel,
    )


def confirm_dialog(is_open: rx.Var[bool], title: rx.Var[str], what: rx.Var[str],
                   explanation: rx.Var[str], error: rx.Var[str], action: rx.Var[str],
                   on_confirm, on_cancel) -> rx.Component:
    """Anonymise and erase cannot be undone: the dialog asks first."""
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title(title),
            rx.alert_dialog.description(rx.vstack(rx.text(what, weight="medium"),
                                                  rx.text(explanation), spacing="1"),
                                        size="2"),
            rx.box(alert(error), margin_top="8px"),
            rx.flex(
                rx.alert_dialog.cancel(rx.button(t("Cancel"), variant="soft",
                                                 color_scheme="gray", size="3",
                                                 min_height=TOUCH, on_click=on_cancel)),
                # Not an alert_dialog.action: that closes the dialog before a refusal shows.
                rx.button(action, color_scheme="red", size="3", min_height=TOUCH,
                          on_click=on_confirm),
                gap="12px", justify="end", margin_top="16px", wrap="wrap",
            ),
            max_width="520px",
        ),
        open=is_open, on_open_change=lambda _open: on_cancel,
    )


def overdue_notice(text: rx.Var[str]) -> rx.Component:
    """The trends page's count of review entries past their date: no names, a link to nothing
    (the list is treatment staff's and the data-protection officer's)."""
    return rx.cond(text != "", rx.callout(text, icon="calendar-clock", color_scheme="orange",
                                          size="1", width="100%", role="status",
                                          class_name="ww-no-print"))
