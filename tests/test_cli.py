"""The operator commands, run as an operator would: a fresh data dir, outside demo mode."""

from __future__ import annotations

import os
import subprocess
import sys

from sqlalchemy import create_engine, func, select

from app.models import AuditEntry, Prisoner, User


def run_cli(tmp_path, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    env = {**os.environ, "WINGWATCH_DATA_DIR": str(tmp_path), "WINGWATCH_DEMO": "0",
           "WINGWATCH_DATABASE_URL": f"sqlite:///{tmp_path / 'ww.db'}"}
    return subprocess.run([sys.executable, "-m", "app.cli", *args], env=env, input=stdin,
                          capture_output=True, text=True, timeout=120)


def test_setup_outside_demo_mode_seeds_nothing_and_create_admin_makes_the_first_admin(tmp_path):
    assert run_cli(tmp_path, "setup").returncode == 0
    engine = create_engine(f"sqlite:///{tmp_path / 'ww.db'}")
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(User)) == 0
        assert conn.scalar(select(func.count()).select_from(Prisoner)) == 0

    short = run_cli(tmp_path, "create-admin", "--username", "Boss", "--password-stdin",
                    stdin="short\n")
    assert short.returncode == 2 and "at least 12" in short.stderr

    made = run_cli(tmp_path, "create-admin", "--username", "Boss", "--password-stdin",
                   stdin="a long enough passphrase\n")
    assert made.returncode == 0, made.stderr
    with engine.connect() as conn:
        assert conn.execute(select(User.username, User.role)).all() == [("boss", "admin")]
        made_by = conn.execute(select(AuditEntry.action, AuditEntry.actor_id, AuditEntry.detail)
                               .where(AuditEntry.action == "admin_change")).one()
    assert made_by.actor_id is None and '"change":"user.create"' in made_by.detail
    assert run_cli(tmp_path, "verify-audit").returncode == 0  # the head was signed after it
    assert run_cli(tmp_path, "create-admin", "--username", "boss", "--password-stdin",
                   stdin="a long enough passphrase\n").returncode == 2
    assert (tmp_path / "keys" / "jwt" / "current").exists()
