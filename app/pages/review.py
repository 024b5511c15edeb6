"""/review: the records whose review date has come, for treatment staff of their prison and the
data-protection officer; extend, anonymise or erase now, and legal holds, from the list."""

from __future__ import annotations

import reflex as rx

from app.i18n.messages import N_
from app.pages.frame import signed_in_frame
from app.views.review import ALL_CLASSES, WHEN_CHOICES, WHEN_LABELS
from components import review as ui
from components.controls import labelled_select
from components.layout import TOUCH
from components.screening import alert, notice
from components.words import t
from state import review as review_state
from state.review import ReviewState as S

ROUTE = review_state.ROUTE
TITLE = N_("Review list")
ON_LOAD = S.load

WHEN_OPTIONS = [(key, t(WHEN_LABELS[key])) for key in WHEN_CHOICES]


def _filters() -> rx.Component:
    return rx.flex(
        labelled_select(t("Show"), S.when, S.filter_when, WHEN_OPTIONS),
        labelled_select(t("Kind of record"),
                        rx.cond(S.record_class == "", ALL_CLASSES, S.record_class),
                        S.filter_class, [(ALL_CLASSES, t("Every kind"))],
                        rx.foreach(S.classes, lambda c: rx.select.item(c[1], value=c[0]))),
        rx.button(t("Clear filters"), variant="ghost", size="3", on_click=S.clear_filters,
                  align_self="end", min_height=TOUCH),
        gap="12px 16px", wrap="wrap", align="end", width="100%",
    )


def _rows() -> rx.Component:
    return rx.cond(
        S.rows.length() > 0,
        rx.vstack(rx.foreach(S.rows, lambda row: ui.review_row(
            row, S.ask_extend, S.ask_anonymise, S.ask_erase, S.ask_hold)),
            spacing="3", width="100%"),
        rx.card(rx.text(rx.cond(S.total > 0, t("No entries match these filters."),
                                t("Nothing to review. Records appear here 30 days before "
                                  "their review date."))), width="100%"),
    )


def _dialogs() -> rx.Component:
    return rx.fragment(
        ui.form_dialog(
            S.dialog == "extend", t("Keep this record longer"), S.dialog_what,
            t("The retention schedule leaves it alone until the new date, and it comes back "
              "to this list before then. The reason is recorded."),
            ui.date_reason_form(t("Keep until"), "extend-until", S.suggested, S.day_example,
                                S.date_hint, S.reason_hint, S.dialog_error, t("Extend"),
                                S.extend, S.cancel),
            S.cancel),
        ui.form_dialog(
            S.dialog == "hold", t("Put on legal hold"), S.dialog_what,
            t("A record needed as evidence (court, complaint, investigation) is kept, whatever "
              "the schedule says, until the hold ends or is released."),
            ui.date_reason_form(t("Hold until"), "hold-until", S.suggested, S.day_example,
                                S.date_hint, S.reason_hint, S.dialog_error, t("Put on hold"),
                                S.hold, S.cancel),
            S.cancel),
        ui.confirm_dialog(
            (S.dialog == "anonymise") | (S.dialog == "erase"),
            rx.cond(S.dialog == "erase", t("Erase this record now?"),
                    t("Anonymise this record now?")),
            S.dialog_what,
            rx.cond(S.dialog == "erase",
                    t("Its personal data goes for good: free text, the prisoner and the author. "
                      "A tombstone keeps its class, dates and this decision. This cannot be "
                      "undone."),
                    t("The person goes for good; what the trends count (prison, wing, week, "
                      "category) stays. This cannot be undone.")),
            S.dialog_error,
            rx.cond(S.dialog == "erase", t("Erase now"), t("Anonymise now")),
            S.confirm, S.cancel),
    )


def page() -> rx.Component:
    return signed_in_frame(
        rx.vstack(
            rx.heading(t(TITLE), size="8", as_="h1"),
            rx.text(t("Records whose review date comes within 30 days or has passed. Decide on "
                      "each: keep it longer with a reason, anonymise it or erase it now. Those "
                      "past their date come first."), size="3", color=rx.color("gray", 11)),
            rx.text(S.summary, size="2", role="status"),
            _filters(),
            notice(S.notice),
            alert(S.message),
            _rows(),
            _dialogs(),
            spacing="4", width="100%",
        ),
    )
