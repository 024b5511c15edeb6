"""Reflex configuration. Everything deployment-specific comes from WINGWATCH_* variables."""

import reflex as rx

from app.settings import get_settings

_settings = get_settings()

config = rx.Config(
    app_name="app",
    telemetry_enabled=False,
    show_built_with_reflex=False,
    frontend_port=_settings.port,
    backend_port=_settings.port,
    # Several backend workers share state through Redis; without it Reflex keeps state in memory.
    redis_url=_settings.redis_url,
    # Reflex's default is "*" (any site, with credentials): only our own origin, for the API's
    # CORS and the /_event websocket handshake alike.
    cors_allowed_origins=list(_settings.public_origins),
    # Reflex's own database helpers are unused: app/db.py owns the engine.
    db_url=None,
    plugins=[
        rx.plugins.RadixThemesPlugin(
            theme=rx.theme(appearance="inherit", accent_color="teal", gray_color="slate",
                           radius="medium", scaling="105%"),
        ),
    ],
    disable_plugins=[rx.plugins.SitemapPlugin],
)
