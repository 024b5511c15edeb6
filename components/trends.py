"""The trends page's parts: number tiles, charts and the table of the same numbers beneath each.

Plain functions of the view's data (app/views/trends.py); no state, no session.
"""

from __future__ import annotations

import reflex as rx

from app.views.trends import Table, Tile

CONCERN = rx.color("tomato", 9)
PROTECTIVE = rx.color("grass", 9)
FLAGGED = rx.color("amber", 9)
PREVIOUS = rx.color("gray", 8)
CHART_HEIGHT = 260


def tile(item: Tile) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text(item.label, size="2", color=rx.color("gray", 11)),
            rx.text(item.value, size="7", weight="bold", class_name="ww-tile-value"),
            rx.cond(item.note != "", rx.text(item.note, size="1", color=rx.color("gray", 11))),
            spacing="1",
        ),
        width="100%",
    )


def tiles(items: rx.Var[list[Tile]]) -> rx.Component:
    return rx.grid(rx.foreach(items, tile), columns=rx.breakpoints(initial="2", md="4"),
                   spacing="3", width="100%")


def data_table(table: rx.Var[Table]) -> rx.Component:
    """The chart's numbers as a table: read by screen readers, printed in full."""
    return rx.box(
        rx.table.root(
            rx.table.header(rx.table.row(rx.foreach(
                table.headers, lambda h: rx.table.column_header_cell(h, scope="col")))),
            rx.table.body(rx.foreach(table.rows, lambda row: rx.table.row(
                rx.foreach(row, lambda cell: rx.table.cell(cell))))),
            size="1", variant="surface", width="100%",
            aria_label=table.title,
        ),
        class_name="ww-table-scroll", max_height="320px", overflow_y="auto", width="100%",
    )


def section(title: str, note: str, *content: rx.Component) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(title, size="4", as_="h2"),
            rx.cond(note != "", rx.text(note, size="2", color=rx.color("gray", 11))),
            *content,
            spacing="3", width="100%",
        ),
        width="100%", class_name="ww-trend-section",
    )


def _axes(x_key: str) -> list[rx.Component]:
    return [
        rx.recharts.cartesian_grid(stroke_dasharray="3 3", vertical=False),
        # Week labels need room: recharts skips some rather than let them overlap.
        rx.recharts.x_axis(data_key=x_key, tick_size=4, font_size=12, min_tick_gap=24,
                           interval="preserveStartEnd"),
        rx.recharts.y_axis(allow_decimals=False, width=48, font_size=12),
        rx.recharts.graphing_tooltip(),
        rx.recharts.legend(),
    ]


def weekly_chart(data: rx.Var[list[dict]]) -> rx.Component:
    return rx.recharts.bar_chart(
        rx.recharts.bar(data_key="Concern", stack_id="kind", fill=CONCERN),
        rx.recharts.bar(data_key="Protective", stack_id="kind", fill=PROTECTIVE),
        *_axes("week"),
        data=data, width="100%", height=CHART_HEIGHT,
    )


def flags_chart(data: rx.Var[list[dict]]) -> rx.Component:
    return rx.recharts.bar_chart(
        rx.recharts.bar(data_key="Flagged", fill=FLAGGED),
        *_axes("week"),
        data=data, width="100%", height=CHART_HEIGHT,
    )


def wing_chart(data: rx.Var[list[dict]]) -> rx.Component:
    return rx.recharts.bar_chart(
        rx.recharts.bar(data_key="Concern", fill=CONCERN),
        rx.recharts.bar(data_key="Protective", fill=PROTECTIVE),
        *_axes("wing"),
        data=data, width="100%", height=CHART_HEIGHT,
    )


def category_chart(data: rx.Var[list[dict]]) -> rx.Component:
    """Horizontal bars: eleven category names read better down the side than under bars."""
    return rx.recharts.bar_chart(
        rx.recharts.bar(data_key="Previous period", fill=PREVIOUS),
        rx.recharts.bar(data_key="This period", fill=CONCERN),
        rx.recharts.cartesian_grid(stroke_dasharray="3 3", horizontal=False),
        rx.recharts.x_axis(type_="number", allow_decimals=False, font_size=12),
        rx.recharts.y_axis(data_key="category", type_="category", width=160, font_size=12,
                           interval=0),
        rx.recharts.graphing_tooltip(),
        rx.recharts.legend(),
        data=data, layout="vertical", width="100%", height=460,
    )


def outcome_chart(data: rx.Var[list[dict]]) -> rx.Component:
    return rx.recharts.bar_chart(
        rx.recharts.bar(data_key="Decisions", fill=rx.color("accent", 9)),
        *_axes("outcome"),
        data=data, width="100%", height=CHART_HEIGHT,
    )
