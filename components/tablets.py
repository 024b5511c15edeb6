"""Pieces of the tablets page: plain functions of views (app/views/tablets.py) and handlers."""

from __future__ import annotations

import reflex as rx

from app.views.tablets import HeldView, TabletNotice, TabletView
from components.layout import TOUCH
from components.words import t


def _fact(label: rx.Component | str, value) -> rx.Component:
    return rx.vstack(rx.text(label, size="1", color=rx.color("gray", 11)),
                     rx.text(value, size="2", weight="medium"), spacing="0", min_width="0")


def _state_badge(row: TabletView) -> rx.Component:
    """Needs attention, lost or fine, in words; the colour only repeats it."""
    return rx.cond(
        row.attention,
        rx.badge(rx.icon("triangle-alert", size=14), t("Needs attention"), color_scheme="red",
                 variant="solid", size="2"),
        rx.cond(row.lost != "",
                rx.badge(t("Marked lost"), color_scheme="gray", variant="soft", size="2"),
                rx.badge(t("In touch"), color_scheme="green", variant="soft", size="2")),
    )


def tablet_card(row: TabletView, on_lost) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.flex(
                rx.text(row.device_id, size="2", weight="bold", font_family="monospace",
                        word_break="break-all"),
                _state_badge(row),
                justify="between", align="start", gap="8px", width="100%",
            ),
            rx.cond(row.attention, rx.unordered_list(
                rx.foreach(row.reasons, lambda reason: rx.list_item(
                    rx.text(reason, size="2", weight="medium", color=rx.color("red", 11)))),
                margin_left="1.2em", margin_y="0")),
            rx.cond(row.lost != "", rx.text(row.lost, size="2")),
            rx.grid(
                _fact(t("Prison"), row.prison),
                _fact(t("Last contact"), row.last_contact),
                _fact(t("Last officer"), row.last_officer),
                _fact(t("Entries waiting"), row.waiting),
                _fact(t("Oldest waiting"), row.oldest_waiting),
                _fact(t("App version"), row.app_version),
                columns=rx.breakpoints(initial="2", md="3"), gap="12px", width="100%",
            ),
            rx.cond(row.can_mark_lost,
                    rx.button(rx.icon("shield-off", size=18), t("Mark lost"), size="3",
                              variant="soft", color_scheme="red", min_height=TOUCH,
                              on_click=on_lost(row.device_id))),
            spacing="3", width="100%",
        ),
        width="100%",
        border_left=rx.cond(row.attention, f"4px solid {rx.color('red', 9)}", "none"),
        data_testid="tablet",
    )


def held_table(rows: rx.Var[list[HeldView]]) -> rx.Component:
    return rx.table.root(
        rx.table.header(rx.table.row(
            rx.table.column_header_cell(t("Officer")),
            rx.table.column_header_cell(t("Tablet")),
            rx.table.column_header_cell(t("Entries waiting")),
            rx.table.column_header_cell(t("Oldest waiting")),
            rx.table.column_header_cell(t("Reported")),
        )),
        rx.table.body(rx.foreach(rows, lambda row: rx.table.row(
            rx.table.cell(row.officer),
            rx.table.cell(rx.text(row.device_id, font_family="monospace", word_break="break-all",
                                  size="2")),
            rx.table.cell(row.waiting), rx.table.cell(row.oldest_waiting),
            rx.table.cell(row.reported),
        ))),
        variant="surface", width="100%",
    )


def attention_notice(notice: TabletNotice) -> rx.Component:
    """The security head's "N tablets need attention", with why; nothing when none do."""
    return rx.cond(
        notice.title != "",
        rx.callout.root(
            rx.callout.icon(rx.icon("tablet")),
            rx.vstack(
                rx.text(notice.title, weight="bold"),
                rx.foreach(notice.reasons, lambda reason: rx.text(reason, size="2")),
                spacing="1",
            ),
            color_scheme="amber", role="status", width="100%", data_testid="tablet-notice",
            class_name="ww-no-print",  # a state of the tablets now, not a figure of the report
        ),
    )
