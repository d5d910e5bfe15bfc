"""The timeline figure, its layout and the page: marks, precision, labels, escaping, selection, filters."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from helpers import chart_specs, page_text, small_rows

from dashboard import style
from dashboard.app import ui
from dashboard.dataset.model import build_model, events
from dashboard.dataset.schema import bundled_schema
from dashboard.derive import filters as flt
from dashboard.derive import selection
from dashboard.views import timeline
from dashboard.views.timeline import placement

SIDES = bundled_schema().enum("side")
ATTACK = "<img src=x onerror=alert(1)>"


def event_points(figure) -> list[str]:
    """Statement ids of every event mark in a figure (or its JSON), trace by trace."""
    data = figure["data"] if isinstance(figure, dict) else [t.to_plotly_json() for t in figure.data]
    return [i for trace in data if trace.get("meta") == timeline.EVENT_TRACE for i in trace["customdata"]]


def mark(layout: timeline.TimelineLayout, statement_id: str) -> pd.Series:
    return layout.marks.set_index("id").loc[statement_id]


@pytest.fixture(scope="module")
def bundled_events(model):
    return events(model.statements)


# --- what is drawn -------------------------------------------------------------------------------


def test_one_mark_per_dated_event_and_none_for_profiles(model, bundled_events):
    figure = timeline.timeline_figure(timeline.TimelineData(bundled_events, model.entities, SIDES))
    points = event_points(figure)
    expected = bundled_events.loc[bundled_events["date_start"].notna(), "id"]
    assert sorted(points) == sorted(expected) and len(points) == len(set(points))
    profiles = set(model.statements.loc[model.statements["statement_type"] == "profile", "id"])
    assert not profiles & set(points)


@pytest.mark.parametrize("lanes", list(timeline.LANE_MODES))
def test_one_mark_per_dated_event_in_the_person_filter(model, lanes):
    # A person filter keeps statements about López Larios and about groups he belongs to.
    shown = events(flt.apply(model, flt.Filters(people=("César López Larios",))))
    figure = timeline.timeline_figure(timeline.TimelineData(shown, model.entities, SIDES, lanes))
    points = event_points(figure)
    assert sorted(points) == sorted(shown.loc[shown["date_start"].notna(), "id"])
    assert {"s030", "s031", "s066", "s090", "s006"} <= set(points)  # s006 is about the nine men
    assert "s010" not in points  # Rubio's assurance to Bukele: not about López Larios


def test_the_2021_indictment_is_a_bar_over_its_year_not_a_point_on_january_1(model, bundled_events):
    layout = timeline.layout_timeline(timeline.TimelineData(bundled_events, model.entities, SIDES))
    indictment = mark(layout, "s066")
    assert indictment["precision"] == "year" and indictment["is_span"]
    assert indictment["x"] == pd.Timestamp("2021-07-02 12:00")  # the middle of the year
    assert (indictment["x0"], indictment["x1"]) == (pd.Timestamp("2021-01-01"), pd.Timestamp("2022-01-01"))
    figure = timeline.timeline_figure(timeline.TimelineData(bundled_events, model.entities, SIDES))
    bars = [t for t in figure.data if t.type == "bar"]
    starts = [pd.Timestamp(b) for bar in bars for b in bar.base]
    assert pd.Timestamp("2021-01-01") in starts
    year_bar = next(bar for bar in bars if pd.Timestamp("2021-01-01") in [pd.Timestamp(b) for b in bar.base])
    assert max(year_bar.x) == pytest.approx(365 * 24 * 3600 * 1000)  # the whole of 2021, in ms
    marks_at = {pd.Timestamp(x) for t in figure.data if t.meta == timeline.EVENT_TRACE for x in t.x}
    assert pd.Timestamp("2021-01-01") not in marks_at
    assert "2021" in [a.text for a in figure.layout.annotations]  # the date as the source gives it


def test_the_venezuelans_deportation_is_never_drawn_before_the_call(model, bundled_events):
    """Issue 26: “in the days before” the deportation came the March 13 call, so the bar runs from
    13 March to the end of the month, never from 1 March (before the call and the motion of 11 March)."""
    layout = timeline.layout_timeline(timeline.TimelineData(bundled_events, model.entities, SIDES))
    deported = mark(layout, "s001")
    assert deported["date_display"] == "between 13 March 2025 and March 2025 (inferred)"
    assert (deported["x0"], deported["x1"]) == (pd.Timestamp("2025-03-13"), pd.Timestamp("2025-04-01"))
    assert deported["x0"] >= mark(layout, "s010")["x0"] > mark(layout, "s090")["x0"]


def test_inferred_dates_are_hollow_and_certainty_has_its_own_shape(model, bundled_events):
    layout = timeline.layout_timeline(timeline.TimelineData(bundled_events, model.entities, SIDES))
    # Issue 11: the source prints "March 11" and only the year is inferred: hollow with a dot, not
    # the hollow of a date the source does not print at all (was "circle-open" for both).
    assert mark(layout, "s090")["symbol"] == "circle-open-dot"  # year inferred for "March 11"
    assert mark(layout, "s004")["symbol"] == "circle-open"  # the whole date inferred
    assert mark(layout, "s066")["symbol"] == "circle"  # 2021 is printed
    assert mark(layout, "s069")["symbol"] == style.CERTAINTY_SYMBOL["alleged"]  # an indictment's claim


def test_year_inferred_marks_are_drawn_unlike_date_inferred_ones(model, bundled_events):
    """In the figure object: year-inferred marks are in traces of their own symbol, each kind of
    inference has its own legend entry, and the hover says which was inferred."""
    figure = timeline.timeline_figure(timeline.TimelineData(bundled_events, model.entities, SIDES))
    symbol_of = {i: t.marker.symbol for t in figure.data if t.meta == timeline.EVENT_TRACE for i in t.customdata}
    inference = bundled_events.set_index("id")["date_inference"]
    year_inferred = {i for i in symbol_of if inference[i] == "year"}
    date_inferred = {i for i in symbol_of if inference[i] == "date"}
    assert year_inferred >= {"s010", "s013", "s031", "s090"} and date_inferred
    assert all(symbol_of[i].endswith("-open-dot") for i in year_inferred)
    assert all(symbol_of[i].endswith("-open") for i in date_inferred)
    assert all("-open" not in symbol_of[i] for i in set(symbol_of) - year_inferred - date_inferred)
    keys = {t.name: t.marker.symbol for t in figure.data if t.legend == "legend2"}
    assert keys["Hollow: date inferred"] == "circle-open"
    assert keys["Hollow with a dot: year inferred"] == "circle-open-dot"
    hover = timeline.layout_timeline(timeline.TimelineData(bundled_events, model.entities, SIDES)).marks
    hover = hover.set_index("id")["hover"]
    assert "Year inferred" in hover["s090"] and "Year inferred" not in hover["s004"]
    assert "Date inferred" in hover["s004"]


def test_a_range_is_a_bar_from_bound_to_bound_not_a_point_at_its_first_day(model, bundled_events):
    """2025-01/2025-03 ("at the time of the negotiations") is a bar from 1 January to the end of March."""
    layout = timeline.layout_timeline(timeline.TimelineData(bundled_events, model.entities, SIDES))
    talks = mark(layout, "s054")
    assert talks["precision"] == "range" and talks["is_span"]
    assert (talks["x0"], talks["x1"]) == (pd.Timestamp("2025-01-01"), pd.Timestamp("2025-04-01"))
    assert talks["x0"] < talks["x"] < talks["x1"]  # its mark in the middle, not on 1 January
    figure = timeline.timeline_figure(timeline.TimelineData(bundled_events, model.entities, SIDES))
    bars = [(pd.Timestamp(b), x) for t in figure.data if t.type == "bar" for b, x in zip(t.base, t.x)]
    assert (pd.Timestamp("2025-01-01"), pytest.approx(90 * 24 * 3600 * 1000)) in bars
    assert any("or a range" in (t.name or "") for t in figure.data if t.legend == "legend2")


def test_an_open_end_runs_to_the_right_edge_hatched_with_an_arrow(model, bundled_events):
    """2025-03-11/.. (on or after 11 March 2025) runs from its bound to the edge of the whole span."""
    layout = timeline.layout_timeline(timeline.TimelineData(bundled_events, model.entities, SIDES))
    after = mark(layout, "s093")
    assert after["date_open"] == "end" and after["is_span"]
    assert (after["x0"], after["x1"]) == (pd.Timestamp("2025-03-11"), layout.whole.end)
    assert after["date_text"] == "11 March 2025 or later"
    assert "Open end" in after["hover"]
    figure = timeline.timeline_figure(timeline.TimelineData(bundled_events, model.entities, SIDES))
    hatched = [t for t in figure.data if t.type == "bar" and t.marker.pattern.shape == "/"]
    assert hatched and all(pd.Timestamp(b) + pd.Timedelta(milliseconds=x) == layout.whole.end
                           for t in hatched for b, x in zip(t.base, t.x))  # fmt: skip
    arrows = [t for t in figure.data if t.type == "scatter" and isinstance(t.marker.symbol, tuple)
              and "triangle-right" in t.marker.symbol]  # fmt: skip
    assert arrows and all(pd.Timestamp(x) == layout.whole.end for t in arrows for x in t.x)
    legend = [t.name for t in figure.data if t.legend == "legend2"]
    assert "Hatched to the edge: no end given" in legend


def test_the_denial_is_drawn_beside_the_allegation_it_answers(model, bundled_events):
    """Issue 11: s070 (the Bukele government's denial, 2022/..) shares the lane of s069 (the 2022
    indictment's allegation), its bar starts where the allegation's year does, and it is drawn."""
    layout = timeline.layout_timeline(timeline.TimelineData(bundled_events, model.entities, SIDES))
    allegation, denial = mark(layout, "s069"), mark(layout, "s070")
    assert allegation["lane"] == denial["lane"]
    assert denial["x0"] <= allegation["x1"] and allegation["x0"] <= denial["x1"]  # x ranges overlap
    assert denial["x0"] == allegation["x0"] == pd.Timestamp("2022-01-01")
    assert denial["x0"] <= allegation["x"] <= denial["x1"]  # the denial's bar runs past the allegation's mark
    # Near it: only the lane's labelled marks (which go on top of a cluster) may sit between them.
    lane = layout.marks[layout.marks["lane"] == denial["lane"]]
    between = lane[(lane["y"] > min(allegation["y"], denial["y"])) & (lane["y"] < max(allegation["y"], denial["y"]))]
    assert (between["label"] != "").all()
    figure = timeline.timeline_figure(timeline.TimelineData(bundled_events, model.entities, SIDES))
    assert "s070" in event_points(figure)
    assert denial["symbol"] == style.CERTAINTY_SYMBOL["denied"] + "-open"
    assert "denied" in denial["hover"].lower() and "2022 or later (inferred)" in denial["hover"]


def test_colour_is_the_subjects_side_and_the_legends_explain_colour_shape_and_hollow(model, bundled_events):
    figure = timeline.timeline_figure(timeline.TimelineData(bundled_events, model.entities, SIDES))
    colours = style.side_colours(SIDES)
    for trace in figure.data:
        if trace.meta == timeline.EVENT_TRACE:
            sides = {
                model.entities.at[model.statements.set_index("id").at[i, "subject"], "side"] for i in trace.customdata
            }
            assert sides == {trace.legendgroup} and trace.marker.color == colours[trace.legendgroup]
    legend_one = {t.name for t in figure.data if t.showlegend is not False and t.legend in (None, "legend")}
    legend_two = {t.name for t in figure.data if t.legend == "legend2"}
    assert legend_one == {"U.S. government", "Salvadoran government", "MS-13", "U.S. law enforcement and courts"}
    assert style.CERTAINTY_LABEL["alleged"] in legend_two and style.CERTAINTY_LABEL["stated"] in legend_two
    assert any("Hollow" in n for n in legend_two) and any("year or month" in n for n in legend_two)


def test_hover_gives_date_as_given_note_summary_quote_attribution_and_certainty(model, bundled_events):
    hover = mark(timeline.layout_timeline(timeline.TimelineData(bundled_events, model.entities, SIDES)), "s031")[
        "hover"
    ]
    assert hover.startswith("<b>15 March 2025 (year inferred)</b>")
    assert "How the date was obtained: The source says “just two days after" in hover
    assert "“was deported to El Salvador just two days after Rubio’s call”" in hover
    assert "According to the article" in hover and "Certainty: stated" in hover
    assert all(len(line) <= 120 for line in hover.split("<br>"))  # wrapped


def test_dataset_text_is_escaped_everywhere_it_reaches_the_figure(make_dataset):
    from dashboard.dataset.validation import check_dataset

    rows = small_rows()
    for row in rows:
        row["summary"] = f"{ATTACK} {row['summary']}"
        row["label"] = "<b>bold</b>" if row["label"] else ""
    checked = check_dataset(make_dataset(rows=rows))
    built = build_model(checked.frame)
    happened = events(built.statements).copy()
    happened.loc[happened["id"] == "t1", "quote"] = "<script>alert(1)</script>"
    happened.loc[:, "attribution"] = "<i>someone</i>"
    entities = built.entities.copy()
    entities["side"] = "<svg onload=alert(1)>"
    for lanes in timeline.LANE_MODES:
        figure = timeline.timeline_figure(timeline.TimelineData(happened, entities, (), lanes))
        spec = figure.to_plotly_json()
        hovers = [h for t in spec["data"] if t.get("meta") == timeline.EVENT_TRACE for h in t["hovertext"]]
        assert hovers and all("&lt;img src=x onerror=alert(1)&gt;" in h for h in hovers)
        assert not any("<img" in h or "<script" in h or "<i>someone" in h for h in hovers)
        assert any("&lt;script&gt;" in h for h in hovers)
        texts = [a["text"] for a in spec["layout"]["annotations"]] + list(spec["layout"]["yaxis"]["ticktext"])
        texts += [t.get("name", "") for t in spec["data"]]
        assert "&lt;b&gt;bold&lt;/b&gt;" in texts
        assert not any("<b>bold" in s or "<svg" in s for s in texts)


def test_undated_events_are_listed_by_id(model, bundled_events):
    table = selection.undated_table(bundled_events)
    undated = bundled_events[bundled_events["date_start"].isna()]
    assert table["id"].tolist() == undated.sort_values("order")["id"].tolist()
    # Issue 11 bounded 19 more; issue 26 added one undated row (s117).
    assert len(table) == 37 and table["Order"].tolist() == list(range(1, 38))
    first = table.iloc[0]
    assert first["id"] == "s008" and first["About"] == "The nine men Bukele requested"
    assert first["Source"].startswith("./sources?statement=s008")
    assert not set(table["id"]) & set(
        event_points(timeline.timeline_figure(timeline.TimelineData(bundled_events, model.entities, SIDES)))
    )


def test_no_dated_event_gives_an_empty_figure_with_a_note(model, bundled_events):
    undated_only = bundled_events[bundled_events["date_start"].isna()]
    figure = timeline.timeline_figure(timeline.TimelineData(undated_only, model.entities, SIDES))
    assert event_points(figure) == []
    assert "No dated event" in figure.layout.annotations[0].text
    assert timeline.layout_timeline(timeline.TimelineData(bundled_events.iloc[0:0], model.entities, SIDES)) is None


def test_input_frames_are_not_mutated(model, bundled_events):
    before, entities_before = bundled_events.copy(), model.entities.copy()
    timeline.timeline_figure(timeline.TimelineData(bundled_events, model.entities, SIDES, "person"))
    pd.testing.assert_frame_equal(bundled_events, before)
    pd.testing.assert_frame_equal(model.entities, entities_before)


# --- layout: lanes, stacking, labels, zoom -------------------------------------------------------


def test_side_lanes_follow_the_storys_order_and_person_lanes_are_subjects(model, bundled_events):
    by_side = timeline.layout_timeline(timeline.TimelineData(bundled_events, model.entities, SIDES, "side"))
    assert by_side.lanes["key"].tolist() == [
        "U.S. government",
        "Salvadoran government",
        "MS-13",
        "U.S. law enforcement and courts",
    ]
    by_person = timeline.layout_timeline(timeline.TimelineData(bundled_events, model.entities, SIDES, "person"))
    subjects, lanes = set(timeline.dated(bundled_events)["subject"]), set(by_person.lanes["key"])
    if len(subjects) <= timeline.MAX_PERSON_LANES:
        assert lanes == subjects
    else:  # issue 11 dated more events: more subjects than lanes, the rest share one lane
        assert timeline.OTHERS_LANE in lanes and lanes - {timeline.OTHERS_LANE} < subjects
    own = by_person.marks[by_person.marks["lane"] != timeline.OTHERS_LANE]
    assert (own["lane"] == own["subject"]).all()
    # Grouped by side: the U.S. government's subjects come first.
    assert model.entities.at[by_person.lanes["key"].iloc[0], "side"] == "U.S. government"
    assert "The nine men Bukele<br>requested" in by_person.lanes["label"].tolist()  # brackets dropped, wrapped


def test_person_lanes_beyond_the_limit_share_one_lane(model, bundled_events):
    many = timeline.dated(bundled_events).iloc[[0] * 20].copy()
    many["subject"] = [f"Person {i}" for i in range(20)]
    many["id"] = [f"p{i}" for i in range(20)]
    many.iloc[:2, many.columns.get_loc("subject")] = "Person 0"  # the most frequent keeps a lane
    layout = timeline.layout_timeline(timeline.TimelineData(many, model.entities, SIDES, "person"))
    assert len(layout.lanes) == timeline.MAX_PERSON_LANES
    assert layout.lanes["key"].iloc[-1] == timeline.OTHERS_LANE
    assert "Person 0" in layout.lanes["key"].tolist()
    assert (
        len(event_points(timeline.timeline_figure(timeline.TimelineData(many, model.entities, SIDES, "person")))) == 20
    )


def test_marks_that_would_touch_are_stacked_not_overlapped(model, bundled_events):
    layout = timeline.layout_timeline(timeline.TimelineData(bundled_events, model.entities, SIDES))
    marks = layout.marks
    for _, row in marks.groupby(["lane_index", "sub"]):
        ordered = row.sort_values("px_lo")
        assert (ordered["px_lo"].iloc[1:].to_numpy() > ordered["px_hi"].iloc[:-1].to_numpy()).all()
    us = marks[marks["lane"] == "U.S. government"]
    assert us["y"].nunique() == len(us)  # the 11, 13 and March 2025 marks all on their own rows
    # A labelled mark sits on top of its cluster, so its leader meets it first.
    thirteenth = us[us["date"] == "2025-03-13"].sort_values("sub")
    assert thirteenth.iloc[0]["id"] == "s010"


@pytest.mark.parametrize("view", ["whole", "focus"])
def test_key_moment_labels_never_overlap_or_cross_a_leader(model, bundled_events, view):
    layout = timeline.layout_timeline(timeline.TimelineData(bundled_events, model.entities, SIDES))
    assert layout.unlabelled == ()
    labels = layout.labels.set_index("id")
    assert set(labels.index) == set(bundled_events.loc[bundled_events["label"] != "", "id"]) - set(
        timeline.undated(bundled_events)["id"]
    )
    window = layout.whole if view == "whole" else layout.focus
    if view == "focus":  # the focus button shows its own placement of the March labels
        labels = layout.focus_labels.set_index("id")
    assert_labels_apart(labels, window, at_least=4)  # the March cluster is in both views


def test_labels_near_the_left_edge_stack_without_crossing_leaders(model, bundled_events):
    # Three key moments a month apart at the start of a four-year span: their text runs right of
    # their leaders, so the later ones must sit lower or a leader would cut through a label.
    rows = timeline.dated(bundled_events)
    early = rows[rows["id"] == "s031"].iloc[[0, 0, 0]].copy()
    early["id"] = ["e1", "e2", "e3"]
    early["label"] = ["First key moment here", "Second key moment here", "Third key moment here"]
    for i, day in enumerate(["2021-01-10", "2021-02-10", "2021-03-10"]):
        early.iloc[i, early.columns.get_loc("date_start")] = pd.Timestamp(day)
        early.iloc[i, early.columns.get_loc("date_end")] = pd.Timestamp(day)
    frame = pd.concat([early, rows[rows["id"] == "s001"]])
    layout = timeline.layout_timeline(timeline.TimelineData(frame, model.entities, SIDES))
    assert layout.unlabelled == ()
    assert_labels_apart(layout.labels.set_index("id"), layout.whole, at_least=4)


def test_every_key_moment_of_march_2025_keeps_its_label(model, bundled_events):
    # The story's month as a filtered window: four key moments within five days, one of them a
    # month-only date drawn in the middle of March. Each keeps its label, its leader its own line.
    march = bundled_events[bundled_events["date_start"].between(pd.Timestamp("2025-03-01"), pd.Timestamp("2025-03-31"))]
    layout = timeline.layout_timeline(timeline.TimelineData(march, model.entities, SIDES))
    keyed = set(march.loc[march["label"] != "", "id"])
    assert {"s010", "s001", "s031", "s090"} <= keyed  # the Rubio–Bukele call among them
    assert layout.unlabelled == ()
    assert set(layout.labels["id"]) == keyed
    assert_labels_apart(layout.labels.set_index("id"), layout.whole, at_least=4)


def test_bunched_labels_fan_out_rather_than_share_one_leader(model, bundled_events):
    layout = timeline.layout_timeline(timeline.TimelineData(bundled_events, model.entities, SIDES))
    march = layout.labels[layout.labels["x"] >= pd.Timestamp("2025-03-01")]
    # Every key moment from March 2025 on (five since the open-ended judge's regret), none dropped.
    keyed = layout.marks[(layout.marks["label"] != "") & (layout.marks["x"] >= pd.Timestamp("2025-03-01"))]
    assert len(march) == len(keyed) >= 4 and march["label_x"].nunique() == len(march)


def test_a_published_timeline_breaks_its_axis_where_events_bunch(model, bundled_events):
    paper = timeline.Paper(1150, 420, 12)  # about the social preset's plot area, as publish.build measures it
    figure = timeline.timeline_figure(
        timeline.TimelineData(bundled_events, model.entities, SIDES), broken=True, paper=paper
    )
    context, focus = figure.layout.xaxis, figure.layout.xaxis2
    # The right panel holds March 2025 and, since a January–March bar runs into it, that bar's mark: the
    # note names the panel's real dates.
    note = figure.layout.meta["notes"][0]
    assert "The time axis is broken" in note and "to 1 April 2025 on the right" in note
    assert context.domain[1] < focus.domain[0]
    assert pd.Timestamp(context.range[1]) < pd.Timestamp("2023-06-01")
    assert pd.Timestamp(focus.range[0]) < pd.Timestamp("2025-03-01") < pd.Timestamp(focus.range[1])
    # Every event is drawn once in the panel whose window holds it; every key moment labelled once.
    written = [a.text.replace("<br>", " ") for a in figure.layout.annotations if a.xref in ("x", "x2")]
    key_moments = set(timeline.dated(bundled_events).query("label != ''")["label"])
    assert key_moments and all(written.count(label) == 1 for label in key_moments), (key_moments, written)
    assert sorted(event_points(figure)) == sorted(event_points(timeline.timeline_figure(
        timeline.TimelineData(bundled_events, model.entities, SIDES))) * 2)  # fmt: skip
    # The screen figure keeps one axis, its zoom buttons and range slider.
    screen = timeline.timeline_figure(timeline.TimelineData(bundled_events, model.entities, SIDES))
    assert "xaxis2" not in screen.layout.to_plotly_json() and screen.layout.updatemenus


def test_the_focus_button_shows_the_focus_placement(model, bundled_events):
    layout = timeline.layout_timeline(timeline.TimelineData(bundled_events, model.entities, SIDES))
    figure = timeline.draw_timeline(layout, SIDES)
    focus_button = figure.layout.updatemenus[0].buttons[1]
    traces, relayout, indices = focus_button.args
    assert list(indices) == [0] and figure.data[0].mode == "lines"  # trace 0: the leaders
    shown = [a["text"] for a in relayout["annotations"] if a["font"]["size"] == 12]
    assert sorted(shown) == sorted(layout.focus_labels["text"])


def assert_labels_apart(
    labels: pd.DataFrame, window: timeline.Window, at_least: int, plot_px: float = timeline.PLOT_PX
) -> None:
    """Inside the plot; no two labels on one tier overlap; no leader runs through a lower label;
    leaders (where they meet their text) at least LEADER_GAP apart and in the order of their marks,
    so none merge and none cross in the fan band."""
    boxes = {}
    span = (window.end - window.start).value
    for label in labels.itertuples():
        if not window.start <= label.x <= window.end:
            continue
        leader = (label.label_x - window.start).value / span * plot_px
        at = (label.x - window.start).value / span * plot_px
        left = placement._text_left(leader, _width(label.text), label.anchor)
        extent = (left, left + _width(label.text), leader, at)
        assert extent[0] >= 0 and extent[1] <= plot_px, label.Index
        boxes[label.Index] = (extent, label.tier)
    assert len(boxes) >= at_least
    for a, ((left_a, right_a, leader_a, at_a), tier_a) in boxes.items():
        for b, ((left_b, right_b, leader_b, at_b), tier_b) in boxes.items():
            if a == b:
                continue
            if tier_a == tier_b:
                assert right_a <= left_b or right_b <= left_a, (a, b)
            if tier_b > tier_a:  # b's leader runs down through a's tier
                assert not left_a < leader_b < right_a, (a, b)
            assert abs(leader_a - leader_b) >= placement.LEADER_GAP - 0.01, (a, b)
            if abs(at_a - at_b) > 0.5:
                assert (at_a - at_b) * (leader_a - leader_b) > 0, (a, b)


def _width(label_html: str) -> float:
    import html

    return placement.label_width([html.unescape(line) for line in label_html.split("<br>")])


def test_zoom_buttons_show_the_whole_span_and_the_march_days(model, bundled_events):
    figure = timeline.timeline_figure(timeline.TimelineData(bundled_events, model.entities, SIDES))
    buttons = figure.layout.updatemenus[0].buttons
    assert [b.label for b in buttons] == ["Whole span", "March 2025"]
    march = [pd.Timestamp(v) for v in buttons[1].args[1]["xaxis.range"]]  # method "update": (traces, layout)
    assert march[0] <= pd.Timestamp("2025-03-01") and march[1] >= pd.Timestamp("2025-04-01")
    assert march[1] - march[0] < pd.Timedelta(days=40)
    whole = [pd.Timestamp(v) for v in figure.layout.xaxis.range]
    assert whole[0] < pd.Timestamp("2021-01-01") and whole[1] > pd.Timestamp("2025-04-01")
    assert figure.layout.xaxis.rangeslider.visible


def test_no_focus_window_when_everything_is_within_a_month(bundled_events):
    march = bundled_events[bundled_events["date"].str.startswith("2025-03")]
    assert timeline.focus_window(march) is None
    assert timeline.focus_window(bundled_events).label == "March 2025"


# --- selection and details -----------------------------------------------------------------------


def test_a_selection_maps_back_to_statement_ids():
    # The shape st.plotly_chart returns: points with customdata, plus others without (bars).
    chosen = {
        "points": [
            {"curve_number": 3, "point_index": 0, "customdata": "s031"},
            {"curve_number": 0, "point_index": 2},
            {"curve_number": 4, "point_index": 1, "customdata": ["s010"]},
            {"curve_number": 3, "point_index": 0, "customdata": "s031"},
        ],
        "point_indices": [0, 2, 1, 0],
    }
    assert selection.selected_ids(chosen) == ["s031", "s010"]
    assert selection.selected_ids({"points": []}) == []
    assert selection.selected_ids(None) == []


def test_a_clicked_figure_point_maps_to_its_statement(model, bundled_events):
    # What the browser sends is the clicked trace's customdata at the point index.
    figure = timeline.timeline_figure(timeline.TimelineData(bundled_events, model.entities, SIDES))
    curve = next(i for i, t in enumerate(figure.data) if t.meta == timeline.EVENT_TRACE and "s031" in t.customdata)
    index = list(figure.data[curve].customdata).index("s031")
    point = {"curve_number": curve, "point_index": index, "customdata": figure.data[curve].customdata[index]}
    assert selection.selected_ids({"points": [point]}) == ["s031"]


def test_related_statements_are_about_the_same_people(model):
    related = selection.related_statements("s031", model.statements, model)
    assert "s031" not in set(related["id"])
    assert selection.statement_people("s031", model) == ["César López Larios"]  # El Salvador is a place
    involved = {"César López Larios", *model.groups_of("César López Larios")}
    assert (related["subject"].isin(involved) | related["object"].isin(involved)).all()
    assert {"s030", "s066", "s090", "s006"} <= set(related["id"])
    dated_part = related[related["date_start"].notna()]
    assert dated_part["date_start"].is_monotonic_increasing
    assert related["date_start"].isna().to_numpy()[len(dated_part) :].all()  # undated last
    assert selection.related_statements("nope", model.statements, model).empty


# --- the page ------------------------------------------------------------------------------------


def chart_spec(at) -> dict:
    return chart_specs(at)[0]


def test_page_with_a_person_filter_and_a_selected_event(model, open_page):
    at = open_page("timeline", person="César López Larios", event="s031")
    shown = events(flt.apply(model, flt.Filters(people=("César López Larios",))))
    # The busy month draws what falls in it (days, and bars reaching into it); the whole span all of them.
    placed = timeline.layout_timeline(timeline.TimelineData(shown, model.entities, SIDES))
    in_month = placed.marks.loc[timeline.drawn_in(placed.marks, placed.focus), "id"]
    assert 0 < len(in_month) < len(placed.marks)
    assert sorted(event_points(chart_spec(at))) == sorted(in_month)
    at.radio(key="range").set_value("Whole span").run()
    assert sorted(event_points(chart_spec(at))) == sorted(shown.loc[shown["date_start"].notna(), "id"])
    text = page_text(at)
    assert "López Larios was deported to El Salvador two days after Rubio's call" in text
    assert "> was deported to El Salvador just two days after Rubio’s call" in text
    assert "According to the article" in text and "statement=s031#quote-s031" in text
    assert "**Other statements about César López Larios**" in text
    assert "This statement is outside the current filters" not in text
    assert any(h.value == "15 March 2025 \\(year inferred\\) · López Larios deported" for h in at.header)
    related, dated, undated = (table.value for table in at.dataframe)
    # The dated events as a table too (the keyboard's way to them), in date order.
    dated_shown = shown[shown["date_start"].notna()].sort_values(["date_start", "order"], kind="stable")
    assert timeline_ids(dated, model) == dated_shown["id"].tolist()
    assert {"s030", "s066", "s090"} <= set(timeline_ids(related, model))  # other statements about him
    assert "Rubio assured Bukele that Bondi" not in " ".join(related["What the source says"])  # s010 is not
    assert related["Source"].str.contains("person=C%C3%A9sar").all()  # links keep the filters
    assert undated["Order"].tolist() == list(range(1, int(shown["date_start"].isna().sum()) + 1))
    assert set(timeline_ids(undated, model)) == set(shown.loc[shown["date_start"].isna(), "id"])


def timeline_ids(table: pd.DataFrame, model) -> list[str]:
    """Statement ids behind a table shown on the page (its links name them)."""
    return table["Source"].str.extract(r"statement=(\w+)")[0].tolist()


def test_page_lanes_switch_to_people(open_page):
    at = open_page("timeline")
    assert "U.S. government" in chart_spec(at)["layout"]["yaxis"]["ticktext"]
    at.radio(key="lanes").set_value("person").run()
    assert not at.exception
    ticks = chart_spec(at)["layout"]["yaxis"]["ticktext"]
    assert "Marco Rubio" in ticks and "U.S. government" not in ticks


def test_page_opens_on_the_busiest_month_and_the_whole_span_is_one_click_away(open_page):
    at = open_page("timeline")
    layout = chart_spec(at)["layout"]
    assert not layout.get("updatemenus")  # a radio above the chart instead: Tab reaches it, the URL keeps it
    march = [pd.Timestamp(v) for v in layout["xaxis"]["range"]]
    assert march[1] - march[0] < pd.Timedelta(days=40)  # the story's dense days get the room
    assert any("one click away" in c.value for c in at.caption)  # what the focused view leaves out, in words
    at.radio(key="range").set_value("Whole span").run()
    assert not at.exception
    whole_layout = chart_spec(at)["layout"]
    whole = [pd.Timestamp(v) for v in whole_layout["xaxis"]["range"]]
    assert whole[1] - whole[0] > pd.Timedelta(days=365 * 4)
    assert layout["height"] < whole_layout["height"]  # the month's fewer label tiers: a shorter chart


def test_page_explains_why_the_chart_holds_fewer_marks_than_the_statements_shown(open_page):
    at = open_page("timeline", person="Marco Rubio")
    counts = next(c.value for c in at.caption if c.value.startswith("Of these"))
    shown = at.markdown[0].value if "Showing" in at.markdown[0].value else ""
    assert "dated events, drawn on the chart" in counts and "no date for" in counts
    assert shown == "" or counts.split()[2] in shown  # the same number of statements as the filter line


def test_what_is_drawn_adds_up_to_the_statements_shown(model):
    words = timeline.what_is_drawn(model.statements)
    numbers = [int(n) for n in re.findall(r"\b(\d+)\b", words)]
    assert numbers[0] == len(model.statements) == sum(numbers[1:])
    assert "seeds" not in words and "profile" not in words


def test_page_says_when_the_selected_event_is_outside_the_filters(open_page):
    at = open_page("timeline", person="Marco Rubio", event="s031")
    assert any("outside the current filters" in w.value for w in at.warning)


def test_page_empty_state_is_a_message_not_an_error(open_page):
    at = open_page("timeline", start="1990-01-01", end="1990-12-31", undated="exclude")
    assert any("No event matches the filters" in i.value for i in at.info)
    assert not chart_specs(at)


def test_page_escapes_dataset_text(make_dataset, monkeypatch, open_page):
    rows = small_rows()
    rows[0]["summary"] = f"{ATTACK} moved to dismiss."
    rows[0]["label"] = "<b>[link](http://x)</b>"
    monkeypatch.setenv(ui.ENV_VAR, str(make_dataset(rows=rows)))
    at = open_page("timeline", event="t1")
    text = page_text(at)
    assert "&lt;img src=x onerror=alert\\(1\\)&gt;" in text and "<img" not in text
    heading = at.header[0].value
    # U+2060 (word joiner) keeps Streamlit from turning the bare URL into a link (issue 13).
    assert "&lt;b&gt;\\[link\\]\\(http\\:\u2060//x\\)&lt;/b&gt;" in heading and "<b>" not in heading
    hovers = [h for t in chart_spec(at)["data"] if t.get("meta") == timeline.EVENT_TRACE for h in t["hovertext"]]
    assert any("&lt;img src=x onerror=alert(1)&gt;" in h for h in hovers)


def test_a_phone_gets_labels_placed_in_its_width_and_short_lane_names(model, bundled_events):
    # The bundled story at a phone's plot width: every label of both views apart, no dates written
    # beside bars (they were placed for the desktop's width), lane names in short lines.
    placed = timeline.layout_timeline(timeline.TimelineData(bundled_events, model.entities, SIDES))
    narrow = timeline.narrow_layout(placed)
    assert_labels_apart(narrow.labels, narrow.whole, 3, timeline.NARROW_PX)
    assert_labels_apart(narrow.focus_labels, narrow.focus, 4, timeline.NARROW_PX)
    assert all(len(line) <= 12 for label in narrow.lanes["label"] for line in label.split("<br>"))
    figure = timeline.draw_timeline(narrow, SIDES)
    assert all(note["font"]["size"] != 11 for note in figure.layout.annotations)  # no date texts
    assert figure.layout.legend.title.side == "top"


def test_presentation_mode_heads_the_page_with_the_headline_and_draws_large_type(open_page):
    # For a projector at 1920×1080: the story's headline as the page title, the chart's title under
    # it, and the printed chart's broken axis (whole span and busy month side by side) in 18 px type.
    at = open_page("timeline", present="1")
    assert at.title[0].value.startswith("The Rubio")
    assert any("What happened, 2021 to 2025" in m.value for m in at.markdown)  # the chart's own headline
    layout = chart_spec(at)["layout"]
    assert layout["xaxis2"]["range"] and not layout.get("updatemenus")  # context and focus panels
    labels = [a for a in layout["annotations"] if a.get("yanchor") == "bottom" and a["text"] != "//"]
    assert labels and min(a["font"]["size"] for a in labels) >= 18
    assert layout["font"]["size"] >= 18 and layout["legend"]["font"]["size"] >= 18


@pytest.mark.parametrize("person", ["Nayib Bukele", "Vladimir Arévalo Chávez"])
def test_a_focus_widened_to_hold_every_mark_leaves_the_axis_whole(model, person):
    # Bukele's events: March 2025 and a January–March bar whose mark widens the focus to hold every
    # mark. There is nothing left for a context panel: one axis, no break (this crashed on NaT).
    shown = events(flt.apply(model, flt.Filters(people=(person,))))
    layout = timeline.layout_timeline(timeline.TimelineData(shown, model.entities, SIDES))
    assert placement.broken_axis(layout) is None
    figure = timeline.timeline_figure(
        timeline.TimelineData(shown, model.entities, SIDES), broken=True, paper=timeline.Paper(1150, 420, 12)
    )
    assert "xaxis2" not in figure.layout.to_plotly_json()
    assert sorted(event_points(figure)) == sorted(shown.loc[shown["date_start"].notna(), "id"])
