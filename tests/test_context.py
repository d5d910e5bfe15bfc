"""The one context (dataset, model, schema, filters) the pages, the command line and the exports share,
and the command line's date parsing, which no longer goes through the page's notice text."""

from __future__ import annotations

from datetime import date

import pytest

from dashboard.derive import filters as flt
from dashboard.derive.context import Context


def test_a_context_applies_its_filters_and_knows_the_sides(bundled, model):
    everything = Context.build(bundled, model)
    assert len(everything.statements) == len(model.statements) and everything.filters == flt.Filters()
    assert everything.sides == bundled.schema.enum("side") and everything.schema is bundled.schema
    rubio = Context.build(bundled, model, flt.Filters(people=("Marco Rubio",)))
    assert 0 < len(rubio.statements) < len(model.statements)
    assert everything.notice == bundled.schema.notice


def test_command_line_dates_are_read_as_links_are_and_refused_with_their_messages():
    from helpers import STORY

    from dashboard.derive.context import StateError, open_context

    context = open_context(STORY, {"start": ["2025"], "end": ["2025-03"]})
    assert (context.filters.start, context.filters.end) == (date(2025, 1, 1), date(2025, 3, 31))
    with pytest.raises(StateError, match="start=“2025-13”: dates are written YYYY-MM-DD"):
        open_context(STORY, {"start": ["2025-13"]})
    with pytest.raises(StateError, match="start 2025-01-01 is after end 2024-12-31"):
        open_context(STORY, {"start": ["2025"], "end": ["2024"]})
