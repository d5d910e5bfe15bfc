"""The self-contained story page in Debian Chromium, opened from file:// with the network closed:
no console error, no request, the timeline and the network drawn, hovers and tooltips showing the
quotes, and the nine-row case table."""

from __future__ import annotations

import pytest
from helpers import STORY
from playwright.sync_api import expect

from dashboard.derive.context import open_context
from dashboard.exports import story

pytestmark = pytest.mark.browser


def open_story(chromium, path):
    context = chromium.new_context(viewport={"width": 1200, "height": 900}, offline=True)
    page = context.new_page()
    problems, requests = [], []
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("request", lambda r: None if r.url.startswith(("file:", "data:", "blob:")) else requests.append(r.url))
    page.goto(path.as_uri())
    page.wait_for_function("window.timelineDrawnAt && window.networkDrawnAt", timeout=60_000)
    return context, page, problems, requests


def test_the_story_page_works_offline_from_a_file(chromium, tmp_path, shots):
    path = tmp_path / "story.html"
    path.write_text(story.story_html(open_context(STORY)), encoding="utf-8")
    context, page, problems, requests = open_story(chromium, path)
    try:
        expect(page.locator("h1")).to_have_text("The Rubio–Bukele deal: nine MS-13 leaders for CECOT")
        expect(page.locator(".notice")).to_contain_text("implies no wrongdoing")
        expect(page.locator("footer")).to_contain_text("Source: News article on the Rubio–Bukele deal")
        # The timeline: Plotly drew its marks; a hover shows the date, how it was obtained and the quote.
        marks = page.locator("#timeline .scatterlayer path.point")
        expect(marks.first).to_be_visible()
        hover = page.locator("#timeline .hoverlayer .hovertext")
        page.locator("#timeline").scroll_into_view_if_needed()  # below the key moments
        for index in range(marks.count()):
            box = marks.nth(index).bounding_box()
            page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            if hover.count():
                break
        assert "According to" in hover.first.text_content()
        page.locator("#timeline-section").screenshot(path=str(shots / "story-timeline-hover.png"))
        # The network: vis-network drew on its canvas; hovering a person shows his tooltip as text.
        expect(page.locator("#network canvas")).to_be_visible()
        page.locator("#network").scroll_into_view_if_needed()
        x, y = page.evaluate(
            """() => { const n = window.storyNetwork, p = n.canvasToDOM(n.getPositions(['Marco Rubio'])['Marco Rubio']);
                       const r = document.getElementById('network').getBoundingClientRect();
                       return [r.left + p.x, r.top + p.y]; }"""
        )
        page.mouse.move(x, y)
        tooltip = page.locator("div.vis-tooltip")
        expect(tooltip).to_be_visible()
        expect(tooltip).to_contain_text("Secretary of State")
        page.locator("#network-section").screenshot(path=str(shots / "story-network-tooltip.png"))
        # The case table: the nine men, unnamed ones shown as unnamed.
        expect(page.locator("#cases tbody tr")).to_have_count(9)
        expect(page.locator("#cases tbody")).to_contain_text("Unnamed — not identified in the source")
        expect(page.locator("ol.passages > li")).to_have_count(len(open_context(STORY).statements))
        page.screenshot(path=str(shots / "story-top.png"))
        assert not problems, problems
        assert not requests, requests
    finally:
        context.close()


def test_a_filtered_story_page_shows_the_filtered_view(chromium, tmp_path):
    chosen = open_context(STORY, {"person": ["Marco Rubio"]})
    path = tmp_path / "rubio.html"
    path.write_text(story.story_html(chosen), encoding="utf-8")
    context, page, problems, requests = open_story(chromium, path)
    try:
        expect(page.locator(".subtitle")).to_contain_text(
            f"Marco Rubio · {len(chosen.statements)} of {len(chosen.model.statements)} statements"
        )
        expect(page.locator("ol.passages > li")).to_have_count(len(chosen.statements))
        assert page.evaluate("window.storyNetwork.body.data.nodes.length") < 20
        assert not problems and not requests
    finally:
        context.close()


def test_the_apps_story_button_downloads_the_same_page(page, app_url, chromium, tmp_path, shots):
    page.goto(app_url + "/network?person=Marco%20Rubio")
    panel = page.get_by_text("Take the story out").first
    panel.wait_for(timeout=60_000)
    panel.click()
    button = page.get_by_role("button", name="Story page (HTML)", exact=True)
    with page.expect_download(timeout=60_000) as download:
        button.click()
    assert download.value.suggested_filename == "story-filtered.html"
    path = tmp_path / "downloaded.html"
    download.value.save_as(path)
    context, story_page, problems, requests = open_story(chromium, path)
    try:
        expect(story_page.locator(".subtitle")).to_contain_text("Marco Rubio")
        expect(story_page.locator("#network canvas")).to_be_visible()
        assert not problems and not requests
    finally:
        context.close()
