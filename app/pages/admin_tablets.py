"""/admin/tablets: each tablet of a prison, those needing attention first; marking one lost."""

from __future__ import annotations

import reflex as rx

from app.i18n.messages import N_
from app.pages.frame import signed_in_frame
from components import tablets as ui
from components.admin import admin_page
from components.controls import labelled_select
from components.layout import TOUCH
from components.screening import alert, notice
from components.words import t
from state import admin_tablets
from state.admin_tablets import AdminTabletsState as S

ROUTE = admin_tablets.ROUTE
TITLE = N_("Tablets")
ON_LOAD = S.load


def _filter() -> rx.Component:
    return labelled_select(
        t("Prison"), rx.cond(S.prison == "", admin_tablets.ALL, S.prison), S.filter_prison,
        [(admin_tablets.ALL, t("All prisons"))],
        rx.foreach(S.prisons, lambda p: rx.select.item(p[1], value=p[0])))


def _confirm() -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title(t("Mark this tablet lost?")),
            rx.alert_dialog.description(
                rx.text(S.confirm_device, font_family="monospace", word_break="break-all"),
                rx.text(t("Every officer who used it is signed out everywhere and their tokens "
                          "stop working. Entries it holds are still accepted if it sends them. "
                          "This is recorded in the audit log.")),
                size="2"),
            rx.flex(
                rx.alert_dialog.cancel(rx.button(t("Cancel"), variant="soft", color_scheme="gray",
                                                 size="3", min_height=TOUCH,
                                                 on_click=S.cancel_lost)),
                rx.alert_dialog.action(rx.button(t("Mark lost"), color_scheme="red", size="3",
                                                 min_height=TOUCH, on_click=S.mark_lost)),
                gap="12px", justify="end", margin_top="16px", wrap="wrap",
            ),
            max_width="520px",
        ),
        open=S.confirm_device != "",
        on_open_change=lambda _open: S.cancel_lost,
    )


def _held() -> rx.Component:
    return rx.cond(S.held.length() > 0, rx.vstack(
        rx.heading(t("Left on tablets by deactivated officers"), size="4", as_="h2"),
        rx.text(t("Entries of officers whose accounts are deactivated wait on these tablets, as "
                  "the tablets last reported. They stay on the tablet, sealed: keep it safe, and "
                  "reactivate the account for a while if the officer is to send them."),
                size="2"),
        ui.held_table(S.held),
        spacing="2", width="100%",
    ))


def page() -> rx.Component:
    return signed_in_frame(admin_page(
        ROUTE, TITLE,
        rx.text(t("Every tablet the capture page runs on, as it last reported: no entry's "
                  "content, only counts and times. A tablet is highlighted when an entry has "
                  "waited on it more than 24 hours or it has not been heard from for 3 days."),
                size="2", color=rx.color("gray", 11)),
        rx.flex(_filter(), rx.text(S.summary, size="2", role="status"), gap="16px", align="end",
                wrap="wrap"),
        notice(S.message),
        alert(S.error),
        rx.cond(S.rows.length() > 0,
                rx.grid(rx.foreach(S.rows, lambda row: ui.tablet_card(row, S.ask_lost)),
                        columns=rx.breakpoints(initial="1", lg="2"), gap="16px", width="100%"),
                rx.card(rx.text(t("No tablet has been heard from yet. A tablet appears here "
                                  "once an officer signs in on it with network.")))),
        _held(),
        _confirm(),
    ))
