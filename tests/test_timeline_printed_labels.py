"""A printed timeline names its marks: every mark in view where there is room (key moments first),
measured on the figure as drawn: no two labels overlap, every label lies inside the canvas, for
every entity of the dataset as the person filter and for date windows around the story's events."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.derive import filters as flt
from dashboard.derive.context import Context, Options
from dashboard.exports import registry
from dashboard.exports.render import LINE
from dashboard.text import text_width

PRESETS = ("social", "square", "article")


def label_boxes(figure) -> list[tuple[float, float, float, float]]:
    """Each timeline label's box in canvas pixels (left, top, right, bottom), from the figure's own
    geometry: its axis domain and range, the margins, the annotation's anchor, shift and type."""
    layout = figure.layout
    margin = layout.margin
    plot_w = layout.width - margin.l - margin.r
    plot_h = layout.height - margin.t - margin.b
    boxes = []
    for note in layout.annotations:
        if note.name != "timeline-label":
            continue
        bottom, top = layout.yaxis.range
        axis = layout.xaxis2 if note.xref == "x2" else layout.xaxis
        start, end = (pd.Timestamp(v) for v in axis.range)
        d0, d1 = axis.domain or (0, 1)
        fraction = (pd.Timestamp(note.x) - start) / (end - start)
        x = margin.l + (d0 + fraction * (d1 - d0)) * plot_w + (note.xshift or 0)
        y = margin.t + (note.y - top) / (bottom - top) * plot_h
        lines = [html.unescape(re.sub(r"<[^>]+>", "", line)) for line in note.text.split("<br>")]
        pad = (note.borderpad or 0) + 1
        width = max(text_width(line, note.font.size) for line in lines) + 2 * pad
        height = len(lines) * note.font.size * LINE + 2 * pad
        left = {"left": x, "center": x - width / 2, "right": x - width}[note.xanchor]
        assert note.yanchor == "bottom"
        boxes.append((left, y - height, left + width, y))
    return boxes


def assert_labels_legible(drawing) -> None:
    figure = drawing.figure
    boxes = label_boxes(figure)
    for left, top, right, bottom in boxes:
        assert left >= 0 and top >= 0 and right <= figure.layout.width and bottom <= figure.layout.height
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)


def draw(bundled, model, filters, preset, labels="all"):
    context = Context.build(bundled, model, filters).with_options(Options(labels=labels))
    try:
        return registry.draw("timeline", context, preset)
    except registry.Refused:
        return None


@pytest.mark.parametrize("preset", PRESETS)
def test_every_person_filter_labels_its_marks_without_overlap(bundled, model, preset):
    for person in model.entities.index[PRESETS.index(preset) :: len(PRESETS)]:
        drawing = draw(bundled, model, flt.Filters(people=(person,)), preset)
        if drawing is not None:
            assert_labels_legible(drawing)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_date_windows_label_their_marks_without_overlap(bundled, model, data):
    days = sorted({d.date() for d in model.statements["date_start"].dropna()})
    day = data.draw(st.sampled_from(days))
    before, after = (data.draw(st.sampled_from([0, 3, 31, 400]), label=s) for s in ("before", "after"))
    person = data.draw(st.one_of(st.none(), st.sampled_from(list(model.entities.index))), label="person")
    filters = flt.Filters(people=(person,) if person else (), start=day - timedelta(days=before),
                          end=day + timedelta(days=after))  # fmt: skip
    drawing = draw(bundled, model, filters, data.draw(st.sampled_from(PRESETS)))
    if drawing is not None:
        assert_labels_legible(drawing)


@pytest.mark.parametrize("preset", PRESETS)
@pytest.mark.parametrize("person", ["Nayib Bukele", "Vladimir Arévalo Chávez"])
def test_a_filtered_export_names_its_marks(bundled, model, person, preset):
    """One person's timeline names more of its marks than its key moments (which keep their labels),
    at least three, and tells the editor how many have none; "key" and "none" label as asked."""
    drawing = draw(bundled, model, flt.Filters(people=(person,)), preset)
    figure = drawing.figure
    labelled = [a.text.replace("<br>", " ") for a in figure.layout.annotations if a.name == "timeline-label"]
    marks = sum(len(t.customdata) for t in figure.data if t.meta == "timeline-event" and t.xaxis in (None, "x"))
    key = draw(bundled, model, flt.Filters(people=(person,)), preset, labels="key").figure
    key_labels = [a.text.replace("<br>", " ") for a in key.layout.annotations if a.name == "timeline-label"]
    assert len(labelled) >= 3 and len(key_labels) < len(labelled) and set(key_labels) <= set(labelled)
    assert any("→" in label for label in labelled)  # a mark named by who it links
    unlabelled = marks - len(labelled)
    assert (unlabelled > 0) == any("have no label" in w for w in drawing.warnings)
    none = draw(bundled, model, flt.Filters(people=(person,)), preset, labels="none").figure
    assert not [a for a in none.layout.annotations if a.name == "timeline-label"]
