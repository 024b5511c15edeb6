"""Field encryption at rest: AES-256-GCM bound to table, column, row and key; rotation."""

from __future__ import annotations

import base64
import json
import os
import stat
import subprocess
import sys
import uuid

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app import migrate
from app.clock import utc_now
from app.db import get_engine, make_engine
from app.models import Addendum, Observation, Prisoner, User
from app.services import demo
from app.services.fieldcrypt import (
    ENV_CURRENT,
    ENV_KEYS,
    FieldCipher,
    FieldCryptError,
    keys_in_use,
    kid_of,
    load_cipher,
    reencrypt_all,
    remove_key,
    rotate,
)

FACTS = 'Said to cell-mate Z. "they will pay for this" while pointing at the officers\' post'
ASSESSMENT = "Seemed to be testing the reaction of the others"
FLAG_REASON = "Second threat this week against staff"
ADDENDUM = "Correction: it was on the landing, not in the cell"
WHERE = {"table": "observation", "column": "facts", "row_id": "row-1"}


@pytest.fixture(autouse=True)
def no_env_keys(monkeypatch):
    """Key files unless a test sets the environment itself."""
    monkeypatch.delenv(ENV_KEYS, raising=False)
    monkeypatch.delenv(ENV_CURRENT, raising=False)


@pytest.fixture
def cipher(tmp_path) -> FieldCipher:
    return load_cipher(tmp_path / "data")


@pytest.fixture
def db():
    """A session on the shared test database that is always rolled back, so re-encryption
    with this test's throwaway keys never reaches other tests' rows."""
    session = Session(get_engine())
    try:
        yield session
    finally:
        session.rollback()
        session.close()


def add_observation(db: Session, cipher: FieldCipher) -> tuple[Observation, Addendum]:
    """A real observation with every encrypted column filled, and one addendum, written the
    way the sync service writes them (table name, column without "_enc", row id)."""
    prisoner = db.scalars(select(Prisoner).order_by(Prisoner.number)).first()
    author = db.scalar(select(User).where(User.username == "officer1"))
    row_id, now = str(uuid.uuid4()), utc_now()

    def enc(column: str, value: str) -> str:
        return cipher.encrypt(value, table="observation", column=column, row_id=row_id)

    obs = Observation(
        id=row_id, prisoner_id=prisoner.id, wing_id=prisoner.wing_id,
        prison_id=prisoner.prison_id, author_id=author.id, device_id="test-tablet",
        occurred_at=now, received_at=now, location="landing", catalogue_version="test",
        indicators=["2.1"], categories=["2"], concern_observation=True, source="direct",
        concern="high", flag=True, flag_reason_enc=enc("flag_reason", FLAG_REASON),
        facts_enc=enc("facts", FACTS), assessment_enc=enc("assessment", ASSESSMENT),
        payload_hash="0" * 64, review_at=now)
    db.add(obs)
    db.flush()
    # The addendum id is made by the database, so the text is encrypted once it is known.
    addendum = Addendum(observation_id=row_id, author_id=author.id, created_at=now, text_enc="")
    db.add(addendum)
    db.flush()
    addendum.text_enc = cipher.encrypt(ADDENDUM, table="addendum", column="text",
                                       row_id=str(addendum.id))
    db.flush()
    return obs, addendum


def plaintexts(db: Session, cipher: FieldCipher, obs_id: str, addendum_id: int) -> list[str]:
    db.expire_all()  # bulk UPDATEs do not refresh loaded objects
    obs, add = db.get(Observation, obs_id), db.get(Addendum, addendum_id)
    where = {"table": "observation", "row_id": obs_id}
    return [cipher.decrypt(obs.facts_enc, column="facts", **where),
            cipher.decrypt(obs.assessment_enc, column="assessment", **where),
            cipher.decrypt(obs.flag_reason_enc, column="flag_reason", **where),
            cipher.decrypt(add.text_enc, table="addendum", column="text", row_id=str(add.id))]


def test_round_trip_with_a_fresh_nonce_each_time(cipher):
    for plain in (FACTS, "", "Ђорђе said «ništa» 🙂", "x" * 4000):
        stored = cipher.encrypt(plain, **WHERE)
        assert stored.startswith(f"v1:{cipher.current_kid}:") and stored.isascii()
        assert kid_of(stored) == cipher.current_kid
        assert cipher.decrypt(stored, **WHERE) == plain
    assert cipher.encrypt(FACTS, **WHERE) != cipher.encrypt(FACTS, **WHERE)


def test_key_files_are_32_random_bytes_readable_by_the_owner_only(tmp_path, cipher):
    path = tmp_path / "data" / f"{cipher.current_kid}.key"
    assert len(base64.b64decode(path.read_bytes(), validate=True)) == 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert (tmp_path / "data" / "current").read_text() == cipher.current_kid
    assert load_cipher(tmp_path / "data").keys == cipher.keys  # loaded, not made again
    assert repr(cipher.keys[cipher.current_kid]) not in repr(cipher)  # no key in logs


def test_a_flipped_bit_anywhere_fails(cipher):
    stored = cipher.encrypt(FACTS, **WHERE)
    version, kid, nonce, sealed = stored.split(":")
    raw = base64.urlsafe_b64decode(nonce + "==") + base64.urlsafe_b64decode(sealed + "==")
    for index in range(len(raw)):
        for bit in (0x01, 0x80):
            flipped = bytearray(raw)
            flipped[index] ^= bit
            forged = ":".join([version, kid,
                               base64.urlsafe_b64encode(flipped[:12]).rstrip(b"=").decode(),
                               base64.urlsafe_b64encode(flipped[12:]).rstrip(b"=").decode()])
            with pytest.raises(FieldCryptError):
                cipher.decrypt(forged, **WHERE)
    # ... and any changed character of the stored text (version, kid, separators, base64).
    for index in range(len(stored)):
        for replacement in {"A", "_", ":"} - {stored[index]}:
            with pytest.raises(FieldCryptError):
                cipher.decrypt(stored[:index] + replacement + stored[index + 1:], **WHERE)


def test_only_the_canonical_base64_spelling_is_accepted(cipher):
    # 17 bytes of ciphertext+tag take 23 characters whose last one has 2 unused bits: setting
    # them would decode to the same bytes, so it must be refused rather than silently opened.
    stored = cipher.encrypt("x", **WHERE)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    last = alphabet[alphabet.index(stored[-1]) | 0b01]
    assert last != stored[-1] and len(stored.split(":")[3]) == 23
    with pytest.raises(FieldCryptError, match="non-canonical"):
        cipher.decrypt(stored[:-1] + last, **WHERE)


@pytest.mark.parametrize("field", ["table", "column", "row_id"])
def test_a_value_moved_to_another_row_column_or_table_fails(cipher, field):
    other = {**WHERE, field: {"table": "addendum", "column": "assessment",
                              "row_id": "row-2"}[field]}
    mine, theirs = cipher.encrypt("about prisoner 1", **WHERE), cipher.encrypt("about 2", **other)
    assert cipher.decrypt(theirs, **other) == "about 2"
    with pytest.raises(FieldCryptError, match="does not authenticate"):
        cipher.decrypt(theirs, **WHERE)
    with pytest.raises(FieldCryptError, match="does not authenticate"):
        cipher.decrypt(mine, **other)


def test_unknown_or_relabelled_kid_fails(tmp_path, cipher):
    other = load_cipher(tmp_path / "other")
    stored = other.encrypt(FACTS, **WHERE)
    with pytest.raises(FieldCryptError, match="unknown data key"):
        cipher.decrypt(stored, **WHERE)
    # Relabelled to a kid this cipher has: the key and the associated data both differ.
    both = FieldCipher({**cipher.keys, **other.keys}, cipher.current_kid)
    relabelled = stored.replace(other.current_kid, cipher.current_kid, 1)
    with pytest.raises(FieldCryptError, match="does not authenticate"):
        both.decrypt(relabelled, **WHERE)
    assert both.decrypt(stored, **WHERE) == FACTS


@pytest.mark.parametrize("stored", [
    "", "v1", "v1:", "v1::", "v1:::", "facts in clear text", "v2:k1:AAAAAAAAAAAAAAAA:AAAA",
    "v1:k1:AAAAAAAAAAAAAAAA", "v1:k1:AAAAAAAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAA:extra",
    "v1:../../jwt/current:AAAAAAAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAA",
    "v1:{kid}:!!!!:AAAAAAAAAAAAAAAAAAAAAA", "v1:{kid}:AAAAAAAAAAAAAAAA=:AAAAAAAAAAAAAAAAAAAAAA",
    "v1:{kid}:AAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAA",  # 8-byte nonce
    "v1:{kid}:AAAAAAAAAAAAAAAA:AAAA",  # shorter than a tag
    "v1:{kid}:AAAAAAAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAB",  # non-canonical base64 (spare bits)
    "v1:{kid}:AAAAAAAAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAA",  # impossible base64 length
    "v1:{kid}:AAAAAAAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAA",  # well-formed, never encrypted
    None, 42, b"v1:k1:AAAA:AAAA",
])
def test_malformed_values_raise_fieldcrypterror(cipher, stored):
    if isinstance(stored, str):
        stored = stored.replace("{kid}", cipher.current_kid)
    with pytest.raises(FieldCryptError):
        cipher.decrypt(stored, **WHERE)
    if not isinstance(stored, str) or stored.count(":") < 2:
        with pytest.raises(FieldCryptError):
            kid_of(stored)


def test_rotation_reencryption_and_removal_on_real_rows(tmp_path, db):
    directory = tmp_path / "data"
    first = load_cipher(directory)
    obs, addendum = add_observation(db, first)
    expected = [FACTS, ASSESSMENT, FLAG_REASON, ADDENDUM]

    new_kid = rotate(directory)
    ring = load_cipher(directory)
    assert ring.current_kid == new_kid != first.current_kid
    assert plaintexts(db, ring, obs.id, addendum.id) == expected  # old values still open

    # Also the app's own keys: rows that other tests committed must re-encrypt too (rolled back).
    everything = FieldCipher({**load_cipher().keys, **ring.keys}, new_kid)
    assert reencrypt_all(db, everything, batch_size=2) >= 4
    assert keys_in_use(db) == {new_kid}
    assert plaintexts(db, ring, obs.id, addendum.id) == expected
    assert reencrypt_all(db, everything) == 0  # nothing left to move

    with pytest.raises(FieldCryptError, match="current"):
        remove_key(directory, new_kid)
    with pytest.raises(FieldCryptError):
        remove_key(directory, "../current")
    remove_key(directory, first.current_kid)
    after = load_cipher(directory)
    assert set(after.keys) == {new_kid}
    assert plaintexts(db, after, obs.id, addendum.id) == expected


def test_the_stored_rows_hold_no_plaintext(tmp_path, db):
    obs, addendum = add_observation(db, load_cipher(tmp_path / "data"))
    row = db.execute(text("SELECT * FROM observation WHERE id = :id"), {"id": obs.id}).one()
    dump = " ".join(str(value) for value in row)
    dump += " ".join(str(value) for value in db.execute(
        text("SELECT * FROM addendum WHERE id = :id"), {"id": addendum.id}).one())
    assert obs.id in dump  # the query really found the row
    for secret in (FACTS, ASSESSMENT, FLAG_REASON, ADDENDUM, "they will pay", "landing, not"):
        assert secret not in dump


def test_keys_from_the_environment(tmp_path, monkeypatch):
    keys = {"env-2026": os.urandom(32), "env-2025": os.urandom(32)}
    monkeypatch.setenv(ENV_KEYS, json.dumps(
        {kid: base64.b64encode(key).decode() for kid, key in keys.items()}))
    monkeypatch.setenv(ENV_CURRENT, "env-2026")
    from_env = load_cipher(tmp_path / "data")
    assert from_env.current_kid == "env-2026" and from_env.keys == keys
    assert not (tmp_path / "data").exists()  # no key file made when the environment has keys
    old = FieldCipher(keys, "env-2025").encrypt(FACTS, **WHERE)
    assert from_env.decrypt(old, **WHERE) == FACTS
    assert kid_of(from_env.encrypt(FACTS, **WHERE)) == "env-2026"

    for bad_keys, current in [("not json", "env-2026"), ("[]", "env-2026"),
                              ('{"k": "c2hvcnQ="}', "k"),  # 5 bytes
                              ('{"k": "%%%"}', "k"), (json.dumps({"a:b": "A" * 44}), "a:b"),
                              (os.environ[ENV_KEYS], ""), (os.environ[ENV_KEYS], "missing")]:
        monkeypatch.setenv(ENV_KEYS, bad_keys)
        monkeypatch.setenv(ENV_CURRENT, current)
        with pytest.raises(FieldCryptError):
            load_cipher(tmp_path / "data")


def run_cli(tmp_path, *args: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items()
           if key not in (ENV_KEYS, ENV_CURRENT)}
    env.update({"WINGWATCH_DATA_DIR": str(tmp_path),
                "WINGWATCH_DATABASE_URL": f"sqlite:///{tmp_path / 'ww.db'}"})
    return subprocess.run([sys.executable, "-m", "app.cli", *args], env=env,
                          capture_output=True, text=True, timeout=120)


def test_cli_rotates_reencrypts_and_removes_only_unused_keys(tmp_path):
    url = f"sqlite:///{tmp_path / 'ww.db'}"
    migrate.upgrade(url)
    directory = tmp_path / "keys" / "data"
    first = load_cipher(directory)
    with Session(make_engine(url), expire_on_commit=False) as session:
        demo.seed(session, utc_now())
        obs, addendum = add_observation(session, first)
        session.commit()
    rotate(directory)  # a new current key, but the row is still under the first one

    refused = run_cli(tmp_path, "remove-data-key", "--kid", first.current_kid)
    assert refused.returncode == 2 and "still in use" in refused.stderr

    rotated = run_cli(tmp_path, "rotate-data-key")
    assert rotated.returncode == 0, rotated.stderr
    assert "4 values re-encrypted" in rotated.stdout

    removed = run_cli(tmp_path, "remove-data-key", "--kid", first.current_kid)
    assert removed.returncode == 0, removed.stderr
    current = load_cipher(directory)
    assert first.current_kid not in current.keys
    with Session(make_engine(url)) as session:
        assert keys_in_use(session) == {current.current_kid}
        assert plaintexts(session, current, obs.id, addendum.id)[0] == FACTS
    assert run_cli(tmp_path, "remove-data-key", "--kid", current.current_kid).returncode == 2
