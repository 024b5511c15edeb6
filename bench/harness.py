"""Shared by the benchmarks: a throwaway database and the real app (production build) on it."""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Iterator

import httpx
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
POSTGRES_SERVER = os.environ.get("WINGWATCH_BENCH_POSTGRES_URL",
                                 "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


@contextlib.contextmanager
def database(kind: str) -> Iterator[str]:
    """A fresh, empty database URL of `kind` ('sqlite' or 'postgresql'), removed afterwards."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory(prefix="wingwatch-bench-") as folder:
            yield f"sqlite:///{folder}/bench.db"
        return
    name = f"wingwatch_bench_{secrets.token_hex(4)}"
    admin = create_engine(POSTGRES_SERVER, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield POSTGRES_SERVER.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def running_app(database_url: str, data_dir: Path, extra_env: dict[str, str] | None = None
                ) -> Iterator[str]:
    """`app.cli setup` (demo data) then the production server; yields its base URL."""
    port = _free_port()
    env = {**os.environ, "WINGWATCH_DATABASE_URL": database_url, "WINGWATCH_DATA_DIR":
           str(data_dir), "WINGWATCH_DEMO": "1", "WINGWATCH_PORT": str(port),
           **(extra_env or {})}
    subprocess.run([PYTHON, "-m", "app.cli", "setup"], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    log = open(data_dir / "server.log", "w")  # noqa: SIM115 — closed below
    server = subprocess.Popen(
        [str(Path(PYTHON).with_name("reflex")), "run", "--env", "prod", "--single-port",
         "--backend-host", "127.0.0.1"], cwd=ROOT, env=env, stdout=log,
        stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 600
        while not _healthy(base):
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError((data_dir / "server.log").read_text()[-3000:])
            time.sleep(1)
        yield base
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        log.close()


def _healthy(base: str) -> bool:
    try:
        return httpx.get(f"{base}/api/v1/health", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def token(base: str, username: str, password: str = "wingwatch-demo") -> str:
    response = httpx.post(f"{base}/api/v1/auth/token",
                          json={"username": username, "password": password}, timeout=30)
    response.raise_for_status()
    return response.json()["access_token"]
