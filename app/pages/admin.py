"""/admin: the administration overview, a card per part and the counts that matter first.
Nothing about observations: administrators never read them."""

from __future__ import annotations

import reflex as rx

from app.i18n.messages import N_
from app.pages.frame import signed_in_frame
from app.views.organisation import Count
from components.admin import PARTS, AdminPart, admin_page
from components.layout import TOUCH
from components.words import t
from state.admin_overview import AdminOverviewState as S

ROUTE = "/admin"
TITLE = N_("Administration")
ON_LOAD = S.load

# What each part is for, under its name on the card.
PURPOSE = {
    "/admin/prisons": N_("Prisons, wings and the locations the capture form offers."),
    "/admin/users": N_("Accounts, roles, passwords and postings."),
    "/admin/roster": N_("Import a prison's roster: who is held where."),
    "/admin/catalogue": N_("Indicator catalogue versions: drafts and publishing."),
    "/admin/tablets": N_("The prison's tablets: last contact and entries waiting."),
    "/admin/audit": N_("Who changed what, the chain's verification and the keys."),
}


def _part(part: AdminPart) -> rx.Component:
    return rx.link(
        rx.card(
            rx.hstack(
                rx.icon(part.icon, size=28, color=rx.color("accent", 10)),
                rx.vstack(rx.text(t(part.label), weight="bold", size="4"),
                          rx.text(t(PURPOSE[part.href]), size="2", color=rx.color("gray", 11)),
                          spacing="1"),
                spacing="3", align="start",
            ),
            width="100%", height="100%", min_height=TOUCH,
        ),
        href=part.href, underline="none", color="inherit",
    )


def _count(count: Count) -> rx.Component:
    return rx.card(
        rx.vstack(rx.text(count.value, size="7", weight="bold"),
                  rx.text(count.label, size="2", color=rx.color("gray", 11)), spacing="1"),
        custom_attrs={"data-testid": "admin-count"},
    )


def page() -> rx.Component:
    return signed_in_frame(admin_page(
        ROUTE, TITLE,
        rx.grid(rx.foreach(S.counts, _count), columns=rx.breakpoints(initial="2", md="4"),
                gap="12px", width="100%"),
        rx.grid(*[_part(part) for part in PARTS if part.href != ROUTE],
                columns=rx.breakpoints(initial="1", sm="2", lg="3"), gap="12px", width="100%"),
    ))
