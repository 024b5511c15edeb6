"""The next person on a shared tablet (issue 9): nothing of the previous user's pages reaches them.

Reflex keeps a tab's page states on the server under a client token held in the tab's session
storage. Each test signs one user out and the next one in, in the same tab, and reads every
websocket frame the second user's pages received; then it replays the first user's old client
token, which must find nothing of theirs left on the server either.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from playwright.sync_api import Page, expect
from sqlalchemy import select, update

from app.db import unit_of_work
from app.models import Prison, ScreeningItem, User
from app.services.passwords import hash_password
from tests.e2e.conftest import DEMO_PASSWORD, expect_path, sign_in
from tests.e2e.test_screening import number_of
from tests.screening_data import new_prisoner, observe
from tests.trend_data import new_prison

CLIENT_TOKEN = "token"  # Reflex's key in sessionStorage


def listen(page: Page) -> list[str]:
    frames: list[str] = []
    page.on("websocket", lambda ws: ws.on(
        "framereceived", lambda payload: frames.append(payload if isinstance(payload, str)
                                                       else payload.decode(errors="replace"))))
    return frames


def sign_out_and_hand_over(page: Page, frames: list[str], marker: str) -> None:
    """Sign out, let officer1 sign in in the same tab, then replay the old client token."""
    old_token = page.evaluate(f"sessionStorage.getItem({CLIENT_TOKEN!r})")
    assert old_token and any(marker in frame for frame in frames), "the marker was on screen"
    page.get_by_role("button", name="Sign out").click()
    expect_path(page, "/login")
    frames.clear()
    assert page.evaluate(f"sessionStorage.getItem({CLIENT_TOKEN!r})") != old_token
    sign_in(page, "officer1")
    expect_path(page, "/capture")
    expect(page.get_by_role("heading", name="Record an observation")).to_be_visible()
    assert not [f for f in frames if marker in f], "the previous user's page state came along"
    # The old token must find nothing left on the server either: its states were reset, and all
    # it still says is that its tab left (so a replay of it leaves too).
    page.evaluate(f"sessionStorage.setItem({CLIENT_TOKEN!r}, {old_token!r})")
    page.goto("/entries")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert frames and not [f for f in frames if marker in f], "the old token still holds it"


def a_screener_session(page: Page, open_page: Callable[[Page], None]) -> list[str]:
    frames = listen(page)
    sign_in(page, "screener1")
    expect_path(page, "/screening")
    open_page(page)
    return frames


def test_the_case_a_screener_read_never_reaches_the_next_user(page: Page):
    marker = f"case-marker-{secrets.token_hex(6)}"
    item_id = flagged_item_with_facts(marker)

    def open_case(p: Page) -> None:
        p.goto(f"/screening/{item_id}")
        expect(p.get_by_text(marker)).to_be_visible()

    frames = a_screener_session(page, open_case)
    sign_out_and_hand_over(page, frames, marker)


def test_the_queue_a_screener_read_never_reaches_the_next_user(page: Page):
    item_id = flagged_item_with_facts("Shouted at the landing officer during unlock.")
    number = number_of(item_id)

    def open_queue(p: Page) -> None:
        p.goto(f"/screening?q={number}")
        expect(p.get_by_role("article").filter(has_text=number)).to_have_count(1)

    frames = a_screener_session(page, open_queue)
    sign_out_and_hand_over(page, frames, number)


def test_the_trends_a_security_head_read_never_reach_the_next_user(page: Page):
    place = new_prison()
    with unit_of_work() as db:
        db.execute(update(User).where(User.id == place.head.user_id)
                   .values(password_hash=hash_password(DEMO_PASSWORD)))
        marker = db.get(Prison, place.prison_id).name
    frames = listen(page)
    sign_in(page, place.head.username)
    expect(page.get_by_role("heading", name="Trends", exact=True)).to_be_visible()
    sign_out_and_hand_over(page, frames, marker)


def flagged_item_with_facts(facts: str) -> int:
    prisoner_id = new_prisoner()
    observe(prisoner_id, facts=facts)
    with unit_of_work() as db:
        return db.scalar(select(ScreeningItem.id).where(ScreeningItem.prisoner_id == prisoner_id,
                                                        ScreeningItem.closed_at.is_(None)))
