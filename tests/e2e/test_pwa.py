"""PWA basics: installable manifest, touch targets for gloved hands, light and dark."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import expect_path, screenshot, sign_in

pytestmark = pytest.mark.one_leg  # rendering only: the SQLite leg's run is enough

TOUCH_PX = 44


def test_manifest_makes_the_app_installable(page: Page):
    manifest = page.request.get("/manifest.webmanifest").json()
    assert manifest["name"] == manifest["short_name"] == "Wingwatch"
    assert manifest["display"] == "standalone" and manifest["start_url"] == "/"
    assert manifest["theme_color"].startswith("#")
    assert {icon["sizes"] for icon in manifest["icons"]} == {"192x192", "512x512"}
    for icon in manifest["icons"]:
        response = page.request.get(icon["src"])
        assert response.ok and response.headers["content-type"] == "image/png"


@pytest.mark.parametrize("username", [None, "officer1", "admin1"])
def test_every_control_is_a_44px_touch_target(page: Page, username: str | None):
    if username:
        sign_in(page, username)
        # The capture page has no menu: its status bar is ready when the save button is.
        ready = page.get_by_role("button", name="Save").or_(
            page.get_by_role("navigation", name="Main").get_by_role("link").first)
        expect(ready).to_be_visible()
    else:
        page.goto("/login")
        expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    # A tick box's target is its whole label; the box itself may be smaller.
    controls = page.locator("button:visible, input:visible:not([type=checkbox]):not([type=radio]),"
                            " a:visible, summary:visible, label:has(input[type=checkbox]):visible,"
                            " label:has(input[type=radio]):visible, select:visible")
    assert controls.count() >= 2
    small = [
        (control.evaluate("e => e.outerHTML.slice(0, 80)"), box["height"])
        for control in controls.all()
        if (box := control.bounding_box()) and box["height"] < TOUCH_PX
    ]
    assert small == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_pages_follow_the_device_colour_scheme(page: Page, scheme: str):
    page.emulate_media(color_scheme=scheme)
    sign_in(page, "security1")
    expect_path(page, "/trends")
    expect(page.get_by_role("heading", name="Trends", exact=True)).to_be_visible()
    background = page.evaluate(
        "() => getComputedStyle(document.querySelector('.radix-themes')).backgroundColor")
    red, green, blue = (int(part) for part in background[background.index("(") + 1:-1]
                        .split(",")[:3])
    luminance = (0.2126 * red + 0.7152 * green + 0.0722 * blue) / 255
    assert (luminance < 0.3) if scheme == "dark" else (luminance > 0.8)
    screenshot(page, f"trends-{scheme}")
