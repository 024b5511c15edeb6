"""The one place that says what time it is, so tests can freeze it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Callable

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)
