"""Key files under the data directory, shared by the token and sealing key rings: private keys
written 0600, a `current` pointer, and `retired.json` saying when each older key was retired.
"""

from __future__ import annotations

import json
import os
import secrets
from datetime import datetime, timedelta
from pathlib import Path


def write_private(path: Path, pem: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)


def replace(path: Path, text: str) -> None:
    # Atomic, so a server starting during a rotation never reads a half-written file.
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    tmp.write_text(text)
    os.replace(tmp, path)


def read_retired(directory: Path) -> dict[str, datetime]:
    path = directory / "retired.json"
    if not path.exists():
        return {}
    return {kid: datetime.fromisoformat(at) for kid, at in json.loads(path.read_text()).items()}


def make_current(directory: Path, kid: str, now: datetime) -> None:
    """`kid` (its file already written) becomes current; the old current is retired at `now`."""
    retired = read_retired(directory)
    if (directory / "current").exists():
        retired[(directory / "current").read_text().strip()] = now
    retired = {k: at for k, at in retired.items() if (directory / f"{k}.pem").exists()}
    # retired.json before current: a crash between the two leaves the old key still current
    # (never dropped), rather than a non-current key with no retirement date (kept forever).
    replace(directory / "retired.json",
            json.dumps({k: at.isoformat() for k, at in retired.items()}, indent=1))
    replace(directory / "current", kid)


def expired(kid: str, current: str, retired: dict[str, datetime], now: datetime,
            grace: timedelta) -> bool:
    return kid != current and kid in retired and now - retired[kid] > grace
