"""Downloads and presentation mode in a real browser."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.export import png_size
from scripts.apprunner import full_page_screenshot

pytestmark = pytest.mark.browser


def test_the_timeline_png_download_has_the_presets_size(page, app_url, shots):
    page.goto(app_url + "/timeline")
    page.get_by_text("Download for publication").first.wait_for(timeout=60_000)
    page.get_by_text("Download for publication").first.click()
    page.get_by_role("button", name="PNG", exact=True).wait_for(timeout=10_000)
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="PNG", exact=True).click()
    path = download.value.path()
    data = Path(path).read_bytes()
    assert download.value.suggested_filename == "timeline-social.png"
    assert png_size(data) == (1200, 675)
    (shots / "export-timeline-social.png").write_bytes(data)


def test_presentation_mode_hides_the_chrome(page, app_url, shots):
    page.goto(app_url + "/?present=1")
    # Presentation mode hides the key moments: they are on the page, not on screen.
    page.get_by_text("Key moments").first.wait_for(state="attached", timeout=60_000)
    # The page's style arrives with the script's output; on a busy machine, give it time to apply.
    page.locator('[data-testid="stSidebar"]').wait_for(state="hidden", timeout=15_000)
    assert not page.locator('[data-testid="stHeader"]').is_visible()
    page.get_by_role("button", name="Exit presentation mode").wait_for(timeout=10_000)
    full_page_screenshot(page, shots / "presentation-overview.png")
    page.get_by_role("button", name="Exit presentation mode").click()
    page.locator('[data-testid="stSidebar"]').wait_for(state="visible", timeout=30_000)
    assert "present=" not in page.url
