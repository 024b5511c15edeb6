"""What both screening pages' states share: the time zone and running one screening command."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from app.clock import utc_now
from app.i18n.messages import Messages
from app.runtime import ingest_context, transaction
from app.services import catalogue, screening
from app.services.accounts import Identity
from app.services.fieldcrypt import FieldCipher
from app.settings import get_settings
from app.views.screening import refusal


@lru_cache(maxsize=1)
def local_zone() -> ZoneInfo:
    return ZoneInfo(get_settings().timezone)


@lru_cache(maxsize=1)
def location_labels() -> dict[str, str]:
    return {location.code: location.label for location in catalogue.locations()}


def cipher() -> FieldCipher:
    return ingest_context().cipher


def item_number(value: object) -> int | None:
    """An item id from the browser or the URL, or None if it is not one."""
    text = str(value).strip()
    # isascii: isdigit() also takes '²', which int() refuses.
    return int(text) if text.isascii() and text.isdigit() and len(text) < 12 else None


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
