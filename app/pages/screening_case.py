"""/screening/<item id>: one prisoner's screening item, read in full, and the decision on it."""

from __future__ import annotations

import reflex as rx

from app.pages.frame import signed_in_frame
from app.i18n.messages import N_
from app.services.restrictions import MIN_REASON as MIN_OPEN_REASON
from app.services.screening import MIN_TAKE_OVER_REASON
from app.views.screening import OUTCOME_LABELS, SUPPORT_LABELS
from app.vocabulary import ItemState, Outcome
from components import corrections as correction_ui
from components.legal_holds import hold_panel
from components import layout
from components import restrictions as restriction_ui
from components import screening as ui
from components.words import t
from state.legal_holds import CaseHoldState
from state.screening_case import ScreeningCaseState as S

ROUTE = "/screening/[item_id]"
TITLE = N_("Screening case")
ON_LOAD = S.load

OUTCOME_HINTS: dict[Outcome, str] = {
    Outcome.NO_FURTHER_ACTION: N_("Closes the item."),
    Outcome.MONITOR: N_("The item leaves the queue and returns on the review date."),
    Outcome.REFER_ASSESSMENT: N_("To the specialist team (VERA-2R, ERG22+ or the national "
                                 "tool). Counts only once a second member of treatment staff "
                                 "signs it off."),
    Outcome.REFER_SUPPORT: N_("Closes the item with a referral to the support you choose."),
}


def _header() -> rx.Component:
    case = S.case
    return rx.card(
        rx.vstack(
            rx.flex(
                rx.vstack(
                    rx.heading(case.prisoner, size="8", as_="h1"),
                    rx.text(case.number, " · ", case.wing, size="3",
                            color=rx.color("gray", 11)),
                    spacing="1",
                ),
                rx.spacer(),
                rx.flex(ui.overdue_badge(case.overdue), ui.status_badge(case.state, case.status),
                        gap="8px", wrap="wrap"),
                width="100%", wrap="wrap", gap="8px", align="start",
            ),
            rx.flex(
                rx.text(case.opened, size="2"),
                rx.text(case.due, size="2", weight="bold"),
                rx.text(case.holder, size="2"),
                gap="4px 20px", wrap="wrap",
            ),
            rx.cond(case.decision != "", rx.text(case.decision, weight="bold")),
            spacing="3", width="100%",
        ),
        width="100%", size="3",
    )


def _outcome_choice(key: Outcome) -> rx.Component:
    return rx.el.label(
        rx.hstack(
            rx.radio_group.item(value=key, margin_top="3px"),
            rx.vstack(rx.text(t(OUTCOME_LABELS[key]), weight="medium"),
                      rx.text(t(OUTCOME_HINTS[key]), size="2", color=rx.color("gray", 11)),
                      spacing="0"),
            spacing="3", align="start",
        ),
        padding="10px", border=f"1px solid {rx.color('gray', 5)}", border_radius="8px",
        width="100%", cursor="pointer",
    )


def _decision_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.heading(t("Record a decision"), size="5", as_="h2"),
            rx.radio_group.root(
                rx.vstack(*[_outcome_choice(key) for key in OUTCOME_LABELS], spacing="2",
                          width="100%"),
                name="outcome", value=S.outcome, on_change=S.choose_outcome, size="3",
                aria_label=t("Decision"), width="100%",
            ),
            rx.cond(S.outcome == Outcome.MONITOR, rx.vstack(
                rx.el.label(t("Review date"), html_for="review-on", font_weight="500"),
                # Dates as the screener's locale writes them (see views.review_choices).
                rx.el.select(
                    rx.el.option(t("Choose…"), value=""),
                    rx.foreach(S.review_choices,
                               lambda choice: rx.el.option(choice[1], value=choice[0])),
                    id="review-on", name="review_on", class_name="ww-native-select"),
                spacing="1")),
            rx.cond(S.outcome == Outcome.REFER_SUPPORT, rx.vstack(
                rx.el.label(t("Kind of support"), html_for="support-kind", font_weight="500"),
                rx.el.select(
                    rx.el.option(t("Choose…"), value=""),
                    *[rx.el.option(t(text), value=key) for key, text in SUPPORT_LABELS.items()],
                    id="support-kind", name="support_kind", class_name="ww-native-select"),
                spacing="1")),
            rx.el.label(S.reason_hint, html_for="decision-reason", font_weight="500"),
            rx.text_area(id="decision-reason", name="reason", rows="4", size="3", width="100%",
                         max_length=2000),
            rx.button(t("Record decision"), type="submit", size="3"),
            spacing="3", width="100%",
        ),
        on_submit=S.decide, reset_on_submit=False, width="100%",
    )


def _actions() -> rx.Component:
    case = S.case
    return rx.card(
        rx.vstack(
            ui.notice(S.notice),
            ui.alert(S.message),
            rx.cond(case.can_claim, rx.button(t("Claim"), size="3", on_click=S.claim)),
            rx.cond(case.can_take_over, rx.cond(
                S.taking_over,
                # Its refusals show in the page's own alert above.
                ui.take_over_form(S.take_over, S.cancel_take_over, MIN_TAKE_OVER_REASON,
                                  S.take_over_hint),
                rx.button(t("Take over"), size="3", variant="outline",
                          on_click=S.ask_take_over))),
            rx.cond(case.can_decide, _decision_form()),
            rx.cond(case.can_sign_off, rx.vstack(
                rx.text(t("This referral for risk and needs assessment counts only once a "
                          "second member of treatment staff signs it off.")),
                rx.button(t("Sign off referral"), size="3", on_click=S.sign_off),
                spacing="2")),
            rx.cond(case.sign_off_refused != "", rx.text(case.sign_off_refused, size="2")),
            rx.cond(case.state == ItemState.CLOSED,
                    rx.text(t("This item is closed. A correction or a later note goes in an "
                              "addendum."), size="2")),
            rx.cond(case.state == ItemState.MONITORING,
                    rx.text(t("Being monitored: the item returns to the queue on its review "
                              "date."), size="2")),
            spacing="3", width="100%",
        ),
        width="100%",
    )


def _addendum_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.el.label(t("Add an addendum (a note or a correction; nothing is ever edited)"),
                        html_for="addendum-text", font_weight="500"),
            rx.text_area(id="addendum-text", name="text", rows="3", size="3", width="100%",
                         max_length=2000),
            rx.cond(S.correction_targets.length() > 0,
                    correction_ui.target_select(S.correction_targets)),
            rx.button(t("Add addendum"), type="submit", size="3", variant="soft"),
            spacing="2", width="100%",
        ),
        on_submit=S.add_addendum, reset_on_submit=True, width="100%",
    )


def _side() -> rx.Component:
    case = S.case
    return rx.vstack(
        _actions(),
        hold_panel(CaseHoldState),  # issue 12: legal holds (components/legal_holds.py)
        rx.card(rx.vstack(rx.heading(t("Why this was flagged"), size="4", as_="h2"),
                          rx.unordered_list(rx.foreach(case.why, rx.list_item),
                                            margin_left="1.2em"),
                          spacing="2"), width="100%"),
        rx.card(rx.vstack(rx.heading(t("Screening record"), size="4", as_="h2"),
                          ui.history_list(case.history, t("Nothing recorded yet.")),
                          _addendum_form(), spacing="3"), width="100%"),
        rx.card(rx.vstack(rx.heading(t("Other screening items for this prisoner"), size="4",
                                     as_="h2"),
                          ui.history_list(case.previous, t("None.")), spacing="2"),
                width="100%"),
        spacing="3", width="100%",
    )


def _timeline() -> rx.Component:
    return rx.vstack(
        rx.heading(t("Observations, newest first"), " (", S.case.timeline.length(), ")",
                   size="5", as_="h2"),
        rx.text(t("Concerns and protective observations alike, with the facts apart from the "
                  "officer's assessment."), size="2", color=rx.color("gray", 11)),
        rx.foreach(S.case.timeline, ui.observation_card),
        spacing="3", width="100%",
    )


def _withheld() -> rx.Component:
    """A restricted record before it is opened: the state holds nothing more than this."""
    return restriction_ui.withheld(
        S.case.prisoner, S.case.number, S.case.wing, S.restriction, S.asking_open, S.ask_open,
        restriction_ui.open_form(S.open_restricted, S.cancel_open, MIN_OPEN_REASON,
                                 S.open_hint),
        ui.alert(S.message))


def _case() -> rx.Component:
    return rx.vstack(
        _header(),
        restriction_ui.banner(S.restriction),
        rx.grid(
            _timeline(),
            _side(),
            # One column on a tablet held upright; the decision beside the timeline on a desktop.
            grid_template_columns=["1fr", "1fr", "1fr", "minmax(0, 3fr) minmax(0, 2fr)"],
            gap="16px", width="100%",
        ),
        spacing="4", width="100%",
    )


def page() -> rx.Component:
    return signed_in_frame(
        rx.vstack(
            rx.link(rx.hstack(rx.icon("arrow-left", size=18), rx.text(t("Screening queue")),
                              align="center", spacing="1"),
                    href="/screening", min_height=layout.TOUCH, display="flex",
                    align_items="center"),
            rx.cond(
                S.refused,
                layout.not_allowed(N_("This screening item is not one of your prison's. The "
                                      "attempt has been recorded.")),
                rx.cond(S.loaded, rx.cond(S.withheld, _withheld(), _case()),
                        rx.cond(S.missing != "", rx.callout(S.missing, icon="info",
                                                            role="alert"),
                                layout.checking()))),
            spacing="3", width="100%",
        ),
    )
