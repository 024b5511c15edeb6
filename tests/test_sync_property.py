"""Property: whatever the interleaving of new items, retries, conflicts and invalid items from
two officers, every id is stored once, answers match, and a flagged prisoner has one open item."""

from __future__ import annotations

import uuid
from functools import lru_cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.db import unit_of_work
from app.models import Observation, ScreeningItem
from tests.helpers import api_client, bearer, bootstrap, observation_payload

OFFICERS = ("officer1", "officer2")
EXPECTED = {"new": "created", "retry": "duplicate", "conflict": "conflict", "invalid": "rejected"}


@lru_cache(maxsize=2)
def header(username: str) -> dict[str, str]:
    return bearer(username)


step = st.tuples(st.sampled_from(OFFICERS), st.sampled_from(list(EXPECTED)),
                 st.integers(0, 4), st.booleans())


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(steps=st.lists(step, min_size=1, max_size=14), batch_size=st.integers(1, 5))
def test_sync_is_exactly_once_under_any_interleaving(steps, batch_size):
    sent: dict[str, list[tuple[dict, str]]] = {name: [] for name in OFFICERS}
    created: dict[str, dict] = {}
    for officer, kind, index, flag in steps:
        item, expected = _make(officer, kind, index, flag, sent[officer], created)
        sent[officer].append((item, expected))
    for officer, items in sent.items():
        for start in range(0, len(items), batch_size):
            batch = items[start:start + batch_size]
            response = api_client().post("/api/v1/observations/sync", headers=header(officer),
                                         json={"device_id": f"prop-{officer}",
                                               "items": [item for item, _ in batch]})
            assert response.status_code == 200
            assert [r["status"] for r in response.json()["results"]] == [e for _, e in batch]
    with unit_of_work() as db:
        counts = dict(db.execute(select(Observation.id, func.count()).where(
            Observation.id.in_(created)).group_by(Observation.id)).all())
        assert counts == {item_id: 1 for item_id in created}
        flagged = {p["prisoner_id"] for p in created.values() if p["flag"]}
        open_counts = dict(db.execute(select(ScreeningItem.prisoner_id, func.count()).where(
            ScreeningItem.closed_at.is_(None)).group_by(ScreeningItem.prisoner_id)).all())
    assert all(open_counts.get(prisoner) == 1 for prisoner in flagged)
    assert max(open_counts.values(), default=1) == 1


def _make(officer, kind, index, flag, earlier, created):
    """A sync item of the given kind, and the status the server must answer."""
    mine = [item for item, status in earlier if status == "created"]
    if kind in ("retry", "conflict") and not mine:
        kind = "new"
    if kind == "retry":
        return mine[index % len(mine)], "duplicate"
    if kind == "conflict":
        original = mine[index % len(mine)]
        changed = {**original["payload"], "facts": original["payload"]["facts"] + " (edited)"}
        return {"id": original["id"], "payload": changed}, "conflict"
    roster = bootstrap(officer)["roster"]
    payload = observation_payload(roster[index]["id"], flag=flag,
                                  flag_reason="Seen passing a note with threats." if flag else None)
    if kind == "invalid":
        return {"id": str(uuid.uuid4()), "payload": {**payload, "indicators": []}}, "rejected"
    item = {"id": str(uuid.uuid4()), "payload": payload}
    created[item["id"]] = payload
    return item, "created"
