"""A Plotly chart on a page, drawn by the partial plotly.js bundle in dashboard/app/assets/.

Streamlit's Plotly element carries the whole of plotly.js in its script (4.7 MB): a reader's browser
evaluates it in one ~0.8 s task before it draws anything, on top of Streamlit's own start. The
timeline draws scatter and bar traces only, which plotly.js's basic bundle (1.2 MB, ~0.2 s) holds,
so its charts are a small component of our own (Streamlit's components v2, drawn in the page itself,
no iframe) that loads that bundle once per page and hands clicks back as Streamlit's element does.
A figure with any other kind of trace (WebGL marks past the timeline's WEBGL_MARKS) goes to
Streamlit's element, which holds every kind.

What reaches the browser is the figure's JSON, written by Plotly and kept once per shared figure:
no text from the data is put into HTML here (Plotly writes labels as SVG text).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

import plotly.graph_objects as go
import plotly.io
import streamlit as st
from streamlit import config as streamlit_config

from dashboard.app import viewcache
from dashboard.app.frontend_files import ASSETS_URL

BUNDLE = "plotly-basic-4.1.1.min.js"
BUNDLE_TRACES = frozenset({"scatter", "bar", "pie"})  # the trace types the basic bundle draws
COMPONENT = "dashboard_plotly_chart"
CHART_CLASS = "dashboard-chart"  # the plot's element: presentation mode keeps it (ui.py), tests find it

# Loads the bundle once per page (a <script>: it sets window.Plotly), draws the figure, and sends a
# click's points back in the shape st.plotly_chart's selection has. Streamlit calls it when the
# element mounts and again when anything it is given changes; a figure it has drawn (the same
# version) is not drawn again. `data` is the payload's UTF-8 JSON.
JS = """
function loadPlotly(url) {
  if (!window.dashboardPlotly) {
    window.dashboardPlotly = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = url;
      script.onload = () => resolve(window.Plotly);
      script.onerror = () => {
        window.dashboardPlotly = undefined;  // the next run tries again
        reject(new Error("its script did not load from " + url));
      };
      document.head.appendChild(script);
    });
  }
  return window.dashboardPlotly;
}

function decode(data) {
  if (typeof data === "string") return JSON.parse(data);
  const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : data;
  return JSON.parse(new TextDecoder().decode(bytes));
}

function pointOf(p) {
  return { customdata: p.customdata, curve_number: p.curveNumber, point_number: p.pointNumber,
           point_index: p.pointIndex, x: p.x, y: p.y };
}

export default function ({ parentElement, data, setTriggerValue }) {
  let plot = parentElement.querySelector(".CHART_CLASS");
  if (!plot) {
    plot = document.createElement("div");
    plot.className = "CHART_CLASS";
    parentElement.appendChild(plot);
  }
  plot.sendSelection = setTriggerValue;
  const payload = decode(data);
  loadPlotly(payload.bundle).then((Plotly) => {
    if (plot.drawnVersion === payload.version) return;
    plot.drawnVersion = payload.version;
    const figure = JSON.parse(payload.figure);
    return Plotly.react(plot, figure.data, figure.layout, payload.config).then(() => {
      if (plot.listening) return;
      plot.listening = true;
      plot.on("plotly_click", (event) => {
        plot.sendSelection("selection", { points: event.points.map(pointOf) });
      });
    });
  }).catch((error) => {
    plot.textContent = "The chart could not be drawn: " + error.message + ".";
  });
  return () => {
    // Unmounted, not redrawn: free what Plotly holds (its resize listener, its figure).
    setTimeout(() => { if (!plot.isConnected && window.Plotly) window.Plotly.purge(plot); }, 0);
  };
}
""".replace("CHART_CLASS", CHART_CLASS)

_mount = st.components.v2.component(COMPONENT, js=JS, isolate_styles=False)


def bundle_url() -> str:
    """Where the browser fetches the bundle: below the server's base URL path."""
    base = (streamlit_config.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}/{ASSETS_URL}/{BUNDLE}" if base else f"/{ASSETS_URL}/{BUNDLE}"


def drawn_by_bundle(figure: go.Figure) -> bool:
    """Whether every trace of the figure is a kind the basic bundle draws."""
    return all(trace.type in BUNDLE_TRACES for trace in figure.data)


def payload(figure: go.Figure, config: dict) -> bytes:
    """What the component is given: the bundle's URL, Plotly's config and the figure's JSON (as Plotly
    writes it for plotly.js), with a version that tells the browser whether it has drawn this one.
    Kept with a shared figure, so a rerun sends it without writing it again."""
    settings = json.dumps({**config, "responsive": True}, sort_keys=True)
    if isinstance(figure, viewcache.SharedFigure):
        return figure.kept(("chart payload", settings), lambda: _written(figure, settings))
    return _written(figure, settings)


def _written(figure: go.Figure, settings: str) -> bytes:
    written = plotly.io.to_json(figure.to_dict(), validate=False)
    version = hashlib.blake2b(f"{written}\0{settings}".encode(), digest_size=12).hexdigest()
    head = json.dumps({"bundle": bundle_url(), "config": json.loads(settings), "version": version})
    # The figure goes in as a string: the browser parses it only when it has not drawn this version.
    return (head[:-1] + ', "figure": ' + json.dumps(written) + "}").encode()


def plotly_chart(figure: go.Figure, *, key: str, on_select: Callable[[], None], config: dict) -> None:
    """Show `figure`; a click on a mark calls `on_select`, with the points in
    `st.session_state[key].selection` as st.plotly_chart's selection has them."""
    if not drawn_by_bundle(figure):
        st.plotly_chart(
            figure, key=key, on_select=on_select, selection_mode="points", theme=None, width="stretch", config=config
        )
        return
    _mount(data=payload(figure, config), key=key, on_selection_change=on_select, width="stretch")
