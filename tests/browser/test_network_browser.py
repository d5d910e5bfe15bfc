"""A real Chromium draws the network offline, at the positions computed in Python, with every label
clear of the others and readable at 1200 px; payloads in the data show as text and never run."""

from __future__ import annotations

import itertools

import pytest
from apprunner import full_page_screenshot, serve, wait_for_app
from network_payloads import IMG, LINK_NAME, SCRIPT, payload_rows, source_text
from playwright.sync_api import expect

from dashboard.views import network as net

pytestmark = pytest.mark.browser

NETWORK_FRAME = '[data-testid="stIFrame"]'


def open_network(page, url, query=""):
    """Open the Network page and wait until vis-network has drawn; returns the graph's frame."""
    page.goto(f"{url}/network{query}")
    wait_for_app(page)
    page.frame_locator(NETWORK_FRAME).locator("canvas").wait_for(timeout=60_000)
    frame = page.locator(NETWORK_FRAME).element_handle().content_frame()
    frame.wait_for_function("typeof network !== 'undefined' && network.body.nodeIndices.length > 0")
    return frame


def hover(page, frame, point_script, *args):
    """Move the mouse to a point of the graph (a script returning canvas coordinates); returns the
    tooltip's text and how many elements other than line breaks it holds (text set with innerText
    makes only <br>s)."""
    page.locator(NETWORK_FRAME).scroll_into_view_if_needed()
    frame.evaluate(
        "() => { const t = document.querySelector('div.vis-tooltip'); if (t) t.style.visibility = 'hidden'; }"
    )
    point = frame.evaluate(f"(args) => network.canvasToDOM(({point_script})(...args))", list(args))
    box = page.locator(NETWORK_FRAME).bounding_box()
    page.mouse.move(box["x"] + point["x"], box["y"] + point["y"])
    frame.wait_for_function("document.querySelector('div.vis-tooltip')?.style.visibility === 'visible'")
    return frame.evaluate(
        "() => { const t = document.querySelector('div.vis-tooltip');"
        " return [t.innerText, [...t.querySelectorAll('*')].filter(e => e.tagName !== 'BR').length]; }"
    )


NODE_POINT = "(id) => network.getPositions([id])[id]"
# The point of an edge farthest from every other edge and every node's box (label included), among
# points from 20 % to 80 % along it: the edge's midpoint may lie on another edge or by a node, and
# vis-network then shows that one's tooltip. Computed from the drawn positions, not hard-coded.
EDGE_POINT = """(from, to) => {
    const edges = network.body.edges;
    const id = network.body.edgeIndices.find(e => edges[e].fromId === from && edges[e].toId === to);
    const along = (e, steps) => Array.from({length: steps + 1}, (_, i) => edges[e].edgeType.getPoint(i / steps));
    const others = network.body.edgeIndices.filter(e => e !== id).map(e => along(e, 40));
    const boxes = network.body.nodeIndices.map(n => network.getBoundingBox(n));
    const toSegment = (p, a, b) => {
        const dx = b.x - a.x, dy = b.y - a.y, length = dx * dx + dy * dy;
        const t = length ? Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / length)) : 0;
        return Math.hypot(p.x - a.x - t * dx, p.y - a.y - t * dy);
    };
    const clearance = p => Math.min(
        ...others.map(line => Math.min(...line.slice(1).map((b, k) => toSegment(p, line[k], b)))),
        ...boxes.map(b => Math.hypot(
            Math.max(b.left - p.x, 0, p.x - b.right), Math.max(b.top - p.y, 0, p.y - b.bottom))),
    );
    const candidates = along(id, 30).slice(6, 25);
    return candidates.reduce((best, p) => (clearance(p) > clearance(best) ? p : best));
}"""


def test_network_draws_offline_at_the_python_layout_with_readable_labels(page, app_url, shots, offline, model):
    frame = open_network(page, app_url)
    main = page.locator('[data-testid="stMain"]').inner_text()
    for legend in ("Colour: side", "Shape: kind", "Line: certainty", "MS-13", "Alleged (accusation, not established)"):
        assert legend in main
    assert "46 entities, 74 links drawn from 81 of the 116 statements shown" in main

    graph = net.build_graph(model.statements, model.entities)
    expected = net.layout_positions(graph)
    drawn = frame.evaluate("network.getPositions()")
    assert {n: (p["x"], p["y"]) for n, p in drawn.items()} == expected
    assert frame.evaluate("network.physics.physicsEnabled") is False
    # Every node, its shape and label, clear of every other as vis-network measures them.
    boxes = frame.evaluate("Object.fromEntries(network.body.nodeIndices.map(id => [id, network.getBoundingBox(id)]))")
    clashes = [
        (a, b)
        for a, b in itertools.combinations(boxes, 2)
        if boxes[a]["left"] < boxes[b]["right"]
        and boxes[b]["left"] < boxes[a]["right"]
        and boxes[a]["top"] < boxes[b]["bottom"]
        and boxes[b]["top"] < boxes[a]["bottom"]
    ]
    assert clashes == []
    # Readable at 1200 px: 14 px labels drawn at 85 % zoom or more (12 px and up on screen).
    assert frame.evaluate("network.getScale()") >= 0.85
    frame.wait_for_function("window.networkSettledAt !== undefined")
    frame.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    assert frame.evaluate("network.getPositions()") == drawn  # nothing moves: the picture has settled

    text, elements = hover(page, frame, NODE_POINT, "Elmer Canales Rivera")
    assert text.startswith("Elmer Canales Rivera (Crook de Hollywood)\nPerson · MS-13") and elements == 0
    text, elements = hover(page, frame, EDGE_POINT, "Marco Rubio", "Nayib Bukele")
    assert text.startswith("Marco Rubio → Nayib Bukele\n2 statements") and elements == 0
    assert "13 March 2025 (inferred) · stated\nAccording to the article" in text
    page.locator(NETWORK_FRAME).screenshot(path=str(shots / "network-graph.png"))
    full_page_screenshot(page, shots / "network.png")
    assert offline.external() == [], "the network page must work offline"


def test_focus_view_from_a_shared_link(page, app_url, shots):
    frame = open_network(page, app_url, "?focus=Vampiro&hops=2")
    ids = set(frame.evaluate("network.body.nodeIndices"))
    assert "Vladimir Arévalo Chávez" in ids and "Joan Azrack" in ids and "Marco Rubio" not in ids
    assert "within 2 links of Vladimir Arévalo Chávez (Vampiro)" in page.locator('[data-testid="stMain"]').inner_text()
    full_page_screenshot(page, shots / "network-focus.png")


def test_payloads_show_as_text_and_never_run(page, make_dataset):
    csv = make_dataset(rows=payload_rows(), source_text=source_text())
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    with serve(data=csv) as url:
        frame = open_network(page, url)
        text, elements = hover(page, frame, NODE_POINT, IMG)
        assert text.startswith(IMG) and elements == 0
        text, elements = hover(page, frame, EDGE_POINT, IMG, "Ana Pérez")
        quote = f"“{IMG} met {LINK_NAME} to plan {SCRIPT} with Ana Pérez.”"
        assert quote in " ".join(text.replace("\u2060", "").split("\n")) and elements == 0
        page.locator('[data-testid="stExpander"]').first.click()
        expect(page.locator('[data-testid="stMain"]')).to_contain_text(IMG)
        assert IMG in page.locator('[data-testid="stMain"]').inner_text()
        assert page.locator("img[src='x']").count() == 0
        assert frame.locator("img[src='x'], b[onmouseover], a[href^='javascript']").count() == 0
        assert frame.evaluate("window.parent.document.querySelectorAll('img[src=\"x\"]').length") == 0
    assert dialogs == []
