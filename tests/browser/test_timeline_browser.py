"""A real Chromium draws the timeline at 1200 px: labels apart at both zoom levels, hover, and a
click on a mark that opens its details (the one thing AppTest cannot simulate)."""

import pytest
from apprunner import full_page_screenshot, wait_for_app

from dashboard.views import timeline

pytestmark = pytest.mark.browser

# The page holds a wide chart and a phone chart and shows one by the screen's width: the one shown.
CHART = ".dashboard-chart:visible"
VISIBLE_PLOT = """[...document.querySelectorAll('.dashboard-chart.js-plotly-plot')]
    .find(gd => gd.getClientRects().length)"""
# Screen position of the mark whose customdata is a statement id, from Plotly's own axes.
MARK_POSITION = """(id) => {
    const gd = VISIBLE_PLOT;
    const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis, box = gd.getBoundingClientRect();
    for (const [k, trace] of gd._fullData.entries()) {
        if (trace.meta !== 'EVENT_TRACE') continue;
        const i = Array.from(trace.customdata || []).indexOf(id);
        if (i < 0) continue;
        const point = gd.calcdata[k][i];
        return {x: box.left + xa._offset + xa.c2p(point.x), y: box.top + ya._offset + ya.c2p(point.y)};
    }
    return null;
}""".replace("EVENT_TRACE", timeline.EVENT_TRACE).replace("VISIBLE_PLOT", VISIBLE_PLOT)
# Boxes of every text the chart draws: key-moment labels, dates beside bars, lane names, legends.
TEXT_BOXES = """() => {
    const gd = VISIBLE_PLOT;
    const plot = gd.querySelector('.nsewdrag[data-subplot="xy"]').getBoundingClientRect();
    const boxes = [];
    const keep = (kind, el) => {
        const r = el.getBoundingClientRect();
        if (r.width > 0 && r.height > 0) {
            boxes.push({kind, text: el.textContent, l: r.left, r: r.right, t: r.top, b: r.bottom});
        }
    };
    gd.querySelectorAll('.annotation').forEach(el => {
        const label = el.querySelector('text');
        if (getComputedStyle(el).display !== 'none' && label) keep('annotation', label);
    });
    gd.querySelectorAll('.yaxislayer-above .ytick text').forEach(el => keep('lane', el));
    gd.querySelectorAll('.legend .traces text').forEach(el => keep('legend', el));
    return {boxes, plot: {l: plot.left, r: plot.right}};
}""".replace("VISIBLE_PLOT", VISIBLE_PLOT)


def overlaps(boxes: list[dict]) -> list[tuple[str, str]]:
    clashes = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            if a["l"] < b["r"] - 1 and b["l"] < a["r"] - 1 and a["t"] < b["b"] - 1 and b["t"] < a["b"] - 1:
                clashes.append((a["text"], b["text"]))
    return clashes


def open_timeline(page, url: str) -> None:
    page.goto(url)
    wait_for_app(page)
    page.wait_for_selector(f"{CHART} .main-svg", timeout=60_000)
    wait_for_plot(page)


def wait_for_plot(page) -> None:
    """Until Plotly has laid the chart out at its container's width and painted the result."""
    page.wait_for_function(
        """() => {
            const gd = VISIBLE_PLOT;
            return gd && gd._fullLayout && !gd._transitioning
                && Math.abs(gd.getBoundingClientRect().width - gd._fullLayout.width) < 1
                && gd.querySelectorAll('.annotation').length > 0;
        }""".replace("VISIBLE_PLOT", VISIBLE_PLOT),
        timeout=30_000,
    )
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")


def check_texts_apart(page, expected: set[str]) -> None:
    drawn = page.evaluate(TEXT_BOXES)
    boxes = drawn["boxes"]
    assert overlaps(boxes) == []
    # A label wrapped onto two lines reads as one string without the break's space.
    labels = {b["text"].replace(" ", "") for b in boxes if b["kind"] == "annotation"}
    assert {text.replace(" ", "") for text in expected} <= labels, labels
    for box in boxes:
        if box["kind"] == "annotation":
            assert drawn["plot"]["l"] - 1 <= box["l"] and box["r"] <= drawn["plot"]["r"] + 1, box


def test_timeline_labels_apart_at_both_zooms_and_a_click_opens_details(page, app_url, shots, offline):
    open_timeline(page, f"{app_url}/timeline")
    full_page_screenshot(page, shots / "timeline-initial.png")
    page.set_viewport_size({"width": 1200, "height": 900})
    wait_for_plot(page)
    # The page opens on the busiest month (March 2025), the whole span one click away.
    page.locator(CHART).screenshot(path=str(shots / "timeline-chart-march.png"))
    check_texts_apart(page, {"Rubio–Bukele call", "Venezuelans deported", "13 March 2025 or later"})

    # The range radio replaced Plotly's zoom buttons (a keyboard reaches it; the URL keeps it).
    page.locator('[data-testid="stRadio"]').get_by_text("Whole span", exact=True).click()
    page.wait_for_function(
        f"""() => {{ const gd = {VISIBLE_PLOT}; if (!gd || !gd._fullLayout) return false;
                 const r = gd._fullLayout.xaxis.range; return new Date(r[1]) - new Date(r[0]) > 365 * 864e5; }}""",
        timeout=30_000,
    )
    wait_for_app(page)
    wait_for_plot(page)
    page.locator(CHART).screenshot(path=str(shots / "timeline-chart-whole.png"))
    check_texts_apart(page, {"2021 indictment", "Rubio–Bukele call", "López Larios deported", "2021"})
    page.locator('[data-testid="stRadio"]').get_by_text("March 2025", exact=True).click()
    page.wait_for_function(
        f"""() => {{ const gd = {VISIBLE_PLOT}; if (!gd || !gd._fullLayout) return false;
                 const r = gd._fullLayout.xaxis.range; return new Date(r[1]) - new Date(r[0]) < 40 * 864e5; }}""",
        timeout=30_000,
    )
    wait_for_app(page)
    wait_for_plot(page)

    page.locator(CHART).scroll_into_view_if_needed()  # a mark is hovered only where the mouse can reach it
    spot = page.evaluate(MARK_POSITION, "s031")
    page.mouse.move(spot["x"], spot["y"])
    hover = page.locator(".hoverlayer .hovertext")
    hover.wait_for(timeout=10_000)
    assert "15 March 2025 (year inferred)" in hover.text_content()
    page.locator(CHART).screenshot(path=str(shots / "timeline-hover.png"))

    spot = page.evaluate(MARK_POSITION, "s031")  # the screenshot may have scrolled the chart into view
    page.mouse.click(spot["x"], spot["y"])
    details = page.locator(".st-key-timeline_details")
    details.wait_for(timeout=30_000)
    text = details.inner_text()
    assert "López Larios was deported to El Salvador two days after Rubio's call" in text
    assert "was deported to El Salvador just two days after Rubio’s call" in text
    assert "Other statements about César López Larios" in text
    assert "event=s031" in page.url
    full_page_screenshot(page, shots / "timeline-details.png")
    assert offline.external() == [], "the dashboard must work offline"


def test_timeline_by_person_keeps_labels_apart(page, app_url, shots):
    open_timeline(page, f"{app_url}/timeline")
    page.get_by_text("By person").click()
    page.wait_for_function(
        """() => [...document.querySelectorAll('.dashboard-chart .ytick text')]
                 .some(t => t.textContent === 'Marco Rubio')""",
        timeout=30_000,
    )
    wait_for_app(page)
    wait_for_plot(page)
    page.locator(CHART).screenshot(path=str(shots / "timeline-chart-person.png"))
    check_texts_apart(page, {"Rubio–Bukele call", "López Larios deported"})  # the March view it opens on
