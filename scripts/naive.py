"""The naive path the benchmark compares the dashboard with: the same pages without the design that
keeps them fast. Benchmark-only: nothing in the product imports this.

- Load: no cache; every rerun reads, checks and models the dataset again.
- Caches: st.cache_data and st.cache_resource do nothing (the pages' own caches, the sidebar's
  entity list, the timeline's hover texts, the network's layout).
- Timeline: an SVG mark for every event, never WebGL or counts per period.
- Network: every entity drawn (no large-graph mode), by pyvis's add_node/add_edge loops with its
  default options (physics on, vis-network lays the graph out in the browser).

`install()` patches the modules in this process; `streamlit run scripts/naive_app.py` serves it.
"""

from __future__ import annotations

import dataclasses
import functools
from pathlib import Path

import networkx as nx
import plotly.graph_objects as go
import streamlit as st

from dashboard import style
from dashboard.app import ui
from dashboard.dataset import cache
from dashboard.dataset.model import build_model
from dashboard.dataset.validation import check_dataset
from dashboard.derive.context import NetworkView
from dashboard.views import network as net
from dashboard.views import timeline
from dashboard.views.timeline import figure as timeline_figure_module

UNLIMITED = 10**12


def load_uncached(path: str, fingerprint: tuple) -> cache.Loaded:
    """What `ui._load` does, on every rerun, with nothing kept on disk."""
    dataset = check_dataset(Path(path), label=ui._label(Path(path)))
    return cache.Loaded(dataset, build_model(dataset.frame) if dataset.usable else None, cache.Derived(None))


def no_cache(*args, **kwargs):
    """Stands in for st.cache_data / st.cache_resource, with or without arguments."""
    if args and callable(args[0]) and not kwargs:
        return args[0]
    return lambda function: function


def layout_timeline(data: timeline.TimelineData) -> timeline.TimelineLayout | None:
    """The timeline's layout with its hover texts written on each call."""
    return _ORIGINAL["layout_timeline"](dataclasses.replace(data, hover=None))


def timeline_figure(data: timeline.TimelineData) -> go.Figure:
    """The timeline with an SVG mark for every event and its hover text written on each call."""
    limits = timeline_figure_module.WEBGL_MARKS, timeline.DENSITY_MARKS
    timeline_figure_module.WEBGL_MARKS = timeline.DENSITY_MARKS = UNLIMITED
    try:
        return timeline.draw_timeline(layout_timeline(data), data.sides)
    finally:
        timeline_figure_module.WEBGL_MARKS, timeline.DENSITY_MARKS = limits


def build_graph(statements, entities, view=None, limit=None) -> nx.DiGraph:
    """Every entity, however many."""
    return _ORIGINAL["build_graph"](statements, entities, view or NetworkView(), limit=None)


def network_html(graph: nx.DiGraph, colours, positions=None, height: int = 720, focus=None) -> str:
    """pyvis as its documentation shows it: add_node and add_edge in loops, default options (physics
    on). Rendered through the product's template (offline, instrumented), so the browser can draw and time it."""
    from pyvis.network import Network

    network = Network(height=f"{height}px", width="100%", directed=True, cdn_resources="in_line", heading="")
    for name, data in graph.nodes(data=True):
        network.add_node(
            name,
            label=data["label"],
            title=net.node_title(data),
            shape=net.kind_shape(data["kind"]),
            size=net.node_size(data["statements"]),
            color=colours.get(data["side"], style.NEUTRAL),
        )
    for source, target, data in graph.edges(data=True):
        title = net.edge_title(graph.nodes[source]["display"], graph.nodes[target]["display"], data)
        network.add_edge(source, target, title=title, width=min(1.5 + (data["count"] - 1) * 1.2, 7))
    return net.render(network)


_ORIGINAL = {"layout_timeline": timeline.layout_timeline, "build_graph": net.build_graph}


@functools.cache
def install() -> None:
    """Patch this process's modules onto the naive path (once)."""
    ui._load = load_uncached
    ui._cached_choices = lambda version, model, derived=None: ui.choices_of(model)
    st.cache_data = no_cache
    st.cache_resource = no_cache
    timeline_figure_module.WEBGL_MARKS = timeline.DENSITY_MARKS = UNLIMITED
    timeline.timeline_figure = timeline_figure
    timeline.layout_timeline = layout_timeline
    net.build_graph = build_graph
    net.network_html = network_html
