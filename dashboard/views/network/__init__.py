"""The network of who is linked to whom, in six rooms (pure functions: no Streamlit here):

- `graph`: the networkx graph of the relations in view (`build_graph`), and past LARGE_GRAPH_NODES
  entities the large-graph mode that groups the least connected ones by side.
- `layout`: deterministic positions with no label box overlapping another (`layout_positions`), and
  the canvas height that shows them.
- `words`: plain-text tooltips and the sentences listed below the graph (`entity_relations`).
- `page`: the HTML: vis-network's lists rendered by pyvis through our autoescaping template, and
  the legend.
- `figure`: the static Plotly figure of the publication export.
- `controls`: the page's own controls and shared links.

The names below are the package's public face, so callers write `network.build_graph`.
"""

from dashboard.views.network.controls import highlight_note
from dashboard.views.network.figure import KIND_SYMBOLS, figure_notes, network_figure
from dashboard.views.network.graph import (
    DASH_PRIORITY,
    GROUP_ID,
    GROUP_KIND,
    LARGE_GRAPH_NODES,
    LARGE_GRAPH_SHOWN,
    LargeGraph,
    build_graph,
    ego_graph,
    graph_relations,
    hop_distances,
    is_group,
    large_graph,
    large_graph_notice,
    present,
    wrap_label,
)
from dashboard.views.network.layout import (
    DESIGN_WIDTH,
    FONT_SIZE,
    GROUP_MAX_RADIUS,
    PRESENT_CANVAS,
    SPRING_LIMIT,
    canvas_height,
    fit_zoom,
    graph_key,
    kept_layout,
    label_box,
    layout_extent,
    layout_positions,
    marks_on_links,
    node_radius,
    node_size,
    screen_layout,
)
from dashboard.views.network.page import (
    GROUP_LABEL,
    KIND_SHAPES,
    MIN_LABEL_PX,
    SVG_NAMESPACE,
    external_references,
    kind_shape,
    legend_html,
    network_html,
    render,
    vis_edges,
    vis_nodes,
    vis_options,
    vis_script,
    vis_style,
)
from dashboard.views.network.words import (
    KIND_LABELS,
    edge_title,
    entity_relations,
    excerpt,
    node_title,
    relation_sentence,
    statement_details,
)

__all__ = [
    "vis_script",
    "vis_style",
    "highlight_note",
    "KIND_SYMBOLS",
    "network_figure",
    "figure_notes",
    "DASH_PRIORITY",
    "GROUP_ID",
    "GROUP_KIND",
    "LARGE_GRAPH_NODES",
    "LARGE_GRAPH_SHOWN",
    "LargeGraph",
    "build_graph",
    "ego_graph",
    "graph_relations",
    "hop_distances",
    "is_group",
    "large_graph",
    "large_graph_notice",
    "present",
    "wrap_label",
    "DESIGN_WIDTH",
    "FONT_SIZE",
    "GROUP_MAX_RADIUS",
    "PRESENT_CANVAS",
    "SPRING_LIMIT",
    "canvas_height",
    "graph_key",
    "kept_layout",
    "label_box",
    "fit_zoom",
    "layout_extent",
    "layout_positions",
    "marks_on_links",
    "screen_layout",
    "node_radius",
    "node_size",
    "GROUP_LABEL",
    "KIND_SHAPES",
    "SVG_NAMESPACE",
    "external_references",
    "kind_shape",
    "legend_html",
    "MIN_LABEL_PX",
    "network_html",
    "render",
    "vis_edges",
    "vis_nodes",
    "vis_options",
    "KIND_LABELS",
    "edge_title",
    "entity_relations",
    "excerpt",
    "node_title",
    "relation_sentence",
    "statement_details",
]
