"""Benchmark (not a test): a retention run over 1 000 000 observations of which 10 % are due,
about 20 000 prisoners in 6 prisons (the world of bench/screening.py).

    .venv/bin/python bench/retention.py [--scale 1.0] [--database sqlite|postgresql] [--keep DIR]

(`--keep DIR`: the generated SQLite database is kept in DIR and each run measures on a fresh
copy of it, since a run erases what it measures.)

The database is made by the project's migrations and filled with bulk inserts in the order the
observations arrived (oldest first, as the app stores them): 10 % of them were made 366 to 730
days before NOW (never escalated: due under the one-year
rule), 90 % in the last 360 days; 1 % of the recent ones are on an open screening item; 200 of
the due ones are on legal hold and 20 prisoners' records are restricted (skipped). Their free
text is a ciphertext-sized stand-in (the run never reads it; the rows are as large as real ones).

Measured: the dry run (`retention_run.plan`: what the page's preview costs), the real run
(`retention_run.run` with runtime.transaction, as `app.cli retention run` calls it), the longest
of its transactions (on SQLite each holds the write lock: a tablet's sync waits at most that
long), a second run the same day (nothing due), and `audit.verify` of the chain afterwards.

Ceilings, and why: the first run after the feature is switched on meets years of backlog, later
daily runs a day's worth (about 1/365 of a year's records). A backlog of 100 000 records in
under CEILING_RUN_S at night is ample for a job that runs once a day; a transaction of at most
CEILING_TX_S keeps a sync from a tablet (which waits up to 30 s before it retries) from noticing;
the preview is a button on a page, CEILING_PREVIEW_S.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import shutil
import sqlite3
import sys
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, insert, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.harness import database  # noqa: E402
from bench.screening import NOW, add_world, fast_engine, new_id  # noqa: E402

CEILING_RUN_S, CEILING_TX_S, CEILING_PREVIEW_S = 120.0, 2.0, 10.0
OBSERVATIONS, PRISONERS = 1_000_000, 20_000
DUE, ON_ITEMS, HELD, RESTRICTED = 0.10, 0.01, 200, 20
CHUNK = 20_000
TEXT = "v1:" + "x" * 240  # about a real facts_enc's length


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="share of the full data set")
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--keep", type=Path, help="keep the generated SQLite database here and "
                        "measure on a fresh copy of it each time")
    return parser.parse_args()


def generate(url: str, scale: float) -> dict[str, int]:
    # the app's modules are imported here and in measure(), once main() has pointed the
    # environment at the bench's database
    from app import migrate
    from app.db import make_engine
    from app.models import (LegalHold, Observation, Restriction, ScreeningItem,
                            ScreeningTrigger)
    from app.services import catalogue
    from sqlalchemy.orm import Session

    migrate.upgrade(url)
    rng = random.Random(12)
    engine = fast_engine(url) if url.startswith("sqlite") else make_engine(url)
    total = int(OBSERVATIONS * scale)
    cat = catalogue.current()
    codes = [i.code for i in cat.indicators.values() if i.kind == "concern" and not i.immediate]
    with Session(engine) as db, db.begin():
        world = add_world(db, rng, max(int(PRISONERS * scale), 50))
    officers = {wing: ids[0] for wing, ids in world.officers.items()}
    due_ids, items = [], {}
    # Stored as they arrived, oldest first, as the app stores them (the due ones are then the
    # table's oldest rows, as they would be).
    arrivals = sorted((NOW - timedelta(days=rng.uniform(366, 730) if rng.random() < DUE
                                       else rng.uniform(0, 360)), rng.randrange(
                                           len(world.prisoners))) for _ in range(total))
    for start in range(0, total, CHUNK):
        rows = []
        for occurred, who in arrivals[start:start + CHUNK]:
            prisoner_id, wing_id, prison_id = world.prisoners[who]
            due = occurred < NOW - timedelta(days=365)
            obs_id = new_id(rng)
            rows.append({
                "id": obs_id, "prisoner_id": prisoner_id, "wing_id": wing_id,
                "prison_id": prison_id, "author_id": officers[wing_id], "device_id": "bench",
                "occurred_at": occurred, "recorded_at": None,
                "received_at": occurred + timedelta(minutes=20), "location": "landing",
                "catalogue_version": cat.version, "indicators": [rng.choice(codes)],
                "categories": ["C01"], "concern_observation": True, "source": "direct",
                "concern": "medium", "flag": False, "flag_reason_enc": None, "facts_enc": TEXT,
                "assessment_enc": TEXT, "payload_hash": "0" * 64,
                "review_at": occurred + timedelta(days=365), "locale": "sr-Latn"})
            if due:
                due_ids.append((obs_id, prisoner_id, prison_id))
            elif rng.random() < ON_ITEMS:
                items.setdefault(prisoner_id, (prison_id, []))[1].append((obs_id, occurred))
        with Session(engine) as db, db.begin():
            db.execute(insert(Observation.__table__), rows)
    with Session(engine) as db, db.begin():
        for prisoner_id, (prison_id, observed) in items.items():
            first = min(at for _, at in observed)
            item = ScreeningItem(prisoner_id=prisoner_id, prison_id=prison_id, opened_at=first)
            db.add(item)
            db.flush()
            db.add(ScreeningTrigger(item_id=item.id, rule_id="R1", params={},
                                    observation_ids=[obs_id for obs_id, _ in observed],
                                    created_at=first))
        screener = next(iter(world.screeners.values()))[0]
        for obs_id, prisoner_id, prison_id in rng.sample(due_ids, HELD):
            db.add(LegalHold(subject="observation", subject_id=obs_id, prison_id=prison_id,
                             prisoner_id=prisoner_id, reason_enc=TEXT, until=NOW.date()
                             + timedelta(days=30), placed_by=screener, placed_at=NOW))
        for prisoner_id, _, prison_id in rng.sample(world.prisoners, RESTRICTED):
            db.add(Restriction(prisoner_id=prisoner_id, prison_id=prison_id,
                               ground="evidence_only", reason_enc=TEXT, placed_by=screener,
                               placed_at=NOW))
    engine.dispose()
    return {"observations": total, "due": len(due_ids), "items": len(items)}


def measure() -> None:
    from app import runtime
    from app.db import unit_of_work
    from app.models import ErasedRecord, Observation
    from app.services import retention_run, retention_schedule
    from app.settings import get_settings

    schedule, zone = retention_schedule.load(), get_settings().zone
    with unit_of_work() as db:
        before = db.scalar(select(func.count()).select_from(Observation))
    start = time.perf_counter()
    todo = retention_run.plan(runtime.transaction, schedule, NOW.astimezone(zone).date(),
                              zone=zone)
    preview_s = time.perf_counter() - start
    spans: list[float] = []

    @contextlib.contextmanager
    def timed_transaction():
        begun = time.perf_counter()
        with runtime.transaction() as db:
            yield db
        spans.append(time.perf_counter() - begun)

    start = time.perf_counter()
    result = retention_run.run(timed_transaction, schedule, now=NOW, trigger="cli", zone=zone)
    run_s = time.perf_counter() - start
    start = time.perf_counter()
    again = retention_run.run(runtime.transaction, schedule, now=NOW, trigger="cli", zone=zone)
    again_s = time.perf_counter() - start
    start = time.perf_counter()
    verified = runtime.verify_audit()
    verify_s = time.perf_counter() - start
    with unit_of_work() as db:
        after = db.scalar(select(func.count()).select_from(Observation))
        stones = db.scalar(select(func.count()).select_from(ErasedRecord))
    print(f"observations {before}, planned {len(todo.act)} erasures, "
          f"skipped {dict(todo.skipped)}")
    print(f"summary {result.summary}")
    print(f"erased {before - after} observations, {stones} tombstones; second run "
          f"{again.summary or 'nothing due'}; audit chain "
          f"{'verifies' if verified.ok else 'BROKEN: ' + verified.reason} "
          f"({verified.rows_checked} rows)")
    rows = [("preview (dry run)", preview_s, CEILING_PREVIEW_S),
            ("run", run_s, CEILING_RUN_S),
            (f"longest of {len(spans)} transactions", max(spans), CEILING_TX_S),
            ("second run, nothing due", again_s, CEILING_PREVIEW_S + 1),
            ("audit verify after", verify_s, float("inf"))]
    for name, seconds, ceiling in rows:
        mark = "" if ceiling == float("inf") else (
            f"   ceiling {ceiling:6.1f} s  {'ok' if seconds <= ceiling else 'OVER'}")
        print(f"{name:32s} {seconds:8.2f} s{mark}")
    print(f"records per second {len(todo.act) / run_s:,.0f}")
    slowest = sorted(range(len(spans)), key=spans.__getitem__, reverse=True)[:5]
    print("slowest transactions (their place among the run's): " + ", ".join(
        f"#{n + 1} {spans[n]:.2f} s" for n in slowest))


def main() -> None:
    args = arguments()
    if args.keep and args.database == "sqlite":
        # generated once into pristine.db; each measurement runs on a fresh copy of it
        args.keep.mkdir(parents=True, exist_ok=True)
        pristine, working = args.keep / "pristine.db", args.keep / "bench.db"
        place = contextlib.nullcontext(f"sqlite:///{working.resolve()}")
        fresh = not pristine.exists()
    else:
        place, fresh, pristine, working = database(args.database), True, None, None
    with place as url:
        data_dir = (Path(url.split("///", 1)[1]).parent if url.startswith("sqlite")
                    else Path(os.environ.get("TMPDIR", "/tmp")) / f"ww-bench-{os.getpid()}")
        os.environ.update(WINGWATCH_DATABASE_URL=url, WINGWATCH_DATA_DIR=str(data_dir),
                          WINGWATCH_RETENTION_JOB="0")
        if fresh:
            start = time.perf_counter()
            print(f"generated {generate(url, args.scale)} in {time.perf_counter() - start:.0f} s")
            if pristine is not None:
                with contextlib.closing(sqlite3.connect(working)) as conn:
                    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # all of it in the file
                shutil.copyfile(working, pristine)
        elif pristine is not None:
            for suffix in ("-wal", "-shm"):
                Path(f"{working}{suffix}").unlink(missing_ok=True)
            shutil.copyfile(pristine, working)
            from app import migrate

            migrate.upgrade(url)
            print(f"a fresh copy of {pristine}")
        measure()


if __name__ == "__main__":
    main()
