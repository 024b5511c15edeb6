"""/admin/prisons: prisons, their wings and their lists of locations."""

from __future__ import annotations

import reflex as rx

from app.i18n.messages import N_
from app.pages.frame import signed_in_frame
from app.views.organisation import LocationItem, PrisonItem, WingItem, language_fields
from components.admin import admin_page
from components.layout import TOUCH
from components.screening import alert, notice
from components.words import t
from state import admin_prisons
from state.admin_prisons import AdminPrisonsState as S

ROUTE = admin_prisons.ROUTE
TITLE = N_("Prisons and wings")
ON_LOAD = S.load


def _field(label: rx.Var[str] | str, name: str, field_id: str, value: rx.Var[str] | str = "",
           **props) -> rx.Component:
    return rx.vstack(
        rx.el.label(label, html_for=field_id, font_size="14px", font_weight="500"),
        rx.input(id=field_id, name=name, default_value=value, key=value, size="3",
                 min_height=TOUCH, width="100%", **props),
        spacing="1", min_width="160px", flex="1",
    )


def _submit(label: str, icon: str, button_id: str = "") -> rx.Component:
    return rx.button(rx.icon(icon, size=18), t(label), type="submit", size="3",
                     min_height=TOUCH, align_self="end", id=button_id or None)


def _form(on_submit: rx.EventHandler, *fields: rx.Component, reset: bool = False
          ) -> rx.Component:
    return rx.form(rx.flex(*fields, gap="12px", wrap="wrap", align="end", width="100%"),
                   on_submit=on_submit, reset_on_submit=reset, width="100%")


def _prison_row(prison: PrisonItem) -> rx.Component:
    chosen = S.chosen == prison.code
    return rx.link(
        rx.hstack(rx.badge(prison.code, size="2", variant="surface"),
                  rx.text(prison.name, weight="medium"),
                  rx.text(prison.wings, size="2", color=rx.color("gray", 11)),
                  spacing="3", align="center", wrap="wrap"),
        href=prison.href, min_height=TOUCH, padding="10px 12px", border_radius="8px",
        underline="none", display="flex", align_items="center",
        background=rx.cond(chosen, rx.color("teal", 3), "transparent"),
        aria_current=rx.cond(chosen, "page", None),
    )


def _prisons() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(t("Prisons"), size="5", as_="h2"),
            rx.cond(S.prisons.length() > 0,
                    rx.vstack(rx.foreach(S.prisons, _prison_row), spacing="1", width="100%"),
                    rx.text(t("No prison yet: create the first one below."))),
            rx.heading(t("New prison"), size="3", as_="h3"),
            _form(S.create_prison,
                  _field(t("Code"), "code", "prison-code", max_length=16,
                         placeholder="NPC"),  # a sample code: never translated
                  _field(t("Name"), "name", "prison-name", max_length=120),
                  _submit(N_("Create prison"), "plus", "create-prison"), reset=True),
            spacing="3", width="100%",
        ),
        width="100%",
    )


def _wing_row(wing: WingItem) -> rx.Component:
    return rx.flex(
        rx.badge(wing.code, size="2", variant="surface"),
        rx.form(
            rx.hstack(
                rx.el.input(type="hidden", name="wing", value=wing.code),
                rx.input(name="name", default_value=wing.name, key=wing.name, size="3",
                         max_length=120, aria_label=t("Name"), min_height=TOUCH),
                rx.button(t("Rename"), type="submit", size="3", variant="soft",
                          min_height=TOUCH),
                spacing="2", align="center",
            ),
            on_submit=S.rename_wing, reset_on_submit=False, flex="1 1 280px",
            max_width="480px",
        ),
        rx.badge(wing.status, color_scheme=rx.cond(wing.closed, "gray", "green"), size="2"),
        rx.cond(wing.closed,
                rx.button(t("Open again"), size="3", variant="ghost", min_height=TOUCH,
                          on_click=S.reopen_wing(wing.code),
                          custom_attrs={"data-testid": "reopen-wing"}),
                rx.button(rx.icon("lock", size=16), t("Close wing"), size="3", variant="soft",
                          color_scheme="red", min_height=TOUCH,
                          on_click=S.ask_close_wing(wing.code),
                          custom_attrs={"data-testid": "close-wing"})),
        gap="12px", wrap="wrap", align="center", width="100%",
        custom_attrs={"data-testid": "wing-row"}, padding_y="4px",
    )


def _close_dialog() -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title(t("Close wing"), " ", S.closing),
            rx.alert_dialog.description(
                t("From today the wing takes no new postings or prisoners and leaves the "
                  "officers' tablets. It is kept: old observations name it."), size="2"),
            # Plain buttons: Radix's own Cancel and Action would also close the dialog, and
            # that second event could clear the wing before close_wing reads it.
            rx.flex(
                rx.button(t("Cancel"), variant="soft", color_scheme="gray", size="3",
                          min_height=TOUCH, on_click=S.cancel_close_wing),
                rx.button(t("Close wing"), color_scheme="red", size="3", min_height=TOUCH,
                          on_click=S.close_wing, id="confirm-close-wing"),
                gap="12px", justify="end", margin_top="16px",
            ),
            max_width="480px",
        ),
        open=S.closing != "",
        on_open_change=lambda _open: S.cancel_close_wing,  # Escape
    )


def _wings() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(t("Wings"), size="5", as_="h2"),
            rx.cond(S.wings.length() > 0,
                    rx.vstack(rx.foreach(S.wings, _wing_row), spacing="2", width="100%"),
                    rx.text(t("No wing yet."))),
            rx.heading(t("New wing"), size="3", as_="h3"),
            _form(S.create_wing,
                  _field(t("Code"), "code", "wing-code", max_length=16, placeholder="A"),
                  _field(t("Name"), "name", "wing-name", max_length=120),
                  _submit(N_("Create wing"), "plus", "create-wing"), reset=True),
            _close_dialog(),
            spacing="3", width="100%",
        ),
        width="100%",
    )


def _name_fields(prefix: str, values: rx.Var[list[str]] | None = None) -> list[rx.Component]:
    """One field per language a location's name is written in, each labelled in its own
    language (lang) so a screen reader says it right."""
    return [rx.box(_field(rx.el.span(endonym, lang=code), f"name_{code}",
                          f"{prefix}-{code}", values[n] if values is not None else "",
                          max_length=80, lang=code, required=True),
                   min_width="200px", flex="1")
            for n, (code, endonym) in enumerate(language_fields())]


def _icon_button(icon: str, label: str, on_click, disabled=False) -> rx.Component:
    return rx.icon_button(rx.icon(icon, size=18), size="3", variant="soft", on_click=on_click,
                          aria_label=t(label), title=t(label), disabled=disabled,
                          min_width=TOUCH, min_height=TOUCH)


def _location_row(loc: LocationItem) -> rx.Component:
    return rx.vstack(
        rx.flex(
            rx.vstack(
                rx.text(loc.label, weight="medium",
                        color=rx.cond(loc.retired, rx.color("gray", 10), None)),
                rx.hstack(rx.code(loc.code, size="1"),
                          rx.cond(loc.standard, rx.badge(t("Standard"), size="1"),
                                  rx.badge(t("This prison's own"), size="1",
                                           color_scheme="teal")),
                          rx.cond(loc.retired, rx.badge(t("Retired"), size="1",
                                                        color_scheme="gray")),
                          spacing="2", wrap="wrap"),
                spacing="1", flex="1", min_width="180px",
            ),
            rx.hstack(
                _icon_button("arrow-up", N_("Move up"), S.move_up(loc.code), loc.first),
                _icon_button("arrow-down", N_("Move down"), S.move_down(loc.code), loc.last),
                rx.cond(loc.standard, rx.fragment(),
                        rx.button(t("Rename"), size="3", variant="soft", min_height=TOUCH,
                                  on_click=S.edit_location(loc.code))),
                rx.cond(loc.retired,
                        rx.button(t("Restore"), size="3", variant="soft", min_height=TOUCH,
                                  on_click=S.restore_location(loc.code)),
                        rx.button(t("Retire"), size="3", variant="soft", color_scheme="gray",
                                  min_height=TOUCH, on_click=S.retire_location(loc.code))),
                spacing="2", wrap="wrap",
            ),
            gap="12px", wrap="wrap", align="center", width="100%",
        ),
        rx.cond(S.editing == loc.code, _form(
            S.rename_location, *_name_fields("rename-" + loc.code, loc.names),
            _submit(N_("Save names"), "check"),
            rx.button(t("Cancel"), type="button", size="3", variant="ghost", min_height=TOUCH,
                      on_click=S.cancel_edit_location, align_self="end"))),
        width="100%", spacing="2", padding_y="6px",
        custom_attrs={"data-testid": "location-row"},
        border_bottom=f"1px solid {rx.color('gray', 4)}",
    )


def _locations() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(t("Locations"), size="5", as_="h2"),
            rx.text(t("What the capture form offers officers of this prison, in this order. A "
                      "retired location is no longer offered but stays in old entries."),
                    size="2", color=rx.color("gray", 11)),
            rx.vstack(rx.foreach(S.locations, _location_row), spacing="0", width="100%"),
            rx.heading(t("New location"), size="3", as_="h3"),
            rx.text(t("Its name in every language; Serbian Cyrillic is written from the Latin."),
                    size="2", color=rx.color("gray", 11)),
            _form(S.add_location, *_name_fields("new-location"),
                  _submit(N_("Add location"), "plus", "add-location"), reset=True),
            spacing="3", width="100%",
        ),
        width="100%",
    )


def _chosen() -> rx.Component:
    return rx.vstack(
        rx.card(
            rx.vstack(
                rx.hstack(rx.heading(S.name, size="6", as_="h2"),
                          rx.badge(S.chosen, size="2", variant="surface"), align="center",
                          wrap="wrap"),
                _form(S.rename_prison,
                      _field(t("Name"), "name", "prison-rename", S.name, max_length=120),
                      _submit(N_("Rename prison"), "pencil", "rename-prison")),
                spacing="3", width="100%",
            ),
            width="100%",
        ),
        _wings(),
        _locations(),
        spacing="4", width="100%",
    )


def page() -> rx.Component:
    return signed_in_frame(admin_page(
        ROUTE, TITLE,
        alert(S.message),
        notice(S.notice),
        _prisons(),
        rx.cond(S.chosen != "", _chosen()),
    ))
