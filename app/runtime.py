"""Process-wide resources, loaded once: keys, ciphers, catalogues. Shared by the REST API and
the Reflex states so both use the same keys and sign the same audit head.

Keys are made by `app.cli setup` before the server starts. The key rings and the cipher are
loaded again when their directory changes (app/reloading.py): a rotation in any process, or by
`app.cli rotate-*`, reaches every running worker within a few seconds, without a restart.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from app.clock import utc_now
from app.db import unit_of_work
from app.reloading import reloading
from app.services import audit, catalogue, fieldcrypt, keyring, sealing, web_sessions
from app.services.observations import IngestContext
from app.settings import get_settings


def _keys(kind: str):
    return lambda: get_settings().keys_dir / kind


@reloading(_keys("jwt"))
def signing_keys() -> keyring.KeyRing:
    return keyring.load(get_settings().keys_dir / "jwt", utc_now())


@reloading(_keys("sealing"))
def sealing_ring() -> sealing.SealingRing:
    return sealing.load_ring(get_settings().keys_dir / "sealing", utc_now())


@reloading(_keys("data"))
def _ingest_keys() -> IngestContext:
    settings = get_settings()
    return IngestContext(
        cipher=fieldcrypt.load_cipher(settings.keys_dir / "data"),
        catalogues=catalogue.catalogues(),
        location_codes=frozenset(location.code for location in catalogue.locations()),
        review_after=timedelta(days=settings.review_after_days),
        zone=ZoneInfo(settings.timezone),
        catalogue_grace=timedelta(days=settings.catalogue_grace_days),
    )


def ingest_context() -> IngestContext:
    """The cipher as loaded; the catalogue versions as they are now, since one published from
    the browser may take effect while the process runs (catalogue.catalogues caches them)."""
    return dataclasses.replace(_ingest_keys(), catalogues=catalogue.catalogues(),
                               catalogue_effective=catalogue.effective_dates())


@reloading(_keys("audit"))
def audit_key() -> bytes:
    return audit.load_key(get_settings().keys_dir)


def sign_audit_head() -> None:
    """After a transaction that appended audit rows has committed: vouch for the new head."""
    with unit_of_work() as db:
        audit.write_signed_head(db, get_settings().audit_head_file, audit_key())


def make_keys() -> None:
    """Every key there, as `app.cli setup` makes them (otherwise each is made at first use), so
    the key status lists them all."""
    signing_keys(), sealing_ring(), _ingest_keys(), audit_key()


def verify_audit() -> audit.VerifyResult:
    """The chain and the signed head checked, as `app.cli verify-audit` does: in a session of
    its own with no transaction open (verify reads in short transactions)."""
    with unit_of_work() as db:
        return audit.verify(db, audit_key(), get_settings().audit_head_file)


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
