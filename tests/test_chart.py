"""The timeline's chart element (dashboard/app/chart.py) and the partial Plotly bundle it loads."""

import hashlib
import json
import re
from pathlib import Path

import plotly
import plotly.graph_objects as go
import pytest

from dashboard.app import chart, viewcache
from dashboard.app.frontend_files import ASSETS_DIR

BUNDLE = ASSETS_DIR / chart.BUNDLE


def decoded(data: bytes) -> dict:
    payload = json.loads(data)
    return {**payload, "figure": json.loads(payload["figure"])}


def test_the_bundle_is_the_recorded_file_for_the_plotly_the_figures_are_built_for():
    """The file is the one the assets README names (digest), of the plotly.js version that the
    pinned plotly package writes figures for: upgrading plotly without the bundle fails here."""
    body = BUNDLE.read_bytes()
    readme = (ASSETS_DIR / "README.md").read_text()
    assert hashlib.sha256(body).hexdigest() in readme and chart.BUNDLE in readme
    built_for = re.search(
        rb"plotly\.js v(\d+\.\d+\.\d+)",
        (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_bytes()[:300],
    )
    bundled = re.search(rb"plotly\.js \(basic - minified\) v(\d+\.\d+\.\d+)", body[:300])
    assert built_for and bundled and built_for.group(1) == bundled.group(1)
    assert f"-{bundled.group(1).decode()}.min.js" in chart.BUNDLE
    assert (ASSETS_DIR / "plotly-basic-LICENSE.txt").read_text().startswith("MIT License")
    for kind in chart.BUNDLE_TRACES:  # each trace type it is trusted with is registered in it
        assert f'name:"{kind}"'.encode() in body


def test_figures_of_other_trace_types_go_to_streamlits_element():
    assert chart.drawn_by_bundle(go.Figure([go.Scatter(x=[1]), go.Bar(x=[1])]))
    assert not chart.drawn_by_bundle(go.Figure([go.Scatter(x=[1]), go.Scattergl(x=[1])]))
    assert chart.drawn_by_bundle(go.Figure())


def test_the_payload_carries_the_figure_as_plotly_writes_it(monkeypatch):
    figure = go.Figure(go.Scatter(x=["2025-03-11"], y=[1], customdata=[["s1"]], meta="events"))
    payload = decoded(chart.payload(figure, {"displaylogo": False}))
    assert payload["figure"] == json.loads(plotly.io.to_json(figure, validate=False))
    assert payload["config"] == {"displaylogo": False, "responsive": True}
    assert payload["bundle"] == f"/dashboard-assets/{chart.BUNDLE}"
    # Another figure or another config: another version, so the browser draws it.
    other = go.Figure(go.Scatter(x=["2025-03-12"], y=[1]))
    versions = {decoded(chart.payload(f, c))["version"] for f in (figure, other) for c in ({}, {"displaylogo": False})}
    assert len(versions) == 4
    assert decoded(chart.payload(go.Figure(figure), {}))["version"] == decoded(chart.payload(figure, {}))["version"]


@pytest.mark.parametrize(
    ("base", "url"), [("", "/dashboard-assets/"), ("/news/explorer/", "/news/explorer/dashboard-assets/")]
)
def test_the_bundle_is_asked_for_below_the_base_url_path(monkeypatch, base, url):
    monkeypatch.setattr(chart.streamlit_config, "get_option", lambda name: base)
    assert chart.bundle_url() == url + chart.BUNDLE


def test_a_shared_figure_is_written_once_and_a_plain_one_every_time(monkeypatch):
    writes = []
    real = chart.plotly.io.to_json
    monkeypatch.setattr(chart.plotly.io, "to_json", lambda *a, **k: writes.append(1) or real(*a, **k))
    shared = viewcache.shared_figure(go.Figure(go.Bar(x=[1], y=[2])))
    assert chart.payload(shared, {}) is chart.payload(shared, {}) and len(writes) == 1
    chart.payload(shared, {"displaylogo": False})
    plain = go.Figure(go.Bar(x=[1], y=[2]))
    chart.payload(plain, {})
    chart.payload(plain, {})
    assert len(writes) == 4


def test_the_script_puts_no_data_into_html():
    """Plotly writes the figure's text as SVG text; the element's own script only ever sets text."""
    assert "innerHTML" not in chart.JS and "insertAdjacentHTML" not in chart.JS and "eval(" not in chart.JS
    assert "textContent" in chart.JS


def test_every_figure_the_timeline_page_draws_is_one_the_bundle_or_streamlit_draws(open_page):
    """The bundled story in its views: every chart is the dashboard's own element."""
    from helpers import chart_specs

    for query in ({}, {"lanes": "person"}, {"range": "Whole span"}, {"event": "s031"}, {"present": "1"}):
        at = open_page("timeline", **query)
        own = [e for e in at.get("bidi_component") if e.proto.component_name == chart.COMPONENT]
        assert own and not at.get("plotly_chart"), query
        kinds = {t.get("type", "scatter") for spec in chart_specs(at) for t in spec["data"]}
        assert kinds <= chart.BUNDLE_TRACES, (query, kinds)
