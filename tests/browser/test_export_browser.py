"""Downloads and presentation mode in a real browser."""

from __future__ import annotations

from pathlib import Path

import pytest
from apprunner import full_page_screenshot
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from dashboard.exports.render import png_size

pytestmark = pytest.mark.browser


def test_the_timeline_png_download_has_the_presets_size(page, app_url, shots):
    page.goto(app_url + "/timeline")
    page.get_by_text("Download for publication").first.wait_for(timeout=60_000)
    page.get_by_text("Download for publication").first.click()
    page.get_by_text("Preview and make the files").first.click()  # the files are made in the page's run
    page.get_by_role("button", name="PNG", exact=True).wait_for(timeout=60_000)
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


def test_the_frame_editor_rewrites_the_downloaded_file(page, app_url):
    page.goto(app_url + "/timeline")
    page.get_by_text("Download for publication").first.wait_for(timeout=60_000)
    page.get_by_text("Download for publication").first.click()
    title = page.get_by_label("Title", exact=True)
    title.wait_for(timeout=10_000)
    assert title.input_value() == "What happened, 2021 to 2025"  # the headline written from the view
    title.fill("The March deal, day by day")
    title.press("Enter")
    page.get_by_label("Byline").fill("Jane Doe")
    page.get_by_label("Byline").press("Enter")
    page.locator('[data-test-script-state="notRunning"]').wait_for(timeout=30_000)
    # The package names no outlet, date or link: the panel says so.
    page.get_by_text("gives no outlet, date or link").first.wait_for(timeout=10_000)
    # The files are made in the page's run once the editor asks for them (a failure is said in words).
    page.get_by_text("Preview and make the files").first.click()
    expect(page.get_by_role("button", name="SVG", exact=True)).to_be_visible(timeout=60_000)

    def downloaded() -> str:
        """The file the SVG button gives, or "" when the click landed on a button that a rerun was
        replacing (no download starts then; a reader clicks again)."""
        try:
            with page.expect_download(timeout=20_000) as download:
                page.get_by_role("button", name="SVG", exact=True).click()
        except PlaywrightTimeout:
            return ""
        return Path(download.value.path()).read_text(encoding="utf-8")

    # The edits reach the server with the rerun that Enter starts; a click that lands before that
    # rerun has drawn the buttons gets the file as it was, or nothing. Wait for the real thing:
    # download again, once the app is idle, until the file carries the edits (a few tries at most).
    svg = ""
    for _ in range(5):
        page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(timeout=30_000)
        svg = downloaded()
        if "The March deal, day by day" in svg and "Graphic: Jane Doe" in svg:
            break
    assert "The March deal, day by day" in svg and "Graphic: Jane Doe" in svg
    assert "Appearing in this chart implies no wrongdoing" in svg


def test_the_exported_network_html_zooms_and_pans_offline(new_page, tmp_path):
    import subprocess
    import sys

    from apprunner import REPO

    out = tmp_path / "network.html"
    command = ["export", "network", "--format", "html", "--focus", "Nayib Bukele", "--out", str(out)]
    subprocess.run([sys.executable, "-m", "dashboard", *command], cwd=REPO, check=True, capture_output=True, timeout=99)
    page = new_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(out.as_uri())
    page.wait_for_function("window.networkDrawnAt !== undefined", timeout=30_000)
    assert page.title() == "Who is linked to Nayib Bukele" and page.evaluate("document.documentElement.lang") == "en"
    assert page.get_by_role("group", name="Legend").is_visible()
    before = page.evaluate("network.getScale()")
    box = page.locator("#mynetwork canvas").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.wheel(0, -400)
    page.wait_for_function(f"network.getScale() > {before}", timeout=10_000)
    assert [u for u in requests if not u.startswith(("file:", "data:", "blob:", "about:"))] == []
