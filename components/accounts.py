"""Pieces of the accounts pages: a labelled field, a native select, status badges, a table."""

from __future__ import annotations

import reflex as rx

from components.layout import TOUCH
from components.words import t

Text = str | rx.Var[str]


def field(label: Text, name: str, field_id: str, value: Text = "", **props) -> rx.Component:
    return rx.vstack(
        rx.el.label(label, html_for=field_id, font_size="14px", font_weight="500"),
        rx.input(id=field_id, name=name, default_value=value, key=value, size="3",
                 min_height=TOUCH, width="100%", **props),
        spacing="1", min_width="160px", flex="1",
    )


def native_select(label: Text, name: str, field_id: str, options: list[tuple[str, Text]],
                  value: Text | None = None) -> rx.Component:
    """A select that a form sends by its name (Radix's own does not take part in forms)."""
    return rx.vstack(
        rx.el.label(label, html_for=field_id, font_size="14px", font_weight="500"),
        rx.el.select(*[rx.el.option(text, value=code) for code, text in options],
                     id=field_id, name=name, class_name="ww-native-select",
                     **({"default_value": value, "key": value} if value is not None else {})),
        spacing="1", min_width="160px", flex="1",
    )


def submit(label: str, icon: str, test_id: str = "", **props) -> rx.Component:
    return rx.button(rx.icon(icon, size=18), t(label), type="submit", size="3",
                     min_height=TOUCH, custom_attrs={"data-testid": test_id} if test_id else {},
                     **props)


def account_badges(active: rx.Var[bool], locked: rx.Var[bool],
                   must_change: rx.Var[bool]) -> rx.Component:
    return rx.hstack(
        rx.cond(active, rx.badge(t("Active"), color_scheme="green", size="2"),
                rx.badge(t("Inactive"), color_scheme="gray", size="2")),
        rx.cond(locked, rx.badge(rx.icon("lock", size=12), t("Locked out"),
                                 color_scheme="red", size="2")),
        rx.cond(must_change, rx.badge(t("Must change password"), color_scheme="amber",
                                      size="2")),
        spacing="1", wrap="wrap",
    )


def table(headers: list[str], rows: rx.Var[list], row: callable, label: Text) -> rx.Component:
    """A table that scrolls sideways on a narrow screen rather than squeezing its columns."""
    return rx.box(
        rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(t(text))
                                           for text in headers])),
            rx.table.body(rx.foreach(rows, row)),
            variant="surface", size="2", width="100%", aria_label=label,
        ),
        overflow_x="auto", width="100%",
    )
