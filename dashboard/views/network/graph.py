"""The graph of who is linked to whom: one node per entity in a relation in view, one directed edge per
(subject, object) pair carrying every statement behind it, and the large-graph mode that groups the
least connected entities by side past LARGE_GRAPH_NODES. Pure functions: no Streamlit here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import networkx as nx
import pandas as pd

from dashboard import names, text
from dashboard.derive.context import NetworkView
from dashboard.vocabulary import DASH_PRIORITY

LABEL_WIDTH = 16  # characters per label line
# Large-graph mode. Past a few hundred entities a map is a hairball that takes seconds to lay out and
# draw and cannot be read: the LARGE_GRAPH_SHOWN most connected entities (with a focus: the focus,
# then the nearest) are drawn one by one, and the others are grouped into one node per side, with a
# notice saying so (`large_graph_notice`). Cost and HTML size then stay flat however big the data.
LARGE_GRAPH_NODES = 250
LARGE_GRAPH_SHOWN = 100
GROUP_KIND = "grouped"  # the `kind` of a node standing for many entities
GROUP_ID = "\x1fgrouped\x1f"  # prefix of a group node's id: a control character no name in a CSV holds


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


def relations_in_view(statements: pd.DataFrame, view: NetworkView = NetworkView()) -> pd.DataFrame:
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
    statements: pd.DataFrame,
    entities: pd.DataFrame,
    view: NetworkView = NetworkView(),
    limit: int | None = LARGE_GRAPH_NODES,
) -> nx.DiGraph:
    """One node per entity taking part in a relation in view, one directed edge per (subject, object)
    pair holding all its statements in id order.

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


def graph_relations(
    statements: pd.DataFrame, entities: pd.DataFrame, view: NetworkView = NetworkView()
) -> pd.DataFrame:
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
    relations in view involve its members. Deterministic: ties are broken by id order. Works on
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
    (with a focus), then by how many others it is linked to, then by statements, then id order."""
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


def present(graph: nx.Graph, attribute: str, order: Sequence[str]) -> list[str]:
    """The values of a node attribute found in the graph, in the given order (unknown values last)."""
    found = set(dict(graph.nodes(data=attribute, default="")).values())
    return [v for v in order if v in found] + sorted(found - set(order))
