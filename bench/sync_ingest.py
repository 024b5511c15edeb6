"""Benchmark (not a test): observations/s through POST /api/v1/observations/sync, plain and
sealed, on SQLite and PostgreSQL, beside two ceilings measured in the same run:
  - the raw SQLAlchemy bulk-insert rate of the same rows into the same database;
  - the rate at which one core unwraps RSA-OAEP-256 keys (the server's cost per sealed item).

    .venv/bin/python bench/sync_ingest.py [--count 100000] [--batch 100] [--databases sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from sqlalchemy import create_engine, insert, select
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.harness import database, running_app, token  # noqa: E402

from app.models import Observation, Posting, Prisoner, User, Wing  # noqa: E402
from app.services import sealing  # noqa: E402
from app.services.demo import DEMO_PASSWORD  # noqa: E402
from app.services.passwords import hash_password  # noqa: E402
from app.vocabulary import PostingScope  # noqa: E402

CLIENTS = 2  # two request streams keep the server busy while the other encodes JSON


def add_bench_officer(url: str) -> list[str]:
    """An officer posted on every wing, so the load spreads over all 60 demo prisoners."""
    engine = create_engine(url)
    with engine.begin() as conn:
        wings = conn.execute(select(Wing.id)).scalars().all()
        prisoners = conn.execute(select(Prisoner.id)).scalars().all()
    with Session(engine) as db, db.begin():
        db.add(User(username="bench-officer", display_name="Bench officer", role="officer",
                    password_hash=hash_password(DEMO_PASSWORD),
                    prison_id=db.scalar(select(Wing.prison_id)),
                    created_at=datetime.now(UTC)))
        db.flush()
        officer = db.scalar(select(User.id).where(User.username == "bench-officer"))
        db.add_all([Posting(user_id=officer, scope=PostingScope.WING, wing_id=wing,
                            prison_id=db.get(Wing, wing).prison_id, valid_from=date(2000, 1, 1),
                            created_at=datetime.now(UTC)) for wing in wings])
    engine.dispose()
    return list(prisoners)


def payloads(count: int, prisoners: list[str], bootstrap: dict) -> list[dict]:
    rng = random.Random(7)
    catalogue = bootstrap["catalogue"]
    codes = [i["code"] for c in catalogue["categories"] for i in c["indicators"]
             if not i["immediate"]]
    locations = [loc["code"] for loc in bootstrap["locations"]]
    now = datetime.now(UTC)
    return [{
        "prisoner_id": rng.choice(prisoners),
        "occurred_at": (now - timedelta(minutes=rng.randint(10, 60 * 24 * 25))).isoformat(),
        "location": rng.choice(locations), "catalogue_version": catalogue["version"],
        "indicators": [rng.choice(codes)],
        "facts": f'Said at the servery: "{rng.randint(0, 10**9)} will pay for this".',
        "assessment": "Seemed agitated after a phone call.", "source": "direct",
        "concern": rng.choice(["low", "medium", "high"]),
        "flag": (flag := rng.random() < 0.05),
        "flag_reason": "Threat towards staff." if flag else None,
    } for _ in range(count)]


def send_all(base: str, items: list[dict], batch: int) -> float:
    """Seconds to sync every item, CLIENTS request streams; fails loudly on any non-created."""
    bearer = {"Authorization": f"Bearer {token(base, 'bench-officer')}"}
    batches = [items[i:i + batch] for i in range(0, len(items), batch)]

    def post(chunk: list[dict]) -> None:
        with httpx.Client(timeout=120) as client:
            response = client.post(f"{base}/api/v1/observations/sync", headers=bearer,
                                   json={"device_id": "bench", "items": chunk})
        statuses = {r["status"] for r in response.json()["results"]}
        if response.status_code != 200 or statuses != {"created"}:
            raise RuntimeError(f"{response.status_code} {response.text[:300]}")

    start = time.perf_counter()
    with ThreadPoolExecutor(CLIENTS) as pool:
        list(pool.map(post, batches))
    return time.perf_counter() - start


def raw_insert_rate(url: str, count: int, batch: int, template: dict) -> float:
    """The same rows, straight into the same table with SQLAlchemy Core, batch by batch."""
    engine = create_engine(url)
    rows = [{**template, "id": str(uuid.uuid4())} for _ in range(count)]
    start = time.perf_counter()
    for i in range(0, count, batch):
        with engine.begin() as conn:
            conn.execute(insert(Observation), rows[i:i + batch])
    elapsed = time.perf_counter() - start
    engine.dispose()
    return count / elapsed


def unwrap_rate(seconds: float = 2.0) -> float:
    """RSA-OAEP-256 key unwraps per second on one core (2048-bit, as the sealing keys)."""
    key = rsa.generate_private_key(65537, sealing.KEY_BITS)
    oaep = padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None)
    wrapped = key.public_key().encrypt(os.urandom(32), oaep)
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        key.decrypt(wrapped, oaep)
        done += 1
    return done / (time.perf_counter() - start)


def stored_row_template(url: str) -> dict:
    engine = create_engine(url)
    with engine.connect() as conn:
        row = conn.execute(select(Observation).limit(1)).mappings().one()
    engine.dispose()
    return dict(row)


def run(kind: str, count: int, batch: int) -> dict[str, float]:
    with database(kind) as url, tempfile.TemporaryDirectory() as data:
        with running_app(url, Path(data)) as base:
            prisoners = add_bench_officer(url)
            bootstrap = httpx.get(f"{base}/api/v1/bootstrap", timeout=30, headers={
                "Authorization": f"Bearer {token(base, 'bench-officer')}"}).json()
            plain = [{"id": str(uuid.uuid4()), "payload": p}
                     for p in payloads(count, prisoners, bootstrap)]
            plain_s = send_all(base, plain, batch)
            key = bootstrap["sealing_key"]
            sealed = [{"id": str(uuid.uuid4()), "sealed": sealing.seal(p, key)}
                      for p in payloads(count, prisoners, bootstrap)]
            sealed_s = send_all(base, sealed, batch)
        raw = raw_insert_rate(url, count, batch, stored_row_template(url))
    return {"plain": count / plain_s, "sealed": count / sealed_s, "raw_insert": raw}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--databases", default="sqlite,postgresql")
    args = parser.parse_args()
    unwrap = unwrap_rate()
    print(f"RSA-OAEP-256 unwraps on one core: {unwrap:,.0f}/s")
    print(f"{'database':<11} {'plain obs/s':>12} {'sealed obs/s':>13} {'raw insert rows/s':>18} "
          f"{'plain/raw':>10} {'sealed/unwrap':>14}")
    for kind in args.databases.split(","):
        rates = run(kind, args.count, args.batch)
        print(f"{kind:<11} {rates['plain']:>12,.0f} {rates['sealed']:>13,.0f} "
              f"{rates['raw_insert']:>18,.0f} {rates['plain'] / rates['raw_insert']:>10.2f} "
              f"{rates['sealed'] / unwrap:>14.2f}", flush=True)


if __name__ == "__main__":
    main()
