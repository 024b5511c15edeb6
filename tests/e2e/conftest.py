"""The real app, production build, one port, against the test database; Chromium at 768×1024."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import select, update
from playwright.sync_api import Page, expect

from app.db import unit_of_work
from app.i18n.locales import Locale
from app.models import User
from tests.conftest import DATA_DIR

ROOT = Path(__file__).resolve().parents[2]
# Not test-results/: pytest-playwright empties that folder at every run.
SCREENSHOTS = ROOT / "screenshots"
TABLET = {"width": 768, "height": 1024}
DEMO_PASSWORD = "wingwatch-demo"
START_TIMEOUT_S = 600  # the first build on a fresh clone installs the frontend packages

pytestmark = pytest.mark.e2e


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _up(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@pytest.fixture(scope="session")
def app_server(database):
    port = _free_port()
    env = {**os.environ, "WINGWATCH_PORT": str(port), "WINGWATCH_DEMO": "1",
           "WINGWATCH_DATA_DIR": str(DATA_DIR), "WINGWATCH_DATABASE_URL": database,
           "WINGWATCH_PSEUDO_LOCALE": "1"}
    if redis_url := os.environ.get("WINGWATCH_TEST_REDIS_URL"):
        # Scale-out shape: Reflex state in Redis, two backend workers behind one port.
        env.update(WINGWATCH_REDIS_URL=redis_url, GRANIAN_WORKERS="2")
    log = open(DATA_DIR / "server.log", "w")  # noqa: SIM115 — closed at teardown
    reflex = Path(sys.executable).with_name("reflex")
    process = subprocess.Popen(
        [str(reflex), "run", "--env", "prod", "--single-port", "--backend-host", "127.0.0.1"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://localhost:{port}"
    deadline = time.monotonic() + START_TIMEOUT_S
    while not (_up(f"{base}/api/v1/health") and _up(f"{base}/login/")):
        if process.poll() is not None or time.monotonic() > deadline:
            log.close()
            pytest.fail("app did not start:\n" + (DATA_DIR / "server.log").read_text()[-4000:])
        time.sleep(1)
    yield base
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
    log.close()


@pytest.fixture(scope="session")
def base_url(app_server):
    return app_server


def speaks(username: str, locale: Locale) -> None:
    """Sets a demo account's language, as the account's own header switch would."""
    with unit_of_work() as db:
        db.execute(update(User).where(User.username == username).values(locale=locale.value))


@pytest.fixture(autouse=True)
def demo_accounts_in_english(database):
    """The demo accounts each speak a language of the region; a journey that is not about
    languages reads its pages in English (the language tests set the one they need). Each
    account's own comes back after the test, for the tests that read the demo as it is."""
    with unit_of_work() as db:
        own = dict(db.execute(select(User.id, User.locale)).all())
        db.execute(update(User).values(locale=Locale.EN.value))
    yield
    with unit_of_work() as db:
        for user_id, locale in own.items():
            db.execute(update(User).where(User.id == user_id).values(locale=locale))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Playwright's Chromium by default; scripts/test sets WINGWATCH_CHROMIUM where that
    cannot be downloaded (Debian's chromium)."""
    args = {**browser_type_launch_args,
            "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync"]}
    if executable := os.environ.get("WINGWATCH_CHROMIUM"):
        args["executable_path"] = executable
    return args


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": TABLET}


def screenshot(page: Page, name: str) -> None:
    """Saved for a person to look at; the test's assertions are elsewhere."""
    SCREENSHOTS.mkdir(exist_ok=True)
    size = page.viewport_size or {"width": 0, "height": 0}
    page.screenshot(path=SCREENSHOTS / f"{name}-{size['width']}x{size['height']}.png",
                    full_page=True)


def sign_in(page: Page, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def expect_path(page: Page, path: str) -> None:
    """Reflex serves routes with a trailing slash; either form is the same page."""
    expect(page).to_have_url(re.compile(rf"{re.escape(path.rstrip('/'))}/?(\?.*)?$"))
