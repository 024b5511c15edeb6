"""Wraps a page's content in the signed-in frame and its server-side page check."""

from __future__ import annotations

import reflex as rx

from app.settings import get_settings
from components import layout
from components.controls import language_select
from components.words import t
from state.language import LanguageState
from state.session import SessionState


def hidden_trigger(trigger_id: str, handler: rx.EventHandler, **attrs) -> rx.Component:
    # Clicked by assets/wingwatch.js, which has no other way to raise a Reflex event.
    return rx.el.button(id=trigger_id, on_click=handler, display="none", tab_index=-1,
                        aria_hidden="true", custom_attrs=attrs)


def signed_in_frame(*content: rx.Component) -> rx.Component:
    """Content shows only after the server said this role may see this page."""
    return rx.box(
        layout.demo_banner(get_settings().demo),
        layout.header(SessionState.display_name, SessionState.role, SessionState.role_label,
                      language_select("header-language", LanguageState.locale,
                                      SessionState.change_language, LanguageState.choices,
                                      label_shown=False),
                      SessionState.sign_out),
        rx.el.main(
            rx.cond(
                SessionState.page_checked,
                rx.cond(SessionState.page_allowed, rx.fragment(*content), layout.not_allowed()),
                layout.checking(),
            ),
            padding="24px 16px", max_width="1120px", margin="0 auto", width="100%",
        ),
        rx.cond(
            SessionState.locked,
            layout.lock_screen(SessionState.unlock_error, SessionState.unlock,
                               SessionState.set_unlock_password, SessionState.sign_out,
                               SessionState.display_name),
            rx.cond(SessionState.page_checked,
                    hidden_trigger("ww-lock-trigger", SessionState.lock,
                                    **{"data-idle-ms": SessionState.idle_timeout_ms})),
        ),
        hidden_trigger("ww-keep-alive", SessionState.keep_alive),
        hidden_trigger("ww-sign-out", SessionState.sign_out),
        layout.page_signal(SessionState.signal),
        min_height="100vh",
    )


def coming_next(heading: str, intro: str, points: list[str], icon: str) -> rx.Component:
    """A home page whose working parts arrive in a later release: says plainly what will be here.
    The texts are message ids (marked with N_ where they are written)."""
    return rx.vstack(
        rx.heading(t(heading), size="8", as_="h1"),
        rx.text(t(intro), size="4", color=rx.color("gray", 11)),
        rx.card(
            rx.hstack(
                rx.icon(icon, size=36, color=rx.color("accent", 10)),
                rx.vstack(
                    rx.text(t("Coming in the next release"), weight="bold"),
                    rx.unordered_list(*[rx.list_item(t(point)) for point in points]),
                    spacing="2",
                ),
                spacing="4", align="start",
            ),
            size="3", width="100%",
        ),
        spacing="4", width="100%",
    )
