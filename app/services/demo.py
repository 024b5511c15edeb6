"""Demo data: one prison, wings A–C, 60 made-up prisoners, one account per role.

Names are invented in the styles of the region; any likeness to a real person is chance.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.i18n.locales import Locale
from app.clock import prisons_today
from app.models import Posting, Prison, Prisoner, User, Wing
from app.services import organisation
from app.services.passwords import hash_password
from app.vocabulary import PostingScope, Role

POSTED_FOR = timedelta(days=400)

DEMO_PASSWORD = "wingwatch-demo"
PRISON_CODE = "DEMO"
# Accounts that belong to no one prison: the administrator, the central data-protection officer.
CENTRAL_ROLES = frozenset({Role.ADMIN, Role.DATA_PROTECTION})

GIVEN = ("Arben", "Besnik", "Dritan", "Ilir", "Valon", "Edin", "Emir", "Haris", "Jasmin", "Nermin",
         "Marko", "Nikola", "Stefan", "Dragan", "Milan", "Goran", "Bojan", "Aleksandar", "Filip",
         "Blerim", "Kenan", "Luka", "Petar", "Zoran", "Ardit", "Mirza", "Igor", "Vladimir")
FAMILY = ("Krasniqi", "Gashi", "Hoxha", "Berisha", "Shala", "Hodžić", "Begović", "Mehmedović",
          "Kovačević", "Petrović", "Jovanović", "Nikolić", "Vuković", "Popović", "Đukanović",
          "Stojanovski", "Trajkovski", "Dimitrovski", "Ristovski", "Lleshi", "Mustafić", "Babić",
          "Marković", "Radulović", "Ahmeti", "Xhaferi", "Simonovski", "Ilić")

# Each account works in a language of the region, so the demo shows several at once.
ACCOUNTS = (
    ("officer1", "Officer Ana Kostić", Role.OFFICER, ("A",), Locale.SR_LATN),
    ("officer2", "Officer Driton Rama", Role.OFFICER, ("B",), Locale.SQ),
    ("screener1", "Dr. Lejla Hadžić", Role.TREATMENT, (), Locale.BS),
    ("screener2", "Milica Stanković", Role.TREATMENT, (), Locale.MK),
    ("security1", "Chief Bekim Doda", Role.SECURITY_HEAD, (), Locale.SR_CYRL),
    ("admin1", "Vesna Petkovska", Role.ADMIN, (), Locale.EN),
    # The data-protection officer, posted to the central service: every prison.
    ("dpo1", "Tanja Marić", Role.DATA_PROTECTION, (), Locale.HR),
)


def seed(db: Session, now: datetime) -> bool:
    """Create the demo prison and accounts once; False when they are already there. A demo
    database made before an account was added to ACCOUNTS (dpo1, issue 12) gains that one."""
    prison = db.scalar(select(Prison).where(Prison.code == PRISON_CODE))
    made_prison = prison is None
    if prison is None:
        prison = Prison(code=PRISON_CODE, name="Demo Penitentiary Centre")
        db.add_all([prison, *(Wing(code=code, name=f"Wing {code}", prison=prison)
                              for code in "ABC")])
        db.flush()
        organisation.give_standard_locations(db, prison)
        _seed_roster(db, prison, sorted(prison.wings, key=lambda wing: wing.code))
    wings = {wing.code: wing for wing in prison.wings}
    existing = set(db.scalars(select(User.username).where(
        User.username.in_([account[0] for account in ACCOUNTS]))))
    missing = [account for account in ACCOUNTS if account[0] not in existing]
    if not missing:
        return made_prison
    password_hash = hash_password(DEMO_PASSWORD)  # one hash: all demo accounts share it
    since = prisons_today(now) - POSTED_FOR  # before the demo activity's half-year
    for username, name, role, wing_codes, locale in missing:
        user = User(username=username, display_name=name, role=role, password_hash=password_hash,
                    prison_id=None if role in CENTRAL_ROLES else prison.id, created_at=now,
                    locale=locale.value)
        db.add(user)
        db.add_all(_postings(user, role, prison, [wings[c] for c in wing_codes], since, now))
    return True


def _postings(user: User, role: Role, prison: Prison, wings: list[Wing], since: date,
              now: datetime) -> list[Posting]:
    if role == Role.OFFICER:
        return [Posting(user=user, scope=PostingScope.WING, prison_id=prison.id, wing=wing,
                        valid_from=since, created_at=now) for wing in wings]
    if role in (Role.TREATMENT, Role.SECURITY_HEAD):
        return [Posting(user=user, scope=PostingScope.PRISON, prison_id=prison.id,
                        valid_from=since, created_at=now)]
    if role == Role.DATA_PROTECTION:
        return [Posting(user=user, scope=PostingScope.CENTRAL, valid_from=since, created_at=now)]
    return []


def _seed_roster(db: Session, prison: Prison, wings: list[Wing]) -> None:
    rng = random.Random(2026)
    names = rng.sample([(g, f) for g in GIVEN for f in FAMILY], 60)
    for index, (given, family) in enumerate(names):
        db.add(Prisoner(prison_id=prison.id, wing_id=wings[index % len(wings)].id,
                        number=f"DPC-{24 + index % 3}-{1000 + index * 7:04d}",
                        given_name=given, family_name=family))
