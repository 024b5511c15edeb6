"""Process-wide resources, loaded once: keys, ciphers, catalogues. Shared by the REST API and
the Reflex states so both use the same keys and sign the same audit head.

Keys are made by `app.cli setup` before the server starts; rotating one means a restart.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from app.clock import utc_now
from app.db import unit_of_work
from app.services import audit, catalogue, fieldcrypt, keyring, sealing, web_sessions
from app.services.observations import IngestContext
from app.settings import get_settings


@lru_cache(maxsize=1)
def signing_keys() -> keyring.KeyRing:
    return keyring.load(get_settings().keys_dir / "jwt", utc_now())


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


@contextmanager
def transaction() -> Iterator[Session]:
    """One transaction for a state or a route: committed when the block ends, and then, if it
    appended to the audit chain, the new head signed. The only way states and routes open a
    transaction (tests/test_audit_head_paths.py), so none can leave an unsigned tail."""
    with unit_of_work() as db:
        yield db
        grew = audit.grew(db)
    if grew:
        sign_audit_head()


def session_cookie_name() -> str:
    return web_sessions.cookie_name(get_settings().secure_cookies)


def session_timeouts() -> web_sessions.Timeouts:
    settings = get_settings()
    return web_sessions.Timeouts(idle=timedelta(seconds=settings.idle_timeout_seconds),
                                 absolute=timedelta(seconds=settings.session_max_seconds))
