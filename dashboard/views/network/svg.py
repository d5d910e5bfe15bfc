"""The network as static SVG geometry for the story page: the app's own layout (`layout_positions`,
physics off), drawn as vis-network draws it — shapes by kind, colours by side, dashed outlines for
unnamed entities, links dashed, coloured and weighted by their least certain statement, arrows from
subject to object, "×2" where statements merge, labels under the marks — as plain numbers and
strings the story template writes out. Each mark and link carries its tooltip text.

Pure: a graph and positions in, dictionaries out. Text stays plain here (the template escapes it)."""

from __future__ import annotations

import math
from collections.abc import Mapping

import networkx as nx

from dashboard import style
from dashboard.views.network.layout import FONT_SIZE, label_box, node_radius
from dashboard.views.network.page import EDGE_COLOUR, EDGE_STYLE, HIGHLIGHT, kind_shape
from dashboard.views.network.words import edge_title, node_title

PADDING = 16  # px around the drawing
ROUNDNESS = 0.12  # how far a link bows, of its length (vis-network's curvedCW)
LINE_EM = 1.15  # a label's line height, in ems (as `label_box` counts it)


def node_path(shape: str, r: float) -> str:
    """An SVG path centred on 0,0 for a vis-network shape of radius `r`."""
    if shape == "square":
        return f"M{-r:.1f},{-r:.1f}H{r:.1f}V{r:.1f}H{-r:.1f}Z"
    if shape == "diamond":
        return f"M0,{-r:.1f}L{r:.1f},0L0,{r:.1f}L{-r:.1f},0Z"
    if shape == "triangle":  # vis-network's triangle: point up, centred on its middle
        return f"M0,{-r * 1.15:.1f}L{r:.1f},{r * 0.58:.1f}L{-r:.1f},{r * 0.58:.1f}Z"
    if shape in ("hexagon", "star"):
        corners = 6 if shape == "hexagon" else 10
        points = []
        for i in range(corners):
            angle = math.pi * 2 * i / corners - math.pi / 2
            reach = r if shape == "hexagon" or i % 2 == 0 else r * 0.45
            points.append(f"{reach * math.cos(angle):.1f},{reach * math.sin(angle):.1f}")
        return "M" + "L".join(points) + "Z"
    return f"M{r:.1f},0A{r:.1f},{r:.1f} 0 1,1 {-r:.1f},0A{r:.1f},{r:.1f} 0 1,1 {r:.1f},0Z"


def dash_array(certainty: str) -> str:
    """vis-network's dash pattern of a certainty as an SVG stroke-dasharray ("" for a solid line)."""
    dashes = style.CERTAINTY_VIS_DASHES.get(certainty, False)
    return " ".join(str(d) for d in dashes) if isinstance(dashes, list) else ""


def network_drawing(
    graph: nx.DiGraph, positions: Mapping, colours: Mapping[str, str], focus: str | None = None
) -> dict:
    """The whole drawing: a view box around every mark and label, the links under the marks, each with
    its path, arrowhead, style, tooltip and statements; each mark with its shape, colours, label lines,
    tooltip and the statements behind its links (ids, for the page's details: never shown)."""
    if not positions:
        return {"nodes": [], "edges": [], "box": [0, 0, 0, 0], "markers": []}
    boxes = [
        (x + b[0], y + b[1], x + b[2], y + b[3])
        for n, (x, y) in positions.items()
        for b in [label_box(graph.nodes[n].get("label", str(n)), node_radius(graph.nodes[n]))]
    ]
    left, top = min(b[0] for b in boxes) - PADDING, min(b[1] for b in boxes) - PADDING
    right, bottom = max(b[2] for b in boxes) + PADDING, max(b[3] for b in boxes) + PADDING
    edges, markers = [], {}
    behind: dict = {name: set() for name in graph}  # the statements behind each entity's links
    for source, target, data in graph.edges(data=True):
        ids = [statement["id"] for statement in data["statements"]]
        behind[source].update(ids)
        behind[target].update(ids)
        colour, width = EDGE_STYLE.get(data["certainty"], (EDGE_COLOUR, 1.5))
        markers.setdefault(colour, f"arrow-{len(markers)}")
        reach = node_radius(graph.nodes[target])
        edge = {
            "path": _link_path(positions[source], positions[target], reach, source == target),
            "colour": colour,
            "width": round(min(width + (data["count"] - 1) * 1.2, 8), 1),
            "dashes": dash_array(data["certainty"]),
            "marker": markers[colour],
            "title": edge_title(graph.nodes[source]["display"], graph.nodes[target]["display"], data),
            "count": f"×{data['count']}" if data["count"] > 1 else "",
            "statements": " ".join(ids),
        }
        edge["count_at"] = _middle(positions[source], positions[target])
        edges.append(edge)
    nodes = []
    for name, data in graph.nodes(data=True):
        x, y = positions[name]
        r = node_radius(data)
        lines = data["label"].split("\n")
        nodes.append({
            "name": data["display"],
            "x": x, "y": y,
            "path": node_path(kind_shape(data["kind"]), r),
            "fill": colours.get(data["side"], style.NEUTRAL),
            "stroke": HIGHLIGHT if name == focus else "#333333",
            "stroke_width": 4 if name == focus else (2.5 if data["unnamed"] else 1.5),
            "dashes": "4 3" if data["unnamed"] else "",
            "title": node_title(data),
            "statements": " ".join(sorted(behind[name])),
            "lines": [{"text": line, "dy": round(r + 4 + (i + 0.85) * FONT_SIZE * LINE_EM, 1)}
                      for i, line in enumerate(lines)],
        })  # fmt: skip
    return {
        "nodes": nodes,
        "edges": edges,
        "box": [round(left), round(top), round(right - left), round(bottom - top)],
        "markers": [{"id": marker, "colour": colour} for colour, marker in markers.items()],
        "font": FONT_SIZE,
    }


def _control(a, b) -> tuple[float, float]:
    """The control point of a link bowing clockwise, as vis-network's curvedCW does."""
    (x1, y1), (x2, y2) = a, b
    mx, my = (x1 + x2) / 2, (y1 + y2) / 2
    return mx - (y2 - y1) * ROUNDNESS, my + (x2 - x1) * ROUNDNESS


def _middle(a, b) -> list[float]:
    cx, cy = _control(a, b)
    return [round(0.25 * a[0] + 0.5 * cx + 0.25 * b[0], 1), round(0.25 * a[1] + 0.5 * cy + 0.25 * b[1], 1)]


def _link_path(a, b, target_radius: float, loop: bool = False) -> str:
    """A quadratic curve from `a` to the edge of the target's mark at `b` (the arrowhead ends there);
    a statement about itself is a small loop above the mark."""
    if loop:
        x, y = a
        return f"M{x - 6:.1f},{y - target_radius:.1f}c-14,-30 26,-30 12,0"
    cx, cy = _control(a, b)
    dx, dy = b[0] - cx, b[1] - cy
    length = math.hypot(dx, dy) or 1.0
    stop = target_radius + 2
    ex, ey = b[0] - dx / length * stop, b[1] - dy / length * stop
    return f"M{a[0]:.1f},{a[1]:.1f}Q{cx:.1f},{cy:.1f} {ex:.1f},{ey:.1f}"
