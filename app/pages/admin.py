"""/admin: users, prisons and wings, catalogue versions, keys and the audit log."""

from __future__ import annotations

import reflex as rx

from app.pages.frame import coming_next, signed_in_frame

ROUTE = "/admin"
TITLE = "Administration — Wingwatch"


def page() -> rx.Component:
    return signed_in_frame(
        coming_next(
            "Administration",
            "Accounts, postings and the safeguards that keep the records trustworthy.",
            [
                "Users and roles; prisons, wings and roster import.",
                "Indicator catalogue versions and retention periods.",
                "Audit log verification and key rotation.",
            ],
            "settings",
        ),
    )
