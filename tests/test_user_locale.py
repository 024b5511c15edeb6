"""A locale per user (issue 10, item 1's data half): the column and its migration, the demo
accounts' languages, the identity and API answers that carry it, and changing one's own."""

from __future__ import annotations

import importlib.util
import os
import secrets
from collections.abc import Iterator

import pytest
from alembic import command
from sqlalchemy import create_engine, inspect, select, text
from sqlalchemy.exc import IntegrityError

from app import migrate
from app.db import unit_of_work
from app.i18n.locales import Locale
from app.models import User
from app.services import accounts
from tests.helpers import api_client, bearer, identity

DEMO_LOCALES = {"officer1": "sr-Latn", "officer2": "sq", "screener1": "bs", "screener2": "mk",
                "security1": "sr-Cyrl", "admin1": "en"}


@pytest.fixture
def fresh_database(tmp_path) -> Iterator[str]:
    """An empty database to migrate step by step: SQLite, or PostgreSQL on that leg."""
    server = os.environ.get("WINGWATCH_TEST_POSTGRES_URL")
    if not server:
        yield f"sqlite:///{tmp_path / 'locale.db'}"
        return
    name = f"wingwatch_locale_{secrets.token_hex(4)}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield server.rsplit("/", 1)[0] + f"/{name}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _insert_user(conn, username: str, **extra: str) -> None:
    columns = {"id": secrets.token_hex(8), "username": username, "display_name": username,
               "role": "officer", "password_hash": "x", "active": True,
               "created_at": "2026-12-01 09:00:00", **extra}
    conn.execute(text(f"INSERT INTO app_user ({', '.join(columns)}) "
                      f"VALUES ({', '.join(':' + c for c in columns)})"), columns)


def test_migration_gives_existing_users_english_and_checks_the_code(fresh_database: str) -> None:
    config = migrate.alembic_config(fresh_database)
    command.upgrade(config, "0005")
    engine = create_engine(fresh_database)
    with engine.begin() as conn:
        _insert_user(conn, "before")
    command.upgrade(config, "0006")
    with engine.begin() as conn:
        assert conn.scalar(text("SELECT locale FROM app_user WHERE username = 'before'")) == "en"
        _insert_user(conn, "cyrillic", locale="sr-Cyrl")
    with pytest.raises(IntegrityError), engine.begin() as conn:
        _insert_user(conn, "unknown", locale="sr")
    with pytest.raises(IntegrityError), engine.begin() as conn:
        _insert_user(conn, "missing", locale=None)  # type: ignore[arg-type]
    command.downgrade(config, "0005")
    assert "locale" not in {c["name"] for c in inspect(engine).get_columns("app_user")}
    engine.dispose()


def test_demo_accounts_speak_their_own_languages() -> None:
    with unit_of_work() as db:
        stored = dict(db.execute(select(User.username, User.locale)
                                 .where(User.username.in_(DEMO_LOCALES))).all())
    assert stored == DEMO_LOCALES


def test_the_identity_carries_the_locale_as_the_enum() -> None:
    assert identity("officer2").locale is Locale.SQ


def test_auth_me_and_bootstrap_tell_the_client_its_users_locale() -> None:
    client = api_client()
    headers = bearer("security1")
    assert client.get("/api/v1/auth/me", headers=headers).json()["locale"] == "sr-Cyrl"
    headers = bearer("officer1")
    assert client.get("/api/v1/bootstrap", headers=headers).json()["user"]["locale"] == "sr-Latn"


def test_a_user_changes_their_own_locale(make_user) -> None:
    who = identity(make_user("officer"))
    assert who.locale is Locale.EN
    with unit_of_work() as db:
        changed = accounts.set_locale(db, who, "mk")
    assert changed.locale is Locale.MK
    assert identity(who.username).locale is Locale.MK


@pytest.mark.parametrize("code", ["", "sr", "SQ", "sr_Latn", "sr-latn", "de", " en", None, 7])
def test_an_unknown_locale_is_refused_and_nothing_changes(make_user, code: object) -> None:
    who = identity(make_user("officer"))
    with pytest.raises(accounts.UnknownLocale), unit_of_work() as db:
        accounts.set_locale(db, who, code)
    assert identity(who.username).locale is Locale.EN


def test_the_migrations_codes_are_the_enums() -> None:
    """The newest locale revision writes the codes out; a new locale in the enum needs one too."""
    path = migrate.MIGRATIONS / "versions" / "0007_pseudo_locale.py"
    spec = importlib.util.spec_from_file_location("revision_0007", path)
    assert spec is not None and spec.loader is not None
    revision = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(revision)
    assert revision.AFTER == tuple(Locale)
