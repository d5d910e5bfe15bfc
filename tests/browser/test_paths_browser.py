"""A real Chromium opens a share link to "How are they connected?": the chains and their quotes are
shown, and vis-network draws the first chain outlined with everything else faded."""

from __future__ import annotations

import pytest
from apprunner import full_page_screenshot, wait_for_app
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

NETWORK_FRAME = '[data-testid="stIFrame"]'


def test_a_share_link_opens_the_chain_drawn_and_quoted(new_page, app_url, shots):
    page = new_page(1440, 900)
    page.goto(f"{app_url}/network?from=Marco+Rubio&to=Osiris+Luna")
    wait_for_app(page)
    main = page.locator('[data-testid="stMain"]')
    expect(main.get_by_text("5 shortest chains of 4 links between Marco Rubio and Osiris Luna")).to_be_visible()
    first = main.locator('[data-testid="stExpander"]', has_text="Chain 1 · alleged at its weakest")
    expect(first.get_by_text("“Deputy Justice Minister Osiris Luna”")).to_be_visible()
    expect(first.get_by_role("link", name="view in source").first).to_have_attribute(
        "href", "./sources?statement=s004#quote-s004"
    )
    frame = page.locator(NETWORK_FRAME).element_handle().content_frame()
    frame.wait_for_function("typeof network !== 'undefined' && network.body.nodeIndices.length > 0")
    drawn = frame.evaluate(
        """() => {
            const nodes = network.body.nodes;
            const ids = network.body.nodeIndices;
            return {
                outlined: ids.filter(id => nodes[id].options.borderWidth === 4).sort(),
                faded: ids.filter(id => nodes[id].options.opacity < 1).length,
                total: ids.length,
            };
        }"""
    )
    assert drawn["outlined"] == sorted(
        ["Marco Rubio", "Nayib Bukele", "[The nine men Bukele requested]", "Salvadoran government", "Osiris Luna"]
    )
    assert drawn["faded"] == drawn["total"] - 5
    page.locator(NETWORK_FRAME).scroll_into_view_if_needed()
    page.locator(NETWORK_FRAME).screenshot(path=str(shots / "paths-network-1440.png"))
    full_page_screenshot(page, shots / "paths-page-1440.png")
