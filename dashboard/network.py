"""The network of who is linked to whom: a networkx graph of the relations in view, its deterministic
layout, and the self-contained pyvis HTML that draws it offline. Pure functions: no Streamlit here.

- `build_graph`: one node per entity in a relation, one directed edge per (subject, object) pair,
  carrying every statement behind it.
- `layout_positions`: the same graph always gets the same positions, with no label box overlapping
  another (a later publication export draws the same layout as a static image).
- `network_html`: the pyvis page, with every external reference removed and data shown as text.
- `legend_html`, `entity_relations`, `relation_sentence`: what the page shows around the graph.
"""

from __future__ import annotations

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


def build_graph(statements: pd.DataFrame, entities: pd.DataFrame, view: View = View()) -> nx.DiGraph:
    """One node per entity taking part in a relation in view, one directed edge per (subject, object)
    pair holding all its statements in dataset order.

    `statements` are those passing the shared filters (all types: they give each node its statement
    count); `entities` is the model's entity frame. Node attributes: label, display, kind, side,
    unnamed, roles, statements (count in view), total (count in the dataset). Edge attributes:
    statements (a tuple of dicts), count, certainty (the least certain one), relation_types.
    With a focus, only entities within `hops` links of it (either direction) are kept.
    """
    relations = relations_in_view(statements, view)
    graph = nx.DiGraph()
    if relations.empty:
        return graph
    counts = mention_counts(statements)
    in_relations = pd.unique(pd.concat([relations["subject"], relations["object"]], ignore_index=True))
    # Dataset order (the entities frame is in order of first mention) keeps the layout deterministic.
    known = entities.index[entities.index.isin(in_relations)].tolist()
    unknown = [n for n in in_relations if n not in entities.index]
    graph.add_nodes_from(_node_attributes(known + unknown, entities, counts))
    if view.sides:
        graph.remove_nodes_from([n for n, side in graph.nodes(data="side") if side not in view.sides])
        relations = relations[relations["subject"].isin(graph) & relations["object"].isin(graph)]
    graph.add_edges_from(_merged_edges(relations))
    graph.remove_nodes_from([n for n in list(graph) if graph.degree(n) == 0])
    if view.focus is not None:
        graph = ego_graph(graph, view.focus, view.hops)
    return graph


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
    boxes = {
        n: label_box(graph.nodes[n].get("label", str(n)), node_size(graph.nodes[n].get("statements", 1))) for n in graph
    }
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
        for b in [label_box(graph.nodes[n].get("label", str(n)), node_size(graph.nodes[n].get("statements", 1)))]
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
    """A node's tooltip, plain text: name, kind and side, roles, how many statements."""
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
    return _without_href("\n".join(text.wrap_plain(line, 70) for line in lines))


def edge_title(source_label: str, target_label: str, attributes: Mapping) -> str:
    """A merged edge's tooltip, plain text: each statement's relation, date as given, certainty,
    attribution and a quote excerpt."""
    items = attributes["statements"]
    lines = [f"{source_label} → {target_label}", _plural(len(items), "statement")]
    for number, item in enumerate(items[:MAX_STATEMENTS_IN_TOOLTIP], start=1):
        lines.append("")
        lines.append(text.wrap_plain(f"{number}. {item['relation']} ({item['relation_type']})", 70))
        lines.append(f"{item['date_display']} · {wording.CERTAINTY_WORDS.get(item['certainty'], item['certainty'])}")
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
    certainty = wording.CERTAINTY_WORDS.get(statement["certainty"], statement["certainty"])
    return f"{statement['date_display']} · {certainty} · {wording.according_to(statement['attribution'])}"


def entity_relations(graph: nx.DiGraph, focus: str | None = None, limit: int | None = None) -> list[dict]:
    """For each entity in the graph, its relations in words with the statement behind each:
    [{"name", "display", "side", "kind", "unnamed", "relations": [{"sentence", "other", "statement"}]}].
    The focus comes first, then everyone by name (accents ignored); a relation appears under both of
    its entities, in dataset order."""
    ordered = sorted(graph, key=lambda n: (n != focus, names.fold(graph.nodes[n]["display"])))
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
            "shape": KIND_SHAPES.get(data["kind"], FALLBACK_SHAPE),
            "size": node_size(data["statements"]),
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
    # Assigning the lists directly: add_node/add_edge are quadratic in the number of nodes.
    network.nodes = vis_nodes(graph, positions, colours, focus)
    network.edges = vis_edges(graph)
    network.node_ids = [node["id"] for node in network.nodes]
    network.node_map = {node["id"]: node for node in network.nodes}
    network.options = vis_options()
    return make_offline(network.generate_html())


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
        f"<li>{_swatch(KIND_SHAPES.get(kind, FALLBACK_SHAPE), '#bbbbbb')}"
        f"{text.escape(KIND_LABELS.get(kind, kind) or 'Kind not given')}</li>"
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
