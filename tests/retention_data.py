"""Retention test data: a prison of its own per test (the run is then limited to it, since every
test shares one database), observations made through the real ingest path at old dates, and
screening items closed through the real screening service."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from app import runtime
from app.db import unit_of_work
from app.models import Posting, Prison, Prisoner, ScreeningItem, User, Wing
from app.runtime import ingest_context
from app.services import accounts, catalogue, retention_run, retention_schedule, screening
from app.services.observations import Item, ObservationInput, ingest
from app.vocabulary import Outcome, PostingScope, Role
from tests.helpers import POSTED_SINCE

# The frozen clock of these tests: a day the other tests' data is not yet due on.
NOW = datetime(2026, 11, 20, 11, 0, tzinfo=UTC)
ZONE = ingest_context().zone
TODAY = NOW.astimezone(ZONE).date()
REASON = "Reviewed the whole timeline; nothing that needs more work."


@dataclass(frozen=True)
class Place:
    prison_id: str
    code: str
    wing_id: str
    officer: accounts.Identity
    screeners: tuple[accounts.Identity, accounts.Identity]

    @property
    def scope(self) -> frozenset[str]:
        return frozenset({self.prison_id})


def new_place() -> Place:
    tag = secrets.token_hex(3)
    with unit_of_work() as db:
        prison = Prison(code=f"R{tag}", name=f"Retention test prison {tag}")
        wing = Wing(code="A", name="Wing A", prison=prison)
        db.add_all([prison, wing])
        db.flush()

        def user(role: str) -> User:
            account = User(username=f"{role[:4]}-{secrets.token_hex(4)}", display_name=role,
                           role=role, password_hash="x", prison_id=prison.id,
                           created_at=NOW - timedelta(days=4000))
            db.add(account)
            db.add(Posting(user=account, scope=PostingScope.WING if role == Role.OFFICER
                           else PostingScope.PRISON, prison_id=prison.id,
                           wing=wing if role == Role.OFFICER else None,
                           valid_from=POSTED_SINCE, created_at=account.created_at))
            return account

        users = [user(Role.OFFICER), user(Role.TREATMENT), user(Role.TREATMENT)]
        db.flush()
        who = [accounts.identity_of(db, u) for u in users]
        return Place(prison.id, prison.code, wing.id, who[0], (who[1], who[2]))


def new_prisoner(place: Place, released_on: date | None = None) -> str:
    with unit_of_work() as db:
        prisoner = Prisoner(prison_id=place.prison_id, wing_id=place.wing_id,
                            number=f"N-{secrets.token_hex(4)}", given_name="Test",
                            family_name=f"Retention{secrets.token_hex(2)}",
                            released_on=released_on)
        db.add(prisoner)
        db.flush()
        return prisoner.id


def observe(place: Place, prisoner_id: str, at: datetime, *, flag: bool = False,
            kind: str = "concern") -> str:
    """One observation made at `at` and received a minute later, through the real ingest."""
    version = catalogue.current(at.astimezone(ZONE).date())
    code = next(i.code for i in version.indicators.values()
                if i.kind == kind and not i.immediate and not i.retired)
    obs_id = str(uuid.uuid4())
    obs = ObservationInput(
        prisoner_id=prisoner_id, occurred_at=at, recorded_at=None,
        location=catalogue.locations()[0].code, catalogue_version=version.version,
        indicators=(code,), facts="Facts of a retention test: 'secret words'.",
        assessment="An assessment of a retention test.", source="direct", concern="medium",
        flag=flag, flag_reason="Flagged in a retention test." if flag else None)
    with unit_of_work() as db:
        (result,) = ingest(db, place.officer, "retention-test", [Item(obs_id, obs, "h" + obs_id)],
                           at + timedelta(minutes=1), ingest_context())
    assert result.status == "created", result
    return obs_id


def open_item(prisoner_id: str) -> int:
    with unit_of_work() as db:
        return db.scalar(select(ScreeningItem.id).where(ScreeningItem.prisoner_id == prisoner_id,
                                                        ScreeningItem.closed_at.is_(None)))


def close(place: Place, prisoner_id: str, at: datetime,
          outcome: Outcome = Outcome.NO_FURTHER_ACTION) -> int:
    """Claim the prisoner's open item and close it at `at` with `outcome`."""
    item_id = open_item(prisoner_id)
    cipher = ingest_context().cipher
    first, second = place.screeners
    with unit_of_work() as db:
        screening.claim(db, first, item_id, at - timedelta(minutes=5))
        screening.decide(db, first, item_id, outcome, REASON, at - timedelta(minutes=1), cipher,
                         support_kind="other" if outcome == Outcome.REFER_SUPPORT else None)
    if outcome == Outcome.REFER_ASSESSMENT:
        with unit_of_work() as db:
            screening.sign_off(db, second, item_id, at)
    return item_id


def days_ago(days: float, now: datetime = NOW) -> datetime:
    return now - timedelta(days=days)


def run(place: Place | None, now: datetime = NOW, *, dry_run: bool = False,
        schedule: retention_schedule.Schedule | None = None) -> retention_run.RunResult:
    return retention_run.run(runtime.transaction, schedule or retention_schedule.load(), now=now,
                             trigger="cli", dry_run=dry_run,
                             prison_ids=place.scope if place else None)
