"""The timeline's own chart element (dashboard/app/chart.py) in a real browser: a rerun that keeps
the figure does not draw it again, and a chart whose script cannot load says so."""

from __future__ import annotations

import pytest
from apprunner import wait_for_app
from playwright.sync_api import expect
from test_timeline_browser import VISIBLE_PLOT, open_timeline

from dashboard.app import chart

pytestmark = pytest.mark.browser


def test_a_rerun_that_keeps_the_figure_does_not_draw_it_again(page, app_url):
    open_timeline(page, app_url + "/timeline")
    page.evaluate(
        """() => { const gd = VISIBLE_PLOT; window.draws = 0; gd.kept = true;
            gd.on('plotly_afterplot', () => { window.draws += 1; }); }""".replace("VISIBLE_PLOT", VISIBLE_PLOT)
    )
    # Opening the export panel reruns the page (its content is built only while open).
    page.get_by_text("Download for publication").first.click()
    expect(page.get_by_text("Preview and make the files").first).to_be_visible(timeout=60_000)
    wait_for_app(page)
    assert page.evaluate(f"() => {VISIBLE_PLOT}.kept === true")  # the same element, not a new one
    assert page.evaluate("() => window.draws") == 0
    # A rerun with another figure draws it: the other window of the timeline.
    page.get_by_text("Whole span").first.click()
    page.wait_for_function("() => window.draws > 0", timeout=30_000)


def test_a_chart_whose_script_cannot_load_says_so(page, app_url):
    page.route(f"**/{chart.BUNDLE}", lambda route: route.abort())
    page.goto(app_url + "/timeline")
    wait_for_app(page)
    expect(page.locator(f".{chart.CHART_CLASS}").first).to_contain_text(
        "The chart could not be drawn: its script did not load from", timeout=30_000
    )
