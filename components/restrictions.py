"""Restriction of processing on the pages that show a prisoner (issue 12 item 5): the banner,
the withheld case and the form that opens it with a reason. Plain functions of data."""

from __future__ import annotations

import reflex as rx

from app.views.restrictions import RestrictionBanner
from components.words import t


def banner(b: RestrictionBanner) -> rx.Component:
    return rx.cond(b.shown, rx.callout.root(
        rx.callout.icon(rx.icon("lock")),
        rx.vstack(
            rx.text(b.title, weight="bold", size="3"),
            rx.text(b.detail, size="2"),
            rx.cond(b.opened != "", rx.text(b.opened, size="2", weight="medium")),
            spacing="1"),
        color_scheme="violet", role="note", width="100%", class_name="ww-restriction-banner"))


def badge(restricted: rx.Var[bool]) -> rx.Component:
    """Beside a prisoner's name in a list."""
    return rx.cond(restricted, rx.badge(rx.icon("lock", size=12), t("Restricted"),
                                        color_scheme="violet", size="2", variant="soft"))


def open_form(on_submit, on_cancel, minimum: int, hint: rx.Var[str]) -> rx.Component:
    """A reason, required, then open or cancel."""
    return rx.form(
        rx.vstack(
            rx.el.label(hint, html_for="open-reason", font_weight="500"),
            rx.text_area(id="open-reason", name="reason", rows="3", size="3", width="100%",
                         min_length=minimum, max_length=2000, auto_focus=True),
            rx.flex(rx.button(t("Open restricted record"), type="submit", size="3"),
                    rx.button(t("Cancel"), type="button", variant="soft", size="3",
                              on_click=on_cancel),
                    gap="12px", wrap="wrap"),
            spacing="2", width="100%",
        ),
        on_submit=on_submit, reset_on_submit=False, width="100%",
    )


def withheld(prisoner: rx.Var[str], number: rx.Var[str], wing: rx.Var[str],
             b: RestrictionBanner, asking: rx.Var[bool], on_ask, form: rx.Component,
             alert: rx.Component) -> rx.Component:
    """A restricted case before it is opened: who the prisoner is, the banner, the way in."""
    return rx.vstack(
        rx.card(rx.vstack(
            rx.heading(prisoner, size="8", as_="h1"),
            rx.text(number, " · ", wing, size="3", color=rx.color("gray", 11)),
            spacing="1"), width="100%", size="3"),
        banner(b),
        rx.card(rx.vstack(
            rx.text(t("The timeline, the screening record and the decisions are not shown. "
                      "Open the record only if your work needs it now; say why.")),
            alert,
            rx.cond(asking, form,
                    rx.button(rx.icon("lock-open", size=16), t("Open restricted record"),
                              size="3", variant="outline", on_click=on_ask)),
            spacing="3", width="100%"), width="100%"),
        spacing="3", width="100%",
    )
