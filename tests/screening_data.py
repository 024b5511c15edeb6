"""Screening test data made through the real services: prisoners on a wing of the tests' own (so
the demo roster other tests count stays as it is) and flagged observations about them."""

from __future__ import annotations

import secrets
from datetime import timedelta
from functools import lru_cache

from sqlalchemy import select

from app.db import unit_of_work
from app.models import Posting, Prison, Prisoner, ScreeningItem, User, Wing
from app.runtime import ingest_context
from app.services import catalogue
from app.services.observations import Item, ObservationInput, ingest
from app.vocabulary import PostingScope
from tests.helpers import POSTED_SINCE, T0, identity


@lru_cache(maxsize=1)
def own_wing() -> tuple[str, str]:
    """A wing of the demo prison of these tests' own, with an officer posted to it, so the
    demo roster other tests count stays as it is. Returns (wing code, officer username)."""
    with unit_of_work() as db:
        prison_id = db.scalar(select(Prison.id).where(Prison.code == "DEMO"))
        wing = Wing(prison_id=prison_id, code=f"S{secrets.token_hex(3)}", name="Screening tests")
        officer = User(username=f"offi-{secrets.token_hex(4)}", display_name="Test officer",
                       role="officer", password_hash="x", prison_id=prison_id, created_at=T0)
        db.add_all([wing, officer, Posting(user=officer, scope=PostingScope.WING, wing=wing,
                                           prison_id=prison_id, valid_from=POSTED_SINCE,
                                           created_at=T0)])
        return wing.code, officer.username


def new_prisoner() -> str:
    with unit_of_work() as db:
        wing = db.scalars(select(Wing).where(Wing.code == own_wing()[0])).one()
        prisoner = Prisoner(prison_id=wing.prison_id, wing_id=wing.id,
                            number=f"T-{secrets.token_hex(4)}", given_name="Test",
                            family_name=f"Prisoner{secrets.token_hex(2)}")
        db.add(prisoner)
        db.flush()
        return prisoner.id


def codes(kind: str) -> list[str]:
    return [i.code for i in catalogue.current().indicators.values()
            if i.kind == kind and not i.immediate]


def observe(prisoner_id: str, *, flag: bool = True, kind: str = "concern",
            facts: str = "Told two others on the landing that the guards 'will pay'.",
            occurred_at=None, now=T0, author: str | None = None) -> str:
    """One observation through the real ingest path, by `author` (else an officer of a wing of
    its own); returns its id."""
    obs_id = secrets.token_hex(8)
    obs = ObservationInput(
        prisoner_id=prisoner_id, occurred_at=occurred_at or now - timedelta(hours=1),
        recorded_at=None, location=catalogue.locations()[0].code,
        catalogue_version=catalogue.current().version, indicators=(codes(kind)[0],),
        facts=facts, assessment="Seemed angry rather than ideological.", source="direct",
        concern="medium", flag=flag, flag_reason="Threat against staff, please look" if flag
        else None)
    with unit_of_work() as db:
        (result,) = ingest(db, identity(author or own_wing()[1]), "test-device", [Item(obs_id, obs, "h" + obs_id)],
                           now, ingest_context())
    assert result.status == "created", result
    return obs_id


def flagged_item(now=T0) -> int:
    prisoner_id = new_prisoner()
    observe(prisoner_id, now=now)
    with unit_of_work() as db:
        return db.scalar(select(ScreeningItem.id).where(ScreeningItem.prisoner_id == prisoner_id,
                                                        ScreeningItem.closed_at.is_(None)))
