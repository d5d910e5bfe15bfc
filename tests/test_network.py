"""The network view: graph building, filters, ego networks, layout, offline and escaped HTML, the
legend and the list in words, and the page under AppTest."""

from __future__ import annotations

import html
import itertools
import json
import math
import re
from datetime import date

import networkx as nx
import pytest
from helpers import page_text
from network_payloads import IMG, LINK_NAME, PAYLOADS, SCRIPT, payload_rows, source_text

from dashboard import style
from dashboard.dataset.model import build_model
from dashboard.dataset.validation import check_dataset
from dashboard.derive import filters as flt
from dashboard.derive.context import NetworkView
from dashboard.views import network as net


def relations_of(statements):
    return statements[statements["object"] != ""]


def vis_data(html: str) -> tuple[list[dict], list[dict]]:
    """The node and edge lists as vis-network receives them (the JSON inside the HTML)."""
    found = re.findall(r"new vis\.DataSet\((\[.*?\])\);", html, flags=re.DOTALL)
    return json.loads(found[0]), json.loads(found[1])


def overlapping_boxes(graph, positions):
    boxes = {}
    for n, (x, y) in positions.items():
        left, top, right, bottom = net.label_box(graph.nodes[n]["label"], net.node_size(graph.nodes[n]["statements"]))
        boxes[n] = (x + left, y + top, x + right, y + bottom)
    return [
        (a, b)
        for a, b in itertools.combinations(boxes, 2)
        if boxes[a][0] < boxes[b][2]
        and boxes[b][0] < boxes[a][2]
        and boxes[a][1] < boxes[b][3]
        and boxes[b][1] < boxes[a][3]
    ]


@pytest.fixture
def graph(model):
    return net.build_graph(model.statements, model.entities)


@pytest.fixture
def payload_model(make_dataset):
    checked = check_dataset(make_dataset(rows=payload_rows(), source_text=source_text()))
    assert checked.ok, [str(p) for p in checked.problems]
    return build_model(checked.frame)


# ---------------------------------------------------------------------------------------------
# Nodes and edges


def test_bundled_data_gives_a_node_per_linked_entity_and_an_edge_per_ordered_pair(model, graph):
    relations = relations_of(model.statements)
    pairs = set(relations[["subject", "object"]].itertuples(index=False, name=None))
    assert set(graph.nodes) == set(relations["subject"]) | set(relations["object"])
    assert set(graph.edges) == pairs
    assert sum(count for _, _, count in graph.edges(data="count")) == len(relations)
    # The bundled story as curated on 2026-12-04: 81 relations between 46 entities, 74 distinct pairs
    # (2026-11-25: s029, López Larios as a possible informant, withdrawn; 2026-12-04: the
    # investigator's “he” no longer a link to Canales Rivera (s087); s116, a second link between the
    # unnamed officials and MS-13, and s117 added).
    assert (len(relations), graph.number_of_nodes(), graph.number_of_edges()) == (81, 46, 74)


def test_repeated_relations_between_a_pair_merge_into_one_edge_with_a_count(graph):
    edge = graph.edges["Marco Rubio", "Nayib Bukele"]
    assert edge["count"] == 2
    assert [s["id"] for s in edge["statements"]] == ["s004", "s010"]
    drawn = {(e["from"], e["to"]): e for e in net.vis_edges(graph)}
    assert len(drawn) == graph.number_of_edges()  # one drawn edge per pair, none stacked
    assert drawn["Marco Rubio", "Nayib Bukele"]["label"] == "×2"
    assert (
        drawn["Marco Rubio", "Nayib Bukele"]["width"] > drawn["Pam Bondi", "[The nine men Bukele requested]"]["width"]
    )
    assert "label" not in drawn["Pam Bondi", "[The nine men Bukele requested]"]


def test_nodes_carry_kind_side_alias_label_and_statement_count(model, graph):
    elmer = graph.nodes["Elmer Canales Rivera"]
    assert elmer["display"] == "Elmer Canales Rivera (Crook de Hollywood)"
    assert elmer["label"].replace("\n", " ") == elmer["display"]
    assert (elmer["kind"], elmer["side"]) == ("person", "MS-13")
    mentions = model.statements["subject"].eq("Elmer Canales Rivera") | model.statements["object"].eq(
        "Elmer Canales Rivera"
    )
    assert elmer["statements"] == int(mentions.sum())
    nodes = {n["id"]: n for n in net.vis_nodes(graph, net.layout_positions(graph), style.side_colours(["MS-13"]))}
    assert nodes["CECOT"]["shape"] == "triangle" and nodes["Marco Rubio"]["shape"] == "dot"
    assert nodes["Justice Department"]["shape"] == "square"
    assert nodes["[The nine men Bukele requested]"]["shape"] == "diamond"
    assert nodes["Elmer Canales Rivera"]["color"]["background"] == style.side_colours(["MS-13"])["MS-13"]
    assert nodes["[The nine men Bukele requested]"]["size"] > nodes["Pam Bondi"]["size"]
    # Unidentified people are marked; groups described in brackets are not "unnamed people".
    assert nodes["[Unnamed requested man 3]"]["shapeProperties"]["borderDashes"]
    assert "shapeProperties" not in nodes["[U.S. prosecutors]"]
    assert "Unnamed — not identified in the source" in nodes["[Unnamed requested man 3]"]["title"]


def test_edges_show_certainty_by_dash_and_a_mixed_pair_by_its_least_certain_statement(model, graph):
    drawn = {(e["from"], e["to"]): e for e in net.vis_edges(graph)}
    # Issue 11: the assurance (s010) rests on unnamed officials, so the pair is drawn as alleged.
    assert drawn["Marco Rubio", "Nayib Bukele"]["dashes"] == style.CERTAINTY_VIS_DASHES["alleged"]
    assert drawn["Elmer Canales Rivera", "Carlos Marroquín"]["dashes"] == style.CERTAINTY_VIS_DASHES["alleged"]
    assert drawn["Salvadoran government", "MS-13"]["dashes"] == style.CERTAINTY_VIS_DASHES["denied"]
    assert drawn["César López Larios", "[The nine men Bukele requested]"]["dashes"] is False
    mixed = model.statements[model.statements["id"].isin(["s028", "s004"])].copy()
    mixed.loc[mixed["id"] == "s004", ["subject", "object", "certainty"]] = [
        "César López Larios",
        "[The nine men Bukele requested]",
        "inferred",
    ]
    pair = net.build_graph(mixed, model.entities).edges["César López Larios", "[The nine men Bukele requested]"]
    assert pair["count"] == 2 and pair["certainty"] == "inferred"


def test_alleged_and_inferred_links_differ_in_colour_and_weight_as_well_as_dash(graph):
    from dashboard.views.network.page import EDGE_STYLE

    drawn = {(e["from"], e["to"]): e for e in net.vis_edges(graph)}
    alleged = drawn["Elmer Canales Rivera", "Carlos Marroquín"]
    stated = drawn["César López Larios", "[The nine men Bukele requested]"]
    inferred = next(e for e in drawn.values() if e["dashes"] == style.CERTAINTY_VIS_DASHES["inferred"])
    colours = {edge["color"]["color"] for edge in (alleged, stated, inferred)}
    assert len(colours) == 3  # three certainties, three colours
    assert alleged["color"]["color"] == EDGE_STYLE["alleged"][0]
    assert inferred["color"]["color"] == EDGE_STYLE["inferred"][0]
    one = [e for e in (alleged, inferred, stated) if "label" not in e]  # one statement each: base width
    assert len({e["width"] for e in one}) == len(one)
    assert EDGE_STYLE["alleged"][1] > EDGE_STYLE["inferred"][1] > EDGE_STYLE["stated"][1]


def test_clicking_a_node_focuses_the_page_and_the_graph_zooms(graph):
    html = net.network_html(graph, style.side_colours(sorted({d["side"] for _, d in graph.nodes(data=True)})))
    assert 'network.on("click"' in html and "PopStateEvent" in html and 'searchParams.set("focus"' in html
    options = net.vis_options()["interaction"]
    assert options["zoomView"] is True and options["dragView"] is True


def test_edge_tooltip_lists_each_statement_as_plain_text(graph):
    edge = graph.edges["Marco Rubio", "Nayib Bukele"]
    title = net.edge_title("Marco Rubio", "Nayib Bukele", edge)
    drawn = {(e["from"], e["to"]): e["title"] for e in net.vis_edges(graph)}
    assert drawn["Marco Rubio", "Nayib Bukele"] == title  # the tooltip vis-network receives
    assert title.startswith("Marco Rubio → Nayib Bukele\n2 statements")
    flat = " ".join(title.split())
    assert "1. privately promised to hand over nine imprisoned MS-13 leaders to (deal)" in flat
    assert "13 March 2025 (inferred) · stated" in flat
    assert "According to the article" in flat
    assert "“Secretary of State Marco Rubio privately promised" in flat
    assert "<br>" not in title and "&" not in title


def test_long_quotes_are_cut_at_a_word_with_an_ellipsis():
    quote = "word " * 100
    cut = net.excerpt(quote, 50)
    assert cut.endswith(" …") and len(cut) <= 52 and "wor …" not in cut
    assert net.excerpt("short  quote\n here") == "short quote here"


# ---------------------------------------------------------------------------------------------
# Filters and ego networks


def test_shared_date_filter_with_and_without_undated_relations(model):
    march = flt.Filters(start=date(2025, 3, 1), end=date(2025, 3, 31), include_undated=False)
    dated = net.build_graph(flt.apply(model, march), model.entities)
    statements = [s for _, _, items in dated.edges(data="statements") for s in items]
    # Each may fall in March 2025: dated in it, or open-ended from before it ("2022 or later"; issue 11
    # made the date filter keep open-ended events, so not every one says "March 2025").
    rows = model.statements.set_index("id").loc[[s["id"] for s in statements]]
    assert statements and (rows["date_start"] <= "2025-03-31").all()
    assert (rows["date_end"].isna() | (rows["date_end"] >= "2025-03-01")).all()
    assert all("March 2025" in s["date_display"] or " or later" in s["date_display"] for s in statements)
    expected = relations_of(flt.apply(model, march))
    assert len(statements) == len(expected)
    with_undated = net.build_graph(flt.apply(model, flt.Filters(start=march.start, end=march.end)), model.entities)
    assert with_undated.number_of_edges() > dated.number_of_edges()


def test_shared_person_filter_keeps_their_relations_and_their_groups(model):
    chosen = flt.apply(model, flt.Filters(people=("Vladimir Arévalo Chávez",)))
    graph = net.build_graph(chosen, model.entities)
    assert "Vladimir Arévalo Chávez" in graph and "[The nine men Bukele requested]" in graph
    assert "Joan Azrack" in graph and "Osiris Luna" not in graph


def test_relation_type_and_certainty_controls(model, graph):
    deals = net.build_graph(model.statements, model.entities, NetworkView(relation_types=("deal",)))
    relations = relations_of(model.statements)
    expected = relations[relations["relation_type"] == "deal"]
    assert set(deals.edges) == set(expected[["subject", "object"]].itertuples(index=False, name=None))
    certain = net.build_graph(model.statements, model.entities, NetworkView(hidden_certainties=("alleged", "inferred")))
    kept = [s["certainty"] for _, _, items in certain.edges(data="statements") for s in items]
    assert set(kept) == {"stated", "denied"}
    assert len(kept) == int(relations["certainty"].isin(["stated", "denied"]).sum())
    assert certain.number_of_edges() < graph.number_of_edges()


def test_sides_control_hides_entities_of_other_sides(model):
    sides = ("U.S. government", "Salvadoran government")
    graph = net.build_graph(model.statements, model.entities, NetworkView(sides=sides))
    assert len(graph) > 0 and {side for _, side in graph.nodes(data="side")} == set(sides)
    assert "Marco Rubio" in graph and "Nayib Bukele" in graph and "MS-13" not in graph
    assert all(graph.degree(n) > 0 for n in graph)


def test_ego_network_grows_one_link_at_a_time_in_either_direction(model, graph):
    one = net.build_graph(model.statements, model.entities, NetworkView(focus="Marco Rubio", hops=1))
    assert set(one) == {"Marco Rubio", "Nayib Bukele", "Donald Trump", "[U.S. law enforcement]"}
    reach = nx.single_source_shortest_path_length(graph.to_undirected(), "Marco Rubio")
    previous = set(one)
    for hops in (2, 3):
        ego = net.build_graph(model.statements, model.entities, NetworkView(focus="Marco Rubio", hops=hops))
        assert set(ego) == {n for n, d in reach.items() if d <= hops}
        assert set(ego) > previous
        assert set(ego.edges) == {e for e in graph.edges if e[0] in ego and e[1] in ego}
        previous = set(ego)
    assert net.build_graph(
        model.statements, model.entities, NetworkView(focus="Pam Bondi", hops=9)
    ).number_of_nodes() == len(net.ego_graph(graph, "Pam Bondi", 3))


def test_focus_outside_the_view_and_empty_filters_give_an_empty_graph(model):
    nobody = net.build_graph(model.statements, model.entities, NetworkView(focus="The Washington Post"))
    assert nobody.number_of_nodes() == 0
    none = net.build_graph(model.statements.iloc[0:0], model.entities)
    assert none.number_of_nodes() == 0
    assert net.layout_positions(none) == {}


# ---------------------------------------------------------------------------------------------
# Layout


def test_layout_is_deterministic_and_keeps_every_label_clear_of_the_others(model, graph):
    positions = net.layout_positions(graph)
    assert set(positions) == set(graph)
    rebuilt = net.build_graph(model.statements, model.entities)
    assert net.layout_positions(rebuilt) == positions
    assert overlapping_boxes(graph, positions) == []
    # Legible at 1200 px: the page's canvas (740 px wide) shows the whole map at 85 % zoom or more.
    width, _ = net.layout_extent(graph, positions)
    assert 740 / width >= 0.85
    ego = net.build_graph(model.statements, model.entities, NetworkView(focus="Nayib Bukele", hops=2))
    assert overlapping_boxes(ego, net.layout_positions(ego)) == []


def nodes_on_foreign_links(graph: nx.DiGraph, positions: dict) -> list[tuple]:
    """(node, link) where a node's mark touches the inside of a link it is not part of."""
    found = []
    for node, (x, y) in positions.items():
        radius = net.layout.node_radius(graph.nodes[node])
        for a, b in nx.Graph(graph).edges:
            (ax, ay), (bx, by) = positions[a], positions[b]
            dx, dy = bx - ax, by - ay
            t = ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)
            if node not in (a, b) and 0.05 < t < 0.95 and math.hypot(x - ax - t * dx, y - ay - t * dy) < radius:
                found.append((node, (a, b)))
    return found


def test_no_node_sits_on_a_link_it_is_not_part_of(model, graph):
    """A mark on another link reads as joined to it, and hovering there shows the wrong tooltip
    (Marco Rubio lay on the El Salvador → Bukele link once a row was withdrawn)."""
    assert nodes_on_foreign_links(graph, net.layout_positions(graph)) == []
    ego = net.build_graph(model.statements, model.entities, NetworkView(focus="Nayib Bukele", hops=2))
    assert nodes_on_foreign_links(ego, net.layout_positions(ego)) == []


def test_every_view_of_the_story_keeps_labels_apart_and_nodes_off_links(model, graph):
    """The story's views are sparse enough for both (the layout gives up nodes-off-links only for a
    map whose links would cover it LINK_COVER_LIMIT times over): each entity's view at 1 to 3 links."""
    seen = set()
    for focus in sorted(graph):
        for hops in (1, 2, 3):
            ego = net.build_graph(model.statements, model.entities, NetworkView(focus=focus, hops=hops))
            key = net.graph_key(ego)
            if key in seen:
                continue
            seen.add(key)
            positions = net.layout_positions(ego)
            assert overlapping_boxes(ego, positions) == [], (focus, hops)
            assert nodes_on_foreign_links(ego, positions) == [], (focus, hops)
    assert len(seen) > 40


def test_marks_on_links_names_the_nodes_the_tests_find_on_foreign_links(model, graph):
    """What the page counts for its note is what the layout tests check: none in the story; in a map
    too dense to clear its links (a random one as dense as the 1,000-statement benchmark's), many."""
    assert net.marks_on_links(graph, net.layout_positions(graph)) == []
    dense = nx.gnm_random_graph(60, 360, seed=5, directed=True)
    nx.set_node_attributes(dense, {n: f"Someone {n}" for n in dense}, "label")
    nx.set_node_attributes(dense, 3, "statements")
    positions = net.layout_positions(dense)
    found = net.marks_on_links(dense, positions)
    assert found and set(found) == {node for node, _ in nodes_on_foreign_links(dense, positions)}
    assert overlapping_boxes(dense, positions) == []


def test_the_crowded_note_says_how_many_marks_sit_on_links_and_what_to_do():
    assert net.controls.crowded_note(0, 40) is None
    assert "1 entity's mark sits on a link it is not part of" in net.controls.crowded_note(1, 40)
    note = net.controls.crowded_note(57, 100)
    assert "57 of 100 entities' marks sit on links they are not part of" in note
    assert "focus on one entity" in note


def test_components_past_the_spring_limit_get_a_cheap_deterministic_layout():
    # A 600-entity chain: networkx's spring layout would need scipy here, which is not installed.
    chain = nx.path_graph(net.SPRING_LIMIT + 101, create_using=nx.DiGraph)
    nx.set_node_attributes(chain, "Someone with a name", "label")
    nx.set_node_attributes(chain, 2, "statements")
    positions = net.layout_positions(chain)
    assert len(positions) == len(chain) and positions == net.layout_positions(chain)
    assert len(set(positions.values())) == len(chain)  # no two nodes on the same spot


def test_canvas_height_fits_the_layout_within_bounds(graph):
    positions = net.layout_positions(graph)
    height = net.canvas_height(graph, positions)
    assert 360 <= height <= 1000
    single = nx.DiGraph()
    single.add_node("a", label="a", statements=1)
    assert net.canvas_height(single, {"a": (0, 0)}) == 360


# ---------------------------------------------------------------------------------------------
# HTML


def test_html_is_self_contained_with_no_http_reference(graph):
    html = net.network_html(graph, style.side_colours(["U.S. government"]))
    assert "vis.Network" in html and "vis-network" in html  # the library is inline
    assert net.external_references(html) == []
    # What is left is the SVG namespace vis-network passes to createElementNS: a name, never fetched.
    assert set(re.findall(r"https?://[^\s\"']*", html)) == {net.SVG_NAMESPACE}
    assert not re.search(r"<(link|script)\b[^>]*\b(href|src)\s*=", html, flags=re.IGNORECASE)
    assert not re.search(r"bootstrap|jsdelivr|cdnjs", html, flags=re.IGNORECASE)
    nodes, edges = vis_data(html)
    assert len(nodes) == graph.number_of_nodes() and len(edges) == graph.number_of_edges()
    assert '"physics": {"enabled": false}' in html


def test_html_positions_are_the_layout_positions(graph):
    positions = net.layout_positions(graph)
    nodes, _ = vis_data(net.network_html(graph, {}, positions))
    assert {n["id"]: (n["x"], n["y"]) for n in nodes} == positions


def test_payloads_in_names_relations_quotes_and_attributions_stay_text(payload_model):
    graph = net.build_graph(payload_model.statements, payload_model.entities)
    assert IMG in graph and LINK_NAME in graph
    html = net.network_html(graph, style.side_colours(["MS-13", "U.S. government"]), focus=IMG)
    for payload in PAYLOADS:
        assert payload not in html
    assert "<img" not in html and "alert(2)</script>" not in html and "<a href" not in html
    assert "popup.innerHTML" not in html  # pyvis's HTML tooltip was not switched on
    nodes, edges = vis_data(html)
    by_id = {n["id"]: n for n in nodes}
    assert by_id[IMG]["label"].replace("\n", "") == IMG  # the name is shown, as text
    assert all("href" not in n["title"] for n in nodes)
    assert by_id[LINK_NAME]["title"].replace("\u2060", "").startswith(LINK_NAME)
    titles = " ".join(e["title"] for e in edges)
    assert SCRIPT in titles and "<b onmouseover=alert(4)>officials</b>" in titles and "href=javascript" in titles


def test_the_html_tooltip_path_of_pyvis_is_never_taken():
    # pyvis's own template switches to a popup that sets innerHTML when a title holds "href"; our
    # template has no such path, and the title reaches vis-network as escaped JSON text.
    from pyvis.network import Network

    network = Network()
    network.nodes = [{"id": "a", "label": "a", "title": '<a href="javascript:alert(1)">x</a>'}]
    html = net.render(network)
    assert "innerHTML" not in html and '<a href="javascript' not in html
    nodes, _ = vis_data(html)
    assert nodes[0]["title"] == '<a href="javascript:alert(1)">x</a>'


def test_a_quote_holding_a_web_address_is_verbatim_in_its_tooltip():
    quote = "posted at https://example.com/proof?id=1&x=2 on Monday"
    graph = nx.DiGraph()
    for name in ("Ana", "Ben"):
        attributes = {"kind": "person", "side": "", "roles": "", "unnamed": False, "statements": 1, "total": 1}
        graph.add_node(name, label=name, display=name, **attributes)
    statement = {"id": "s1", "order": 0, "relation": "posted", "relation_type": "other", "date_display": "Undated",
                 "certainty": "stated", "attribution": "The article", "quote": quote}  # fmt: skip
    graph.add_edge("Ana", "Ben", statements=(statement,), count=1, certainty="stated", relation_types=("other",))
    html = net.network_html(graph, {})
    _, edges = vis_data(html)
    assert f"“{quote}”" in edges[0]["title"]
    assert net.external_references(html) == ["https://example.com/proof?id=1\\u0026x=2"]  # the quote's, as JSON


def test_legend_names_every_side_kind_and_certainty_as_escaped_text():
    colours = style.side_colours(["U.S. government", IMG])
    legend = net.legend_html(colours, ["U.S. government", IMG], ["person", "place"])
    assert "U.S. government" in legend and "&lt;img src=x onerror=alert(1)&gt;" in legend and IMG not in legend
    assert colours["U.S. government"] in legend and colours[IMG] in legend
    for label in ("Person", "Place", "Stated", "Alleged", "Denied", "Inferred"):
        assert label in legend
    assert "Organization" not in legend
    assert "repeating-linear-gradient" in legend  # dashed lines drawn as in the graph
    from dashboard.views.network.page import EDGE_STYLE

    for certainty, (colour, width) in EDGE_STYLE.items():  # the legend's lines match the graph's
        assert colour in legend and f"height:{round(width)}px" in legend, certainty


# ---------------------------------------------------------------------------------------------
# In words


def test_relations_in_words_appear_under_both_entities_with_focus_first(graph):
    listing = net.entity_relations(graph, focus="Nayib Bukele")
    assert listing[0]["name"] == "Nayib Bukele"
    assert len(listing) == graph.number_of_nodes()
    by_name = {entry["name"]: entry for entry in listing}
    sentence = "Marco Rubio → privately promised to hand over nine imprisoned MS-13 leaders to → Nayib Bukele"
    assert sentence in [item["sentence"] for item in by_name["Marco Rubio"]["relations"]]
    assert sentence in [item["sentence"] for item in by_name["Nayib Bukele"]["relations"]]
    names_after_focus = [entry["display"] for entry in listing[1:3]]
    assert names_after_focus == [
        "A dozen others charged in 2021",
        "At least four MS-13 figures charged by U.S. prosecutors",
    ]
    total = sum(len(entry["relations"]) for entry in listing)
    loops = sum(count for s, t, count in graph.edges(data="count") if s == t)
    assert total == 2 * sum(count for _, _, count in graph.edges(data="count")) - loops
    assert len(net.entity_relations(graph, limit=5)) == 5


def test_statement_details_give_date_certainty_and_attribution(graph):
    statement = graph.edges["Marco Rubio", "Nayib Bukele"]["statements"][0]
    assert net.statement_details(statement) == "13 March 2025 (inferred) · stated · According to the article"


# ---------------------------------------------------------------------------------------------
# The page


def test_page_with_a_focus_person_from_the_url(open_page):
    at = open_page("network", focus="Marco Rubio")
    assert at.selectbox(key="network_focus").value == "Marco Rubio"
    text = page_text(at)
    assert "4 entities, 4 links drawn from 6 of the 116 statements shown; the other 110 link no one" in text
    assert "· within 1 link of Marco Rubio" in text
    # A click on a node focuses it: the details panel names him and gives his statements with quotes.
    assert any("Marco Rubio" in h.value for h in at.header)
    assert any("government" in c.value and "sourced statements in the graph" in c.value for c in at.caption)
    assert "view in source" in text
    srcdoc = at.get("iframe")[0].proto.srcdoc
    nodes, _ = vis_data(srcdoc)
    assert {n["id"] for n in nodes} == {"Marco Rubio", "Nayib Bukele", "Donald Trump", "[U.S. law enforcement]"}
    assert not re.search(r"<(link|script)\b[^>]*\b(href|src)\s*=\s*[\"']?https?:", srcdoc)
    listed = [e.label.split(" · ")[0] for e in at.expander if " · " in e.label]
    assert listed[0] == "Marco Rubio"
    at.radio(key="network_hops").set_value(2).run()
    assert not at.exception
    assert len(vis_data(at.get("iframe")[0].proto.srcdoc)[0]) > 4
    assert (at.query_params["focus"], at.query_params["hops"]) == ("Marco Rubio", "2")
    at.button(key="network_close").click().run()  # closing the panel returns to everyone
    assert at.selectbox(key="network_focus").value is None and "focus" not in at.query_params


def test_the_listing_writes_an_entitys_relations_once_opened(open_page):
    """Each entity's entry in the listing is written only when a reader opens it: two hundred
    entities' quotes cost more than the graph on a page's first draw."""
    import hashlib

    at = open_page("network")
    rubio = next(e for e in at.expander if e.label.startswith("Marco Rubio · "))
    assert not [m for m in rubio.markdown if "view in source" in m.value]
    assert "view in source" not in page_text(at)
    key = "network_listed_" + hashlib.sha1(b"Marco Rubio").hexdigest()[:12]
    at.session_state[key] = True  # a reader's click on the entry
    at.run()
    assert not at.exception, at.exception
    rubio = next(e for e in at.expander if e.label.startswith("Marco Rubio · "))
    written = " ".join(m.value for m in rubio.markdown)
    assert "view in source" in written and "Nayib Bukele" in written
    assert sum("view in source" in m.value for e in at.expander for m in e.markdown) == len(rubio.markdown)


def test_page_controls_and_shared_filters_change_the_graph(open_page):
    at = open_page("network", start="2025-03-01", end="2025-03-31", undated="exclude")
    assert "entities" in page_text(at)
    before = len(vis_data(at.get("iframe")[0].proto.srcdoc)[1])
    at.multiselect(key="relation").set_value(["deal"]).run()
    after = len(vis_data(at.get("iframe")[0].proto.srcdoc)[1])
    assert 0 < after < before


def test_page_shows_an_empty_state_when_nothing_links(monkeypatch, open_page):
    at = open_page("network", person="Pam Bondi")
    at.multiselect(key="relation").set_value(["charge"]).run()
    assert not at.exception
    assert not at.get("iframe")
    assert any("No statements link two entities" in i.value for i in at.info)


def test_page_warns_about_an_unknown_focus(open_page):
    at = open_page("network", focus="Nobody Atall")
    assert "Ignored focus" in page_text(at)
    assert at.selectbox(key="network_focus").value is None


def test_page_shows_payloads_as_text(make_dataset, monkeypatch, open_page):
    from dashboard.app import ui

    monkeypatch.setenv(ui.ENV_VAR, str(make_dataset(rows=payload_rows(), source_text=source_text())))
    at = open_page("network", focus=IMG)
    text = page_text(at) + " ".join(e.label for e in at.expander)
    assert "<img" not in text and "<script>" not in text
    assert "&lt;img src=x onerror=alert\\(1\\)&gt;" in text
    assert "popup.innerHTML" not in at.get("iframe")[0].proto.srcdoc


def test_the_page_controls_read_and_write_a_shared_link(model):
    from dashboard.views.network import controls

    shared = controls.read_link({"focus": "Marco Rubio", "hops": "2"}, model.entities)
    assert (shared.focus, shared.hops, shared.notices) == ("Marco Rubio", 2, ())
    bad = controls.read_link({"focus": "Nobody at all", "hops": "9"}, model.entities)
    assert bad.focus is None and bad.hops == 1 and len(bad.notices) == 2 and "Ignored focus" in bad.notices[0]
    assert controls.link_params("Marco Rubio", 2) == {"focus": "Marco Rubio", "hops": "2"}
    assert controls.link_params(None, 2) == {"focus": None, "hops": None}
    view = controls.make_view(["deal"], [], True, False, "Marco Rubio", 2)
    assert view == NetworkView(("deal",), (), ("alleged",), "Marco Rubio", 2)
    graph = net.build_graph(model.statements, model.entities)
    assert controls.drawn_summary(graph).endswith("statements") and "Rubio" in controls.nothing_drawn("Rubio")


# --- the publication figure ------------------------------------------------------------------------


@pytest.mark.parametrize("area", [(1128, 330), (1015, 700), (1500, 560)])
def test_the_published_network_keeps_the_pages_arrangement_and_marks(graph, area):
    page = net.layout_positions(graph)
    figure = net.network_figure(graph, style.side_colours([]), area=area)
    nodes = next(t for t in figure.data if t.mode == "markers" and t.x is not None and len(t.x) == len(graph))
    drawn = dict(zip(graph, zip(nodes.x, (-y for y in nodes.y))))
    # The page's positions, only scaled (and turned a quarter for a card of the other shape): every
    # node keeps its rank across and down (turned: across becomes down).
    import pandas as pd

    page_x, page_y = (pd.Series({n: p[i] for n, p in page.items()}).rank(method="min") for i in (0, 1))
    drawn_x, drawn_y = (pd.Series({n: p[i] for n, p in drawn.items()}).rank(method="min") for i in (0, 1))
    minus_y = pd.Series({n: -p[1] for n, p in page.items()}).rank(method="min")

    def same(a, b):
        return (a.reindex(b.index) == b).all()

    assert (same(drawn_x, page_x) and same(drawn_y, page_y)) or (same(drawn_x, minus_y) and same(drawn_y, page_x))
    # The page's marks: a dotted ring per unnamed person, ×N on each merged link.
    rings = [s for s in figure.layout.shapes if s.type == "circle" and s.line.dash == "dot"]
    assert len(rings) == sum(1 for _, d in graph.nodes(data=True) if d["unnamed"]) > 0
    counts = [a.text for a in figure.layout.annotations if a.text and a.text.startswith("×")]
    merged = [f"×{d['count']}" for *_, d in graph.edges(data=True) if d["count"] > 1]
    assert sorted(counts) == sorted(merged)


def test_every_node_is_labelled_or_numbered_in_the_key(graph):
    """Every mark but those of people the source does not identify, who get one label as a group
    ("Eight people not identified (dotted rings)") beside one of them, clear of every other label."""
    figure = net.network_figure(graph, style.side_colours([]), area=(1128, 330))
    labels = [a for a in figure.layout.annotations if a.name == "network-label"]
    texts = [a.text for a in labels]
    numbered = [t for t in texts if t.startswith("<b>") and t[3:-4].isdigit()]
    notes = net.figure_notes(figure)
    unidentified = [n for n, d in graph.nodes(data=True) if d["unnamed"] and d["kind"] == "person"]
    words = {6: "Six", 7: "Seven", 8: "Eight", 9: "Nine"}
    group = f"{words.get(len(unidentified), len(unidentified))} people not identified (dotted rings)"
    assert unidentified and texts.count(group) == 1
    assert len(texts) == len(graph) - len(unidentified) + 1
    assert not any("Unnamed requested man" in t for t in texts)
    boxes = [_label_box(a) for a in labels]
    assert not any(_apart(a, b) is False for i, a in enumerate(boxes) for b in boxes[i + 1 :])
    if numbered:
        key = next(n for n in notes if n.startswith("Numbered marks: "))
        assert key.count(";") == len(numbered) - 1
    assert any("Dotted ring" in n for n in notes)


def _label_box(note) -> tuple[float, float, float, float]:
    """A network label's box in plot pixels (y down), from the annotation as drawn: its anchor point,
    its shift, its anchors and its text measured at its size."""
    from dashboard.views.network import figure

    plain = html.unescape(re.sub(r"<[^>]+>", "", note.text.replace("<br>", "\n")))
    w, h = figure.text_size(plain, note.font.size)
    x, y = note.x + (note.xshift or 0), -(note.y + (note.yshift or 0))
    left = {"left": x, "center": x - w / 2, "right": x - w}[note.xanchor]
    top = {"top": y, "middle": y - h / 2, "bottom": y - h}[note.yanchor]
    return left, top, left + w, top + h


def _apart(a, b) -> bool:
    return a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]


def test_a_number_crowded_beside_its_mark_goes_further_out_with_a_line_back_to_it():
    """The export numbers a mark whose label fits nowhere; when every spot beside the mark is taken,
    the number sits up to two type sizes further out, clear of the rest, and a line leads to it."""
    from dashboard.views.network import figure

    centre, reach, font = (100.0, 100.0), 5.0, 11
    crowd = (75.0, 75.0, 125.0, 125.0)  # other labels all around the mark
    placed, numbered = figure.place_labels(
        {"a": "x" * 80},  # wider than the area: numbered
        {"a": centre}, {"a": reach}, {"a": figure._square(centre, reach)}, [], (400, 400), font,
        obstacles=[crowd],
    )  # fmt: skip
    assert placed == {} and len(numbered) == 1
    node, spot = numbered[0]
    box = (spot.left, spot.top, spot.right, spot.bottom)
    assert node == "a" and not figure._overlaps(box, crowd)
    assert len(figure._leader(centre, reach, spot)) == 1
    beside = figure.candidates(centre, reach, figure.text_size("1", font))[0]
    assert figure._leader(centre, reach, beside) == []  # a number right beside its mark needs no line


@pytest.mark.parametrize("area", [(1100, 420), (700, 700)])
def test_the_exported_focus_is_named_not_numbered(model, area):
    """The export's title names the focus: its mark is labelled first, before the biggest marks
    (at 16 px type the focus used to get a number)."""
    from dashboard.views.network import figure

    focus = "Nayib Bukele"
    graph = net.build_graph(model.statements, model.entities, NetworkView(focus=focus, hops=2))
    drawn = figure.network_figure(graph, style.side_colours(["MS-13"]), area, focus, font=16)
    assert focus not in " ".join(figure.figure_notes(drawn))
    assert any(focus in (a.text or "") for a in drawn.layout.annotations)


def test_presentation_mode_opens_the_graph_large_with_labels_of_18_px(open_page):
    at = open_page("network", present="1")
    assert at.title[0].value.startswith("The Rubio")
    srcdoc = at.get("iframe")[0].proto.srcdoc
    assert f"{net.PRESENT_CANVAS[1]}px" in srcdoc  # the canvas fills the projector's screen
    assert "var needed = 18 /" in srcdoc  # the graph opens zoomed until a label is 18 px on screen


@pytest.mark.parametrize(
    ("focus", "preset"),
    [(None, "social"), (None, "square"), (None, "article"), ("Nayib Bukele", "social"), ("Nayib Bukele", "square")],
)
def test_the_ten_most_connected_are_named_never_numbered_at_every_size(bundled, model, focus, preset):
    from dashboard.derive.context import Context, Options
    from dashboard.exports import registry
    from dashboard.views.network import figure

    options = Options(network=NetworkView(focus=focus, hops=2)) if focus else Options()
    context = Context.build(bundled, model).with_options(options)
    drawing = registry.draw("network", context, preset)
    graph = net.build_graph(model.statements, model.entities, options.network)
    named = [n for n in graph if not (graph.nodes[n].get("unnamed") and graph.nodes[n].get("kind") == "person")]
    tenth = sorted((graph.degree(n) for n in named), reverse=True)[9]
    top = [n for n in named if graph.degree(n) >= tenth]  # the ten most connected, and any as connected
    assert len(top) >= 10
    key = " ".join(figure.figure_notes(drawing.figure))
    written = " ".join((a.text or "").replace("<br>", " ") for a in drawing.figure.layout.annotations)
    for name in top:
        label = figure.short_label(name, graph.nodes[name])
        assert label in written and f" {label};" not in key and f" {label}." not in key, (name, key)
    # People the source does not name are drawn, and said once as a group, not labelled one by one.
    assert "Unnamed requested man" not in written
    # A numbered key is the last resort, and the editor is told when it is used.
    assert ("Numbered marks" in key) == any("are numbered" in w for w in drawing.warnings)


def test_printed_links_carry_certainty_by_colour_weight_and_dash_as_the_page_does(graph):
    from dashboard.views.network import figure
    from dashboard.views.network.page import EDGE_STYLE

    drawn = net.network_figure(graph, style.side_colours([]), area=(1128, 330))
    lines = [t for t in drawn.data if t.mode == "lines" and t.x is not None and t.x[0] is not None]
    drawn_styles = {(t.line.color, t.line.width, t.line.dash) for t in lines}
    for _, _, data in graph.edges(data=True):
        colour, width = EDGE_STYLE[data["certainty"]]
        assert (colour, min(width + (data["count"] - 1) * 1.2, 8.0), style.CERTAINTY_DASH[data["certainty"]]) in (
            drawn_styles
        )
    assert len({c for c, _, _ in drawn_styles}) >= 3  # stated, alleged and inferred told apart by colour too
    # The key draws each certainty as the links are drawn, and says that the lines are certainty.
    key = {t.name: t.line for t in drawn.data if t.legend == "legend2" and t.mode == "lines"}
    for certainty in {d["certainty"] for *_, d in graph.edges(data=True)}:
        line = key[certainty.capitalize()]
        assert (line.color, line.width, line.dash) == figure.edge_style(certainty)
    assert "certainty" in drawn.layout.legend2.title.text


def test_the_focus_links_say_their_relation_clear_of_every_label(model):
    from dashboard.views.network import figure

    focus = "Nayib Bukele"
    graph = net.build_graph(model.statements, model.entities, NetworkView(focus=focus, hops=2))
    drawn = net.network_figure(graph, style.side_colours([]), (1100, 420), focus, font=15)
    said = [a for a in drawn.layout.annotations if a.name == "network-relation"]
    words = [figure.relation_words(d) for s, t, d in graph.edges(data=True) if focus in (s, t) and s != t]
    words = [w for w in words if w]
    assert said and len(said) <= len(words)
    assert all(html.unescape(re.sub(r"<[^>]+>", "", a.text)) in words for a in said)
    assert all(len(html.unescape(re.sub(r"<[^>]+>", "", a.text)).split()) <= 4 for a in said)  # a few words
    labels = [_label_box(a) for a in drawn.layout.annotations if a.name == "network-label"]
    for note in said:
        w, h = figure.text_size(html.unescape(re.sub(r"<[^>]+>", "", note.text)), note.font.size)
        box = (note.x - w / 2, -note.y - h / 2, note.x + w / 2, -note.y + h / 2)
        assert all(_apart(box, other) for other in labels)
    unsaid = len(words) - len(said)
    warned = " ".join(drawn.layout.meta["warnings"])
    assert (unsaid > 0) == ("do not say" in warned or "does not say" in warned)


@pytest.mark.parametrize("preset", ["social", "square", "article", "print"])
@pytest.mark.parametrize("view", ["network", "timeline"])
def test_chart_labels_are_at_least_the_body_size_of_the_preset(bundled, model, view, preset):
    """Names and event labels read on a phone as the legend does: at the preset's body size (15 px on
    a social card, 21 on a square, 19 in an article). A timeline whose key moments bunch sets them a
    few sizes smaller, never below the preset's minimum, so its lanes keep room, and says so."""
    from dashboard.derive.context import Context
    from dashboard.exports import registry, render

    drawing = registry.draw(view, Context.build(bundled, model), preset)
    name = "network-label" if view == "network" else "timeline-label"
    sizes = [a.font.size for a in drawing.figure.layout.annotations if a.name == name]
    scale = render.PRESETS[preset].type
    assert sizes and scale.label == scale.body and scale.label >= render.PRESETS["social"].type.body == 15
    if view == "network":
        assert min(sizes) >= scale.label
    else:
        assert min(sizes) >= scale.minimum and len(set(sizes)) == 1
        said = any(f"set at {min(sizes)} px instead of {scale.label}" in w for w in drawing.warnings)
        assert said == (min(sizes) < scale.label)


@pytest.mark.parametrize("people", [("Nayib Bukele",), ("César López Larios",), ("Nayib Bukele", "Marco Rubio")])
def test_one_person_in_the_filter_is_the_printed_network_s_focus(bundled, model, people):
    """ "Who is linked to Nayib Bukele": the one person the image is about is ringed and named in bold,
    and their links say their relation, as a focus's do; two people make no one the focus."""
    from dashboard.derive import filters as flt
    from dashboard.derive.context import Context
    from dashboard.exports import registry

    drawing = registry.draw("network", Context.build(bundled, model, flt.Filters(people=people)), "social")
    notes = drawing.figure.layout.annotations
    bold = [
        html.unescape(re.sub(r"<[^>]+>", "", a.text))
        for a in notes
        if a.name == "network-label" and a.text.startswith("<b>") and not re.fullmatch(r"<b>\d+</b>", a.text)
    ]
    said = [a for a in notes if a.name == "network-relation"]
    if len(people) == 1:
        assert bold == list(people) and said
    else:
        assert bold == [] and said == []
