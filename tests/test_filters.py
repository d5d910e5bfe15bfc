"""The shared filters: matching people, dates at their precision, the URL form, the summary line."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from helpers import small_rows

from dashboard.dataset.model import build_model
from dashboard.derive import filters as flt
from dashboard.derive.filters import Filters

SIDES = ("U.S. government", "Salvadoran government", "MS-13", "U.S. law enforcement and courts",
         "Press and critics", "Other")  # fmt: skip


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Vampiro", "Vladimir Arévalo Chávez"),
        ("Lopez", "César López Larios"),
        ("lopez larios", "César López Larios"),
        ("crook", "Elmer Canales Rivera"),
        ("MARROQUIN", "Carlos Marroquín"),
        ("DOJ", "Justice Department"),
    ],
)
def test_people_match_by_alias_and_without_accents(model, typed, expected):
    assert expected in flt.match_people(typed, model.entities)


def test_every_word_must_match(model):
    assert flt.match_people("rubio bukele", model.entities) == []
    assert flt.match_people("", model.entities) == []


def test_person_filter_keeps_statements_involving_the_person_or_their_groups(model):
    shown = flt.apply(model, Filters(people=("César López Larios",)))
    involved = {"César López Larios", *model.groups_of("César López Larios")}
    assert not shown.empty
    assert (shown["subject"].isin(involved) | shown["object"].isin(involved)).all()
    # Statements about the nine as a group concern each of them.
    assert (shown["subject"] == "[The nine men Bukele requested]").any()
    assert not (shown["subject"] == "Douglas Farah").any()


def test_year_precision_overlaps_a_range_inside_its_year(model):
    """The 2021 indictment (a year) is inside a range that touches 2021 and outside one that doesn't."""
    in_range = flt.apply(model, Filters(start=date(2021, 6, 1), end=date(2021, 6, 30), include_undated=False))
    assert set(in_range["label"]) >= {"2021 indictment"}
    assert set(in_range["date"]) == {"2021"}
    outside = flt.apply(model, Filters(start=date(2022, 1, 1), end=date(2022, 12, 31), include_undated=False))
    assert "2021" not in set(outside["date"]) and "2022" in set(outside["date"])


def test_a_coarse_date_counts_for_any_day_it_may_fall_on(model):
    # A year counts for any of its days (the bundled data has no month-only date since issue 26).
    in_2021 = flt.apply(model, Filters(start=date(2021, 6, 1), end=date(2021, 6, 1), include_undated=False))
    assert set(in_2021["date"]) == {"2021"}
    shown = flt.apply(model, Filters(start=date(2025, 3, 20), end=date(2025, 3, 20), include_undated=False))
    # Issue 26: the deportation, from the March 13 call to the end of March, may fall on 20 March.
    assert "2025-03-13/2025-03" in set(shown["date"]) and "s001" in set(shown["id"])
    # Issue 11: intervals that may fall on that day count too (2025-01/2025-03 "at the time of the negotiations").
    assert all("/" in d for d in set(shown["date"]))


def test_undated_statements_follow_the_toggle(model):
    with_undated = flt.apply(model, Filters(start=date(2025, 3, 1), end=date(2025, 3, 31)))
    without = flt.apply(model, Filters(start=date(2025, 3, 1), end=date(2025, 3, 31), include_undated=False))
    assert with_undated["date_start"].isna().any()
    assert without["date_start"].notna().all() and len(without) < len(with_undated)


def test_side_and_certainty_filters(model):
    denied = flt.apply(model, Filters(certainties=("denied",)))
    assert not denied.empty and set(denied["certainty"]) == {"denied"}
    ms13 = flt.apply(model, Filters(sides=("MS-13",)))
    side = model.entities["side"]
    assert ((ms13["subject"].map(side) == "MS-13") | (ms13["object"].map(side) == "MS-13")).all()


def test_an_empty_result_is_an_empty_frame_not_an_error(model):
    shown = flt.apply(
        model, Filters(people=("Douglas Farah",), start=date(2021, 1, 1), end=date(2021, 12, 31), include_undated=False)
    )
    assert shown.empty and list(shown.columns) == list(model.statements.columns)


def test_query_round_trip(model):
    filters = Filters(
        people=("Marco Rubio", "Nayib Bukele"),
        start=date(2025, 3, 1),
        end=date(2025, 3, 31),
        sides=("MS-13",),
        certainties=("alleged", "denied"),
        include_undated=False,
    )
    parsed = flt.parse_query(flt.to_query(filters), model, SIDES)
    assert parsed.filters == filters and parsed.notices == []
    assert flt.to_query(Filters()) == {}


def test_bad_query_values_are_dropped_with_notices(model):
    params = {
        "person": ["Nobody Atall", "Vampiro"],
        "start": ["13/03/2025"],
        "end": ["2025-03-31"],
        "side": ["Martians"],
        "certainty": ["proven"],
        "undated": ["maybe"],
    }
    parsed = flt.parse_query(params, model, SIDES)
    assert parsed.filters == Filters(people=("Vladimir Arévalo Chávez",), end=date(2025, 3, 31))
    assert len(parsed.notices) == 5
    assert any("Nobody Atall" in n for n in parsed.notices)
    assert any("13/03/2025" in n and "YYYY-MM-DD" in n for n in parsed.notices)


def test_partial_dates_in_the_url_widen_to_what_they_cover(model):
    parsed = flt.parse_query({"start": ["2025-03"], "end": ["2025"]}, model, SIDES)
    assert (parsed.filters.start, parsed.filters.end) == (date(2025, 3, 1), date(2025, 12, 31))


def test_a_reversed_range_is_ignored_with_a_notice(model):
    parsed = flt.parse_query({"start": ["2025-03-31"], "end": ["2025-03-01"]}, model, SIDES)
    assert parsed.filters.start is None and parsed.filters.end is None and parsed.notices


def test_describe_says_what_is_shown(model):
    filters = Filters(people=("Marco Rubio",), start=date(2025, 3, 1), end=date(2025, 3, 31))
    line = flt.describe(filters, 12, 48, model)
    assert line == (
        "12 of 48 statements · Statements involving Marco Rubio · Dated 1 March 2025 to 31 March 2025"
        " · Undated statements included"
    )
    assert flt.describe(Filters(), 48, 48, model) == "48 of 48 statements · no filters"


def test_open_ended_events_overlap_every_window_after_their_start(model):
    """Issue 11: the denial (2022/..) has no end, so a start filter must not drop it for its NaT end."""
    late = flt.apply(model, Filters(start=date(2025, 3, 1), include_undated=False))
    assert "s070" in set(late["id"])
    window = flt.apply(model, Filters(start=date(2025, 3, 1), end=date(2025, 3, 31), include_undated=False))
    assert {"s070", "s075"} <= set(window["id"])
    # Still nothing before its start.
    before = flt.apply(model, Filters(end=date(2021, 12, 31), include_undated=False))
    assert "s070" not in set(before["id"])


def test_an_open_start_overlaps_every_window_before_its_end():
    """The mirror image: "../2025-03-11" (on or before) is kept by an end filter and by a start before it."""
    rows = small_rows()
    rows[0]["date"] = "../2025-03-11"
    frame = pd.DataFrame(rows).assign(row=range(2, 2 + len(rows)))
    built = build_model(frame)
    assert "t1" in set(flt.apply(built, Filters(end=date(2020, 1, 1), include_undated=False))["id"])
    assert "t1" in set(flt.apply(built, Filters(start=date(2025, 3, 1), include_undated=False))["id"])
    assert "t1" not in set(flt.apply(built, Filters(start=date(2025, 3, 12), include_undated=False))["id"])
    assert "t1" in set(flt.apply(built, Filters(include_undated=False))["id"])
