"""A real Chromium opens the running app and sees the overview drawn from the bundled data."""

import pytest
from apprunner import full_page_screenshot, wait_for_app

pytestmark = pytest.mark.browser


def test_overview_renders_in_a_real_browser(page, app_url, shots, offline):
    page.goto(app_url)
    wait_for_app(page)
    page.get_by_role("heading", name="The Rubio–Bukele deal").wait_for(timeout=30_000)
    page.get_by_role("heading", name="About this dataset").wait_for(timeout=30_000)
    body = page.locator('[data-testid="stMain"]').inner_text()
    assert "Appearing in this data implies no wrongdoing" in body
    assert "Key moments" in body and "Rubio–Bukele call" in body
    assert "116 of 116 statements" in body
    full_page_screenshot(page, shots / "overview.png")
    assert offline.external() == [], "the dashboard must work offline"
