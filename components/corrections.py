"""Rectification on the case page (issue 12 item 7): a corrected reading beside the fact it
corrects, and the choice of what an addendum corrects. Plain functions of data."""

from __future__ import annotations

import operator
from functools import reduce

import reflex as rx

from app.views.corrections import CorrectionLine, CorrectionTarget
from components.words import t


def _note(line: CorrectionLine) -> rx.Component:
    return rx.box(
        rx.flex(
            rx.badge(rx.icon("pencil", size=12), t("Corrected"), color_scheme="violet",
                     size="1", variant="soft"),
            rx.text(line.what, " — ", line.byline, ":", size="1", weight="bold"),
            rx.badge(rx.icon("languages", size=12), line.language, variant="surface",
                     color_scheme="gray", size="1", white_space="normal", title=t("Written in")),
            gap="6px", wrap="wrap", align="center"),
        rx.text(line.text, size="2", white_space="pre-wrap", lang=line.lang),
        padding="6px 12px", border_left=f"4px solid {rx.color('violet', 8)}",
        background=rx.color("violet", 2), border_radius="4px", width="100%",
        class_name="ww-correction",
    )


def notes(lines: rx.Var[list[CorrectionLine]], facts: tuple[str, ...]) -> rx.Component:
    """The corrected readings of these facts (CorrectedFact codes), oldest first."""
    def beside(line: CorrectionLine) -> rx.Component:
        return rx.cond(reduce(operator.or_, [line.fact == fact for fact in facts]), _note(line))

    return rx.foreach(lines, beside)


def target_select(targets: rx.Var[list[CorrectionTarget]]) -> rx.Component:
    """What an addendum corrects: nothing (a note), or one fact of one observation."""
    return rx.vstack(
        rx.el.label(t("This addendum corrects"), html_for="addendum-corrects",
                    font_weight="500"),
        rx.el.select(
            rx.el.option(t("Nothing: it is a note"), value=""),
            rx.foreach(targets, lambda target: rx.el.optgroup(
                rx.foreach(target.options,
                           lambda option: rx.el.option(option[1], value=option[0])),
                label=target.label)),
            id="addendum-corrects", name="corrects", class_name="ww-native-select"),
        rx.text(t("A correction is written as the corrected reading; the original stays as it "
                  "was recorded."), size="1", color=rx.color("gray", 11)),
        spacing="1", width="100%",
    )
