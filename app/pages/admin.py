"""/admin: users, prisons and wings, catalogue versions, keys and the audit log."""

from __future__ import annotations

import reflex as rx

from app.i18n.messages import N_
from app.pages.frame import coming_next, signed_in_frame

ROUTE = "/admin"
TITLE = N_("Administration")


def page() -> rx.Component:
    return signed_in_frame(
        coming_next(
            TITLE,
            N_("Accounts, postings and the safeguards that keep the records trustworthy."),
            [
                N_("Users and roles; prisons, wings and roster import."),
                N_("Indicator catalogue versions and retention periods."),
                N_("Audit log verification and key rotation."),
            ],
            "settings",
        ),
    )
