"""The daily retention job: several workers start it at once, exactly one runs the day."""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import delete, func, select

from app import runtime
from app.db import unit_of_work
from app.models import JobLock, Observation, RetentionRun
from app.services import retention_job, retention_schedule
from tests.helpers import run_async
from tests.retention_data import NOW, ZONE, days_ago, new_place, new_prisoner, observe


@pytest.fixture(autouse=True)
def fresh_lock():
    """The lock row is the whole service's: each test starts with none."""
    with unit_of_work() as db:
        db.execute(delete(JobLock).where(JobLock.name == retention_job.NAME))


def job_runs() -> int:
    with unit_of_work() as db:
        return db.scalar(select(func.count()).select_from(RetentionRun)
                         .where(RetentionRun.trigger == "job"))


def once(place, now, holder):
    return retention_job.run_once(runtime.transaction, retention_schedule.load(), now=now,
                                  holder=holder, zone=ZONE, prison_ids=place.scope)


def test_two_workers_started_at_once_run_the_day_once():
    place = new_place()
    prisoner = new_prisoner(place)
    due = [observe(place, prisoner, days_ago(400 + n)) for n in range(5)]
    before = job_runs()
    start = threading.Barrier(4)

    def worker(n: int):
        start.wait()
        return once(place, NOW, f"worker-{n}")

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(worker, range(4)))
    ran = [r for r in results if r is not None]
    assert len(ran) == 1 and ran[0].summary == {"not_escalated_1y": {"erase": 5}}
    assert job_runs() == before + 1
    with unit_of_work() as db:
        assert db.scalar(select(func.count()).select_from(Observation)
                         .where(Observation.id.in_(due))) == 0
        lock = retention_job.lock_row(db)
    assert lock.holder is None and lock.last_day == NOW.astimezone(ZONE).date()
    # later the same day: nobody runs it again; the next day someone does
    assert once(place, NOW + timedelta(hours=3), "worker-9") is None
    assert once(place, NOW + timedelta(days=1), "worker-9") is not None


def test_a_holder_that_died_is_taken_over_after_its_lease():
    place = new_place()
    with runtime.transaction() as db:
        assert retention_job.take(db, "dead-worker", NOW.date(), NOW)
    assert once(place, NOW + timedelta(minutes=5), "other") is None  # still held
    assert once(place, NOW + retention_job.LEASE + timedelta(minutes=1), "other") is not None


def test_a_failed_run_lets_the_next_look_try_again(monkeypatch):
    place = new_place()

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(retention_job.retention_run, "run", broken)
    with pytest.raises(RuntimeError):
        once(place, NOW, "worker-1")
    monkeypatch.undo()
    assert once(place, NOW, "worker-2") is not None


def test_the_lifespan_task_runs_and_keeps_looking():
    looks = []

    def clock():
        looks.append(1)
        if len(looks) == 3:
            raise asyncio.CancelledError
        return NOW + timedelta(days=10 * len(looks))

    async def main():
        await retention_job.daily(runtime.transaction, ZONE, clock=clock, check_every_s=0,
                                  prison_ids=new_place().scope)

    before = job_runs()
    with pytest.raises(asyncio.CancelledError):
        run_async(main())  # not asyncio.run: the browser tests' loop may run in this thread
    assert job_runs() == before + 2  # two days, one run each
