"""Demo activity: a fortnight of made-up observations and screening work in the demo prison, so a
screener signing in to the demo finds a queue to work on, and officers find their own entries.

Written through the same services as real work (ingest, flag rules, claims, decisions), so the
items, triggers and audit rows are what the real app would have made. Run once, by
`app.cli setup --demo-activity` (scripts/serve); the test suite starts from the bare demo.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Observation, Prisoner, ScreeningItem, User, Wing
from app.services import accounts, screening
from app.services.observations import IngestContext, Item, ObservationInput, ingest

DEVICE = "demo-tablet"
CLOSED_BEFORE = 30  # days: entries older than this belong to an item already decided


@dataclass(frozen=True)
class Entry:
    wing: str
    prisoner: int  # index in the wing's roster, by number
    days_ago: float
    indicators: tuple[str, ...]
    facts: str
    assessment: str | None = None
    location: str = "landing"
    concern: str = "medium"
    source: str = "direct"
    flag_reason: str | None = None


ENTRIES = (
    # Wing A: a manual flag, then more about the same man (one item, several officers' worth).
    Entry("A", 0, 9, ("C01.1",), 'In the yard said of last month\'s attack: "they got what they '
          'deserved, more should follow". Three other prisoners present.',
          "He seemed to want the others to agree.", "yard", "high",
          flag_reason="Praise of a recent attack in front of younger prisoners."),
    Entry("A", 0, 7, ("C04.1", "C03.2"), "Was seen telling a new arrival he must stop "
          "greeting staff and sit with \"his own people\" at meals.", location="landing"),
    Entry("A", 0, 3, ("C11.2",), "Had a long family visit with his mother and sister; "
          "calm and talkative afterwards.", location="visits", concern="low"),
    # Wing A: an immediate indicator.
    Entry("A", 3, 2, ("C02.1",), 'Told officer on the landing: "I know where you park your '
          'car". Said it twice.', "Said quietly, not in anger.", "landing", "high"),
    # Wing A: three concern observations in 30 days (pattern rule).
    Entry("A", 5, 20, ("C07.1",), "Has not attended the carpentry workshop for two weeks; "
          "says he is ill but seen in the yard.", location="workshop", concern="low"),
    Entry("A", 5, 12, ("C07.3",), "Spends association time only with the same two prisoners "
          "and walks away when others approach.", concern="low"),
    Entry("A", 5, 4, ("C06.3",), "A drawing of a flag with a slogan taped inside his locker "
          "door; removed under the usual procedure.", location="cell"),
    # Wing A: protective and low-level entries that flag nothing.
    Entry("A", 7, 6, ("C11.1",), "Passed the first module of the literacy course.",
          location="education", concern="low"),
    Entry("A", 9, 5, ("C11.3",), "Asked his key worker for help with a housing application.",
          concern="low"),
    # Wing B: a flag that screening has already claimed.
    Entry("B", 1, 5, ("C05.3",), "A folded note passed from his hand to a visitor's during "
          "the visit; the visitor dropped it when staff approached.", location="visits",
          concern="high", source="direct",
          flag_reason="Possible message passing avoiding checks at visits."),
    # Wing B: an older flag, decided last month (a previous item for this man).
    Entry("B", 4, 40, ("C09.4",), "Collected signatures for a protest against meal times "
          "and called staff \"occupiers\".", location="landing",
          flag_reason="Political language around a complaint; worth a screener's view."),
    Entry("B", 4, 1, ("C02.5",), 'Said at lunch: "something big will happen here soon, you '
          'will see". Would not say more.', "Could be bravado.", "landing",
          flag_reason="Hint at coming violence; second entry about him this month."),
    Entry("B", 6, 3, ("C11.4",), "Works every day in the laundry; supervisor reports him "
          "reliable.", location="workshop", concern="low"),
)


def seed_activity(db: Session, ctx: IngestContext, now: datetime) -> bool:
    """Record the demo fortnight once; False when the demo prison already has observations."""
    if db.scalar(select(Observation.id).limit(1)) is not None:
        return False
    users = {u.username: accounts.identity_of(u) for u in db.scalars(select(User))}
    rosters = _rosters(db)
    entries = sorted(ENTRIES, key=lambda e: -e.days_ago)
    _record(db, users, rosters, [e for e in entries if e.days_ago > CLOSED_BEFORE], now, ctx)
    _close_older_item(db, users["screener2"], rosters["B"][4], now, ctx)
    _record(db, users, rosters, [e for e in entries if e.days_ago <= CLOSED_BEFORE], now, ctx)
    screening.claim(db, users["screener2"], _open_item(db, rosters["B"][1]),
                    now - timedelta(days=4))
    return True


def _record(db: Session, users: dict[str, accounts.Identity], rosters: dict[str, list[str]],
            entries: list[Entry], now: datetime, ctx: IngestContext) -> None:
    for entry in entries:
        author = users["officer1" if entry.wing == "A" else "officer2"]
        at = now - timedelta(days=entry.days_ago)
        item = _item(entry, rosters[entry.wing][entry.prisoner], at, ctx)
        ingest(db, author, DEVICE, [item], at + timedelta(hours=1), ctx)


def _rosters(db: Session) -> dict[str, list[str]]:
    rows = db.execute(select(Wing.code, Prisoner.id).join(Prisoner, Prisoner.wing_id == Wing.id)
                      .order_by(Wing.code, Prisoner.number)).all()
    rosters: dict[str, list[str]] = {}
    for wing, prisoner_id in rows:
        rosters.setdefault(wing, []).append(prisoner_id)
    return rosters


def _item(entry: Entry, prisoner_id: str, at: datetime, ctx: IngestContext) -> Item:
    version = max(ctx.catalogues, key=int)
    # Any unique hash will do: the demo never retries, so no duplicate check needs the real one.
    return Item(id=str(uuid.uuid4()), payload_hash=uuid.uuid4().hex, observation=ObservationInput(
        prisoner_id=prisoner_id, occurred_at=at, recorded_at=at, location=entry.location,
        catalogue_version=version, indicators=entry.indicators, facts=entry.facts,
        assessment=entry.assessment, source=entry.source, concern=entry.concern,
        flag=entry.flag_reason is not None, flag_reason=entry.flag_reason))


def _open_item(db: Session, prisoner_id: str) -> int:
    return db.scalar(select(ScreeningItem.id).where(ScreeningItem.prisoner_id == prisoner_id,
                                                    ScreeningItem.closed_at.is_(None)))


def _close_older_item(db: Session, screener: accounts.Identity, prisoner_id: str,
                      now: datetime, ctx: IngestContext) -> None:
    """Last month's item about the protest organiser: screened, no further action."""
    at = now - timedelta(days=38)
    item_id = _open_item(db, prisoner_id)
    screening.claim(db, screener, item_id, at)
    screening.decide(db, screener, item_id, "no_further_action",
                     "A complaint about meal times in heated words; no support for violence "
                     "and no pressure on others seen. Officers to keep recording as usual.",
                     at + timedelta(hours=2), ctx.cipher)
