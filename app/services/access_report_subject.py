"""The data-protection officer's reach and the prisoner they work on (issue 12 item 6): which
prisons they may see, finding a prisoner there, the card the /dpo page shows (roster data and
the restrictions in force), and the staff names both the card and the report mark.

A data-protection officer is posted like a security head: to one prison, or to the central
service (every prison). Anyone else, and a prisoner of a prison outside the postings, is refused
with NotAllowed before anything is read; because raising rolls the caller's transaction back,
the caller logs the refusal in a transaction of its own (`log_refusal`), as screening does.

Plain Python: no web framework. Every read of a prisoner's card is audited.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Prison, Prisoner, Restriction, User, Wing
from app.services import audit
from app.services.accounts import Identity
from app.services.fieldcrypt import FieldCipher
from app.vocabulary import Role

MAX_NUMBER = 32  # Prisoner.number's length

# The audit log's purposes for this part (their meanings: app/services/audit_log.PURPOSES).
CARD_READ = "access_report.card"  # READ: the /dpo page showed a prisoner's card
REPORT_MADE = "access_report.produce"  # DISCLOSE: a subject-access report (page, print, PDF)
REFUSED = "access_report.refused"  # READ: a prisoner outside the officer's reach was refused


class NotAllowed(Exception):
    """Not a data-protection officer, or a prisoner of a prison outside their postings."""

    def __init__(self, reason: str, prisoner_id: str | None = None) -> None:
        super().__init__(reason)
        self.reason, self.prisoner_id = reason, prisoner_id


@dataclass(frozen=True)
class PrisonChoice:
    id: str
    code: str
    name: str


@dataclass(frozen=True)
class Staff:
    """A member of staff as a report names them: their name is marked for redaction before
    release (the law lets a service withhold it), their role is not."""

    user_id: str
    name: str
    role: str  # a Role code


@dataclass(frozen=True)
class RestrictionRecord:
    id: int
    ground: str  # a RestrictionGround code
    reason: str
    locale: str | None  # of the reason
    placed_at: datetime
    placed_by: Staff
    lifted_at: datetime | None
    lifted_by: Staff | None
    lift_reason: str | None = None
    lift_locale: str | None = None

    @property
    def in_force(self) -> bool:
        return self.lifted_at is None


@dataclass(frozen=True)
class PrisonerCard:
    prisoner_id: str
    prison_id: str
    number: str
    given_name: str
    family_name: str
    prison_code: str
    prison_name: str
    wing_code: str
    admitted_on: date | None
    released_on: date | None
    restrictions: tuple[RestrictionRecord, ...]  # newest first, lifted ones too

    @property
    def in_force(self) -> tuple[RestrictionRecord, ...]:
        return tuple(r for r in self.restrictions if r.in_force)


# --- reach -----------------------------------------------------------------------------------


def require_officer(who: Identity) -> None:
    if who.role != Role.DATA_PROTECTION:
        raise NotAllowed("role")


def prisons_in_reach(db: Session, who: Identity) -> list[PrisonChoice]:
    """Every prison for one of the central service, else the prison of today's posting, else
    none (a data-protection officer with no posting today sees nothing)."""
    require_officer(who)
    query = select(Prison.id, Prison.code, Prison.name).order_by(Prison.code)
    if not who.central:
        if who.prison_id is None:
            return []
        query = query.where(Prison.id == who.prison_id)
    return [PrisonChoice(*row) for row in db.execute(query)]


def _in_reach(who: Identity, prison_id: str) -> bool:
    return who.central or (who.prison_id is not None and who.prison_id == prison_id)


def prisoner_in_reach(db: Session, who: Identity, prisoner_id: str) -> Prisoner:
    """The prisoner, if the officer may see them; NotAllowed (with the prisoner, so the refusal
    names them in the log) for one of a prison outside their postings, or one who is not there."""
    require_officer(who)
    prisoner = db.get(Prisoner, prisoner_id) if isinstance(prisoner_id, str) else None
    if prisoner is None:
        raise NotAllowed("unknown prisoner")
    if not _in_reach(who, prisoner.prison_id):
        raise NotAllowed("other prison", prisoner.id)
    return prisoner


def find(db: Session, who: Identity, prison_code: str, number: str) -> str | None:
    """The id of the prisoner with this number in this prison, or None when there is none.
    A prison outside the officer's postings is refused whether or not the prisoner exists."""
    require_officer(who)
    code, number = prison_code.strip()[:16], number.strip()[:MAX_NUMBER]
    prison_id = db.scalar(select(Prison.id).where(Prison.code == code))
    if prison_id is None:
        return None
    found = db.scalar(select(Prisoner.id).where(Prisoner.prison_id == prison_id,
                                                Prisoner.number == number)) if number else None
    if not _in_reach(who, prison_id):
        raise NotAllowed("other prison", found)
    return found


def log_refusal(db: Session, who: Identity, error: NotAllowed, now: datetime) -> None:
    """Audit a refused attempt; call in a fresh transaction after catching NotAllowed."""
    audit.append(db, at=now, action=audit.Action.READ, actor_id=who.user_id,
                 prisoner_id=error.prisoner_id,
                 record_id=f"prisoner:{error.prisoner_id}" if error.prisoner_id else None,
                 purpose=REFUSED, detail=json.dumps({"reason": error.reason}))


# --- what is read about the prisoner ---------------------------------------------------------


def staff_of(db: Session, user_ids: Iterable[str | None]) -> dict[str, Staff]:
    wanted = {user_id for user_id in user_ids if user_id}
    if not wanted:
        return {}
    return {user_id: Staff(user_id, name, role) for user_id, name, role in db.execute(
        select(User.id, User.display_name, User.role).where(User.id.in_(wanted)))}


def nobody(user_id: str | None) -> Staff:
    """An author whose account is gone (never, as accounts are not deleted, but a report must
    not fail on it)."""
    return Staff(user_id or "", "", "")


def open_text(cipher: FieldCipher, stored: str | None, table: str, column: str,
              row_id: object) -> str | None:
    """A stored free text, decrypted as its writer encrypted it (fieldcrypt's convention: the
    table, the column without `_enc`, the row's id)."""
    if stored is None:
        return None
    return cipher.decrypt(stored, table=table, column=column, row_id=str(row_id))


def restrictions(db: Session, cipher: FieldCipher, prisoner_id: str
                 ) -> tuple[RestrictionRecord, ...]:
    rows = list(db.scalars(select(Restriction).where(Restriction.prisoner_id == prisoner_id)
                           .order_by(Restriction.placed_at.desc(), Restriction.id.desc())))
    staff = staff_of(db, [r.placed_by for r in rows] + [r.lifted_by for r in rows])
    return tuple(RestrictionRecord(
        id=r.id, ground=r.ground,
        reason=open_text(cipher, r.reason_enc, Restriction.__tablename__, "reason", r.id) or "",
        locale=r.locale, placed_at=r.placed_at,
        placed_by=staff.get(r.placed_by) or nobody(r.placed_by), lifted_at=r.lifted_at,
        lifted_by=(staff.get(r.lifted_by) or nobody(r.lifted_by)) if r.lifted_by else None,
        lift_reason=open_text(cipher, r.lift_reason_enc, Restriction.__tablename__,
                              "lift_reason", r.id),
        lift_locale=r.lift_locale)
        for r in rows)


def roster_card(db: Session, cipher: FieldCipher, prisoner: Prisoner) -> PrisonerCard:
    prison_code, prison_name = db.execute(select(Prison.code, Prison.name)
                                          .where(Prison.id == prisoner.prison_id)).one()
    wing_code = db.scalar(select(Wing.code).where(Wing.id == prisoner.wing_id)) or ""
    return PrisonerCard(
        prisoner_id=prisoner.id, prison_id=prisoner.prison_id, number=prisoner.number,
        given_name=prisoner.given_name, family_name=prisoner.family_name,
        prison_code=prison_code, prison_name=prison_name, wing_code=wing_code,
        admitted_on=prisoner.admitted_on, released_on=prisoner.released_on,
        restrictions=restrictions(db, cipher, prisoner.id))


def card(db: Session, who: Identity, prisoner_id: str, cipher: FieldCipher,
         now: datetime) -> PrisonerCard:
    """What the /dpo page shows of a prisoner it found: roster data and restrictions. An
    audited read of the person's record."""
    prisoner = prisoner_in_reach(db, who, prisoner_id)
    audit.append(db, at=now, action=audit.Action.READ, actor_id=who.user_id,
                 prisoner_id=prisoner.id, record_id=f"prisoner:{prisoner.id}",
                 purpose=CARD_READ)
    return roster_card(db, cipher, prisoner)


def card_again(db: Session, who: Identity, prisoner_id: str, cipher: FieldCipher
               ) -> PrisonerCard:
    """The card once more after the officer's own command on it (a restriction placed or
    lifted, itself audited): the reach is checked again, the read is not logged twice."""
    return roster_card(db, cipher, prisoner_in_reach(db, who, prisoner_id))
