"""The server's keys as an administrator sees them (issue 11 item 7): each key's id, when it was
made and what it is used for, never its material; and rotation from the page, through the same
functions as `app.cli rotate-*`, audited.

Running workers pick a rotated key up by themselves (app/reloading.py).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path

from sqlalchemy.orm import Session

from app.i18n.messages import N_
from app.services import audit, fieldcrypt, keyfiles, keyring, sealing
from app.services.accounts import Identity
from app.vocabulary import Role


class KeyKind(StrEnum):
    TOKEN = "token"  # signs bearer tokens (app/services/keyring.py)
    DATA = "data"  # encrypts free text at rest (fieldcrypt.py)
    SEALING = "sealing"  # tablets seal waiting entries to it (sealing.py)
    AUDIT = "audit"  # signs the audit log's head (audit.py)


class KeyUse(StrEnum):
    CURRENT = "current"  # signs / encrypts / is handed to tablets now
    RETIRING = "retiring"  # rotated out, still verifies or opens until `until`
    EXPIRED = "expired"  # past its grace: deleted at the next load
    OLDER = "older"  # a data key kept to decrypt values not yet re-encrypted


ROTATABLE = (KeyKind.TOKEN, KeyKind.DATA, KeyKind.SEALING)
DIRECTORIES = {KeyKind.TOKEN: "jwt", KeyKind.DATA: "data", KeyKind.SEALING: "sealing",
               KeyKind.AUDIT: "audit"}


class KeyRefused(Exception):
    """A rotation that was not made; `message` is a message id, `code` for programs."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


@dataclass(frozen=True)
class KeyInfo:
    kind: KeyKind
    kid: str
    use: KeyUse
    created: datetime | None  # None: the key comes from the environment
    until: datetime | None = None  # a retiring key's last moment
    from_environment: bool = False


@dataclass(frozen=True)
class Rotated:
    kind: KeyKind
    kid: str
    reencrypted: int = 0  # data keys: values moved to the new key


def _require_admin(who: Identity) -> None:
    if who.role != Role.ADMIN:
        raise KeyRefused("forbidden", N_("Only administrators may do this."))


def _made(path: Path) -> datetime:
    # Key files are written once and never changed, so their mtime is when they were made.
    return datetime.fromtimestamp(path.stat().st_mtime, UTC)


def _ring(kind: KeyKind, directory: Path, now: datetime, grace: timedelta) -> list[KeyInfo]:
    """Token or sealing keys: PEM files, a `current` pointer, retired.json."""
    if not (directory / "current").exists():
        return []
    current = (directory / "current").read_text().strip()
    retired = keyfiles.read_retired(directory)
    result = []
    for path in sorted(directory.glob("*.pem"), key=_made, reverse=True):
        kid = path.stem
        if kid == current:
            result.append(KeyInfo(kind, kid, KeyUse.CURRENT, _made(path)))
        elif kid in retired:
            until = retired[kid] + grace
            use = KeyUse.EXPIRED if now > until else KeyUse.RETIRING
            result.append(KeyInfo(kind, kid, use, _made(path), until))
    return result


def _data_keys(directory: Path) -> list[KeyInfo]:
    if fieldcrypt.keys_from_env():
        cipher = fieldcrypt.load_cipher()
        return [KeyInfo(KeyKind.DATA, kid,
                        KeyUse.CURRENT if kid == cipher.current_kid else KeyUse.OLDER,
                        None, from_environment=True) for kid in sorted(cipher.keys)]
    if not (directory / "current").exists():
        return []
    current = (directory / "current").read_text().strip()
    return [KeyInfo(KeyKind.DATA, path.stem,
                    KeyUse.CURRENT if path.stem == current else KeyUse.OLDER, _made(path))
            for path in sorted(directory.glob("*.key"), key=_made, reverse=True)]


def _audit_key(keys_dir: Path) -> list[KeyInfo]:
    """The head's HMAC key has no id of its own: it is named by the first 16 hex digits of its
    SHA-256, which tells two keys apart and says nothing about the key."""
    path = keys_dir / "audit" / "head.key"
    from_env = bool(os.environ.get(audit.KEY_ENV))
    if not from_env and not path.exists():
        return []
    key = audit.load_key(keys_dir)
    return [KeyInfo(KeyKind.AUDIT, hashlib.sha256(key).hexdigest()[:16], KeyUse.CURRENT,
                    None if from_env else _made(path), from_environment=from_env)]


def status(who: Identity, keys_dir: Path, now: datetime, token_grace: timedelta,
           sealing_grace: timedelta) -> list[KeyInfo]:
    """Every key, by kind, the newest first."""
    _require_admin(who)
    return [*_ring(KeyKind.TOKEN, keys_dir / "jwt", now, token_grace),
            *_data_keys(keys_dir / "data"),
            *_ring(KeyKind.SEALING, keys_dir / "sealing", now, sealing_grace),
            *_audit_key(keys_dir)]


def parse_kind(value: str) -> KeyKind:
    try:
        kind = KeyKind(value)
    except ValueError:
        raise KeyRefused("unknown_key_kind", N_("There is no such kind of key.")) from None
    if kind not in ROTATABLE:
        # Its head file would have to be re-signed by every worker at once; an operator
        # replaces it (docs/decisions.md).
        raise KeyRefused("not_rotatable", N_("The audit head key is not rotated from here."))
    return kind


def _current(directory: Path) -> str | None:
    path = directory / "current"
    return path.read_text().strip() if path.exists() else None


def rotate(db: Session, who: Identity, kind: KeyKind, keys_dir: Path, now: datetime) -> Rotated:
    """A new current key of `kind`, as `app.cli rotate-<kind>-key` makes it (data keys: every
    stored value re-encrypted to it in this transaction), and an audit row with the old and new
    kid. The key files change first: were the transaction to fail, the rotation stands (a
    rotation is never harmful) but is not in the log, so the row goes in before the commit."""
    _require_admin(who)
    directory = keys_dir / DIRECTORIES[kind]
    before = _current(directory)
    reencrypted = 0
    if kind is KeyKind.TOKEN:
        kid = keyring.rotate(directory, now)
    elif kind is KeyKind.SEALING:
        kid = sealing.rotate(directory, now)
    else:
        if fieldcrypt.keys_from_env():
            raise KeyRefused("keys_from_environment", N_(
                "Data keys come from the environment: add a key there, then re-encrypt."))
        kid = fieldcrypt.rotate(directory)
        reencrypted = fieldcrypt.reencrypt_all(db, fieldcrypt.load_cipher(directory))
    after: dict[str, object] = {"kid": kid}
    if kind is KeyKind.DATA:
        after["reencrypted"] = reencrypted
    audit.record_change(db, at=now, actor_id=who.user_id, change="key.rotate", subject=kind.value,
                        before={"kid": before}, after=after)
    return Rotated(kind, kid, reencrypted)

