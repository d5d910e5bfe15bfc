"""A real Chromium opens the running app and sees the overview drawn from the bundled data."""

import pytest

from scripts.apprunner import full_page_screenshot, wait_for_app

pytestmark = pytest.mark.browser


def test_overview_renders_in_a_real_browser(page, app_url, shots):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(app_url)
    wait_for_app(page)
    page.get_by_role("heading", name="The Rubio–Bukele deal").wait_for(timeout=30_000)
    page.get_by_role("heading", name="About this dataset").wait_for(timeout=30_000)
    body = page.locator('[data-testid="stMain"]').inner_text()
    assert "Appearing in this data implies no wrongdoing" in body
    assert "Key moments" in body and "Rubio–Bukele call" in body
    assert "114 of 114 statements" in body
    full_page_screenshot(page, shots / "overview.png")
    external = [url for url in requests if not url.startswith(app_url) and not url.startswith("data:")]
    assert external == [], "the dashboard must work offline"
