"""Postings: who may see what, and from when to when (models.Posting).

An officer is posted to wings, treatment staff to a prison, a security head to a prison or to
the central service. What a user may see is read from the postings valid on the prisons' day
at every request, so a change takes effect at the next one. This module is the read side; the
administrators' changes are in app/services/posting_changes.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.models import Posting, Wing
from app.vocabulary import PostingScope


@dataclass(frozen=True)
class Reach:
    """What today's postings let a user see."""

    prison_id: str | None = None  # a prison posting, or the prison of an officer's wings
    central: bool = False  # a security head of the central service: every prison
    wing_ids: tuple[str, ...] = ()


def valid_on(day: date):
    """The SQL condition of a posting that holds on `day` (both ends included)."""
    return (Posting.valid_from <= day) & or_(Posting.valid_to.is_(None), Posting.valid_to >= day)


def reach(db: Session, user_id: str, day: date) -> Reach:
    rows = db.execute(
        select(Posting.scope, Posting.prison_id, Posting.wing_id)
        .outerjoin(Wing, Wing.id == Posting.wing_id)
        .where(Posting.user_id == user_id, valid_on(day),
               or_(Posting.wing_id.is_(None), Wing.closed_on.is_(None), Wing.closed_on > day))
        .order_by(Posting.valid_from, Posting.id)).all()
    wings = tuple(dict.fromkeys(wing for scope, _, wing in rows if scope == PostingScope.WING))
    prisons = [prison for scope, prison, _ in rows if scope != PostingScope.CENTRAL and prison]
    return Reach(prison_id=prisons[-1] if prisons else None,
                 central=any(scope == PostingScope.CENTRAL for scope, _, _ in rows),
                 wing_ids=wings)
