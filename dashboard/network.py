"""The network of who is linked to whom: a networkx graph of the relations in view, its deterministic
layout, and the self-contained pyvis HTML that draws it offline. Pure functions: no Streamlit here.

- `build_graph`: one node per entity in a relation, one directed edge per (subject, object) pair,
  carrying every statement behind it. Past LARGE_GRAPH_NODES entities it switches to the large-graph
  mode: the most connected entities drawn one by one, the rest grouped into one node per side.
- `layout_positions`: the same graph always gets the same positions, with no label box overlapping
  another (a later publication export draws the same layout as a static image).
- `network_html`: the pyvis page, with every external reference removed and data shown as text.
- `legend_html`, `entity_relations`, `relation_sentence`: what the page shows around the graph.
"""

from __future__ import annotations

import functools
import hashlib
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd

from dashboard import names, style, text, wording
from dashboard.schema import CERTAINTIES, KINDS

# vis-network shapes that draw the label below the mark, one per kind; a kind the code does not know
# (a dataset with its own vocabulary) falls back to a star.
KIND_SHAPES = {"person": "dot", "organization": "square", "group": "diamond", "place": "triangle"}
KIND_LABELS = {"person": "Person", "organization": "Organization", "group": "Group", "place": "Place"}
GROUP_SHAPE, GROUP_LABEL = "hexagon", "Others, grouped by side"
FALLBACK_SHAPE = "star"
# A merged edge is drawn with the dash of its least certain statement: a relation that is alleged
# once and stated once must not look established.
DASH_PRIORITY = ("denied", "alleged", "inferred", "stated")
EDGE_COLOUR = "#6b6b6b"
HIGHLIGHT = "#1f1f1f"
FONT_SIZE = 14
LABEL_WIDTH = 16  # characters per label line
MAX_STATEMENTS_IN_TOOLTIP = 8
QUOTE_EXCERPT = 220  # characters of a quote shown in a tooltip
DESIGN_WIDTH = 740  # px: the page's content width in a 1200 px window with the sidebar open
# Cost limits. networkx's spring layout needs scipy (not installed) from 500 nodes; stress majorization
# and overlap removal are quadratic per round. Past these sizes the layout is cheap and plain (a
# sunflower spiral for big components, overlaps left); a large-graph mode would replace it.
SPRING_LIMIT = 499
STRESS_LIMIT = 400
OVERLAP_LIMIT = 500
# Large-graph mode. Past a few hundred entities a map is a hairball that takes seconds to lay out and
# draw and cannot be read: the LARGE_GRAPH_SHOWN most connected entities (with a focus: the focus,
# then the nearest) are drawn one by one, and the others are grouped into one node per side, with a
# notice saying so (`large_graph_notice`). Cost and HTML size then stay flat however big the data.
LARGE_GRAPH_NODES = 250
LARGE_GRAPH_SHOWN = 100
GROUP_KIND = "grouped"  # the `kind` of a node standing for many entities
GROUP_ID = "\x1fgrouped\x1f"  # prefix of a group node's id: a control character no name in a CSV holds
GROUP_MAX_RADIUS = 40.0  # a group's mark stays the size of a busy entity's, so it never covers the map
SVG_NAMESPACE = "http://www.w3.org/2000/svg"  # an identifier vis-network's DOM code needs, never fetched
_URL = re.compile(r"https?://[^\s\"'<>)]*")
_REMOTE_TAG = re.compile(
    r"<link\b[^>]*\bhref\s*=\s*[\"']?https?://[^>]*>|<script\b[^>]*\bsrc\s*=\s*[\"']?https?://[^>]*>\s*</script>",
    re.IGNORECASE | re.DOTALL,
)
_EMPTY_HEADING = re.compile(r"<center>\s*<h1>\s*</h1>\s*</center>", re.IGNORECASE)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


@dataclass(frozen=True)
class View:
    """The page's own controls. Empty tuples mean "no restriction"; `focus` None means everyone."""

    relation_types: tuple[str, ...] = ()
    sides: tuple[str, ...] = ()
    hidden_certainties: tuple[str, ...] = ()
    focus: str | None = None
    hops: int = 1


@dataclass(frozen=True)
class LargeGraph:
    """What the large-graph mode left out: how many entities the full map would hold, how many are
    drawn one by one, and per side how many are grouped into one node. Kept in `graph.graph["large"]`."""

    entities: int
    shown: int
    grouped: tuple[tuple[str, int], ...]
    focus: str | None = None

    @property
    def hidden(self) -> int:
        return self.entities - self.shown


# ---------------------------------------------------------------------------------------------
# The graph


def relations_in_view(statements: pd.DataFrame, view: View = View()) -> pd.DataFrame:
    """Statements that link two entities and pass the page's relation-type and certainty controls."""
    keep = statements["object"].ne("") & statements["subject"].ne("")
    if view.relation_types:
        keep &= statements["relation_type"].isin(view.relation_types)
    if view.hidden_certainties:
        keep &= ~statements["certainty"].isin(view.hidden_certainties)
    return statements[keep]


def mention_counts(statements: pd.DataFrame) -> pd.Series:
    """How many statements name each entity, as subject or object (a statement about itself counts once)."""
    subjects = statements["subject"]
    objects = statements.loc[statements["object"].ne("") & statements["object"].ne(statements["subject"]), "object"]
    return pd.concat([subjects, objects]).value_counts(sort=False)


def build_graph(
    statements: pd.DataFrame, entities: pd.DataFrame, view: View = View(), limit: int | None = LARGE_GRAPH_NODES
) -> nx.DiGraph:
    """One node per entity taking part in a relation in view, one directed edge per (subject, object)
    pair holding all its statements in dataset order.

    `statements` are those passing the shared filters (all types: they give each node its statement
    count); `entities` is the model's entity frame. Node attributes: label, display, kind, side,
    unnamed, roles, statements (count in view), total (count in the dataset). Edge attributes:
    statements (a tuple of dicts), count, certainty (the least certain one), relation_types.
    With a focus, only entities within `hops` links of it (either direction) are kept.

    When more than `limit` entities would be drawn, the graph is the large-graph mode's summary
    (see `large_graph`); `graph.graph["large"]` then says what was grouped. `limit=None`: never.
    """
    relations = graph_relations(statements, entities, view)
    if relations.empty:
        return nx.DiGraph()
    counts = mention_counts(statements)
    in_relations = pd.unique(pd.concat([relations["subject"], relations["object"]], ignore_index=True))
    if limit is not None and len(in_relations) > limit:
        return large_graph(relations, entities, counts, focus=view.focus)
    # Dataset order (the entities frame is in order of first mention) keeps the layout deterministic.
    known = entities.index[entities.index.isin(in_relations)].tolist()
    unknown = [n for n in in_relations if n not in entities.index]
    graph = nx.DiGraph()
    graph.add_nodes_from(_node_attributes(known + unknown, entities, counts))
    graph.add_edges_from(_merged_edges(relations))
    graph.remove_nodes_from([n for n in list(graph) if graph.degree(n) == 0])
    if view.focus is not None:
        graph = ego_graph(graph, view.focus, view.hops)
    return graph


def graph_relations(statements: pd.DataFrame, entities: pd.DataFrame, view: View = View()) -> pd.DataFrame:
    """The relation rows a graph is drawn from: those in view whose two entities are on the chosen
    sides and, with a focus, within `hops` links of it.

    Restricting the rows before any graph is built keeps the ego view of one person instant at any
    size: its cost follows the size of the neighbourhood, not of the dataset."""
    relations = relations_in_view(statements, view)
    if view.sides:
        side = entities["side"]
        subject_side = relations["subject"].map(side).fillna("")
        object_side = relations["object"].map(side).fillna("")
        relations = relations[subject_side.isin(view.sides) & object_side.isin(view.sides)]
    if view.focus is not None:
        distance = hop_distances(relations, view.focus, view.hops)
        relations = relations[relations["subject"].isin(distance) & relations["object"].isin(distance)]
    return relations


def hop_distances(relations: pd.DataFrame, focus: str, hops: int = 1) -> dict[str, int]:
    """{entity: links away from `focus`} for every entity within `hops` links of it, following links
    in either direction (breadth first, one vectorised pass over the rows per hop)."""
    hops = max(1, min(int(hops), 3))
    distance = {focus: 0}
    frontier = {focus}
    subjects, objects = relations["subject"], relations["object"]
    for step in range(1, hops + 1):
        touching = subjects.isin(frontier) | objects.isin(frontier)
        reached = set(subjects[touching]) | set(objects[touching])
        frontier = reached - distance.keys()
        if not frontier:
            break
        distance.update(dict.fromkeys(frontier, step))
    if len(distance) == 1 and not ((subjects == focus) & (objects == focus)).any():
        return {}  # the focus takes part in no relation in view
    return distance


def large_graph(
    relations: pd.DataFrame,
    entities: pd.DataFrame,
    counts: pd.Series,
    focus: str | None = None,
    shown: int = LARGE_GRAPH_SHOWN,
) -> nx.DiGraph:
    """The large-graph mode: the `shown` most connected entities as nodes (with a focus: the focus,
    then the entities nearest to it) with the links among them, and one group node per side
    standing for all the others.

    Links with a grouped end are counted, not drawn: every hub links to every group, and drawing
    those spokes turned the map back into a hairball. A drawn entity's `hidden_links` is how many
    statements link it to grouped entities; a group node's `statements` is how many of the
    relations in view involve its members. Deterministic: ties are broken by dataset order. Works on
    frames, so its cost stays close to linear in the relations even at 100,000 statements."""
    ranked = _ranked(relations, entities, focus)
    kept_names = ranked[:shown]
    kept = set(kept_names)
    subject_kept, object_kept = relations["subject"].isin(kept), relations["object"].isin(kept)

    graph = nx.DiGraph()
    # Dataset order (the entities frame is in order of first mention) keeps the layout deterministic.
    order = entities.index[entities.index.isin(kept)].tolist()
    order += [n for n in kept_names if n not in entities.index]
    graph.add_nodes_from(_node_attributes(order, entities, counts))
    graph.add_edges_from(_merged_edges(relations[subject_kept & object_kept]))
    one_end_hidden = relations[subject_kept != object_kept]
    hidden_links = pd.concat(
        [one_end_hidden.loc[subject_kept, "subject"], one_end_hidden.loc[object_kept, "object"]]
    ).value_counts()
    for name in graph:
        graph.nodes[name]["hidden_links"] = int(hidden_links.get(name, 0))

    # The others, one group per side, each listing its most connected members first (rank order).
    hidden = entities["side"].reindex(ranked[shown:]).fillna("").astype(object)
    subject_group, object_group = relations["subject"].map(hidden), relations["object"].map(hidden)
    grouped = []
    for group_side in dict.fromkeys(hidden):
        members = hidden.index[hidden.to_numpy() == group_side]
        involving = int(((subject_group == group_side) | (object_group == group_side)).sum())
        graph.add_node(GROUP_ID + group_side, **_group_attributes(group_side, members, involving))
        grouped.append((group_side, len(members)))
    graph.graph["large"] = LargeGraph(entities=len(ranked), shown=len(kept_names), grouped=tuple(grouped), focus=focus)
    return graph


def _ranked(relations: pd.DataFrame, entities: pd.DataFrame, focus: str | None) -> list[str]:
    """Every entity in the relations, most important first: the focus, then by links away from it
    (with a focus), then by how many others it is linked to, then by statements, then dataset order."""
    # "Linked to" counts distinct others, whichever way the links point.
    links = relations.loc[relations["subject"] != relations["object"], ["subject", "object"]]
    first = links["subject"] < links["object"]
    pairs = pd.DataFrame(
        {"a": links["subject"].where(first, links["object"]), "b": links["object"].where(first, links["subject"])}
    ).drop_duplicates()
    linked = pd.concat([pairs["a"], pairs["b"]]).value_counts()
    statements = pd.concat([relations["subject"], relations["object"]]).value_counts()
    names = statements.index
    rank = pd.DataFrame(
        {
            "distance": 0,
            "linked": linked.reindex(names, fill_value=0).to_numpy(),
            "statements": statements.to_numpy(),
            "first": pd.Series(range(len(entities)), index=entities.index).reindex(names).fillna(len(entities)),
        },
        index=names,
    )
    if focus is not None:
        distance = hop_distances(relations, focus, 3)
        rank["distance"] = rank.index.map(lambda n: distance.get(n, 4))
    rank = rank.sort_values(["distance", "linked", "statements", "first"], ascending=[True, False, False, True])
    return rank.index.tolist()


def _group_attributes(side: str, members: pd.Index, statements: int) -> dict:
    """A group node: how many entities it stands for, the first few of them, the statements involving them."""
    size = len(members)
    display = f"{size:,} other {'entity' if size == 1 else 'entities'} · {side or 'side not given'}"
    return {
        "display": display,
        "label": wrap_label(display),
        "kind": GROUP_KIND,
        "side": side,
        "roles": "",
        "unnamed": False,
        "statements": statements,
        "total": statements,
        "members": size,
        "largest": tuple(names.display_name(n) for n in members[:5]),
    }


def is_group(graph: nx.Graph, node) -> bool:
    """True for a large-graph mode node that stands for many entities."""
    return graph.nodes[node].get("kind") == GROUP_KIND


def large_graph_notice(graph: nx.Graph) -> str | None:
    """What the large-graph mode did, in words for the page; None for a full map."""
    large: LargeGraph | None = graph.graph.get("large")
    if large is None:
        return None
    if large.focus is not None:
        chosen = f"the {large.shown:,} entities closest to the focus (the most connected first)"
        narrow = "Choose fewer links away, or narrow the filters, to see every entity."
    else:
        chosen = f"the {large.shown:,} most connected entities and the links among them"
        narrow = "Focus on a person, or narrow the filters, to see every entity and link."
    return (
        f"Large network: {large.entities:,} entities are linked in this view, too many to draw one by one. "
        f"The map draws {chosen}; the other {large.hidden:,} are grouped into one hexagon per side. "
        "Links to grouped entities are not drawn: hover an entity or a hexagon to see how many there are. " + narrow
    )


def _node_attributes(order: list[str], entities: pd.DataFrame, counts: pd.Series):
    """(name, attributes) per entity, in the given order; vectorised over the entity frame."""
    known = entities.reindex(order)
    listed = known["kind"].notna().to_numpy()
    columns = known.fillna({"kind": "", "side": "", "roles": "", "unnamed": False, "statements": 0})
    in_view = counts.reindex(order, fill_value=0)
    for name, is_listed, kind, side, roles, unnamed, display, total, count in zip(
        order,
        listed,
        columns["kind"],
        columns["side"],
        columns["roles"],
        columns["unnamed"],
        columns["display"],
        columns["statements"],
        in_view,
    ):
        if not is_listed:  # a name only the statements know (a dataset with problems): shown, never dropped
            display, total = names.display_name(name), count
        yield (
            name,
            {
                "display": display,
                "label": wrap_label(display),
                "kind": kind,
                "side": side,
                "roles": roles,
                # Brackets mark a description the source gives instead of a name; only for people does
                # that mean someone unidentified ("[Unnamed requested man 3]", not "[U.S. prosecutors]").
                "unnamed": bool(unnamed) and kind == "person",
                "statements": int(count),
                "total": int(total),
            },
        )


_EDGE_FIELDS = ("id", "order", "relation", "relation_type", "date_display", "certainty", "attribution", "quote")


def _merged_edges(relations: pd.DataFrame):
    """(subject, object, attributes) per ordered pair; a self-relation stays a loop on its node."""
    records = relations[["subject", "object", *_EDGE_FIELDS]].to_dict("records")
    grouped: dict[tuple[str, str], list[dict]] = {}
    for record in records:
        key = (record.pop("subject"), record.pop("object"))
        grouped.setdefault(key, []).append(record)
    for (source, target), items in grouped.items():
        certainties = {item["certainty"] for item in items}
        yield (
            source,
            target,
            {
                "statements": tuple(items),
                "count": len(items),
                "certainty": next((c for c in DASH_PRIORITY if c in certainties), items[0]["certainty"]),
                "relation_types": tuple(dict.fromkeys(item["relation_type"] for item in items)),
            },
        )


def ego_graph(graph: nx.DiGraph, focus: str, hops: int = 1) -> nx.DiGraph:
    """The entities within `hops` links of `focus`, following links in either direction, and every
    link among them. Empty when `focus` is not in the graph."""
    if focus not in graph:
        return nx.DiGraph()
    hops = max(1, min(int(hops), 3))
    return nx.ego_graph(graph, focus, radius=hops, undirected=True).copy()


def wrap_label(label: str, width: int = LABEL_WIDTH) -> str:
    """A node label on short lines, so long names ("At least four MS-13 figures charged by U.S.
    prosecutors") take height instead of width."""
    return text.wrap_plain(label, width)


# ---------------------------------------------------------------------------------------------
# Layout


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

    Each connected component gets a seeded spring layout scaled to the room its labels need; the
    components are packed in rows, largest first; then any box still overlapping another is pushed
    apart. `aspect` is the width/height the packing aims for.
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
    if len(graph) <= OVERLAP_LIMIT:
        positions = _remove_overlaps(positions, boxes, padding)
    return {n: (float(round(x)), float(round(y))) for n, (x, y) in positions.items()}


SPREAD = 1.0  # layout area per unit of label-box area, before overlaps are removed


def _component_layout(subgraph: nx.Graph, nodes: list, boxes: dict, seed: int, padding: float, aspect: float) -> dict:
    """Positions for one connected component, centred on the origin."""
    if len(nodes) == 1:
        return {nodes[0]: (0.0, 0.0)}
    area = sum((b[2] - b[0] + padding) * (b[3] - b[1] + padding) for b in (boxes[n] for n in nodes))
    side = math.sqrt(area * SPREAD)
    if len(nodes) > SPRING_LIMIT:
        # Cheap and deterministic (a sunflower spiral in dataset order); a proper large-graph layout
        # needs a library that is not installed here (scipy or igraph).
        # Spaced by the largest box, so neighbours along the spiral keep clear of each other.
        golden = math.pi * (3 - math.sqrt(5))
        step = max(max(b[2] - b[0], b[3] - b[1]) for b in (boxes[n] for n in nodes)) + padding
        return {
            n: (step * 0.6 * math.sqrt(i) * math.cos(i * golden), step * 0.6 * math.sqrt(i) * math.sin(i * golden))
            for i, n in enumerate(nodes)
        }
    # Fixed initial positions (not only the seed) make the result independent of numpy's global state.
    rng = np.random.default_rng(seed)
    initial = {n: tuple(rng.uniform(-1, 1, 2)) for n in nodes}
    # A settled spring layout is a better start for small maps; for big ones a rough start is enough.
    iterations = 300 if len(nodes) <= 150 else 50
    raw = nx.spring_layout(subgraph, pos=initial, iterations=iterations, method="force", scale=None)
    xy = np.array([raw[n] for n in nodes], dtype=float)
    if len(nodes) <= STRESS_LIMIT:
        # Spring layouts crowd hubs and fling leaves; stress majorization evens out link lengths.
        xy = stress_majorization(subgraph, nodes, xy)
    xy -= xy.mean(axis=0)
    extent = np.abs(xy).max(axis=0)
    extent[extent == 0] = 1
    xy = xy / extent * (side / 2) * np.array([math.sqrt(aspect), 1 / math.sqrt(aspect)])
    return {n: (float(x), float(y)) for n, (x, y) in zip(nodes, xy)}


def stress_majorization(graph: nx.Graph, nodes: list, initial: np.ndarray, rounds: int = 300) -> np.ndarray:
    """Positions (one row per node, in `nodes` order) whose distances match the graph's link
    distances as closely as possible, refined from `initial` (Gansner, Koren and North, 2004).
    `graph` must be connected."""
    index = {n: i for i, n in enumerate(nodes)}
    distance = np.zeros((len(nodes), len(nodes)))
    for source, lengths in nx.all_pairs_shortest_path_length(graph):
        for target, length in lengths.items():
            distance[index[source], index[target]] = length
    weight = np.zeros_like(distance)
    linked = distance > 0
    weight[linked] = distance[linked] ** -2.0
    xy = np.array(initial, dtype=float)
    total_weight = weight.sum(axis=1)[:, None]
    weighted_distance = weight * distance
    for _ in range(rounds):
        norm = np.hypot(xy[:, 0, None] - xy[None, :, 0], xy[:, 1, None] - xy[None, :, 1])
        np.maximum(norm, 1e-9, out=norm)
        pull = weighted_distance / norm
        # Each node moves to where its weighted neighbours, each at its ideal distance, put it.
        moved = (weight @ xy + xy * pull.sum(axis=1)[:, None] - pull @ xy) / total_weight
        converged = np.abs(moved - xy).max() < 1e-3  # a thousandth of a link: well under a pixel
        xy = moved
        if converged:
            break
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


def _remove_overlaps(positions: dict, boxes: dict, padding: float, rounds: int = 400) -> dict:
    """Push overlapping node-and-label boxes apart along the axis where they overlap least."""
    nodes = list(positions)
    xy = np.array([positions[n] for n in nodes], dtype=float)
    box = np.array([boxes[n] for n in nodes], dtype=float)
    half = padding / 2
    for _ in range(rounds):
        left, top = xy[:, 0] + box[:, 0] - half, xy[:, 1] + box[:, 1] - half
        right, bottom = xy[:, 0] + box[:, 2] + half, xy[:, 1] + box[:, 3] + half
        overlap_x = np.minimum(right[:, None], right[None, :]) - np.maximum(left[:, None], left[None, :])
        overlap_y = np.minimum(bottom[:, None], bottom[None, :]) - np.maximum(top[:, None], top[None, :])
        clash = (overlap_x > 0) & (overlap_y > 0)
        np.fill_diagonal(clash, False)
        if not clash.any():
            break
        centre_x, centre_y = (left + right) / 2, (top + bottom) / 2
        # Direction from the other box to this one; ties broken by index so the result is deterministic.
        index = np.arange(len(nodes))
        tie = np.where(index[:, None] > index[None, :], 1.0, -1.0)
        sign_x = np.sign(centre_x[:, None] - centre_x[None, :])
        sign_y = np.sign(centre_y[:, None] - centre_y[None, :])
        sign_x = np.where(sign_x == 0, tie, sign_x)
        sign_y = np.where(sign_y == 0, tie, sign_y)
        along_x = clash & (overlap_x <= overlap_y)
        along_y = clash & ~along_x
        shift_x = np.where(along_x, sign_x * (overlap_x / 2 + 0.5), 0).sum(axis=1)
        shift_y = np.where(along_y, sign_y * (overlap_y / 2 + 0.5), 0).sum(axis=1)
        xy[:, 0] += shift_x
        xy[:, 1] += shift_y
    return {n: (float(x), float(y)) for n, (x, y) in zip(nodes, xy)}


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


# ---------------------------------------------------------------------------------------------
# Tooltips and words


def node_title(attributes: Mapping) -> str:
    """A node's tooltip, plain text: name, kind and side, roles, how many statements. A group node
    says what it stands for and names its most connected members."""
    if attributes.get("kind") == GROUP_KIND:
        lines = [
            attributes["display"],
            "Not drawn one by one: the map is too large. Focus on one of them to see their links.",
            "The most connected: " + ", ".join(attributes.get("largest", ())),
            f"{_plural(attributes.get('statements', 0), 'statement')} link them to others",
        ]
        return _without_href("\n".join(text.wrap_plain(line, 70) for line in lines))
    lines = [attributes["display"]]
    if attributes.get("unnamed"):
        lines.append(names.UNNAMED_TEXT)
    kind = KIND_LABELS.get(attributes.get("kind", ""), attributes.get("kind", "") or "Kind not given")
    lines.append(f"{kind} · {attributes.get('side') or 'Side not given'}")
    if attributes.get("roles"):
        lines.append("Described as: " + attributes["roles"].replace("; ", ", "))
    count, total = attributes.get("statements", 0), attributes.get("total", 0)
    lines.append(
        f"{_plural(count, 'statement')} with these filters" + (f" ({total} in the dataset)" if total != count else "")
    )
    if attributes.get("hidden_links"):
        lines.append(
            f"{_plural(attributes['hidden_links'], 'statement')} link it to entities grouped by side, not drawn"
        )
    return _without_href("\n".join(text.wrap_plain(line, 70) for line in lines))


def edge_title(source_label: str, target_label: str, attributes: Mapping) -> str:
    """A merged edge's tooltip, plain text: each statement's relation, date as given, certainty,
    attribution and a quote excerpt."""
    items = attributes["statements"]
    lines = [f"{source_label} → {target_label}", _plural(len(items), "statement")]
    for number, item in enumerate(items[:MAX_STATEMENTS_IN_TOOLTIP], start=1):
        lines.append("")
        lines.append(text.wrap_plain(f"{number}. {item['relation']} ({item['relation_type']})", 70))
        lines.append(f"{item['date_display']} · {wording.certainty_words(item['certainty'])}")
        lines.append(text.wrap_plain(wording.according_to(item["attribution"]), 70))
        lines.append(text.wrap_plain(f"“{excerpt(item['quote'])}”", 70))
    if len(items) > MAX_STATEMENTS_IN_TOOLTIP:
        lines += ["", f"… and {len(items) - MAX_STATEMENTS_IN_TOOLTIP} more, listed below the graph"]
    # pyvis looks for "href" in node titles only, so the quote stays verbatim here.
    return "\n".join(lines)


def excerpt(quote: str, limit: int = QUOTE_EXCERPT) -> str:
    """The quote, cut at a word boundary with an ellipsis when longer than `limit`."""
    quote = " ".join(str(quote).split())
    if len(quote) <= limit:
        return quote
    return quote[:limit].rsplit(" ", 1)[0] + " …"


def _without_href(title: str) -> str:
    """Tooltip text as vis-network shows it: as text. pyvis switches to a popup that sets innerHTML
    when a node title contains "href", so that word is broken with an invisible word joiner."""
    return title.replace("href", "hre\u2060f")


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def relation_sentence(subject: str, relation: str, obj: str) -> str:
    """ "Marco Rubio → privately promised … to → Nayib Bukele"."""
    return f"{subject} → {relation} → {obj}"


def statement_details(statement: Mapping) -> str:
    """ "13 March 2025 (inferred) · stated · According to the article"."""
    certainty = wording.certainty_words(statement["certainty"])
    return f"{statement['date_display']} · {certainty} · {wording.according_to(statement['attribution'])}"


def entity_relations(graph: nx.DiGraph, focus: str | None = None, limit: int | None = None) -> list[dict]:
    """For each entity in the graph, its relations in words with the statement behind each:
    [{"name", "display", "side", "kind", "unnamed", "relations": [{"sentence", "other", "statement"}]}].
    The focus comes first, then everyone by name (accents ignored); a relation appears under both of
    its entities, in dataset order. Group nodes of the large-graph mode are left out."""
    drawn = [n for n in graph if not is_group(graph, n)]
    ordered = sorted(drawn, key=lambda n: (n != focus, names.fold(graph.nodes[n]["display"])))
    out = []
    for name in ordered[:limit]:
        node = graph.nodes[name]
        edges = list(graph.out_edges(name, data=True))
        edges += [edge for edge in graph.in_edges(name, data=True) if edge[0] != edge[1]]
        items = [
            {
                "sentence": relation_sentence(
                    graph.nodes[source]["display"], statement["relation"], graph.nodes[target]["display"]
                ),
                "other": target if source == name else source,
                "statement": statement,
            }
            for source, target, data in edges
            for statement in data["statements"]
        ]
        items.sort(key=lambda item: item["statement"]["order"])
        out.append({"name": name, **{k: node[k] for k in ("display", "side", "kind", "unnamed")}, "relations": items})
    return out


def present(graph: nx.Graph, attribute: str, order: Sequence[str]) -> list[str]:
    """The values of a node attribute found in the graph, in the given order (unknown values last)."""
    found = set(dict(graph.nodes(data=attribute, default="")).values())
    return [v for v in order if v in found] + sorted(found - set(order))


# ---------------------------------------------------------------------------------------------
# HTML


def vis_options() -> dict:
    """vis-network options: positions are computed in Python, so physics stays off and the same data
    always gives the same picture."""
    return {
        "autoResize": True,
        "physics": {"enabled": False},
        "layout": {"randomSeed": 7, "improvedLayout": False},
        "interaction": {
            "hover": True,
            "tooltipDelay": 150,
            "navigationButtons": False,
            "keyboard": {"enabled": True, "bindToWindow": False},
            # The page must scroll when the wheel turns over the graph; focus a person to see detail.
            "zoomView": False,
        },
        "nodes": {
            "font": {
                "face": "Liberation Sans, DejaVu Sans, Arial, sans-serif",
                "size": FONT_SIZE,
                "color": style.TEXT,
                "strokeWidth": 4,
                "strokeColor": "#ffffff",
            },
            "borderWidth": 1.5,
            "borderWidthSelected": 3,
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.7}},
            "color": {"color": EDGE_COLOUR, "highlight": HIGHLIGHT, "hover": HIGHLIGHT, "inherit": False},
            "smooth": {"enabled": True, "type": "curvedCW", "roundness": 0.12},
            "font": {"size": 13, "face": "Liberation Sans, DejaVu Sans, Arial, sans-serif", "strokeWidth": 3},
            "selectionWidth": 2,
            "hoverWidth": 1.5,
        },
    }


def kind_shape(kind: str) -> str:
    """The vis-network shape of a kind; a group node of the large-graph mode is a hexagon."""
    return GROUP_SHAPE if kind == GROUP_KIND else KIND_SHAPES.get(kind, FALLBACK_SHAPE)


def vis_nodes(
    graph: nx.DiGraph, positions: Mapping, colours: Mapping[str, str], focus: str | None = None
) -> list[dict]:
    """The node list vis-network draws; ids are the entity names (serialised as JSON, never markup).
    The focus entity gets a heavy outline."""
    nodes = []
    for name, data in graph.nodes(data=True):
        x, y = positions[name]
        colour = colours.get(data["side"], style.NEUTRAL)
        node = {
            "id": name,
            "label": data["label"],
            "title": node_title(data),
            "shape": kind_shape(data["kind"]),
            "size": node_radius(data),
            "x": x,
            "y": y,
            "color": {
                "background": colour,
                "border": "#333333",
                "highlight": {"background": colour, "border": HIGHLIGHT},
                "hover": {"background": colour, "border": HIGHLIGHT},
            },
        }
        if data["unnamed"]:
            node["shapeProperties"] = {"borderDashes": [4, 3]}
            node["borderWidth"] = 2.5
        if name == focus:
            node["borderWidth"] = 4
            node["color"]["border"] = HIGHLIGHT
        nodes.append(node)
    return nodes


def vis_edges(graph: nx.DiGraph) -> list[dict]:
    """The edge list vis-network draws: one per ordered pair, dashed unless every statement is stated,
    wider and labelled with the count when several statements are merged."""
    edges = []
    for index, (source, target, data) in enumerate(graph.edges(data=True)):
        edge = {
            "id": f"e{index}",
            "from": source,
            "to": target,
            "title": edge_title(graph.nodes[source]["display"], graph.nodes[target]["display"], data),
            "dashes": style.CERTAINTY_VIS_DASHES.get(data["certainty"], False),
            "width": min(1.5 + (data["count"] - 1) * 1.2, 7),
        }
        if data["count"] > 1:
            edge["label"] = f"×{data['count']}"
        edges.append(edge)
    return edges


def network_html(
    graph: nx.DiGraph,
    colours: Mapping[str, str],
    positions: Mapping | None = None,
    height: int = 720,
    focus: str | None = None,
) -> str:
    """A self-contained HTML page (vis-network inline, nothing fetched) drawing the graph at the given
    positions (computed when not given). Labels and tooltips are data as text, never markup."""
    from pyvis.network import Network

    positions = layout_positions(graph) if positions is None else positions
    network = Network(height=f"{height}px", width="100%", directed=True, cdn_resources="in_line", heading="")
    # One jinja environment for every page: pyvis builds one per Network and compiles its template
    # again each time (~40 ms per rerun).
    network.templateEnv = _template_environment(network.template_dir)
    # Assigning the lists directly: add_node/add_edge are quadratic in the number of nodes.
    network.nodes = vis_nodes(graph, positions, colours, focus)
    network.edges = vis_edges(graph)
    network.node_ids = [node["id"] for node in network.nodes]
    network.node_map = {node["id"]: node for node in network.nodes}
    network.options = vis_options()
    return with_draw_flags(make_offline(network.generate_html()))


@functools.cache
def _template_environment(folder: str):
    from jinja2 import Environment, FileSystemLoader

    return Environment(loader=FileSystemLoader(folder))


# Sets window.networkDrawnAt when vis-network first draws, and window.networkSettledAt when nothing
# moves any more (at once with physics off): browser tests and the benchmark wait on these.
_DRAW_FLAGS = """<script>
(function () {
  if (typeof network === "undefined" || !network) { return; }
  network.once("afterDrawing", function () {
    window.networkDrawnAt = performance.now();
    if (!network.physics.physicsEnabled) { window.networkSettledAt = window.networkDrawnAt; }
  });
  network.once("stabilized", function () { window.networkSettledAt = performance.now(); });
  network.redraw();  // the first drawing can happen while the network is built, before this script
})();
</script>"""


def with_draw_flags(html: str) -> str:
    """The page with the script that records when the graph was drawn and when it settled."""
    return html.replace("</body>", _DRAW_FLAGS + "</body>", 1) if "</body>" in html else html + _DRAW_FLAGS


def graph_key(graph: nx.Graph) -> str:
    """A short digest of what the layout depends on (labels, sizes, links), for caching the layout:
    hashing a few characters is far cheaper than letting Streamlit hash thousands of tuples."""
    digest = hashlib.sha1()
    for name, data in graph.nodes(data=True):
        digest.update(f"{name}\x00{data.get('label', '')}\x00{node_radius(data)}\x01".encode())
    for source, target in graph.edges:
        digest.update(f"{source}\x00{target}\x01".encode())
    return digest.hexdigest()


def make_offline(html: str) -> str:
    """Drop every tag that fetches from the network and every other http(s) reference, except the SVG
    namespace vis-network's DOM code needs (an identifier, never fetched); add the page's own style."""
    if "popup.innerHTML" in html:  # pyvis's raw-HTML tooltip path must never be taken
        raise ValueError("pyvis produced its HTML tooltip popup; tooltips must stay plain text")
    html = _REMOTE_TAG.sub("", html)
    html = _EMPTY_HEADING.sub("", html)
    html = _COMMENT.sub("", html)
    html = _URL.sub(lambda m: m.group(0) if m.group(0) == SVG_NAMESPACE else m.group(0).split("://", 1)[1], html)
    return html.replace("</head>", f"<style>{_PAGE_CSS}</style></head>", 1)


_PAGE_CSS = (
    "html,body{margin:0;padding:0;background:#fff;}"
    ".card{border:0;}"
    "#mynetwork{float:none !important;border:1px solid #dddddd !important;box-sizing:border-box;}"
    "div.vis-tooltip{font-family:'Liberation Sans','DejaVu Sans',Arial,sans-serif !important;"
    "font-size:13px !important;line-height:1.35;max-width:560px;background:#ffffff !important;"
    "border:1px solid #999999 !important;color:#1f1f1f !important;}"
)


def external_references(html: str) -> list[str]:
    """Every http(s) reference left in the HTML other than the SVG namespace identifier."""
    return [url for url in _URL.findall(html) if url != SVG_NAMESPACE]


def legend_html(colours: Mapping[str, str], sides: Sequence[str], kinds: Sequence[str] = KINDS) -> str:
    """The legend shown beside the graph, as escaped HTML drawn with CSS only (Streamlit's st.html
    drops SVG): a colour per side, a shape per kind, a line per certainty, the other marks."""
    side_items = "".join(
        f"<li>{_swatch('dot', colours.get(side, style.NEUTRAL))}{text.escape(side or 'Side not given')}</li>"
        for side in sides
    )
    kind_items = "".join(
        f"<li>{_swatch(kind_shape(kind), '#bbbbbb')}"
        f"{text.escape((GROUP_LABEL if kind == GROUP_KIND else KIND_LABELS.get(kind, kind)) or 'Kind not given')}</li>"
        for kind in kinds
    )
    certainty_items = "".join(
        f'<li><span class="line" style="background:{_dash_gradient(style.CERTAINTY_VIS_DASHES[c])}"></span>'
        f"{text.escape(style.CERTAINTY_LABEL[c])}</li>"
        for c in CERTAINTIES
    )
    other_items = (
        f'<li><span class="mark" style="border:2px dashed #333;border-radius:50%;background:#fff"></span>'
        f"Dashed outline: {text.escape(names.UNNAMED_TEXT.lower())}</li>"
        "<li>Size: number of statements · ×2: two statements on one link · "
        "arrows point from subject to object</li>"
    )
    return (
        f"<style>{_LEGEND_CSS}</style>"
        '<div class="network-legend" role="group" aria-label="Legend">'
        f"<div><strong>Colour: side</strong><ul>{side_items}</ul></div>"
        f"<div><strong>Shape: kind</strong><ul>{kind_items}</ul></div>"
        f"<div><strong>Line: certainty</strong><ul>{certainty_items}</ul></div>"
        f"<div><strong>Other marks</strong><ul>{other_items}</ul></div>"
        "</div>"
    )


_SHAPE_CSS = {
    "dot": "border-radius:50%;border:1px solid #333",
    "square": "border:1px solid #333",
    "diamond": "transform:rotate(45deg) scale(0.8);border:1px solid #333",
    "triangle": "clip-path:polygon(50% 0,100% 100%,0 100%)",
    "hexagon": "clip-path:polygon(25% 5%,75% 5%,100% 50%,75% 95%,25% 95%,0 50%)",
    "star": "clip-path:polygon(50% 0,61% 35%,98% 35%,68% 57%,79% 91%,50% 70%,21% 91%,32% 57%,2% 35%,39% 35%)",
}
_LEGEND_CSS = (
    ".network-legend{display:flex;flex-wrap:wrap;gap:2px 26px;font-size:13px;line-height:1.5;margin:0 0 6px 0;}"
    ".network-legend ul{list-style:none;margin:2px 0 0 0;padding:0;}"
    ".network-legend li{display:flex;align-items:center;gap:7px;margin:0;}"
    ".network-legend .mark{display:inline-block;flex:none;width:14px;height:14px;box-sizing:border-box;}"
    ".network-legend .line{display:inline-block;flex:none;width:36px;height:2px;}"
)


def _swatch(shape: str, colour: str) -> str:
    return f'<span class="mark" style="background:{text.escape(colour)};{_SHAPE_CSS[shape]}"></span>'


def _dash_gradient(dashes) -> str:
    """A CSS background drawing vis-network's dash pattern ([dash, gap, ...] in pixels)."""
    if not dashes:
        return EDGE_COLOUR
    stops, offset = [], 0
    for index, length in enumerate(dashes):
        colour = EDGE_COLOUR if index % 2 == 0 else "transparent"
        stops.append(f"{colour} {offset}px {offset + length}px")
        offset += length
    return f"repeating-linear-gradient(90deg,{','.join(stops)})"
