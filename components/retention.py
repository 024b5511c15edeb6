"""Pieces of the retention page: a rule of the schedule, a run, the preview's lines."""

from __future__ import annotations

import reflex as rx

from app.views.retention import PreviewLine, RuleView, RunView
from components.words import t


def _fact(name: rx.Var[str], value: rx.Var[str]) -> rx.Component:
    return rx.vstack(rx.text(name, size="1", color=rx.color("gray", 11)),
                     rx.text(value, size="2", weight="medium"), spacing="0")


def rule_card(rule: RuleView) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(rule.records, size="3", as_="h3"),
            rx.grid(
                _fact(t("Counted from"), rule.counted_from),
                _fact(t("Period"), rule.period),
                _fact(t("Then"), rule.then),
                columns="3", gap="12px", width="100%",
            ),
            rx.cond(rule.note != "", rx.text(rule.note, size="2", color=rx.color("gray", 11))),
            spacing="2", width="100%",
        ),
        width="100%", data_testid="retention-rule",
    )


def run_card(run: RunView) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(rx.text(run.when, weight="bold"), rx.badge(run.trigger, variant="soft"),
                      spacing="2", align="center", wrap="wrap"),
            rx.unordered_list(rx.foreach(run.lines, lambda line: rx.list_item(
                rx.text(line, size="2"))), margin_left="1.2em", margin_y="0"),
            spacing="2", width="100%",
        ),
        width="100%", data_testid="retention-run",
    )


def preview_list(lines: rx.Var[list[PreviewLine]]) -> rx.Component:
    return rx.cond(
        lines.length() > 0,
        rx.unordered_list(rx.foreach(lines, lambda line: rx.list_item(
            rx.text(rx.text.strong(line.rule), ": ", line.counts, size="2"))),
            margin_left="1.2em", margin_y="0", data_testid="retention-preview"),
        rx.text(t("Nothing is due."), size="2", data_testid="retention-preview"),
    )
