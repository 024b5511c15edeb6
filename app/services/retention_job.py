"""The daily retention run, started with the server (issue 12 item 2).

Every backend worker of every node starts `daily` (a Reflex lifespan task, app/app.py); at
most once per prisons' local day one of them takes the `job_lock` row and runs the schedule.
Taking it is one conditional UPDATE whose WHERE says "not run today, and nobody holds it (or
the holder's lease ran out)": SQLite serialises writers (BEGIN IMMEDIATE), PostgreSQL makes a
second UPDATE of the row wait for the first and then test the WHERE again on the new row, so
exactly one sees a row count of 1. A worker that dies mid-run leaves the lease, which runs out
after LEASE; the day is then run by whoever looks next (a run picks up where one stopped:
what was erased is gone, what was queued is not queued again).

Plain Python: the transaction factory comes from the caller (runtime.transaction).
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
import socket
from collections.abc import Callable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.clock import utc_now
from app.models import JobLock
from app.services import retention_run, retention_schedule
from app.services.retention_run import RunResult, Transaction

NAME = "retention"
LEASE = timedelta(hours=2)  # far longer than a run of a million records takes
CHECK_EVERY_S = 600  # how often a worker looks whether today's run is done
log = logging.getLogger("wingwatch.retention")


def holder_name() -> str:
    """This worker, as the lock row names it: host and process id."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}"


def _ensure_row(db: Session) -> None:
    if db.get(JobLock, NAME) is None:
        try:
            with db.begin_nested():
                db.execute(insert(JobLock).values(name=NAME))
        except IntegrityError:
            pass  # another worker made it at the same moment


def take(db: Session, holder: str, today: date, now: datetime) -> bool:
    """Take the lock for `today` if the run of today is not done and nobody holds it; the
    caller commits at once, so the others see it taken."""
    _ensure_row(db)
    taken = db.execute(
        update(JobLock)
        .where(JobLock.name == NAME,
               or_(JobLock.last_day.is_(None), JobLock.last_day < today),
               or_(JobLock.holder.is_(None), JobLock.until.is_(None), JobLock.until < now))
        .values(holder=holder, until=now + LEASE)
        .execution_options(synchronize_session=False))
    return taken.rowcount == 1


def finish(db: Session, holder: str, today: date) -> None:
    """Today's run is done: release the lock."""
    db.execute(update(JobLock).where(JobLock.name == NAME, JobLock.holder == holder)
               .values(holder=None, until=None, last_day=today)
               .execution_options(synchronize_session=False))


def release(db: Session, holder: str) -> None:
    """The run failed: let another worker try (the day stays not done)."""
    db.execute(update(JobLock).where(JobLock.name == NAME, JobLock.holder == holder)
               .values(holder=None, until=None).execution_options(synchronize_session=False))


def run_once(transaction: Transaction, schedule: retention_schedule.Schedule, *,
             now: datetime, holder: str, zone: ZoneInfo,
             prison_ids: frozenset[str] | None = None) -> RunResult | None:
    """Run today's retention if this worker takes the lock; None if another has, or did."""
    today = now.astimezone(zone).date()
    with transaction() as db:
        if not take(db, holder, today, now):
            return None
    try:
        result = retention_run.run(transaction, schedule, now=now, trigger="job", zone=zone,
                                   prison_ids=prison_ids)
    except BaseException:
        with transaction() as db:
            release(db, holder)
        raise
    with transaction() as db:
        finish(db, holder, today)
    return result


async def daily(transaction: Transaction, zone: ZoneInfo,
                clock: Callable[[], datetime] = utc_now,
                check_every_s: float = CHECK_EVERY_S,
                prison_ids: frozenset[str] | None = None) -> None:
    """The lifespan task: look now, then every `check_every_s` (give or take a tenth, so
    workers started together do not all ask at once), for as long as the server runs."""
    holder = holder_name()
    while True:
        try:
            schedule = retention_schedule.load()
            result = await asyncio.to_thread(run_once, transaction, schedule, now=clock(),
                                             holder=holder, zone=zone,
                                             prison_ids=prison_ids)
            if result is not None:
                log.info("retention run %s for %s: %s", result.run_id, result.day,
                         result.summary)
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001 — logged; the next look tries again
            log.exception("the daily retention run failed")
        await asyncio.sleep(check_every_s * random.uniform(0.9, 1.1))


def lock_row(db: Session) -> JobLock | None:
    return db.scalars(select(JobLock).where(JobLock.name == NAME)).one_or_none()
