"""The network laid out for a projector (presentation mode at 1920×1080): the whole graph fits the
canvas under the headline with labels of at least 18 px, and no node-and-label box overlaps another."""

from __future__ import annotations

import itertools

from dashboard.views import network as net
from dashboard.views.network import controls

PROJECTED_LABEL_PX = 18


def test_the_whole_story_fits_the_projector_canvas_with_labels_of_18_px(model):
    graph = net.build_graph(model.statements, model.entities, controls.make_view([], [], False, False, None, 1))
    width, height = net.PRESENT_CANVAS
    positions = net.screen_layout(graph, width, height)
    assert set(positions) == set(graph)
    zoom = net.fit_zoom(graph, positions, width, height)
    # The laptop layout would need labels of ~13 px to be seen whole on this canvas.
    assert net.fit_zoom(graph, net.layout_positions(graph), width, height) * net.FONT_SIZE < PROJECTED_LABEL_PX
    assert zoom * net.FONT_SIZE >= PROJECTED_LABEL_PX, zoom
    boxes = {
        n: (x + b[0], y + b[1], x + b[2], y + b[3])
        for n, (x, y) in positions.items()
        for b in [net.label_box(graph.nodes[n].get("label", str(n)), net.node_radius(graph.nodes[n]))]
    }
    overlapping = [
        (a, b)
        for (a, p), (b, q) in itertools.combinations(boxes.items(), 2)
        if p[0] < q[2] - 1 and q[0] < p[2] - 1 and p[1] < q[3] - 1 and q[1] < p[3] - 1
    ]
    assert overlapping == []
