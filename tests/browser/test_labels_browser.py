"""Exported charts measured in Chromium: no text box over another text box or a mark, at every
newsroom size, and every key moment of a filtered window keeps its label."""

from __future__ import annotations

from datetime import date

import pytest
from overlaps import collisions, measure

from dashboard.dataset.model import events
from dashboard.derive import filters as flt
from dashboard.derive.context import Context
from dashboard.exports import registry, render

pytestmark = pytest.mark.browser

MARCH_2025 = flt.Filters(start=date(2025, 3, 1), end=date(2025, 3, 31))


@pytest.fixture(scope="module")
def renderer():
    return render.Renderer()


@pytest.fixture(scope="module")
def svg_page(chromium):
    page = chromium.new_page()
    yield page
    page.close()


def exported(bundled, model, renderer, view, preset, filters=None) -> bytes:
    context = Context.build(bundled, model, filters or flt.Filters())
    return registry.build(view, "svg", context, preset, renderer=renderer).data


@pytest.mark.parametrize("preset", ["social", "square", "article"])
@pytest.mark.parametrize("view", ["timeline", "network", "cases"])
def test_no_text_sits_on_another_text_or_a_mark(bundled, model, renderer, svg_page, view, preset):
    svg = exported(bundled, model, renderer, view, preset)
    assert collisions(svg_page, svg) == []


@pytest.mark.parametrize("preset", ["social", "square", "article"])
def test_every_key_moment_of_a_filtered_window_keeps_its_label(bundled, model, renderer, svg_page, preset):
    svg = exported(bundled, model, renderer, "timeline", preset, MARCH_2025)
    assert collisions(svg_page, svg) == []
    # A wrapped label is one text element whose lines join without a space: compare without spaces.
    shown = [t["text"].replace(" ", "").replace("\xa0", "") for t in measure(svg_page, svg)["texts"]]
    statements = events(Context.build(bundled, model, MARCH_2025).statements)
    keyed = statements.loc[(statements["label"] != "") & statements["date_start"].notna(), "label"]
    assert "Rubio–Bukele call" in set(keyed) and len(keyed) >= 4
    for label in keyed:
        assert label.replace(" ", "") in shown, label


def test_the_network_export_draws_the_pages_marks(bundled, model, renderer, svg_page):
    svg = exported(bundled, model, renderer, "network", "social").decode("utf-8")
    assert "×2" in svg  # merged links are counted as on the page
    assert "stroke-dasharray" in svg and "Dotted ring: a person the source does not name" in svg
