"""The timeline's lanes and presentation mode, measured in Chromium.

- Lanes, by side and by person, at a laptop (1440×900), a phone (390×844) and a projector
  (1920×1080): no lane name overprints another, every lane drawn holds a mark in the view shown,
  and the open event is ringed in its lane, whose name is bold.
- Presentation mode at 1920×1080: the network is drawn whole inside the screen with labels of at
  least 18 px, its key folded to one line; the timeline's chart is inside the screen with text of at
  least 18 px."""

from __future__ import annotations

import pytest
from apprunner import wait_for_app
from playwright.sync_api import expect
from test_timeline_browser import CHART, VISIBLE_PLOT, overlaps, wait_for_plot

pytestmark = pytest.mark.browser

SCREENS = {"laptop": (1440, 900), "phone": (390, 844), "projector": (1920, 1080)}
OPENED = "s031"  # López Larios deported, in March 2025
# Each lane's name box, the lanes with no mark or bar drawn in the x range shown, and the open event's
# ring with the lane it sits in: from Plotly's own axes and data.
LANES = """() => {
    const gd = VISIBLE_PLOT, xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
    const [x0, x1] = xa.range.map(v => xa.r2c(v)), ticks = [...ya.tickvals];
    const names = [...gd.querySelectorAll('.ytick text')].map(t => {
        const r = t.getBoundingClientRect();
        return {text: t.textContent, l: r.left, r: r.right, t: r.top, b: r.bottom,
                bold: !!t.querySelector('tspan[style*="bold"]')};
    });
    // The lanes tile the axis from 0 down, each its middle tick: lane i spans [edges[i], edges[i + 1]).
    const edges = [0];
    ticks.forEach((t, i) => edges.push(2 * t - edges[i]));
    const lane = y => ticks.findIndex((t, i) => y >= edges[i] && y < edges[i + 1]);
    const held = new Set(); let ring = null;
    for (const trace of gd._fullData) {
        const ys = [...(trace.y || [])];
        ys.forEach((y, i) => {
            if (y === null || y === undefined) return;
            let a, b;
            if (trace.type === 'bar') { a = xa.d2c(trace.base[i]); b = a + Number(trace.x[i]); }
            else if (trace.meta === 'timeline-event') { a = b = xa.d2c(trace.x[i]); }
            else if (trace.meta === 'timeline-open') { ring = lane(y); return; }
            else return;
            if (b >= x0 && a <= x1) held.add(lane(y));
        });
    }
    return {names, empty: ticks.map((t, i) => i).filter(i => !held.has(i)), ring};
}""".replace("VISIBLE_PLOT", VISIBLE_PLOT)


@pytest.mark.parametrize("screen", list(SCREENS))
def test_lanes_by_side_and_by_person_apart_none_empty_and_the_open_event_ringed(new_page, app_url, screen, shots):
    width, height = SCREENS[screen]
    page = new_page(width, height)
    for lanes in ("By side", "By person"):
        for shown in ("March 2025", "Whole span"):
            page.goto(
                f"{app_url}/timeline?lanes={lanes.replace(' ', '+')}&range={shown.replace(' ', '+')}&event={OPENED}"
            )
            wait_for_app(page)
            page.locator(f"{CHART} .main-svg").first.wait_for(timeout=60_000)
            wait_for_plot(page)
            drawn = page.evaluate(LANES)
            where = f"{lanes}, {shown}, {width} px"
            assert len(drawn["names"]) >= 4, where
            assert overlaps(drawn["names"]) == [], where
            assert drawn["empty"] == [], (where, [drawn["names"][i]["text"] for i in drawn["empty"]])
            bold = [i for i, name in enumerate(drawn["names"]) if name["bold"]]
            assert bold == [drawn["ring"]], where  # the ring sits in the lane named in bold
            if lanes == "By person":
                assert "Larios" in drawn["names"][bold[0]]["text"], where
            slug = f"{lanes.split()[1]}-{shown.split()[0].lower()}-{width}"
            page.locator(CHART).first.screenshot(path=str(shots / f"lanes-{slug}.png"))


def test_presentation_mode_fits_the_network_and_the_timeline_to_a_projector(new_page, app_url, shots):
    page = new_page(1920, 1080)
    page.goto(f"{app_url}/network?present=1")
    wait_for_app(page)
    expect(page.locator("h1").first).to_have_text("The Rubio–Bukele deal: nine MS-13 leaders for CECOT")
    frame_box = page.locator('[data-testid="stIFrame"]').first
    expect(frame_box).to_be_visible(timeout=60_000)
    frame = frame_box.element_handle().content_frame()
    frame.wait_for_function("window.networkSettledAt !== undefined", timeout=60_000)
    box = frame_box.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= 1080 and box["x"] >= 0 and box["x"] + box["width"] <= 1920
    assert box["width"] >= 1600 and box["height"] >= 800, box  # the graph fills the screen
    graph = frame.evaluate(
        """() => {
            const canvas = document.querySelector('#mynetwork').getBoundingClientRect();
            const outside = nodes.getIds().filter(id => {
                const b = network.getBoundingBox(id);
                const a = network.canvasToDOM({x: b.left, y: b.top});
                const z = network.canvasToDOM({x: b.right, y: b.bottom});
                return a.x < -1 || a.y < -1 || z.x > canvas.width + 1 || z.y > canvas.height + 1;
            });
            return {label_px: network.getScale() * 14, outside, count: nodes.length};
        }"""
    )
    assert graph["count"] > 40 and graph["outside"] == [], graph  # every node and its label on screen
    assert graph["label_px"] >= 18, graph
    expect(page.locator("details.network-key")).not_to_have_attribute("open", "")  # the key: one line
    page.screenshot(path=str(shots / "present-network-1920.png"))

    page.goto(f"{app_url}/timeline?present=1")
    wait_for_app(page)
    page.locator(f"{CHART} .main-svg").first.wait_for(timeout=60_000)
    wait_for_plot(page)
    chart = page.locator(CHART).first.bounding_box()
    assert chart["y"] >= 0 and chart["y"] + chart["height"] <= 1080 and chart["width"] >= 1600, chart
    sizes = page.evaluate(
        """() => [...VISIBLE_PLOT.querySelectorAll('text')]
            .filter(t => t.textContent.trim() && t.textContent !== '//')
            .map(t => [t.textContent, parseFloat(getComputedStyle(t).fontSize)])""".replace(
            "VISIBLE_PLOT", VISIBLE_PLOT
        )
    )
    small = [(text, size) for text, size in sizes if size < 18]
    assert len(sizes) > 20 and small == [], small
    page.screenshot(path=str(shots / "present-timeline-1920.png"))
