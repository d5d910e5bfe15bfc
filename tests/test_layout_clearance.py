"""Untangling (label boxes pushed apart, nodes pushed off the links they are not part of), computed
only for the pairs that can come close, gives what computing every pair gives."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.views.network.layout import EDGE_CLEARANCE, LINK_SLACK, UNTANGLE_ROUNDS, _untangle


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
