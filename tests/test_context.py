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


def test_command_line_dates_are_parsed_with_their_own_messages():
    assert flt.date_range("2025", "2025-03") == (date(2025, 1, 1), date(2025, 3, 31))
    assert flt.date_range(None, None) == (None, None)
    with pytest.raises(ValueError, match="start=“2025-13”: dates are written YYYY-MM-DD"):
        flt.date_range("2025-13", None)
    with pytest.raises(ValueError, match="start 2025-01-01 is after end 2024-12-31"):
        flt.date_range("2025", "2024")
