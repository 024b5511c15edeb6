"""The data-protection officer's page parts: the prisoner card with its restrictions, and the
subject-access report as a printable document (app/services/access_report_pdf.Document, the
same the PDF is made from). Plain functions taking data; the texts are already in the reader's
language, made by app/views/dpo.py."""

from __future__ import annotations

import reflex as rx

from app.services.access_report_pdf import Document, Entry, Field, Section
from app.views.dpo import CardView, RestrictionLine
from components.layout import TOUCH
from components.words import t

MARK_RED = "#b42318"  # as the PDF marks it


def redaction_mark(name: rx.Var[str], mark: rx.Var[str]) -> rx.Component:
    """A staff name and, beside it, the mark that says: decide before release."""
    return rx.el.span(
        rx.el.span(name),
        " ",
        rx.el.mark(mark, class_name="ww-redact", background="transparent", color=MARK_RED,
                   font_weight="700", padding="0"),
        custom_attrs={"data-testid": "redact"},
    )


def _field(item: Field, doc: Document) -> rx.Component:
    head = rx.text(
        rx.el.strong(item.label),
        rx.cond(item.free, rx.fragment(),
                rx.cond(item.value != "", rx.fragment(": ", item.value))),
        rx.cond(item.staff != "",
                rx.fragment(rx.cond((item.value != "") & ~item.free, " ", ": "),
                            redaction_mark(item.staff, doc.mark))),
        size="2",
    )
    return rx.box(
        head,
        rx.cond(item.free,
                rx.text(item.value, size="2", white_space="pre-wrap", lang=item.lang,
                        padding="6px 10px", margin_y="2px", border_radius="6px",
                        background=rx.color("gray", 3),
                        border_left=f"3px solid {rx.color('gray', 7)}")),
        rx.cond((item.note != "") | item.free,
                rx.text(item.note, rx.cond((item.note != "") & item.free, " · ", ""),
                        rx.cond(item.free, doc.free_note, ""), size="1",
                        color=rx.color("gray", 11))),
        width="100%",
    )


def _entry(entry: Entry, doc: Document) -> rx.Component:
    return rx.vstack(
        rx.heading(entry.heading, size="3", as_="h4"),
        rx.foreach(entry.lines, lambda item: _field(item, doc)),
        spacing="1", width="100%", class_name="ww-report-entry", padding_y="6px",
        border_top=f"1px solid {rx.color('gray', 5)}", break_inside="avoid-page",
    )


def _section(section: Section, doc: Document) -> rx.Component:
    return rx.el.section(
        rx.vstack(
            rx.heading(section.heading, size="5", as_="h3"),
            rx.cond(section.intro != "",
                    rx.text(section.intro, size="2", color=rx.color("gray", 11))),
            rx.cond(section.blocks.length() > 0,
                    rx.foreach(section.blocks, lambda entry: _entry(entry, doc)),
                    rx.text(section.empty, size="2")),
            spacing="2", width="100%",
        ),
        width="100%",
    )


def report(doc: Document) -> rx.Component:
    """The report as it prints: title, facts, what to do before release, the sections and
    the redaction summary."""
    return rx.el.article(
        rx.vstack(
            rx.heading(doc.title, size="7", as_="h2"),
            rx.foreach(doc.facts, lambda item: _field(item, doc)),
            rx.foreach(doc.notices, lambda text: rx.callout(text, icon="eye-off",
                                                            color_scheme="amber", size="1",
                                                            width="100%")),
            rx.foreach(doc.sections, lambda section: _section(section, doc)),
            rx.el.section(
                rx.vstack(
                    rx.heading(doc.redaction_heading, size="5", as_="h3"),
                    rx.text(doc.redaction_intro, size="2"),
                    rx.unordered_list(rx.foreach(
                        doc.redactions,
                        lambda name: rx.list_item(redaction_mark(name, doc.mark)))),
                    spacing="2", width="100%",
                ),
                custom_attrs={"data-testid": "redaction-summary"}, width="100%",
            ),
            spacing="3", width="100%",
        ),
        aria_label=doc.title, class_name="ww-report", width="100%",
        custom_attrs={"data-testid": "access-report"},
    )


def restriction(line: RestrictionLine, on_lift, lifting: rx.Var[int],
                lift_form: rx.Component) -> rx.Component:
    return rx.box(
        rx.vstack(
            rx.hstack(
                rx.badge(rx.icon("lock", size=12), line.ground,
                         color_scheme=rx.cond(line.in_force, "red", "gray"), size="2"),
                rx.cond(line.in_force, rx.badge(t("In force"), color_scheme="red", size="2"),
                        rx.badge(t("Lifted"), color_scheme="gray", size="2")),
                spacing="2", wrap="wrap",
            ),
            rx.text(line.reason, size="2", lang=line.lang, white_space="pre-wrap"),
            rx.text(line.byline, size="1", color=rx.color("gray", 11)),
            rx.cond(line.lifted != "", rx.text(line.lifted, size="1",
                                               color=rx.color("gray", 11))),
            rx.cond(line.in_force & (lifting != line.id),
                    rx.button(rx.icon("lock-open", size=18), t("Lift restriction"), size="3",
                              variant="soft", min_height=TOUCH, on_click=on_lift(line.id),
                              custom_attrs={"data-testid": "lift-start"})),
            rx.cond(lifting == line.id, lift_form),
            spacing="2", width="100%",
        ),
        padding="12px", border_radius="8px", border=f"1px solid {rx.color('gray', 6)}",
        width="100%", custom_attrs={"data-testid": "restriction"},
    )


def card(view: CardView, restrictions: rx.Component, place_form: rx.Component) -> rx.Component:
    """The prisoner found: who, where, the restrictions, and placing one."""
    return rx.card(
        rx.vstack(
            rx.flex(
                rx.vstack(rx.heading(view.name, size="6", as_="h2"),
                          rx.text(view.number, " · ", view.place, size="3",
                                  color=rx.color("gray", 11)),
                          rx.cond(view.dates != "", rx.text(view.dates, size="2")),
                          spacing="1"),
                rx.cond(view.restricted,
                        rx.badge(rx.icon("lock", size=14), t("Processing restricted"),
                                 color_scheme="red", size="3"),
                        rx.badge(t("No restriction in force"), color_scheme="green",
                                 size="3")),
                justify="between", wrap="wrap", gap="12px", width="100%",
            ),
            rx.heading(t("Restrictions of processing"), size="4", as_="h3"),
            restrictions,
            rx.cond(view.restricted, rx.fragment(), place_form),
            spacing="3", width="100%",
        ),
        width="100%", class_name="ww-no-print", custom_attrs={"data-testid": "prisoner-card"},
    )
