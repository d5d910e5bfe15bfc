"""A real Chromium, as an attacker's share link would open the app (issue 13): payloads in the URL
show as text (no link, no image fetched, no colour), and tables offer no built-in CSV download
that would bypass the formula-safe export."""

from __future__ import annotations

from urllib.parse import urlencode, urlparse

import pytest
from apprunner import wait_for_app

pytestmark = pytest.mark.browser

LINK = "[Verify your account here](https://evil.example/login)"
IMAGE = "![x](https://evil.example/px.png)"
COLOUR = ":red[**This story has been RETRACTED**]"


@pytest.mark.parametrize(("path", "param"), [("", "person"), ("sources", "statement"), ("network", "focus")])
def test_url_payloads_render_as_text(page, app_url, shots, path, param):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    # One value holding every payload: `statement` and `focus` read a single value.
    query = urlencode([(param, f"{LINK} {IMAGE} {COLOUR}"), ("side", "https://evil.example/x")])
    page.goto(f"{app_url}/{path}?{query}")
    wait_for_app(page)
    main = page.locator('[data-testid="stMain"]')
    main.get_by_text("evil.example/login", exact=False).first.wait_for(timeout=30_000)
    page.screenshot(path=str(shots / f"security-payloads-{path or 'overview'}.png"))
    assert page.locator('a[href*="evil"]').count() == 0
    assert page.locator('img[src*="evil"]').count() == 0
    assert not [url for url in requests if "evil" in (urlparse(url).hostname or "")]
    text = main.inner_text()
    assert LINK in text.replace("\u2060", "") and ":red[" in text  # shown as written, not rendered
    retracted = main.get_by_text("This story has been RETRACTED", exact=False).first
    colour = retracted.evaluate("e => getComputedStyle(e).color")
    assert colour in ("rgb(49, 51, 63)", "rgb(38, 39, 48)") or "0, 0" not in colour, colour
    assert retracted.evaluate("e => e.closest('strong, b') === null")


@pytest.mark.parametrize(("path", "heading"), [("cases", "Case by case"), ("timeline", "Undated events")])
def test_tables_offer_no_built_in_csv_download(page, app_url, path, heading):
    page.goto(f"{app_url}/{path}")
    wait_for_app(page)
    page.get_by_role("heading", name=heading).wait_for(timeout=30_000)
    grid = page.locator('[data-testid="stDataFrame"]').last
    grid.locator("canvas").first.wait_for(timeout=30_000)
    grid.hover()
    toolbar = page.locator('[data-testid="stElementToolbar"]').last
    toolbar.get_by_role("button").first.wait_for(timeout=10_000)  # the toolbar is there (search, fullscreen)
    labels = [b.get_attribute("aria-label") or b.inner_text() for b in toolbar.get_by_role("button").all()]
    assert labels and not [label for label in labels if "Download" in label or "download" in label], labels
