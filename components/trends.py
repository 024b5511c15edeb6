"""The trends page's parts: number tiles, charts and the table of the same numbers beneath each.

Plain functions of the view's data (app/views/trends.py); no state, no session. The view's
chart points have plain keys ("concern", "current"); each series gets its name here, in the
tab's language, so the legend and the tooltip speak it too.
"""

from __future__ import annotations

import reflex as rx

from app.views.trends import Table, Tile
from components.words import t

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
        width="100%", min_width="0", overflow_wrap="anywhere",
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


def section(title: rx.Var[str], note: rx.Var[str] | str, *content: rx.Component
            ) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(title, size="4", as_="h2"),
            rx.cond(note != "", rx.text(note, size="2", color=rx.color("gray", 11))),
            *content,
            spacing="3", width="100%",
        ),
        width="100%", min_width="0", class_name="ww-trend-section",
    )


def _axes(x_key: str) -> list[rx.Component]:
    return [
        rx.recharts.cartesian_grid(stroke_dasharray="3 3", vertical=False),
        # Week labels need room: recharts skips some rather than let them overlap.
        rx.recharts.x_axis(data_key=x_key, tick_size=4, font_size=12, min_tick_gap=24,
                           interval="preserveStartEnd"),
        rx.recharts.y_axis(allow_decimals=False, width=48, font_size=12),
        rx.recharts.graphing_tooltip(),
    ]


def _chart(series: list[tuple[str, rx.Var[str], str]], *parts: rx.Component,
           **props) -> rx.Component:
    """A bar chart with its legend. The legend is ours, in HTML: recharts' own labels each
    swatch "… legend icon" in English for screen readers. The chart itself is hidden from
    them (and out of the tab order): the table beneath it reads the same numbers out."""
    bars = [rx.recharts.bar(data_key=key, name=name, fill=colour, **props.pop("bar", {}))
            for key, name, colour in series]
    return rx.vstack(
        rx.box(rx.recharts.bar_chart(*bars, *parts, width="100%",
                                     custom_attrs={"accessibilityLayer": False}, **props),
               aria_hidden="true", width="100%"),
        rx.flex(*[rx.hstack(rx.box(width="12px", height="12px", background=colour,
                                   border_radius="2px", flex_shrink="0"),
                            rx.text(name, size="2"), spacing="2", align="center")
                  for _, name, colour in series],
                gap="8px 16px", wrap="wrap", justify="center", width="100%"),
        spacing="2", width="100%",
    )


def weekly_chart(data: rx.Var[list[dict]]) -> rx.Component:
    return _chart([("concern", t("Concern"), CONCERN), ("protective", t("Protective"),
                                                         PROTECTIVE)],
                  *_axes("week"), bar={"stack_id": "kind"}, data=data, height=CHART_HEIGHT)


def flags_chart(data: rx.Var[list[dict]]) -> rx.Component:
    return _chart([("flagged", t("Flagged"), FLAGGED)], *_axes("week"), data=data,
                  height=CHART_HEIGHT)


def wing_chart(data: rx.Var[list[dict]]) -> rx.Component:
    return _chart([("concern", t("Concern"), CONCERN), ("protective", t("Protective"),
                                                         PROTECTIVE)],
                  *_axes("wing"), data=data, height=CHART_HEIGHT)


def category_chart(data: rx.Var[list[dict]]) -> rx.Component:
    """Horizontal bars: eleven category names read better down the side than under bars."""
    return _chart(
        [("previous", t("Previous period"), PREVIOUS), ("current", t("This period"), CONCERN)],
        rx.recharts.cartesian_grid(stroke_dasharray="3 3", horizontal=False),
        rx.recharts.x_axis(type_="number", allow_decimals=False, font_size=12),
        rx.recharts.y_axis(data_key="category", type_="category", width=160, font_size=12,
                           interval=0),
        rx.recharts.graphing_tooltip(),
        data=data, layout="vertical", height=460,
    )


def outcome_chart(data: rx.Var[list[dict]]) -> rx.Component:
    return _chart([("decisions", t("Decisions"), rx.color("accent", 9))], *_axes("outcome"),
                  data=data, height=CHART_HEIGHT)
