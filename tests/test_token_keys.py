"""Token signing keys retire (issue 9, item 10): a rotated-out key verifies the tokens it signed
for the grace period, then stops verifying and is deleted."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta

import pytest

from app.clock import utc_now
from app.services import keyring, tokens
from app.settings import get_settings

GRACE = timedelta(hours=get_settings().token_key_grace_hours)
T0 = utc_now()


def token(ring: keyring.KeyRing, at) -> str:
    return tokens.issue(ring, "someone", "officer", at, timedelta(minutes=15), "iss", "aud")


def verify(ring: keyring.KeyRing, signed: str, at) -> tokens.TokenClaims:
    return tokens.verify(ring, signed, "iss", "aud", now=at)


def test_a_retired_key_verifies_during_the_grace_and_not_after(tmp_path):
    # Now, not at import: the token's own expiry is checked against the system clock, and the
    # browser tests before this one take longer than its 15 minutes.
    t0 = utc_now()
    directory = tmp_path / "jwt"
    old = keyring.load(directory, t0)
    signed = token(old, t0)
    keyring.rotate(directory, t0)
    ring = keyring.load(directory, t0 + timedelta(minutes=5))  # the restarted server
    assert ring.current_kid != old.current_kid
    assert verify(ring, signed, t0 + timedelta(minutes=5)).user_id == "someone"
    # Still loaded in a server that runs on: the key stops verifying all the same.
    with pytest.raises(tokens.InvalidToken):
        verify(ring, signed, t0 + GRACE + timedelta(seconds=1))


def test_a_key_retired_longer_than_the_grace_is_deleted_on_load(tmp_path):
    directory = tmp_path / "jwt"
    old = keyring.load(directory, T0)
    keyring.rotate(directory, T0)
    later = keyring.load(directory, T0 + GRACE + timedelta(seconds=1))
    assert set(later.keys) == {later.current_kid}
    assert not (directory / f"{old.current_kid}.pem").exists()


def test_cli_rotate_token_key_records_when_the_old_key_retired(tmp_path):
    env = {**os.environ, "WINGWATCH_DATA_DIR": str(tmp_path),
           "WINGWATCH_DATABASE_URL": f"sqlite:///{tmp_path / 'ww.db'}"}
    directory = tmp_path / "keys" / "jwt"
    first = keyring.load(directory, T0).current_kid
    done = subprocess.run([sys.executable, "-m", "app.cli", "rotate-token-key"], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert set(json.loads((directory / "retired.json").read_text())) == {first}
