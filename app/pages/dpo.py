"""/dpo: the data-protection officer's workspace. Find a prisoner of a prison in reach, see and
change the restrictions of their records, and produce the subject-access report for a period:
on the page (which prints), and as a PDF. Producing it, printing it and downloading it are
each an audited disclosure."""

from __future__ import annotations

import reflex as rx

from app.i18n.messages import N_
from app.pages.frame import signed_in_frame
from components import accounts as ui
from components import dpo
from components.controls import day_field
from components.layout import TOUCH
from components.screening import alert, notice
from components.words import t
from state import dpo as dpo_state
from state.dpo import DpoState as S

ROUTE = dpo_state.ROUTE
TITLE = N_("Data protection")
ON_LOAD = S.load


def _search() -> rx.Component:
    return rx.card(
        rx.form(
            rx.flex(
                rx.vstack(
                    rx.el.label(t("Prison"), html_for="dpo-prison", font_size="14px",
                                font_weight="500"),
                    rx.el.select(
                        rx.foreach(S.prisons, lambda p: rx.el.option(p[1], value=p[0])),
                        id="dpo-prison", name="prison", default_value=S.prison, key=S.prison,
                        class_name="ww-native-select"),
                    spacing="1", min_width="200px", flex="1"),
                ui.field(t("Prisoner number"), "number", "dpo-number", S.number,
                         max_length=32, required=True, auto_complete="off"),
                ui.submit(N_("Find"), "search", "dpo-find"),
                gap="12px", wrap="wrap", align="end", width="100%",
            ),
            on_submit=S.find, reset_on_submit=False, width="100%",
        ),
        width="100%", class_name="ww-no-print",
    )


def _lift_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.el.label(t("Why is it lifted?"), html_for="dpo-lift-reason", font_size="14px",
                        font_weight="500"),
            rx.text_area(id="dpo-lift-reason", name="reason", required=True, max_length=2000,
                         rows="3", width="100%"),
            rx.hstack(
                ui.submit(N_("Lift restriction"), "lock-open", "dpo-lift", color_scheme="red"),
                rx.button(t("Cancel"), size="3", variant="ghost", min_height=TOUCH,
                          type="button", on_click=S.cancel_lift),
                spacing="2", wrap="wrap"),
            spacing="2", width="100%",
        ),
        on_submit=S.lift, reset_on_submit=True, width="100%",
    )


def _place_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.heading(t("Restrict processing"), size="3", as_="h4"),
            rx.text(t("The records leave the screening queue, the ordinary case view and the "
                      "trends; treatment staff can open them only with a reason, which is "
                      "audited."), size="2", color=rx.color("gray", 11)),
            rx.flex(
                rx.vstack(
                    rx.el.label(t("Ground"), html_for="dpo-ground", font_size="14px",
                                font_weight="500"),
                    rx.el.select(rx.foreach(S.grounds,
                                            lambda g: rx.el.option(g[1], value=g[0])),
                                 id="dpo-ground", name="ground",
                                 class_name="ww-native-select"),
                    spacing="1", min_width="220px"),
                gap="12px", wrap="wrap", width="100%"),
            rx.el.label(t("Reason"), html_for="dpo-reason", font_size="14px",
                        font_weight="500"),
            rx.text_area(id="dpo-reason", name="reason", required=True, max_length=2000,
                         rows="3", width="100%"),
            ui.submit(N_("Place restriction"), "lock", "dpo-restrict"),
            spacing="2", width="100%",
        ),
        on_submit=S.restrict, reset_on_submit=True, width="100%",
    )


def _restrictions() -> rx.Component:
    return rx.cond(
        S.card.restrictions.length() > 0,
        rx.vstack(rx.foreach(S.card.restrictions,
                             lambda line: dpo.restriction(line, S.ask_lift, S.lifting,
                                                          _lift_form())),
                  spacing="2", width="100%"),
        rx.text(t("None so far."), size="2"))


def _report_form() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(t("Subject-access report"), size="5", as_="h2"),
            rx.text(t("What Wingwatch holds about this prisoner for a period, with staff names "
                      "marked for redaction. Producing it is recorded in the audit log as a "
                      "disclosure."), size="2", color=rx.color("gray", 11)),
            rx.form(
                rx.flex(
                    day_field(t("First day"), "since", "dpo-since", S.since, S.day_example,
                              required=True),
                    day_field(t("Last day"), "until", "dpo-until", S.until, S.day_example,
                              required=True),
                    ui.submit(N_("Produce report"), "file-text", "dpo-produce"),
                    gap="12px", wrap="wrap", align="end", width="100%",
                ),
                on_submit=S.produce, reset_on_submit=False, width="100%",
            ),
            spacing="3", width="100%",
        ),
        width="100%", class_name="ww-no-print",
    )


def _report_actions() -> rx.Component:
    return rx.hstack(
        rx.button(rx.icon("download", size=18), t("Download PDF"), size="3",
                  min_height=TOUCH, on_click=S.download_pdf,
                  custom_attrs={"data-testid": "dpo-pdf"}),
        rx.button(rx.icon("printer", size=18), t("Print"), size="3", variant="soft",
                  min_height=TOUCH, on_click=S.print_report),
        spacing="3", wrap="wrap", class_name="ww-no-print",
    )


def page() -> rx.Component:
    return signed_in_frame(
        rx.vstack(
            rx.heading(t(TITLE), size="8", as_="h1", class_name="ww-no-print"),
            rx.text(t("Restrictions of processing and the prisoner's right of access. You "
                      "see the prisoners of the prisons you are posted to."), size="3",
                    color=rx.color("gray", 11), class_name="ww-no-print"),
            _search(),
            rx.box(alert(S.message), notice(S.notice), width="100%", class_name="ww-no-print"),
            rx.cond(S.card.found,
                    rx.fragment(
                        dpo.card(S.card, _restrictions(), _place_form()),
                        _report_form(),
                        rx.cond(S.report.title != "",
                                rx.fragment(_report_actions(), dpo.report(S.report))),
                    )),
            spacing="4", width="100%",
        ),
    )
