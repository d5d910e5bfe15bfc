"""Where each node of the graph is drawn: deterministic positions with no label box overlapping another
(the publication export draws the same layout as a static image), and the canvas that shows them."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping
from typing import TYPE_CHECKING

import networkx as nx
import numpy as np

from dashboard.views.network.graph import GROUP_KIND

if TYPE_CHECKING:
    from dashboard.dataset.cache import Derived

FONT_SIZE = 14
DESIGN_WIDTH = 740  # px: the page's content width in a 1200 px window with the sidebar open
# The app never lays out more than the large-graph mode draws (LARGE_GRAPH_SHOWN entities and a group
# per side). Past SPRING_LIMIT nodes (only with the large-graph mode off: the benchmark's naive path)
# the layout is cheap and plain: a sunflower spiral for the component, overlaps left. Stress
# majorization and overlap removal are quadratic per round.
SPRING_LIMIT = 400
GROUP_MAX_RADIUS = 40.0  # a group's mark stays the size of a busy entity's, so it never covers the map


def node_size(statement_count: int) -> float:
    """Radius of a node's mark: grows with the square root of its statements, so area tracks count."""
    return round(6 + 3.2 * math.sqrt(max(statement_count, 1)), 1)


def node_radius(attributes: Mapping) -> float:
    """The radius a node is drawn at: `node_size` of its statements, a group's capped."""
    size = node_size(attributes.get("statements", 1))
    return min(size, GROUP_MAX_RADIUS) if attributes.get("kind") == GROUP_KIND else size


def label_box(label: str, size: float, font_size: int = FONT_SIZE) -> tuple[float, float, float, float]:
    """The box a node and the label drawn under it cover, relative to the node's centre:
    (left, top, right, bottom) in layout units (pixels at zoom 1)."""
    lines = label.split("\n")
    width = max(2 * size, max(len(line) for line in lines) * font_size * 0.56)
    height_below = size + 4 + len(lines) * font_size * 1.15
    return (-width / 2, -size, width / 2, height_below)


def layout_positions(graph: nx.Graph, seed: int = 7, aspect: float = 1.0, padding: float = 14) -> dict:
    """Deterministic positions {node: (x, y)} in whole pixels at zoom 1 (y grows downward), with no
    node-and-label box overlapping another.

    Each connected component gets a stress layout scaled to the room its labels need; the components
    are packed in rows, largest first; then overlapping boxes are pushed apart, and nodes off the links
    they are not part of, unless the links are too many for that at a readable size (LINK_COVER_LIMIT):
    then a mark may lie on a link it is not part of. If pushing runs out of rounds, the whole map is
    scaled up until no box overlaps another. `aspect` is the width/height the packing aims for.
    """
    if len(graph) == 0:
        return {}
    undirected = nx.Graph(graph)
    undirected.remove_edges_from(nx.selfloop_edges(undirected))
    boxes = {n: label_box(graph.nodes[n].get("label", str(n)), node_radius(graph.nodes[n])) for n in graph}
    order = {n: i for i, n in enumerate(graph)}
    components = sorted(nx.connected_components(undirected), key=lambda c: (-len(c), min(order[n] for n in c)))
    placed = []
    for component in components:
        nodes = sorted(component, key=order.__getitem__)
        placed.append(_component_layout(undirected.subgraph(nodes), nodes, boxes, seed, padding, aspect))
    positions = _pack(placed, boxes, aspect, padding)
    if len(graph) <= EDGE_CLEAR_LIMIT:
        radii = {n: node_radius(graph.nodes[n]) for n in graph}
        edges = list(undirected.edges)
        if link_cover(positions, edges, radii, boxes) <= LINK_COVER_LIMIT:
            positions = _untangle(positions, edges, radii, boxes, padding)
    if len(graph) <= SPRING_LIMIT:
        positions = _remove_overlaps(positions, boxes, padding)  # a no-op once untangling has settled
        positions = _spread_apart(positions, boxes, padding)  # a no-op once the boxes are apart
    return {n: (float(round(x)), float(round(y))) for n, (x, y) in positions.items()}


SPREAD = 1.0  # layout area per unit of label-box area, before overlaps are removed


def _component_layout(subgraph: nx.Graph, nodes: list, boxes: dict, seed: int, padding: float, aspect: float) -> dict:
    """Positions for one connected component, centred on the origin."""
    if len(nodes) == 1:
        return {nodes[0]: (0.0, 0.0)}
    area = sum((b[2] - b[0] + padding) * (b[3] - b[1] + padding) for b in (boxes[n] for n in nodes))
    side = math.sqrt(area * SPREAD)
    if len(nodes) > SPRING_LIMIT:
        # Cheap and deterministic (a sunflower spiral in id order); a proper large-graph layout
        # needs a library that is not installed here (scipy or igraph).
        # Spaced by the largest box, so neighbours along the spiral keep clear of each other.
        golden = math.pi * (3 - math.sqrt(5))
        step = max(max(b[2] - b[0], b[3] - b[1]) for b in (boxes[n] for n in nodes)) + padding
        return {
            n: (step * 0.6 * math.sqrt(i) * math.cos(i * golden), step * 0.6 * math.sqrt(i) * math.sin(i * golden))
            for i, n in enumerate(nodes)
        }
    distance = link_distances(subgraph, nodes)
    # Stress majorization from a classical-MDS start: linked nodes near, hubs given room, leaves not
    # flung out, and no spring layout needed first. A seeded nudge breaks ties (a chain's MDS start is
    # a straight line, which majorization alone would keep).
    xy = classical_mds(distance) + np.random.default_rng(seed).uniform(-0.05, 0.05, (len(nodes), 2))
    xy = stress_majorization(distance, xy)
    xy -= xy.mean(axis=0)
    extent = np.abs(xy).max(axis=0)
    extent[extent == 0] = 1
    xy = xy / extent * (side / 2) * np.array([math.sqrt(aspect), 1 / math.sqrt(aspect)])
    return {n: (float(x), float(y)) for n, (x, y) in zip(nodes, xy)}


def link_distances(graph: nx.Graph, nodes: list) -> np.ndarray:
    """Links between every two nodes of a connected graph (one row and column per node, in `nodes`
    order): breadth-first from every node at once on the adjacency matrix, ~30 times faster than
    networkx's search from each node in turn."""
    index = {n: i for i, n in enumerate(nodes)}
    adjacency = np.zeros((len(nodes), len(nodes)))
    for a, b in graph.edges:
        adjacency[index[a], index[b]] = adjacency[index[b], index[a]] = 1
    distance = np.zeros_like(adjacency)
    reached = np.eye(len(nodes), dtype=bool)
    frontier = reached
    steps = 0
    while frontier.any():
        steps += 1
        frontier = (frontier @ adjacency > 0) & ~reached
        distance[frontier] = steps
        reached |= frontier
    return distance


def classical_mds(distance: np.ndarray) -> np.ndarray:
    """2-D positions whose distances approximate `distance` (Torgerson's classical scaling): the two
    leading eigenvectors of the double-centred squared distances. Each axis's sign is fixed (largest
    entry positive) so the result does not depend on the eigensolver's choice."""
    squared = distance**2
    centred = squared - squared.mean(axis=0) - squared.mean(axis=1)[:, None] + squared.mean()
    values, vectors = np.linalg.eigh(-centred / 2)
    leading = vectors[:, -1:-3:-1] * np.sqrt(np.maximum(values[-1:-3:-1], 0))
    largest = np.abs(leading).argmax(axis=0)
    return leading * np.where(leading[largest, [0, 1]] < 0, -1.0, 1.0)


STRESS_TOLERANCE = 1e-4  # relative gain per round under which stress majorization stops


def stress_majorization(distance: np.ndarray, initial: np.ndarray, rounds: int = 300) -> np.ndarray:
    """Positions (one row per node) whose distances match the link distances `distance` as closely
    as possible, refined from `initial`: SMACOF with weights 1/d² (Gansner, Koren and North, 2004).
    The graph must be connected."""
    weight = np.zeros_like(distance)
    linked = distance > 0
    weight[linked] = distance[linked] ** -2.0
    # Each round solves L·X = B(X)·X with L the weighted Laplacian, whose pseudo-inverse is taken once.
    laplacian_inverse = np.linalg.pinv(np.diag(weight.sum(axis=1)) - weight)
    weighted_distance = weight * distance
    xy = np.array(initial, dtype=float)
    stress = math.inf
    for _ in range(rounds):
        norm = np.hypot(xy[:, 0, None] - xy[None, :, 0], xy[:, 1, None] - xy[None, :, 1])
        # Stop once a round gains little: the tail moves a leaf or two by a fraction of a pixel, and
        # the steps that follow move nodes by far more.
        stress, previous = float((weight * (norm - distance) ** 2).sum()), stress
        if stress > previous * (1 - STRESS_TOLERANCE):
            break
        np.maximum(norm, 1e-9, out=norm)
        pull = weighted_distance / norm
        xy = laplacian_inverse @ (xy * pull.sum(axis=1)[:, None] - pull @ xy)
    return xy


def _pack(placed: list[dict], boxes: dict, aspect: float, padding: float) -> dict:
    """Shelf-pack component layouts left to right in rows, aiming at the given aspect ratio."""
    extents = []
    for layout in placed:
        left = min(x + boxes[n][0] for n, (x, _) in layout.items())
        top = min(y + boxes[n][1] for n, (_, y) in layout.items())
        right = max(x + boxes[n][2] for n, (x, _) in layout.items())
        bottom = max(y + boxes[n][3] for n, (_, y) in layout.items())
        extents.append((left, top, right - left + padding * 2, bottom - top + padding * 2))
    total_area = sum(w * h for _, _, w, h in extents)
    row_width = max(max(w for _, _, w, _ in extents), math.sqrt(total_area * aspect))
    positions = {}
    cursor_x = cursor_y = row_height = 0.0
    for layout, (left, top, width, height) in zip(placed, extents):
        if cursor_x > 0 and cursor_x + width > row_width:
            cursor_x, cursor_y, row_height = 0.0, cursor_y + row_height, 0.0
        for n, (x, y) in layout.items():
            positions[n] = (x - left + cursor_x + padding, y - top + cursor_y + padding)
        cursor_x += width
        row_height = max(row_height, height)
    return positions


EDGE_CLEARANCE = 12.0  # px between a node's mark and a link it is not part of
# Nodes are kept off the links they are not part of only where that can be done at a readable size:
# when the strips each link must keep clear (its length by twice a node's clearance) cover the packed
# map at most this many times over. The story's views and the 10,000-statement overview cover it
# 1.2 times at most, and settle within 1.7 times their size; the 1,000-statement synthetic map (100
# entities, 620 or more links) covers it 11 times, and pushing its nodes off links grew it five-fold
# in 1,000 rounds (its labels a sixth of their size on the page) with 50 to 80 marks still on links.
# Such a map keeps its labels apart, and a mark may lie on a link it is not part of.
LINK_COVER_LIMIT = 3.0
# Nodes are kept off links up to the large-graph mode's size (LARGE_GRAPH_SHOWN and a group per side);
# the step is quadratic and past this the map is an overview, not something to hover link by link.
EDGE_CLEAR_LIMIT = 150
UNTANGLE_ROUNDS = 300  # the story's views settle within 140, the 10,000-statement overview within 220
PAIR_MARGIN = 30.0  # px: how far apart a pair may be and still be computed, until nodes move that far


def _untangle(
    positions: dict, edges: list, radii: Mapping, boxes: dict, padding: float, rounds: int = UNTANGLE_ROUNDS
) -> dict:
    """Push overlapping node-and-label boxes apart and nodes off the links they are not part of, both
    in each round until neither is needed. A mark lying on another link reads as joined to it, and a
    pointer there cannot tell the two links apart (their tooltips swap). Doing both at once settles
    far sooner than taking turns, where each step undoes part of the other.

    Only pairs that can clash are computed: boxes within PAIR_MARGIN of each other, nodes within
    their clearance plus PAIR_MARGIN of a link. The pairs are chosen again before any two nodes can
    have closed that margin, so no pair that could clash is ever left out."""
    nodes = list(positions)
    index = {n: i for i, n in enumerate(nodes)}
    xy = np.array([positions[n] for n in nodes], dtype=float)
    box = np.array([boxes[n] for n in nodes], dtype=float) + np.array([-1, -1, 1, 1]) * padding / 2
    ends = np.array([(index[a], index[b]) for a, b in edges], dtype=int).reshape(-1, 2)
    need = np.array([radii[n] for n in nodes]) + EDGE_CLEARANCE
    moved = np.full(len(nodes), math.inf)  # how far each node has moved since the pairs were chosen
    for _ in range(rounds):
        # Two nodes (or a node and a link's nearest point) close by at most what the two that moved
        # most have moved.
        if len(nodes) < 2 or np.partition(moved, -2)[-2:].sum() > PAIR_MARGIN:
            box_pairs = _near_boxes(xy, box, PAIR_MARGIN)
            link_pairs = _near_links(xy, ends, need, PAIR_MARGIN) if len(ends) else ()
            moved[:] = 0.0
        push = _box_push(xy, box, *box_pairs)
        if len(ends):
            push += _link_push(xy, ends, need, *link_pairs)
        if not push.any():
            break
        xy += push
        moved += np.sqrt((push**2).sum(axis=1))
    return {n: (float(x), float(y)) for n, (x, y) in zip(nodes, xy)}


def _near_boxes(xy: np.ndarray, box: np.ndarray, margin: float) -> tuple[np.ndarray, np.ndarray]:
    """(first, second) index pairs, first < second, of boxes less than `margin` apart on both axes."""
    low, high = xy + box[:, :2], xy + box[:, 2:]
    gap_x = np.maximum(low[:, None, 0], low[None, :, 0]) - np.minimum(high[:, None, 0], high[None, :, 0])
    gap_y = np.maximum(low[:, None, 1], low[None, :, 1]) - np.minimum(high[:, None, 1], high[None, :, 1])
    return np.nonzero(np.triu((gap_x < margin) & (gap_y < margin), 1))


def _near_links(xy: np.ndarray, ends: np.ndarray, need: np.ndarray, margin: float) -> tuple[np.ndarray, np.ndarray]:
    """(node, link) index pairs, the node not an end of the link, the node within its clearance plus
    `margin` of the link (the segment, not its bounding box: a long slanted link's box holds half the
    map)."""
    _, squared = _to_segments(xy, xy[ends[:, 0]], xy[ends[:, 1]])
    near = squared < (need[:, None] + margin) ** 2
    count = np.arange(len(xy))[:, None]
    near &= (count != ends[:, 0]) & (count != ends[:, 1])
    return np.nonzero(near)


def _to_segments(xy: np.ndarray, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each node (a row) and segment from `a` to `b` (a column): where the segment's point
    nearest the node lies along it (0 at a, 1 at b) and the squared distance to that point."""
    d = b - a
    length = np.maximum((d**2).sum(axis=1), 1e-9)
    off_x, off_y = xy[:, 0, None] - a[:, 0], xy[:, 1, None] - a[:, 1]
    t = np.clip((off_x * d[:, 0] + off_y * d[:, 1]) / length, 0, 1)
    off_x -= t * d[:, 0]
    off_y -= t * d[:, 1]
    return t, off_x**2 + off_y**2


def _box_push(xy: np.ndarray, box: np.ndarray, first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Each node's move that takes its box off the others among the pairs: half the overlap each,
    along the axis where they overlap least."""
    low, high = xy + box[:, :2], xy + box[:, 2:]
    overlap = np.minimum(high[first], high[second]) - np.maximum(low[first], low[second])
    clash = np.nonzero((overlap > 0).all(axis=1))[0]
    if not len(clash):
        return np.zeros_like(xy)
    first, second, overlap = first[clash], second[clash], overlap[clash]
    centre = (low + high) / 2
    sign = np.sign(centre[first] - centre[second])
    sign[sign == 0] = -1.0  # boxes centred alike: the lower index goes left (or up), deterministically
    along_x = overlap[:, 0] <= overlap[:, 1]
    shift = sign * (overlap / 2 + 0.5) * np.stack([along_x, ~along_x], axis=1)
    return _gather(len(xy), np.concatenate([first, second]), np.concatenate([shift, -shift]))


LINK_SLACK = 2.0  # px beyond the clearance, so that a node just pushed off does not slide back on


def _link_push(xy: np.ndarray, ends: np.ndarray, need: np.ndarray, node: np.ndarray, link: np.ndarray) -> np.ndarray:
    """Each node's move that takes nodes off the links among the pairs (only the interior of a link:
    near its ends a node is beside the linked node, not on the link). The node moves straight off the
    link by the whole gap, and the link's ends the other way by the gap shared by how near each is:
    overshooting like this settles in far fewer rounds than sharing the gap, when a node is wedged
    between other boxes and links."""
    a, b = xy[ends[link, 0]], xy[ends[link, 1]]
    d = b - a
    length = np.maximum((d**2).sum(axis=1), 1e-9)
    t = np.clip(((xy[node] - a) * d).sum(axis=1) / length, 0, 1)
    away = xy[node] - (a + t[:, None] * d)
    distance = np.sqrt((away**2).sum(axis=1))
    close = np.nonzero((distance < need[node]) & (t > 0.05) & (t < 0.95))[0]
    if not len(close):
        return np.zeros_like(xy)
    node, link, d, length, t, away, distance = (v[close] for v in (node, link, d, length, t, away, distance))
    # A node exactly on the link goes to the link's left, deterministically.
    normal = np.stack([-d[:, 1], d[:, 0]], axis=1) / np.sqrt(length)[:, None]
    direction = np.where(distance[:, None] > 1e-6, away / np.maximum(distance, 1e-6)[:, None], normal)
    step = (need[node] - distance + LINK_SLACK)[:, None] * direction
    t = t[:, None]
    movers = np.concatenate([node, ends[link, 0], ends[link, 1]])
    return _gather(len(xy), movers, np.concatenate([step, -(1 - t) * step, -t * step]))


def _gather(count: int, who: np.ndarray, moves: np.ndarray) -> np.ndarray:
    """The moves summed per node: (count, 2)."""
    return np.stack([np.bincount(who, moves[:, 0], count), np.bincount(who, moves[:, 1], count)], axis=1)


def link_cover(positions: Mapping, edges: list, radii: Mapping, boxes: Mapping) -> float:
    """How many times over the links' clearance strips (each link's length by twice the mean of the
    nodes' radius plus EDGE_CLEARANCE) cover the area the nodes and their labels span."""
    if not edges:
        return 0.0
    xy = {n: np.asarray(p, dtype=float) for n, p in positions.items()}
    strip = 2 * (float(np.mean([radii[n] for n in positions])) + EDGE_CLEARANCE)
    ink = strip * sum(float(np.hypot(*(xy[a] - xy[b]))) for a, b in edges)
    left = min(xy[n][0] + boxes[n][0] for n in xy)
    right = max(xy[n][0] + boxes[n][2] for n in xy)
    top = min(xy[n][1] + boxes[n][1] for n in xy)
    bottom = max(xy[n][1] + boxes[n][3] for n in xy)
    return ink / max((right - left) * (bottom - top), 1.0)


def _spread_apart(positions: dict, boxes: dict, padding: float) -> dict:
    """The positions scaled about their centre by the least factor that leaves no two boxes (with
    the padding) overlapping: what pushing left, if it ran out of rounds. Scaling moves every pair
    that is apart further apart, and every node further from the links it is clear of."""
    nodes = list(positions)
    xy = np.array([positions[n] for n in nodes], dtype=float)
    box = np.array([boxes[n] for n in nodes], dtype=float) + np.array([-1, -1, 1, 1]) * padding / 2
    first, second = _near_boxes(xy, box, 0.0)
    low, high = xy + box[:, :2], xy + box[:, 2:]
    clash = (np.minimum(high[first], high[second]) - np.maximum(low[first], low[second]) > 0).all(axis=1)
    first, second = first[clash], second[clash]
    if not len(first):
        return positions
    # Apart along an axis once the centres' offset, scaled, covers the two boxes' sides that face.
    offset = xy[second] - xy[first]
    facing = np.where(offset > 0, box[first, 2:] - box[second, :2], box[second, 2:] - box[first, :2])
    with np.errstate(divide="ignore"):
        factor = np.where(offset != 0, facing / np.abs(offset), np.inf).min(axis=1)
    if not np.isfinite(factor).all():  # two nodes on one spot: pushing never leaves them there
        raise ValueError("two nodes share a position")
    centre = xy.mean(axis=0)
    xy = centre + (xy - centre) * max(1.0, float(factor.max()) * (1 + 1e-9))
    return {n: (float(x), float(y)) for n, (x, y) in zip(nodes, xy)}


def _remove_overlaps(positions: dict, boxes: dict, padding: float, rounds: int = 400) -> dict:
    """Push overlapping node-and-label boxes apart along the axis where they overlap least: the
    untangling loop with no links to keep nodes off."""
    return _untangle(positions, [], dict.fromkeys(positions, 0.0), boxes, padding, rounds)


def marks_on_links(graph: nx.Graph, positions: Mapping) -> list:
    """The nodes whose mark touches the inside of a link they are not part of (away from the link's
    ends, where a node is beside the linked node): what a map too dense to clear its links leaves
    (LINK_COVER_LIMIT), for the page to say so. In the graph's order."""
    nodes = [n for n in graph if n in positions]
    edges = [(a, b) for a, b in nx.Graph(graph).edges if a != b and a in positions and b in positions]
    if not nodes or not edges:
        return []
    index = {n: i for i, n in enumerate(nodes)}
    xy = np.array([positions[n] for n in nodes], dtype=float)
    ends = np.array([(index[a], index[b]) for a, b in edges])
    radius = np.array([node_radius(graph.nodes[n]) for n in nodes])
    t, squared = _to_segments(xy, xy[ends[:, 0]], xy[ends[:, 1]])
    touching = squared < radius[:, None] ** 2  # t is never clipped where it counts: 0.05 < t < 0.95
    row = np.arange(len(nodes))[:, None]
    touching &= (t > 0.05) & (t < 0.95) & (row != ends[:, 0]) & (row != ends[:, 1])
    return [nodes[i] for i in np.nonzero(touching.any(axis=1))[0]]


def layout_extent(graph: nx.Graph, positions: Mapping) -> tuple[float, float]:
    """Width and height the laid-out nodes and their labels cover, in pixels at zoom 1."""
    if not positions:
        return (0.0, 0.0)
    boxes = [
        (x + b[0], y + b[1], x + b[2], y + b[3])
        for n, (x, y) in positions.items()
        for b in [label_box(graph.nodes[n].get("label", str(n)), node_radius(graph.nodes[n]))]
    ]
    return (max(b[2] for b in boxes) - min(b[0] for b in boxes), max(b[3] for b in boxes) - min(b[1] for b in boxes))


def canvas_height(
    graph: nx.Graph, positions: Mapping, width: int = DESIGN_WIDTH, minimum: int = 360, maximum: int = 1000
) -> int:
    """Height in pixels at which a canvas `width` wide shows the whole layout at the zoom its width
    allows (never above 1:1), within [minimum, maximum]."""
    layout_width, layout_height = layout_extent(graph, positions)
    if layout_width == 0:
        return minimum
    zoom = min(1.0, width / layout_width)
    return int(min(maximum, max(minimum, layout_height * zoom + 40)))


# Aspects (width/height) a layout for a fixed screen is packed at; the one that shows the whole graph
# largest wins (packing and untangling make the result's shape differ from the aim, not monotonically).
SCREEN_ASPECTS = (2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 5.5, 6.0)
# Presentation mode's canvas at 1920×1080: the page's width, the height under the headline.
PRESENT_CANVAS = (1760, 880)
SCREEN_PADDING = 6.0  # px between label boxes: a projected graph is seen whole, not hovered link by link


def fit_zoom(graph: nx.Graph, positions: Mapping, width: float, height: float) -> float:
    """The zoom at which the whole layout, labels included, fills a `width`×`height` canvas."""
    layout_width, layout_height = layout_extent(graph, positions)
    if layout_width == 0 or layout_height == 0:
        return 1.0
    return min(width / layout_width, height / layout_height)


def screen_layout(graph: nx.Graph, width: float, height: float) -> dict:
    """Positions for a fixed screen (a projector): of the layouts packed at SCREEN_ASPECTS, the one
    that fits the `width`×`height` canvas at the largest zoom, so its labels are the largest."""
    layouts = [layout_positions(graph, aspect=aspect, padding=SCREEN_PADDING) for aspect in SCREEN_ASPECTS]
    return max(layouts, key=lambda positions: fit_zoom(graph, positions, width, height))


def graph_key(graph: nx.Graph) -> str:
    """A short digest of what the layout depends on (labels, sizes, links), for caching the layout:
    hashing a few characters is far cheaper than letting Streamlit hash thousands of tuples."""
    digest = hashlib.sha1()
    for name, data in graph.nodes(data=True):
        digest.update(f"{name}\x00{data.get('label', '')}\x00{node_radius(data)}\x01".encode())
    for source, target in graph.edges:
        digest.update(f"{source}\x00{target}\x01".encode())
    return digest.hexdigest()


def kept_layout(graph: nx.Graph, derived: Derived) -> dict:
    """layout_positions(graph), kept with the dataset's derived artefacts by the graph's key, so that
    a restarted server reads the layout of a view (0.3 s at 100,000 statements) instead of computing it.
    Kept as [[node, x, y], ...] in the layout's own order; read back only when it places every node."""

    def compute() -> list:
        return [[node, x, y] for node, (x, y) in layout_positions(graph).items()]

    def places_every_node(kept) -> bool:
        rows_valid = isinstance(kept, list) and all(
            isinstance(row, list)
            and len(row) == 3
            and isinstance(row[0], str)
            and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in row[1:])
            for row in kept
        )
        return rows_valid and len(kept) == len(graph) and {row[0] for row in kept} == set(graph)

    if not all(isinstance(node, str) for node in graph):  # JSON keeps names, not other node types
        return layout_positions(graph)
    kept = derived.json(f"layout-{graph_key(graph)}", compute, places_every_node)
    return {node: (float(x), float(y)) for node, x, y in kept}
