"""What both screening pages' states share: the time zone and running one screening command."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from app.clock import utc_now
from app.i18n.messages import Messages
from app.runtime import ingest_context, transaction
from app.services import organisation_reads, screening
from app.services.accounts import Identity
from app.services.fieldcrypt import FieldCipher
from app.settings import get_settings
from app.views.screening import refusal


@lru_cache(maxsize=1)
def local_zone() -> ZoneInfo:
    return ZoneInfo(get_settings().timezone)


def location_labels(prison_id: str | None, words: Messages) -> dict[str, str]:
    """The screener's prison's locations, retired ones too (old entries name them), already in
    the screener's words (a text that is no message id stays as it is when said again)."""
    with transaction() as db:
        return {place.code: place.label
                for place in organisation_reads.places(db, prison_id, words, retired=True)}


def cipher() -> FieldCipher:
    return ingest_context().cipher


def item_number(value: object) -> int | None:
    """An item id from the browser or the URL, or None if it is not one."""
    text = str(value).strip()
    # isascii: isdigit() also takes '²', which int() refuses. Ids are 32-bit on PostgreSQL,
    # where a larger number fails the query rather than finding nothing.
    if not (text.isascii() and text.isdigit() and len(text) < 12):
        return None
    number = int(text)
    return number if number < 2**31 else None


def run_command(command: Callable[[Session], object], words: Messages) -> str:
    """Run one screening command in its own transaction; '' or the refusal, in `words`.

    A refusal is raised before anything is written and the transaction rolls back, so a
    refused command records nothing."""
    try:
        with transaction() as db:
            command(db)
    except screening.ScreeningError as error:
        return refusal(words, error)
    return ""


def log_refusal(who: Identity, item_id: int, error: screening.NotAllowed) -> None:
    """Refusals are audited in a transaction of their own: the refused one rolled back."""
    with transaction() as db:
        screening.log_refusal(db, who, item_id, error, utc_now())
