"""Benchmark (not a test) of the capture page on this machine, in Chromium at 768×1024:
  - navigation to an interactive capture page served by the service worker, offline;
  - "Save" to "Saved on this tablet" (sealing + IndexedDB commit);
  - bytes of JavaScript the capture route loads, beside a blank Reflex 0.10 app built here.

    .venv/bin/python bench/capture.py [--runs 10]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from playwright.sync_api import Page, expect, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.harness import PYTHON, database, running_app  # noqa: E402
from tests.e2e.capture_steps import FIRST_CATEGORY  # noqa: E402

LAUNCH = {"args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                   "--disable-component-update", "--disable-sync"]}
if os.environ.get("WINGWATCH_CHROMIUM"):
    LAUNCH["executable_path"] = os.environ["WINGWATCH_CHROMIUM"]

SCRIPT_BYTES = """() => performance.getEntriesByType('resource')
    .filter(e => e.name.endsWith('.js') || e.initiatorType === 'script')
    .reduce((sum, e) => [sum[0] + e.encodedBodySize, sum[1] + e.decodedBodySize], [0, 0])"""

SAVE = """async () => {
    const start = performance.now();
    document.querySelector('.ww-save').click();
    await new Promise((done) => {
        const saved = () => [...document.querySelectorAll('[role=status]')]
            .some((e) => e.textContent.includes('Saved on this tablet'));
        const check = () => saved() ? done() : requestAnimationFrame(check);
        check();
    });
    return performance.now() - start;
}"""


def signed_in_capture(page: Page, base: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Username").fill("officer1")
    page.get_by_label("Password").fill("wingwatch-demo")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Save")).to_be_visible(timeout=60000)
    page.wait_for_function("async () => !!navigator.serviceWorker.controller && "
                           "!!(await caches.match(location.origin + '/capture'))", timeout=60000)


def offline_loads(page: Page, runs: int) -> list[float]:
    page.context.set_offline(True)
    times = []
    for _ in range(runs):
        page.reload(wait_until="commit")
        expect(page.get_by_role("button", name="Save")).to_be_enabled()
        times.append(page.evaluate("() => performance.now()"))  # since navigation start
    page.context.set_offline(False)
    return times


def saves(page: Page, runs: int) -> list[float]:
    times = []
    for n in range(runs):
        page.get_by_role("searchbox", name="Prisoner").fill("a")
        page.get_by_role("option").first.click()
        page.locator("summary", has_text=FIRST_CATEGORY).click()
        page.locator("details", has_text=FIRST_CATEGORY).get_by_role("checkbox").first.check()
        page.get_by_label("What you saw or heard").fill(f'Said "bench {n}".')
        times.append(page.evaluate(SAVE))
    return times


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # the numbers are the output, not the requests
        pass


def blank_app_script_bytes(browser) -> tuple[int, int]:
    """A blank Reflex app (one page, one text), exported here with the same Reflex and bun."""
    with tempfile.TemporaryDirectory(prefix="reflex-blank-") as folder:
        root = Path(folder)
        (root / "rxconfig.py").write_text(
            "import reflex as rx\nconfig = rx.Config(app_name='blank', telemetry_enabled=False)\n")
        (root / "blank").mkdir()
        (root / "blank" / "__init__.py").write_text("")
        (root / "blank" / "blank.py").write_text(
            "import reflex as rx\napp = rx.App()\napp.add_page(lambda: rx.text('Hello'), route='/')\n")
        subprocess.run([str(Path(PYTHON).with_name("reflex")), "export", "--frontend-only",
                        "--no-zip"], cwd=root, check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        site = root / ".web" / "build" / "client"
        server = ThreadingHTTPServer(("127.0.0.1", 0),
                                     partial(QuietHandler, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{server.server_port}/", wait_until="networkidle")
            return tuple(page.evaluate(SCRIPT_BYTES))
        finally:
            server.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    runs = parser.parse_args().runs
    with database("sqlite") as url, tempfile.TemporaryDirectory() as data, \
            running_app(url, Path(data)) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(**LAUNCH)
        page = browser.new_context(viewport={"width": 768, "height": 1024}).new_page()
        signed_in_capture(page, base)
        fresh = browser.new_context(viewport={"width": 768, "height": 1024}).new_page()
        signed_in_capture(fresh, base)  # a first visit: nothing cached yet when it loaded
        capture_js = fresh.evaluate(SCRIPT_BYTES)
        loads, save_times = offline_loads(page, runs), saves(page, runs)
        blank_js = blank_app_script_bytes(browser)
        browser.close()
    p95 = lambda xs: sorted(xs)[max(0, round(0.95 * len(xs)) - 1)]  # noqa: E731
    print(f"offline load to interactive: median {statistics.median(loads):.0f} ms, "
          f"p95 {p95(loads):.0f} ms  (target ≤ 1500 ms)")
    print(f"Save to 'Saved on this tablet': median {statistics.median(save_times):.0f} ms, "
          f"p95 {p95(save_times):.0f} ms  (target ≤ 100 ms)")
    print(f"JavaScript, capture route: {capture_js[0] / 1024:.0f} KiB transferred, "
          f"{capture_js[1] / 1024:.0f} KiB decoded")
    print(f"JavaScript, blank Reflex app: {blank_js[0] / 1024:.0f} KiB transferred, "
          f"{blank_js[1] / 1024:.0f} KiB decoded")
    print(f"ratio (decoded): {capture_js[1] / blank_js[1]:.2f}  (target ≤ 1.3)")


if __name__ == "__main__":
    main()
