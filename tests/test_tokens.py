"""Bearer tokens: one good token, then a matrix of bad ones that the service and the API refuse.

Every bad token carries the claims of a real, active user, so refusing it is down to the one
thing wrong with it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import timedelta

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from app.runtime import signing_keys
from app.clock import utc_now
from app.services import tokens
from app.settings import get_settings
from tests.helpers import api_client, identity

OTHER_KEY = rsa.generate_private_key(65537, 2048)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def claims(**changes) -> dict:
    """Valid claims for officer1; a change to None drops that claim."""
    settings, now = get_settings(), utc_now()
    base = {
        "sub": identity("officer1").user_id, "role": "officer",
        "iss": settings.jwt_issuer, "aud": settings.jwt_audience,
        "iat": int(now.timestamp()), "exp": int((now + timedelta(minutes=5)).timestamp()),
        "jti": "a" * 32,
    }
    base.update(changes)
    return {name: value for name, value in base.items() if value is not None}


def sign(payload: dict, key=None, kid: str | None = None) -> str:
    ring = signing_keys()
    return jwt.encode(payload, key or ring.current, algorithm="RS256",
                      headers={"kid": kid or ring.current_kid})


def hs256_with_public_key() -> str:
    """HS/RS confusion: HMAC keyed with the server's public key PEM (PyJWT refuses to make one)."""
    ring = signing_keys()
    pem = ring.current.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    header = b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": ring.current_kid}).encode())
    body = b64(json.dumps(claims()).encode())
    mac = hmac.new(pem, f"{header}.{body}".encode(), hashlib.sha256).digest()
    return f"{header}.{body}.{b64(mac)}"


def one_byte_changed(token: str, part: int) -> str:
    """Flip the low bit of one byte of a part (1: payload, inside the user id; 2: signature)."""
    parts = token.split(".")
    raw = bytearray(unb64(parts[part]))
    at = raw.index(identity("officer1").user_id.encode()) if part == 1 else len(raw) // 2
    raw[at] ^= 1
    parts[part] = b64(bytes(raw))
    return ".".join(parts)


def expired() -> str:
    settings = get_settings()
    return tokens.issue(signing_keys(), identity("officer1").user_id, "officer",
                        utc_now() - timedelta(hours=1), timedelta(minutes=15),
                        settings.jwt_issuer, settings.jwt_audience)


BAD_TOKENS = {
    "alg none": lambda: jwt.encode(claims(), None, algorithm="none",
                                   headers={"kid": signing_keys().current_kid}),
    "other RSA key, same kid": lambda: sign(claims(), key=OTHER_KEY),
    "HS256 keyed with the public key": hs256_with_public_key,
    "expired": expired,
    "missing aud": lambda: sign(claims(aud=None)),
    "wrong aud": lambda: sign(claims(aud="someone-else")),
    "missing iss": lambda: sign(claims(iss=None)),
    "wrong iss": lambda: sign(claims(iss="someone-else")),
    "missing exp": lambda: sign(claims(exp=None)),
    "missing iat": lambda: sign(claims(iat=None)),
    "missing sub": lambda: sign(claims(sub=None)),
    "missing jti": lambda: sign(claims(jti=None)),
    "unknown kid": lambda: sign(claims(), kid="no-such-kid"),
    "signature byte changed": lambda: one_byte_changed(sign(claims()), 2),
    "payload byte changed": lambda: one_byte_changed(sign(claims()), 1),
}


def verify(token: str) -> tokens.TokenClaims:
    settings = get_settings()
    return tokens.verify(signing_keys(), token, settings.jwt_issuer, settings.jwt_audience)


def me(token: str):
    return api_client().get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})


def test_issued_token_verifies_and_names_its_user():
    settings, user = get_settings(), identity("officer1")
    token = tokens.issue(signing_keys(), user.user_id, user.role, utc_now(),
                         timedelta(minutes=10), settings.jwt_issuer, settings.jwt_audience)
    assert verify(token).user_id == user.user_id
    response = me(token)
    assert response.status_code == 200
    assert response.json()["username"] == "officer1" and response.json()["role"] == "officer"


def test_hand_built_token_with_good_claims_is_accepted():
    """The matrix below builds its tokens this way, so each differs from a good one in one thing."""
    assert verify(sign(claims())).role == "officer"
    assert me(sign(claims())).status_code == 200


@pytest.mark.parametrize("make", BAD_TOKENS.values(), ids=BAD_TOKENS.keys())
def test_service_refuses_bad_token(make):
    with pytest.raises(tokens.InvalidToken):
        verify(make())


@pytest.mark.parametrize("make", BAD_TOKENS.values(), ids=BAD_TOKENS.keys())
def test_api_refuses_bad_token_with_401(make):
    response = me(make())
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorised"


def test_api_refuses_a_token_whose_role_is_not_the_users():
    assert me(sign(claims(role="admin"))).status_code == 401


def test_api_refuses_a_missing_bearer_token():
    assert api_client().get("/api/v1/auth/me").status_code == 401


def test_lifetime_is_capped_at_15_minutes():
    settings, now = get_settings(), utc_now()
    token = tokens.issue(signing_keys(), identity("officer1").user_id, "officer", now,
                         timedelta(hours=8), settings.jwt_issuer, settings.jwt_audience)
    payload = jwt.decode(token, options={"verify_signature": False})
    assert payload["exp"] - payload["iat"] == 15 * 60
    assert verify(token).expires_at - now <= timedelta(minutes=15)
