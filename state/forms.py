"""A field of a submitted form, as an event handler takes it from the browser."""

from __future__ import annotations


def form_text(form_data: object, name: str, limit: int | None = None) -> str:
    """The field as text ('' when missing), cut to `limit` characters. The browser sends an
    event's arguments as it likes: a 'form' can arrive as a string, a list, a number or null,
    and then it has no fields."""
    value = form_data.get(name, "") if isinstance(form_data, dict) else ""
    return str(value)[:limit]
