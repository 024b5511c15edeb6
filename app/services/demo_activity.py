"""Demo activity: a fortnight of made-up observations and screening work in the demo prison, so a
screener signing in to the demo finds a queue to work on, and officers find their own entries.
Before it, half a year of everyday "background" entries on wings A and B, so a security head's
trends page has weeks to compare; their few flags were screened and closed long ago.

Written through the same services as real work (ingest, flag rules, claims, decisions), so the
items, triggers, audit rows and trend counts are what the real app would have made. Run once, by
`app.cli setup --demo-activity` (scripts/serve); the test suite starts from the bare demo.
"""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, time, timedelta
from itertools import islice
from operator import itemgetter
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.clock import prisons_today
from app.i18n.locales import Locale
from app.models import Observation, Prisoner, ScreeningItem, User, Wing
from app.services import accounts, screening
from app.services.observations import IngestContext, Item, ObservationInput, ingest
from app.services.trends import week_of

DEVICE = "demo-tablet"
CLOSED_BEFORE = 30  # days: entries older than this belong to an item already decided
OFFICERS = {"A": "officer1", "B": "officer2"}  # ingest refuses entries about other wings
WRITTEN_IN = Locale.EN  # the demo's free texts are English, and say so like any other entry
RECEIVED_AFTER = timedelta(hours=1)  # the tablet syncs an hour after the officer writes
DAY = timedelta(days=1)


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
    """Record the background half-year and the demo fortnight once; False when the demo prison
    already has observations."""
    if db.scalar(select(Observation.id).limit(1)) is not None:
        return False
    today = prisons_today(now)
    users = {u.username: accounts.identity_of(db, u, today) for u in db.scalars(select(User))}
    rosters = _rosters(db)
    # First: the background never touches the fortnight's prisoners, so recording it all before
    # them still gives every prisoner his entries in the order they happened.
    _seed_background(db, users, rosters, now, ctx)
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
        _write(db, users, rosters, entry, now, ctx)


def _write(db: Session, users: dict[str, accounts.Identity], rosters: dict[str, list[str]],
           entry: Entry, now: datetime, ctx: IngestContext) -> None:
    """One entry, by its wing's officer, synced RECEIVED_AFTER it was written."""
    at = _at(entry, now)
    item = _item(entry, rosters[entry.wing][entry.prisoner], at, ctx)
    ingest(db, users[OFFICERS[entry.wing]], DEVICE, [item], at + RECEIVED_AFTER, ctx)


def _at(entry: Entry, now: datetime) -> datetime:
    return now - entry.days_ago * DAY


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
        flag=entry.flag_reason is not None, flag_reason=entry.flag_reason, locale=WRITTEN_IN))


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
                     at + timedelta(hours=2), ctx.cipher, locale=WRITTEN_IN)


# --- background: half a year of everyday entries, for the security head's trends ------------

BACKGROUND_SEED = 1409  # fixed: the demo shows the same half-year every time it is set up
BACKGROUND_WEEKS = 26  # local weeks, this (part-gone) one included
BASE_CONCERNS = (10, 12)  # concern entries a week, before the rise
PROTECTIVES = (5, 9)  # protective entries a week
# Us-and-them talk and drawing in new arrivals climb over the last weeks, so "indicators that
# rose most" has a story to show rather than noise.
RISING = ("C03.2", "C04.5")
RISE_WEEKS = 8
MOST_RISE = 3  # extra entries this week, taking RISING in turns; fewer in each week before
# Rule R3 queues a man with 3 concern observations in 30 days; at most 2 in any 32 days keeps
# the background out of the queue (only its flags below reach a screener).
MOST_CONCERNS = 2
QUIET = timedelta(days=32)
FLAG_EVERY = 10.0  # days, give or take two
FLAGS_END = 12.0  # days before now: the last flag's screening is long finished
SCREENERS = ("screener1", "screener2")
MONITOR_FOR = timedelta(days=21)
LEVELS, LEVEL_WEIGHTS = ("low", "medium", "high"), (5, 4, 1)
SOURCES, SOURCE_WEIGHTS = ("direct", "reported_by_staff"), (6, 1)


@dataclass(frozen=True)
class Fact:
    """Something an officer might write: the indicator ticked, where, and what happened."""

    indicator: str
    location: str
    text: str


# How often each concern category turns up in an ordinary week. Only indicators that are not
# "immediate" appear below: those would each put a man in the queue (rule R2).
CONCERN_WEIGHTS = {"C01": 1, "C02": 1, "C03": 2, "C04": 2, "C05": 2, "C06": 1, "C07": 3,
                   "C08": 3, "C09": 2}
CONCERN_FACTS = {
    "C01": (
        Fact("C01.2", "yard", "Spoke admiringly of a man jailed for a bombing, calling him "
             "\"a real soldier\"."),
        Fact("C01.3", "dining_hall", "Argued at lunch that \"only force gets listened to\" "
             "while a news item about a protest was on."),
        Fact("C01.4", "landing", "Laughed at a report of an attack abroad and joked about the "
             "victims."),
    ),
    "C02": (
        Fact("C02.5", "landing", "Told another prisoner \"people will remember this wing "
             "soon\" and would not explain."),
        Fact("C02.5", "workshop", "Said in the workshop that \"one day they will all pay\", "
             "without saying who."),
    ),
    "C03": (
        Fact("C03.1", "yard", "Called a group of foreign prisoners \"rats\", loud enough for "
             "them to hear."),
        Fact("C03.2", "landing", "Called prisoners from another town \"traitors\" and said they "
             "should eat apart."),
        Fact("C03.3", "dining_hall", "Made insulting remarks about another prisoner's religion "
             "in the food queue."),
        Fact("C03.4", "landing", "Refused to be unlocked by a female officer and asked for "
             "\"one of ours\" instead."),
    ),
    "C04": (
        Fact("C04.1", "cell", "Heard pressing his cellmate to join his prayer group \"or be "
             "seen as an outsider\"."),
        Fact("C04.2", "landing", "Offered a new arrival phone credit and \"protection\" if he "
             "kept to his table."),
        Fact("C04.4", "yard", "Others waited for his nod before settling an argument over the "
             "gym rota."),
        Fact("C04.5", "dining_hall", "Sat with two young first-time prisoners at every meal "
             "from their first day."),
    ),
    "C05": (
        Fact("C05.1", "yard", "Spends each exercise period walking with a prisoner held for a "
             "terrorism offence."),
        Fact("C05.4", "mail", "His letters to a cousin repeat the same odd phrases each week; "
             "says it is \"a family joke\"."),
        Fact("C05.5", "mail", "Asked two other prisoners to send money from their accounts to "
             "the same outside name."),
    ),
    "C06": (
        Fact("C06.1", "cell", "A printed leaflet praising an armed group found among his "
             "papers in a routine search."),
        Fact("C06.3", "cell", "A fresh slogan scratched into the cell wall; he says it was "
             "there before."),
        Fact("C06.4", "healthcare", "New tattoo on his forearm like the emblem of a banned "
             "group; says it is \"just a design\"."),
    ),
    "C07": (
        Fact("C07.1", "education", "Stopped coming to his evening class after eight weeks of "
             "steady attendance."),
        Fact("C07.2", "visits", "Refused a booked visit from his brother and asked for no more "
             "to be booked."),
        Fact("C07.4", "landing", "Answers his key worker in single words and stays in his cell "
             "at association."),
    ),
    "C08": (
        Fact("C08.1", "dining_hall", "Has moved to another table at meals and changed his "
             "exercise times to match theirs."),
        Fact("C08.2", "landing", "Polite and helpful until last month, now argues over every "
             "instruction."),
        Fact("C08.4", "cell", "Gave away his radio and most of his clothes to other prisoners "
             "this week."),
    ),
    "C09": (
        Fact("C09.1", "landing", "Said his sentence is \"part of the war against our people\", "
             "not about what he did."),
        Fact("C09.2", "dining_hall", "Blamed \"the state and its servants\" for all his "
             "troubles and said they deserve punishment."),
        Fact("C09.3", "landing", "Told staff the prison's rules \"are not our law\" when asked "
             "to return to his cell."),
    ),
}
RISING_FACTS = tuple(tuple(f for facts in CONCERN_FACTS.values() for f in facts
                           if f.indicator == code) for code in RISING)
PROTECTIVE_FACTS = (
    Fact("C11.1", "education", "Attends the maths course every week and helps others with "
         "homework."),
    Fact("C11.2", "visits", "Calm, cheerful visit from his wife and children; asked for the "
         "next date at once."),
    Fact("C11.3", "landing", "Came to the office to ask for advice about a letter from court."),
    Fact("C11.4", "workshop", "Workshop instructor reports him punctual and careful with tools."),
    Fact("C11.5", "yard", "Has stopped spending exercise with a group he used to join; says he "
         "\"wants no trouble\"."),
    Fact("C11.6", "library", "Looked up training courses in the library to plan for work after "
         "release."),
)
# What an officer writes when flagging an entry of the category.
FLAG_REASONS = {
    "C01": "Open praise of violence in front of others; worth a screener's view.",
    "C02": "Vague hint at something coming; I could not tell how seriously he meant it.",
    "C03": "Hostile us-and-them talk getting louder on the landing.",
    "C04": "Seems to be gathering younger prisoners around him.",
    "C05": "Contacts that avoid the usual checks; not sure what lies behind them.",
    "C06": "Material or symbols of a violent group; removed under the usual procedure.",
    "C07": "Sudden withdrawal from everyone; staff worried about him.",
    "C08": "Very different from the man we knew a month ago.",
    "C09": "His complaints are turning into a cause; worth a screener's view.",
}


@dataclass(frozen=True)
class Decision:
    outcome: str
    reason: str
    support_kind: str | None = None


# Mostly outcomes that close the item, so the live queue stays as the fortnight makes it.
DECISIONS = (
    Decision("no_further_action", "Read with his recent entries: a remark made in anger, no "
             "pattern and no support for violence seen. Officers to keep recording as usual."),
    Decision("refer_support", "Low mood and poor sleep since bad news from home; what officers "
             "saw reads as distress rather than ideology.", "mental_health"),
    Decision("no_further_action", "Spoke with his key worker: an ordinary dispute over a debt "
             "explains it, and nothing points to a group or a cause."),
    Decision("refer_assessment", "Several entries over months point the same way and this one "
             "involves other prisoners; a structured assessment is warranted."),
    Decision("refer_support", "Money worries at home lie behind the change officers noticed; "
             "the social worker will help his family.", "social_welfare"),
)
# One item stays open: monitored, its review date long past, so the queue shows it as due.
MONITOR = Decision("monitor", "Not enough to act on but worth a second look; officers asked to "
                   "note any repeat.")
MONITORED_FLAG = 1  # the second flag of the half-year


@dataclass(frozen=True)
class Review:
    """What screening made of one flagged background entry, and when."""

    wing: str
    prisoner: int
    screener: str
    decision: Decision
    claimed_at: datetime
    decided_at: datetime
    review_on: datetime | None = None  # monitoring only
    signer: str | None = None  # a referral for assessment needs a second screener's sign-off
    signed_at: datetime | None = None


Step = tuple[datetime, Callable[[], object]]  # something done at a moment of the timeline


def background(now: datetime, zone: ZoneInfo,
               roster_sizes: Mapping[str, int]) -> tuple[list[Entry], list[Review]]:
    """Half a year of everyday entries before `now`, oldest first, and the screening of the few
    that carry a flag. Seeded, so the same weeks look the same whenever the demo is set up."""
    pool = _pool(roster_sizes)
    concerns = _concerns(_rng("concern"), now, pool, _concern_slots(_rng("slots"), now, zone))
    concerns, reviews = _flag(_rng("flags"), concerns, now)
    rng = _rng("protective")
    protective = [_entry(rng, now, at, rng.choice(pool), PROTECTIVE_FACTS, "low")
                  for week in range(BACKGROUND_WEEKS)
                  for at in _moments(rng, now, zone, week, rng.randint(*PROTECTIVES))
                  if _synced(at, now)]
    return sorted(concerns + protective, key=lambda e: -e.days_ago), reviews


def _rng(purpose: str) -> random.Random:
    """A seeded stream for each part, so the number of draws one part makes (fewer this week,
    the later in it the more) does not shift what the others draw."""
    return random.Random(f"{BACKGROUND_SEED}:{purpose}")


def _pool(roster_sizes: Mapping[str, int]) -> list[tuple[str, int]]:
    """(wing, index) of the men the background writes about: the wings with a demo officer,
    less the fortnight's prisoners, whose queue items must come from their own entries only."""
    taken = {(e.wing, e.prisoner) for e in ENTRIES}
    return [(wing, n) for wing in OFFICERS for n in range(roster_sizes[wing])
            if (wing, n) not in taken]


def _moments(rng: random.Random, now: datetime, zone: ZoneInfo, week: int,
             count: int) -> list[datetime]:
    """`count` moments on day shifts (07:00-19:00 local) in the local week `week` weeks before
    this one, including any still to come this week (see _synced)."""
    monday = week_of(now, zone) - timedelta(weeks=week)
    return [(datetime.combine(monday + timedelta(days=rng.randrange(7)), time(7), tzinfo=zone)
             + timedelta(minutes=rng.randrange(12 * 60))).astimezone(UTC) for _ in range(count)]


def _synced(at: datetime, now: datetime) -> bool:
    """An entry written at `at` has reached the server by now: this week is filled so far."""
    return at + RECEIVED_AFTER < now


def _concern_slots(rng: random.Random, now: datetime,
                   zone: ZoneInfo) -> list[tuple[datetime, tuple[Fact, ...]]]:
    """When each concern entry happens and what it may say, oldest first."""
    slots, shoe = [], _shoe(rng)
    for week in range(BACKGROUND_WEEKS):  # week 0: this one
        categories = list(islice(shoe, rng.randint(*BASE_CONCERNS)))
        rise = round(MOST_RISE * max(0, RISE_WEEKS - week) / RISE_WEEKS)
        facts = ([CONCERN_FACTS[category] for category in categories]
                 + [RISING_FACTS[n % len(RISING_FACTS)] for n in range(rise)])
        slots += zip(_moments(rng, now, zone, week, len(facts)), facts)
    return sorted((slot for slot in slots if _synced(slot[0], now)), key=itemgetter(0))


def _shoe(rng: random.Random) -> Iterator[str]:
    """Categories dealt from decks in CONCERN_WEIGHTS proportions, shuffled one deck at a time:
    any run of weeks gets close to its share of each, so chance cannot hide the rise."""
    deck = [category for category, n in CONCERN_WEIGHTS.items() for _ in range(n)]
    while True:
        rng.shuffle(deck)
        yield from deck


def _concerns(rng: random.Random, now: datetime, pool: list[tuple[str, int]],
              slots: list[tuple[datetime, tuple[Fact, ...]]]) -> list[Entry]:
    """A concern entry for each slot, about a man who had fewer than MOST_CONCERNS of them
    within QUIET before it (a slot where nobody qualifies stays empty)."""
    seen: dict[tuple[str, int], list[datetime]] = defaultdict(list)
    entries = []
    for at, facts in slots:
        free = [man for man in pool if sum(at - t < QUIET for t in seen[man]) < MOST_CONCERNS]
        if not free:
            continue
        man = rng.choice(free)
        seen[man].append(at)
        level = rng.choices(LEVELS, LEVEL_WEIGHTS)[0]
        entries.append(_entry(rng, now, at, man, facts, level))
    return entries


def _entry(rng: random.Random, now: datetime, at: datetime, man: tuple[str, int],
           facts: tuple[Fact, ...], concern: str) -> Entry:
    fact = rng.choice(facts)
    source = rng.choices(SOURCES, SOURCE_WEIGHTS)[0]
    return Entry(man[0], man[1], (now - at) / DAY, (fact.indicator,), fact.text,
                 location=fact.location, concern=concern, source=source)


def _flag(rng: random.Random, concerns: list[Entry],
          now: datetime) -> tuple[list[Entry], list[Review]]:
    """About every FLAG_EVERY days an officer flags a concern entry (oldest first in
    `concerns`), each time about a man not flagged before, so no two flags share an item."""
    entries, reviews, flagged = list(concerns), [], set()
    days_ago = BACKGROUND_WEEKS * 7 - FLAG_EVERY / 2
    while days_ago > FLAGS_END:
        n, entry = next((n, e) for n, e in enumerate(entries)
                        if e.days_ago <= days_ago and (e.wing, e.prisoner) not in flagged)
        flagged.add((entry.wing, entry.prisoner))
        category = entry.indicators[0].split(".")[0]  # codes start with their category
        entries[n] = replace(entry, concern="high", flag_reason=FLAG_REASONS[category])
        reviews.append(_review(rng, entries[n], len(reviews), now))
        days_ago -= FLAG_EVERY + rng.uniform(-2, 2)
    return entries, reviews


def _review(rng: random.Random, entry: Entry, index: int, now: datetime) -> Review:
    """A screener claims the flag and decides 6 hours to 5 days after it was written; the two
    screeners take turns, and the other one signs off a referral for assessment."""
    at = _at(entry, now)
    decided = at + timedelta(hours=rng.uniform(6, 120))
    claimed = at + RECEIVED_AFTER + (decided - at - RECEIVED_AFTER) * rng.uniform(0.2, 0.8)
    decision = MONITOR if index == MONITORED_FLAG else DECISIONS[index % len(DECISIONS)]
    screener, other = SCREENERS[index % 2], SCREENERS[1 - index % 2]
    assessed = decision.outcome == "refer_assessment"
    return Review(entry.wing, entry.prisoner, screener, decision, claimed, decided,
                  review_on=decided + MONITOR_FOR if decision.outcome == "monitor" else None,
                  signer=other if assessed else None,
                  signed_at=decided + timedelta(hours=rng.uniform(4, 48)) if assessed else None)


def _seed_background(db: Session, users: dict[str, accounts.Identity],
                     rosters: dict[str, list[str]], now: datetime, ctx: IngestContext) -> None:
    """Record the background and its screening as one timeline: each man's entries, claims and
    decisions happen in the order of their times, as they would have."""
    entries, reviews = background(now, ctx.zone, {wing: len(ids) for wing, ids in rosters.items()})
    steps: list[Step] = [(_at(entry, now) + RECEIVED_AFTER,
                          lambda entry=entry: _write(db, users, rosters, entry, now, ctx))
                         for entry in entries]
    for review in reviews:
        steps += _screening_steps(db, users, rosters[review.wing][review.prisoner], review, ctx)
    for _, step in sorted(steps, key=itemgetter(0)):
        step()


def _screening_steps(db: Session, users: dict[str, accounts.Identity], prisoner_id: str,
                     review: Review, ctx: IngestContext) -> list[Step]:
    """Claim, decision and any sign-off of the flag's item (the man's only open one)."""
    who, decision = users[review.screener], review.decision
    steps: list[Step] = [
        (review.claimed_at, lambda: screening.claim(
            db, who, _open_item(db, prisoner_id), review.claimed_at)),
        (review.decided_at, lambda: screening.decide(
            db, who, _open_item(db, prisoner_id), decision.outcome, decision.reason,
            review.decided_at, ctx.cipher, review_on=review.review_on,
            support_kind=decision.support_kind, locale=WRITTEN_IN))]
    if review.signer is not None:
        steps.append((review.signed_at, lambda: screening.sign_off(
            db, users[review.signer], _open_item(db, prisoner_id), review.signed_at)))
    return steps
