"""Views shared across sessions (dashboard.app.viewcache): built once per (dataset digest, view
state), reused by a second session of the same state, built again for another dataset or state, and
equal to what the page would build without the cache."""

from __future__ import annotations

import json
from datetime import date

import networkx as nx
import pytest
from helpers import chart_specs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.app import viewcache
from dashboard.dataset.cache import Derived
from dashboard.derive import filters as flt
from dashboard.derive.context import Context, NetworkView
from dashboard.views import network as net
from dashboard.views import timeline


@pytest.fixture(autouse=True)
def empty_view_cache():
    viewcache._shared.clear()
    yield
    viewcache._shared.clear()


def counted(monkeypatch, module, name: str) -> list:
    """Replace module.name by a wrapper that records each call; the list of calls."""
    calls, original = [], getattr(module, name)

    def wrapper(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, wrapper)
    return calls


def context_of(bundled, model, digest: str | None, filters: flt.Filters | None = None) -> Context:
    return Context.build(bundled, model, filters, version=("story.csv", "status"), derived=Derived(None, digest))


def test_a_second_session_of_the_same_view_reuses_the_timeline_and_network_it_built(open_page, monkeypatch):
    layouts = counted(monkeypatch, timeline, "layout_timeline")
    drawings = counted(monkeypatch, timeline, "draw_timeline")
    graphs = counted(monkeypatch, net, "build_graph")
    pages = counted(monkeypatch, net, "network_html")
    first = open_page("timeline")
    assert len(layouts) == 1 and len(drawings) == 2  # the wide chart and the phone's
    open_page("network")
    assert len(graphs) == 1 and len(pages) == 1
    second = open_page("timeline")
    open_page("network")
    assert (len(layouts), len(drawings), len(graphs), len(pages)) == (1, 2, 1, 1)
    specs = [chart_specs(at) for at in (first, second)]
    assert specs[0] == specs[1] and len(specs[0]) == 2
    # Another view state (one person's statements) is built anew, once.
    open_page("timeline", person="Marco Rubio")
    open_page("timeline", person="Marco Rubio")
    assert len(layouts) == 2


def test_a_changed_dataset_digest_builds_a_fresh_view(bundled, model):
    built = []

    def build():
        built.append(1)
        return object()

    one = viewcache.shared("test-view", context_of(bundled, model, "a" * 64), ("side",), build)
    assert viewcache.shared("test-view", context_of(bundled, model, "a" * 64), ("side",), build) is one
    other = viewcache.shared("test-view", context_of(bundled, model, "b" * 64), ("side",), build)
    assert other is not one and len(built) == 2
    # No digest (a folder that could not be listed): keyed by the status fingerprint instead.
    assert viewcache.dataset_key(context_of(bundled, model, None)) == "status:('story.csv', 'status')"
    assert viewcache.dataset_key(context_of(bundled, model, "a" * 64)) == "sha256:" + "a" * 64


def test_the_filters_are_part_of_the_key(bundled, model):
    built = []

    def build():
        built.append(1)
        return len(built)

    everyone = context_of(bundled, model, "a" * 64)
    rubio = context_of(bundled, model, "a" * 64, flt.Filters(people=("Marco Rubio",)))
    assert viewcache.shared("test-view", everyone, (), build) == 1
    assert viewcache.shared("test-view", rubio, (), build) == 2
    assert viewcache.shared("test-view", everyone, (), build) == 1


def test_the_disk_cache_gives_the_dataset_digest_to_the_views(tmp_path, monkeypatch):
    from helpers import STORY

    from dashboard.dataset import cache

    monkeypatch.setenv(cache.ENV_VAR, str(tmp_path))
    loaded = cache.load(STORY)
    assert loaded.derived.digest == cache.dataset_digest(STORY, str(STORY))
    assert len(loaded.derived.digest) == 64


def graph_data(graph: nx.DiGraph) -> str:
    return json.dumps(nx.node_link_data(graph, edges="links"), sort_keys=True, default=str)


states = st.tuples(
    st.lists(st.sampled_from(["Marco Rubio", "Kilmar Abrego Garcia", "Nayib Bukele"]), max_size=2, unique=True),
    st.sampled_from([None, date(2025, 3, 1), date(2025, 4, 15)]),
    st.lists(st.sampled_from(["stated", "alleged", "denied", "inferred"]), max_size=2, unique=True),
    st.sampled_from([None, "Marco Rubio"]),
    st.sampled_from([1, 2]),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(states, min_size=1, max_size=4))
def test_the_cached_view_of_a_state_equals_the_uncached_one(bundled, model, sequence):
    """Whatever other states were built before, a state's cached graph is the one built without the cache."""
    for people, start, certainties, focus, hops in sequence:
        people = tuple(p for p in people if p in model.entities.index)
        context = context_of(bundled, model, "c" * 64, flt.Filters(people=people, start=start, certainties=certainties))
        focus = focus if focus in model.entities.index else None
        view = NetworkView(focus=focus, hops=hops)
        cached = viewcache.shared(
            "network-graph", context, view, lambda c=context, v=view: net.build_graph(c.statements, model.entities, v)
        )
        assert graph_data(cached) == graph_data(net.build_graph(context.statements, model.entities, view))


def test_a_shared_figure_is_the_figure_itself_with_its_dict_made_once():
    """No copy (a copy validates every property again); what Streamlit is handed is unchanged."""
    import plotly.graph_objects as go

    figure = go.Figure(go.Scatter(x=[1, 2], y=[3, 4], hovertext=["a", "b"]), layout=dict(height=300))
    expected = figure.to_dict()
    shared = viewcache.shared_figure(figure)
    assert shared is figure and isinstance(shared, viewcache.SharedFigure)
    assert shared.to_dict() == expected and shared.to_dict() is shared.to_dict()
