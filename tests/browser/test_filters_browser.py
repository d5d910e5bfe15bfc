"""URL state and "view in source" in a real browser: what a colleague opening a shared link sees."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest
from apprunner import full_page_screenshot

pytestmark = pytest.mark.browser

SHARED = "?person=Marco%20Rubio&start=2025-03-01&end=2025-03-31"


def main_text(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def wait_for_text(page, text: str, timeout: float = 60_000) -> None:
    page.get_by_text(text, exact=False).first.wait_for(timeout=timeout)


def test_a_shared_url_restores_the_filters_across_pages(page, app_url):
    page.goto(app_url + "/" + SHARED)
    wait_for_text(page, "Statements involving Marco Rubio · Dated 1 March 2025 to 31 March 2025")
    page.locator('[data-testid="stSidebar"] [aria-label="Remove Marco Rubio"]').wait_for(timeout=10_000)
    page.locator('[data-testid="stSidebarNav"]').get_by_text("Sources").click()
    page.wait_for_url(re.compile(r"/sources\?"), timeout=30_000)
    wait_for_text(page, "Statements involving Marco Rubio · Dated 1 March 2025 to 31 March 2025")
    query = parse_qs(urlparse(page.url).query)
    assert query["person"] == ["Marco Rubio"] and query["start"] == ["2025-03-01"] and query["end"] == ["2025-03-31"]


def test_typing_an_alias_or_a_name_without_accents_finds_the_person(page, app_url):
    page.goto(app_url)
    wait_for_text(page, "Key moments")
    box = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first
    for typed, expected in (("Vampiro", "Vladimir Arévalo Chávez"), ("Lopez", "César López Larios")):
        box.locator("input").click()
        box.locator("input").fill(typed)
        option = page.get_by_role("option").filter(has_text=expected).first
        option.wait_for(timeout=10_000)
        page.keyboard.press("Escape")
        box.locator("input").fill("")


def test_view_in_source_opens_the_highlighted_passage(page, app_url, shots):
    page.goto(app_url)
    wait_for_text(page, "Key moments")
    link = page.get_by_role("link", name="view in source").first
    href = link.get_attribute("href")
    statement = parse_qs(urlparse(href).query)["statement"][0]
    assert urlparse(href).fragment == f"quote-{statement}"
    with page.context.expect_page() as opened:
        link.click()
    source_page = opened.value if opened.value else page
    source_page.wait_for_load_state()
    frame_element = source_page.locator('[data-testid="stIFrame"]').first
    frame_element.wait_for(timeout=60_000)
    frame = frame_element.content_frame
    mark = frame.locator("mark.focus").first
    mark.wait_for(timeout=30_000)
    assert frame.locator(f"#quote-{statement}").count() == 1
    # The passage is scrolled into the visible part of the document.
    box = mark.bounding_box()
    frame_box = frame_element.bounding_box()
    assert box and frame_box and frame_box["y"] <= box["y"] <= frame_box["y"] + frame_box["height"]
    full_page_screenshot(source_page, shots / "sources-focus.png")


def test_a_shared_url_shows_only_that_persons_events_on_the_timeline(page, app_url, model):
    """A fresh browser opening ?person=…&start=…&end= on the timeline sees exactly that person's
    dated events in the range, as the filter functions compute them."""
    from datetime import date

    from dashboard.dataset.model import events
    from dashboard.derive import filters as flt

    # The whole span: the busy month's view draws only the marks inside it.
    page.goto(
        app_url + "/timeline?person=C%C3%A9sar%20L%C3%B3pez%20Larios&start=2021-01-01&end=2025-03-31&range=Whole+span"
    )
    page.locator(".dashboard-chart .main-svg").first.wait_for(timeout=60_000)
    wait_for_text(page, "Statements involving César López Larios · Dated 1 January 2021 to 31 March 2025")
    drawn = page.evaluate(
        """() => {
            const plot = document.querySelector('.dashboard-chart.js-plotly-plot');
            return plot.data.filter(t => t.meta === 'timeline-event').flatMap(t => t.customdata);
        }"""
    )
    filters = flt.Filters(people=("César López Larios",), start=date(2021, 1, 1), end=date(2025, 3, 31))
    shown = events(flt.apply(model, filters))
    expected = set(shown.loc[shown["date_start"].notna(), "id"])
    assert drawn and set(drawn) == expected
    involved = flt.involved_names(model, ["César López Larios"])
    rows = model.statements.set_index("id").loc[sorted(drawn)]
    assert (rows["subject"].isin(involved) | rows["object"].isin(involved)).all()
