"""Rectification stays append-only (LED Art. 16(1), issue 12 item 7): an addendum to an
observation may name the fact it corrects (vocabulary.CorrectedFact, Addendum.corrects), its text
then being the corrected reading. The observation itself never changes; the case view and the
access report show the corrected reading beside the original.

Officers correct their own observations through the API (observations.add_addendum with
`corrects`); treatment staff of the prisoner's prison from the case page (`correct`). Plain
Python, inside the caller's transaction; every correction is an audit row (Action.CREATE,
observations.FACT_CORRECTED), never with its text.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.i18n.locales import Locale
from app.i18n.messages import N_
from app.models import Addendum, Observation, ScreeningItem, User
from app.services import audit, screening
from app.services.accounts import Identity
from app.services.fieldcrypt import FieldCipher
from app.services.observations import FACT_CORRECTED
from app.services.screening import ScreeningError
from app.vocabulary import CorrectedFact, Role, parse

IN_CHUNK = 900


@dataclass(frozen=True)
class CorrectionView:
    """One corrected reading: of which fact of which observation, by whom, when."""

    addendum_id: int
    observation_id: str
    fact: str  # a CorrectedFact code
    text: str
    locale: str | None  # the language the corrected reading is written in
    author: str  # display name
    author_id: str
    at: datetime


def corrections_of(db: Session, cipher: FieldCipher,
                   observation_ids: Iterable[str]) -> dict[str, list[CorrectionView]]:
    """observation id -> its corrections, oldest first (the latest reading is the last). The
    caller has checked that the reader may see these observations."""
    ids = sorted(set(observation_ids))
    out: dict[str, list[CorrectionView]] = defaultdict(list)
    for start in range(0, len(ids), IN_CHUNK):
        for row, name in db.execute(
                select(Addendum, User.display_name)
                .join(User, User.id == Addendum.author_id)
                .where(Addendum.observation_id.in_(ids[start:start + IN_CHUNK]),
                       Addendum.corrects.is_not(None))
                .order_by(Addendum.created_at, Addendum.id)):
            out[row.observation_id].append(CorrectionView(
                addendum_id=row.id, observation_id=row.observation_id, fact=row.corrects,
                text=cipher.decrypt(row.text_enc, table=Addendum.__tablename__, column="text",
                                    row_id=str(row.id)),
                locale=row.locale, author=name, author_id=row.author_id, at=row.created_at))
    return dict(out)


def correct(db: Session, who: Identity, item_id: int, observation_id: str, fact: str,
            text: str, now: datetime, cipher: FieldCipher, locale: Locale | None = None) -> int:
    """Treatment staff of the item's prison record the corrected reading of one fact of an
    observation about the item's prisoner (written in `locale`); returns the addendum's id."""
    text = (text or "").strip() if isinstance(text, str) else ""
    if who.role != Role.TREATMENT or who.prison_id is None:
        raise screening.NotAllowed(reason="refused: role")
    item = db.get(ScreeningItem, item_id) if isinstance(item_id, int) else None
    if item is None:
        raise ScreeningError(N_("There is no such screening item."))
    screening.check_access(who, item)
    observation = db.scalar(select(Observation).where(Observation.id == str(observation_id),
                                                      Observation.prisoner_id ==
                                                      item.prisoner_id))
    if observation is None:
        raise ScreeningError(N_("Choose the observation this corrects."))
    chosen = parse(CorrectedFact, fact)
    if chosen is None:
        raise ScreeningError(N_("Choose the fact this corrects."))
    if not text:
        raise ScreeningError(N_("Write the corrected reading first."))
    if len(text) > screening.MAX_TEXT:
        raise ScreeningError(N_("This text can be at most {count} character."),
                             N_("This text can be at most {count} characters."),
                             count=screening.MAX_TEXT)
    try:  # a browser event can carry a lone surrogate, which no UTF-8 (nor its cipher) holds
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ScreeningError(N_("This text holds a character that cannot be stored; type it "
                                "again.")) from None
    addendum = Addendum(observation_id=observation.id, author_id=who.user_id, created_at=now,
                        text_enc="", locale=locale.value if locale else None,
                        corrects=chosen.value)
    db.add(addendum)
    db.flush()  # the row id is part of the encryption's associated data
    addendum.text_enc = cipher.encrypt(text, table=Addendum.__tablename__, column="text",
                                       row_id=str(addendum.id))
    audit.append(db, at=now, action=audit.Action.CREATE, actor_id=who.user_id,
                 prisoner_id=item.prisoner_id, record_id=f"addendum:{addendum.id}",
                 purpose=FACT_CORRECTED, detail=f"observation {observation.id}")
    return addendum.id
