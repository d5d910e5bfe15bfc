"""URL parsing is bounded (issue 13): out-of-range dates, floods of values and huge values end in a
notice, and names are folded once per dataset, not once per value and entity."""

from __future__ import annotations

from datetime import date

import pytest

from dashboard import names
from dashboard.derive import filters as flt


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"start": ["9999-01-01"]}, "Ignored start=“9999-01-01”: dates run from 1900-01-01 to 2100-12-31."),
        ({"end": ["1800-01-01"]}, "Ignored end=“1800-01-01”"),
        ({"start": ["1899"]}, "Ignored start=“1899”"),
        ({"end": ["2101-01"]}, "Ignored end=“2101-01”"),
    ],
)
def test_dates_outside_the_widgets_range_are_ignored_with_a_notice(model, params, fragment):
    parsed = flt.parse_query(params, model, ())
    assert parsed.filters.start is None and parsed.filters.end is None
    assert any(fragment in notice for notice in parsed.notices), parsed.notices


def test_the_edges_of_the_range_are_kept(model):
    parsed = flt.parse_query({"start": ["1900"], "end": ["2100"]}, model, ())
    assert (
        (parsed.filters.start, parsed.filters.end)
        == (flt.EARLIEST, flt.LATEST)
        == (
            date(1900, 1, 1),
            date(2100, 12, 31),
        )
    )
    assert parsed.notices == []


def test_values_are_deduplicated_and_capped(model):
    people = list(model.entities.index)
    params = {"person": [people[0]] * 500 + people[1 : flt.MAX_VALUES + 10]}
    parsed = flt.parse_query(params, model, ())
    assert len(parsed.filters.people) == flt.MAX_VALUES
    assert len(set(parsed.filters.people)) == flt.MAX_VALUES
    assert any(f"Only the first {flt.MAX_VALUES} person values" in n for n in parsed.notices)


def test_notices_are_bounded_and_count_the_rest(model):
    parsed = flt.parse_query({"person": [f"Nobody {i}" for i in range(999)], "side": ["x"] * 999}, model, ())
    assert len(parsed.notices) <= 2 * (flt.MAX_NOTICES + 1) + 1
    assert any("Ignored 38 more person value(s)" in n for n in parsed.notices), parsed.notices


def test_a_huge_value_is_not_matched_and_not_echoed(model):
    parsed = flt.parse_query({"person": ["x" * 1_000_000], "undated": ["y" * 1_000_000]}, model, ())
    assert parsed.filters == flt.Filters()
    assert all(len(notice) < 300 for notice in parsed.notices)


def test_names_are_folded_once_per_dataset_not_per_value(model, monkeypatch):
    flt.parse_query({"person": ["warm up"]}, model, ())
    calls = []
    real = names.fold
    monkeypatch.setattr(names, "fold", lambda text: calls.append(text) or real(text))
    flt.parse_query({"person": [f"Nobody {i}" for i in range(flt.MAX_VALUES)]}, model, ())
    # Two folds per value (the exact lookup and the word search), none per entity.
    assert len(calls) <= 2 * flt.MAX_VALUES, len(calls)
    assert flt.resolve_person("marco rubio", model.entities) == "Marco Rubio"


def test_a_date_outside_the_widgets_range_set_by_code_does_not_crash(monkeypatch):
    """Code that sets the dates directly (a click on a density column of a dataset whose years run
    from a typo such as 1025) is caught too: the value is dropped before the widget is drawn."""
    from helpers import app

    from dashboard.app import ui

    far = flt.ParsedQuery(flt.Filters(start=date(1025, 3, 13), end=date(9999, 1, 1)))
    monkeypatch.setattr(flt, "parse_query", lambda *args: far)
    at = app().run()
    assert not at.exception, at.exception
    assert at.session_state[ui.K_START] is None and at.session_state[ui.K_END] is None
    assert at.text_input(key=ui.K_START_TEXT).value == "" and at.text_input(key=ui.K_END_TEXT).value == ""
