"""Review-list test data, made directly in the database: review entries as the retention run
queues them, closed screening items through the real screening services, a prison of the
tests' own (for "another prison"), and a data-protection officer."""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta

from sqlalchemy import select

from app.db import unit_of_work
from app.models import Prison, Prisoner, ReviewEntry, ScreeningItem, User, Wing
from app.runtime import ingest_context
from app.services import accounts, screening
from app.services.accounts import Identity
from app.vocabulary import RecordClass, Role
from tests.helpers import identity
from tests.screening_data import flagged_item

REASON = "Read the whole timeline; the remark was a one-off quarrel over the phone rota."


def cipher():
    return ingest_context().cipher


def run(fn, *args, **kwargs):
    """A service call in a unit of work of its own."""
    with unit_of_work() as db:
        return fn(db, *args, **kwargs)


def prison_of(username: str) -> str:
    return identity(username).prison_id


def entry(record_class: str, record_id: str, prison_id: str | None, prisoner_id: str | None,
          due_on: date, queued_at: datetime, rule_id: str = "screening_review_5y") -> int:
    with unit_of_work() as db:
        row = ReviewEntry(record_class=record_class, record_id=record_id, prison_id=prison_id,
                          prisoner_id=prisoner_id, rule_id=rule_id, due_on=due_on,
                          queued_at=queued_at)
        db.add(row)
        db.flush()
        return row.id


def closed_item(now: datetime, screener: str = "screener1") -> tuple[int, str]:
    """A screening item of the tests' own wing, claimed and closed with no further action by
    `screener`; (item id, prisoner id)."""
    item_id = flagged_item(now - timedelta(hours=2))
    who, cipher = identity(screener), ingest_context().cipher
    with unit_of_work() as db:
        screening.claim(db, who, item_id, now - timedelta(hours=1))
    with unit_of_work() as db:
        screening.decide(db, who, item_id, "no_further_action", REASON, now - timedelta(hours=1),
                         cipher)
    with unit_of_work() as db:
        return item_id, db.scalar(select(ScreeningItem.prisoner_id)
                                  .where(ScreeningItem.id == item_id))


def item_entry(now: datetime, due_on: date, screener: str = "screener1") -> tuple[int, int]:
    """(entry id, item id) of a closed item due for review."""
    item_id, prisoner_id = closed_item(now, screener)
    return entry(RecordClass.SCREENING_DECISION, str(item_id), prison_of(screener), prisoner_id,
                 due_on, now), item_id


def other_prison() -> tuple[str, str]:
    """A prison of its own with one prisoner: (prison id, prisoner id)."""
    tag = secrets.token_hex(3).upper()
    with unit_of_work() as db:
        prison = Prison(code=f"R{tag}", name=f"Review prison {tag}")
        db.add(prison)
        db.flush()
        wing = Wing(prison_id=prison.id, code="A", name="Wing A")
        db.add(wing)
        db.flush()
        prisoner = Prisoner(prison_id=prison.id, wing_id=wing.id, number=f"R-{tag}",
                            given_name="Other", family_name=f"Prisoner{tag}")
        db.add(prisoner)
        db.flush()
        return prison.id, prisoner.id


def data_protection_officer(now: datetime, central: bool = True,
                            prison_id: str | None = None) -> Identity:
    """A data-protection officer's account; its reach given directly (their postings are
    another part's)."""
    with unit_of_work() as db:
        user = User(username=f"dpo-{secrets.token_hex(4)}", display_name="Test DPO",
                    role=Role.DATA_PROTECTION, password_hash="x", created_at=now)
        db.add(user)
        db.flush()
        who = accounts.identity_of(db, user)
    from dataclasses import replace

    return replace(who, central=central, prison_id=prison_id)
