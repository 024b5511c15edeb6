"""What the retention page reads (issue 12 item 2): the last runs and a preview of the next,
for administrators and data-protection officers. Counts only: no record, no person."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import RetentionRun
from app.services.accounts import Identity
from app.services.retention_run import Plan, Transaction, plan
from app.services.retention_schedule import Schedule, local_day
from app.settings import get_settings
from app.vocabulary import Role


class NotAllowed(Exception):
    """Only administrators and data-protection officers see the schedule's runs."""


READERS = frozenset({Role.ADMIN, Role.DATA_PROTECTION})


def _check(who: Identity) -> None:
    if who.role not in READERS:
        raise NotAllowed()


def last_runs(db: Session, who: Identity, limit: int = 10) -> list[RetentionRun]:
    """The latest real runs, newest first."""
    _check(who)
    return list(db.scalars(select(RetentionRun).where(RetentionRun.dry_run.is_(False))
                           .order_by(RetentionRun.started_at.desc(), RetentionRun.id.desc())
                           .limit(limit)))


def preview(transaction: Transaction, who: Identity, schedule: Schedule, now: datetime,
            zone: ZoneInfo | None = None) -> Plan:
    """What a run now would do, changing nothing (the page's preview counts)."""
    _check(who)
    zone = zone or get_settings().zone
    return plan(transaction, schedule, local_day(now, zone), zone=zone)
