"""One chain of links as a static Plotly figure for publication: the entities left to right (top to
bottom on a tall or square card), each hop labelled with its relation, how sure it is and a short
quote, the line drawn as the network draws certainty (dash by certainty, in words too). Every text
box is placed in the plot's pixels from estimated text sizes so that none overlaps another or a
mark, and none leaves the plot; the boxes are kept in `figure.layout.meta["boxes"]` for tests.
Pure: no Streamlit here."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from dataclasses import dataclass

import plotly.graph_objects as go

from dashboard import names, style, wording
from dashboard.derive.paths import Chain, Hop, Search
from dashboard.text import escape, text_width
from dashboard.views.network.figure import EDGE_GREY, KIND_SYMBOLS, LINE_EM
from dashboard.views.network.words import excerpt
from dashboard.vocabulary import KIND_LABELS, according_to_mid_sentence

GAP = 6.0  # px between a mark and a text box, and between boxes
LINE_WIDTH = 3.0
MAX_NAME_LINES = 3
MAX_RELATION_LINES = 3
QUOTE_CHARACTERS = 110  # of the quote shown on a hop, cut at a word


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    right: float
    bottom: float
    what: str

    def overlaps(self, other: Box) -> bool:
        return (
            self.left < other.right and other.left < self.right and self.top < other.bottom and other.top < self.bottom
        )


def node_text(search: Search, node: str) -> str:
    """The entity's name as printed, saying when it is a group ("(a group)")."""
    shown = search.name(node)
    return f"{shown} (a group)" if search.kinds.get(node) == "group" else shown


def hop_lines(hop: Hop, chars: int, quote_lines: int) -> tuple[list[str], list[str], str]:
    """The relation (in the direction its statement reads), the quote's lines and the certainty
    line of a hop, wrapped to `chars` characters."""
    arrow = "→" if hop.forward else "←"
    relation = textwrap.wrap(f"{arrow} {' '.join(hop.lead.relation.split())} {arrow}", chars) or [arrow]
    if len(relation) > MAX_RELATION_LINES:
        relation = relation[:MAX_RELATION_LINES]
        relation[-1] = relation[-1][: max(1, chars - 2)].rstrip() + " …"
    more = len(hop.statements) - 1
    certainty = hop.certainty + (f" · {more} more statement{'s' * (more > 1)}" if more else "")
    quote: list[str] = []
    if quote_lines:
        quote = textwrap.wrap(wording.quoted(excerpt(hop.lead.quote, QUOTE_CHARACTERS)), chars)
        if len(quote) > quote_lines:
            quote = quote[:quote_lines]
            quote[-1] = quote[-1][: max(1, chars - 2)].rstrip() + " …”"
    return relation, quote, certainty


# Lines are wrapped by letters (textwrap); the budget is the average letter of the one measure of
# text, and each block's real width is then measured (`_size`) before anything is placed.
CHAR_EM = text_width("abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ", 1) / 53


def _size(lines: list[str], font: float) -> tuple[float, float]:
    return max((text_width(line, font) for line in lines), default=0) + 4, len(lines) * font * LINE_EM + 3


def chain_figure(
    search: Search, chain: Chain | None = None, area: tuple[float, float] = (1100, 420),
    colours: Mapping[str, str] | None = None, sides: Mapping[str, str] | None = None,
    font: int = 13, vertical: bool | None = None,
) -> go.Figure:  # fmt: skip
    """The chain (by default the search's first) in a plot of `area` pixels (width, height), text at
    `font` px or more: left to right, or top to bottom when `vertical` (by default when the plot is
    not clearly wider than tall, or when the hops would be too narrow to read side by side).
    `sides`: each entity's side, coloured with `colours` as on the network. When the chain fits
    neither way at `font` px, its names are cut, quotes left out and `meta["fits"]` is False: the
    boxes may then overlap, and the export refuses to publish it."""
    chain = chain or search.chains[0]
    colours, sides = colours or {}, sides or {}
    width, height = area
    if vertical is None:
        vertical = width / height < 1.25 or width / (len(chain.hops) + 1) < font * CHAR_EM * 14
    laid, fits = None, True
    for orientation in (vertical, not vertical):  # the other way round before anything is cut short
        for size in range(round(font * 1.3), font - 1, -1):  # the largest type that fits, not below `font`
            for quote_lines in (4, 3, 2, 1, 0):
                laid = (_vertical if orientation else _horizontal)(search, chain, area, size, quote_lines)
                if laid is not None:
                    break
            if laid is not None:
                break
        if laid is not None:
            vertical = orientation
            break
    if laid is None:  # nothing fits: the smallest type, no quotes, names cut; said in meta["fits"]
        laid, fits = (_vertical if vertical else _horizontal)(search, chain, area, font, 0, force=True), False
    positions, texts, boxes = laid
    figure = go.Figure(layout=go.Layout(template=style.template()))
    figure.update_xaxes(visible=False, range=[0, width])
    figure.update_yaxes(visible=False, range=[-height, 0])
    nodes = chain.nodes
    for hop in chain.hops:
        (x0, y0), (x1, y1) = positions[hop.start], positions[hop.end]
        figure.add_trace(go.Scatter(
            x=[x0, x1], y=[-y0, -y1], mode="lines", hoverinfo="skip", showlegend=False,
            line=dict(color=EDGE_GREY, width=LINE_WIDTH, dash=style.CERTAINTY_DASH.get(hop.certainty, "solid")),
        ))  # fmt: skip
    radius = texts["radius"]
    figure.add_trace(go.Scatter(
        x=[positions[n][0] for n in nodes], y=[-positions[n][1] for n in nodes], mode="markers", showlegend=False,
        hovertext=[escape(node_text(search, n)) for n in nodes], hoverinfo="text",
        marker=dict(size=2 * radius, color=[colours.get(sides.get(n, ""), style.NEUTRAL) for n in nodes],
                    symbol=[KIND_SYMBOLS.get(search.kinds.get(n, ""), "star") for n in nodes],
                    line=dict(color="#333333", width=1.2)),
    ))  # fmt: skip
    for item in texts["items"]:
        figure.add_annotation(
            x=item["x"], y=-item["y"], text=item["text"], showarrow=False, xanchor=item["xanchor"],
            yanchor=item["yanchor"], align=item["align"], font=dict(size=item["size"], color=item["color"]),
            bgcolor="rgba(255,255,255,0.9)", borderpad=0,
        )  # fmt: skip
    for side in dict.fromkeys(sides.get(n, "") for n in nodes):
        figure.add_trace(style.legend_entry(escape(side or "No side"), mode="markers",
                                            marker=dict(size=11, color=colours.get(side, style.NEUTRAL))))  # fmt: skip
    for kind in dict.fromkeys(search.kinds.get(n, "") for n in nodes):
        marker = dict(symbol=KIND_SYMBOLS.get(kind, "star"), size=11, color=style.MUTED)
        figure.add_trace(style.legend_entry(KIND_LABELS.get(kind, "Other"), "legend2", mode="markers", marker=marker))
    for certainty in dict.fromkeys(hop.certainty for hop in chain.hops):
        line = dict(color=EDGE_GREY, width=LINE_WIDTH, dash=style.CERTAINTY_DASH.get(certainty, "solid"))
        figure.add_trace(style.legend_entry(certainty.capitalize(), "legend2", mode="lines", line=line))
    figure.update_layout(
        legend=dict(orientation="h", title=dict(text="Colour: side "), xref="container", yref="container", x=0,
                    y=1, xanchor="left", yanchor="top"),
        legend2=dict(orientation="h", title=dict(text="Kind and line: "), xref="container", yref="container",
                     x=0, y=0, xanchor="left", yanchor="bottom"),
        meta={"boxes": [b.__dict__ for b in boxes], "vertical": vertical, "area": list(area), "fits": fits},
    )  # fmt: skip
    return figure


def _text(lines: list[str], bold: bool = False, italic: bool = False) -> str:
    joined = "<br>".join(escape(line) for line in lines)
    if bold:
        joined = f"<b>{joined}</b>"
    return f"<i>{joined}</i>" if italic else joined


def _name_lines(search: Search, node: str, chars: int, force: bool) -> list[str] | None:
    lines = textwrap.wrap(node_text(search, node), chars, break_long_words=True) or [""]
    if len(lines) > MAX_NAME_LINES:
        if not force:
            return None
        lines = lines[:MAX_NAME_LINES]
        lines[-1] = lines[-1][: max(1, chars - 2)].rstrip() + " …"
    return lines


def _hop_block(hop: Hop, chars: int, quote_lines: int, size: int):
    """The hop's label as three stacked annotations (relation, certainty, quote) and its size."""
    relation, quote, certainty = hop_lines(hop, chars, quote_lines)
    parts = [(relation, size, True, False, style.TEXT), ([certainty], size - 1, False, False, style.MUTED)]
    if quote:
        parts.append((quote, size - 1, False, True, style.TEXT))
    sizes = [_size(lines, s) for lines, s, *_ in parts]
    return parts, max(w for w, _ in sizes), sum(h for _, h in sizes)


def _horizontal(search: Search, chain: Chain, area, size: int, quote_lines: int, force: bool = False):
    width, height = area
    nodes = chain.nodes
    step = width / len(nodes)
    chars = max(6, int((step - 2 * GAP) / (size * CHAR_EM)) - 1)
    radius = max(8.0, size * 0.8)
    if (chars * size * CHAR_EM + 4 > step - GAP or 2 * radius > step - GAP) and not force:
        return None  # too narrow for the fewest letters a column may hold
    blocks = [_hop_block(hop, chars, quote_lines, size) for hop in chain.hops]
    names_ = [_name_lines(search, n, chars, force) for n in nodes]
    if any(n is None for n in names_):
        return None
    above = max(h for _, _, h in blocks)
    below = max(_size(lines, size)[1] for lines in names_)
    line_y = GAP + above + GAP + radius
    if line_y + radius + GAP + below + GAP > height and not force:
        return None
    line_y = min(line_y, height - radius - 2 * GAP - below) if force else line_y
    spare = height - (line_y + radius + GAP + below + GAP)
    line_y += max(0.0, spare) / 2  # centred in the plot
    positions = {n: (step * (i + 0.5), line_y) for i, n in enumerate(nodes)}
    items, boxes = [], []
    for node, lines in zip(nodes, names_):
        x, y = positions[node]
        w, h = _size(lines, size)
        top = y + radius + GAP
        items.append(dict(x=x, y=top, text=_text(lines, bold=node in (search.source, search.target)),
                          xanchor="center", yanchor="top", align="center", size=size, color=style.TEXT))  # fmt: skip
        boxes.append(Box(x - w / 2, top, x + w / 2, top + h, f"name:{node}"))
        boxes.append(Box(x - radius, y - radius, x + radius, y + radius, f"mark:{node}"))
    for hop, (parts, _, h) in zip(chain.hops, blocks):
        x = (positions[hop.start][0] + positions[hop.end][0]) / 2
        bottom = line_y - radius - GAP
        top = bottom - h
        for lines, part_size, bold, italic, colour in parts:
            pw, ph = _size(lines, part_size)
            items.append(dict(x=x, y=top, text=_text(lines, bold, italic), xanchor="center", yanchor="top",
                              align="center", size=part_size, color=colour))  # fmt: skip
            boxes.append(Box(x - pw / 2, top, x + pw / 2, top + ph, f"hop:{hop.start}->{hop.end}"))
            top += ph
    return positions, {"items": items, "radius": radius}, boxes


def _vertical(search: Search, chain: Chain, area, size: int, quote_lines: int, force: bool = False):
    width, height = area
    nodes = chain.nodes
    radius = max(8.0, size * 0.8)
    mark_x = GAP + radius * 1.4
    text_x = mark_x + radius * 1.4 + GAP
    hop_x = text_x + size  # hop labels indented under the names
    name_chars = max(6, int((width - text_x - GAP) / (size * CHAR_EM)) - 1)
    hop_chars = max(6, int((width - hop_x - GAP) / (size * CHAR_EM)) - 1)
    if hop_chars * size * CHAR_EM + 4 > width - hop_x and not force:
        return None  # too narrow for the fewest letters a line may hold
    names_ = [_name_lines(search, n, name_chars, force) for n in nodes]
    if any(n is None for n in names_):
        return None
    blocks = [_hop_block(hop, hop_chars, quote_lines, size) for hop in chain.hops]
    name_heights = [max(_size(lines, size)[1], 2 * radius) for lines in names_]
    needed = sum(name_heights) + sum(h for _, _, h in blocks) + GAP * (2 * len(blocks) + 2)
    if needed > height and not force:
        return None
    spare = max(0.0, height - needed) / (len(blocks) + 1)  # shared out between the hops and the ends
    y = GAP + spare / 2
    positions, items, boxes = {}, [], []
    for index, node in enumerate(nodes):
        lines, h = names_[index], name_heights[index]
        centre = y + h / 2
        positions[node] = (mark_x, centre)
        w, th = _size(lines, size)
        items.append(dict(x=text_x, y=centre, text=_text(lines, bold=node in (search.source, search.target)),
                          xanchor="left", yanchor="middle", align="left", size=size, color=style.TEXT))  # fmt: skip
        boxes.append(Box(text_x, centre - th / 2, text_x + w, centre + th / 2, f"name:{node}"))
        boxes.append(Box(mark_x - radius, centre - radius, mark_x + radius, centre + radius, f"mark:{node}"))
        y += h + GAP
        if index < len(blocks):
            parts, _, block_height = blocks[index]
            top = y + spare / 2 if len(blocks) else y
            for part_lines, part_size, bold, italic, colour in parts:
                pw, ph = _size(part_lines, part_size)
                items.append(dict(x=hop_x, y=top, text=_text(part_lines, bold, italic), xanchor="left",
                                  yanchor="top", align="left", size=part_size, color=colour))  # fmt: skip
                boxes.append(Box(hop_x, top, hop_x + pw, top + ph, f"hop:{index}"))
                top += ph
            y += spare + block_height + GAP
    return positions, {"items": items, "radius": radius}, boxes


def overlapping(figure: go.Figure) -> list[tuple[str, str]]:
    """Pairs of text boxes or marks that overlap, and boxes outside the plot (paired with "area")."""
    meta = figure.layout.meta or {}
    boxes = [Box(**b) for b in meta.get("boxes", [])]
    width, height = meta.get("area", (0, 0))
    clashes = []
    for i, a in enumerate(boxes):
        if a.left < -0.5 or a.top < -0.5 or a.right > width + 0.5 or a.bottom > height + 0.5:
            clashes.append((a.what, "area"))
        for b in boxes[i + 1 :]:
            if a.overlaps(b):
                clashes.append((a.what, b.what))
    return clashes


def describe_chain(search: Search, chain: Chain) -> str:
    """The chain in words, for alt text: each hop's sentence, how sure, on whose word."""
    parts = []
    for hop in chain.hops:
        start, end = names.display_name(hop.start), names.display_name(hop.end)
        lead = hop.lead
        sentence = (f"{start} {' '.join(lead.relation.split())} {end}" if hop.forward
                    else f"{end} {' '.join(lead.relation.split())} {start}")  # fmt: skip
        parts.append(f"{sentence} ({hop.certainty}, {according_to_mid_sentence(lead.attribution)})")
    return f"The chain has {len(chain.hops)} link{'s' * (len(chain.hops) != 1)}, {chain.certainty} at its weakest: " + (
        "; ".join(parts) + "."
    )
