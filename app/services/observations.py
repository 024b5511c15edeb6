"""Storing observations from tablets: exactly once, checked against roster and catalogue, with
flag rules and the screening queue in the same transaction as the rows themselves.

The caller owns the transaction: everything here happens inside it or not at all, so a retried
batch can never leave a second screening item or half an observation behind.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any, Literal, Mapping
from zoneinfo import ZoneInfo

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from app.i18n.locales import Locale
from app.i18n.messages import N_
from app.models import Addendum, Observation, Prisoner, ScreeningItem, ScreeningTrigger
from app.services import audit, erasure, flag_rules, trends
from app.services.accounts import Identity
from app.services.catalogue import Catalogue, standing
from app.services.fieldcrypt import FieldCipher
from app.services.organisation_reads import own_location_codes
from app.vocabulary import ConcernLevel, CorrectedFact, IndicatorKind, Source

CLOCK_SKEW = timedelta(minutes=5)  # a tablet's clock may run a little ahead
Status = Literal["created", "duplicate", "conflict", "rejected"]


@dataclass(frozen=True)
class FieldError:
    """Which field is wrong and why: a code for programs, and a message id (with its
    placeholders' values) that the API says in the caller's language."""

    field: str
    code: str
    message: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ObservationInput:
    """One observation as the officer wrote it, shape already checked by the API layer."""

    prisoner_id: str
    occurred_at: datetime
    recorded_at: datetime | None
    location: str
    catalogue_version: str
    indicators: tuple[str, ...]
    facts: str
    assessment: str | None
    source: Source
    concern: ConcernLevel
    flag: bool
    flag_reason: str | None
    locale: Locale | None = None  # the language the officer wrote in; None from older clients


@dataclass(frozen=True)
class Item:
    """A sync item: either an observation with the hash of its canonical payload, or the
    reason it could not even be read."""

    id: str
    observation: ObservationInput | None = None
    payload_hash: str | None = None
    error: FieldError | None = None


@dataclass(frozen=True)
class ItemResult:
    id: str
    status: Status
    error: FieldError | None = None


@dataclass(frozen=True)
class IngestContext:
    cipher: FieldCipher
    catalogues: Mapping[str, Catalogue]
    location_codes: frozenset[str]
    review_after: timedelta
    zone: ZoneInfo  # the prisons' local time, whose weeks the trend counts use
    # The first day each catalogue version is in effect (a version not named: always), and how
    # long entries on the previous one are still taken in after a new one takes effect.
    catalogue_effective: Mapping[str, date] = field(default_factory=dict)
    catalogue_grace: timedelta = timedelta(days=30)


def ingest(db: Session, author: Identity, device_id: str, items: list[Item], now: datetime,
           ctx: IngestContext) -> list[ItemResult]:
    """Store what is new, recognise retries, reject what is wrong — one result per item."""
    candidates = [item for item in items if item.observation is not None]
    stored = {obs_id: (payload_hash, author_id) for obs_id, payload_hash, author_id in db.execute(
        select(Observation.id, Observation.payload_hash, Observation.author_id)
        .where(Observation.id.in_([i.id for i in candidates])))}
    # A tombstone's id: the entry was received once and erased since (issue 12).
    erased = erasure.erased_observation_ids(db, (i.id for i in candidates if i.id not in stored))
    prisoners = {p.id: p for p in db.scalars(select(Prisoner).where(
        Prisoner.id.in_({i.observation.prisoner_id for i in candidates})))}
    # The standard codes, and the author's prison's own (retired ones too: made offline before).
    if own := own_location_codes(db, author.prison_id):
        ctx = replace(ctx, location_codes=ctx.location_codes | own)
    results: list[ItemResult] = []
    rows: list[dict] = []
    for item in items:
        if item.error is not None or item.observation is None:
            results.append(ItemResult(item.id, "rejected", item.error))
        elif item.id in stored:
            results.append(_repeat(item, stored[item.id], author))
        elif item.id in erased:  # received once, erased since: never stored again
            results.append(ItemResult(item.id, "duplicate"))
        elif error := _problem(item.observation, author, prisoners, ctx, now):
            results.append(ItemResult(item.id, "rejected", error))
        else:
            rows.append(_row(item, author, device_id, prisoners, ctx, now))
            stored[item.id] = (item.payload_hash or "", author.user_id)
            results.append(ItemResult(item.id, "created"))
    if rows:
        db.execute(insert(Observation), rows)
        _audit_created(db, rows, author, now)
        raised = _apply_flag_rules(db, rows, ctx, now)
        # A restricted prisoner's are not counted until the restriction is lifted.
        withheld = trends.withheld_prisoners(db, (row["prisoner_id"] for row in rows))
        trends.count_observations(db, (
            trends.counted(row, ctx.catalogues[row["catalogue_version"]], row["id"] in raised)
            for row in rows if row["prisoner_id"] not in withheld), ctx.zone)
    return results


def _repeat(item: Item, stored: tuple[str | None, str], author: Identity) -> ItemResult:
    """An id seen before. Authorship comes first: were another officer's id with the same
    payload a `duplicate`, the answer would confirm what that officer wrote."""
    payload_hash, author_id = stored
    if author_id != author.user_id:
        return ItemResult(item.id, "conflict", FieldError(
            "id", "id_taken",
            N_("This id is already taken; nothing changed. Save the entry again as new.")))
    if payload_hash == item.payload_hash:
        return ItemResult(item.id, "duplicate")
    return ItemResult(item.id, "conflict", FieldError(
        "id", "id_conflict",
        N_("This id was stored before with different content; nothing changed.")))


def _problem(obs: ObservationInput, author: Identity, prisoners: dict[str, Prisoner],
             ctx: IngestContext, now: datetime) -> FieldError | None:
    prisoner = prisoners.get(obs.prisoner_id)
    if prisoner is None:
        return FieldError("prisoner_id", "unknown_prisoner",
                          N_("No prisoner with this id is on the roster."))
    if prisoner.wing_id not in author.wing_ids:
        return FieldError("prisoner_id", "not_your_wing",
                          N_("This prisoner is not on one of your wings."))
    catalogue = ctx.catalogues.get(obs.catalogue_version)
    if catalogue is None:
        return FieldError("catalogue_version", "unknown_catalogue",
                          N_("Unknown catalogue version '{version}'."),
                          {"version": obs.catalogue_version})
    if out_of_date := _catalogue_out_of_date(catalogue, ctx, now):
        return out_of_date
    unknown = [code for code in obs.indicators if code not in catalogue.indicators]
    if unknown:
        return FieldError("indicators", "unknown_indicator",
                          N_("Not in catalogue version {version}: {codes}"),
                          {"version": catalogue.version, "codes": ", ".join(unknown[:5])})
    retired = [code for code in obs.indicators if catalogue.indicators[code].retired]
    if retired:
        return FieldError("indicators", "retired_indicator",
                          N_("No longer offered in catalogue version {version}: {codes}"),
                          {"version": catalogue.version, "codes": ", ".join(retired[:5])})
    if obs.location not in ctx.location_codes:
        return FieldError("location", "unknown_location",
                          N_("Unknown location code '{code}'."), {"code": obs.location})
    if obs.occurred_at > now + CLOCK_SKEW:
        return FieldError("occurred_at", "in_future", N_("Lies in the future."))
    if obs.occurred_at < now - timedelta(days=catalogue.max_age_days):
        return FieldError("occurred_at", "too_old",
                          N_("Is older than {days} days; record older events through your "
                             "supervisor."), {"days": catalogue.max_age_days})
    if obs.recorded_at is not None and obs.recorded_at > now + CLOCK_SKEW:
        return FieldError("recorded_at", "in_future", N_("Lies in the future."))
    return None


def _catalogue_out_of_date(catalogue: Catalogue, ctx: IngestContext,
                           now: datetime) -> FieldError | None:
    """A version no tablet can have yet, or one replaced longer ago than the grace period."""
    today = now.astimezone(ctx.zone).date()
    state, day = standing(catalogue.version, ctx.catalogue_effective, today, ctx.catalogue_grace)
    if state == "not_yet" and day is not None:
        return FieldError("catalogue_version", "catalogue_not_in_effect",
                          N_("Catalogue version {version} takes effect on {day}."),
                          {"version": catalogue.version, "day": day.isoformat()})
    if state == "superseded" and day is not None:
        return FieldError("catalogue_version", "catalogue_superseded",
                          N_("Catalogue version {version} was replaced on {day}; entries on it "
                             "were taken in until {until}. Record it again on the new version."),
                          {"version": catalogue.version, "day": day.isoformat(),
                           "until": (day + ctx.catalogue_grace).isoformat()})
    return None


def _row(item: Item, author: Identity, device_id: str, prisoners: dict[str, Prisoner],
         ctx: IngestContext, now: datetime) -> dict:
    obs = item.observation
    assert obs is not None
    catalogue = ctx.catalogues[obs.catalogue_version]
    prisoner = prisoners[obs.prisoner_id]
    indicators = [catalogue.indicators[code] for code in dict.fromkeys(obs.indicators)]

    def seal(column: str, value: str | None) -> str | None:
        return None if value is None else ctx.cipher.encrypt(
            value, table=Observation.__tablename__, column=column, row_id=item.id)

    return {
        "id": item.id, "prisoner_id": prisoner.id, "wing_id": prisoner.wing_id,
        "prison_id": prisoner.prison_id, "author_id": author.user_id, "device_id": device_id,
        "occurred_at": obs.occurred_at, "recorded_at": obs.recorded_at, "received_at": now,
        "location": obs.location, "catalogue_version": catalogue.version,
        "indicators": [i.code for i in indicators],
        "categories": sorted({i.category for i in indicators}),
        "concern_observation": any(i.kind == IndicatorKind.CONCERN for i in indicators),
        "source": obs.source, "concern": obs.concern, "flag": obs.flag,
        "flag_reason_enc": seal("flag_reason", obs.flag_reason if obs.flag else None),
        "facts_enc": seal("facts", obs.facts), "assessment_enc": seal("assessment", obs.assessment),
        "payload_hash": item.payload_hash, "review_at": obs.occurred_at + ctx.review_after,
        "locale": obs.locale.value if obs.locale else None,
    }


def _audit_created(db: Session, rows: list[dict], author: Identity, now: datetime) -> None:
    audit.append_many(db, [
        {"at": now, "action": audit.Action.CREATE, "actor_id": author.user_id,
         "prisoner_id": row["prisoner_id"], "record_id": row["id"],
         "purpose": "observation recorded", "detail": f"device {row['device_id']}"}
        for row in rows
    ])


def _apply_flag_rules(db: Session, rows: list[dict], ctx: IngestContext,
                      now: datetime) -> set[str]:
    """Queue what the rules say a screener must see; returns the ids of the observations
    that raised a flag (the trend counts' "flagged")."""
    firings: dict[str, list[flag_rules.Firing]] = defaultdict(list)
    raised: set[str] = set()
    for row in rows:
        catalogue = ctx.catalogues[row["catalogue_version"]]
        if row["flag"]:
            firings[row["prisoner_id"]].append(flag_rules.manual(row["id"]))
            raised.add(row["id"])
        urgent = [c for c in row["indicators"] if catalogue.indicators[c].immediate]
        if urgent:
            firings[row["prisoner_id"]].append(
                flag_rules.immediate(row["id"], catalogue.version, urgent))
            raised.add(row["id"])
    watched = _open_pattern_items(db, {r["prisoner_id"] for r in rows})
    candidates = [r for r in rows if r["concern_observation"] and r["prisoner_id"] not in watched]
    for prisoner_id, row_id, firing in _pattern_firings(db, candidates):
        if prisoner_id not in watched:  # one R3 trigger per open item: it is queued already
            firings[prisoner_id].append(firing)
            watched.add(prisoner_id)
            raised.add(row_id)
    if firings:
        _queue(db, firings, {r["prisoner_id"]: r["prison_id"] for r in rows}, now)
    return raised


def _open_pattern_items(db: Session, prisoner_ids: set[str]) -> set[str]:
    """Prisoners whose open screening item already says R3 fired: their timeline will show a
    screener every new observation, so the rule need not look again until the item is closed."""
    return set(db.scalars(
        select(ScreeningItem.prisoner_id)
        .join(ScreeningTrigger, ScreeningTrigger.item_id == ScreeningItem.id)
        .where(ScreeningItem.prisoner_id.in_(prisoner_ids), ScreeningItem.closed_at.is_(None),
               ScreeningTrigger.rule_id == flag_rules.PATTERN.id)))


def _pattern_firings(db: Session, rows: list[dict]):
    """Rule R3 for each new concern observation, with one query for the whole batch.

    Observations a screener already saw and decided on (received before the prisoner's last
    closed item) do not count again: a decision starts the count afresh."""
    if not rows:
        return
    window = flag_rules.PATTERN_WINDOW
    prisoner_ids = {r["prisoner_id"] for r in rows}
    decided = dict(db.execute(select(ScreeningItem.prisoner_id, func.max(ScreeningItem.closed_at))
                              .where(ScreeningItem.prisoner_id.in_(prisoner_ids),
                                     ScreeningItem.closed_at.is_not(None))
                              .group_by(ScreeningItem.prisoner_id)).all())
    history: dict[str, list[flag_rules.ConcernRecord]] = defaultdict(list)
    query = (select(Observation.id, Observation.prisoner_id, Observation.occurred_at,
                    Observation.author_id, Observation.categories, Observation.received_at)
             .where(Observation.prisoner_id.in_(prisoner_ids),
                    Observation.concern_observation.is_(True),
                    Observation.occurred_at >= min(r["occurred_at"] for r in rows) - window,
                    Observation.occurred_at <= max(r["occurred_at"] for r in rows) + window))
    for obs_id, prisoner_id, occurred_at, author_id, categories, received_at in db.execute(query):
        if prisoner_id in decided and received_at <= decided[prisoner_id]:
            continue
        history[prisoner_id].append(
            flag_rules.ConcernRecord(obs_id, occurred_at, author_id, frozenset(categories)))
    for row in rows:
        new = flag_rules.ConcernRecord(row["id"], row["occurred_at"], row["author_id"],
                                       frozenset(row["categories"]))
        if firing := flag_rules.pattern(new, history[row["prisoner_id"]]):
            yield row["prisoner_id"], row["id"], firing


def _queue(db: Session, firings: dict[str, list[flag_rules.Firing]], prisons: dict[str, str],
           now: datetime) -> None:
    """Attach firings to each prisoner's open screening item, opening one where there is none."""
    open_items = dict(db.execute(select(ScreeningItem.prisoner_id, ScreeningItem.id).where(
        ScreeningItem.prisoner_id.in_(firings), ScreeningItem.closed_at.is_(None))).all())
    for prisoner_id in firings.keys() - open_items.keys():
        item = ScreeningItem(prisoner_id=prisoner_id, prison_id=prisons[prisoner_id], opened_at=now)
        db.add(item)
        db.flush()
        open_items[prisoner_id] = item.id
    db.execute(insert(ScreeningTrigger), [
        {"item_id": open_items[prisoner_id], "rule_id": f.rule_id, "params": dict(f.params),
         "observation_ids": list(f.observation_ids), "created_at": now}
        for prisoner_id, fs in firings.items() for f in fs
    ])


# The audit purpose of an addendum that corrects a named fact (rectification, issue 12).
FACT_CORRECTED = "fact corrected"


def add_addendum(db: Session, author: Identity, observation_id: str, text: str, now: datetime,
                 cipher: FieldCipher, locale: Locale | None = None,
                 corrects: CorrectedFact | None = None) -> int | None:
    """A correction to one's own observation: a new row with author and time, never an edit;
    with `corrects`, the text is the corrected reading of that fact (app/services/
    corrections.py reads them). None when there is no such observation of this author (which
    also hides whose it is)."""
    owner = db.scalar(select(Observation.author_id).where(Observation.id == observation_id))
    if owner != author.user_id:
        return None
    addendum = Addendum(observation_id=observation_id, author_id=author.user_id,
                        created_at=now, text_enc="", locale=locale.value if locale else None,
                        corrects=CorrectedFact(corrects).value if corrects else None)
    db.add(addendum)
    db.flush()  # the row id is part of the encryption's associated data
    addendum.text_enc = cipher.encrypt(text, table=Addendum.__tablename__, column="text",
                                       row_id=str(addendum.id))
    prisoner = db.scalar(select(Observation.prisoner_id).where(Observation.id == observation_id))
    audit.append(db, at=now, action=audit.Action.CREATE, actor_id=author.user_id,
                 prisoner_id=prisoner, record_id=f"addendum:{addendum.id}",
                 purpose=FACT_CORRECTED if corrects else "correction to an observation",
                 detail=f"observation {observation_id}")
    return addendum.id
