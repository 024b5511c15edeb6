"""Keys: their status (id, age, use, never the material), rotation as app.cli does it, audited,
and running workers picking a rotated key up without a restart (app/reloading.py).

Rotations work on key directories of the test's own; a data key rotation on the shared database
runs in a transaction that is rolled back, so other tests' values keep their keys.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import reloading, runtime
from app.db import get_engine
from app.models import AuditEntry, Observation
from app.services import audit, fieldcrypt, key_status, keyring, sealing
from app.services.key_status import KeyKind, KeyRefused, KeyUse
from app.settings import get_settings
from tests.helpers import identity
from tests.trend_data import new_prison, record

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ROOT = Path(__file__).resolve().parents[1]
GRACE = timedelta(hours=24)


def _status(keys_dir: Path, now: datetime = NOW) -> list[key_status.KeyInfo]:
    return key_status.status(identity("admin1"), keys_dir, now, GRACE, timedelta(days=30))


def _rotate_in_another_process(directory: Path) -> str:
    """What `app.cli rotate-token-key` does, in a process of its own."""
    done = subprocess.run(
        [sys.executable, "-c", "import sys; from datetime import datetime, UTC; "
         "from pathlib import Path; from app.services import keyring; "
         "print(keyring.rotate(Path(sys.argv[1]), datetime.now(UTC)))", str(directory)],
        cwd=ROOT, capture_output=True, text=True, check=True)
    return done.stdout.strip()


# --- reloading -------------------------------------------------------------------------------


def test_a_cached_ring_sees_a_key_rotated_by_another_process(tmp_path):
    directory = tmp_path / "jwt"
    loads = []

    def load() -> keyring.KeyRing:
        loads.append(1)
        return keyring.load(directory, datetime.now(UTC))

    ring = reloading.Reloading(load, lambda: directory, every=0)
    before, loaded = ring().current_kid, len(loads)
    assert ring().current_kid == before and len(loads) == loaded  # unchanged: not read again
    rotated = _rotate_in_another_process(directory)
    assert ring().current_kid == rotated != before
    assert before in ring().keys  # the old key still verifies its tokens for the grace


def test_the_directory_is_looked_at_at_most_every_few_seconds(tmp_path, monkeypatch):
    directory, clock = tmp_path / "sealing", [100.0]
    monkeypatch.setattr(reloading.time, "monotonic", lambda: clock[0])
    ring = reloading.Reloading(lambda: sealing.load_ring(directory, datetime.now(UTC)),
                               lambda: directory, every=2.0)
    before = ring().current_kid
    rotated = sealing.rotate(directory, datetime.now(UTC))
    clock[0] += 1.0
    assert ring().current_kid == before  # within the interval: the cached ring, no stat
    clock[0] += 1.5
    assert ring().current_kid == rotated


def test_a_data_key_rotation_reaches_the_cached_cipher(tmp_path):
    directory = tmp_path / "data"
    cipher = reloading.Reloading(lambda: fieldcrypt.load_cipher(directory), lambda: directory,
                                 every=0)
    before = cipher().current_kid
    after = fieldcrypt.rotate(directory)
    assert cipher().current_kid == after != before
    assert set(cipher().keys) == {before, after}


def test_the_runtime_caches_reload_from_the_shared_key_directory(monkeypatch):
    """The server's own caches (what routes and states call) watch the key directories."""
    keys_dir = get_settings().keys_dir
    for cached, kind in ((runtime.signing_keys, "jwt"), (runtime.sealing_ring, "sealing"),
                         (runtime._ingest_keys, "data"), (runtime.audit_key, "audit")):
        assert isinstance(cached, reloading.Reloading)
        assert cached._watched() == keys_dir / kind
    monkeypatch.setattr(runtime.signing_keys, "every", 0)
    before = runtime.signing_keys().current_kid
    rotated = _rotate_in_another_process(keys_dir / "jwt")  # old tokens verify for the grace
    assert runtime.signing_keys().current_kid == rotated != before


def test_a_missing_directory_is_a_stamp_too(tmp_path):
    assert reloading.stamp(tmp_path / "nowhere") == ()


# --- status ----------------------------------------------------------------------------------


def test_status_lists_every_key_with_its_use_and_never_its_material(tmp_path):
    keys_dir = tmp_path / "keys"
    first = keyring.rotate(keys_dir / "jwt", NOW)
    second = keyring.rotate(keys_dir / "jwt", NOW + timedelta(hours=1))
    sealing.rotate(keys_dir / "sealing", NOW)
    data_kid = fieldcrypt.rotate(keys_dir / "data")
    audit_key = audit.load_key(keys_dir)
    found = _status(keys_dir, NOW + timedelta(hours=2))
    uses = {(k.kind, k.kid): k.use for k in found}
    assert uses[(KeyKind.TOKEN, second)] is KeyUse.CURRENT
    assert uses[(KeyKind.TOKEN, first)] is KeyUse.RETIRING
    assert uses[(KeyKind.DATA, data_kid)] is KeyUse.CURRENT
    assert [k.kind for k in found].count(KeyKind.SEALING) == 1
    retiring = next(k for k in found if k.kid == first)
    assert retiring.until == NOW + timedelta(hours=1) + GRACE and retiring.created is not None
    shown = repr(found)
    material = [audit_key.hex(), *(p.read_text()[40:80] for p in keys_dir.rglob("*.pem")),
                *(p.read_text()[:20] for p in (keys_dir / "data").glob("*.key"))]
    assert not any(secret in shown for secret in material)
    assert _status(keys_dir, NOW + timedelta(hours=30))[1].use is KeyUse.EXPIRED


def test_status_is_for_administrators_only(tmp_path):
    with pytest.raises(KeyRefused):
        key_status.status(identity("officer1"), tmp_path, NOW, GRACE, GRACE)


# --- rotation, audited -----------------------------------------------------------------------


def _rotated_row(db: Session) -> dict:
    row = db.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
    return {"action": row.action, "subject": row.record_id, **json.loads(row.detail)}


@pytest.mark.parametrize("kind", [KeyKind.TOKEN, KeyKind.SEALING])
def test_rotation_makes_a_new_current_key_and_audits_old_and_new(tmp_path, kind):
    keys_dir = tmp_path / "keys"
    first = (keyring.rotate if kind is KeyKind.TOKEN else sealing.rotate)(
        keys_dir / key_status.DIRECTORIES[kind], NOW)
    with Session(get_engine()) as db:
        rotated = key_status.rotate(db, identity("admin1"), kind, keys_dir, NOW)
        row = _rotated_row(db)
        db.rollback()  # the shared chain stays as it was
    assert row == {"action": "admin_change", "subject": kind.value, "change": "key.rotate",
                   "before": {"kid": first}, "after": {"kid": rotated.kid}}
    current = [k for k in _status(keys_dir) if k.kind is kind and k.use is KeyUse.CURRENT]
    assert [k.kid for k in current] == [rotated.kid]


def test_a_data_key_rotation_reencrypts_every_value(tmp_path):
    keys_dir = tmp_path / "keys"
    place = new_prison()
    record(place.officers[0], place.prisoners["X"][0])  # at least one encrypted value
    shutil.copytree(get_settings().keys_dir / "data", keys_dir / "data")
    with Session(get_engine()) as db:
        rotated = key_status.rotate(db, identity("admin1"), KeyKind.DATA, keys_dir, NOW)
        kids = {fieldcrypt.kid_of(v) for v in db.scalars(select(Observation.facts_enc))}
        row = _rotated_row(db)
        db.rollback()  # the shared database keeps its values under the shared keys
    assert kids == {rotated.kid}
    assert row["after"] == {"kid": rotated.kid, "reencrypted": rotated.reencrypted}
    assert rotated.reencrypted > 0


@pytest.mark.parametrize(("kind", "code"), [("audit", "not_rotatable"),
                                            ("master", "unknown_key_kind")])
def test_what_cannot_be_rotated_is_refused_by_name(kind, code):
    with pytest.raises(KeyRefused) as refused:
        key_status.parse_kind(kind)
    assert refused.value.code == code


def test_only_administrators_rotate(tmp_path):
    with Session(get_engine()) as db, pytest.raises(KeyRefused):
        key_status.rotate(db, identity("security1"), KeyKind.TOKEN, tmp_path, NOW)
    assert not (tmp_path / "jwt").exists()
