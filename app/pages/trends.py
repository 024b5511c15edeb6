"""/trends: aggregates for security heads, never identities."""

from __future__ import annotations

import reflex as rx

from app.pages.frame import coming_next, signed_in_frame

ROUTE = "/trends"
TITLE = "Trends — Wingwatch"


def page() -> rx.Component:
    return signed_in_frame(
        coming_next(
            "Trends",
            "What is happening across wings and prisons, week by week, without names.",
            [
                "Observations and flags per week, by wing and indicator category.",
                "Time to screening decision against the 72-hour target, and outcomes.",
                "Counts under 5 are shown as \"<5\"; exports are logged.",
            ],
            "chart-line",
        ),
    )
