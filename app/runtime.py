"""Process-wide resources, loaded once: keys, ciphers, catalogues. Shared by the REST API and
the Reflex states so both use the same keys and sign the same audit head.

Keys are made by `app.cli setup` before the server starts; rotating one means a restart.
"""

from __future__ import annotations

from datetime import timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from app.clock import utc_now
from app.db import unit_of_work
from app.services import audit, catalogue, fieldcrypt, keyring, sealing, web_sessions
from app.services.observations import IngestContext
from app.settings import get_settings


@lru_cache(maxsize=1)
def signing_keys() -> keyring.KeyRing:
    return keyring.load(get_settings().keys_dir / "jwt")


@lru_cache(maxsize=1)
def sealing_ring() -> sealing.SealingRing:
    return sealing.load_ring(get_settings().keys_dir / "sealing", utc_now())


@lru_cache(maxsize=1)
def ingest_context() -> IngestContext:
    settings = get_settings()
    return IngestContext(
        cipher=fieldcrypt.load_cipher(settings.keys_dir / "data"),
        catalogues=catalogue.catalogues(),
        location_codes=frozenset(location.code for location in catalogue.locations()),
        review_after=timedelta(days=settings.review_after_days),
        zone=ZoneInfo(settings.timezone),
    )


@lru_cache(maxsize=1)
def audit_key() -> bytes:
    return audit.load_key(get_settings().keys_dir)


def sign_audit_head() -> None:
    """After a transaction that appended audit rows has committed: vouch for the new head."""
    with unit_of_work() as db:
        audit.write_signed_head(db, get_settings().audit_head_file, audit_key())


def session_timeouts() -> web_sessions.Timeouts:
    settings = get_settings()
    return web_sessions.Timeouts(idle=timedelta(seconds=settings.idle_timeout_seconds),
                                 absolute=timedelta(seconds=settings.session_max_seconds))
