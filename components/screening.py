"""Pieces of the screening queue and case pages: plain functions of data and event handlers."""

from __future__ import annotations

import reflex as rx

from app.views.corrections import BESIDE_ASSESSMENT, BESIDE_FACTS, BESIDE_PARTICULARS
from app.views.screening import AddendumLine, HistoryLine, ObservationCard, QueueRowView
from app.vocabulary import IndicatorKind, ItemState
from components import corrections
from components.words import t

STATUS_COLOURS: dict[ItemState, str] = {
    ItemState.UNCLAIMED: "amber", ItemState.CLAIMED: "blue", ItemState.AWAITING_SIGN_OFF: "violet",
    ItemState.DUE_FOR_REVIEW: "orange", ItemState.MONITORING: "gray", ItemState.CLOSED: "green",
}


def status_badge(state: rx.Var[str], label: rx.Var[str]) -> rx.Component:
    """The item's status in words, coloured by its code (so a translated label keeps its colour)."""
    return rx.match(
        state,
        *[(code.value, rx.badge(label, color_scheme=colour, size="2", variant="soft"))
          for code, colour in STATUS_COLOURS.items()],
        rx.badge(label, size="2"),
    )


def overdue_badge(overdue: rx.Var[bool]) -> rx.Component:
    return rx.cond(overdue, rx.badge(rx.icon("clock-alert", size=14), t("Overdue"),
                                     color_scheme="red", size="2", variant="solid",
                                     white_space="normal"))


def alert(message: rx.Var[str]) -> rx.Component:
    return rx.cond(message != "", rx.callout(message, icon="triangle-alert", color_scheme="red",
                                             role="alert", width="100%"))


def notice(message: rx.Var[str]) -> rx.Component:
    return rx.cond(message != "", rx.callout(message, icon="circle-check", color_scheme="green",
                                             role="status", width="100%"))


def language_badge(language: rx.Var[str]) -> rx.Component:
    """Beside a free text: the language it was written in, which may not be the reader's."""
    return rx.badge(rx.icon("languages", size=12), language, variant="surface", color_scheme="gray",
                    size="1", white_space="normal", title=t("Written in"))


def _reasons(reasons: rx.Var[list[str]]) -> rx.Component:
    return rx.unordered_list(rx.foreach(reasons, lambda r: rx.list_item(rx.text(r, size="2"))),
                             margin_left="1.2em", margin_y="0")


def queue_row(row: QueueRowView, on_claim, on_take_over) -> rx.Component:
    """One prisoner's open item: who, why, how much, when due, who holds it, what to do.

    Stacked on a tablet; on a desktop one line per prisoner, so forty flags fit a few screens."""
    return rx.card(
        rx.grid(
            rx.vstack(
                rx.link(rx.heading(row.prisoner, size="4", as_="h2"), href=row.href),
                rx.text(row.number, " · ", row.wing, size="2", color=rx.color("gray", 11)),
                rx.hstack(overdue_badge(row.overdue), status_badge(row.state, row.status),
                          spacing="2", wrap="wrap"),
                spacing="1",
            ),
            rx.vstack(_reasons(row.reasons), rx.text(row.counts, size="2",
                                                     color=rx.color("gray", 11)),
                      spacing="1"),
            rx.vstack(
                rx.text(row.first_flagged, size="2"),
                rx.text(row.due, size="2", weight="bold",
                        color=rx.cond(row.overdue, rx.color("red", 11), rx.color("gray", 12))),
                rx.hstack(rx.icon("user-round", size=16), rx.text(row.holder, size="2"),
                          align="center", spacing="1"),
                spacing="1",
            ),
            rx.flex(
                rx.cond(row.can_claim,
                        rx.button(t("Claim"), size="3", on_click=on_claim(row.item_id))),
                rx.cond(row.can_take_over,
                        rx.button(t("Take over"), size="3", variant="outline",
                                  on_click=on_take_over(row.item_id))),
                rx.link(rx.button(t("Open case"), size="3", variant="soft"), href=row.href),
                gap="8px", wrap="wrap", justify="end", align_self="center",
            ),
            grid_template_columns=["1fr", "1fr", "1fr",
                                   "minmax(170px, 1fr) minmax(0, 2fr) minmax(190px, 1fr) auto"],
            gap="10px 20px", width="100%",
        ),
        width="100%", size="2", role="article", aria_label=row.prisoner,
    )


def take_over_form(on_submit, on_cancel, minimum: int, hint: rx.Var[str],
                   error: rx.Var[str] | None = None) -> rx.Component:
    """Take-over: a short reason (of at least `minimum` characters, which `hint` says in the
    tab's language), required, then confirm or cancel."""
    return rx.form(
        rx.vstack(
            rx.text(t("Reason for taking over"), weight="bold"),
            rx.el.label(hint, html_for="take-over-reason", font_size="14px"),
            rx.text_area(id="take-over-reason", name="reason", rows="3", width="100%",
                         size="3", min_length=minimum, max_length=2000, auto_focus=True),
            alert(error) if error is not None else rx.fragment(),
            rx.flex(rx.button(t("Take over"), type="submit", size="3"),
                    rx.button(t("Cancel"), type="button", variant="soft", size="3",
                              on_click=on_cancel),
                    gap="12px", wrap="wrap"),
            spacing="2", width="100%",
        ),
        on_submit=on_submit, reset_on_submit=False, width="100%",
    )


def _section(title: rx.Var[str], body: rx.Var[str], colour: str,
             lang: rx.Var[str]) -> rx.Component:
    """A heading in the reader's language over a free text in its own (`lang`)."""
    return rx.box(
        rx.text(title, size="1", weight="bold", text_transform="uppercase",
                letter_spacing="0.04em", color=rx.color(colour, 11)),
        rx.text(body, size="3", white_space="pre-wrap", lang=lang),
        padding="8px 12px", border_left=f"4px solid {rx.color(colour, 8)}",
        background=rx.color(colour, 2), border_radius="4px", width="100%",
    )


def observation_card(obs: ObservationCard) -> rx.Component:
    """Facts, the officer's assessment and the source, visibly apart."""
    protective = obs.kind == IndicatorKind.PROTECTIVE
    return rx.card(
        rx.vstack(
            rx.flex(
                rx.text(obs.when, " · ", obs.location, weight="bold", size="2"),
                rx.spacer(),
                rx.hstack(
                    rx.cond(protective,
                            rx.badge(rx.icon("shield-check", size=14), t("Protective"),
                                     color_scheme="green", size="2", white_space="normal"),
                            rx.badge(obs.concern, color_scheme="orange", size="2",
                                     white_space="normal")),
                    rx.cond(obs.flagged, rx.badge(rx.icon("flag", size=14), t("Flagged"),
                                                  color_scheme="red", size="2",
                                                  white_space="normal")),
                    language_badge(obs.language),
                    spacing="2", wrap="wrap",
                ),
                width="100%", wrap="wrap", gap="6px",
            ),
            rx.flex(rx.foreach(obs.indicators, lambda label: rx.badge(
                label, variant="outline", size="2", white_space="normal", text_align="left")),
                    gap="6px", wrap="wrap"),
            _section(t("Facts — what was seen or heard"), obs.facts, "gray", obs.lang),
            corrections.notes(obs.corrections, BESIDE_FACTS),
            rx.cond(obs.assessment != "",
                    _section(t("Officer's assessment (opinion)"), obs.assessment, "blue",
                             obs.lang)),
            corrections.notes(obs.corrections, BESIDE_ASSESSMENT),
            rx.text(obs.source, size="2", color=rx.color("gray", 11)),
            corrections.notes(obs.corrections, BESIDE_PARTICULARS),
            rx.cond(obs.flag_reason != "",
                    rx.text(t("Officer's reason for flagging"), ": ",
                            rx.el.span(obs.flag_reason, lang=obs.lang), size="2")),
            rx.foreach(obs.addenda, _addendum),
            spacing="2", width="100%",
        ),
        width="100%", role="article",
        border_left=rx.cond(protective, f"4px solid {rx.color('green', 9)}",
                            f"4px solid {rx.color('orange', 9)}"),
    )


def _addendum(line: AddendumLine) -> rx.Component:
    return rx.box(
        rx.flex(rx.text(t("Addendum"), " — ", line.byline, size="1", weight="bold"),
                language_badge(line.language), gap="6px", wrap="wrap", align="center"),
        rx.text(line.text, size="2", font_style="italic", white_space="pre-wrap",
                lang=line.lang),
        width="100%",
    )


def history_list(lines: rx.Var[list[HistoryLine]], empty: rx.Var[str]) -> rx.Component:
    return rx.cond(
        lines.length() > 0,
        rx.vstack(
            rx.foreach(lines, lambda line: rx.box(
                rx.text(line.what, weight="bold", size="2"),
                rx.text(line.when, " · ", line.who, size="1", color=rx.color("gray", 11)),
                rx.cond(line.text != "", rx.vstack(
                    language_badge(line.language),
                    rx.text(line.text, size="2", white_space="pre-wrap", lang=line.lang),
                    spacing="1")),
                padding_y="6px", border_bottom=f"1px solid {rx.color('gray', 4)}", width="100%",
            )),
            spacing="0", width="100%",
        ),
        rx.text(empty, size="2", color=rx.color("gray", 11)),
    )
