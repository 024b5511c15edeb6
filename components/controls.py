"""Form controls more than one page uses."""

from __future__ import annotations

import reflex as rx

from components.layout import TOUCH
from components.words import t

Text = str | rx.Var[str]  # a text already in the reader's language (components.words.t)


def language_select(field_id: str, value: rx.Var[str], on_change: rx.EventHandler,
                    choices: rx.Var[list[list[str]]], *, label_shown: bool = True
                    ) -> rx.Component:
    """The language choice: a native select, which a gloved hand and a screen reader both know,
    listing each language by its own name ([code, endonym] pairs). In the header the word
    "Language" is for screen readers only and the globe says it to the eye, to leave room."""
    return rx.hstack(
        rx.el.label(
            rx.icon("globe", size=20, aria_hidden="true"),
            rx.el.span(t("Language"), class_name="" if label_shown else "ww-visually-hidden"),
            html_for=field_id, display="flex", align_items="center", gap="6px",
            font_weight="500",
        ),
        rx.el.select(
            rx.foreach(choices, lambda choice: rx.el.option(choice[1], value=choice[0],
                                                            lang=choice[0])),
            id=field_id, value=value, on_change=on_change, title=t("Language"),
            class_name="ww-native-select ww-language-select",
        ),
        align="center", spacing="2",
    )


def labelled_select(label: Text, value: rx.Var[str], on_change: rx.EventHandler,
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


def labelled_input_form(label: Text, field_id: str, name: str, value: rx.Var[str],
                        on_submit: rx.EventHandler, button: rx.Component,
                        **input_props) -> rx.Component:
    """One labelled field and its button, sent together; the field shows `value` again after
    the page reloads with it (the key makes React take the new default)."""
    return rx.form(
        rx.vstack(
            rx.el.label(label, html_for=field_id, font_size="14px", font_weight="500"),
            rx.hstack(
                rx.input(id=field_id, name=name, default_value=value, key=value, size="3",
                         **input_props),
                button,
                spacing="2",
            ),
            spacing="1",
        ),
        on_submit=on_submit, reset_on_submit=False,
    )


def day_field(label: Text, name: str, field_id: str, value: Text = "", example: Text = "",
              required: bool = False) -> rx.Component:
    """A day typed as the reader's locale writes it (the state reads it with
    Messages.parse_day); `example` is the hint the state wrote (day_example). Not <input
    type=date>: Chromium writes that in its own locale's order (mm/dd/yyyy), whatever the page
    speaks."""
    hint = f"{field_id}-hint"
    return rx.vstack(
        rx.el.label(label, html_for=field_id, font_size="14px", font_weight="500"),
        # No min_height here: the stylesheet's 48 px box holds a 44 px input; 44 px on the box
        # left the input itself 42 px.
        rx.input(id=field_id, name=name, default_value=value, key=value, size="3",
                 width="100%", max_length=24, required=required,
                 placeholder=example, aria_describedby=hint, auto_complete="off"),
        rx.text(example, id=hint, size="1", color=rx.color("gray", 11)),
        spacing="1", min_width="160px", flex="1",
    )
