"""The network page's own controls as pure functions: reading them from a shared link, writing them
back, the view they make, and the sentences that say what is drawn. The page only lays out widgets."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import networkx as nx
import pandas as pd

from dashboard.derive import filters as flt
from dashboard.derive.context import NetworkView
from dashboard.views.network.graph import is_group

FOCUS_PARAM, HOPS_PARAM = "focus", "hops"
HOPS = (1, 2, 3)


@dataclass(frozen=True)
class Shared:
    """What a shared link asks for (?focus=Marco Rubio&hops=2), with a notice per value it ignored."""

    focus: str | None = None
    hops: int = 1
    notices: tuple[str, ...] = field(default=())


def read_link(params: Mapping[str, str], entities: pd.DataFrame) -> Shared:
    """The focus (a name or an alias) and hops of a shared link; a bad value is ignored with a notice."""
    notices = []
    wanted = params.get(FOCUS_PARAM)
    focus = flt.resolve_person(wanted, entities) if wanted else None
    if wanted and focus is None:
        notices.append(f"Ignored focus “{wanted}”: no one in the dataset matches it.")
    wanted_hops = params.get(HOPS_PARAM, "1")
    if wanted_hops not in ("1", "2", "3"):
        notices.append(f"Ignored hops=“{wanted_hops}”: use 1, 2 or 3.")
    hops = int(wanted_hops) if wanted_hops in ("1", "2", "3") else 1
    return Shared(focus, hops, tuple(notices))


def link_params(focus: str | None, hops: int) -> dict[str, str | None]:
    """The URL parameters that share this view (None: leave the parameter out)."""
    return {FOCUS_PARAM: focus, HOPS_PARAM: str(hops) if focus and hops != 1 else None}


def make_view(
    relation_types, sides, hide_alleged: bool, hide_inferred: bool, focus: str | None, hops: int
) -> NetworkView:
    """The NetworkView the page's controls ask for."""
    hidden = tuple(c for c, hide in (("alleged", hide_alleged), ("inferred", hide_inferred)) if hide)
    return NetworkView(tuple(relation_types), tuple(sides), hidden, focus, int(hops))


def drawn_summary(graph: nx.DiGraph, focus_display: str | None = None, hops: int = 1) -> str:
    """ "47 entities, 75 links drawn from 81 statements · within 2 links of Marco Rubio"."""
    statements = sum(count for _, _, count in graph.edges(data="count"))
    drawn = sum(1 for node in graph if not is_group(graph, node))
    summary = f"{drawn} entities, {graph.number_of_edges()} links drawn from {statements} statements"
    if focus_display:
        summary += f" · within {hops} link{'s' * (hops > 1)} of {focus_display}"
    return summary


def nothing_drawn(focus_display: str | None = None) -> str:
    """What the page says when no link is left to draw."""
    if focus_display is not None:
        return (
            f"{focus_display} has no links to others with these filters. "
            "Choose “Everyone”, widen the filters, or reset them."
        )
    return (
        "No statements link two entities with these filters. Widen the date range, include undated "
        "statements, or reset the filters."
    )


def highlight_note(graph: nx.DiGraph, chain: tuple[str, ...]) -> str:
    """What the graph shows of a highlighted chain: all of it, or which of its entities the page's
    own controls (focus, hidden links, sides, the large-graph mode) leave undrawn."""
    from dashboard import names

    missing = [n for n in chain if n not in graph or is_group(graph, n)]
    route = " → ".join(names.display_name(n) for n in chain)
    if not missing:
        return f"Highlighted on the network: {route}; everything else is faded."
    left_out = ", ".join(names.display_name(n) for n in missing)
    return (
        f"Highlighted on the network: {route}. Not drawn with this view's controls: {left_out} "
        "(choose “Everyone”, show every relation type and certainty, or narrow the filters to see the whole chain)."
    )


def drawn_counts(summary: str, graph: nx.DiGraph, shown: int) -> str:
    """The drawn summary with what it leaves out, so the counts agree with the filter line: "47 entities,
    74 links drawn from 80 of the 114 statements shown; the other 34 link no one to anyone else, or are
    left out by the focus or the hide and narrow choices"."""
    drawn = sum(count for _, _, count in graph.edges(data="count"))
    head, _, rest = summary.partition(" · ")
    head = head.replace(f"from {drawn} statements", f"from {drawn} of the {shown} statements shown")
    left = shown - drawn
    if left > 0:
        head += (
            f"; the other {left} link no one to anyone else (a date, a role, a count), "
            "or are left out by the focus or the hide and narrow choices"
        )
    return head + (f" · {rest}" if rest else "")


def crowded_note(crowded: int, drawn: int) -> str | None:
    """What the page says when marks lie on links they are not part of (a map with too many links to
    keep every entity clear of them; see layout.LINK_COVER_LIMIT), or None when none does."""
    if not crowded:
        return None
    if crowded == 1:
        marks = "1 entity's mark sits on a link it is not part of"
    else:
        marks = f"{crowded:,} of {drawn:,} entities' marks sit on links they are not part of"
    return (
        f"Too many links to keep every entity clear of them: {marks}. "
        "Hover a link away from the marks, or focus on one entity to see its links alone."
    )
