"""Staying interactive on large investigations: the network's large-graph mode, the timeline's WebGL
and density modes, and the shortcuts that keep reruns cheap giving the same results as the slow way.

Built on seeded synthetic datasets (dashboard.dataset.synthetic) well past each mode's threshold. No timings
are asserted here: the benchmark (scripts/benchmark.py) measures them."""

from __future__ import annotations

import itertools
import json
import random
import re
import textwrap
from datetime import date

import networkx as nx
import pandas as pd
import pytest
from helpers import app, chart_specs, page_text

from dashboard import style, text
from dashboard.app import ui
from dashboard.dataset.model import build_model, events
from dashboard.dataset.synthetic import write_dataset
from dashboard.dataset.validation import check_dataset
from dashboard.derive import filters as flt
from dashboard.derive import links
from dashboard.derive.context import NetworkView
from dashboard.views import network as net
from dashboard.views import timeline

pytestmark = pytest.mark.slow  # synthetic datasets of thousands of statements

NETWORK_PAGE, TIMELINE_PAGE = "dashboard/app/pages/network.py", "dashboard/app/pages/timeline.py"


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    """A synthetic investigation of 4,000 statements (about 400 entities, about 2,200 dated events)."""
    path = write_dataset(tmp_path_factory.mktemp("big"), 4000, seed=11)
    checked = check_dataset(path)
    assert checked.ok
    return path, build_model(checked.frame)


def vis_data(html: str) -> tuple[list[dict], list[dict]]:
    found = re.findall(r"new vis\.DataSet\((\[.*?\])\);", html, flags=re.DOTALL)
    return json.loads(found[0]), json.loads(found[1])


def drawn_entities(graph) -> list[str]:
    return [n for n in graph if not net.is_group(graph, n)]


# --- network: large-graph mode ----------------------------------------------------------------------


def test_past_the_limit_the_most_connected_are_drawn_and_the_rest_grouped_by_side(big):
    _, model = big
    full = net.build_graph(model.statements, model.entities, limit=None)
    assert len(full) > net.LARGE_GRAPH_NODES
    graph = net.build_graph(model.statements, model.entities)
    large = graph.graph["large"]
    drawn = drawn_entities(graph)
    assert len(drawn) == large.shown == net.LARGE_GRAPH_SHOWN and large.entities == len(full)
    # Every entity of the full map is drawn or counted in exactly one group, by its side.
    groups = {graph.nodes[n]["side"]: graph.nodes[n]["members"] for n in graph if net.is_group(graph, n)}
    assert dict(large.grouped) == groups and sum(groups.values()) + len(drawn) == len(full)
    hidden = set(full) - set(drawn)
    sides = pd.Series([full.nodes[n]["side"] for n in hidden]).value_counts().to_dict()
    assert groups == sides
    # The drawn ones are the most connected: none hidden has more distinct links than any drawn.
    linked = {n: len(set(nx.all_neighbors(full, n)) - {n}) for n in full}
    assert min(linked[n] for n in drawn) >= max(linked[n] for n in hidden)
    # Links among drawn entities are exactly the full map's; links to grouped ones are counted.
    assert set(graph.subgraph(drawn).edges) == set(full.subgraph(drawn).edges)
    for source, target, data in graph.subgraph(drawn).edges(data=True):
        assert data["statements"] == full.edges[source, target]["statements"]
    for name in drawn:
        to_hidden = sum(d["count"] for _, o, d in full.out_edges(name, data=True) if o in hidden)
        to_hidden += sum(d["count"] for s, _, d in full.in_edges(name, data=True) if s in hidden)
        assert graph.nodes[name]["hidden_links"] == to_hidden
    assert not any(net.is_group(graph, s) or net.is_group(graph, t) for s, t in graph.edges)
    # A group counts each statement that involves its members once, even one between two members.
    for group in (n for n in graph if net.is_group(graph, n)):
        members = {n for n in hidden if full.nodes[n]["side"] == graph.nodes[group]["side"]}
        involving = sum(d["count"] for s, t, d in full.edges(data=True) if s in members or t in members)
        assert graph.nodes[group]["statements"] == involving


def test_the_notice_says_what_was_grouped_and_a_small_map_has_none(big, model):
    _, big_model = big
    graph = net.build_graph(big_model.statements, big_model.entities)
    notice = net.large_graph_notice(graph)
    total = graph.graph["large"].entities
    assert notice.startswith(f"Large network: {total:,} entities are linked in this view")
    assert f"the {net.LARGE_GRAPH_SHOWN} most connected entities" in notice
    assert f"the other {total - net.LARGE_GRAPH_SHOWN:,} are grouped into one hexagon per side" in notice
    assert net.large_graph_notice(net.build_graph(model.statements, model.entities)) is None


def test_group_nodes_are_hexagons_with_a_capped_size_a_tooltip_and_a_legend_entry(big):
    _, model = big
    graph = net.build_graph(model.statements, model.entities)
    nodes, _ = vis_data(net.network_html(graph, style.side_colours(())))
    groups = [n for n in nodes if n["id"].startswith(net.GROUP_ID)]
    assert groups and all(n["shape"] == "hexagon" and n["size"] <= net.GROUP_MAX_RADIUS for n in groups)
    assert all("Not drawn one by one" in n["title"] and "The most connected: " in n["title"] for n in groups)
    legend = net.legend_html({}, [], net.present(graph, "kind", list(net.KIND_SHAPES)))
    assert net.GROUP_LABEL in legend
    assert net.entity_relations(graph) and all(
        not e["name"].startswith(net.GROUP_ID) for e in net.entity_relations(graph)
    )


def test_the_html_stays_small_whatever_the_size_and_is_deterministic(big, tmp_path):
    _, model = big
    bigger = build_model(check_dataset(write_dataset(tmp_path, 12000, seed=5)).frame)
    sizes = []
    for m in (model, bigger):
        graph = net.build_graph(m.statements, m.entities)
        html = net.network_html(graph, style.side_colours(()))
        nodes, edges = vis_data(html)
        assert len(nodes) <= net.LARGE_GRAPH_SHOWN + len(graph.graph["large"].grouped)
        sizes.append(len(html))
    assert max(sizes) < 1_500_000  # vis-network itself is ~0.7 MB
    again = net.build_graph(bigger.statements, bigger.entities)
    assert list(again.nodes(data=True)) == list(graph.nodes(data=True))
    assert list(again.edges) == list(graph.edges)
    assert net.layout_positions(again) == net.layout_positions(graph)
    assert net.network_html(again, style.side_colours(())) == html


def test_the_dense_benchmark_map_keeps_its_labels_apart_at_a_readable_size(tmp_path, monkeypatch):
    """The 1,000-statement synthetic map (the benchmark's: 100 entities, 600 links and more) is too
    dense for every node to be kept off every link: its labels are kept apart, and the whole map
    shows at half its size or more on the page's canvas (it was a sixth when its links were cleared)."""
    story = app().run()  # the bundled story's page first: its marks are all clear of links
    story.switch_page(NETWORK_PAGE).run()
    assert "Too many links to keep every entity clear" not in page_text(story)
    path = write_dataset(tmp_path, 1000, seed=42)
    model = build_model(check_dataset(path).frame)
    graph = net.build_graph(model.statements, model.entities)
    assert len(graph) >= 90 and nx.Graph(graph).number_of_edges() >= 5 * len(graph)
    positions = net.layout_positions(graph)
    boxes = {}
    for n, (x, y) in positions.items():
        left, top, right, bottom = net.label_box(graph.nodes[n]["label"], net.node_radius(graph.nodes[n]))
        boxes[n] = (x + left, y + top, x + right, y + bottom)
    overlapping = [
        (a, b)
        for a, b in itertools.combinations(boxes, 2)
        if boxes[a][0] < boxes[b][2] and boxes[b][0] < boxes[a][2]
        if boxes[a][1] < boxes[b][3] and boxes[b][1] < boxes[a][3]
    ]
    assert overlapping == []
    width, height = net.layout_extent(graph, positions)
    assert net.DESIGN_WIDTH / width >= 0.5, width
    # The page says that marks sit on links, and how many; the story's page says nothing of the kind.
    crowded = len(net.marks_on_links(graph, positions))
    assert crowded
    monkeypatch.setenv(ui.ENV_VAR, str(path))
    at = app().run()
    at.switch_page(NETWORK_PAGE).run()
    assert not at.exception, at.exception
    assert net.controls.crowded_note(crowded, len(graph)) in page_text(at)


@pytest.mark.parametrize("hops", [1, 2, 3])
def test_the_ego_view_built_from_its_neighbourhood_is_the_ego_graph_of_the_full_map(big, hops):
    _, model = big
    full = net.build_graph(model.statements, model.entities, limit=None)
    rng = random.Random(hops)
    for focus in rng.sample(sorted(full), 5):
        expected = nx.ego_graph(full, focus, radius=hops, undirected=True)
        ego = net.build_graph(model.statements, model.entities, NetworkView(focus=focus, hops=hops), limit=None)
        assert set(ego) == set(expected) and set(ego.edges) == set(expected.edges)
        shown = net.build_graph(model.statements, model.entities, NetworkView(focus=focus, hops=hops))
        if "large" in shown.graph:  # the focus, then the nearest
            distance = nx.single_source_shortest_path_length(expected.to_undirected(), focus)
            drawn = drawn_entities(shown)
            assert focus in drawn
            assert max(distance[n] for n in drawn) <= min(distance[n] for n in set(expected) - set(drawn))
        else:
            assert set(shown) == set(expected)


def test_sides_control_and_focus_outside_the_view_in_the_fast_path(big):
    _, model = big
    sides = ("MS-13", "U.S. government")
    graph = net.build_graph(model.statements, model.entities, NetworkView(sides=sides), limit=None)
    assert {graph.nodes[n]["side"] for n in graph} <= set(sides)
    assert len(net.build_graph(model.statements, model.entities, NetworkView(focus="Nobody at all"))) == 0


def test_the_html_records_when_the_graph_is_drawn_and_settled(model):
    html = net.network_html(net.build_graph(model.statements, model.entities), style.side_colours(()))
    assert "window.networkDrawnAt" in html and "window.networkSettledAt" in html
    assert html.index("window.networkDrawnAt") > html.index("drawGraph();")


def test_the_page_shows_the_notice_and_draws_the_summary(big, monkeypatch):
    path, model = big
    monkeypatch.setenv(ui.ENV_VAR, str(path))
    at = app().run()
    at.switch_page(NETWORK_PAGE).run()
    assert not at.exception, at.exception
    assert any("Large network" in i.value and "hexagon per side" in i.value for i in at.info)
    nodes, _ = vis_data(at.get("iframe")[0].proto.srcdoc)
    assert sum(not n["id"].startswith(net.GROUP_ID) for n in nodes) == net.LARGE_GRAPH_SHOWN
    assert f"{net.LARGE_GRAPH_SHOWN} entities" in page_text(at)
    person = model.entities.index[model.entities["kind"] == "person"][0]
    at.selectbox(key="network_focus").set_value(person).run()
    assert not at.exception
    assert person in {n["id"] for n in vis_data(at.get("iframe")[0].proto.srcdoc)[0]}


# --- timeline: WebGL and density ---------------------------------------------------------------------


def test_past_the_webgl_limit_marks_and_bars_are_webgl_traces_with_the_same_points(big):
    _, model = big
    shown = events(model.statements)
    dated = timeline.dated(shown)
    assert timeline.WEBGL_MARKS < len(dated) <= timeline.DENSITY_MARKS
    figure = timeline.timeline_figure(timeline.TimelineData(shown, model.entities))
    marks = [t for t in figure.data if t.meta == timeline.EVENT_TRACE]
    assert marks and {t.type for t in marks} == {"scattergl"}
    assert sorted(i for t in marks for i in t.customdata) == sorted(dated["id"])
    hollow = {i for t in marks if t.marker.symbol.endswith("-open") for i in t.customdata}
    assert hollow == set(dated.loc[dated["date_inferred"], "id"])
    bars = [t for t in figure.data if t.type == "scattergl" and t.mode == "lines"]
    spans = dated[dated["precision"].isin(["year", "month"])]
    assert sum(len(t.x) for t in bars) == 3 * len(spans)  # start, end, gap: a year is never a point
    assert not [t for t in figure.data if t.type == "bar"]
    small = timeline.timeline_figure(timeline.TimelineData(shown.head(300), model.entities))
    assert {t.type for t in small.data if t.meta == timeline.EVENT_TRACE} == {"scatter"}


def test_hover_texts_given_once_per_dataset_are_the_ones_computed_per_run(big):
    _, model = big
    shown = flt.apply(model, flt.Filters(start=date(2018, 1, 1), end=date(2020, 12, 31)))
    every = timeline.hover_texts(timeline.dated(events(model.statements)))
    cached = timeline.layout_timeline(timeline.TimelineData(events(shown), model.entities, hover=every))
    fresh = timeline.layout_timeline(timeline.TimelineData(events(shown), model.entities))
    assert cached.marks["hover"].tolist() == fresh.marks["hover"].tolist()
    partial = timeline.layout_timeline(timeline.TimelineData(events(shown), model.entities, hover=every.iloc[:10]))
    assert partial.marks["hover"].tolist() == fresh.marks["hover"].tolist()


def test_past_the_density_limit_each_lane_counts_its_events_per_year(tmp_path):
    model = build_model(check_dataset(write_dataset(tmp_path, 9000, seed=2)).frame)
    shown = events(model.statements)
    dated = timeline.dated(shown)
    assert len(dated) > timeline.DENSITY_MARKS
    counts, unit, coarser = timeline.density_counts(timeline.TimelineData(shown, model.entities))
    assert unit == "year" and coarser == 0 and counts["count"].sum() == len(dated)
    side = timeline.subject_sides(dated, model.entities).replace("", timeline.UNSIDED)
    expected = dated.groupby([side, dated["date_start"].dt.year]).size()
    got = counts.set_index(["lane", counts["start"].dt.year])["count"]
    assert got.sort_index().tolist() == expected.sort_index().tolist()
    assert (counts[list(style.CERTAINTY_SYMBOL)].sum(axis=1) == counts["count"]).all()
    figure = timeline.density_figure(timeline.TimelineData(shown, model.entities))
    assert timeline.density_counts(timeline.TimelineData(shown, model.entities)).unit == "year"
    assert figure.layout.barmode == "overlay"
    first = next(t for t in figure.data if t.type == "bar")
    assert timeline.selected_period({"points": [{"customdata": list(first.customdata[0])}]})[0].month == 1
    assert len(figure.to_json()) < 200_000


def test_a_short_span_is_counted_by_month_leaving_year_only_dates_out(big):
    _, model = big
    shown = events(model.statements)
    recent = shown[shown["date_start"].isna() | (shown["date_start"] >= pd.Timestamp("2024-01-01"))]
    counts, unit, coarser = timeline.density_counts(timeline.TimelineData(recent, model.entities))
    dated = timeline.dated(recent)
    assert unit == "month" and coarser == int((dated["precision"] == "year").sum()) > 0
    assert counts["count"].sum() == len(dated) - coarser
    assert ((counts["end"] - counts["start"]).dt.days <= 31).all()


def test_selected_period_reads_a_click_and_ignores_marks():
    assert timeline.selected_period({"points": [{"customdata": ["2019-01-01", "2019-12-31"]}]}) == (
        date(2019, 1, 1),
        date(2019, 12, 31),
    )
    assert timeline.selected_period({"points": [{"customdata": "s001"}]}) is None
    assert timeline.selected_period(None) is None


def test_the_timeline_page_counts_when_dense_and_draws_marks_when_narrowed(tmp_path, monkeypatch):
    monkeypatch.setenv(ui.ENV_VAR, str(write_dataset(tmp_path, 9000, seed=2)))
    at = app().run()
    at.switch_page(TIMELINE_PAGE).run()
    assert not at.exception, at.exception
    assert any("too many to draw one by one" in i.value for i in at.info)
    spec = chart_specs(at)[0]
    assert any("fall in each year" in i.value for i in at.info)  # the density view, counted by year
    assert not any(t.get("meta") == timeline.EVENT_TRACE for t in spec["data"])
    at.text_input(key=ui.K_START_TEXT).input("2020-01-01").run()
    at.text_input(key=ui.K_END_TEXT).input("2020-12-31").run()
    assert not at.exception
    spec = chart_specs(at)[0]
    assert any(t.get("meta") == timeline.EVENT_TRACE for t in spec["data"])


# --- cheaper reruns, same results --------------------------------------------------------------------


def test_wrap_plain_shortcut_gives_what_textwrap_gives():
    rng = random.Random(1)
    for _ in range(20000):
        value = "".join(rng.choice("ab c\t\n\r  xyz—é") for _ in range(rng.randint(0, 90)))
        width = rng.randint(5, 80)
        assert text.wrap_plain(value, width) == "\n".join(textwrap.wrap(value, width=width) or [""])


def test_source_urls_are_the_source_url_of_each_statement():
    filters = flt.Filters(
        people=("Ana Pérez", "a&b=c"), start=date(2020, 1, 2), sides=("MS-13",), include_undated=False
    )
    ids = ["s001", "x y", "a&b#c", "é/ü?"]
    for f in (None, flt.Filters(), filters):
        assert links.source_urls(ids, f) == [links.source_url(i, f) for i in ids]


def test_entity_choices_sort_and_label_as_the_sidebar_did(model):
    choices = ui.choices_of(model)
    entities = model.entities
    assert list(choices.names) == sorted(entities.index, key=lambda n: flt.names.fold(entities.at[n, "display"]))
    assert choices.label["César López Larios"] == "César López Larios · Cesar Lopez"
    assert choices.label["[U.S. law enforcement]"] == "U.S. law enforcement", "only accents add a spelling"
    assert choices.label["Marco Rubio"] == "Marco Rubio"


def test_the_generator_writes_the_same_files_for_the_same_seed(tmp_path):
    def files(folder):
        return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}

    write_dataset(tmp_path / "a", 1500, seed=9)
    write_dataset(tmp_path / "b", 1500, seed=9)
    write_dataset(tmp_path / "c", 1500, seed=10)
    assert files(tmp_path / "a") == files(tmp_path / "b")
    assert files(tmp_path / "a") != files(tmp_path / "c")
