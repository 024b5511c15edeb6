"""/login: username and password, then the home page of the user's role."""

from __future__ import annotations

import reflex as rx

from app.i18n.labels import ROLE_LABELS
from app.i18n.messages import N_
from app.settings import get_settings
from app.vocabulary import Role
from components import layout
from components.controls import language_select
from components.words import t, t_of
from state.language import LanguageState
from state.login import LoginState
from state.session import SessionState

ROUTE = "/login"
TITLE = N_("Sign in")

DEMO_ACCOUNTS = (
    ("officer1", N_("Officer, wing A")),
    ("officer2", N_("Officer, wing B")),
    ("screener1", ROLE_LABELS[Role.TREATMENT]),
    ("screener2", ROLE_LABELS[Role.TREATMENT]),
    ("security1", ROLE_LABELS[Role.SECURITY_HEAD]),
    ("admin1", ROLE_LABELS[Role.ADMIN]),
    ("dpo1", ROLE_LABELS[Role.DATA_PROTECTION]),
)


def _field(label: rx.Var[str], name: str, kind: str, autocomplete: str) -> rx.Component:
    return rx.vstack(
        rx.el.label(label, html_for=f"login-{name}", font_weight="500"),
        rx.input(id=f"login-{name}", name=name, type=kind, auto_complete=autocomplete,
                 size="3", width="100%", required=True, max_length=256),
        spacing="1", width="100%",
    )


def _demo_accounts() -> rx.Component:
    return rx.el.details(
        rx.el.summary(t("Demo accounts"), cursor="pointer"),
        rx.hstack(rx.text(t("Password of every demo account:"), size="2"),
                  rx.code("wingwatch-demo"), align="center", spacing="2", wrap="wrap"),
        rx.table.root(
            rx.table.body(*[
                rx.table.row(rx.table.cell(rx.code(name)), rx.table.cell(t(what)))
                for name, what in DEMO_ACCOUNTS
            ]),
            size="1",
        ),
    )


def page() -> rx.Component:
    return rx.box(
        layout.demo_banner(get_settings().demo),
        rx.center(
            rx.card(
                rx.form(
                    rx.vstack(
                        rx.hstack(rx.icon("eye", size=32, color=rx.color("accent", 10)),
                                  rx.heading("Wingwatch", size="7"), align="center"),
                        rx.text(t("Observations on the wing, screened with care."),
                                color=rx.color("gray", 11)),
                        # Before the form: the officer may need it to read the rest.
                        language_select("login-language", LanguageState.locale,
                                        LoginState.choose_language, LanguageState.choices),
                        rx.heading(t("Sign in"), size="5", as_="h1", margin_top="8px"),
                        _field(t("Username"), "username", "text", "username"),
                        _field(t("Password"), "password", "password", "current-password"),
                        rx.cond(LoginState.error != "",
                                rx.callout(t_of(LoginState.error), icon="triangle-alert",
                                           color_scheme="red", role="alert", width="100%")),
                        rx.button(t("Sign in"), type="submit", size="4", width="100%"),
                        *([_demo_accounts()] if get_settings().demo else []),
                        spacing="4", width="100%",
                    ),
                    # assets/wingwatch.js derives the offline unlock verifier first (#login-form).
                    on_submit=LoginState.sign_in, id="login-form",
                    reset_on_submit=False,
                ),
                size="4", width="min(440px, 94vw)",
            ),
            min_height="90vh", padding="16px",
        ),
        layout.page_signal(SessionState.signal),
    )
