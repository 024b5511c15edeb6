"""Signing keys for bearer tokens, kept as PEM files under the data directory (never in git).

A token's `kid` is looked up only here; an unknown kid is an invalid token.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey


@dataclass(frozen=True)
class KeyRing:
    current_kid: str
    keys: dict[str, RSAPrivateKey]

    @property
    def current(self) -> RSAPrivateKey:
        return self.keys[self.current_kid]


def _write_private(path: Path, key: RSAPrivateKey) -> None:
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)


def rotate(directory: Path) -> str:
    """Make a new signing key and make it current; older keys stay to verify live tokens."""
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    kid = secrets.token_hex(8)
    _write_private(directory / f"{kid}.pem", rsa.generate_private_key(65537, 3072))
    (directory / "current").write_text(kid)
    return kid


def load(directory: Path) -> KeyRing:
    """The key ring on disk, created with one key on first use."""
    if not (directory / "current").exists():
        rotate(directory)
    keys = {
        path.stem: serialization.load_pem_private_key(path.read_bytes(), password=None)
        for path in sorted(directory.glob("*.pem"))
    }
    current = (directory / "current").read_text().strip()
    return KeyRing(current_kid=current, keys=keys)  # type: ignore[arg-type]
