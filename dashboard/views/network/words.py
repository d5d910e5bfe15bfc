"""The network in words: plain-text tooltips of nodes and links, and the sentences listed below the
graph (each relation with the statement behind it)."""

from __future__ import annotations

from collections.abc import Mapping

import networkx as nx

from dashboard import names, text, wording
from dashboard.views.network.graph import GROUP_KIND, is_group
from dashboard.vocabulary import KIND_LABELS

MAX_STATEMENTS_IN_TOOLTIP = 8
QUOTE_EXCERPT = 220  # characters of a quote shown in a tooltip


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
    its entities, in id order. Group nodes of the large-graph mode are left out."""
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
