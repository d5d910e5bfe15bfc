"""The story page's charts as SVG geometry (views/timeline/svg.py, views/network/svg.py) and what a
reader downloads: on the frozen bundled story, the page stays within 1.5 MB as written and 500 kB
gzipped, every dated event is one mark, the busy month has room, and every person and link of the
network is drawn with its tooltip."""

from __future__ import annotations

import datetime as dt
import gzip
import re

import pandas as pd
import pytest
from helpers import STORY
from hypothesis import example, given, settings
from hypothesis import strategies as st

from dashboard import style
from dashboard.dataset.model import dated, events
from dashboard.derive.context import open_context
from dashboard.exports import publish, story
from dashboard.text import text_width
from dashboard.views import network as net
from dashboard.views import timeline as tl
from dashboard.views.network import svg as network_svg
from dashboard.views.timeline import svg as timeline_svg

MAX_BYTES, MAX_GZIPPED = 1_500_000, 500_000
LAPTOP_COLUMN = 1060  # the page's column at 1440 px: 1100 px at most, less its 20 px margins


@pytest.fixture(scope="module")
def bundled():
    return open_context(STORY)


@pytest.fixture(scope="module")
def story_page(bundled) -> str:
    return story.story_html(bundled)


@pytest.fixture(scope="module")
def placed(bundled):
    data = tl.TimelineData(events(bundled.statements), bundled.model.entities, bundled.sides, bundled.options.lanes)
    return tl.layout_timeline(data)


@pytest.mark.slow  # a whole export, as the fast tier counts them
def test_the_story_page_stays_light(story_page):
    # What each reader downloads: no charting library, the charts as SVG, the evidence as HTML.
    data = story_page.encode("utf-8")
    assert len(data) <= MAX_BYTES, len(data)
    assert len(gzip.compress(data, compresslevel=6)) <= MAX_GZIPPED
    assert "Plotly" not in story_page and "vis.Network" not in story_page


def test_every_dated_event_is_one_mark_in_the_whole_span(bundled, placed):
    views = timeline_svg.timeline_views(placed, bundled.sides, timeline_svg.WIDE)
    whole = views[-1]
    assert whole["name"] == "Whole span" and len(whole["panels"]) == 1
    drawn = [mark["id"] for mark in whole["panels"][0]["marks"]]
    assert sorted(drawn) == sorted(dated(events(bundled.statements))["id"])
    # Each mark's tooltip starts with the date as the source gives it (never a guessed day).
    shown = bundled.statements.set_index("id")
    for mark in whole["panels"][0]["marks"]:
        assert mark["title"] == f"{shown.at[mark['id'], 'date_display']}: {shown.at[mark['id'], 'summary']}"


def test_a_hollow_mark_is_a_date_the_source_only_implies(bundled, placed):
    marks = timeline_svg.timeline_views(placed, bundled.sides, timeline_svg.WIDE)[-1]["panels"][0]["marks"]
    inferred = placed.marks.set_index("id")["date_inferred"].astype(bool)
    for mark in marks:
        assert (mark["fill"] == "#ffffff") == bool(inferred[mark["id"]]), mark["id"]


def test_the_busy_month_has_room_and_the_whole_span_is_one_click_away(bundled, placed):
    views = timeline_svg.timeline_views(placed, bundled.sides, timeline_svg.WIDE)
    assert [v["name"] for v in views][-1] == "Whole span" and len(views) == 2
    first = views[0]
    assert len(first["panels"]) == 2 and "broken" in first["note"]  # context, then the focus
    focus = first["panels"][1]
    start, end = pd.Timestamp(focus["start"]), pd.Timestamp(focus["end"])
    per_day = focus["width"] / ((end - start) / pd.Timedelta(days=1)) * LAPTOP_COLUMN / first["width"]
    assert 4 * per_day >= 40  # 11 and 15 March 2025 at 1440 px
    narrow = tl.narrow_layout(placed)
    phone = timeline_svg.timeline_views(narrow, bundled.sides, timeline_svg.NARROW)
    assert phone[0]["name"] == "March 2025" and phone[-1]["name"] == "Whole span"


def test_labels_are_plain_text_and_every_key_moment_is_labelled(bundled, placed):
    view = timeline_svg.timeline_views(placed, bundled.sides, timeline_svg.WIDE)[0]
    labelled = {label["id"] for panel in view["panels"] for label in panel["labels"]}
    keyed = placed.marks[placed.marks["label"] != ""]
    assert labelled == set(keyed["id"])
    for panel in view["panels"]:
        for label in panel["labels"]:
            assert all("&" not in line["text"] and "<" not in line["text"] for line in label["lines"])


@settings(max_examples=60, deadline=None)
@given(
    start=st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2030, 1, 1)),
    days=st.floats(min_value=2, max_value=40 * 365),
    width=st.floats(min_value=120, max_value=1400),
)
# Half years 1 Jan 2000 → 1 Jul 2000 (182 days) then → 1 Jan 2001 (184): the first gap is not the closest.
@example(start=dt.datetime(2000, 1, 1), days=1183.0, width=798.0)
def test_axis_dates_sit_in_their_panel_in_order_and_apart(start, days, width):
    window = tl.Window(pd.Timestamp(start), pd.Timestamp(start) + pd.Timedelta(days=days), "")
    ticks = timeline_svg.axis_ticks(window, width)
    xs = [tick["x"] for tick in ticks]
    assert all(-0.1 <= x <= width + 0.1 for x in xs)
    assert xs == sorted(xs)
    for a, b in zip(ticks, ticks[1:]):
        # Two dates (centred on their x) never overprint: half of each as drawn, and the gap between.
        half_widths = (
            text_width(a["text"], timeline_svg.TICK_FONT_PX) + text_width(b["text"], timeline_svg.TICK_FONT_PX)
        ) / 2
        assert b["x"] - a["x"] >= half_widths + timeline_svg.TICK_GAP_PX - 0.2  # x is rounded to 0.1 px


@pytest.mark.parametrize("symbol", ["circle", "diamond", "x", "triangle-up", "circle-open", "diamond-open-dot"])
def test_every_certainty_shape_is_a_closed_path(symbol):
    drawn = timeline_svg.mark_style(symbol, "#123456")
    assert re.fullmatch(r"M[-0-9.,ALZ ]+Z", drawn["path"])
    assert drawn["dot"] == symbol.endswith("-open-dot")
    assert drawn["fill"] == ("#ffffff" if "-open" in symbol else "#123456")


def test_the_network_draws_every_entity_and_link_with_its_tooltip(bundled):
    graph = publish.network_graph(bundled.model, bundled.statements, bundled.options)
    positions = net.layout_positions(graph)
    drawing = network_svg.network_drawing(graph, positions, style.side_colours(bundled.sides))
    assert len(drawing["nodes"]) == graph.number_of_nodes() and len(drawing["edges"]) == graph.number_of_edges()
    left, top, width, height = drawing["box"]
    for node in drawing["nodes"]:
        assert left < node["x"] < left + width and top < node["y"] < top + height
    unnamed = {n for n, d in graph.nodes(data=True) if d["unnamed"]}
    assert {node["name"] for node in drawing["nodes"] if node["dashes"]} == {graph.nodes[n]["display"] for n in unnamed}
    alleged = [e for e in drawing["edges"] if e["colour"] == net.page.EDGE_STYLE["alleged"][0]]
    assert alleged and all(e["dashes"] == "8 5" for e in alleged)  # never a solid line for an accusation
    assert all(e["title"] for e in drawing["edges"]) and all(n["title"] for n in drawing["nodes"])
    # Each link carries the statements it merges; each entity, those of all its links.
    for edge, (_, _, data) in zip(drawing["edges"], graph.edges(data=True)):
        assert edge["statements"].split() == [statement["id"] for statement in data["statements"]]
    rubio = next(node for node in drawing["nodes"] if node["name"] == "Marco Rubio")
    assert "s004" in rubio["statements"].split()


def test_past_the_density_limit_the_timeline_counts_per_period(bundled, monkeypatch):
    monkeypatch.setattr(tl, "DENSITY_MARKS", 5)
    views, key = story.timeline_drawings(bundled)
    assert len(views["wide"]) == len(views["narrow"]) == 1
    bars = views["wide"][0]["panels"][0]["bars"]
    counted = sum(int(re.search(r": ([\d,]+) dated events", bar["title"]).group(1)) for bar in bars)
    assert (
        counted
        == len(dated(events(bundled.statements)))
        - tl.density_counts(tl.TimelineData(events(bundled.statements), bundled.model.entities, bundled.sides)).coarser
    )
    assert key["sides"] and key["marks"] == []


@pytest.mark.slow  # a whole export
def test_a_counted_timeline_offers_no_view_buttons_and_says_what_a_column_is(bundled, monkeypatch):
    monkeypatch.setattr(tl, "DENSITY_MARKS", 5)
    html = story.story_html(bundled)
    assert 'class="view-buttons"' not in html and "Point at a column for its count" in html
    assert 'class="mark" data-statement' not in html and "dated events (stated" in html
