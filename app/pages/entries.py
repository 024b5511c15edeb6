"""/entries: the officer's own entries: still on this tablet, sent, flagged, reviewed.

The list is the island's (assets/island/), so it shows offline too, in the officer's language.
"""

from __future__ import annotations

import reflex as rx

from app.i18n.messages import N_

from app.pages.frame import signed_in_frame
from components.capture_island import entries_island
from components.words import t

ROUTE = "/entries"
TITLE = N_("My entries")


def page() -> rx.Component:
    return signed_in_frame(
        rx.heading(t("My entries"), size="8", as_="h1"),
        rx.text(t("What you recorded, whether it reached the server, and whether your flags were "
                  "reviewed. Only time, wing and category are shown here."),
                color=rx.color("gray", 11)),
        # The frame draws the demo banner on this page (app/pages/frame.py), so the island
        # does not draw a second one.
        rx.box(entries_island(demo=False), margin_top="16px"),
    )
