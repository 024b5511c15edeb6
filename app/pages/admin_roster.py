"""/admin/roster: a prison's roster from its management system's CSV export: the dry run's
diff first, then "Apply"."""

from __future__ import annotations

import reflex as rx

from app.i18n.messages import N_
from app.pages.frame import signed_in_frame
from app.views.roster import ChangeTable, Count, Fault
from components.admin import admin_page
from components.layout import TOUCH
from components.screening import alert, notice
from components.words import t
from state import admin_roster
from state.admin_roster import UPLOAD_ID
from state.admin_roster import AdminRosterState as S

ROUTE = admin_roster.ROUTE
TITLE = N_("Roster")
ON_LOAD = S.load
COLUMNS = "prisoner_number, given_name, family_name, wing, admitted_on, released_on"


def _prison_choice() -> rx.Component:
    return rx.vstack(
        rx.el.label(t("Prison"), html_for="roster-prison", font_size="14px", font_weight="500"),
        rx.el.select(
            rx.foreach(S.prisons, lambda p: rx.el.option(p[1], value=p[0])),
            id="roster-prison", value=S.prison, on_change=S.choose_prison,
            class_name="ww-native-select", min_height=TOUCH,
        ),
        spacing="1",
    )


def _upload() -> rx.Component:
    chosen = rx.selected_files(UPLOAD_ID)
    return rx.card(
        rx.vstack(
            rx.heading(t("Load a roster"), size="5", as_="h2"),
            rx.text(t("A CSV export of the prison management system, UTF-8, with a header "
                      "line naming these columns (the release date may be left empty):"),
                    size="2"),
            rx.code(COLUMNS, size="2", white_space="normal"),
            rx.text(t("Whoever is held in this prison but not in the file is taken as "
                      "released today. Nobody is deleted."), size="2",
                    color=rx.color("gray", 11)),
            _prison_choice(),
            rx.upload(
                rx.vstack(
                    rx.icon("file-up", size=28, aria_hidden="true"),
                    rx.text(t("Drop the CSV file here, or choose it")),
                    rx.cond(chosen.length() > 0,
                            rx.text(chosen[0], weight="medium", data_testid="chosen-file")),
                    align="center", spacing="2",
                ),
                id=UPLOAD_ID, accept={"text/csv": [".csv"]}, max_files=1, multiple=False,
                border=f"2px dashed {rx.color('gray', 8)}", border_radius="8px",
                padding="20px", width="100%", cursor="pointer",
            ),
            rx.button(rx.icon("eye", size=18), t("Preview the changes"), size="3",
                      min_height=TOUCH, on_click=S.preview(rx.upload_files(upload_id=UPLOAD_ID)),
                      disabled=S.prison == ""),
            spacing="3", width="100%", align="start",
        ),
        width="100%",
    )


def _count(count: Count) -> rx.Component:
    return rx.vstack(rx.text(count.value, size="6", weight="bold"),
                     rx.text(count.label, size="2", color=rx.color("gray", 11)),
                     spacing="0", padding="8px 12px", border_radius="8px",
                     background=rx.color("gray", 2), min_width="120px",
                     data_testid="roster-count")


def _table(table: ChangeTable) -> rx.Component:
    return rx.vstack(
        rx.heading(table.title, size="4", as_="h3"),
        rx.box(
            rx.table.root(
                rx.table.header(rx.table.row(rx.foreach(
                    table.columns, lambda c: rx.table.column_header_cell(c)))),
                rx.table.body(rx.foreach(table.rows, lambda row: rx.table.row(rx.foreach(
                    row, lambda cell: rx.table.cell(cell))))),
                size="2", variant="surface", width="100%",
            ),
            overflow_x="auto", width="100%",
        ),
        rx.cond(table.more != "", rx.text(table.more, size="2")),
        spacing="2", width="100%", data_testid=f"roster-{table.key}",
    )


def _preview() -> rx.Component:
    view = S.view
    return rx.cond(
        S.previewed | S.applied,
        rx.card(
            rx.vstack(
                rx.heading(rx.cond(S.applied, t("Imported"), t("Preview")), size="5", as_="h2"),
                rx.text(S.file_name, size="2", color=rx.color("gray", 11)),
                rx.flex(rx.foreach(view.counts, _count), gap="8px", wrap="wrap"),
                rx.cond(view.nothing_to_do,
                        rx.text(t("Nothing to change: the roster is as the file says."))),
                rx.foreach(view.tables, _table),
                rx.cond(
                    S.previewed,
                    rx.hstack(
                        rx.button(rx.icon("check", size=18), t("Apply"), size="3",
                                  min_height=TOUCH, on_click=S.apply,
                                  disabled=view.nothing_to_do),
                        rx.button(t("Cancel"), size="3", variant="soft", color_scheme="gray",
                                  min_height=TOUCH, on_click=S.start_over),
                        spacing="3", wrap="wrap",
                    ),
                ),
                spacing="3", width="100%",
            ),
            width="100%",
        ),
    )


def _fault(fault: Fault) -> rx.Component:
    return rx.table.row(rx.table.cell(fault.line), rx.table.cell(rx.code(fault.column)),
                        rx.table.cell(fault.message))


def _faults() -> rx.Component:
    return rx.cond(
        S.errors.length() > 0,
        rx.box(
            rx.table.root(
                rx.table.header(rx.table.row(
                    rx.table.column_header_cell(t("Line")),
                    rx.table.column_header_cell(t("Column")),
                    rx.table.column_header_cell(t("Problem")))),
                rx.table.body(rx.foreach(S.errors, _fault)),
                size="2", variant="surface", width="100%",
            ),
            overflow_x="auto", width="100%", data_testid="roster-errors",
        ),
    )


def page() -> rx.Component:
    return signed_in_frame(
        admin_page(ROUTE, TITLE, notice(S.notice), _upload(), alert(S.message), _faults(),
                   _preview()),
    )
