"""Sealing keys: entries waiting on a tablet are encrypted to the server's public key
(design §4 item 8), so a lost tablet does not leak them.

An envelope is a JWE compact serialization, alg RSA-OAEP-256, enc A256GCM, with a `kid` header:
what a page can make with WebCrypto alone. Keys are RSA 2048 (opening must reach ≥1000 items/s
on 2 cores; 2048 is acceptable to 2030, NIST SP 800-57) kept as PEM files under
<keys_dir>/sealing (never in git). A rotated-out key stays for `sealing_key_grace_days`, for
entries sealed before the tablet fetched the new key, and is then deleted.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from joserfc import jwe
from joserfc.errors import JoseError
from joserfc.jwk import RSAKey

from app.services import keyfiles
from app.settings import get_settings

ALG, ENC = "RSA-OAEP-256", "A256GCM"
KEY_BITS = 2048
# Only our one pair is allowed: no "dir", no RSA1_5 (padding oracle), no compression.
_REGISTRY = jwe.JWERegistry(algorithms=[ALG, ENC])
_B64URL = re.compile(r"[A-Za-z0-9_-]+")
_KID = re.compile(r"[A-Za-z0-9_-]{1,64}")
MAX_TOKEN = 100_000  # characters; a full entry (4000-character facts) is well under 30 000


class SealError(ValueError):
    """A sealed entry that cannot be opened; the message says why, in words."""


@dataclass(frozen=True)
class SealingRing:
    current_kid: str
    keys: dict[str, RSAKey] = field(repr=False)

    def public_jwk(self) -> dict[str, Any]:
        public = self.keys[self.current_kid].as_dict(private=False)
        return {"kty": "RSA", "n": public["n"], "e": public["e"], "kid": self.current_kid,
                "alg": ALG, "use": "enc"}

    def unseal(self, token: str) -> dict[str, Any]:
        """The payload object of a sealed entry, or SealError."""
        kid = _checked_header(token)["kid"]
        key = self.keys.get(kid)
        if key is None:
            kid = kid if _KID.fullmatch(kid) else "(malformed kid)"  # never echo junk at length
            raise SealError(f"sealed to key {kid}, which this server does not have (unknown, or "
                            "retired longer ago than the grace period); fetch the current key")
        try:
            plaintext = jwe.decrypt_compact(token, key, registry=_REGISTRY).plaintext
        # joserfc reports most failures as JoseError; a few malformed inputs surface as
        # ValueError/TypeError/AssertionError from its parsing or from cryptography.
        except (JoseError, InvalidTag, ValueError, TypeError, KeyError, AssertionError):
            raise SealError("sealed entry does not decrypt: altered, or not sealed to "
                            f"key {kid}") from None
        try:
            payload = json.loads((plaintext or b"").decode("utf-8"))
        # RecursionError: JSON nested deeper than the parser goes; no entry looks like that.
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise SealError("sealed entry does not contain JSON") from None
        if not isinstance(payload, dict):
            raise SealError("sealed entry must contain a JSON object")
        return payload


def _checked_header(token: object) -> dict[str, Any]:
    # Checked before any RSA work, so junk costs nothing and every refusal has a clear reason.
    if not isinstance(token, str):
        raise SealError("sealed entry must be a string (JWE compact serialization)")
    if len(token) > MAX_TOKEN:
        raise SealError(f"sealed entry is longer than {MAX_TOKEN} characters")
    parts = token.split(".")
    if len(parts) != 5:
        raise SealError(f"not a JWE compact serialization: {len(parts)} parts instead of 5")
    # Every part non-empty (except the ciphertext of an empty plaintext) and of a length
    # base64url can have.
    if not all((_B64URL.fullmatch(part) or (i == 3 and not part)) and len(part) % 4 != 1
               for i, part in enumerate(parts)):
        raise SealError("not a JWE compact serialization: a part is empty or not base64url")
    try:
        header = json.loads(base64.urlsafe_b64decode(parts[0] + "=" * (-len(parts[0]) % 4)))
    except (binascii.Error, ValueError):
        raise SealError("JWE header is not base64url-encoded JSON") from None
    if not isinstance(header, dict):
        raise SealError("JWE header is not a JSON object")
    if header.get("alg") != ALG or header.get("enc") != ENC:
        raise SealError(f"JWE must use alg {ALG} and enc {ENC}, not "
                        f"{header.get('alg')!r}/{header.get('enc')!r}")
    if "zip" in header:
        raise SealError("compressed JWE is not accepted")
    if not isinstance(header.get("kid"), str) or not header["kid"]:
        raise SealError("JWE header has no kid")
    return header


def seal(payload: dict[str, Any], public_jwk: dict[str, Any]) -> str:
    """What a tablet sends: the payload sealed to the server's public JWK (tests, benchmarks)."""
    header = {"alg": ALG, "enc": ENC, "kid": public_jwk["kid"]}
    plaintext = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return jwe.encrypt_compact(header, plaintext, RSAKey.import_key(public_jwk),
                               registry=_REGISTRY)


# --- key files ----------------------------------------------------------------------------------

def rotate(directory: Path, now: datetime) -> str:
    """Make a new current key; the old one is marked retired at `now` and kept for the grace."""
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    kid = secrets.token_hex(8)
    pem = rsa.generate_private_key(65537, KEY_BITS).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption())
    keyfiles.write_private(directory / f"{kid}.pem", pem)
    keyfiles.make_current(directory, kid, now)
    return kid


def load_ring(directory: Path, now: datetime) -> SealingRing:
    """The ring on disk (created on first use), without keys retired longer than the grace;
    those files are deleted, so entries sealed to them can never be opened again."""
    if not (directory / "current").exists():
        rotate(directory, now)
    current = (directory / "current").read_text().strip()
    grace = timedelta(days=get_settings().sealing_key_grace_days)
    retired = keyfiles.read_retired(directory)
    keys: dict[str, RSAKey] = {}
    for path in sorted(directory.glob("*.pem")):
        kid = path.stem
        if not _KID.fullmatch(kid):
            continue
        if keyfiles.expired(kid, current, retired, now, grace):
            path.unlink(missing_ok=True)  # missing_ok: another worker may be loading too
            continue
        keys[kid] = RSAKey.import_key(path.read_bytes(),
                                      parameters={"kid": kid, "alg": ALG, "use": "enc"})
    if current not in keys:
        raise RuntimeError(f"current sealing key {current} has no key file in {directory}")
    return SealingRing(current_kid=current, keys=keys)
