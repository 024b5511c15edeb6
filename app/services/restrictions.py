"""Restriction of processing (LED Art. 16(3)): a prisoner's records out of the queue, the
ordinary case view and the trends, readable only when opened with a reason (issue 12 item 5).

Plain Python, inside the caller's transaction, with the acting Identity and `now`. The
data-protection officer places and lifts a restriction for a prisoner of a prison in their reach
(a prison posting, or the central service for every prison); the reason is stored encrypted,
with its language. Placing one takes the prisoner's observations and decisions out of the trend
counts (trends.withdraw), lifting it puts them back (trends.restore). Treatment staff of the
prisoner's prison open a restricted record with a reason of their own (a RestrictionOpening
row); the case page shows the content while that opening is fresh (OPEN_FOR). Every step is an
audit row (Action.RESTRICT), never with the reason in it.

Refusals are RestrictionError: a message id and its placeholders, said in the reader's
language by app/views/restrictions.py; raised before anything is written.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.i18n.locales import Locale
from app.i18n.messages import N_
from app.models import Prison, Prisoner, Restriction, RestrictionOpening, ScreeningItem, User
from app.services import audit, trends
from app.services.accounts import Identity
from app.services.fieldcrypt import FieldCipher
from app.services.observations import IngestContext
from app.vocabulary import RestrictionGround, Role, parse

MIN_REASON = 10
MAX_TEXT = 2000
OPEN_FOR = timedelta(hours=1)  # how long an opening shows a restricted case on its page
PLACED, LIFTED, OPENED = "restriction placed", "restriction lifted", "restricted record opened"
WITHHELD_VIEW = "restricted case view"  # a READ: the case page showed only the restriction
LISTED = "restrictions listed"  # a READ: the data-protection officer's list


class RestrictionError(Exception):
    """A refusal the user can act on: a message id, its placeholders' values and, for a text
    with a number, its plural and the count."""

    def __init__(self, message: str, plural: str | None = None, count: int | None = None,
                 **params: Any) -> None:
        super().__init__(message)
        self.message, self.plural, self.count = message, plural, count
        self.params: Mapping[str, Any] = params

    def __str__(self) -> str:
        text = self.plural if self.plural and self.count != 1 else self.message
        return text.format(count=self.count, **self.params)


class NotAllowed(RestrictionError):
    def __init__(self) -> None:
        super().__init__(N_("Not allowed"))


@dataclass(frozen=True)
class RestrictionInfo:
    """A restriction in force, as the pages that show the prisoner say it: no reason."""

    id: int
    prisoner_id: str
    prison_id: str
    ground: str  # a RestrictionGround code
    since: datetime
    by: str  # the display name of who placed it
    by_id: str


@dataclass(frozen=True)
class RestrictionRecord:
    """One restriction in full, for the data-protection officer: the reasons too."""

    id: int
    prisoner_id: str
    prisoner_name: str
    prisoner_number: str
    prison_name: str
    ground: str
    reason: str
    reason_locale: str | None
    placed_at: datetime
    placed_by: str
    lifted_at: datetime | None
    lifted_by: str | None
    lift_reason: str | None
    lift_locale: str | None
    openings: int


@dataclass(frozen=True)
class OpeningView:
    """Who opened a restricted record, when and why."""

    id: int
    restriction_id: int
    item_id: int
    by: str
    by_id: str
    at: datetime
    reason: str
    locale: str | None


# --- reads -----------------------------------------------------------------------------------


def restricted_prisoner_ids(db: Session, prison_id: str | None = None) -> set[str]:
    """Prisoners with a restriction in force (of one prison, if given)."""
    query = select(Restriction.prisoner_id).where(Restriction.lifted_at.is_(None))
    if prison_id is not None:
        query = query.where(Restriction.prison_id == prison_id)
    return set(db.scalars(query))


def restrictions_of(db: Session, prisoner_ids: Iterable[str]) -> dict[str, RestrictionInfo]:
    """prisoner id -> the restriction in force, for those of `prisoner_ids` that have one."""
    ids = list(set(prisoner_ids))
    if not ids:
        return {}
    rows = db.execute(select(Restriction, User.display_name)
                      .join(User, User.id == Restriction.placed_by)
                      .where(Restriction.prisoner_id.in_(ids), Restriction.lifted_at.is_(None))
                      .order_by(Restriction.placed_at, Restriction.id)).all()
    return {row.prisoner_id: RestrictionInfo(row.id, row.prisoner_id, row.prison_id, row.ground,
                                             row.placed_at, name, row.placed_by)
            for row, name in rows}


def in_force(db: Session, prisoner_id: str) -> RestrictionInfo | None:
    return restrictions_of(db, [prisoner_id]).get(prisoner_id)


def _in_reach(who: Identity, prison_id: str) -> bool:
    return who.role == Role.DATA_PROTECTION and (who.central or who.prison_id == prison_id)


def listing(db: Session, who: Identity, now: datetime, cipher: FieldCipher,
            lifted: bool = False) -> list[RestrictionRecord]:
    """The restrictions in the data-protection officer's reach, newest first: in force, or
    (`lifted`) all of them. An audited read."""
    if who.role != Role.DATA_PROTECTION:
        raise NotAllowed()
    placer, lifter = User.__table__.alias("placer"), User.__table__.alias("lifter")
    query = (select(Restriction, Prisoner.given_name, Prisoner.family_name, Prisoner.number,
                    Prison.name, placer.c.display_name, lifter.c.display_name)
             .join(Prisoner, Prisoner.id == Restriction.prisoner_id)
             .join(Prison, Prison.id == Restriction.prison_id)
             .join(placer, placer.c.id == Restriction.placed_by)
             .outerjoin(lifter, lifter.c.id == Restriction.lifted_by)
             .order_by(Restriction.placed_at.desc(), Restriction.id.desc()))
    if not who.central:
        query = query.where(Restriction.prison_id == who.prison_id)
    if not lifted:
        query = query.where(Restriction.lifted_at.is_(None))
    rows = db.execute(query).all()
    counts: dict[int, int] = defaultdict(int)
    if rows:
        for restriction_id in db.scalars(select(RestrictionOpening.restriction_id).where(
                RestrictionOpening.restriction_id.in_([r[0].id for r in rows]))):
            counts[restriction_id] += 1
    table = Restriction.__tablename__
    out = [RestrictionRecord(
        id=r.id, prisoner_id=r.prisoner_id, prisoner_name=f"{given} {family}",
        prisoner_number=number, prison_name=prison, ground=r.ground,
        reason=cipher.decrypt(r.reason_enc, table=table, column="reason", row_id=str(r.id)),
        reason_locale=r.locale, placed_at=r.placed_at, placed_by=placed_by,
        lifted_at=r.lifted_at, lifted_by=lifted_by,
        lift_reason=(cipher.decrypt(r.lift_reason_enc, table=table, column="lift_reason",
                                    row_id=str(r.id)) if r.lift_reason_enc else None),
        lift_locale=r.lift_locale, openings=counts[r.id])
        for r, given, family, number, prison, placed_by, lifted_by in rows]
    audit.append(db, at=now, action=audit.Action.READ, actor_id=who.user_id, purpose=LISTED,
                 detail=f"{len(out)} restrictions")
    return out


def openings_of(db: Session, cipher: FieldCipher,
                restriction_ids: Iterable[int]) -> dict[int, list[OpeningView]]:
    """restriction id -> its openings, oldest first (for the data-protection officer's pages
    and the access report; the caller checks who is asking)."""
    ids = list(set(restriction_ids))
    out: dict[int, list[OpeningView]] = defaultdict(list)
    if not ids:
        return out
    for row, name in db.execute(select(RestrictionOpening, User.display_name)
                                .join(User, User.id == RestrictionOpening.opened_by)
                                .where(RestrictionOpening.restriction_id.in_(ids))
                                .order_by(RestrictionOpening.opened_at, RestrictionOpening.id)):
        out[row.restriction_id].append(OpeningView(
            row.id, row.restriction_id, row.item_id, name, row.opened_by, row.opened_at,
            cipher.decrypt(row.reason_enc, table=RestrictionOpening.__tablename__,
                           column="reason", row_id=str(row.id)), row.locale))
    return out


# --- placing and lifting (the data-protection officer) ----------------------------------------


def _reason(text: str | None) -> str:
    reason = (text or "").strip() if isinstance(text, str) else ""
    if len(reason) < MIN_REASON:
        raise RestrictionError(N_("Give a reason of at least {count} character."),
                               N_("Give a reason of at least {count} characters."),
                               count=MIN_REASON)
    if len(reason) > MAX_TEXT:
        raise RestrictionError(N_("This text can be at most {count} character."),
                               N_("This text can be at most {count} characters."),
                               count=MAX_TEXT)
    try:  # a browser event can carry a lone surrogate, which no UTF-8 (nor its cipher) holds
        reason.encode("utf-8")
    except UnicodeEncodeError:
        raise RestrictionError(N_("This text holds a character that cannot be stored; type it "
                                  "again.")) from None
    return reason


def restrict(db: Session, who: Identity, prisoner_id: str, ground: str, reason: str,
             now: datetime, ctx: IngestContext, locale: Locale | None = None) -> int:
    """Restrict a prisoner's records on a ground, with a reason (written in `locale`); their
    counts leave the trends. Returns the restriction's id. `ctx` gives the cipher, the
    catalogues and the prisons' time zone (runtime.ingest_context())."""
    if who.role != Role.DATA_PROTECTION:
        raise NotAllowed()
    # Locked, so two officers placing at once cannot withdraw the counts twice.
    prisoner = db.scalar(select(Prisoner).where(Prisoner.id == str(prisoner_id))
                         .with_for_update())
    if prisoner is None:
        raise RestrictionError(N_("There is no such prisoner."))
    if not _in_reach(who, prisoner.prison_id):
        raise NotAllowed()
    chosen = parse(RestrictionGround, ground)
    if chosen is None:
        raise RestrictionError(N_("Choose one of the grounds offered."))
    text = _reason(reason)
    if in_force(db, prisoner.id) is not None:
        raise RestrictionError(N_("This prisoner's records are already restricted."))
    row = Restriction(prisoner_id=prisoner.id, prison_id=prisoner.prison_id, ground=chosen,
                      reason_enc="", locale=locale.value if locale else None,
                      placed_by=who.user_id, placed_at=now)
    db.add(row)
    db.flush()  # the row id is part of the encryption's associated data
    row.reason_enc = ctx.cipher.encrypt(text, table=Restriction.__tablename__, column="reason",
                                        row_id=str(row.id))
    withdrawn = trends.withdraw(db, prisoner.id, ctx.catalogues, ctx.zone)
    audit.append(db, at=now, action=audit.Action.RESTRICT, actor_id=who.user_id,
                 prisoner_id=prisoner.id, record_id=f"restriction:{row.id}", purpose=PLACED,
                 detail=f"{chosen.value}; {withdrawn} observations withdrawn from the trends")
    return row.id


def lift(db: Session, who: Identity, restriction_id: int, reason: str, now: datetime,
         ctx: IngestContext, locale: Locale | None = None) -> None:
    """Lift a restriction, with a reason; the prisoner's counts come back to the trends."""
    if who.role != Role.DATA_PROTECTION:
        raise NotAllowed()
    row = (db.scalar(select(Restriction).where(Restriction.id == restriction_id)
                     .with_for_update().execution_options(populate_existing=True))
           if isinstance(restriction_id, int) and not isinstance(restriction_id, bool) else None)
    if row is None:
        raise RestrictionError(N_("There is no such restriction."))
    if not _in_reach(who, row.prison_id):
        raise NotAllowed()
    text = _reason(reason)
    if row.lifted_at is not None:
        raise RestrictionError(N_("This restriction was lifted already."))
    row.lifted_by, row.lifted_at = who.user_id, now
    row.lift_reason_enc = ctx.cipher.encrypt(text, table=Restriction.__tablename__,
                                             column="lift_reason", row_id=str(row.id))
    row.lift_locale = locale.value if locale else None
    db.flush()  # lifted first: restore counts only what is no longer withheld
    restored = trends.restore(db, row.prisoner_id, ctx.catalogues, ctx.zone)
    audit.append(db, at=now, action=audit.Action.RESTRICT, actor_id=who.user_id,
                 prisoner_id=row.prisoner_id, record_id=f"restriction:{row.id}", purpose=LIFTED,
                 detail=f"{restored} observations counted in the trends again")


# --- opening a restricted record (treatment staff) ---------------------------------------------


def open_record(db: Session, who: Identity, item_id: int, reason: str, now: datetime,
                cipher: FieldCipher, locale: Locale | None = None) -> int:
    """Treatment staff of the item's prison open its restricted record with a reason; returns
    the opening's id, which the case read then takes (`opened`)."""
    if who.role != Role.TREATMENT or who.prison_id is None:
        raise NotAllowed()
    item = db.get(ScreeningItem, item_id) if isinstance(item_id, int) else None
    if item is None:
        raise RestrictionError(N_("There is no such screening item."))
    if item.prison_id != who.prison_id:
        raise NotAllowed()
    restriction = in_force(db, item.prisoner_id)
    if restriction is None:
        raise RestrictionError(N_("This prisoner's records are not restricted."))
    text = _reason(reason)
    row = RestrictionOpening(restriction_id=restriction.id, item_id=item.id,
                             opened_by=who.user_id, opened_at=now, reason_enc="",
                             locale=locale.value if locale else None)
    db.add(row)
    db.flush()
    row.reason_enc = cipher.encrypt(text, table=RestrictionOpening.__tablename__,
                                    column="reason", row_id=str(row.id))
    audit.append(db, at=now, action=audit.Action.RESTRICT, actor_id=who.user_id,
                 prisoner_id=item.prisoner_id, record_id=f"screening:{item.id}", purpose=OPENED,
                 detail=f"restriction {restriction.id}, opening {row.id}")
    return row.id


def withheld(db: Session, who: Identity, item: ScreeningItem, now: datetime) -> bool:
    """Whether the item's prisoner is restricted and this person has no fresh opening of it:
    then nothing of the case (its holds neither) reaches their page."""
    restriction = in_force(db, item.prisoner_id)
    if restriction is None:
        return False
    return db.scalar(select(RestrictionOpening.id).where(
        RestrictionOpening.restriction_id == restriction.id,
        RestrictionOpening.item_id == item.id, RestrictionOpening.opened_by == who.user_id,
        RestrictionOpening.opened_at > now - OPEN_FOR,
        RestrictionOpening.opened_at <= now).limit(1)) is None


def opened(db: Session, who: Identity, restriction_id: int, item_id: int,
           opening_id: int | None, now: datetime) -> bool:
    """Whether `opening_id` is this person's fresh opening of this item under this
    restriction."""
    if opening_id is None:
        return False
    row = db.get(RestrictionOpening, opening_id)
    return (row is not None and row.restriction_id == restriction_id and row.item_id == item_id
            and row.opened_by == who.user_id and row.opened_at <= now < row.opened_at + OPEN_FOR)
