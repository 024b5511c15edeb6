"""Benchmark (not a test): a 20 000-prisoner roster through PUT /api/v1/admin/prisons/{code}/roster,
on SQLite and PostgreSQL, each step beside the 10 s ceiling (issue 11, item 4).

    .venv/bin/python bench/roster_import.py [--rows 20000] [--databases sqlite,postgresql]

For each database: a fresh one made by the project's migrations, one prison with 12 wings and an
administrator, then through the real API (in process, FastAPI's TestClient, so the body limit,
the parsing, the JSON answer and the commit are all paid):
  1. dry run of the first roster (everyone added), 2. applying it;
  3. dry run of the next day's roster (5 % moved, 2 % renamed, 2 % released, 2 % missing,
     2 % new), 4. applying that; 5. a dry run of the first roster as JSON (a larger body).
Each database runs in a child process of its own: settings are read once per process.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.harness import PYTHON, ROOT, database  # noqa: E402

CEILING_S = 10.0
WINGS = [f"W{n:02}" for n in range(1, 13)]
GIVEN = ["Александар", "Марко", "Никола", "Stefan", "Luka", "Милош", "Đorđe", "Јован", "Petar",
         "Немања", "Dušan", "Филип"]
FAMILY = ["Јовановић", "Petrović", "Николић", "Marković", "Ђорђевић", "Stojanović", "Илић",
          "Stanković", "Павловић", "Milošević", "Константиновић", "Živković"]
HEADER = "prisoner_number,given_name,family_name,wing,admitted_on,released_on\n"


def roster(rows: int, seed: int) -> list[list[str]]:
    pick = random.Random(seed)
    return [[f"K-{n:06}", pick.choice(GIVEN), pick.choice(FAMILY), pick.choice(WINGS),
             f"20{pick.randint(15, 25)}-{pick.randint(1, 12):02}-{pick.randint(1, 28):02}", ""]
            for n in range(rows)]


def next_day(first: list[list[str]], seed: int) -> list[list[str]]:
    pick = random.Random(seed)
    rows = [list(row) for row in first]
    n = len(rows)
    for row in pick.sample(rows, n * 5 // 100):
        row[3] = pick.choice([w for w in WINGS if w != row[3]])
    for row in pick.sample(rows, n * 2 // 100):
        row[2] = row[2] + "-" + pick.choice(FAMILY)
    for row in pick.sample(rows, n * 2 // 100):
        row[5] = "2026-01-01" if row[4] <= "2026-01-01" else row[4]
    gone = set(map(tuple, pick.sample(rows, n * 2 // 100)))
    rows = [row for row in rows if tuple(row) not in gone]
    rows += [[f"N-{k:06}", pick.choice(GIVEN), pick.choice(FAMILY), pick.choice(WINGS),
              "2026-02-01", ""] for k in range(n * 2 // 100)]
    return rows


def as_csv(rows: list[list[str]]) -> bytes:
    return (HEADER + "".join(",".join(row) + "\n" for row in rows)).encode()


def as_json(rows: list[list[str]]) -> bytes:
    keys = HEADER.strip().split(",")
    return json.dumps([{k: v or None for k, v in zip(keys, row)} for row in rows]).encode()


def one_database(rows: int) -> None:
    """In the child: the environment names the database; print one line per step."""
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

    from app import migrate
    from app.api import build_api
    from app.clock import utc_now
    from app.db import unit_of_work
    from app.models import Prison, User, Wing
    from app.services.passwords import hash_password
    from app.settings import get_settings

    migrate.upgrade(get_settings().database_url)
    with unit_of_work() as db:
        prison = Prison(code="BENCH", name="Bench prison")
        db.add_all([prison, *[Wing(code=code, name=code, prison=prison) for code in WINGS],
                    User(username="bench-admin", display_name="Bench", role="admin",
                         password_hash=hash_password("bench-password-1"), created_at=utc_now())])
    client = TestClient(build_api())
    token = client.post("/api/v1/auth/token", json={"username": "bench-admin",
                                                    "password": "bench-password-1"})
    auth = {"Authorization": f"Bearer {token.json()['access_token']}"}
    first = roster(rows, 1)
    second = as_csv(next_day(first, 2))
    steps = [("first roster", "text/csv", as_csv(first), True),
             ("first roster", "text/csv", as_csv(first), False),
             ("next day", "text/csv", second, True),
             ("next day", "text/csv", second, False),
             ("first roster as JSON", "application/json", as_json(first), True)]
    for label, media, body, dry_run in steps:
        started = time.perf_counter()
        response = client.put("/api/v1/admin/prisons/BENCH/roster", content=body,
                              headers={**auth, "Content-Type": media},
                              params={"dry_run": str(dry_run).lower()})
        seconds = time.perf_counter() - started
        assert response.status_code == 200, response.text[:500]
        counts = response.json()["counts"]
        step = f"{label}, {'dry run' if dry_run else 'apply'}"
        shown = ", ".join(f"{k} {v:,}" for k, v in counts.items() if v)
        print(f"{step:<34} {len(body) / 1e6:5.2f} MB  {seconds:6.2f} s   "
              f"{'yes' if seconds <= CEILING_S else 'NO '}   {shown}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        one_database(args.rows)
        return
    print(f"roster of {args.rows:,} prisoners, 12 wings; ceiling {CEILING_S:.0f} s per request")
    for kind in args.databases.split(","):
        with database(kind) as url, tempfile.TemporaryDirectory() as data_dir:
            print(f"\n{kind}\nstep                                  body    time    <= 10 s  diff")
            env = {**os.environ, "WINGWATCH_DATABASE_URL": url, "WINGWATCH_DATA_DIR": data_dir,
                   "WINGWATCH_DEMO": "0"}
            subprocess.run([PYTHON, __file__, "--one", "--rows", str(args.rows)], cwd=ROOT,
                           env=env, check=True)


if __name__ == "__main__":
    main()
