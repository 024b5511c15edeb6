"""Bearer tokens for the REST API: RS256 JWTs, algorithm pinned, every claim required."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt

from app.services.keyring import KeyRing

ALGORITHM = "RS256"
REQUIRED_CLAIMS = ["exp", "iat", "iss", "aud", "sub", "jti"]
MAX_LIFETIME = timedelta(minutes=15)


@dataclass(frozen=True)
class TokenClaims:
    user_id: str
    role: str
    token_id: str
    expires_at: datetime
    session_id: int | None = None  # set when the token came from a browser session
    issued_at: datetime | None = None  # iat, whole seconds (a lost tablet's cut-off reads it)


class InvalidToken(Exception):
    """Any reason a token is not accepted. The reason is logged, never shown."""


def issue(ring: KeyRing, user_id: str, role: str, now: datetime, lifetime: timedelta,
          issuer: str, audience: str, session_id: int | None = None) -> str:
    lifetime = min(lifetime, MAX_LIFETIME)
    claims = {
        "sub": user_id, "role": role, "iss": issuer, "aud": audience,
        "iat": int(now.timestamp()), "exp": int((now + lifetime).timestamp()),
        "jti": secrets.token_hex(16),
    }
    if session_id is not None:
        claims["sid"] = session_id
    return jwt.encode(claims, ring.current, algorithm=ALGORITHM,
                      headers={"kid": ring.current_kid})


def verify(ring: KeyRing, token: str, issuer: str, audience: str,
           now: datetime | None = None) -> TokenClaims:
    """The token's claims, or InvalidToken. `now` judges whether the kid's key has retired
    (tests move it); `exp` and `iat` are PyJWT's to check, against the system clock."""
    at = now or datetime.now(UTC)
    try:
        header = jwt.get_unverified_header(token)
        kid = header.get("kid")
        key = ring.verifying_key(kid, at) if isinstance(kid, str) else None
        if key is None or header.get("alg") != ALGORITHM:
            raise InvalidToken("unknown kid or algorithm")
        claims = jwt.decode(
            token, key.public_key(), algorithms=[ALGORITHM], audience=audience, issuer=issuer,
            options={"require": REQUIRED_CLAIMS},
        )
    except (jwt.PyJWTError, ValueError, TypeError) as error:
        raise InvalidToken(str(error)) from error
    if not isinstance(claims.get("role"), str) or not isinstance(claims.get("sub"), str):
        raise InvalidToken("malformed claims")
    session_id = claims.get("sid")
    if session_id is not None and not isinstance(session_id, int):
        raise InvalidToken("malformed sid")
    return TokenClaims(claims["sub"], claims["role"], claims["jti"],
                       datetime.fromtimestamp(claims["exp"], UTC), session_id,
                       datetime.fromtimestamp(claims["iat"], UTC))
