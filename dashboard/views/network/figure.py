"""The network as a static Plotly figure for publication: the page's graph (same positions from
`layout_positions`, same colours, kinds, dashed outlines of unnamed people, line styles and ×N
counts of merged links), scaled to the export's frame, with labels placed so that none sits on a mark
or another label; a label with no room becomes a number beside its mark, named in a key."""

from __future__ import annotations

import math
from dataclasses import dataclass

import networkx as nx
import plotly.graph_objects as go

from dashboard import style, vocabulary
from dashboard.names import display_name
from dashboard.text import escape, text_width
from dashboard.views.network.graph import GROUP_KIND
from dashboard.views.network.layout import layout_positions, node_radius
from dashboard.views.network.page import EDGE_COLOUR, EDGE_STYLE, GROUP_LABEL
from dashboard.vocabulary import KIND_LABELS

KIND_SYMBOLS = {**vocabulary.KIND_SYMBOLS, GROUP_KIND: "hexagon"}  # a group: "everyone else on this side"
EDGE_GREY = "#8a8a8a"  # the chain figure's links (views.paths)
SYMBOL_REACH = {"diamond": 1.35, "star": 1.35, "triangle-up": 1.2, "hexagon": 1.15}
MAX_STRETCH = 2.4  # the page's layout may be stretched this much more one way than the other to fill a card
LINE_EM = 1.25  # line height of a multi-line annotation, in ems
GAP = 2.0  # px between a mark and its label
FOCUS_RING = "#1f1f1f"  # the page's heavy outline of the focus, as a ring
FOCUS_GAP = 6.0  # px between the focus's mark and its ring
MUST_NAME = 10  # the most connected entities always named on the chart (with the focus), never numbered


@dataclass(frozen=True)
class Placed:
    """A label's box in plot pixels (y down) and how its text is anchored there."""

    left: float
    top: float
    right: float
    bottom: float
    xanchor: str
    yanchor: str


def network_figure(
    graph: nx.DiGraph, colours: dict[str, str], area: tuple[float, float] = (1100, 420),
    focus: str | None = None, font: int | None = None,
) -> go.Figure:  # fmt: skip
    """The network as a static Plotly figure at the page's positions, scaled to fit `area` (plot
    width and height in pixels): colour by side, symbol by kind, a dashed outline for unnamed
    people, broken lines for what is not a stated fact, ×N on merged links, arrows from subject to
    object; the `focus`, when drawn, ringed in black with its label in bold. Labels, in `font` px
    (the preset's smallest type; by default 11 or 13 by width), never sit on a mark or another
    label; those with no room are numbered."""
    figure = go.Figure(layout=go.Layout(template=style.template()))
    figure.layout.meta = {"notes": [], "numbered": 0, "warnings": []}
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False)
    if graph.number_of_nodes() == 0:
        figure.add_annotation(text="No relation matches the filters.", showarrow=False, x=0.5, y=0.5,
                              xref="paper", yref="paper")  # fmt: skip
        return figure
    width, height = area
    font = font or (11 if width < 1300 else 13)
    names_ = list(graph)
    data = [graph.nodes[n] for n in names_]
    positions, zoom = fit_positions(layout_positions(graph), area, margin=font * 3)
    radius = {n: max(4.0, node_radius(d) * zoom) for n, d in zip(names_, data)}
    # How far each mark reaches from its centre: Plotly draws a diamond or a star wider than a circle.
    reach = {
        n: radius[n] * SYMBOL_REACH.get(KIND_SYMBOLS.get(d.get("kind", ""), "star"), 1.0)
        + (3 if d.get("unnamed") else 0)
        + (FOCUS_GAP if n == focus else 0)
        for n, d in zip(names_, data)
    }
    marks = {n: _square(positions[n], reach[n]) for n in names_}
    segments = [(positions[s], positions[t]) for s, t in graph.edges()]

    notes: list[dict] = []  # annotations and shapes are set once: each add_* re-validates the whole list
    shapes: list[dict] = []
    _add_edges(figure, notes, graph, positions)
    counts = _count_labels(graph, positions, marks, font)
    # People the source does not identify are drawn, not labelled one by one: one note names them as a group.
    unidentified = [n for n, d in zip(names_, data) if d.get("unnamed") and d.get("kind") == "person"]
    degree = dict(graph.degree())
    texts = {n: short_label(n, d) for n, d in zip(names_, data) if n not in unidentified}
    # The focus named first, then the most connected: a number is left to the least connected.
    order = sorted(texts, key=lambda n: (n != focus, -degree[n], -radius[n]))
    named = {n for n in order if n == focus or degree[n] >= _nth_degree(degree, order, MUST_NAME)}
    # One label for the people the source does not identify, beside the one of them nearest the others.
    group = _group_anchor(unidentified, positions)
    if group is not None:
        texts[group] = unidentified_label(len(unidentified))
        order.insert(len(named), group)
        named.add(group)
    placed, numbered = place_labels(texts, positions, reach, marks, segments, (width, height), font,
                                    [box for _, box in counts], order, frozenset(named))  # fmt: skip
    grouped = group in placed
    numbered = [(n, spot) for n, spot in numbered if n != group]  # no number for a group: the key says it
    relation_notes, unsaid = _relation_labels(graph, focus, positions, marks, placed, numbered, counts,
                                              (width, height), font)  # fmt: skip
    for text, box in counts:
        notes.append(dict(x=(box[0] + box[2]) / 2, y=-(box[1] + box[3]) / 2, text=text, showarrow=False,
                          font=dict(size=font - 1, color=style.MUTED), bgcolor="rgba(255,255,255,0.9)",
                          borderpad=0))  # fmt: skip
    figure.add_trace(go.Scatter(
        x=[positions[n][0] for n in names_],
        y=[-positions[n][1] for n in names_],
        mode="markers",
        showlegend=False,
        hovertext=[escape(d.get("label", display_name(n))).replace("\n", " ") for n, d in zip(names_, data)],
        hoverinfo="text",
        marker=dict(
            color=[colours.get(d.get("side", ""), style.NEUTRAL) for d in data],
            symbol=[KIND_SYMBOLS.get(d.get("kind", ""), "star") for d in data],
            size=[2 * radius[n] for n in names_],
            line=dict(color="#333333", width=1),
        ),
    ))  # fmt: skip
    # Plotly cannot dash a marker's outline: unnamed people get a dashed ring around their mark.
    for n, d in zip(names_, data):
        if d.get("unnamed"):
            x, y = positions[n]
            ring = radius[n] + 3
            shapes.append(dict(type="circle", xref="x", yref="y", xsizemode="pixel", ysizemode="pixel",
                               xanchor=x, yanchor=-y, x0=-ring, x1=ring, y0=-ring, y1=ring,
                               line=dict(color="#1f1f1f", width=1.3, dash="dot")))  # fmt: skip
    if focus in positions:  # a heavy ring around the focus, as the page's heavy outline
        x, y = positions[focus]
        ring = radius[focus] + FOCUS_GAP
        shapes.append(dict(type="circle", xref="x", yref="y", xsizemode="pixel", ysizemode="pixel",
                           xanchor=x, yanchor=-y, x0=-ring, x1=ring, y0=-ring, y1=ring,
                           line=dict(color=FOCUS_RING, width=3.5)))  # fmt: skip
        entry = dict(symbol="circle-open", size=13, color=FOCUS_RING, line=dict(width=3, color=FOCUS_RING))
        figure.add_trace(style.legend_entry("Black ring: the focus", "legend2", mode="markers", marker=entry))
    for n, spot in placed.items():
        shapes += _leader(positions[n], reach[n], spot)  # only where the label had to sit further out
        label = escape(texts[n]).replace("\n", "<br>")
        notes.append(_label(positions[n], spot, f"<b>{label}</b>" if n == focus else label, font,
                            colour=style.MUTED if n == group else style.TEXT, name="network-label"))  # fmt: skip
    for number, (n, spot) in enumerate(numbered, start=1):
        shapes += _leader(positions[n], reach[n], spot)
        notes.append(_label(positions[n], spot, f"<b>{number}</b>", font, name="network-label"))
    notes += relation_notes
    figure.update_layout(annotations=notes, shapes=shapes)
    _add_legends(figure, graph, data, colours)
    # What the legends leave to the frame's notes (see `figure_notes`): the other marks, the numbers.
    marks = []
    if unidentified and not grouped:
        count = len(unidentified)
        marks.append(f"Dotted ring: a person the source does not name ({_number_word(count)} "
                     f"{'is' if count == 1 else 'are'} drawn without a label).")  # fmt: skip
    elif any(d.get("unnamed") for d in data):
        marks.append("Dotted ring: a person the source does not name.")
    if any(d.get("count", 1) > 1 for _, _, d in graph.edges(data=True)):
        marks.append("×2: two statements on one link (drawn wider).")
    key = [" ".join(marks)] if marks else []
    numbers = [short_label(n, data[names_.index(n)]).replace("\n", " ") for n, _ in numbered]
    if numbers:
        key.append("Numbered marks: " + "; ".join(f"{i} {n}" for i, n in enumerate(numbers, start=1)) + ".")
    warnings = []
    if unsaid:
        warnings.append(f"{_number_word(unsaid).capitalize()} of the focus's links {'does' if unsaid == 1 else 'do'} "
                        "not say {} relation on the chart: no room beside {} line.".format(
                            *(("its", "its") if unsaid == 1 else ("their", "each"))))  # fmt: skip
    if unidentified and not grouped:
        warnings.append("The people the source does not identify have no label on the chart: no room; the notes "
                        "say what their dotted rings mean.")  # fmt: skip
    figure.layout.meta = {"notes": key, "numbered": len(numbered), "warnings": warnings}
    figure.update_xaxes(range=[0, width])
    figure.update_yaxes(range=[-height, 0])
    figure.update_layout(
        legend=dict(orientation="h", title=dict(text="Colour: side "), xref="container", yref="container", x=0,
                    y=1, xanchor="left", yanchor="top"),
        legend2=dict(orientation="h", title=dict(text="Kind and certainty: "), xref="container", yref="container",
                     x=0, y=0, xanchor="left", yanchor="bottom"),
    )  # fmt: skip
    return figure


def fit_positions(laid_out: dict, area: tuple[float, float], margin: float) -> tuple[dict, float]:
    """The page's positions (y down) moved into the area's pixels, keeping their arrangement: turned
    a quarter clockwise when the layout is tall and the card wide (or the reverse), then each axis
    scaled to fill the area, but never one more than MAX_STRETCH times the other. Returns the
    positions and the zoom at which marks are drawn (the geometric mean of the scales, at most 1)."""
    xs = [x for x, _ in laid_out.values()]
    ys = [y for _, y in laid_out.values()]
    span_x, span_y = max(max(xs) - min(xs), 1.0), max(max(ys) - min(ys), 1.0)
    if (span_x / span_y) * (area[1] / area[0]) < 1 / 1.5 or (span_x / span_y) * (area[1] / area[0]) > 1.5:
        # A quarter turn clockwise: (x, y) -> (-y, x), y pointing down.
        laid_out = {n: (-y, x) for n, (x, y) in laid_out.items()}
        xs, ys = [x for x, _ in laid_out.values()], [y for _, y in laid_out.values()]
        span_x, span_y = span_y, span_x
    room_x, room_y = area[0] - 2 * margin, area[1] - 2 * margin
    scale_x, scale_y = room_x / span_x, room_y / span_y
    scale_x, scale_y = min(scale_x, scale_y * MAX_STRETCH), min(scale_y, scale_x * MAX_STRETCH)
    offset_x = (area[0] - span_x * scale_x) / 2
    offset_y = (area[1] - span_y * scale_y) / 2
    fitted = {
        n: ((x - min(xs)) * scale_x + offset_x, (y - min(ys)) * scale_y + offset_y) for n, (x, y) in laid_out.items()
    }
    return fitted, min(1.0, (scale_x * scale_y) ** 0.5)


def text_size(text: str, font: int) -> tuple[float, float]:
    """Width and height in pixels of a (multi-line) annotation at this font size (measured, see
    dashboard.text.text_width), with its padding."""
    lines = text.split("\n")
    return text_width(text, font) + 4, len(lines) * font * LINE_EM + 3


def _nth_degree(degree: dict, nodes: list, n: int) -> int:
    """The degree of the n-th most connected of `nodes`: everyone as connected is named too (ties)."""
    ranked = sorted((degree[node] for node in nodes), reverse=True)
    return ranked[min(n, len(ranked)) - 1] if ranked else 0


def short_label(name: str, data: dict) -> str:
    """A mark's printed label: the entity's name without its aliases ("Justice Department", not
    "Justice Department (U.S. Justice Department, DOJ)"); the hover keeps the full label. A grouped
    mark (the large-graph mode) keeps its own label, which says what it groups."""
    if data.get("kind") == GROUP_KIND:
        return data.get("label", display_name(name))
    return display_name(name)


def _number_word(count: int) -> str:
    words = ("no one", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
    return words[count] if count < len(words) else f"{count:,}"


def candidates(centre: tuple[float, float], radius: float, size: tuple[float, float]) -> list[Placed]:
    """Where a label may go around its mark, best first: below, above, right, left, then the corners."""
    (x, y), (w, h), r = centre, size, radius + GAP
    spots = [
        (x - w / 2, y + r, "center", "top"),
        (x - w / 2, y - r - h, "center", "bottom"),
        (x + r, y - h / 2, "left", "middle"),
        (x - r - w, y - h / 2, "right", "middle"),
        (x + r * 0.5, y + r, "left", "top"),
        (x - r * 0.5 - w, y + r, "right", "top"),
        (x + r * 0.5, y - r - h, "left", "bottom"),
        (x - r * 0.5 - w, y - r - h, "right", "bottom"),
        # Slid along the mark's side: still touching it, clear of a neighbour on one side.
        (x - w * 0.85, y + r, "right", "top"),
        (x - w * 0.15, y + r, "left", "top"),
        (x - w * 0.85, y - r - h, "right", "bottom"),
        (x - w * 0.15, y - r - h, "left", "bottom"),
        (x + r, y - h * 0.9, "left", "bottom"),
        (x + r, y - h * 0.1, "left", "top"),
        (x - r - w, y - h * 0.9, "right", "bottom"),
        (x - r - w, y - h * 0.1, "right", "top"),
    ]
    return [Placed(left, top, left + w, top + h, xa, ya) for left, top, xa, ya in spots]


def place_labels(
    labels: dict, positions: dict, radius: dict, marks: dict, segments: list, area: tuple[float, float],
    font: int, obstacles: list = (), order: list | None = None, named: frozenset = frozenset(),
) -> tuple[dict, list]:  # fmt: skip
    """Each node's label box, greedy in `order` (biggest marks first): the candidate spot inside the
    area, clear of every mark and every label placed so far, that the fewest links cross. A node
    whose label fits nowhere gets a number in a spot of its own instead, up to two type sizes further
    out when the spots beside its mark are taken (the figure then draws a line to it, `_leader`),
    on another label only when there is no room at all. The `named` nodes (the focus, the most
    connected) are labelled further out, with a line back, before any number is given. Returns {node: Placed} and
    [(node, Placed)] of the numbered ones."""
    taken = list(obstacles)
    placed: dict = {}
    numbered: list = []
    pending: list = []
    for node in order or list(labels):
        # A name that must be on the chart goes further out, with a line back to it, before the
        # less connected take the room: up to eight type sizes out.
        reaches = [0.0, *([font * k / 2 for k in range(1, 17)] if node in named else [])]
        for further in reaches:
            spot = _best_spot(node, text_size(labels[node], font), positions, radius, marks, segments, area, taken,
                              further=further)  # fmt: skip
            if spot is not None:
                placed[node] = spot
                taken.append((spot.left, spot.top, spot.right, spot.bottom))
                break
        else:
            pending.append(node)
    for node in pending:  # numbers go in last, in the gaps the labels left
        size = text_size(str(len(numbered) + 1), font)
        for further in (0, font / 2, font, 2 * font):  # a little further out rather than on another label
            spot = _best_spot(node, size, positions, radius, marks, segments, area, taken, further=further)
            if spot is not None:
                break
        else:
            spot = _best_spot(node, size, positions, radius, marks, segments, area, taken, lenient=True)
        numbered.append((node, spot))
        taken.append((spot.left, spot.top, spot.right, spot.bottom))
    return placed, numbered


def _best_spot(
    node, size, positions, radius, marks, segments, area, taken, lenient=False, further=0.0
) -> Placed | None:
    """The best candidate spot around `node`'s mark, `further` pixels beyond where a label sits."""
    best, best_score = None, None
    for rank, spot in enumerate(candidates(positions[node], radius[node] + further, size)):
        box = (spot.left, spot.top, spot.right, spot.bottom)
        inside = box[0] >= 0 and box[1] >= 0 and box[2] <= area[0] and box[3] <= area[1]
        clashes = sum(_overlaps(box, other) for other in taken) + sum(_overlaps(box, m) for m in marks.values())
        if not lenient and (not inside or clashes):
            continue
        crossings = sum(_crosses(box, a, b) for a, b in segments)
        score = (clashes * 100 + (0 if inside else 50), crossings, rank)
        if best_score is None or score < best_score:
            best, best_score = spot, score
    return best


def _square(centre: tuple[float, float], r: float) -> tuple[float, float, float, float]:
    return centre[0] - r, centre[1] - r, centre[0] + r, centre[1] + r


def _overlaps(a, b, gap: float = 1.0) -> bool:
    return a[0] < b[2] + gap and b[0] < a[2] + gap and a[1] < b[3] + gap and b[1] < a[3] + gap


def _crosses(box, a, b) -> bool:
    """Whether the segment a–b passes through the box (Liang–Barsky clipping)."""
    (x0, y0), (x1, y1) = a, b
    dx, dy = x1 - x0, y1 - y0
    low, high = 0.0, 1.0
    for p, q in ((-dx, x0 - box[0]), (dx, box[2] - x0), (-dy, y0 - box[1]), (dy, box[3] - y0)):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            low = max(low, t)
        else:
            high = min(high, t)
        if low > high:
            return False
    return True


def _label(
    centre: tuple[float, float], spot: Placed, text: str, font: int, colour: str = style.TEXT, name: str | None = None
) -> dict:
    """A label anchored at its box's edge nearest the mark, so it stays beside the mark whatever the zoom."""
    x = {"left": spot.left, "center": (spot.left + spot.right) / 2, "right": spot.right}[spot.xanchor]
    y = {"top": spot.top, "middle": (spot.top + spot.bottom) / 2, "bottom": spot.bottom}[spot.yanchor]
    align = {"left": "left", "right": "right"}.get(spot.xanchor, "center")
    return dict(
        x=centre[0], y=-centre[1], xshift=x - centre[0], yshift=centre[1] - y, text=text, showarrow=False,
        xanchor=spot.xanchor, yanchor=spot.yanchor, align=align,
        font=dict(size=font, color=colour), bgcolor="rgba(255,255,255,0.8)", borderpad=0, name=name,
    )  # fmt: skip


def _leader(centre: tuple[float, float], reach: float, spot: Placed) -> list[dict]:
    """A thin line from a mark to its number when the number had to sit further out than a label
    beside the mark does (see place_labels), so it still reads as that mark's."""
    (x, y), beside = centre, (reach + GAP) * 1.2 + 2  # a corner spot beside the mark is this far
    nearest = (min(max(x, spot.left), spot.right), min(max(y, spot.top), spot.bottom))
    distance = math.hypot(nearest[0] - x, nearest[1] - y)
    if distance <= beside:
        return []
    ux, uy = (nearest[0] - x) / distance, (nearest[1] - y) / distance
    return [dict(type="line", x0=x + ux * (reach + 1), y0=-(y + uy * (reach + 1)), x1=nearest[0],
                 y1=-nearest[1], line=dict(color=style.MUTED, width=1))]  # fmt: skip


def edge_style(certainty: str, count: int = 1) -> tuple[str, float, str]:
    """A link's colour, width and dash as the page draws it (views.network.page.EDGE_STYLE): by its
    least certain statement, wider for each statement merged into it."""
    colour, width = EDGE_STYLE.get(certainty, (EDGE_COLOUR, 1.5))
    return colour, min(width + (count - 1) * 1.2, 8.0), style.CERTAINTY_DASH.get(certainty, "solid")


def _add_edges(figure: go.Figure, notes: list[dict], graph: nx.DiGraph, positions: dict) -> None:
    """Links as on the page: coloured, weighted and dashed by their least certain statement, wider
    for merged statements, with an arrowhead toward the object in the link's colour."""
    groups: dict = {}
    for source, target, data in graph.edges(data=True):
        groups.setdefault(edge_style(data.get("certainty"), data.get("count", 1)), []).append((source, target))
    for (colour, width, dash), pairs in groups.items():
        xs, ys = [], []
        for source, target in pairs:
            xs += [positions[source][0], positions[target][0], None]
            ys += [-positions[source][1], -positions[target][1], None]
        figure.add_trace(go.Scatter(x=xs, y=ys, mode="lines", hoverinfo="skip", showlegend=False,
                                    line=dict(color=colour, width=width, dash=dash)))  # fmt: skip
    if graph.number_of_edges() <= 400:  # arrowheads show direction; past a few hundred they are clutter
        for source, target, data in graph.edges(data=True):
            (x0, y0), (x1, y1) = positions[source], positions[target]
            notes.append(dict(
                x=x0 + (x1 - x0) * 0.72, y=-(y0 + (y1 - y0) * 0.72), ax=x0 + (x1 - x0) * 0.6,
                ay=-(y0 + (y1 - y0) * 0.6), xref="x", yref="y", axref="x", ayref="y", text="", showarrow=True,
                arrowhead=2, arrowsize=1, arrowwidth=1.2, arrowcolor=edge_style(data.get("certainty"))[0],
            ))  # fmt: skip


def unidentified_label(count: int) -> str:
    """The one label of the people the source does not identify: "Eight people not identified (dotted rings)"."""
    if count == 1:
        return "One person not identified (dotted ring)"
    return f"{_number_word(count).capitalize()} people not identified (dotted rings)"


def _group_anchor(unidentified: list, positions: dict):
    """The person the group label sits beside: of those the source does not identify, the one nearest
    the middle of them all (None when there are none)."""
    if not unidentified:
        return None
    mx = sum(positions[n][0] for n in unidentified) / len(unidentified)
    my = sum(positions[n][1] for n in unidentified) / len(unidentified)
    return min(unidentified, key=lambda n: math.hypot(positions[n][0] - mx, positions[n][1] - my))


def relation_words(data: dict) -> str:
    """A link's relation in a few words, from its statements' relation types ("deal", "gang talks",
    "custody, court"); "" when the types say nothing ("other")."""
    kinds = [t for t in data.get("relation_types", ()) if t and t != "other"]
    return ", ".join(t.replace("_", " ") for t in kinds[:2])


RELATION_SPOTS = (0.5, 0.4, 0.6, 0.3, 0.7, 0.22, 0.78)  # along a link, middle first


def _relation_labels(graph, focus, positions, marks, placed, numbered, counts, area, font) -> tuple[list[dict], int]:
    """The focus's links saying their relation in a few words (`relation_words`), in italics on the
    line, clear of every mark, label, number and count; a link with no room says nothing (counted)."""
    if focus not in graph:
        return [], 0
    taken = [(p.left, p.top, p.right, p.bottom) for p in placed.values()]
    taken += [(p.left, p.top, p.right, p.bottom) for _, p in numbered] + [box for _, box in counts]
    taken += list(marks.values())
    notes, unsaid = [], 0
    edges = [*graph.out_edges(focus, data=True), *graph.in_edges(focus, data=True)]
    for source, target, data in edges:
        words = relation_words(data)
        if not words or source == target:
            continue
        w, h = text_size(words, font)
        (x0, y0), (x1, y1) = positions[source], positions[target]
        for t in RELATION_SPOTS:
            x, y = x0 + (x1 - x0) * t, y0 + (y1 - y0) * t
            box = (x - w / 2, y - h / 2, x + w / 2, y + h / 2)
            inside = box[0] >= 0 and box[1] >= 0 and box[2] <= area[0] and box[3] <= area[1]
            if inside and not any(_overlaps(box, other) for other in taken):
                taken.append(box)
                notes.append(dict(x=x, y=-y, text=f"<i>{escape(words)}</i>", showarrow=False, name="network-relation",
                                  font=dict(size=font, color=edge_style(data.get("certainty"))[0]),
                                  bgcolor="rgba(255,255,255,0.9)", borderpad=0))  # fmt: skip
                break
        else:
            unsaid += 1
    return notes, unsaid


def _count_labels(graph: nx.DiGraph, positions: dict, marks: dict, font: int) -> list[tuple[str, tuple]]:
    """ "×2" on each link that merges several statements, at the first point along it clear of every
    mark and of the counts already placed."""
    placed: list[tuple[str, tuple]] = []
    for source, target, data in graph.edges(data=True):
        if data.get("count", 1) < 2:
            continue
        text = f"×{data['count']}"
        w, h = text_size(text, font - 1)
        (x0, y0), (x1, y1) = positions[source], positions[target]
        for t in (0.45, 0.35, 0.55, 0.25, 0.65):
            x, y = x0 + (x1 - x0) * t, y0 + (y1 - y0) * t
            box = (x - w / 2, y - h / 2, x + w / 2, y + h / 2)
            if not any(_overlaps(box, m) for m in marks.values()) and not any(_overlaps(box, b) for _, b in placed):
                placed.append((text, box))
                break
    return placed


def figure_notes(figure: go.Figure) -> list[str]:
    """The notes a network figure needs beside its legends: the dotted ring, ×N, and the key to its
    numbered marks ("Numbered marks: 1 Name; 2 Name.")."""
    meta = figure.layout.meta if isinstance(figure.layout.meta, dict) else {}
    return list(meta.get("notes", []))


def _add_legends(figure: go.Figure, graph: nx.DiGraph, data: list, colours: dict) -> None:
    for side in dict.fromkeys(d.get("side", "") for d in data):
        colour = colours.get(side, style.NEUTRAL)
        figure.add_trace(
            style.legend_entry(escape(side or "No side"), mode="markers", marker=dict(size=11, color=colour))
        )
    for kind in dict.fromkeys(d.get("kind", "") for d in data):
        label = GROUP_LABEL if kind == GROUP_KIND else KIND_LABELS.get(kind, "Other")
        marker = dict(symbol=KIND_SYMBOLS.get(kind, "star"), size=11, color=style.MUTED)
        figure.add_trace(style.legend_entry(label, "legend2", mode="markers", marker=marker))
    # The lines' key draws each certainty in its colour, weight and dash, as the links are drawn.
    present = {d.get("certainty") for _, _, d in graph.edges(data=True)}
    for certainty in [c for c in (*EDGE_STYLE, *sorted(present - set(EDGE_STYLE), key=str)) if c in present]:
        colour, width, dash = edge_style(certainty)
        figure.add_trace(style.legend_entry(str(certainty).capitalize(), "legend2", mode="lines",
                                            line=dict(color=colour, width=width, dash=dash)))  # fmt: skip
