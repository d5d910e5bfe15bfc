"""The timeline's lanes: tall enough for their names, none drawn empty in a focused view, and the
open event marked in its lane. Over the bundled story in both lane modes, and over generated events."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from dashboard.dataset.model import events
from dashboard.dataset.schema import bundled_schema
from dashboard.views import timeline
from dashboard.views.timeline import placement

SIDES = bundled_schema().enum("side")


@pytest.fixture(scope="module", params=list(timeline.LANE_MODES))
def placed(request, model):
    return timeline.layout_timeline(
        timeline.TimelineData(events(model.statements), model.entities, SIDES, request.param)
    )


def name_lines(lanes: pd.DataFrame) -> pd.Series:
    return lanes["label"].str.count("<br>") + 1


def assert_lanes_hold_their_names(layout: timeline.TimelineLayout) -> None:
    lanes = layout.lanes
    # Each lane is at least as tall as its name's lines, so neighbouring names never overprint; the
    # lanes tile the axis; each mark sits inside its own lane.
    assert (lanes["height"] + 1e-9 >= name_lines(lanes) * placement.LANE_LINE_UNITS + 2 * placement.LANE_PAD).all()
    assert np.allclose(lanes["top"].iloc[1:], (lanes["top"] + lanes["height"]).iloc[:-1])
    bounds = lanes.set_index("key")
    top = layout.marks["lane"].map(bounds["top"])
    assert (layout.marks["y"] > top).all() and (
        layout.marks["y"] < top + layout.marks["lane"].map(bounds["height"])
    ).all()


def test_lanes_are_as_tall_as_their_names_on_a_laptop_and_a_phone(placed):
    assert (name_lines(placed.lanes) > 1).any()  # the check below bites: some names wrap
    assert_lanes_hold_their_names(placed)
    narrow = timeline.narrow_layout(placed)
    assert (name_lines(narrow.lanes) > name_lines(placed.lanes)).any()  # shorter lines on a phone...
    assert_lanes_hold_their_names(narrow)  # ...and lanes tall enough for them
    assert "admini|" not in narrow.lanes["label"].str.replace("<br>", "|").str.cat(sep="\n")  # no word cut in two


def test_the_busy_month_draws_only_the_lanes_that_hold_a_mark_there(placed):
    focus = placed.focus
    assert focus is not None
    view = timeline.within(placed, focus)
    drawn = timeline.drawn_in(placed.marks, focus)
    assert sorted(view.marks["id"]) == sorted(placed.marks.loc[drawn, "id"])
    held = set(view.marks["lane"])
    assert list(view.lanes["key"]) == [k for k in placed.lanes["key"] if k in held]  # same order, none empty
    assert_lanes_hold_their_names(view)
    if placed.lanes["key"].nunique() > len(held):  # by person, a lane of 2021 only is gone
        assert len(view.lanes) < len(placed.lanes)


def test_the_whole_span_keeps_every_lane(placed):
    assert timeline.within(placed, placed.whole) is placed


def test_what_the_busy_month_leaves_out_counts_what_it_draws(placed):
    words = timeline.outside_window(placed, placed.focus.label)
    drawn = int(timeline.drawn_in(placed.marks, placed.focus).sum())
    assert words.startswith(f"{drawn} of the {len(placed.marks)} dated events are drawn in {placed.focus.label}")
    assert f"the {len(placed.marks) - drawn} others" in words


def test_the_open_event_is_ringed_in_its_lane_and_its_lane_named_in_bold(placed, model):
    opened = placed.marks.iloc[len(placed.marks) // 2]
    figure = timeline.highlight(timeline.draw_timeline(placed, SIDES), placed, opened["id"])
    rings = [t for t in figure.data if t.meta == timeline.figure.OPEN_TRACE]
    assert len(rings) == 1 and list(rings[0].customdata) == [opened["id"]]
    assert (rings[0].x[0], rings[0].y[0]) == (opened["x"], opened["y"])
    bold = [text for text in figure.layout.yaxis.ticktext if text.startswith("<b>")]
    lane = placed.lanes.set_index("key").at[opened["lane"], "label"]
    assert bold == [f"<b>{lane}</b>"]
    unchanged = timeline.draw_timeline(placed, SIDES)
    assert (
        timeline.highlight(unchanged, placed, "no-such-id").to_json() == timeline.draw_timeline(placed, SIDES).to_json()
    )


@settings(max_examples=10, deadline=None, phases=[Phase.generate])
@given(
    days=st.lists(st.integers(0, 900), min_size=3, max_size=30),
    subjects=st.lists(
        st.sampled_from(["A very long name of a task force", "Al", "Bo Co", "Another person"]), min_size=30, max_size=30
    ),
)
def test_generated_events_get_lanes_that_hold_their_names_and_focus_drops_only_empty_lanes(days, subjects):
    start = pd.Timestamp("2022-01-01")
    rows = pd.DataFrame(
        {
            "id": [f"s{i}" for i in range(len(days))],
            "subject": subjects[: len(days)],
            "date": [(start + pd.Timedelta(days=d)).strftime("%Y-%m-%d") for d in days],
            "date_start": [start + pd.Timedelta(days=d) for d in days],
            "date_end": [start + pd.Timedelta(days=d) for d in days],
            "precision": "day",
            "date_open": "",
            "date_order": range(len(days)),
            "date_inferred": False,
            "certainty": "stated",
            "label": "",
            "summary": "x",
            "quote": "x",
            "attribution": "x",
            "source": "x",
            "relation_type": "",
            "object": "",
            "date_display": "x",
        }
    )
    entities = pd.DataFrame(
        {"side": ["Side one"] * 4}, index=["A very long name of a task force", "Al", "Bo Co", "Another person"]
    )
    hover = pd.Series("", index=rows.index)  # the hover text is not under test
    layout = timeline.layout_timeline(timeline.TimelineData(rows, entities, ["Side one"], "person", hover))
    assert_lanes_hold_their_names(layout)
    assert_lanes_hold_their_names(timeline.narrow_layout(layout))
    if layout.focus is not None:
        view = timeline.within(layout, layout.focus)
        drawn = timeline.drawn_in(layout.marks, layout.focus)
        assert set(view.lanes["key"]) == set(layout.marks.loc[drawn, "lane"])
