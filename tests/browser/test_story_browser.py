"""The self-contained story page in Debian Chromium, opened from file:// with the network closed:
no console error, no request, the timeline and the network drawn as SVG, each mark's tooltip, a
click on a mark or a person opening its details (the quote, who says so, how sure), the view
buttons, and the nine-row case table."""

from __future__ import annotations

import re

import pytest
from helpers import STORY
from playwright.sync_api import expect

from dashboard.derive.context import open_context
from dashboard.exports import story

pytestmark = pytest.mark.browser


def open_story(new_page, path):
    page = new_page(offline=True)
    problems, requests = [], []
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("request", lambda r: None if r.url.startswith(("file:", "data:", "blob:")) else requests.append(r.url))
    page.goto(path.as_uri())
    page.wait_for_function("window.timelineDrawnAt && window.networkDrawnAt", timeout=60_000)
    return page, problems, requests


VISIBLE_VIEW = ".timeline-views:visible svg.timeline-view:visible"


def test_the_story_page_works_offline_from_a_file(new_page, tmp_path, shots):
    path = tmp_path / "story.html"
    path.write_text(story.story_html(open_context(STORY)), encoding="utf-8")
    page, problems, requests = open_story(new_page, path)
    expect(page.locator("h1")).to_have_text("The Rubio–Bukele deal: nine MS-13 leaders for CECOT")
    expect(page.locator(".notice")).to_contain_text("implies no wrongdoing")
    expect(page.locator("footer")).to_contain_text("Source: News article on the Rubio–Bukele deal")
    # The timeline opens on context and focus (the axis broken before February 2025), the whole
    # span one click away; each mark's tooltip gives its date and what happened.
    view = page.locator(VISIBLE_VIEW)
    expect(view).to_have_count(1)
    expect(view.locator(".panel")).to_have_count(2)
    call = view.locator('.mark[data-statement="s010"]')  # the Rubio–Bukele call, as officials tell it
    expect(call.locator("title")).to_have_text(re.compile(r"^13 March 2025 .*Rubio assured Bukele"))
    # A click opens the statement's details: its quote, who says so and how sure.
    call.scroll_into_view_if_needed()
    call.click()
    details = page.locator("#timeline-details")
    expect(details).to_be_visible()
    expect(details.locator("blockquote")).to_contain_text("Rubio assured Salvadoran President Nayib Bukele")
    expect(details).to_contain_text("According to officials familiar with the March 13 phone call")
    expect(details).to_contain_text("alleged")
    page.locator("#timeline-section").screenshot(path=str(shots / "story-timeline-details.png"))
    details.get_by_role("button", name="Close").click()
    expect(details).to_be_hidden()
    # The keyboard opens the same details.
    view.locator(".mark").first.focus()
    page.keyboard.press("Enter")
    expect(details).to_be_visible()
    page.locator(".timeline-views:visible").get_by_role("button", name="Whole span", exact=True).click()
    expect(page.locator(VISIBLE_VIEW)).to_have_attribute("data-name", "Whole span")
    expect(page.locator(VISIBLE_VIEW).locator(".panel")).to_have_count(1)
    # The network: every person a mark with its tooltip; a click opens the details as text.
    rubio = page.locator('#network-svg .node[aria-label="Marco Rubio"]')
    expect(rubio).to_be_visible()
    expect(rubio.locator("title")).to_contain_text("Secretary of State")
    rubio.scroll_into_view_if_needed()
    rubio.click()
    network_details = page.locator("#network-details")
    expect(network_details).to_contain_text("Secretary of State")
    # ... and the statements behind his links, each with its quote, who says so and how sure.
    expect(network_details.locator("blockquote").first).to_be_visible()
    expect(network_details).to_contain_text("privately promised El Salvador’s president")
    expect(network_details).to_contain_text("According to the article")
    page.locator("#network-section").screenshot(path=str(shots / "story-network-details.png"))
    # The case table: the nine men, unnamed ones shown as unnamed.
    expect(page.locator("#cases tbody tr")).to_have_count(9)
    expect(page.locator("#cases tbody")).to_contain_text("Unnamed — not identified in the source")
    expect(page.locator("ol.passages > li")).to_have_count(len(open_context(STORY).statements))
    page.screenshot(path=str(shots / "story-top.png"))
    assert not problems, problems
    assert not requests, requests


def test_a_filtered_story_page_shows_the_filtered_view(new_page, tmp_path):
    chosen = open_context(STORY, {"person": ["Marco Rubio"]})
    path = tmp_path / "rubio.html"
    path.write_text(story.story_html(chosen), encoding="utf-8")
    page, problems, requests = open_story(new_page, path)
    expect(page.locator(".subtitle")).to_contain_text(
        f"Marco Rubio · {len(chosen.statements)} of {len(chosen.model.statements)} statements"
    )
    expect(page.locator("ol.passages > li")).to_have_count(len(chosen.statements))
    assert 0 < page.locator("#network-svg .node").count() < 20
    assert not problems and not requests


def test_the_apps_story_button_downloads_the_same_page(page, app_url, new_page, tmp_path, shots):
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
    story_page, problems, requests = open_story(new_page, path)
    expect(story_page.locator(".subtitle")).to_contain_text("Marco Rubio")
    expect(story_page.locator("#network-svg")).to_be_visible()
    assert not problems and not requests
