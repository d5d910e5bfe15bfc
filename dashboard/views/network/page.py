"""The page that draws the network: vis-network's node and edge lists, rendered by pyvis through our
own autoescaping template (templates/network.html) with vis-network's script inlined from the pyvis
package, so nothing is fetched; and the legend beside it."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import networkx as nx
from markupsafe import Markup

from dashboard import names, style
from dashboard.dataset.schema import CERTAINTIES, KINDS
from dashboard.views import templating
from dashboard.views.network.controls import FOCUS_PARAM
from dashboard.views.network.graph import GROUP_KIND, present
from dashboard.views.network.layout import FONT_SIZE, layout_positions, node_radius
from dashboard.views.network.words import edge_title, node_title
from dashboard.vocabulary import FALLBACK_SHAPE, KIND_LABELS, KIND_SHAPES

GROUP_SHAPE, GROUP_LABEL = "hexagon", "Others, grouped by side"
EDGE_COLOUR = "#6b6b6b"
# Certainty by line colour and weight as well as by dash, so alleged and inferred links are told apart
# at a glance in the dense centre. Dark colours (at least 4.5:1 on white) unlike the side colours of
# the nodes; the legend draws the same three properties.
EDGE_STYLE = {  # certainty: (colour, width of a one-statement link)
    "stated": ("#595959", 1.5),
    "alleged": ("#b2182b", 3.0),
    "inferred": ("#2a5fa5", 2.2),
    "denied": ("#6a3d9a", 2.2),
}
MIN_LABEL_PX = 11  # on a phone the graph opens zoomed so labels are at least this size on screen
HIGHLIGHT = "#1f1f1f"
FADED, FADED_TEXT = 0.18, "#b0b0b0"  # what is not on a highlighted chain
HIGHLIGHT_EXTRA = 3  # px added to the width of a highlighted chain's links
SVG_NAMESPACE = "http://www.w3.org/2000/svg"  # an identifier vis-network's DOM code needs, never fetched
_URL = re.compile(r"https?://[^\s\"'<>)]*")


def vis_options() -> dict:
    """vis-network options: positions are computed in Python, so physics stays off and the same data
    always gives the same picture; the wheel or a pinch zooms and dragging pans, on the page and in
    the published HTML alike."""
    return {
        "autoResize": True,
        "physics": {"enabled": False},
        "layout": {"randomSeed": 7, "improvedLayout": False},
        "interaction": {
            "hover": True,
            "tooltipDelay": 150,
            "navigationButtons": False,
            "keyboard": {"enabled": True, "bindToWindow": False},
            # Zoom (wheel, pinch, keyboard) and pan (drag): a phone needs them to read the labels.
            "zoomView": True,
            "dragView": True,
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
    graph: nx.DiGraph,
    positions: Mapping,
    colours: Mapping[str, str],
    focus: str | None = None,
    highlight: Sequence[str] = (),
) -> list[dict]:
    """The node list vis-network draws; ids are the entity names (serialised as JSON, never markup).
    The focus entity gets a heavy outline. With a `highlight` (a chain's entities), those get a
    heavy outline and every other node is faded."""
    nodes = []
    chain = set(highlight)
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
        if chain and name in chain:
            node["borderWidth"] = 4
            node["color"]["border"] = HIGHLIGHT
        elif chain:
            node["opacity"] = FADED
            node["font"] = {"color": FADED_TEXT}
        if data["kind"] == GROUP_KIND:
            node["focusable"] = False  # a group of many: nothing to focus on (template: click to focus)
        nodes.append(node)
    return nodes


def vis_edges(graph: nx.DiGraph, highlight: Sequence[str] = ()) -> list[dict]:
    """The edge list vis-network draws: one per ordered pair, dashed, coloured and weighted by its least
    certain statement (EDGE_STYLE), wider and labelled with the count when several statements are merged.
    With a `highlight` (a chain's entities in order), its links, whichever way they point, are drawn
    wider and every other link faded."""
    edges = []
    hops = {frozenset(pair) for pair in zip(highlight, highlight[1:])}
    for index, (source, target, data) in enumerate(graph.edges(data=True)):
        colour, width = EDGE_STYLE.get(data["certainty"], (EDGE_COLOUR, 1.5))
        edge = {
            "id": f"e{index}",
            "from": source,
            "to": target,
            "title": edge_title(graph.nodes[source]["display"], graph.nodes[target]["display"], data),
            "dashes": style.CERTAINTY_VIS_DASHES.get(data["certainty"], False),
            "width": min(width + (data["count"] - 1) * 1.2, 8),
            "color": {"color": colour, "highlight": HIGHLIGHT, "hover": HIGHLIGHT, "inherit": False},
        }
        if data["count"] > 1:
            edge["label"] = f"×{data['count']}"
        if hops and frozenset((source, target)) in hops:
            edge["width"] += HIGHLIGHT_EXTRA
        elif hops:
            edge["color"]["opacity"] = FADED
        edges.append(edge)
    return edges


def network_html(
    graph: nx.DiGraph,
    colours: Mapping[str, str],
    positions: Mapping | None = None,
    height: int = 720,
    focus: str | None = None,
    frame=None,
    sides: Sequence[str] = (),
    highlight: Sequence[str] = (),
    min_label_px: int = MIN_LABEL_PX,
) -> str:
    """A self-contained HTML page (vis-network inline, nothing fetched) drawing the graph at the given
    positions (computed when not given). Labels and tooltips are data as text, never markup.

    With a `frame` (export.Frame) the page is the published one: its title in `<title>` and a heading,
    the subtitle, the legend, notes, the notice, source and credit around the graph, all escaped by
    the template. `highlight`: a chain's entities in order, drawn over the faded rest. `min_label_px`:
    where the whole graph fits only with smaller labels, it opens zoomed in until a label is this size
    on screen (a phone; a projector asks for 18)."""
    from pyvis.network import Network

    positions = layout_positions(graph) if positions is None else positions
    network = Network(height=f"{height}px", width="100%", directed=True)
    # Assigning the lists directly: add_node/add_edge are quadratic in the number of nodes.
    network.nodes = vis_nodes(graph, positions, colours, focus, highlight)
    network.edges = vis_edges(graph, highlight)
    network.options = vis_options()
    page = None
    if frame is not None:
        kinds = present(graph, "kind", list(KIND_SHAPES))
        page = {
            "title": frame.title,
            "subtitle": frame.dek,
            "notes": [*frame.notes, frame.notice] if frame.notice not in frame.notes else list(frame.notes),
            "source": ", ".join(p for p in (frame.source, frame.source_date) if p),
            "link": frame.source_link if frame.source_link.startswith(("https://", "http://")) else "",
            "credit": frame.credit_line,
            # legend.html autoescapes: its output is markup already.
            "legend": Markup(legend_html(colours, present(graph, "side", sides), kinds, focus=focus is not None)),
            "help": "Scroll or pinch to zoom, drag to pan, hover a mark or a link for its statements.",
        }  # fmt: skip
    return render(network, page, min_label_px)


def render(network, page: dict | None = None, min_label_px: int = MIN_LABEL_PX) -> str:
    """A pyvis Network as our page: its data in our template (templates/network.html), which
    autoescapes, serialises the data as JSON and inlines vis-network's script and style. `page`:
    the published frame around the graph (title, legend, notes, source, credit), or None on screen.
    Rendered as pyvis's generate_html would (the same variables), from a template compiled once:
    pyvis makes an environment, and so compiles the template, for every network."""
    nodes, edges, _, height, width, options = network.get_network_data()
    return (
        templating.environment()
        .get_template("network.html")
        .render(
            nodes=nodes,
            edges=edges,
            options=options,
            height=height,
            width=width,
            vis_script=vis_script(),
            vis_style=vis_style(),
            page=page,
            focus_param=FOCUS_PARAM,
            min_label_px=min_label_px,
            label_font_px=FONT_SIZE,
        )
    )


def _vis_folder() -> Path:
    import pyvis

    return Path(pyvis.__file__).resolve().parent / "lib" / "vis-9.1.2"


@functools.cache
def vis_script() -> Markup:
    """vis-network's script from the pyvis package, trusted as it ships. Its licence comments and one
    error message name web addresses; they are shortened to plain names (never fetched, but no page
    of ours should carry an address it does not need). The SVG namespace stays: an identifier."""
    script = (_vis_folder() / "vis-network.min.js").read_text(encoding="utf-8")
    return Markup(
        _URL.sub(lambda m: m.group(0) if m.group(0) == SVG_NAMESPACE else m.group(0).split("://", 1)[1], script)
    )


@functools.cache
def vis_style() -> Markup:
    return Markup((_vis_folder() / "vis-network.css").read_text(encoding="utf-8"))


def external_references(html: str) -> list[str]:
    """Every http(s) reference left in the HTML other than the SVG namespace identifier."""
    return [url for url in _URL.findall(html) if url != SVG_NAMESPACE]


def legend_html(
    colours: Mapping[str, str], sides: Sequence[str], kinds: Sequence[str] = KINDS, focus: bool = False
) -> str:
    """The legend shown beside the graph, from the autoescaping template legend.html: a colour per
    side, a shape per kind, a line per certainty, the other marks (the focus's outline when one is set)."""
    groups = [
        {
            "title": "Colour: side",
            "items": [
                _item(_swatch("dot", colours.get(side, style.NEUTRAL)), side or "Side not given") for side in sides
            ],
        },
        {
            "title": "Shape: kind",
            "items": [
                _item(
                    _swatch(kind_shape(kind), "#bbbbbb"),
                    (GROUP_LABEL if kind == GROUP_KIND else KIND_LABELS.get(kind, kind)) or "Kind not given",
                )
                for kind in kinds
            ],
        },
        {
            "title": "Line: certainty",
            "items": [_item(_line_style(c), style.CERTAINTY_LABEL[c], "line") for c in CERTAINTIES],
        },
        {
            "title": "Other marks",
            "items": [
                _item(
                    "border:2px dashed #333;border-radius:50%;background:#fff",
                    f"Dashed outline: {names.UNNAMED_TEXT.lower()}",
                ),
                *(
                    [_item("border:4px solid #1f1f1f;border-radius:50%;background:#fff", "Heavy outline: the focus")]
                    if focus
                    else []
                ),
                _item(
                    None,
                    "Size: number of statements · ×2: two statements on one link · arrows point from subject to object",
                ),
            ],
        },
    ]
    return templating.render("legend.html", css=Markup(_LEGEND_CSS), groups=groups)


def _item(mark_style: str | None, label: str, mark: str = "mark") -> dict:
    return {"mark": mark if mark_style is not None else None, "style": mark_style, "label": label}


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
    """The inline style of a legend mark: the colour, drawn in the shape vis-network uses."""
    return f"background:{colour};{_SHAPE_CSS[shape]}"


def _line_style(certainty: str) -> str:
    """The legend's line for a certainty: the graph's colour, weight and dash pattern."""
    colour, width = EDGE_STYLE.get(certainty, (EDGE_COLOUR, 1.5))
    background = _dash_gradient(style.CERTAINTY_VIS_DASHES[certainty], colour)
    return f"background:{background};height:{round(width)}px"


def _dash_gradient(dashes, line_colour: str = EDGE_COLOUR) -> str:
    """A CSS background drawing vis-network's dash pattern ([dash, gap, ...] in pixels)."""
    if not dashes:
        return line_colour
    stops, offset = [], 0
    for index, length in enumerate(dashes):
        colour = line_colour if index % 2 == 0 else "transparent"
        stops.append(f"{colour} {offset}px {offset + length}px")
        offset += length
    return f"repeating-linear-gradient(90deg,{','.join(stops)})"
