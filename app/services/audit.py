"""The append-only, hash-chained audit log (design §4 item 7, LED Art. 25).

Each row carries the hash of the row before it and a SHA-256 over its own canonical content, so
changing, deleting or reordering a row breaks the chain at that row. Deleting the newest rows
(and rewinding audit_head) leaves a shorter chain that is still consistent; the signed head file,
HMAC'd with a key that is not in the database, is what catches that.

Appends run inside the caller's transaction: an observation and its audit row commit together.
"""

from __future__ import annotations

import base64
import binascii
import fcntl
import hashlib
import hmac
import json
import os
import secrets
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, Iterator, Mapping

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from app.clock import utc_now
from app.models import AuditEntry, AuditHead

GENESIS_HASH = "0" * 64
HEAD_ID = 1
KEY_ENV = "WINGWATCH_AUDIT_HMAC_KEY"
KEY_BYTES = 32
VERIFY_BATCH = 10_000
# Detail is a short note (ids, counts, a rule name) or, for an administrator's change, the
# fields before and after (record_change); never observation text.
LIMITS = {"actor_id": 36, "prisoner_id": 36, "record_id": 64, "purpose": 200, "detail": 4000}
FIELDS = ("at", "action", "actor_id", "prisoner_id", "record_id", "purpose", "detail")


class Action(StrEnum):
    CREATE = "create"
    READ = "read"
    DECISION = "decision"
    EXPORT = "export"
    ERASE = "erase"
    SIGN_IN = "sign_in"
    SIGN_OUT = "sign_out"
    SIGN_IN_FAILED = "sign_in_failed"
    ADMIN_CHANGE = "admin_change"
    # Data protection (issue 12).
    DISCLOSE = "disclose"  # a subject-access report produced
    HOLD = "hold"  # a legal hold placed or released
    RESTRICT = "restrict"  # a restriction placed or lifted, a restricted record opened
    REVIEW = "review"  # a review decision: extend, anonymise or erase now


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    rows_checked: int
    first_broken_seq: int | None
    reason: str


# --- hashing -------------------------------------------------------------------------------


def _iso(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="microseconds")


# Canonical JSON: sorted keys, no whitespace, non-ASCII as \u escapes. Built once: hot path.
_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"))


def _canonical(data: dict[str, Any]) -> bytes:
    return _ENCODER.encode(data).encode()


def row_hash(row: Mapping[str, Any]) -> str:
    """SHA-256 hex of the canonical JSON of a row's content (everything but its own hash)."""
    return hashlib.sha256(_canonical({
        "seq": row["seq"], "at": _iso(row["at"]), "actor_id": row["actor_id"],
        "action": row["action"], "prisoner_id": row["prisoner_id"],
        "record_id": row["record_id"], "purpose": row["purpose"], "detail": row["detail"],
        "prev_hash": row["prev_hash"],
    })).hexdigest()


def _checked(entry: dict[str, Any]) -> dict[str, Any]:
    """One entry's fields, refused here rather than stored in a form the hash does not match
    (PostgreSQL would reject an over-long string; SQLite would keep it)."""
    if unknown := set(entry) - set(FIELDS):
        raise ValueError(f"unknown audit fields: {sorted(unknown)}")
    at = entry.get("at")
    if not isinstance(at, datetime) or at.tzinfo is None:
        raise ValueError("audit time must be a timezone-aware datetime")
    row = {name: entry.get(name) for name in FIELDS}
    row["at"] = at.astimezone(UTC)
    row["action"] = Action(entry.get("action")).value  # ValueError for an unknown action
    for name, limit in LIMITS.items():
        if row[name] is not None and (not isinstance(row[name], str) or len(row[name]) > limit):
            raise ValueError(f"audit {name} must be text of at most {limit} characters")
    return row


# --- appending -----------------------------------------------------------------------------


_GREW = "audit_chain_grew"  # a key of Session.info


def _chain(db: Session, entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Lock the head, give each entry its seq and hashes, and advance the head past them.
    FOR UPDATE makes concurrent PostgreSQL writers queue here; on SQLite every transaction
    already holds the write lock from BEGIN IMMEDIATE (app/db.py)."""
    rows = [_checked(entry) for entry in entries]
    seq, prev = db.execute(select(AuditHead.seq, AuditHead.row_hash)
                           .where(AuditHead.id == HEAD_ID).with_for_update()).one()
    for row in rows:
        seq += 1
        row["seq"], row["prev_hash"] = seq, prev
        row["row_hash"] = prev = row_hash(row)
    db.execute(update(AuditHead).where(AuditHead.id == HEAD_ID).values(seq=seq, row_hash=prev))
    db.info[_GREW] = True
    return rows


def grew(db: Session) -> bool:
    """Whether this session's transaction appended to the chain (its head must be signed once
    the transaction commits: runtime.transaction does that)."""
    return bool(db.info.get(_GREW))


def append(db: Session, *, at: datetime, action: str, actor_id: str | None,
           prisoner_id: str | None = None, record_id: str | None = None,
           purpose: str | None = None, detail: str | None = None) -> AuditEntry:
    """Add one row to the chain in the caller's transaction (the caller commits)."""
    (row,) = _chain(db, [{"at": at, "action": action, "actor_id": actor_id,
                          "prisoner_id": prisoner_id, "record_id": record_id,
                          "purpose": purpose, "detail": detail}])
    entry = AuditEntry(**row)
    db.add(entry)
    db.flush()  # a clash on seq surfaces here, at the call, not at some later commit
    return entry


def record_change(db: Session, *, at: datetime, actor_id: str | None, change: str, subject: str,
                  before: Mapping[str, Any] | None, after: Mapping[str, Any] | None,
                  prisoner_id: str | None = None) -> AuditEntry:
    """An administrator's write: `change` is its code (e.g. "user.create"), `subject` the id of
    what changed, before and after its fields (None when it did not exist, or no longer does).
    Codes and values, no sentence: the audit viewer says what it means in the reader's language.
    Only what an administrator may see goes in: never observation content."""
    detail = _ENCODER.encode({"change": change, "before": before, "after": after})
    return append(db, at=at, action=Action.ADMIN_CHANGE, actor_id=actor_id,
                  prisoner_id=prisoner_id, record_id=subject[:64], detail=detail)


def change_of(entry_detail: str | None) -> dict[str, Any] | None:
    """record_change's detail read back ({"change", "before", "after"}); None for other rows."""
    try:
        body = json.loads(entry_detail or "")
    except ValueError:
        return None
    return body if isinstance(body, dict) and isinstance(body.get("change"), str) else None


def append_many(db: Session, entries: list[dict[str, Any]]) -> None:
    """Add a batch under one head lock with one bulk insert; each dict takes append's keywords."""
    if entries:
        db.execute(insert(AuditEntry), _chain(db, entries))


# --- the signed head -----------------------------------------------------------------------


def load_key(keys_dir: Path) -> bytes:
    """The HMAC key: base64 in WINGWATCH_AUDIT_HMAC_KEY, else keys_dir/audit/head.key (made
    on first use). Never in the database, so whoever can rewrite the tables cannot re-sign."""
    if encoded := os.environ.get(KEY_ENV):
        try:
            key = base64.b64decode(encoded, validate=True)
        except binascii.Error as error:
            raise ValueError(f"{KEY_ENV} is not base64") from error
        if len(key) < KEY_BYTES:
            raise ValueError(f"{KEY_ENV} must hold at least {KEY_BYTES} bytes")
        return key
    path = keys_dir / "audit" / "head.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, temp = tempfile.mkstemp(dir=path.parent)  # 0600
        with os.fdopen(fd, "wb") as handle:
            handle.write(secrets.token_bytes(KEY_BYTES))
        try:
            # link, not replace: two processes starting at once must end up with one key
            os.link(temp, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(temp)
    key = path.read_bytes()
    if len(key) != KEY_BYTES:
        raise ValueError(f"{path} does not hold a {KEY_BYTES}-byte key")
    return key


def _mac(key: bytes, head: dict[str, Any]) -> str:
    body = {name: head[name] for name in ("seq", "row_hash", "signed_at")}
    return hmac.new(key, _canonical(body), hashlib.sha256).hexdigest()


def _read_signed(path: Path, key: bytes) -> tuple[dict[str, Any] | None, str]:
    """The signed head and "" if it is genuine, else None and what is wrong with it."""
    try:
        head = json.loads(path.read_text())
        good = isinstance(head["seq"], int) and hmac.compare_digest(str(head["hmac"]),
                                                                     _mac(key, head))
    except FileNotFoundError:
        return None, f"the signed head file {path} is missing"
    except (ValueError, TypeError, KeyError):
        return None, f"the signed head file {path} is unreadable"
    if not good:
        return None, "the signed head file's HMAC is invalid (forged, or signed with another key)"
    return head, ""


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    with open(path.with_name(path.name + ".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def write_signed_head(db: Session, path: Path, key: bytes, *,
                      now: datetime | None = None) -> dict[str, Any]:
    """Sign the committed head into `path`. Call after the appending transaction commits: a file
    signed before would vouch for rows a rollback may remove. The file never moves backwards, so
    two workers finishing batches out of order cannot rewind it."""
    seq, digest = db.execute(select(AuditHead.seq, AuditHead.row_hash)
                             .where(AuditHead.id == HEAD_ID)).one()
    head: dict[str, Any] = {"seq": seq, "row_hash": digest, "signed_at": _iso(now or utc_now())}
    head["hmac"] = _mac(key, head)
    path.parent.mkdir(parents=True, exist_ok=True)
    with _locked(path):
        current, _ = _read_signed(path, key)
        if current is not None and current["seq"] > seq:
            return current
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=path.name)
        try:
            with os.fdopen(fd, "w") as handle:
                json.dump(head, handle)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, path)  # readers see the old file or the new, never half of one
        except BaseException:
            os.unlink(temp)
            raise
    return head


# --- verifying -----------------------------------------------------------------------------

_COLUMNS = [getattr(AuditEntry, name) for name in ("seq", *FIELDS, "prev_hash", "row_hash")]


def _batch(db: Session, after: int, limit: int) -> tuple[list[Any], Any]:
    """The next rows after seq `after`, and audit_head as of the same moment, in one short read
    transaction (keyset paging keeps memory flat at any length). Short, because on SQLite it
    holds the write lock (BEGIN IMMEDIATE) and would hold up every writer for a whole walk."""
    if db.get_bind().dialect.name == "postgresql":
        # one snapshot for both statements, so the rows and the head agree
        db.connection(execution_options={"isolation_level": "REPEATABLE READ"})
    try:
        rows = db.execute(select(*_COLUMNS).where(AuditEntry.seq > after)
                          .order_by(AuditEntry.seq).limit(limit)).all()
        head = db.execute(select(AuditHead.seq, AuditHead.row_hash)
                          .where(AuditHead.id == HEAD_ID)).one_or_none()
    finally:
        db.rollback()
    return rows, head


def _broken_row(row: Any, seq: int, prev: str) -> str:
    """What is wrong with `row` coming after row `seq` (hash `prev`), or ""."""
    if row.seq != seq + 1:
        return f"row {seq + 1} is missing (row {seq} is followed by row {row.seq})"
    try:
        digest = row_hash(row._mapping)
    except (TypeError, ValueError, AttributeError):  # e.g. a time that is not a time any more
        digest = None
    if digest != row.row_hash:
        return f"row {row.seq} was changed: its content does not match its hash"
    if row.prev_hash != prev:
        return f"row {row.seq} does not follow row {seq}: its previous-row hash differs"
    return ""


def verify(db: Session, key: bytes, head_path: Path) -> VerifyResult:
    """Walk the whole chain, then compare its end with audit_head and the signed head file.

    Give it a session with no transaction open: it reads in short transactions of its own, so
    appends can go on meanwhile. The file is read first, so that it cannot vouch for a row
    appended after the walk ended."""
    if db.in_transaction():
        raise ValueError("verify reads in transactions of its own; pass an idle session")
    signed, signed_problem = _read_signed(head_path, key)
    seq, prev, at_signed, limit = 0, GENESIS_HASH, GENESIS_HASH, VERIFY_BATCH
    while True:
        try:
            rows, head = _batch(db, seq, limit)
        except (TypeError, ValueError) as error:  # a value the driver cannot even convert
            if limit > 1:
                limit = 1  # find the unreadable row: re-read one row at a time
                continue
            return VerifyResult(False, seq, seq + 1,
                                f"the row after row {seq} cannot be read ({error})")
        for row in rows:
            if problem := _broken_row(row, seq, prev):
                return VerifyResult(False, seq, seq + 1, problem)
            seq, prev = row.seq, row.row_hash
            if signed is not None and seq == signed["seq"]:
                at_signed = prev
        if len(rows) < limit:
            break  # `head` was read with the last rows, so it must point at row `seq`
    if head is None:
        return VerifyResult(False, seq, None, "the audit_head row is missing")
    if head.seq != seq:
        return VerifyResult(False, seq, min(head.seq, seq) + 1, (
            f"audit_head is at row {head.seq} but the log ends at row {seq}"))
    if head.row_hash != prev:
        return VerifyResult(False, seq, seq, f"audit_head's hash differs from row {seq}'s")
    if signed is None:
        # An empty log has nothing to truncate; otherwise no file means no check of the tail.
        return VerifyResult(seq == 0, seq, None, signed_problem if seq else "")
    if signed["seq"] > seq:
        return VerifyResult(False, seq, seq + 1, (
            f"rows {seq + 1} to {signed['seq']} are missing: the head signed at "
            f"{signed['signed_at']} vouches for row {signed['seq']}, the log ends at row {seq}"))
    if at_signed != signed["row_hash"]:
        return VerifyResult(False, seq, signed["seq"], (
            f"row {signed['seq']} is not the row the head signed at {signed['signed_at']} "
            "vouches for (rewritten from there on)"))
    return VerifyResult(True, seq, None, "")
