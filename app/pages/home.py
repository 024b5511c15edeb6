"""/: sends each visitor to where they belong (their home page, or sign-in)."""

from __future__ import annotations

import reflex as rx

ROUTE = "/"


def page() -> rx.Component:
    return rx.center(rx.spinner(size="3"), min_height="60vh")
