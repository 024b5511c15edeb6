"""What every administration page shares: the list of its parts, as a row of tabs."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from app.i18n.messages import N_
from components.layout import TOUCH
from components.words import t


@dataclass(frozen=True)
class AdminPart:
    label: str  # a message id
    href: str
    icon: str


PARTS = (
    AdminPart(N_("Overview"), "/admin", "layout-dashboard"),
    AdminPart(N_("Prisons and wings"), "/admin/prisons", "building-2"),
    AdminPart(N_("Accounts"), "/admin/users", "users"),
    AdminPart(N_("Roster"), "/admin/roster", "list"),
    AdminPart(N_("Catalogue"), "/admin/catalogue", "book-open"),
    AdminPart(N_("Tablets"), "/admin/tablets", "tablet"),
    AdminPart(N_("Audit log"), "/admin/audit", "shield-check"),
)


def admin_nav(current: str) -> rx.Component:
    """The parts of administration, the current one marked (aria-current) for screen readers."""
    return rx.el.nav(
        rx.flex(
            *[rx.link(rx.hstack(rx.icon(part.icon, size=18), rx.text(t(part.label)),
                                spacing="2", align="center"),
                      href=part.href, min_height=TOUCH, padding="10px 12px", border_radius="8px",
                      underline="none", weight="medium" if part.href == current else "regular",
                      background=rx.color("teal", 3) if part.href == current else "transparent",
                      aria_current="page" if part.href == current else None)
              for part in PARTS],
            gap="4px", wrap="wrap",
        ),
        aria_label=t("Administration"), class_name="ww-no-print", margin_bottom="16px",
    )


def admin_page(current: str, heading: str, *content: rx.Component) -> rx.Component:
    """An administration page's body: the parts, its heading (a message id), its content."""
    return rx.vstack(admin_nav(current), rx.heading(t(heading), size="7", as_="h1"), *content,
                     spacing="4", width="100%", align="stretch")
