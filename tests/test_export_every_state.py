"""Every image export works for every view state an editor can reach: every entity of the dataset
as the person filter, date windows around the story's events, every view at every preset. Each one
is drawn (figure, frame and layout, as the PNG and SVG show it) or refused with one line; a sample
is rendered to SVG by the one renderer of this module."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.derive import filters as flt
from dashboard.derive.context import Context
from dashboard.exports import publish, registry, render
from dashboard.exports.result import Refused
from dashboard.text import text_width

VIEWS = tuple(publish.DRAWINGS)
PRESETS = tuple(render.PRESETS)


@pytest.fixture(scope="module")
def renderer():
    return render.Renderer()


@pytest.fixture(scope="module")
def people(model):
    return list(model.entities.index)


@pytest.fixture(scope="module")
def event_days(model):
    return sorted({d.date() for d in model.statements["date_start"].dropna()})


def draw_or_refuse(context: Context, view: str, preset: str) -> publish.Drawing | None:
    """The drawing, or None when refused with one clear line; anything else fails the test."""
    try:
        drawing = registry.draw(view, context, preset)
    except Refused as err:
        message = str(err)
        assert message.strip() and "\n" not in message, repr(message)
        return None
    size = render.PRESETS[preset]
    assert (drawing.figure.layout.width, drawing.figure.layout.height) == (size.width, size.height)
    assert drawing.frame.title and drawing.alt_text
    return drawing


@pytest.mark.parametrize("view", VIEWS)
def test_every_entity_as_the_person_filter_draws_or_refuses(bundled, model, people, view):
    """Every entity, each at one preset in turn (so every preset is met a dozen times a view)."""
    for index, person in enumerate(people):
        context = Context.build(bundled, model, flt.Filters(people=(person,)))
        draw_or_refuse(context, view, PRESETS[(index + VIEWS.index(view)) % len(PRESETS)])


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_date_windows_around_the_storys_events_draw_or_refuse(bundled, model, people, event_days, data):
    day = data.draw(st.sampled_from(event_days), label="event day")
    before, after = (data.draw(st.sampled_from([None, 0, 1, 7, 31, 400]), label=s) for s in ("before", "after"))
    person = data.draw(st.one_of(st.none(), st.sampled_from(people)), label="person")
    filters = flt.Filters(
        people=(person,) if person else (),
        start=None if before is None else day - timedelta(days=before),
        end=None if after is None else day + timedelta(days=after),
    )
    context = Context.build(bundled, model, filters)
    draw_or_refuse(context, data.draw(st.sampled_from(VIEWS)), data.draw(st.sampled_from(PRESETS)))


@pytest.mark.parametrize(
    ("view", "person", "preset"),
    [("timeline", "Nayib Bukele", "square"), ("network", "César López Larios", "print"), ("cases", None, "article")],
)
def test_a_sample_renders_to_svg(bundled, model, renderer, view, person, preset):
    context = Context.build(bundled, model, flt.Filters(people=(person,) if person else ()))
    result = registry.build(view, "svg", context, preset, renderer=renderer)
    assert result.data.startswith(b"<svg") and f'width="{render.PRESETS[preset].width}"'.encode() in result.data


HEADLINE = "Bukele asked for nine MS-13 leaders; Rubio promised them all"  # 60 characters


@pytest.mark.parametrize("view", VIEWS)
def test_a_sixty_character_headline_fits_whole_at_every_preset(bundled, model, view):
    assert len(HEADLINE) == 60
    subtitle = "A subtitle as long as editors write them, long enough to need a second line at the square size"
    context = Context.build(bundled, model, flt.Filters(people=("Nayib Bukele",)))
    for name, preset in render.PRESETS.items():
        drawing = registry.draw(
            view, context, name, {"title": HEADLINE, "subtitle": subtitle, "byline": "Graphic by J"}
        )
        figure, pad = drawing.figure, round(preset.type.body * 1.6)
        title = render.frame_text(figure, "frame-title")
        assert " ".join(title) == HEADLINE and len(title) <= render.TITLE_LINES, (name, title)
        block = next(a for a in figure.layout.annotations if a.name == "frame-title")
        assert block.font.size >= preset.type.title * render.SMALLEST_TITLE
        assert all(text_width(line, block.font.size, bold=True) <= preset.width - 2 * pad for line in title)
        # Anchored at its top inside the canvas: paper y → pixels from the canvas's top edge.
        top_px = figure.layout.margin.t - (block.y - 1) * (
            preset.height - figure.layout.margin.t - figure.layout.margin.b
        )
        assert 0 < top_px < preset.height / 4, (name, top_px)
        assert " ".join(render.frame_text(figure, "frame-subtitle")) == subtitle
        assert "Statements involving Nayib Bukele" in " ".join(render.frame_text(figure, "frame-filters"))
        footer = " ".join(render.frame_text(figure, "frame-footer"))
        assert "Graphic: J" in footer and "Graphic: Graphic" not in footer


def test_a_headline_too_long_for_two_lines_is_set_smaller_then_wrapped_never_cut(bundled, model):
    context = Context.build(bundled, model)
    square = render.PRESETS["square"]
    longer = " ".join([HEADLINE] * 3)
    drawing = registry.draw("timeline", context, "square", {"title": longer})
    lines = render.frame_text(drawing.figure, "frame-title")
    assert " ".join(lines) == longer and len(lines) > 2
    assert any("headline takes" in w for w in drawing.warnings)
    three_lines = HEADLINE.replace(" all", " all, and the Justice Department moved to drop a case")
    shrunk = registry.draw("timeline", context, "square", {"title": three_lines})
    size = next(a.font.size for a in shrunk.figure.layout.annotations if a.name == "frame-title")
    assert square.type.title * render.SMALLEST_TITLE <= size < square.type.title
    assert len(render.frame_text(shrunk.figure, "frame-title")) == 2 and any("set at" in w for w in shrunk.warnings)
