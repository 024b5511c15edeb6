"""/entries: the officer's own entries: still on this tablet, sent, flagged, reviewed."""

from __future__ import annotations

import reflex as rx

from app.pages.frame import signed_in_frame
from components.capture_island import entries_island

ROUTE = "/entries"
TITLE = "My entries — Wingwatch"


def page() -> rx.Component:
    return signed_in_frame(
        rx.heading("My entries", size="8", as_="h1"),
        rx.text("What you recorded, whether it reached the server, and whether your flags were "
                "reviewed. Only time, wing and category are shown here.",
                color=rx.color("gray", 11)),
        rx.box(entries_island(), margin_top="16px"),
    )
