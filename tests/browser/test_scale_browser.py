"""On a synthetic investigation past the large-graph and WebGL limits, a real Chromium draws the
network's summary with physics off and the timeline's marks with WebGL, and the page says what was
grouped."""

from __future__ import annotations

import pytest
from apprunner import full_page_screenshot, serve, wait_for_app

from dashboard.dataset.synthetic import write_dataset
from dashboard.views import network as net

pytestmark = pytest.mark.browser

FRAME = '[data-testid="stIFrame"]'
CHART = '[data-testid="stPlotlyChart"]'


@pytest.fixture(scope="module")
def big_app(tmp_path_factory):
    """The app on 4,000 synthetic statements: about 400 entities and 2,200 dated events."""
    with serve(data=write_dataset(tmp_path_factory.mktemp("big"), 4000, seed=11)) as url:
        yield url


def test_the_large_network_draws_its_summary_at_once_and_says_so(page, big_app, shots):
    page.goto(f"{big_app}/network")
    wait_for_app(page)
    page.frame_locator(FRAME).locator("canvas").wait_for(timeout=60_000)
    frame = page.locator(FRAME).element_handle().content_frame()
    frame.wait_for_function("window.networkSettledAt !== undefined", timeout=60_000)
    assert frame.evaluate("network.physics.physicsEnabled") is False
    ids = frame.evaluate("network.body.nodeIndices")
    groups = [i for i in ids if i.startswith(net.GROUP_ID)]
    assert len(ids) - len(groups) == net.LARGE_GRAPH_SHOWN and groups
    assert frame.evaluate(f"network.body.nodes[{groups[0]!r}].options.shape") == "hexagon"
    main = page.locator('[data-testid="stMain"]').inner_text()
    assert "Large network:" in main and "grouped into one hexagon per side" in main
    assert "Others, grouped by side" in main  # the legend
    page.locator(FRAME).screenshot(path=str(shots / "scale-network-graph.png"))


def test_thousands_of_events_are_drawn_with_webgl(page, big_app, shots):
    page.goto(f"{big_app}/timeline?range=Whole+span")  # the busy month alone holds fewer marks
    wait_for_app(page)
    page.wait_for_selector(f"{CHART} .main-svg", timeout=60_000)
    page.wait_for_selector(f"{CHART} .gl-container canvas", state="attached", timeout=60_000)
    kinds = page.evaluate("() => [...new Set(document.querySelector('.js-plotly-plot')._fullData.map(t => t.type))]")
    assert "scattergl" in kinds
    full_page_screenshot(page, shots / "scale-timeline.png")
