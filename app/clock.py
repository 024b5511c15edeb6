"""The one place that says what time it is, so tests can freeze it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Callable

from app.settings import get_settings

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def prisons_today(now: datetime | None = None) -> date:
    """Today on the prisons' clock (WINGWATCH_TIMEZONE): the day postings and releases run by."""
    return (now or utc_now()).astimezone(get_settings().zone).date()
