"""Untangling (label boxes pushed apart, nodes pushed off the links they are not part of), computed
only for the pairs that can come close, gives what computing every pair gives; what guarantees that
no label is drawn over another; and what a map too dense to clear its links gets."""

import math

import networkx as nx
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.views.network.layout import (
    EDGE_CLEARANCE,
    LINK_COVER_LIMIT,
    LINK_SLACK,
    UNTANGLE_ROUNDS,
    _spread_apart,
    _untangle,
    label_box,
    layout_extent,
    layout_positions,
    link_cover,
    node_radius,
)


def untangle_every_pair(positions: dict, edges: list, radii: dict, boxes: dict, padding: float) -> dict:
    """The reference: every box against every box and every node against every link, every round."""
    nodes = list(positions)
    count = len(nodes)
    index = {n: i for i, n in enumerate(nodes)}
    xy = np.array([positions[n] for n in nodes], dtype=float)
    box = np.array([boxes[n] for n in nodes], dtype=float) + np.array([-1, -1, 1, 1]) * padding / 2
    ends = np.array([(index[a], index[b]) for a, b in edges])
    need = np.array([radii[n] for n in nodes]) + EDGE_CLEARANCE
    order = np.arange(count)
    foreign = (order[:, None] != ends[None, :, 0]) & (order[:, None] != ends[None, :, 1])
    for _ in range(UNTANGLE_ROUNDS):
        # Boxes: half the overlap each, along the axis of least overlap, away from the other's centre.
        low, high = xy + box[:, :2], xy + box[:, 2:]
        overlap = np.minimum(high[:, None], high[None]) - np.maximum(low[:, None], low[None])
        clash = (overlap > 0).all(axis=2) & ~np.eye(count, dtype=bool)
        centre = (low + high) / 2
        sign = np.sign(centre[:, None] - centre[None])
        tie = np.where(order[:, None] > order[None, :], 1.0, -1.0)[..., None]
        sign = np.where(sign == 0, tie, sign)
        along_x = overlap[..., 0] <= overlap[..., 1]
        axis = np.stack([along_x, ~along_x], axis=2)
        push = np.where(clash[..., None] & axis, sign * (overlap / 2 + 0.5), 0.0).sum(axis=1)
        # Links: the node off by the whole gap, the link's ends back by it, shared by nearness.
        a, b = xy[ends[:, 0]], xy[ends[:, 1]]
        d = b - a
        length = np.maximum((d**2).sum(axis=1), 1e-9)
        t = np.clip(((xy[:, None, :] - a[None]) * d[None]).sum(axis=2) / length[None], 0, 1)
        away = xy[:, None, :] - (a[None] + t[..., None] * d[None])
        distance = np.sqrt((away**2).sum(axis=2))
        close = foreign & (distance < need[:, None]) & (t > 0.05) & (t < 0.95)
        normal = np.stack([-d[:, 1], d[:, 0]], axis=1) / np.sqrt(length)[:, None]
        direction = np.where(distance[..., None] > 1e-6, away / np.maximum(distance, 1e-6)[..., None], normal[None])
        step = np.where(close, need[:, None] - distance + LINK_SLACK, 0.0)[..., None] * direction
        push += step.sum(axis=1)
        for end, share in ((0, 1 - t), (1, t)):
            np.add.at(push, ends[:, end], -(share[..., None] * step).sum(axis=0))
        if not push.any():
            break
        xy += push
    return {n: (float(x), float(y)) for n, (x, y) in zip(nodes, xy)}


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 300), st.integers(0, 300)), min_size=3, max_size=25),
    st.data(),
)
def test_only_near_pairs_gives_what_every_pair_gives(points, data):
    positions = {f"n{i}": point for i, point in enumerate(points)}
    names = list(positions)
    pairs = data.draw(st.lists(st.tuples(st.sampled_from(names), st.sampled_from(names)), min_size=1, max_size=30))
    edges = list(dict.fromkeys((a, b) for a, b in pairs if a != b))
    if not edges:
        return
    radii = {n: data.draw(st.integers(4, 30)) for n in names}
    boxes = {
        n: (-data.draw(st.integers(4, 60)), -radii[n], data.draw(st.integers(4, 60)), radii[n] + 20) for n in names
    }
    found = _untangle(positions, edges, radii, boxes, padding=14)
    expected = untangle_every_pair(positions, edges, radii, boxes, padding=14)
    for n in names:
        assert np.allclose(found[n], expected[n], atol=1e-6), n


def boxes_overlapping(xy: dict, boxes: dict, padding: float) -> list[tuple]:
    """Pairs whose boxes, widened by half the padding each side, overlap."""
    half = padding / 2
    found = []
    names = list(xy)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            (ax, ay), (bx, by) = xy[a], xy[b]
            if (
                ax + boxes[a][0] - half < bx + boxes[b][2] + half
                and bx + boxes[b][0] - half < ax + boxes[a][2] + half
                and ay + boxes[a][1] - half < by + boxes[b][3] + half
                and by + boxes[b][1] - half < ay + boxes[a][3] + half
            ):
                found.append((a, b))
    return found


def distance_to_link(point, a, b) -> float:
    (px, py), (ax, ay), (bx, by) = point, a, b
    dx, dy = bx - ax, by - ay
    t = min(1.0, max(0.0, ((px - ax) * dx + (py - ay) * dy) / max(dx * dx + dy * dy, 1e-9)))
    return math.hypot(px - ax - t * dx, py - ay - t * dy)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.tuples(st.integers(-400, 400), st.integers(-400, 400)), min_size=2, max_size=30, unique=True),
    st.data(),
)
def test_spreading_apart_leaves_no_box_over_another_and_keeps_clear_nodes_clear(points, data):
    """What guarantees, whatever pushing left, that no label is drawn over another: one uniform scale."""
    positions = {f"n{i}": point for i, point in enumerate(points)}
    boxes = {
        n: (-data.draw(st.integers(4, 90)), -data.draw(st.integers(4, 30)), data.draw(st.integers(4, 90)), 40)
        for n in positions
    }
    spread = _spread_apart(positions, boxes, padding=14)
    assert boxes_overlapping(spread, boxes, padding=14) == []
    if not boxes_overlapping(positions, boxes, padding=14):
        assert spread == positions
    # One factor, at least 1, about one centre: shapes kept, and every distance only grows.
    names = list(positions)
    for a, b in zip(names, names[1:]):
        before = math.dist(positions[a], positions[b])
        assert math.dist(spread[a], spread[b]) >= before - 1e-6
    for node in names[2:]:
        before = distance_to_link(positions[node], positions[names[0]], positions[names[1]])
        assert distance_to_link(spread[node], spread[names[0]], spread[names[1]]) >= before - 1e-6


def dense_graph(nodes: int = 100, links: int = 620, seed: int = 3) -> nx.DiGraph:
    """As dense as the 1,000-statement synthetic map: 100 entities, about six links each, two-line labels."""
    graph = nx.gnm_random_graph(nodes, links, seed=seed, directed=True)
    names = {n: f"Person {n:03d}\nSurname{n % 7}" for n in graph}
    graph = nx.relabel_nodes(graph, {n: f"p{n:03d}" for n in graph})
    for n in graph:
        graph.nodes[n].update(label=names[int(n[1:])], statements=2 + int(n[1:]) % 20, kind="person")
    return graph


def test_a_graph_too_dense_to_clear_its_links_keeps_its_labels_apart_at_a_readable_size():
    """Keeping every node off every link of such a map grew it five-fold (labels a sixth of their
    size on the page) and still left marks on links; its labels are kept apart instead."""
    graph = dense_graph()
    positions = layout_positions(graph)
    assert positions == layout_positions(graph)
    boxes = {n: label_box(graph.nodes[n]["label"], node_radius(graph.nodes[n])) for n in graph}
    assert boxes_overlapping(positions, boxes, padding=0) == []
    # Past the limit even as drawn, once its boxes are apart (the packed start is denser still).
    radii = {n: node_radius(graph.nodes[n]) for n in graph}
    assert link_cover(positions, list(nx.Graph(graph).edges), radii, boxes) > LINK_COVER_LIMIT
    width, height = layout_extent(graph, positions)
    assert 740 / max(width, height) >= 0.45, (width, height)
