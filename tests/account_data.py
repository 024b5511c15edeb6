"""A prison of a test's own (wings A, B and a closed C), so account and posting tests never
change the demo prison's people that other tests read."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date
from functools import cache

from app.db import unit_of_work
from app.models import Prison, Wing
from tests.helpers import identity


@dataclass(frozen=True)
class TestPrison:
    code: str
    id: str
    wing_ids: dict[str, str]


def fresh_prison() -> TestPrison:
    code = f"T{secrets.token_hex(3).upper()}"
    with unit_of_work() as db:
        prison = Prison(code=code, name=f"Test prison {code}")
        db.add(prison)
        wings = [Wing(prison=prison, code=wing, name=f"Wing {wing}") for wing in "ABC"]
        wings[2].closed_on = date(2025, 1, 1)
        db.add_all(wings)
        db.flush()
        return TestPrison(code, prison.id, {wing.code: wing.id for wing in wings})


def fresh_name(prefix: str = "u") -> str:
    return f"{prefix}-{secrets.token_hex(4)}"


@cache
def admin():
    """admin1 (read once: calling it inside a transaction that wrote would wait on SQLite)."""
    return identity("admin1")
