"""Pushing nodes off the links they are not part of, computed only for the pairs that can come close,
gives what computing every (node, link) pair gives."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.network.layout import EDGE_CLEARANCE, _clear_of_edges


def clear_every_pair(positions: dict, edges: list, radii: dict, rounds: int = 60) -> tuple[dict, bool]:
    """The reference: every node against every link, every round."""
    moved = False
    nodes = list(positions)
    index = {n: i for i, n in enumerate(nodes)}
    xy = np.array([positions[n] for n in nodes], dtype=float)
    ends = np.array([(index[a], index[b]) for a, b in edges])
    need = np.array([radii[n] for n in nodes]) + EDGE_CLEARANCE
    foreign = (np.arange(len(nodes))[:, None] != ends[None, :, 0]) & (
        np.arange(len(nodes))[:, None] != ends[None, :, 1]
    )
    for _ in range(rounds):
        a, b = xy[ends[:, 0]], xy[ends[:, 1]]
        d = b - a
        length = np.maximum((d**2).sum(axis=1), 1e-9)
        t = np.clip(((xy[:, None, :] - a[None]) * d[None]).sum(axis=2) / length[None], 0, 1)
        away = xy[:, None, :] - (a[None] + t[..., None] * d[None])
        distance = np.sqrt((away**2).sum(axis=2))
        close = foreign & (distance < need[:, None]) & (t > 0.05) & (t < 0.95)
        if not close.any():
            break
        moved = True
        normal = np.stack([-d[:, 1], d[:, 0]], axis=1) / np.sqrt(length)[:, None]
        direction = np.where(distance[..., None] > 1e-6, away / np.maximum(distance, 1e-6)[..., None], normal[None])
        xy += (np.where(close, need[:, None] - distance, 0.0)[..., None] * direction).sum(axis=1)
    return {n: (float(x), float(y)) for n, (x, y) in zip(nodes, xy)}, moved


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
    found, moved = _clear_of_edges(positions, edges, radii)
    expected, expected_moved = clear_every_pair(positions, edges, radii)
    assert moved == expected_moved
    for n in names:
        assert np.allclose(found[n], expected[n], atol=1e-6), n
