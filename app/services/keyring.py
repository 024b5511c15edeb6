"""Signing keys for bearer tokens, kept as PEM files under the data directory (never in git).

A token's `kid` is looked up only here; an unknown kid is an invalid token. A rotated-out key
keeps verifying for the grace period (`token_key_grace_hours`), then stops, and the next load
deletes its file: a leaked old key is good for no longer than that.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey

from app.services import keyfiles
from app.settings import get_settings


@dataclass(frozen=True)
class KeyRing:
    current_kid: str
    keys: dict[str, RSAPrivateKey]
    retired: dict[str, datetime] = field(default_factory=dict)  # kid -> when it was rotated out
    grace: timedelta = timedelta(0)

    @property
    def current(self) -> RSAPrivateKey:
        return self.keys[self.current_kid]

    def verifying_key(self, kid: str, now: datetime) -> RSAPrivateKey | None:
        """The key that may verify a token of this kid now: a server runs for weeks after a
        rotation, so a retired key's grace is checked at every use, not only at load."""
        if keyfiles.expired(kid, self.current_kid, self.retired, now, self.grace):
            return None
        return self.keys.get(kid)


def rotate(directory: Path, now: datetime) -> str:
    """Make a new signing key current; the old one verifies its tokens for the grace period."""
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    kid = secrets.token_hex(8)
    pem = rsa.generate_private_key(65537, 3072).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption())
    keyfiles.write_private(directory / f"{kid}.pem", pem)
    keyfiles.make_current(directory, kid, now)
    return kid


def load(directory: Path, now: datetime) -> KeyRing:
    """The key ring on disk (created with one key on first use), without keys retired longer
    than the grace period; their files are deleted."""
    if not (directory / "current").exists():
        rotate(directory, now)
    current = (directory / "current").read_text().strip()
    grace = timedelta(hours=get_settings().token_key_grace_hours)
    retired = keyfiles.read_retired(directory)
    keys: dict[str, RSAPrivateKey] = {}
    for path in sorted(directory.glob("*.pem")):
        if keyfiles.expired(path.stem, current, retired, now, grace):
            path.unlink(missing_ok=True)  # missing_ok: another worker may be loading too
            continue
        keys[path.stem] = serialization.load_pem_private_key(  # type: ignore[assignment]
            path.read_bytes(), password=None)
    return KeyRing(current_kid=current, keys=keys, retired=retired, grace=grace)
