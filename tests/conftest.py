"""Test set-up shared by every test: a throwaway data dir and database, migrated and seeded.

Set before any app module is imported, because settings are read once. The database is SQLite
in the temp dir, or, when WINGWATCH_TEST_POSTGRES_URL is set (scripts/test does so for its
PostgreSQL leg), a fresh PostgreSQL database that is dropped at the end.
"""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
from pathlib import Path

import pytest

DATA_DIR = Path(tempfile.mkdtemp(prefix="wingwatch-test-"))
POSTGRES_SERVER_URL = os.environ.get("WINGWATCH_TEST_POSTGRES_URL")
PG_DATABASE = f"wingwatch_test_{secrets.token_hex(4)}"

os.environ["WINGWATCH_DATA_DIR"] = str(DATA_DIR)
os.environ["WINGWATCH_DEMO"] = "1"
# Every test shares one database: the retention run is started by the tests that test it
# (tests/test_retention_*.py), never by a server of the browser tests on its own.
os.environ["WINGWATCH_RETENTION_JOB"] = "0"
os.environ["WINGWATCH_DATABASE_URL"] = (
    POSTGRES_SERVER_URL.rsplit("/", 1)[0] + f"/{PG_DATABASE}" if POSTGRES_SERVER_URL
    else f"sqlite:///{DATA_DIR / 'wingwatch.db'}"
)

from sqlalchemy import create_engine, select, text  # noqa: E402

from app import migrate  # noqa: E402
from app.clock import utc_now  # noqa: E402
from app.db import unit_of_work  # noqa: E402
from app.models import Posting, Prison, User, Wing  # noqa: E402
from app.services import catalogue, demo  # noqa: E402
from app.services.passwords import hash_password  # noqa: E402
from app.settings import get_settings  # noqa: E402
from app.vocabulary import PostingScope, Role  # noqa: E402
from tests.helpers import POSTED_SINCE  # noqa: E402

TEST_PASSWORD = "correct horse battery staple"


def _admin_connection():
    return create_engine(POSTGRES_SERVER_URL, isolation_level="AUTOCOMMIT").connect()


@pytest.fixture(scope="session", autouse=True)
def database():
    """The migrated, demo-seeded database every test (and the e2e server) uses."""
    if POSTGRES_SERVER_URL:
        with _admin_connection() as conn:
            conn.execute(text(f'CREATE DATABASE "{PG_DATABASE}"'))
    url = get_settings().database_url
    migrate.upgrade(url)
    with unit_of_work() as db:
        demo.seed(db, utc_now())
        catalogue.register_versions(db, catalogue.catalogues(), utc_now())
    yield url
    if POSTGRES_SERVER_URL:
        from app.db import get_engine

        get_engine().dispose()
        with _admin_connection() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)'))
    shutil.rmtree(DATA_DIR, ignore_errors=True)


@pytest.fixture
def make_user():
    """A fresh account of a role (password TEST_PASSWORD), so a test can lock it out alone."""

    def make(role: str, wing_codes: tuple[str, ...] = (), *, central: bool = False) -> str:
        """`central`: a security head or data-protection officer of the central service (no
        prison of their own, every prison in reach); otherwise they are the demo prison's."""
        username = f"{role[:4]}-{secrets.token_hex(4)}"
        with unit_of_work() as db:
            # The demo prison's wings: other tests make prisons with wings called "A" too.
            prison_id = db.scalar(select(Prison.id).where(Prison.code == demo.PRISON_CODE))
            wings = [db.query(Wing).filter(Wing.prison_id == prison_id, Wing.code == code).one()
                     for code in wing_codes]
            user = User(username=username, display_name=f"Test {role}", role=role,
                        password_hash=hash_password(TEST_PASSWORD),
                        prison_id=None if central else prison_id, created_at=utc_now())
            db.add(user)
            db.add_all([Posting(user=user, scope=PostingScope.WING, prison_id=prison_id,
                                wing=wing, valid_from=POSTED_SINCE, created_at=utc_now())
                        for wing in wings])
            if central and role in (Role.SECURITY_HEAD, Role.DATA_PROTECTION):
                db.add(Posting(user=user, scope=PostingScope.CENTRAL, valid_from=POSTED_SINCE,
                               created_at=utc_now()))
            elif role in (Role.TREATMENT, Role.SECURITY_HEAD, Role.DATA_PROTECTION):
                db.add(Posting(user=user, scope=PostingScope.PRISON, prison_id=prison_id,
                               valid_from=POSTED_SINCE, created_at=utc_now()))
        return username

    return make
