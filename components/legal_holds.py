"""The legal-hold panel of the screening case page (issue 12 item 4): the holds on this item and
its prisoner's observations, releasing one early, and putting the item or one observation on
hold with a reason and an end date. `S` is the panel's state (state/legal_holds.CaseHoldState);
the panel loads itself when it shows, after the case was read."""

from __future__ import annotations

import reflex as rx

from app.views.legal_holds import HoldLine
from components.controls import day_field
from components.layout import TOUCH
from components.screening import alert, language_badge, notice
from components.words import t


def _hold(line: HoldLine, on_release) -> rx.Component:
    return rx.box(
        rx.flex(
            rx.text(line.what, weight="bold", size="2"),
            rx.cond(line.in_force,
                    rx.badge(rx.icon("lock", size=12), line.until, color_scheme="violet",
                             size="1", white_space="normal"),
                    rx.badge(line.until, color_scheme="gray", size="1", white_space="normal")),
            gap="6px", wrap="wrap", align="center",
        ),
        rx.text(line.byline, size="1", color=rx.color("gray", 11)),
        rx.vstack(language_badge(line.language),
                  rx.text(line.reason, size="2", white_space="pre-wrap", lang=line.lang),
                  spacing="1"),
        rx.cond(line.in_force, rx.button(t("Release"), size="2", variant="soft",
                                         color_scheme="gray", min_height=TOUCH,
                                         on_click=on_release(line.id))),
        padding_y="8px", border_bottom=f"1px solid {rx.color('gray', 4)}", width="100%",
        custom_attrs={"data-testid": "legal-hold"},
    )


def _form(S) -> rx.Component:  # noqa: N803  (a state class)
    return rx.form(
        rx.vstack(
            rx.text(t("Put on legal hold"), weight="bold"),
            rx.el.label(t("What to keep"), html_for="hold-subject", font_weight="500",
                        font_size="14px"),
            rx.el.select(rx.foreach(S.choices, lambda c: rx.el.option(c[1], value=c[0])),
                         id="hold-subject", name="subject", class_name="ww-native-select",
                         width="100%"),
            day_field(t("Hold until"), "until", "case-hold-until", S.suggested, S.day_example,
                      required=True),
            rx.text(S.date_hint, size="2"),
            rx.el.label(S.reason_hint, html_for="case-hold-reason", font_weight="500",
                        font_size="14px"),
            rx.text_area(id="case-hold-reason", name="reason", rows="3", size="3",
                         width="100%", max_length=2000, required=True,
                         placeholder=t("e.g. court case, complaint or investigation, and its "
                                       "reference")),
            rx.button(rx.icon("lock", size=18), t("Put on hold"), type="submit", size="3",
                      min_height=TOUCH, color_scheme="violet"),
            spacing="2", width="100%",
        ),
        on_submit=S.place, reset_on_submit=True, width="100%",
    )


def _release_dialog(S) -> rx.Component:  # noqa: N803
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title(t("Release this hold?")),
            rx.alert_dialog.description(
                t("From now on the record is kept only as the retention schedule says. This is "
                  "recorded in the audit log."), size="2"),
            rx.flex(
                rx.alert_dialog.cancel(rx.button(t("Cancel"), variant="soft",
                                                 color_scheme="gray", size="3",
                                                 min_height=TOUCH, on_click=S.cancel_release)),
                rx.alert_dialog.action(rx.button(t("Release"), size="3", min_height=TOUCH,
                                                 on_click=S.release)),
                gap="12px", justify="end", margin_top="16px", wrap="wrap",
            ),
            max_width="480px",
        ),
        open=S.releasing != 0, on_open_change=lambda _open: S.cancel_release,
    )


def hold_panel(S) -> rx.Component:  # noqa: N803
    """The card beside the case's actions; it shows once the case has been read."""
    return rx.card(
        rx.vstack(
            rx.heading(t("Legal hold"), size="4", as_="h2"),
            rx.cond(S.item_held != "",
                    rx.callout(S.item_held, icon="lock", color_scheme="violet", size="1",
                               width="100%"),
                    rx.text(t("Keep a record needed as evidence (court, complaint, "
                              "investigation) beyond its retention period."), size="2",
                            color=rx.color("gray", 11))),
            notice(S.notice),
            alert(S.message),
            rx.cond(S.holds.length() > 0,
                    rx.vstack(rx.foreach(S.holds, lambda line: _hold(line, S.ask_release)),
                              spacing="0", width="100%")),
            rx.cond(S.item_id != 0, _form(S)),
            _release_dialog(S),
            spacing="3", width="100%",
        ),
        width="100%", on_mount=S.load, aria_label=t("Legal hold"),
        custom_attrs={"data-testid": "legal-hold-panel"},
    )
