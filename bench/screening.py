"""Benchmark (not a test): server time of the screening queue's data and of a case view's data on
a database the size of a national service: 1 000 000 observations about 20 000 prisoners in
6 prisons over 3 years, ~5 % of them flagged by the officer.

    .venv/bin/python bench/screening.py [--scale 1.0] [--repeat 50] [--keep DIR]

The database is SQLite, made by the project's migrations and filled with bulk inserts of the real
models' rows. Every free-text value (facts, assessment, flag reason, addenda, decision reasons) is
real ciphertext from the project's FieldCipher, bound to its own row id, and every observation,
addendum and screening event has its hash-chained audit row, as the app would have written them.

The screening history is simulated from the flags, by the app's rules: a flag (rule R1, plus R2
when an immediate indicator was ticked) attaches to the prisoner's open item or opens one; a
screener of the prison claims it and decides (no further action, monitor until a review date,
refer to support, or refer to assessment, signed off by a second screener); a monitored item comes
back after its review date. What would happen after NOW has not happened, so recent items are
still open. Not simulated: rule R3 (pattern), take-overs, addenda on items, earlier case reads.

Measured, for a treatment-staff user of the prison with the most open items, as a page calls them:
`screening.queue` in a unit of work; `screening.case` on a random open item of that prison in a
unit of work (it appends an audit row, so the commit is paid) and then signing the audit head, as
every audited request does. `--keep DIR` keeps the database and keys in DIR and reuses them on the
next run (delete DIR to generate afresh).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import statistics
import sys
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, func, insert, select
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.harness import database  # noqa: E402

from app import migrate, runtime  # noqa: E402
from app.db import make_engine, unit_of_work  # noqa: E402
from app.models import (  # noqa: E402
    Addendum,
    Observation,
    Prison,
    Posting,
    Prisoner,
    ScreeningEvent,
    ScreeningItem,
    ScreeningTrigger,
    User,
    Wing,
)
from app.services import audit, catalogue, flag_rules, screening  # noqa: E402
from app.services.accounts import Identity  # noqa: E402
from app.services.demo import FAMILY, GIVEN  # noqa: E402
from app.services.fieldcrypt import FieldCipher  # noqa: E402
from app.vocabulary import Role, SupportKind  # noqa: E402

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
SPAN = timedelta(days=3 * 365)
OBSERVATIONS, PRISONERS, PRISONS = 1_000_000, 20_000, 6
WINGS, OFFICERS_PER_WING, SCREENERS = 8, 4, 4  # per prison
FLAGGED = 0.05
CHUNK = 20_000  # observations per insert transaction
# Screeners' pace (mean hours) and decisions: with these a prison has about a hundred open
# items, most of them monitored, and a queue of a few dozen.
CLAIM_HOURS, DECIDE_HOURS, SIGN_OFF_HOURS = 36, 24, 30
OUTCOMES = {"no_further_action": 0.55, "monitor": 0.2, "refer_support": 0.1,
            "refer_assessment": 0.15}

FACTS = ("Said at the servery that the guards 'will pay for this'; two others heard it.",
         "Refused education and exercise all week, and spoke to nobody on the landing.",
         "Passed a folded note to another prisoner in the yard; it was not recovered.",
         "Helped a new arrival fill in the canteen form and explained the phone rota.",
         "Drew a symbol on the cell wall and would not say what it meant when asked.")
ASSESSMENTS = ("Seemed angry after a phone call rather than ideological.",
               "Looked withdrawn; possibly low mood, worth a word from healthcare.",
               "Appeared to be leading the others, who waited for him to speak first.")
FLAG_REASONS = ("Threat against staff, please look at this soon.",
                "Pressure on a younger prisoner, worried it will go further.")
REASONS = ("Read the whole timeline; the remark was a one-off quarrel over the phone rota.",
           "Several officers saw the same change in a month; worth a closer look over time.",
           "Clear signs of distress rather than ideology; healthcare should see him first.")


@dataclass
class World:
    """Who and where: the part of the data the observations hang on."""

    prisoners: list[tuple[str, str, str]]  # (id, wing id, prison id)
    officers: dict[str, list[str]]  # wing id -> officers posted there
    screeners: dict[str, list[str]]  # prison id -> treatment staff


@dataclass
class Flag:
    observation_id: str
    prisoner_id: str
    prison_id: str
    received_at: datetime
    immediate: list[str]  # codes of immediate indicators (rule R2)


def fast_engine(url: str) -> Engine:
    """The app's engine plus a 2 GiB page cache: random UUID keys make index inserts random."""
    engine = make_engine(url)
    event.listen(engine, "connect",
                 lambda conn, _record: conn.execute("PRAGMA cache_size = -2000000"))
    return engine


def new_id(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def add_world(db: Session, rng: random.Random, prisoners: int) -> World:
    world = World([], defaultdict(list), defaultdict(list))
    prisons = [{"id": new_id(rng), "code": f"P{n + 1}", "name": f"Prison {n + 1}"}
               for n in range(PRISONS)]
    wings = [{"id": new_id(rng), "prison_id": p["id"], "code": chr(65 + n),
              "name": f"Wing {chr(65 + n)}"}
             for p in prisons for n in range(WINGS)]
    users: list[dict[str, Any]] = []
    postings = []

    def user(role: str, prison_id: str) -> str:
        users.append({"id": new_id(rng), "username": f"{role}{len(users)}", "display_name":
                      f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}", "role": role,
                      "password_hash": "not used", "prison_id": prison_id,
                      "created_at": NOW - SPAN})
        return users[-1]["id"]

    for wing in wings:
        for _ in range(OFFICERS_PER_WING):
            officer = user(Role.OFFICER, wing["prison_id"])
            world.officers[wing["id"]].append(officer)
            postings.append({"user_id": officer, "wing_id": wing["id"], "scope": "wing",
                             "prison_id": wing["prison_id"], "valid_from": (NOW - SPAN).date(),
                             "created_at": NOW - SPAN})
    for prison in prisons:
        world.screeners[prison["id"]] = [user(Role.TREATMENT, prison["id"])
                                         for _ in range(SCREENERS)]
        postings.extend({"user_id": screener, "wing_id": None, "scope": "prison",
                         "prison_id": prison["id"], "valid_from": (NOW - SPAN).date(),
                         "created_at": NOW - SPAN} for screener in world.screeners[prison["id"]])
    rows = []
    for n in range(prisoners):
        wing = wings[n % len(wings)]
        rows.append({"id": new_id(rng), "prison_id": wing["prison_id"], "wing_id": wing["id"],
                     "number": f"N-{n:06d}", "given_name": rng.choice(GIVEN),
                     "family_name": rng.choice(FAMILY)})
        world.prisoners.append((rows[-1]["id"], wing["id"], wing["prison_id"]))
    for model, data in ((Prison, prisons), (Wing, wings), (User, users), (Posting, postings),
                        (Prisoner, rows)):
        db.execute(insert(model.__table__), data)
    catalogue.register_versions(db, catalogue.catalogues(), NOW - SPAN)
    return world


def add_observations(engine: Engine, world: World, count: int, rng: random.Random,
                     cipher: FieldCipher) -> tuple[list[Flag], list[tuple[str, str, datetime]]]:
    """Observations in the order they arrived; returns the flags and the addenda to write."""
    cat = catalogue.current()
    concern = [i.code for i in cat.indicators.values() if i.kind == "concern" and not i.immediate]
    protective = [i.code for i in cat.indicators.values() if i.kind == "protective"]
    immediate = [i.code for i in cat.indicators.values() if i.immediate]
    locations = [loc.code for loc in catalogue.locations()]
    # Some prisoners are watched far more than others: a few have hundreds of entries.
    weights = [rng.lognormvariate(0, 0.8) for _ in world.prisoners]
    arrivals = []
    for who in rng.choices(range(len(world.prisoners)), weights, k=count):
        occurred = NOW - SPAN * rng.random()
        late = (timedelta(minutes=rng.expovariate(1 / 30)) if rng.random() < 0.95
                else timedelta(hours=rng.uniform(1, 72)))  # a tablet that was offline
        arrivals.append((min(occurred + late, NOW), occurred, who))
    arrivals.sort()
    flags: list[Flag] = []
    addenda = []
    for start in range(0, count, CHUNK):
        rows = []
        for received, occurred, who in arrivals[start:start + CHUNK]:
            obs_id = new_id(rng)
            prisoner_id, wing_id, prison_id = world.prisoners[who]
            flag = rng.random() < FLAGGED
            urgent = [rng.choice(immediate)] if flag and rng.random() < 0.2 else []
            if not flag and rng.random() < 0.15:
                codes = [rng.choice(protective)]
            else:
                codes = rng.sample(concern, rng.randint(1, 2)) + urgent

            def seal(column: str, text: str | None) -> str | None:
                return None if text is None else cipher.encrypt(
                    text, table=Observation.__tablename__, column=column, row_id=obs_id)

            author = rng.choice(world.officers[wing_id])
            rows.append({
                "id": obs_id, "prisoner_id": prisoner_id, "wing_id": wing_id,
                "prison_id": prison_id, "author_id": author, "device_id": f"tablet-{wing_id[:8]}",
                "occurred_at": occurred, "recorded_at": None, "received_at": received,
                "location": rng.choice(locations), "catalogue_version": cat.version,
                "indicators": codes, "categories": sorted({cat.category_of(c) for c in codes}),
                "concern_observation": codes[0] not in protective,
                "source": rng.choice(("direct", "direct", "direct", "reported_by_staff")),
                "concern": rng.choice(("low", "medium", "high")), "flag": flag,
                "flag_reason_enc": seal("flag_reason", rng.choice(FLAG_REASONS) if flag else None),
                "facts_enc": seal("facts", rng.choice(FACTS)),
                "assessment_enc": seal("assessment", rng.choice(ASSESSMENTS)
                                       if rng.random() < 0.6 else None),
                "payload_hash": f"{rng.getrandbits(256):064x}",
                "review_at": occurred + timedelta(days=365)})
            if flag:
                flags.append(Flag(obs_id, prisoner_id, prison_id, received,
                                  [cat.indicators[c].label for c in urgent]))
            if rng.random() < 0.01:
                addenda.append((obs_id, author, received + timedelta(hours=rng.uniform(1, 48))))
        with Session(engine) as db, db.begin():
            db.execute(insert(Observation.__table__), rows)
            audit.append_many(db, [
                {"at": r["received_at"], "action": audit.Action.CREATE, "actor_id": r["author_id"],
                 "prisoner_id": r["prisoner_id"], "record_id": r["id"],
                 "purpose": "observation recorded", "detail": f"device {r['device_id']}"}
                for r in rows])
    return flags, addenda


def add_screening(db: Session, world: World, flags: list[Flag],
                  addenda: list[tuple[str, str, datetime]], rng: random.Random,
                  cipher: FieldCipher) -> None:
    """Items, triggers and events from the flags (in arrival order), then the addenda."""
    items: list[dict[str, Any]] = []
    triggers: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    entries: list[dict[str, Any]] = []  # audit rows

    def record(item: dict, at: datetime, actor: str, kind: str, purpose: str,
               text: str | None = None, **fields: Any) -> int:
        row = {"id": len(events) + 1, "item_id": item["id"], "at": at, "actor_id": actor,
               "kind": kind, "outcome": None, "support_kind": None, "review_on": None,
               "refers_to": None, "text_enc": None, **fields}
        if text is not None:
            row["text_enc"] = cipher.encrypt(text, table=ScreeningEvent.__tablename__,
                                             column="text", row_id=str(row["id"]))
        events.append(row)
        entries.append({"at": at, "action": audit.Action.DECISION, "actor_id": actor,
                        "prisoner_id": item["prisoner_id"], "record_id": f"screening:{item['id']}",
                        "purpose": purpose, "detail": f"event {row['id']}"})
        return row["id"]

    def history(item: dict) -> datetime | None:
        """The item's events up to NOW; when it closed, or None while it is still open."""
        staff = world.screeners[item["prison_id"]]
        at = item["opened_at"]
        while True:
            holder = rng.choice(staff)
            at += timedelta(hours=rng.expovariate(1 / CLAIM_HOURS))
            if at >= NOW:
                return None
            record(item, at, holder, "claim", "screening item claimed")
            at += timedelta(hours=rng.expovariate(1 / DECIDE_HOURS))
            if at >= NOW:
                return None
            outcome = rng.choices(list(OUTCOMES), list(OUTCOMES.values()))[0]
            review_on = at + timedelta(days=rng.randint(30, 90)) if outcome == "monitor" else None
            support = (rng.choice(sorted(SupportKind))
                       if outcome == "refer_support" else None)
            decision = record(item, at, holder, "decision", f"screening decision: {outcome}",
                              rng.choice(REASONS), outcome=outcome, review_on=review_on,
                              support_kind=support)
            if review_on is not None:  # monitored: back in the queue on its review date
                at = review_on
                continue
            if outcome == "refer_assessment":
                at += timedelta(hours=rng.expovariate(1 / SIGN_OFF_HOURS))
                if at >= NOW:
                    return None
                record(item, at, rng.choice([s for s in staff if s != holder]), "sign_off",
                       "referral for assessment signed off", refers_to=decision)
            return at

    current: dict[str, dict[str, Any]] = {}  # prisoner id -> latest item
    for flag in flags:
        item = current.get(flag.prisoner_id)
        if item is None or (item["closed_at"] is not None
                            and flag.received_at >= item["closed_at"]):  # closed: a new one
            item = {"id": len(items) + 1, "prisoner_id": flag.prisoner_id,
                    "prison_id": flag.prison_id, "opened_at": flag.received_at, "closed_at": None}
            items.append(item)
            current[flag.prisoner_id] = item
            item["closed_at"] = history(item)
        firings = [flag_rules.manual(flag.observation_id)]
        if flag.immediate:
            firings.append(flag_rules.immediate(flag.observation_id,
                                                catalogue.current().version, flag.immediate))
        triggers += [{"item_id": item["id"], "rule_id": f.rule_id, "params": dict(f.params),
                      "observation_ids": list(f.observation_ids),
                      "created_at": flag.received_at} for f in firings]
    rows = []
    for n, (obs_id, author, at) in enumerate(addenda, start=1):
        rows.append({"id": n, "observation_id": obs_id, "author_id": author, "created_at": at,
                     "text_enc": cipher.encrypt("Correction: it was the day before, at lunch.",
                                                table=Addendum.__tablename__, column="text",
                                                row_id=str(n))})
        entries.append({"at": at, "action": audit.Action.CREATE, "actor_id": author,
                        "prisoner_id": None, "record_id": f"addendum:{n}",
                        "purpose": "correction to an observation",
                        "detail": f"observation {obs_id}"})
    for model, data in ((ScreeningItem, items), (ScreeningTrigger, triggers),
                        (ScreeningEvent, events), (Addendum, rows)):
        if data:
            db.execute(insert(model.__table__), data)
    audit.append_many(db, sorted(entries, key=lambda e: e["at"]))


def generate(url: str, scale: float, cipher: FieldCipher) -> None:
    rng = random.Random(2026)
    migrate.upgrade(url)
    engine = fast_engine(url)
    with Session(engine) as db, db.begin():
        world = add_world(db, rng, max(round(PRISONERS * scale), PRISONS * WINGS))
    flags, addenda = add_observations(engine, world, round(OBSERVATIONS * scale), rng, cipher)
    with Session(engine) as db, db.begin():
        add_screening(db, world, flags, addenda, rng, cipher)
    engine.dispose()


def timed(call: Callable[[], Any], repeat: int, warm_up: int = 5) -> list[float]:
    for _ in range(warm_up):
        call()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        samples.append(time.perf_counter() - start)
    return samples


def summary(samples: list[float]) -> str:
    ms = sorted(s * 1000 for s in samples)
    p95 = statistics.quantiles(ms, n=20, method="inclusive")[18]
    return f"p50 {statistics.median(ms):6.1f} ms   p95 {p95:6.1f} ms   max {ms[-1]:6.1f} ms"


def measure(repeat: int) -> None:
    cipher = runtime.ingest_context().cipher
    with unit_of_work() as db:
        counts = {name: db.scalar(select(func.count()).select_from(model)) for name, model in
                  (("prisons", Prison), ("prisoners", Prisoner), ("observations", Observation),
                   ("items", ScreeningItem), ("events", ScreeningEvent))}
        counts["flagged"] = db.scalar(select(func.count()).where(Observation.flag.is_(True)))
        prison_id, open_count = db.execute(
            select(ScreeningItem.prison_id, func.count()).where(ScreeningItem.closed_at.is_(None))
            .group_by(ScreeningItem.prison_id).order_by(func.count().desc()).limit(1)).one()
        open_ids = list(db.scalars(select(ScreeningItem.id).where(
            ScreeningItem.prison_id == prison_id, ScreeningItem.closed_at.is_(None))))
        user = db.scalars(select(User).where(User.prison_id == prison_id,
                                             User.role == Role.TREATMENT)).first()
        assert user is not None
        who = Identity(user.id, user.username, user.display_name, user.role, prison_id, ())
        states = Counter(screening.derive(item, db.scalars(select(ScreeningEvent).where(
            ScreeningEvent.item_id == item.id)), NOW).state for item in db.scalars(
            select(ScreeningItem).where(ScreeningItem.id.in_(open_ids))))
    print(", ".join(f"{n:,} {name}" for name, n in counts.items()))
    print(f"measured prison: {open_count} open items ("
          + ", ".join(f"{n} {state}" for state, n in states.most_common()) + ")")

    rng = random.Random(7)
    shown: list[int] = []
    timelines: list[int] = []

    def view_queue() -> None:
        with unit_of_work() as db:
            shown.append(len(screening.queue(db, who, NOW, cipher).rows))

    def view_case() -> None:
        with unit_of_work() as db:
            timelines.append(len(screening.case(db, who, rng.choice(open_ids), NOW,
                                                cipher).timeline))
        runtime.sign_audit_head()  # after every audited commit, as the API does

    queue_times = timed(view_queue, repeat)
    print(f"queue ({shown[-1]} rows shown)            {summary(queue_times)}")
    case_times = timed(view_case, repeat)
    timelines.sort()
    print(f"case view (random open item, commit)  {summary(case_times)}")
    print(f"case timelines: min {timelines[0]}, median {statistics.median(timelines):.0f}, "
          f"max {timelines[-1]} observations")


def arguments(description: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="share of the full data set")
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--keep", type=Path, help="keep (or reuse) database and keys here")
    return parser.parse_args()


@contextlib.contextmanager
def national_database(keep: Path | None, scale: float) -> Iterator[str]:
    """The generated database, made now or reused from `keep` (migrated to the current
    schema), with the app's settings pointed at it and its keys."""
    if keep:
        keep.mkdir(parents=True, exist_ok=True)
        place = contextlib.nullcontext(f"sqlite:///{keep.resolve()}/bench.db")
    else:
        place = database("sqlite")
    with place as url:
        data_dir = Path(url.split("///", 1)[1]).parent
        fresh = not (data_dir / "bench.db").exists()
        # Settings are read once, at first use: point the app at this database and keys now.
        os.environ.update(WINGWATCH_DATABASE_URL=url, WINGWATCH_DATA_DIR=str(data_dir))
        if fresh:
            start = time.perf_counter()
            generate(url, scale, runtime.ingest_context().cipher)
            print(f"generated in {time.perf_counter() - start:.0f} s")
        else:
            print(f"reusing {data_dir / 'bench.db'}")
            migrate.upgrade(url)
        yield url


def main() -> None:
    args = arguments(__doc__)
    with national_database(args.keep, args.scale):
        measure(args.repeat)


if __name__ == "__main__":
    main()
