"""The network as GEXF (Gephi) and GraphML (yEd, Cytoscape, networkx): the same graph the page
draws, with every entity in view (no large-graph grouping: a file is data, not a picture).

Lists (quotes, sources, attributions, statement ids) are joined with LIST_SEPARATOR, since both
formats hold only scalar attributes.
"""

from __future__ import annotations

import io

import networkx as nx

from dashboard import style
from dashboard.derive.context import Context
from dashboard.views import network as net

GRAPH_FORMATS = ("gexf", "graphml")
MEDIA_TYPES = {"gexf": "application/gexf+xml", "graphml": "application/graphml+xml"}
LIST_SEPARATOR = "\n"


def graph(context: Context) -> nx.DiGraph:
    """The page's graph under the context's filters and network controls, every entity drawn."""
    return net.build_graph(context.statements, context.model.entities, context.options.network, limit=None)


def file_graph(context: Context, with_layout: bool = False) -> nx.DiGraph:
    """A copy of the graph with flat, typed attributes. Nodes: label, kind, side, aliases, roles,
    unnamed, statements. Edges: relation, relation_type, certainty (the least certain statement),
    count, quotes, sources, attributions, statement_ids. `with_layout`: GEXF's viz position,
    colour and size, so Gephi opens it as the page draws it."""
    shown = graph(context)
    entities = context.model.entities
    by_id = context.statements.set_index("id")
    out = nx.DiGraph(name=context.dataset.schema.title or "Story explorer network")
    positions = net.layout_positions(shown) if with_layout and shown.number_of_nodes() else {}
    colours = style.side_colours(context.sides)
    for name, data in shown.nodes(data=True):
        attributes = {
            "label": data["display"],
            "kind": data["kind"],
            "side": data["side"],
            "aliases": entities.at[name, "aliases"] if name in entities.index else "",
            "roles": data["roles"],
            "unnamed": bool(data["unnamed"]),
            "statements": int(data["statements"]),
        }
        if name in positions:
            x, y = positions[name]
            red, green, blue = (
                int(colours.get(data["side"], style.NEUTRAL).lstrip("#")[i : i + 2], 16) for i in (0, 2, 4)
            )
            attributes["viz"] = {
                "position": {"x": float(x), "y": float(-y), "z": 0.0},
                "color": {"r": red, "g": green, "b": blue, "a": 1.0},
                "size": float(net.node_radius(data)),
            }
        out.add_node(name, **attributes)
    for source, target, data in shown.edges(data=True):
        items = data["statements"]
        ids = [item["id"] for item in items]
        out.add_edge(
            source,
            target,
            relation=_joined(item["relation"] for item in items),
            relation_type=_joined(data["relation_types"]),
            certainty=data["certainty"],
            count=int(data["count"]),
            quotes=_joined(item["quote"] for item in items),
            sources=_joined(by_id.loc[ids, "source"]),
            attributions=_joined(item["attribution"] for item in items),
            statement_ids=_joined(ids),
        )
    return out


def _joined(values) -> str:
    return LIST_SEPARATOR.join(str(v) for v in values)


def graph_bytes(context: Context, fmt: str) -> bytes:
    """The GEXF or GraphML file, UTF-8."""
    buffer = io.BytesIO()
    if fmt == "gexf":
        nx.write_gexf(file_graph(context, with_layout=True), buffer, encoding="utf-8", version="1.2draft")
    elif fmt == "graphml":
        nx.write_graphml(file_graph(context), buffer, encoding="utf-8")
    else:
        raise ValueError(f"the network exports {', '.join(GRAPH_FORMATS)} here, not “{fmt}”")
    return buffer.getvalue()
