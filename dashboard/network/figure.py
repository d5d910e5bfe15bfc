"""The network as a static Plotly figure for publication: laid out like the page's graph, with the
same colours, kinds and line styles, scaled to the export's frame."""

from __future__ import annotations

import networkx as nx
import plotly.graph_objects as go

from dashboard import style, vocabulary
from dashboard.names import display_name
from dashboard.network.graph import GROUP_KIND
from dashboard.network.layout import FONT_SIZE, layout_extent, layout_positions, node_radius
from dashboard.network.page import GROUP_LABEL
from dashboard.text import escape
from dashboard.vocabulary import KIND_LABELS

KIND_SYMBOLS = {**vocabulary.KIND_SYMBOLS, GROUP_KIND: "hexagon"}  # a group: "everyone else on this side"
FOCUS_RING = "#1f1f1f"  # the page's heavy outline of the focus, as a ring


def network_figure(
    graph: nx.DiGraph, colours: dict[str, str], area: tuple[float, float] = (1100, 420), focus: str | None = None
) -> go.Figure:
    """The network as a static Plotly figure laid out like the page's graph, scaled to fit `area`
    (plot width and height in pixels): colour by side, symbol by kind, broken lines for what is not
    a stated fact, arrows from subject to object; the `focus`, when drawn, ringed in black with its
    label in bold."""
    figure = go.Figure(layout=go.Layout(template=style.template()))
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False)
    if graph.number_of_nodes() == 0:
        figure.add_annotation(text="No relation matches the filters.", showarrow=False, x=0.5, y=0.5,
                              xref="paper", yref="paper")  # fmt: skip
        return figure
    laid_out = layout_positions(graph, aspect=area[0] / area[1])
    extent_w, extent_h = layout_extent(graph, laid_out)
    # Stretch each axis to fill the frame: a wide card gives labels room sideways.
    stretch_x, stretch_y = area[0] / max(extent_w, 1), area[1] / max(extent_h, 1)
    positions = {n: (x * stretch_x, y * stretch_y) for n, (x, y) in laid_out.items()}
    scale = min(max((stretch_x * stretch_y) ** 0.5, 0.7), 1.1)
    grey = "#8a8a8a"
    for certainty, dash in style.CERTAINTY_DASH.items():
        xs, ys = [], []
        for source, target, data in graph.edges(data=True):
            if data.get("certainty") == certainty:
                xs += [positions[source][0], positions[target][0], None]
                ys += [-positions[source][1], -positions[target][1], None]
        if xs:
            figure.add_trace(go.Scatter(x=xs, y=ys, mode="lines", hoverinfo="skip", showlegend=False,
                                        line=dict(color=grey, width=1.2, dash=dash)))  # fmt: skip
    if graph.number_of_edges() <= 400:  # arrowheads show direction; past a few hundred they are clutter
        for source, target in graph.edges():
            (x0, y0), (x1, y1) = positions[source], positions[target]
            figure.add_annotation(
                x=x0 + (x1 - x0) * 0.72, y=-(y0 + (y1 - y0) * 0.72), ax=x0 + (x1 - x0) * 0.6,
                ay=-(y0 + (y1 - y0) * 0.6), xref="x", yref="y", axref="x", ayref="y", text="", showarrow=True,
                arrowhead=2, arrowsize=1, arrowwidth=1.2, arrowcolor=grey,
            )  # fmt: skip
    names_ = list(graph)
    data = [graph.nodes[n] for n in names_]
    figure.add_trace(go.Scatter(
        x=[positions[n][0] for n in names_],
        y=[-positions[n][1] for n in names_],
        mode="markers+text",
        showlegend=False,
        text=[_bold_if(escape(d.get("label", display_name(n))).replace("\n", "<br>"), n == focus)
              for n, d in zip(names_, data)],
        textposition="bottom center",
        textfont=dict(size=max(7, round(FONT_SIZE * scale * 0.9)), color=style.TEXT),
        marker=dict(
            color=[colours.get(d.get("side", ""), style.NEUTRAL) for d in data],
            symbol=[KIND_SYMBOLS.get(d.get("kind", ""), "star") for d in data],
            size=[max(6.0, 2 * node_radius(d) * scale) for d in data],
            line=dict(color=["#1f1f1f" if d.get("unnamed") else "#ffffff" for d in data], width=1),
        ),
    ))  # fmt: skip
    if focus in positions:
        _ring_focus(figure, graph, focus, positions[focus], scale)
    for side in dict.fromkeys(d.get("side", "") for d in data):
        colour = colours.get(side, style.NEUTRAL)
        figure.add_trace(
            style.legend_entry(escape(side or "No side"), mode="markers", marker=dict(size=11, color=colour))
        )
    for kind in dict.fromkeys(d.get("kind", "") for d in data):
        label = GROUP_LABEL if kind == GROUP_KIND else KIND_LABELS.get(kind, "Other")
        marker = dict(symbol=KIND_SYMBOLS.get(kind, "star"), size=11, color=style.MUTED)
        figure.add_trace(style.legend_entry(label, "legend2", mode="markers", marker=marker))
    for certainty in dict.fromkeys(d.get("certainty") for _, _, d in graph.edges(data=True)):
        line = dict(color=grey, width=2, dash=style.CERTAINTY_DASH.get(certainty, "solid"))
        figure.add_trace(style.legend_entry(str(certainty).capitalize(), "legend2", mode="lines", line=line))
    if focus in positions:
        ring = dict(symbol="circle-open", size=13, color=FOCUS_RING, line=dict(width=3, color=FOCUS_RING))
        figure.add_trace(style.legend_entry("Black ring: the focus", "legend2", mode="markers", marker=ring))
    # Room around the outermost nodes for their labels, which hang below each mark.
    xs = [x for x, _ in positions.values()]
    ys = [-y for _, y in positions.values()]
    figure.update_xaxes(range=[min(xs) - 70 * scale, max(xs) + 70 * scale])
    figure.update_yaxes(range=[min(ys) - 55 * scale, max(ys) + 20 * scale])
    figure.update_layout(
        legend=dict(orientation="h", title=dict(text="Colour: side "), xref="container", yref="container", x=0,
                    y=1, xanchor="left", yanchor="top"),
        legend2=dict(orientation="h", title=dict(text="Kind and line: "), xref="container", yref="container",
                     x=0, y=0, xanchor="left", yanchor="bottom"),
    )  # fmt: skip
    return figure


def _ring_focus(figure: go.Figure, graph: nx.DiGraph, focus: str, position, scale: float) -> None:
    """A heavy black ring around the focus, as the page's heavy outline: the reader sees whom the
    view is about."""
    size = max(6.0, 2 * node_radius(graph.nodes[focus]) * scale) + 12
    figure.add_trace(go.Scatter(
        x=[position[0]], y=[-position[1]], mode="markers", showlegend=False, hoverinfo="skip",
        marker=dict(symbol="circle-open", size=size, color=FOCUS_RING, line=dict(width=3.5, color=FOCUS_RING)),
    ))  # fmt: skip


def _bold_if(label: str, bold: bool) -> str:
    return f"<b>{label}</b>" if bold else label
