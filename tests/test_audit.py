"""The hash-chained audit log: appends, tamper detection, the signed head, concurrent writers.

Tamper tests work on a throwaway SQLite database of their own, so the shared test database (which
other tests append to) stays intact; after every test here the shared chain must still verify.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Callable

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.orm import Session, sessionmaker

from app import migrate
from app.clock import utc_now
from app.db import make_engine, unit_of_work
from app.models import AuditEntry, AuditHead
from app.services import audit
from app.services.audit import Action
from app.settings import get_settings

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@dataclass
class Target:
    """A database with a chain: how to open a transaction, and where its head is signed."""

    begin: Callable[[], AbstractContextManager[Session]]
    idle: Callable[[], AbstractContextManager[Session]]  # a session with no transaction open
    key: bytes
    head_path: Path

    def sign(self) -> dict:
        with self.begin() as db:
            return audit.write_signed_head(db, self.head_path, self.key)

    def verify(self) -> audit.VerifyResult:
        with self.idle() as db:
            return audit.verify(db, self.key, self.head_path)

    def head(self) -> tuple[int, str]:
        with self.begin() as db:
            return tuple(db.execute(select(AuditHead.seq, AuditHead.row_hash)).one())


def main_target() -> Target:
    settings = get_settings()
    return Target(unit_of_work, unit_of_work, audit.load_key(settings.keys_dir),
                  settings.audit_head_file)


@pytest.fixture(autouse=True)
def shared_chain_stays_intact():
    yield
    target = main_target()
    target.sign()
    result = target.verify()
    assert result.ok, result.reason


@pytest.fixture
def temp_target(tmp_path, monkeypatch):
    """A fresh, migrated SQLite database (empty chain) to tamper with. Verify reads it 5 rows
    at a time, so a 10-row chain spans batches, one of them ending exactly at the last row."""
    monkeypatch.setattr(audit, "VERIFY_BATCH", 5)
    engines = []

    def make(name: str = "audit.db") -> Target:
        url = f"sqlite:///{tmp_path / name}"
        migrate.upgrade(url)
        engines.append(make_engine(url))
        sessions = sessionmaker(engines[-1], expire_on_commit=False)
        return Target(sessions.begin, sessions, secrets.token_bytes(32),
                      tmp_path / f"{name}.head.json")

    yield make
    for engine in engines:
        engine.dispose()


def fill(target: Target, count: int) -> None:
    with target.begin() as db:
        for i in range(count):
            audit.append(db, at=T0 + timedelta(minutes=i), action=Action.READ, actor_id="u-1",
                         prisoner_id=f"p-{i % 3}", purpose="case review", detail=f"entry {i}")


def _sql(*statements: str) -> Callable[[Session], None]:
    return lambda db: [db.execute(text(statement)) for statement in statements]


def _rehash_changed_row(db: Session) -> None:
    """A careful forger: changes row 4 and gives it a matching hash."""
    columns = [AuditEntry.seq, AuditEntry.at, AuditEntry.actor_id, AuditEntry.action,
               AuditEntry.prisoner_id, AuditEntry.record_id, AuditEntry.purpose,
               AuditEntry.detail, AuditEntry.prev_hash]
    row = db.execute(select(*columns).where(AuditEntry.seq == 4)).one()._asdict()
    row["detail"] = "nothing to see"
    db.execute(update(AuditEntry).where(AuditEntry.seq == 4)
               .values(detail=row["detail"], row_hash=audit.row_hash(row)))


_ROW = "(SELECT row_hash FROM audit_entry WHERE seq = {})"
TAMPERS = {
    "changed row": (_sql("UPDATE audit_entry SET detail = 'x' WHERE seq = 4"),
                    4, "row 4 was changed"),
    "changed row, rehashed": (_rehash_changed_row, 5, "row 5 does not follow row 4"),
    "unreadable time": (_sql("UPDATE audit_entry SET at = 'last Tuesday' WHERE seq = 7"),
                        7, "the row after row 6 cannot be read"),
    "time moved": (_sql("UPDATE audit_entry SET at = '2020-01-01 00:00:00.000000' WHERE seq = 7"),
                   7, "row 7 was changed"),
    "deleted row": (_sql("DELETE FROM audit_entry WHERE seq = 5"), 5, "row 5 is missing"),
    "swapped rows": (_sql("UPDATE audit_entry SET seq = -1 WHERE seq = 3",
                          "UPDATE audit_entry SET seq = 3 WHERE seq = 7",
                          "UPDATE audit_entry SET seq = 7 WHERE seq = -1"),
                     3, "row 3 was changed"),
    "head rewound, rows kept": (_sql(f"UPDATE audit_head SET seq = 6, row_hash = {_ROW.format(6)}"),
                                7, "audit_head is at row 6 but the log ends at row 10"),
    "truncated tail": (_sql("DELETE FROM audit_entry WHERE seq > 7",
                            f"UPDATE audit_head SET seq = 7, row_hash = {_ROW.format(7)}"),
                       8, "rows 8 to 10 are missing"),
}


@pytest.mark.parametrize("tamper, broken_at, reason", TAMPERS.values(), ids=TAMPERS.keys())
def test_tampering_is_found_at_the_first_broken_row(temp_target, tamper, broken_at, reason):
    target = temp_target()
    fill(target, 10)
    target.sign()
    assert target.verify() == audit.VerifyResult(True, 10, None, "")
    with target.begin() as db:
        tamper(db)
    result = target.verify()
    assert (result.ok, result.first_broken_seq) == (False, broken_at)
    assert reason in result.reason


def test_a_truncated_tail_refilled_with_new_rows_is_found_by_the_signed_hash(temp_target):
    target = temp_target()
    fill(target, 10)
    target.sign()
    with target.begin() as db:
        _sql("DELETE FROM audit_entry WHERE seq > 7",
             f"UPDATE audit_head SET seq = 7, row_hash = {_ROW.format(7)}")(db)
    fill(target, 3)  # rows 8-10 again, a consistent chain but not the one that was signed
    result = target.verify()
    assert (result.ok, result.first_broken_seq) == (False, 10)
    assert "row 10 is not the row the head signed" in result.reason


def _forge(path: Path, _key: bytes) -> None:
    head = json.loads(path.read_text())
    path.write_text(json.dumps({**head, "seq": head["seq"] + 5}))


def _sign_with_another_key(path: Path, key: bytes) -> None:
    head = json.loads(path.read_text())
    path.write_text(json.dumps({**head, "hmac": audit._mac(secrets.token_bytes(32), head)}))


HEAD_FILE_TAMPERS = {
    "forged seq": (_forge, "HMAC is invalid"),
    "another key": (_sign_with_another_key, "HMAC is invalid"),
    "deleted": (lambda path, _key: path.unlink(), "is missing"),
    "garbage": (lambda path, _key: path.write_text("{not json"), "is unreadable"),
}


@pytest.mark.parametrize("tamper, reason", HEAD_FILE_TAMPERS.values(),
                         ids=HEAD_FILE_TAMPERS.keys())
def test_a_bad_signed_head_file_is_found(temp_target, tamper, reason):
    target = temp_target()
    fill(target, 4)
    target.sign()
    tamper(target.head_path, target.key)
    result = target.verify()
    assert (result.ok, result.first_broken_seq) == (False, None)
    assert reason in result.reason


def test_appends_during_a_verify_are_not_taken_for_tampering(temp_target, monkeypatch):
    target = temp_target()
    fill(target, 7)
    target.sign()
    read_batch = audit._batch

    def batch_then_append(db, after, limit):
        found = read_batch(db, after, limit)
        fill(target, 2)  # another writer, between two of verify's reads
        target.sign()
        return found

    monkeypatch.setattr(audit, "_batch", batch_then_append)
    result = target.verify()
    assert result.ok, result.reason
    assert result.rows_checked == 9  # rows 8-9 came in mid-walk and were checked too


def test_verify_wants_a_session_of_its_own(temp_target):
    target = temp_target()
    with target.begin() as db, pytest.raises(ValueError):
        db.execute(select(AuditHead.seq)).one()
        audit.verify(db, target.key, target.head_path)


def test_an_empty_log_verifies_without_a_head_file(temp_target):
    assert temp_target().verify() == audit.VerifyResult(True, 0, None, "")


def test_the_signed_head_never_moves_backwards(temp_target):
    ahead, behind = temp_target("ahead.db"), temp_target("behind.db")
    fill(ahead, 5)
    fill(behind, 2)
    behind.key, behind.head_path = ahead.key, ahead.head_path  # two workers, one file
    signed = ahead.sign()
    assert behind.sign() == signed  # the slower worker's older head is not written
    assert json.loads(ahead.head_path.read_text()) == signed
    assert signed["seq"] == 5 and audit._mac(ahead.key, signed) == signed["hmac"]


def test_append_many_continues_the_same_chain_as_append(temp_target):
    one_by_one, batched = temp_target("one.db"), temp_target("many.db")
    entries = [{"at": T0 + timedelta(seconds=i), "action": Action.CREATE, "actor_id": "u-2",
                "record_id": f"obs-{i}", "detail": "synced"} for i in range(250)]
    with one_by_one.begin() as db:
        for entry in entries:
            audit.append(db, **entry)
    with batched.begin() as db:
        audit.append_many(db, entries[:1])
        audit.append_many(db, [])
        audit.append_many(db, entries[1:])
    assert one_by_one.head() == batched.head() and batched.head()[0] == 250
    batched.sign()
    assert batched.verify() == audit.VerifyResult(True, 250, None, "")


def test_appends_on_the_shared_database_chain_and_verify():
    target = main_target()
    start, start_hash = target.head()
    with target.begin() as db:
        first = audit.append(db, at=T0, action=Action.READ, actor_id="u-3", prisoner_id="p-1",
                             purpose="screening")
        # a non-UTC time is stored and hashed as the same instant in UTC
        second = audit.append(db, at=T0.astimezone(timezone(timedelta(hours=2))),
                              action="sign_out", actor_id="u-3")
        audit.append_many(db, [{"at": T0, "action": "export", "actor_id": "u-3",
                                "record_id": "report-1", "purpose": "court request"}])
    assert (first.seq, first.prev_hash) == (start + 1, start_hash)
    assert (second.seq, second.prev_hash, second.at) == (start + 2, first.row_hash, T0)
    assert target.head()[0] == start + 3
    target.sign()
    result = target.verify()
    assert result.ok and result.rows_checked == start + 3, result.reason


def test_an_audit_row_rolls_back_with_the_callers_transaction():
    before = main_target().head()
    with pytest.raises(RuntimeError), unit_of_work() as db:
        audit.append(db, at=T0, action=Action.CREATE, actor_id="u-4", record_id="obs-x")
        raise RuntimeError("the observation could not be stored")
    assert main_target().head() == before


@pytest.mark.parametrize("entry", [
    {"action": "delete"},
    {"at": datetime(2026, 3, 2, 9, 0)},
    {"detail": "x" * 4001},
    {"prisoner_id": 42},
    {"mood": "curious"},
], ids=["unknown action", "naive time", "long detail", "non-text id", "unknown field"])
def test_bad_entries_are_refused_and_leave_the_chain_alone(entry):
    before = main_target().head()
    with pytest.raises(ValueError), unit_of_work() as db:
        audit.append_many(db, [{"at": T0, "action": "read", "actor_id": "u-5"},
                               {"at": T0, "action": "read", "actor_id": "u-5", **entry}])
    assert main_target().head() == before


@pytest.mark.parametrize("where", ["shared", "temp_sqlite"])
def test_concurrent_appends_keep_one_chain(temp_target, where):
    """8 writers with their own sessions: the head lock must hand out each seq exactly once."""
    target = main_target() if where == "shared" else temp_target()
    start = target.head()[0]
    tag = secrets.token_hex(8)
    barrier = threading.Barrier(8)

    def writer(n: int) -> None:
        barrier.wait()  # all start together, so appends really contend
        for i in range(50):
            with target.begin() as db:
                audit.append(db, at=utc_now(), action=Action.CREATE, actor_id=f"w-{n}",
                             record_id=f"{tag}-{n}-{i}", detail=tag)

    with ThreadPoolExecutor(8) as pool:
        for future in [pool.submit(writer, n) for n in range(8)]:
            future.result()
    with target.begin() as db:
        seqs = db.scalars(select(AuditEntry.seq).where(AuditEntry.detail == tag)
                          .order_by(AuditEntry.seq)).all()
    assert seqs == list(range(start + 1, start + 401))
    assert target.head()[0] == start + 400
    target.sign()
    result = target.verify()
    assert result.ok, result.reason


def test_the_key_file_is_made_once_private_and_the_environment_overrides_it(tmp_path, monkeypatch):
    monkeypatch.delenv(audit.KEY_ENV, raising=False)
    key = audit.load_key(tmp_path)
    path = tmp_path / "audit" / "head.key"
    assert len(key) == 32 and path.stat().st_mode & 0o777 == 0o600
    assert audit.load_key(tmp_path) == key and list(path.parent.iterdir()) == [path]
    other = secrets.token_bytes(32)
    monkeypatch.setenv(audit.KEY_ENV, base64.b64encode(other).decode())
    assert audit.load_key(tmp_path) == other
    monkeypatch.setenv(audit.KEY_ENV, base64.b64encode(b"short").decode())
    with pytest.raises(ValueError):
        audit.load_key(tmp_path)


def test_verify_audit_command(tmp_path, temp_target):
    target = temp_target("ww.db")
    target.head_path = tmp_path / "audit-head.json"  # where settings put it for this data dir
    fill(target, 5)
    target.sign()
    env = {**os.environ, "WINGWATCH_DATA_DIR": str(tmp_path), "WINGWATCH_DEMO": "0",
           "WINGWATCH_DATABASE_URL": f"sqlite:///{tmp_path / 'ww.db'}",
           audit.KEY_ENV: base64.b64encode(target.key).decode()}

    def run() -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "app.cli", "verify-audit"], env=env,
                              capture_output=True, text=True, timeout=120)

    intact = run()
    assert (intact.returncode, intact.stdout) == (0, "Audit log intact: 5 rows\n"), intact.stderr
    with target.begin() as db:
        db.execute(text("UPDATE audit_entry SET actor_id = 'someone-else' WHERE seq = 3"))
    broken = run()
    assert broken.returncode == 1, broken.stderr
    assert broken.stdout.startswith("Audit log BROKEN at row 3: row 3 was changed")
