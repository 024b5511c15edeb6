"""A prison of its own for the roster tests (unit, API and browser): wings A and B open, C closed,
so no test reads or changes the demo prison's people."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date

from app.clock import prisons_today, utc_now
from app.db import unit_of_work
from app.models import Posting, Prison, User, Wing
from app.services.passwords import hash_password
from app.vocabulary import PostingScope, Role
from tests.helpers import POSTED_SINCE

HEADER = "prisoner_number,given_name,family_name,wing,admitted_on,released_on\n"
PASSWORD = "correct horse battery staple"


@dataclass(frozen=True)
class RosterPrison:
    code: str
    prison_id: str
    wing_ids: dict[str, str]  # code -> id


def new_prison() -> RosterPrison:
    code = f"R{secrets.token_hex(3).upper()}"
    with unit_of_work() as db:
        prison = Prison(code=code, name=f"Roster test {code}")
        wings = {c: Wing(code=c, name=f"Wing {c}", prison=prison) for c in "ABC"}
        wings["C"].closed_on = date(2020, 1, 1)
        db.add(prison)
        db.flush()
        return RosterPrison(code, prison.id, {c: w.id for c, w in wings.items()})


def new_account(role: str, prison: RosterPrison | None = None, wing: str | None = None) -> str:
    """An account in the database directly; an officer posted on `wing` of `prison`."""
    username = f"{role[:6]}-{secrets.token_hex(4)}"
    with unit_of_work() as db:
        user = User(username=username, display_name=f"Test {role}", role=role,
                    password_hash=hash_password(PASSWORD),
                    prison_id=prison.prison_id if prison else None, created_at=utc_now())
        db.add(user)
        if role == Role.OFFICER and prison and wing:
            db.add(Posting(user=user, scope=PostingScope.WING, prison_id=prison.prison_id,
                           wing_id=prison.wing_ids[wing], valid_from=POSTED_SINCE,
                           created_at=utc_now()))
    return username


def csv_of(*lines: str) -> bytes:
    return (HEADER + "".join(line + "\n" for line in lines)).encode()


def today() -> date:
    return prisons_today()
