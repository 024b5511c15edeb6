"""Password hashing with argon2id (memory-hard), via argon2-cffi."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()  # argon2id, 64 MiB, t=3: the library's RFC 9106 low-memory profile
# Verified against when the username is unknown, so both cases cost the same time.
_DUMMY_HASH = _hasher.hash("wingwatch-no-such-user")

MIN_LENGTH = 12


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False
    except UnicodeEncodeError:  # a lone surrogate from the browser: no one's password
        return False


def password_problem(password: str) -> str | None:
    """Why a new password is not acceptable, or None."""
    if len(password) < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters."
    return None
