"""Accessibility in a real Chromium: axe-core on every page at desktop and phone widths, the keyboard
(focus ring, date fields), the person search, presentation mode and the phone layout.

One browser context per width is shared by the tests of this module (pages are reused, not reopened),
and every wait is on Streamlit's own "script finished" state or on a Playwright `expect`.
"""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

DESKTOP, PHONE = 1440, 390
# page path -> text that shows the page has finished drawing
PAGES = {
    "": "About this dataset",
    "timeline": "Undated events",
    "network": "Entities and their relations",
    "cases": "Case by case",
    "sources": "no statement quotes yet",
}
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
# Every kind of option widget the pages use (the exit button of presentation mode is a button too).
OPTION_WIDGETS = (
    '[data-testid="stMultiSelect"], [data-testid="stSelectbox"], [data-testid="stRadio"], '
    '[data-testid="stCheckbox"], [data-testid="stToggle"], [data-testid="stDateInput"], '
    '[data-testid="stTextInput"], [data-testid="stDownloadButton"], [data-testid="stExpander"], '
    '[data-testid="stButton"]:not(.st-key-exit_presentation [data-testid="stButton"])'
)
AXE = Axe()


@pytest.fixture(scope="module")
def pages(chromium):
    """One page per width, reused by every test of the module."""
    contexts = {width: chromium.new_context(viewport={"width": width, "height": 900}) for width in (DESKTOP, PHONE)}
    yield {width: context.new_page() for width, context in contexts.items()}
    for context in contexts.values():
        context.close()


def open_page(page, url: str, ready_text: str, height: int = 900) -> None:
    page.set_viewport_size({"width": page.viewport_size["width"], "height": height})
    page.goto(url)
    expect(page.get_by_text(ready_text).first).to_be_attached(timeout=60_000)
    expect(page.locator(IDLE)).to_be_attached(timeout=60_000)
    # Streamlit loads the code that draws st.html lazily: wait until the app's own styles are applied.
    page.wait_for_function(
        "() => [...document.querySelectorAll('style')].some(s => s.textContent.includes('stCaptionContainer'))",
        timeout=30_000,
    )


def grow_to_content(page) -> None:
    """Streamlit scrolls inside its own container: make the viewport as tall as the content, so axe
    sees every element on screen (it cannot judge the contrast of what is scrolled out of view)."""
    height = page.evaluate(
        """() => Math.max(document.querySelector('[data-testid="stMain"]').scrollHeight, document.body.scrollHeight)"""
    )
    page.set_viewport_size({"width": page.viewport_size["width"], "height": min(int(height) + 40, 16000)})
    expect(page.locator(IDLE)).to_be_attached()


def axe_violations(page) -> list[dict]:
    """axe-core's violations for the page and the documents in its iframes (the network, the sources)."""
    for frame in page.frames[1:]:
        frame.evaluate(AXE.axe_script)  # axe checks a frame only where its script runs
    return AXE.run(page).response["violations"]


def serious(violations: list[dict]) -> list[dict]:
    """The violations the issue counts: serious or critical, and the heading outline."""
    return [v for v in violations if v["impact"] in ("serious", "critical") or v["id"] == "heading-order"]


def summary(violations: list[dict]) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {node['html'][:120]} — {node['failureSummary'][:160]}"
        for v in violations
        for node in v["nodes"]
    ]


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_axe_finds_no_serious_or_critical_violation_on_any_page(pages, app_url, width):
    page = pages[width]
    found = {}
    for path, ready_text in PAGES.items():
        open_page(page, f"{app_url}/{path}", ready_text)
        if path == "network":
            expect(page.frame_locator('[data-testid="stIFrame"]').locator("canvas")).to_be_attached(timeout=60_000)
        # The first few collapsed sections opened, so their contents are checked too.
        for summary_line in page.locator('[data-testid="stExpander"] summary').all()[:3]:
            if summary_line.is_visible():
                summary_line.click()
        grow_to_content(page)
        bad = serious(axe_violations(page))
        if bad:
            found[path or "overview"] = summary(bad)
    assert not found, found


def test_iframes_are_labelled_for_screen_readers(pages, app_url):
    page = pages[DESKTOP]
    for path in ("network", "sources"):
        open_page(page, f"{app_url}/{path}", PAGES[path])
        frame = page.locator('[data-testid="stIFrame"]').first
        expected = "Network graph of the entities" if path == "network" else "with the quoted passages highlighted"
        expect(frame).to_have_attribute("title", re.compile(expected))
        if path == "network":  # the drawing itself, inside the frame, is an image with a name too
            graph = page.frame_locator('[data-testid="stIFrame"]').first.locator("#mynetwork")
            expect(graph).to_have_attribute("role", "img")
            expect(graph).to_have_attribute("aria-label", re.compile("listed in words below the graph"))


@pytest.mark.parametrize("path", ["", "timeline", "network", "cases", "sources"])
def test_presentation_mode_shows_the_title_the_chart_and_its_source_line_only(pages, app_url, path):
    page = pages[DESKTOP]
    open_page(page, f"{app_url}/{path}?present=1", PAGES[path])
    expect(page.locator('[data-testid="stSidebar"]')).to_be_hidden()
    expect(page.locator("h1").first).to_be_visible()
    chart = {
        "timeline": ".dashboard-chart",
        "network": '[data-testid="stIFrame"]',
        "cases": ".st-key-cases_table",
        "sources": '[data-testid="stIFrame"]',
    }.get(path, '[data-testid="stMetric"]')
    expect(page.locator(chart).first).to_be_visible(timeout=30_000)
    expect(page.locator(".st-key-present_source")).to_contain_text("Source:")
    assert [w.get_attribute("data-testid") for w in page.locator(OPTION_WIDGETS).all() if w.is_visible()] == []
    for hidden_text in ("Reset filters", "Download for publication", "Description:"):
        assert not page.get_by_text(hidden_text).first.is_visible()
    # The way out is a normal button, at full strength (it was at 0.2 opacity, about 1.5:1).
    exit_button = page.get_by_role("button", name="Exit presentation mode")
    expect(exit_button).to_be_visible()
    assert (
        page.evaluate(
            """() => { let e = document.querySelector('.st-key-exit_presentation button'), o = 1;
                   for (; e; e = e.parentElement) o *= Number(getComputedStyle(e).opacity); return o; }"""
        )
        == 1
    )
    grow_to_content(page)
    assert summary(serious(axe_violations(page))) == []


def test_page_links_show_a_focus_ring_unlike_hover(pages, app_url):
    page = pages[DESKTOP]
    open_page(page, f"{app_url}/", PAGES[""])
    link = page.locator('[data-testid="stSidebarNavLink"]').nth(1)
    outline = "e => getComputedStyle(e).outlineStyle + ' ' + getComputedStyle(e).outlineWidth"
    link.hover()
    assert link.evaluate(outline).startswith("none")
    page.locator('[data-testid="stSidebarNavLink"]').first.focus()
    page.keyboard.press("Tab")  # keyboard focus, as a reader moving with Tab gets it
    assert link.evaluate("e => e === document.activeElement")
    assert link.evaluate(outline) == "solid 3px"


def test_typing_a_name_and_enter_adds_that_one_person(pages, app_url):
    page = pages[DESKTOP]
    box = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first
    for typed, expected in (("Lopez", "César López Larios"), ("Vampiro", "Vladimir Arévalo Chávez")):
        open_page(page, f"{app_url}/", PAGES[""])
        box.locator("input").click()
        box.locator("input").press_sequentially(typed)
        expect(page.get_by_role("option").first).to_contain_text(expected)
        page.keyboard.press("Enter")
        expect(box.locator('[aria-label^="Remove "]')).to_have_count(1)
        expect(box.locator(f'[aria-label^="Remove {expected}"]')).to_have_count(1)
        expect(page.locator('[data-testid="stMain"]')).to_contain_text(f"· Statements involving {expected}")


def test_tabbing_through_the_date_fields_opens_no_calendar(pages, app_url):
    page = pages[DESKTOP]
    open_page(page, f"{app_url}/", PAGES[""])
    page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"] input').first.focus()
    page.keyboard.press("Escape")  # close the people list the focus opened
    visited = []
    for _ in range(6):
        page.keyboard.press("Tab")
        visited.append(page.evaluate("() => document.activeElement.getAttribute('aria-label')"))
        assert page.locator('[role="grid"], [role="dialog"]').count() == 0, visited  # no calendar over the filters
    assert "From" in visited and "To" in visited, visited


def test_on_a_phone_the_views_are_near_the_top_and_the_counts_read_in_order(pages, app_url, model):
    from dashboard.derive import overview

    page = pages[PHONE]
    open_page(page, f"{app_url}/", PAGES[""])
    grow_to_content(page)
    links = page.locator('[data-testid="stMain"] [data-testid="stPageLink-NavLink"]')
    expect(links).to_have_count(4)
    tops = [box["y"] for box in (link.bounding_box() for link in links.all())]
    assert max(tops) < 1500, tops  # within the first screens, not ~3,600 px down
    assert all(box["width"] <= PHONE for box in (link.bounding_box() for link in links.all()))
    labels = page.locator('[data-testid="stMetric"] [data-testid="stMetricLabel"]')
    order = sorted(labels.all(), key=lambda label: (label.bounding_box()["y"], label.bounding_box()["x"]))
    assert [label.inner_text().strip() for label in order] == list(overview.key_counts(model, model.statements))
