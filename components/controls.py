"""Form controls more than one page uses."""

from __future__ import annotations

import reflex as rx

from components.layout import TOUCH


def labelled_select(label: str, value: rx.Var[str], on_change: rx.EventHandler,
                    options: list[tuple[str, str]], extra: rx.Component | None = None
                    ) -> rx.Component:
    """A select with a visible label; Radix needs a value that is never ''."""
    return rx.vstack(
        rx.text(label, size="2", weight="medium"),
        rx.select.root(
            rx.select.trigger(aria_label=label, min_height=TOUCH, min_width="150px"),
            rx.select.content(*[rx.select.item(text, value=key) for key, text in options],
                              *([extra] if extra is not None else [])),
            value=value, on_change=on_change, size="3",
        ),
        spacing="1",
    )
