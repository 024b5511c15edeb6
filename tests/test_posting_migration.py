"""Revision 0009: what each account could see before (an officer's wings, a prison on the
account) becomes postings, so nobody sees more or less after the upgrade; each prison gets the
standard locations it offered; a downgrade gives the officers their wings back."""

from __future__ import annotations

import secrets

from alembic import command
from sqlalchemy import create_engine, text

from app import migrate
from app.services import catalogue
from tests.test_screening_migration import _insert
from tests.test_user_locale import fresh_database  # noqa: F401  (a fixture)

AT = "2026-11-20 09:00:00"


def test_wings_and_prisons_on_accounts_become_postings_from_before_they_were_made(
        fresh_database: str) -> None:  # noqa: F811
    config = migrate.alembic_config(fresh_database)
    command.upgrade(config, "0008")
    engine = create_engine(fresh_database)
    ids = {name: secrets.token_hex(8) for name in (
        "prison", "a", "b", "officer", "screener", "head", "central", "admin")}
    with engine.begin() as conn:
        _insert(conn, "prison", id=ids["prison"], code="T", name="Test")
        for wing in ("a", "b"):
            _insert(conn, "wing", id=ids[wing], prison_id=ids["prison"], code=wing, name=wing)
        for user, role, prison in (("officer", "officer", ids["prison"]),
                                   ("screener", "treatment", ids["prison"]),
                                   ("head", "security_head", ids["prison"]),
                                   ("central", "security_head", None), ("admin", "admin", None)):
            _insert(conn, "app_user", id=ids[user], username=user, display_name=user, role=role,
                    password_hash="x", active=True, created_at=AT, prison_id=prison)
        for wing in ("a", "b"):
            _insert(conn, "user_wing", user_id=ids["officer"], wing_id=ids[wing])

    command.upgrade(config, "0009")
    with engine.begin() as conn:
        rows = conn.execute(text(
            "SELECT user_id, scope, prison_id, wing_id, valid_from, valid_to FROM posting")).all()
        locations = conn.scalars(text(
            "SELECT code FROM prison_location ORDER BY position")).all()
    by_user = {}
    for user_id, scope, prison, wing, valid_from, valid_to in rows:
        by_user.setdefault(user_id, set()).add((scope, prison, wing))
        assert str(valid_from) < AT[:10] and valid_to is None  # from before the account
    assert by_user == {
        ids["officer"]: {("wing", ids["prison"], ids["a"]), ("wing", ids["prison"], ids["b"])},
        ids["screener"]: {("prison", ids["prison"], None)},
        ids["head"]: {("prison", ids["prison"], None)},
        ids["central"]: {("central", None, None)},
    }
    assert tuple(locations) == tuple(loc.code for loc in catalogue.locations())

    command.downgrade(config, "0008")
    with engine.begin() as conn:
        wings = set(conn.execute(text("SELECT user_id, wing_id FROM user_wing")).all())
    assert wings == {(ids["officer"], ids["a"]), (ids["officer"], ids["b"])}
    engine.dispose()
