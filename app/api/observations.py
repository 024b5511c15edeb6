"""Sync API v1 for the capture island: bootstrap, sync, and the officer's own receipts."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.api import errors
from app.api.deps import CurrentUser, Officer
from app.runtime import ingest_context, sealing_ring, transaction
from app.api.schemas import (
    AddendumCreated,
    AddendumRequest,
    Bootstrap,
    BootstrapUser,
    ErrorBody,
    ItemError,
    ItemResult,
    Moment,
    MyObservation,
    MyObservations,
    RosterEntry,
    SyncRequest,
    TabletRetention,
    SyncResponse,
    error_responses,
    has_words,
)
from app.api.sync_items import parse_item
from app.clock import prisons_today, utc_now
from app.i18n.messages import N_, speaking
from app.models import (
    Observation,
    Prisoner,
    ScreeningEvent,
    ScreeningItem,
    ScreeningTrigger,
    Wing,
)
from app.services import (
    audit,
    catalogue,
    observations,
    organisation_reads,
    restrictions,
    retention_schedule,
    tablets,
)
from app.services.roster import still_held
from app.vocabulary import EventKind, ObservationStatus

PREFIX = "/api/v1"
ATTEMPTS = 3  # a concurrent batch about the same prisoner can win a race on PostgreSQL: retry

# 400: a body FastAPI cannot parse at all (e.g. JSON nested deeper than the parser goes).
router = APIRouter(prefix=PREFIX, tags=["observations"],
                   responses=error_responses())
ObservationId = Annotated[str, Path(pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-"
                                            r"[0-9a-f]{12}$", description="the item's UUID")]


@router.get("/bootstrap", response_model=Bootstrap)
def bootstrap(caller: CurrentUser) -> Bootstrap:
    """What the capture page caches: roster of the caller's wings, catalogue, locations, key."""
    # The transaction opens and closes within this thread, never across the event loop (a
    # dependency's would, and on SQLite that stalled the next sign-out: tests/e2e/test_languages).
    with transaction() as db:
        roster = db.execute(
            select(Prisoner.id, Prisoner.given_name, Prisoner.family_name, Prisoner.number,
                   Wing.code)
            .join(Wing, Wing.id == Prisoner.wing_id)
            .where(Prisoner.wing_id.in_(caller.wing_ids), still_held(prisons_today()))
            .order_by(Prisoner.family_name, Prisoner.given_name)).all()
        wings = db.scalars(select(Wing.code).where(Wing.id.in_(caller.wing_ids))).all()
        restricted = restrictions.restrictions_of(db, (row[0] for row in roster)).keys()
        words = speaking(caller.locale)
        # The officer's prison's list, in its order and in the officer's words.
        locations = [{"code": place.code, "label": place.label}
                     for place in organisation_reads.places(db, caller.prison_id, words)]
    return Bootstrap(
        user=BootstrapUser(id=caller.user_id, username=caller.username,
                           display_name=caller.display_name, role=caller.role,
                           locale=caller.locale, wings=sorted(wings)),
        roster=[RosterEntry(id=pid, name=f"{given} {family}", number=number, wing=wing,
                            restricted=pid in restricted)
                for pid, given, family, number, wing in roster],
        # In the officer's language: the tablet shows them offline as it got them.
        catalogue=catalogue.current().to_public_dict(caller.locale.value),
        locations=locations,
        sealing_key=sealing_ring().public_jwk(),
        retention=TabletRetention(
            receipt_days=retention_schedule.tablet_receipt_days(retention_schedule.load())),
    )


@router.post("/observations/sync", response_model=SyncResponse)
def sync(body: SyncRequest, caller: Officer) -> SyncResponse:
    """Store a batch exactly once: one result per item, in order; one bad item blocks nothing."""
    ring, context = sealing_ring(), ingest_context()
    words = speaking(caller.locale)
    items = [parse_item(raw, ring, words) for raw in body.items]
    for attempt in range(ATTEMPTS):
        try:
            with transaction() as db:  # signs the audit head once the batch is committed
                now = utc_now()
                results = observations.ingest(db, caller, body.device_id, items, now, context)
                # Even a lost tablet's: sealed entries carry their own proof.
                tablets.record_contact(db, caller, body.device_id, now)
            break
        except IntegrityError:
            if attempt == ATTEMPTS - 1:
                raise errors.ApiError(409, "busy", N_("Please send again.")) from None
    return SyncResponse(results=[
        ItemResult(id=r.id or None, status=r.status,
                   error=ItemError(field=r.error.field, code=r.error.code,
                                   message=words.t(r.error.message, **r.error.params))
                   if r.error else None)
        for r in results
    ])


@router.post("/observations/{observation_id}/addenda", response_model=AddendumCreated,
             status_code=201, responses={404: {"model": ErrorBody}})
def add_addendum(observation_id: ObservationId, body: AddendumRequest, caller: Officer
                 ) -> AddendumCreated:
    """Correct or add to one's own observation; `corrects` names the fact the text corrects.
    The observation itself never changes."""
    if not has_words(body.text):
        raise errors.ApiError(422, "invalid_request", N_("text: write the correction."))
    with transaction() as db:
        addendum_id = observations.add_addendum(db, caller, observation_id, body.text,
                                                utc_now(), ingest_context().cipher, body.locale,
                                                body.corrects)
    if addendum_id is None:
        raise errors.ApiError(404, "not_found", N_("No observation of yours has this id."))
    return AddendumCreated(id=addendum_id, observation_id=observation_id)


@router.get("/observations/mine", response_model=MyObservations)
def mine(caller: Officer,
         since: Annotated[Moment | None, Query(description="received after, ISO 8601")] = None,
         ) -> MyObservations:
    """The officer's own entries and what became of them — no content, no screening notes."""
    query = (select(Observation.id, Observation.prisoner_id, Wing.code, Observation.occurred_at,
                    Observation.received_at, Observation.categories, Observation.flag)
             .join(Wing, Wing.id == Observation.wing_id)
             .where(Observation.author_id == caller.user_id)
             .order_by(Observation.received_at.desc()).limit(500))
    if since is not None:
        query = query.where(Observation.received_at > _in_utc(since))
    with transaction() as db:
        rows = db.execute(query).all()
        status = _screening_status(db, {row.prisoner_id for row in rows})
        audit.append(db, at=utc_now(), action=audit.Action.READ, actor_id=caller.user_id,
                     purpose="own receipts", detail=f"{len(rows)} own entries, no content")
    return MyObservations(observations=[
        MyObservation(id=r.id, prisoner_id=r.prisoner_id, wing=r.code, occurred_at=r.occurred_at,
                      received_at=r.received_at, categories=r.categories, flag=r.flag,
                      status=status.get(r.id, (ObservationStatus.RECEIVED, None))[0],
                      reviewed_at=status.get(r.id, (ObservationStatus.RECEIVED, None))[1])
        for r in rows
    ])


def _in_utc(moment: datetime) -> datetime:
    """A `since` at the calendar's ends (year 1 at +01:00 is year 0 in UTC) means 'from the
    start' or 'nothing yet': a valid date-time is never refused for where it lies."""
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        return datetime.min.replace(tzinfo=UTC) if moment.year == 1 else datetime.max.replace(
            tzinfo=UTC)


def _screening_status(db, prisoner_ids: set[str]
                      ) -> dict[str, tuple[ObservationStatus, datetime | None]]:
    """observation id -> ("flagged", None) while its item waits for a screener, or
    ("screened", when the first decision was recorded). Never what was decided or why."""
    decided = (select(ScreeningEvent.item_id, func.min(ScreeningEvent.at).label("at"))
               .where(ScreeningEvent.kind == EventKind.DECISION).group_by(ScreeningEvent.item_id)
               .subquery())
    rows = db.execute(select(ScreeningTrigger.observation_ids, decided.c.at)
                      .join(ScreeningItem, ScreeningItem.id == ScreeningTrigger.item_id)
                      .outerjoin(decided, decided.c.item_id == ScreeningItem.id)
                      .where(ScreeningItem.prisoner_id.in_(prisoner_ids)))
    found: dict[str, tuple[ObservationStatus, datetime | None]] = {}
    for observation_ids, decided_at in rows:
        for obs_id in observation_ids:
            if found.get(obs_id, (None,))[0] != ObservationStatus.FLAGGED:
                found[obs_id] = ((ObservationStatus.FLAGGED, None) if decided_at is None
                                 else (ObservationStatus.SCREENED, decided_at))
    return found
