"""The production build under its security headers (issue 9, items 3 and 4), in Chromium: every
page of every role runs with no Content-Security-Policy violation, static files carry the headers
too, and other origins get neither our API's answers nor our websocket."""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

from playwright.sync_api import Browser, ConsoleMessage, Page, expect

from tests.e2e.capture_steps import open_capture, record, waiting
from tests.e2e.conftest import TABLET, expect_path, sign_in
from tests.screening_data import flagged_item

EVIL = "http://evil.example"
# Violations also reach the console as "Refused to …"; the event names the directive.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.effectiveDirective} ${event.blockedURI}`);
});
"""
PAGES = {  # each role's home first
    "screener1": ["/screening", "/screening/{item}"],
    "security1": ["/trends"],
    "admin1": ["/admin"],
}


def watched_page(browser: Browser, base_url: str, violations: list[str]) -> Page:
    context = browser.new_context(base_url=base_url, viewport=TABLET)
    context.add_init_script(REPORT_VIOLATIONS)
    page = context.new_page()

    def note(message: ConsoleMessage) -> None:
        text = message.text
        if "Content Security Policy" in text or text.startswith("CSP violation") \
                or "Permissions-Policy" in text:  # a header the browser could not read
            violations.append(f"{page.url}: {text}")

    page.on("console", note)
    return page


def shown(page: Page, path: str) -> None:
    """The page itself, not the sign-in page or "Not allowed", and its data has arrived."""
    expect_path(page, path)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    expect(page.locator("main h1, main h2").first).to_be_visible()
    expect(page.get_by_role("heading", name="Not allowed")).to_have_count(0)


def test_every_page_runs_under_the_policy(browser: Browser, base_url: str):
    violations: list[str] = []
    item = flagged_item()
    officer = watched_page(browser, base_url, violations)
    open_capture(officer)  # session token, bootstrap, service worker, IndexedDB, WebCrypto
    record(officer, "Security test: a quiet morning on the wing, nothing of note at all.")
    expect(waiting(officer, 0)).to_be_visible(timeout=30000)
    officer.goto("/entries")
    shown(officer, "/entries")
    for username, paths in PAGES.items():
        page = watched_page(browser, base_url, violations)
        sign_in(page, username)
        expect_path(page, paths[0])  # home: the cookie is set before we navigate away
        for path in paths:
            page.goto(path.format(item=item))
            shown(page, path.format(item=item))
        page.context.close()
    assert violations == []


def test_static_files_and_pages_carry_the_headers(page: Page):
    for path in ("/login/", "/wingwatch.js", "/sw.js", "/manifest.webmanifest", "/nowhere",
                 "/api/v1/health"):
        headers = page.request.get(path).headers
        assert "frame-ancestors 'none'" in headers["content-security-policy"], path
        assert headers["x-content-type-options"] == "nosniff", path
        assert headers["referrer-policy"] == "no-referrer", path


def test_another_site_cannot_read_the_api(page: Page, base_url: str):
    page.route(f"{EVIL}/", lambda route: route.fulfill(content_type="text/html",
                                                         body="<h1>Elsewhere</h1>"))
    page.goto(f"{EVIL}/")
    read = page.evaluate("""async (url) => {
        try { await fetch(url, {credentials: "include"}); return "read"; }
        catch (error) { return "refused"; }
    }""", f"{base_url}/api/v1/health")
    assert read == "refused"


def handshake_status(base_url: str, origin: str) -> int:
    """A raw websocket upgrade of /_event, as a browser on `origin` sends it."""
    parts = urlsplit(base_url)
    request = (f"GET /_event/?EIO=4&transport=websocket HTTP/1.1\r\nHost: {parts.netloc}\r\n"
               "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
               f"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nOrigin: {origin}\r\n\r\n")
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as conn:
        conn.sendall(request.encode())
        status_line = conn.recv(4096).split(b"\r\n", 1)[0]
    return int(status_line.split()[1])


def test_the_websocket_opens_only_for_our_origin(base_url: str):
    assert handshake_status(base_url, base_url) == 101
    assert handshake_status(base_url, EVIL) == 403
