"""/password: choose a new password. After an administrator's reset it is the only page the
user reaches until they do (SessionState.enter_page sends every other page here)."""

from __future__ import annotations

import reflex as rx

from app.i18n.messages import N_
from app.pages.frame import signed_in_frame
from components.layout import TOUCH
from components.screening import alert
from components.words import t
from state import password
from state.password import PasswordState as S

ROUTE = password.ROUTE
TITLE = N_("New password")
ON_LOAD = S.load


def _field(label: str, name: str, field_id: str, autocomplete: str) -> rx.Component:
    return rx.vstack(
        rx.el.label(t(label), html_for=field_id, font_size="14px", font_weight="500"),
        rx.input(id=field_id, name=name, type="password", size="3", min_height=TOUCH,
                 max_length=256, required=True, auto_complete=autocomplete, width="100%"),
        spacing="1", width="100%",
    )


def page() -> rx.Component:
    return signed_in_frame(
        rx.center(
            rx.card(
                rx.form(
                    rx.vstack(
                        rx.heading(t("Choose a new password"), size="7", as_="h1"),
                        rx.cond(S.forced,
                                rx.text(t("Your password was reset by an administrator. Choose "
                                          "your own before you continue."),
                                        color=rx.color("gray", 11))),
                        rx.text(S.rules, size="2", color=rx.color("gray", 11)),
                        rx.cond(~S.forced, _field(N_("Current password"), "current",
                                                  "password-current", "current-password")),
                        _field(N_("New password"), "new", "password-new", "new-password"),
                        _field(N_("New password again"), "repeat", "password-repeat",
                               "new-password"),
                        alert(S.error),
                        rx.button(rx.icon("key-round", size=18), t("Set new password"),
                                  type="submit", size="3", min_height=TOUCH, width="100%",
                                  custom_attrs={"data-testid": "set-password"}),
                        spacing="4", width="100%",
                    ),
                    # assets/wingwatch.js reads these two before the form is sent and cleared.
                    rx.el.input(type="hidden", id="password-username", value=S.username),
                    on_submit=S.change, reset_on_submit=True, id="password-form",
                ),
                size="4", width="100%", max_width="460px",
            ),
            padding_y="24px",
        ),
    )
