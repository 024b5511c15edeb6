"""Encryption at rest for free text (design §4 item 8): AES-256-GCM with rotatable keys.

A stored value is "v1:<kid>:<b64url nonce>:<b64url ciphertext+tag>". The associated data binds
table, column, row id and kid, so a value copied to another row, column or table, or relabelled
with another kid, fails to decrypt instead of showing the wrong person's text.

Keys are 32 random bytes: from WINGWATCH_DATA_KEYS (JSON {"kid": "base64"}) with
WINGWATCH_DATA_KEY_CURRENT when set, else files under <keys_dir>/data (never in git), created on
first use. Rotation: `rotate`, then `reencrypt_all`, then `remove_key` once no row uses the old kid.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import re
import secrets
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.models import Addendum, LegalHold, Observation, ReviewEntry, ScreeningEvent
from app.settings import get_settings

VERSION = "v1"
KEY_BYTES = 32
NONCE_BYTES = 12
TAG_BYTES = 16
# Kids end up in file names and in the ":"-separated stored form: keep them to a safe alphabet.
KID_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,64}")
_B64URL = re.compile(r"[A-Za-z0-9_-]*")
ENV_KEYS, ENV_CURRENT = "WINGWATCH_DATA_KEYS", "WINGWATCH_DATA_KEY_CURRENT"

# (model, encrypted column, id) of every encrypted value; the AAD column name drops "_enc".
ENCRYPTED_COLUMNS = [
    (Observation, Observation.facts_enc, Observation.id),
    (Observation, Observation.assessment_enc, Observation.id),
    (Observation, Observation.flag_reason_enc, Observation.id),
    (Addendum, Addendum.text_enc, Addendum.id),
    (ScreeningEvent, ScreeningEvent.text_enc, ScreeningEvent.id),
    # issue 12 -- review list and legal holds: the reasons
    (ReviewEntry, ReviewEntry.reason_enc, ReviewEntry.id),
    (LegalHold, LegalHold.reason_enc, LegalHold.id),
]


class FieldCryptError(ValueError):
    """A value that cannot be decrypted (tampered, misplaced, unknown key, malformed) or bad
    key configuration. Messages never contain plaintext or key material."""


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    # Strict: only the canonical unpadded encoding is accepted, so one value has one spelling.
    if not _B64URL.fullmatch(text):
        raise FieldCryptError("malformed encrypted value: bad base64url")
    try:
        data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise FieldCryptError("malformed encrypted value: bad base64url") from None
    if _b64encode(data) != text:
        raise FieldCryptError("malformed encrypted value: non-canonical base64url")
    return data


def _aad(table: str, column: str, row_id: str, kid: str) -> bytes:
    parts = (table, column, str(row_id), kid)
    if any("\x1f" in part for part in parts):  # the separator must stay unambiguous
        raise FieldCryptError("table, column and row id may not contain \\x1f")
    return "\x1f".join(parts).encode("utf-8")


def kid_of(stored: str) -> str:
    """The key id of a stored value (also works on a prefix of at least 68 characters)."""
    parts = stored.split(":", 2) if isinstance(stored, str) else []
    if len(parts) < 3 or parts[0] != VERSION:
        raise FieldCryptError(f"malformed encrypted value: not a {VERSION} value")
    if not KID_PATTERN.fullmatch(parts[1]):
        raise FieldCryptError("malformed encrypted value: bad key id")
    return parts[1]


class FieldCipher:
    """Encrypts under the current key, decrypts under any key it holds."""

    def __init__(self, keys: dict[str, bytes], current_kid: str) -> None:
        for kid, key in keys.items():
            if not KID_PATTERN.fullmatch(kid):
                raise FieldCryptError(f"bad data key id {kid!r}: use letters, digits, _ or -")
            if len(key) != KEY_BYTES:
                raise FieldCryptError(f"data key {kid} is {len(key)} bytes, not {KEY_BYTES}")
        if current_kid not in keys:
            raise FieldCryptError(f"current data key {current_kid!r} is not among the keys")
        self.keys = dict(keys)
        self.current_kid = current_kid
        self._aead = {kid: AESGCM(key) for kid, key in keys.items()}

    def __repr__(self) -> str:  # never the key bytes, e.g. in a traceback or log line
        return f"FieldCipher(current_kid={self.current_kid!r}, kids={sorted(self.keys)!r})"

    def encrypt(self, plaintext: str, *, table: str, column: str, row_id: str) -> str:
        kid = self.current_kid
        nonce = secrets.token_bytes(NONCE_BYTES)
        sealed = self._aead[kid].encrypt(nonce, plaintext.encode("utf-8"),
                                         _aad(table, column, row_id, kid))
        return f"{VERSION}:{kid}:{_b64encode(nonce)}:{_b64encode(sealed)}"

    def decrypt(self, stored: str, *, table: str, column: str, row_id: str) -> str:
        kid = kid_of(stored)
        parts = stored.split(":")
        if len(parts) != 4:
            raise FieldCryptError("malformed encrypted value: expected 4 ':'-separated parts")
        nonce, sealed = _b64decode(parts[2]), _b64decode(parts[3])
        if len(nonce) != NONCE_BYTES or len(sealed) < TAG_BYTES:
            raise FieldCryptError("malformed encrypted value: wrong nonce or ciphertext length")
        aead = self._aead.get(kid)
        if aead is None:
            raise FieldCryptError(f"unknown data key {kid} (removed, or from another server)")
        try:
            plain = aead.decrypt(nonce, sealed, _aad(table, column, row_id, kid))
            return plain.decode("utf-8")
        except (InvalidTag, UnicodeDecodeError):
            raise FieldCryptError(f"{table}.{column} of row {row_id} does not authenticate: "
                                  "altered, or copied from another row or column") from None


# --- keys -------------------------------------------------------------------------------------

def default_directory() -> Path:
    return get_settings().keys_dir / "data"


def keys_from_env() -> bool:
    return bool(os.environ.get(ENV_KEYS))


def _cipher_from_env() -> FieldCipher:
    try:
        raw = json.loads(os.environ[ENV_KEYS])
        if not isinstance(raw, dict):
            raise ValueError
        keys = {kid: base64.b64decode(value, validate=True) for kid, value in raw.items()}
    except (ValueError, TypeError, binascii.Error):
        raise FieldCryptError(f"{ENV_KEYS} must be a JSON object {{kid: base64 key}}") from None
    current = os.environ.get(ENV_CURRENT, "")
    if not current:
        raise FieldCryptError(f"{ENV_CURRENT} must name the key to encrypt with")
    return FieldCipher(keys, current)


def _write_new(path: Path, data: bytes) -> None:
    # O_EXCL: never overwrite a key; 0600 from creation, not chmod after.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def _write_current(directory: Path, kid: str) -> None:
    # Replace atomically so a server starting at the same moment never reads an empty file.
    tmp = directory / f".current.{secrets.token_hex(4)}"
    tmp.write_text(kid)
    os.replace(tmp, directory / "current")


def rotate(directory: Path) -> str:
    """Make a new data key and make it current; older keys stay to decrypt existing values."""
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    kid = secrets.token_hex(8)
    _write_new(directory / f"{kid}.key", base64.b64encode(secrets.token_bytes(KEY_BYTES)))
    _write_current(directory, kid)
    return kid


def load_cipher(directory: Path | None = None) -> FieldCipher:
    """The cipher: from the environment when WINGWATCH_DATA_KEYS is set (the directory is then
    not used), else the key files in `directory` (default <keys_dir>/data), made on first use."""
    if keys_from_env():
        return _cipher_from_env()
    directory = directory or default_directory()
    if not (directory / "current").exists():
        rotate(directory)
    keys: dict[str, bytes] = {}
    for path in sorted(directory.glob("*.key")):
        try:
            keys[path.stem] = base64.b64decode(path.read_bytes().strip(), validate=True)
        except (binascii.Error, ValueError):
            raise FieldCryptError(f"data key file {path.name} is not base64") from None
    return FieldCipher(keys, (directory / "current").read_text().strip())


def remove_key(directory: Path, kid: str) -> None:
    """Delete a retired key file. Callers check first that no value uses it (keys_in_use)."""
    if not KID_PATTERN.fullmatch(kid):  # also stops "../" from reaching outside the directory
        raise FieldCryptError(f"bad data key id {kid!r}")
    if (directory / "current").read_text().strip() == kid:
        raise FieldCryptError(f"{kid} is the current data key; rotate before removing it")
    path = directory / f"{kid}.key"
    if not path.exists():
        raise FieldCryptError(f"no data key {kid}")
    path.unlink()


# --- re-encryption ------------------------------------------------------------------------------

def _context(model, column) -> tuple[str, str]:
    return model.__tablename__, column.key.removesuffix("_enc")


def reencrypt_all(db: Session, cipher: FieldCipher, batch_size: int = 500) -> int:
    """Move every value not under the current key to it; returns how many changed. Runs in the
    caller's transaction and stops at the first value that does not decrypt. Bulk UPDATEs do
    not refresh objects already loaded in `db`."""
    prefix = f"{VERSION}:{cipher.current_kid}:"
    changed = 0
    for model, column, id_attr in ENCRYPTED_COLUMNS:
        table, name = _context(model, column)
        last = None
        while True:
            query = (select(id_attr, column)
                     .where(column.is_not(None), ~column.startswith(prefix, autoescape=True))
                     .order_by(id_attr).limit(batch_size))
            if last is not None:  # keyset paging: never re-reads a row, whatever happens to it
                query = query.where(id_attr > last)
            rows = db.execute(query).all()
            if not rows:
                break
            db.execute(update(model), [
                {id_attr.key: row_id,
                 column.key: cipher.encrypt(
                     cipher.decrypt(value, table=table, column=name, row_id=str(row_id)),
                     table=table, column=name, row_id=str(row_id))}
                for row_id, value in rows
            ])
            changed += len(rows)
            last = rows[-1][0]
    return changed


def keys_in_use(db: Session) -> set[str]:
    """Every kid some stored value is encrypted under."""
    kids: set[str] = set()
    for _model, column, _id in ENCRYPTED_COLUMNS:
        # Only the head of each value: the kid is in its first 68 characters.
        head = func.substr(column, 1, 80)
        for (value,) in db.execute(select(head).where(column.is_not(None))
                                   .execution_options(yield_per=1000)):
            kids.add(kid_of(value))
    return kids
