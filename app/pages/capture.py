"""/capture: the officer's home, where observations are recorded on the wing tablet.

The form is the capture island (assets/island/), which works with no network. The Reflex side
only adds the page check while online: another role sees "Not allowed" instead of the island.
"""

from __future__ import annotations

import reflex as rx

from app.i18n.messages import N_

from components import layout
from app.pages.frame import hidden_trigger
from components.capture_island import capture_island
from state.session import SessionState

ROUTE = "/capture"
TITLE = N_("Record")
IDLE_LOCK_MS = 5 * 60 * 1000  # a shared wing tablet locks sooner than a desk


def page() -> rx.Component:
    return rx.box(
        layout.brand_bar(),  # the demo banner is the island's, so it speaks offline
        rx.el.main(
            rx.cond(SessionState.page_checked & ~SessionState.page_allowed,
                    layout.not_allowed(),
                    capture_island(idle_lock_ms=IDLE_LOCK_MS)),
            padding="16px", max_width="960px", margin="0 auto", width="100%",
        ),
        # The island's "Sign out" clicks this (assets/wingwatch.js signOut), and input clicks
        # the keep-alive once a minute while online, so an officer typing a long entry does not
        # find the server session idle-locked when the entry is sent.
        hidden_trigger("ww-sign-out", SessionState.sign_out),
        hidden_trigger("ww-keep-alive", SessionState.keep_alive),
        layout.page_signal(SessionState.signal),
        min_height="100vh",
    )
