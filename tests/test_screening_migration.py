"""Revision 0008: the English rule sentences stored before it become rule ids and numbers, and
come back as the same English on a downgrade; free texts get a locale column, NULL before."""

from __future__ import annotations

import json
import secrets

from alembic import command
from sqlalchemy import create_engine, text

from app import migrate
from app.services import catalogue
from tests.test_user_locale import fresh_database  # noqa: F401  (a fixture)

AT = "2026-11-20 09:00:00"
OLD_PATTERN = ("4 concern observations about this prisoner within 30 days, from 2 officer(s) in "
               "1 indicator category.")
OLD_MANUAL = ("An officer flagged this observation for screening and gave a reason (shown with "
              "the observation).")


def _insert(conn, table: str, **columns) -> None:
    conn.execute(text(f"INSERT INTO {table} ({', '.join(columns)}) "
                      f"VALUES ({', '.join(':' + c for c in columns)})"), columns)


def _world(conn, urgent: str, other: str) -> dict[str, str]:
    """A prison, two officers, a prisoner, three observations and his open item, as 0007 held
    them."""
    ids = {name: secrets.token_hex(8) for name in ("prison", "wing", "prisoner", "a", "b")}
    _insert(conn, "prison", id=ids["prison"], code="T", name="Test")
    _insert(conn, "wing", id=ids["wing"], prison_id=ids["prison"], code="A", name="A")
    _insert(conn, "prisoner", id=ids["prisoner"], prison_id=ids["prison"], wing_id=ids["wing"],
            number="T-1", given_name="Test", family_name="Prisoner")
    for user in ("a", "b"):
        _insert(conn, "app_user", id=ids[user], username=f"u{ids[user]}", display_name=user,
                role="officer", password_hash="x", active=True, created_at=AT)
    for n, (author, codes, categories) in enumerate(
            [("a", [urgent, other], ["C01", "C02"]), ("b", [other], ["C02"]),
             ("a", [other], ["C02"])]):
        _insert(conn, "observation", id=f"obs-{n}", prisoner_id=ids["prisoner"],
                wing_id=ids["wing"], prison_id=ids["prison"], author_id=ids[author],
                device_id="t", occurred_at=AT, received_at=AT, location="yard",
                catalogue_version=catalogue.current().version, indicators=json.dumps(codes),
                categories=json.dumps(categories), concern_observation=True, source="direct",
                concern="high", flag=True, facts_enc="x", payload_hash="h", review_at=AT)
    _insert(conn, "screening_item", id=1, prisoner_id=ids["prisoner"], prison_id=ids["prison"],
            opened_at=AT)
    return ids


def _trigger(conn, rule_id: str, sentence: str, observation_ids: list[str]) -> None:
    _insert(conn, "screening_trigger", item_id=1, rule_id=rule_id, sentence=sentence,
            observation_ids=json.dumps(observation_ids), created_at=AT)


def test_old_sentences_become_rule_numbers_and_come_back_as_the_same_english(
        fresh_database: str) -> None:  # noqa: F811
    cat = catalogue.current()
    urgent = next(i for i in cat.indicators.values() if i.immediate)
    other = next(i for i in cat.indicators.values() if not i.immediate and i.kind == "concern")
    old_immediate = f"Recorded an indicator that needs attention at once: {urgent.label}."
    config = migrate.alembic_config(fresh_database)
    command.upgrade(config, "0007")
    engine = create_engine(fresh_database)
    with engine.begin() as conn:
        _world(conn, urgent.code, other.code)
        _trigger(conn, "R1-manual", OLD_MANUAL, ["obs-0"])
        _trigger(conn, "R2-immediate", old_immediate, ["obs-0"])
        _trigger(conn, "R3-pattern", OLD_PATTERN, ["obs-0", "obs-1", "obs-2"])
        _trigger(conn, "R3-pattern", "worded some other way", ["obs-0", "obs-1", "obs-2"])

    command.upgrade(config, "0008")
    with engine.begin() as conn:
        params = [json.loads(p) if isinstance(p, str) else p for p in conn.scalars(
            text("SELECT params FROM screening_trigger ORDER BY id"))]
        assert params == [
            {},
            {"catalogue_version": cat.version, "indicators": [urgent.code]},
            {"observations": 4, "officers": 2, "categories": 1, "days": 30},  # as it said
            {"observations": 3, "officers": 2, "categories": 2, "days": 30},  # from the data
        ]
        assert conn.scalar(text("SELECT locale FROM observation WHERE id = 'obs-0'")) is None
        columns = conn.execute(text("SELECT * FROM screening_trigger")).keys()
        assert "sentence" not in columns

    command.downgrade(config, "0007")
    with engine.begin() as conn:
        sentences = list(conn.scalars(text("SELECT sentence FROM screening_trigger ORDER BY id")))
        assert sentences[:3] == [OLD_MANUAL, old_immediate, OLD_PATTERN]
        assert sentences[3] == ("3 concern observations about this prisoner within 30 days, "
                                "from 2 officer(s) in 2 indicator categories.")
        assert "locale" not in conn.execute(text("SELECT * FROM observation")).keys()
    engine.dispose()
