"""Sealed tablet entries: JWE RSA-OAEP-256 + A256GCM, key rotation with a grace period, and
every malformed or altered envelope refused with SealError (never another exception)."""

from __future__ import annotations

import base64
import json
import os
import random
import stat
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicNumbers
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from joserfc import jwe
from joserfc.jwk import RSAKey

from app.services.sealing import SealError, SealingRing, load_ring, rotate, seal
from app.settings import get_settings

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
PAYLOAD = {"prisoner_id": "p-1", "facts": 'Said "ništa" to the visitor 🙂', "indicators": ["2.1"],
           "flag": False}


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@pytest.fixture(scope="module")
def ring(tmp_path_factory) -> SealingRing:
    return load_ring(tmp_path_factory.mktemp("keys") / "sealing", NOW)


@pytest.fixture(scope="module")
def token(ring) -> str:
    return seal(PAYLOAD, ring.public_jwk())


def with_header(token: str, **changes) -> str:
    """The token with its protected header changed (the tag no longer matches either)."""
    header = json.loads(unb64(token.split(".")[0]))
    header.update(changes)
    header = {key: value for key, value in header.items() if value is not None}
    return ".".join([b64(json.dumps(header).encode()), *token.split(".")[1:]])


def sealed_bytes(ring: SealingRing, plaintext: bytes) -> str:
    """A correctly sealed envelope around arbitrary bytes (not necessarily JSON)."""
    return jwe.encrypt_compact({"alg": "RSA-OAEP-256", "enc": "A256GCM", "kid": ring.current_kid},
                               plaintext, RSAKey.import_key(ring.public_jwk()),
                               algorithms=["RSA-OAEP-256", "A256GCM"])


def test_round_trip_and_public_key(ring, token):
    assert ring.unseal(token) == PAYLOAD
    jwk = ring.public_jwk()
    assert jwk["kty"] == "RSA" and jwk["kid"] == ring.current_kid
    assert jwk["alg"] == "RSA-OAEP-256" and jwk["use"] == "enc"
    assert set(jwk) == {"kty", "n", "e", "kid", "alg", "use"}  # nothing private
    assert len(unb64(jwk["n"])) * 8 == 2048
    assert json.loads(unb64(token.split(".")[0])) == {
        "alg": "RSA-OAEP-256", "enc": "A256GCM", "kid": ring.current_kid}


def test_an_envelope_made_the_webcrypto_way_opens(ring):
    """Built with primitives only, as page code does with crypto.subtle: RSA-OAEP/SHA-256 wraps
    a random AES-256 key; AES-GCM (96-bit IV, 128-bit tag) with the header's base64url as AAD."""
    jwk = ring.public_jwk()
    public = RSAPublicNumbers(int.from_bytes(unb64(jwk["e"])),
                              int.from_bytes(unb64(jwk["n"]))).public_key()
    header = b64(json.dumps({"kid": jwk["kid"], "enc": "A256GCM", "alg": "RSA-OAEP-256"}).encode())
    cek, iv = os.urandom(32), os.urandom(12)
    wrapped = public.encrypt(cek, padding.OAEP(padding.MGF1(hashes.SHA256()), hashes.SHA256(),
                                               None))
    sealed = AESGCM(cek).encrypt(iv, json.dumps(PAYLOAD).encode(), header.encode("ascii"))
    token = ".".join([header, b64(wrapped), b64(iv), b64(sealed[:-16]), b64(sealed[-16:])])
    assert ring.unseal(token) == PAYLOAD


def test_key_files_and_rotation_with_grace_period(tmp_path):
    directory = tmp_path / "sealing"
    first = load_ring(directory, NOW)
    pem = directory / f"{first.current_kid}.pem"
    assert stat.S_IMODE(pem.stat().st_mode) == 0o600
    assert load_ring(directory, NOW).current_kid == first.current_kid  # loaded, not made again
    old_token = seal(PAYLOAD, first.public_jwk())

    rotated_at = NOW + timedelta(days=3)
    new_kid = rotate(directory, rotated_at)
    assert json.loads((directory / "retired.json").read_text()) == {
        first.current_kid: rotated_at.isoformat()}
    grace = timedelta(days=get_settings().sealing_key_grace_days)

    during = load_ring(directory, rotated_at + grace)
    assert during.current_kid == new_kid and during.public_jwk()["kid"] == new_kid
    assert during.unseal(old_token) == PAYLOAD  # a tablet that sealed before the rotation
    assert during.unseal(seal(PAYLOAD, during.public_jwk())) == PAYLOAD

    after = load_ring(directory, rotated_at + grace + timedelta(seconds=1))
    with pytest.raises(SealError, match="does not have"):
        after.unseal(old_token)
    assert not pem.exists()  # the expired key is destroyed, not merely unused
    with pytest.raises(SealError):
        load_ring(directory, rotated_at).unseal(old_token)
    # The current key is never dropped, however old.
    far = load_ring(directory, rotated_at + 100 * grace)
    assert far.unseal(seal(PAYLOAD, far.public_jwk())) == PAYLOAD


def test_unknown_or_missing_kid(ring, token, tmp_path):
    other = load_ring(tmp_path / "other", NOW)
    with pytest.raises(SealError, match="does not have"):
        ring.unseal(seal(PAYLOAD, other.public_jwk()))
    with pytest.raises(SealError, match="does not have"):
        ring.unseal(with_header(token, kid="no-such-key"))
    with pytest.raises(SealError, match=r"\(malformed kid\)") as refused:
        ring.unseal(with_header(token, kid="<script>" * 50))
    assert "<script>" not in str(refused.value)
    for kid in (None, "", 7, ["k"]):
        with pytest.raises(SealError, match="kid"):
            ring.unseal(with_header(token, kid=kid))
    # The right key for the kid, but the token was sealed to another key.
    forged = with_header(seal(PAYLOAD, other.public_jwk()), kid=ring.current_kid)
    with pytest.raises(SealError, match="does not decrypt"):
        ring.unseal(forged)


@pytest.mark.parametrize("bad", [
    "", "garbage", ".", "....", "a.b.c.d", "a.b.c.d.e.f", "a.b.c.d.e", "a..c.d.e",
    "!!!.@@@.###.$$$.%%%", "eyJ.AAAA.AAAA.AAAA.AAAA", "AAAA.AAAA.AAAA.AAAA.AAAA",
    b64(b"[1,2]") + ".AAAA.AAAA.AAAA.AAAA", b64(b"\xff\xfe") + ".AAAA.AAAA.AAAA.AAAA",
    " " * 10, "é.é.é.é.é", None, 42, b"a.b.c.d.e", {"sealed": "x"}, "A" * 1_000_000,
])
def test_garbage_is_refused_with_sealerror(ring, bad):
    with pytest.raises(SealError):
        ring.unseal(bad)


@pytest.mark.parametrize("change", [
    {"alg": "RSA1_5"}, {"alg": "dir"}, {"alg": "RSA-OAEP"}, {"alg": "none"}, {"alg": None},
    {"enc": "A128GCM"}, {"enc": "A256CBC-HS512"}, {"enc": None}, {"alg": ["RSA-OAEP-256"]},
])
def test_other_algorithms_are_refused_before_any_decryption(ring, token, change):
    with pytest.raises(SealError, match="must use alg RSA-OAEP-256 and enc A256GCM"):
        ring.unseal(with_header(token, **change))


@pytest.mark.parametrize("change", [{"zip": "DEF"}, {"crit": ["exp"]}, {"jku": 5}])
def test_other_header_changes_are_refused(ring, token, change):
    with pytest.raises(SealError):
        ring.unseal(with_header(token, **change))


def test_token_shape_variants_are_refused(ring, token):
    parts = token.split(".")
    for bad in (".".join(parts[:4]), token + ".AAAA", token + "=", token.replace(".", ". ", 1),
                ".".join(p + "==" for p in parts), token[:-1], token + "A", " " + token):
        with pytest.raises(SealError):
            ring.unseal(bad)


@pytest.mark.parametrize("segment", range(5))
def test_a_flipped_byte_in_any_segment_is_refused(ring, token, segment):
    parts = token.split(".")
    raw = unb64(parts[segment])
    for index in {0, 1, len(raw) // 2, len(raw) - 1}:
        flipped = bytearray(raw)
        flipped[index] ^= 0x01
        forged = parts[:segment] + [b64(bytes(flipped))] + parts[segment + 1:]
        with pytest.raises(SealError):
            ring.unseal(".".join(forged))


def test_random_mutations_only_ever_raise_sealerror(ring, token):
    rng = random.Random(1031)
    alphabet = "ABCxyz019-_.=+/ é"
    for _ in range(300):
        chars = list(token)
        for _ in range(rng.randint(1, 3)):
            at = rng.randrange(len(chars))
            action = rng.choice(("replace", "insert", "delete"))
            if action == "replace":
                chars[at] = rng.choice(alphabet)
            elif action == "insert":
                chars.insert(at, rng.choice(alphabet))
            else:
                del chars[at]
        mutated = "".join(chars)
        if mutated != token:
            with pytest.raises(SealError):
                ring.unseal(mutated)


@pytest.mark.parametrize("plaintext", [b"[1, 2]", b'"text"', b"42", b"null", b"not json",
                                       b"", b"\xff\xfe{}", b'{"a": 1'])
def test_payload_must_be_a_json_object(ring, plaintext):
    with pytest.raises(SealError, match="JSON"):
        ring.unseal(sealed_bytes(ring, plaintext))


def test_cli_rotate_sealing_key(tmp_path):
    env = {**os.environ, "WINGWATCH_DATA_DIR": str(tmp_path),
           "WINGWATCH_DATABASE_URL": f"sqlite:///{tmp_path / 'ww.db'}"}
    directory = tmp_path / "keys" / "sealing"
    first = load_ring(directory, NOW).current_kid
    done = subprocess.run([sys.executable, "-m", "app.cli", "rotate-sealing-key"], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    current = (directory / "current").read_text()
    assert current != first and current in done.stdout
    assert set(json.loads((directory / "retired.json").read_text())) == {first}
