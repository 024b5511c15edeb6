"""The frame every signed-in page shares: header, navigation, demo banner, lock screen."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx
from reflex_components_core.core.banner import has_connection_errors

from app.i18n.messages import N_
from app.vocabulary import Role
from components.words import t, t_of
from state.language import LanguageState

TOUCH = "44px"  # smallest touch target, for gloved hands on a wing tablet


@dataclass(frozen=True)
class NavItem:
    label: str  # a message id
    href: str
    icon: str
    role: Role


NAV = (
    NavItem(N_("Record"), "/capture", "pencil-line", Role.OFFICER),
    NavItem(N_("My entries"), "/entries", "list-checks", Role.OFFICER),
    NavItem(N_("Screening"), "/screening", "clipboard-check", Role.TREATMENT),
    NavItem(N_("Review"), "/review", "calendar-clock", Role.TREATMENT),
    NavItem(N_("Trends"), "/trends", "chart-line", Role.SECURITY_HEAD),
    NavItem(N_("Administration"), "/admin", "settings", Role.ADMIN),
    NavItem(N_("Retention"), "/retention", "archive", Role.ADMIN),
    NavItem(N_("Data protection"), "/dpo", "shield", Role.DATA_PROTECTION),
    NavItem(N_("Review"), "/review", "calendar-clock", Role.DATA_PROTECTION),
    NavItem(N_("Retention"), "/retention", "archive", Role.DATA_PROTECTION),
)


def page_signal(signal: rx.Var[str]) -> rx.Component:
    """Where the server asks the page to run one of assets/wingwatch.js's functions
    (state/session.ask_page): a data attribute the script watches, so no eval is needed. It
    also carries the language the page speaks, which the script makes <html lang>, so screen
    readers and hyphenation follow the tab's language rather than the build's."""
    return rx.el.div(hidden=True, aria_hidden="true",
                     custom_attrs={"data-ww-signal": signal,
                                   "data-ww-lang": LanguageState.locale})


def demo_banner(show: bool) -> rx.Component:
    """Decided when the pages are compiled (at every start), so it shows even offline."""
    if not show:
        return rx.fragment()
    return rx.box(
        # i18n: the banner's first word, in capitals, before "Made-up people and accounts…"
        rx.text(t("DEMO"), weight="bold", as_="span", margin_right="8px"),
        rx.text(t("Made-up people and accounts, not for real records."), as_="span"),
        role="status", aria_label=t("Demo mode"), padding="6px 16px", text_align="center",
        background=rx.color("amber", 9), color="black", size="2", width="100%",
    )


def _nav_link(item: NavItem, role: rx.Var[str]) -> rx.Component:
    return rx.cond(
        role == item.role,
        rx.link(
            rx.hstack(rx.icon(item.icon, size=20), rx.text(t(item.label)), align="center",
                      spacing="2"),
            href=item.href, underline="none", min_height=TOUCH, display="flex",
            align_items="center", padding_x="12px", border_radius="8px", color=rx.color("gray", 12),
            _hover={"background": rx.color("accent", 4)},
        ),
    )


def brand_bar() -> rx.Component:
    """The plain top bar of the capture page, which must render with no network."""
    return rx.hstack(
        rx.icon("eye", size=26, color=rx.color("accent", 10)),
        rx.heading("Wingwatch", size="5"),
        align="center", spacing="2", padding="8px 16px", width="100%",
        border_bottom=f"1px solid {rx.color('gray', 5)}", background=rx.color("gray", 1),
    )


def header(display_name: rx.Var[str], role: rx.Var[str], role_label: rx.Var[str],
           language: rx.Component, on_sign_out: rx.EventHandler) -> rx.Component:
    """Two rows, so a 768 px tablet holds the longest translations: who is signed in, their
    language and sign-out, then where they can go. The first row wraps before it clips."""
    return rx.vstack(
        rx.hstack(
            rx.hstack(rx.icon("eye", size=26, color=rx.color("accent", 10)),
                      rx.text("Wingwatch", size="5", weight="bold"), align="center", spacing="2"),
            rx.hstack(
                rx.vstack(rx.text(display_name, weight="medium", size="2"),
                          rx.text(role_label, size="1", color=rx.color("gray", 11)),
                          spacing="0", align="end"),
                language,
                rx.button(rx.icon("log-out", size=18), t("Sign out"), on_click=on_sign_out,
                          variant="soft", size="3"),
                # Wrapped under the brand (a long name), it stays at the right.
                align="center", spacing="3", wrap="wrap", justify="end", margin_left="auto",
            ),
            align="center", spacing="3", width="100%", wrap="wrap",
        ),
        rx.el.nav(rx.hstack(*[_nav_link(item, role) for item in NAV], spacing="1", wrap="wrap"),
                  aria_label=t("Main")),
        spacing="2", padding_x="16px", padding_top="8px", padding_bottom="4px", width="100%",
        border_bottom=f"1px solid {rx.color('gray', 5)}", background=rx.color("gray", 1),
        class_name="ww-no-print",
    )


def lock_screen(error: rx.Var[str], on_unlock: rx.EventHandler, on_type: rx.EventHandler,
                on_sign_out: rx.EventHandler, display_name: rx.Var[str]) -> rx.Component:
    """`error` holds a message id (state/session.py), shown in the tab's language."""
    return rx.center(
        rx.card(
            rx.form(
                rx.vstack(
                    rx.hstack(rx.icon("lock", size=28), rx.heading(t("Locked"), size="6"),
                              align="center"),
                    rx.text(t("This page locked itself after a while without use.")),
                    rx.text(display_name, weight="bold"),
                    rx.text(t("Enter your password to carry on.")),
                    rx.el.label(t("Password"), html_for="unlock-password", font_weight="500"),
                    rx.input(id="unlock-password", name="password", type="password",
                             auto_complete="current-password", size="3", width="100%",
                             on_change=on_type, auto_focus=True),
                    rx.cond(error != "", rx.callout(t_of(error), icon="triangle-alert",
                                                    color_scheme="red", role="alert")),
                    rx.hstack(
                        rx.button(t("Unlock"), type="submit", size="3"),
                        rx.button(t("Sign out"), type="button", variant="soft", size="3",
                                  on_click=on_sign_out),
                        spacing="3", wrap="wrap",
                    ),
                    spacing="3", width="100%",
                ),
                on_submit=on_unlock, reset_on_submit=True,
            ),
            width="min(420px, 92vw)", size="4",
        ),
        position="fixed", inset="0", z_index="1000", role="dialog", aria_modal="true",
        aria_label=t("Locked"), background=rx.color("gray", 2),
    )


NOT_YOUR_PAGE = N_("Your role does not give access to this page. Use the menu above to go to "
                   "your own pages.")


def not_allowed(explanation: str = NOT_YOUR_PAGE) -> rx.Component:
    """`explanation` is a message id (marked with N_ where it is written)."""
    return rx.center(
        rx.vstack(
            rx.icon("shield-x", size=48, color=rx.color("red", 10)),
            rx.heading(t("Not allowed"), size="7", as_="h1"),
            rx.text(t(explanation)),
            align="center", spacing="3", max_width="480px", text_align="center",
        ),
        padding_y="64px",
    )


def connection_status() -> rx.Component:
    """In place of Reflex's own connection toast and banner, whose words are English and name the
    websocket's address: a quiet notice in the tab's language while the server cannot be
    reached. The capture page hides it (wingwatch.css): the island says so itself, offline too."""
    return rx.cond(
        has_connection_errors,
        rx.hstack(rx.icon("wifi-off", size=18), rx.text(t("No connection to the server. "
                                                          "Trying again…"), size="2"),
                  role="status", class_name="ww-connection ww-no-print", align="center",
                  spacing="2", position="fixed", bottom="16px", right="16px", z_index="900",
                  padding="8px 12px", border_radius="8px", background=rx.color("red", 3),
                  color=rx.color("red", 11), border=f"1px solid {rx.color('red', 6)}"),
    )


def checking() -> rx.Component:
    return rx.center(rx.spinner(size="3"), padding_y="64px", aria_busy="true")
