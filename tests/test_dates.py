from datetime import date

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.dates import certainly_valid, display, parse_partial


@pytest.mark.parametrize(
    ("text", "start", "end", "precision"),
    [
        ("2021", date(2021, 1, 1), date(2021, 12, 31), "year"),
        ("2025-03", date(2025, 3, 1), date(2025, 3, 31), "month"),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29), "month"),
        ("2025-03-13", date(2025, 3, 13), date(2025, 3, 13), "day"),
    ],
)
def test_parse_keeps_precision(text, start, end, precision):
    parsed = parse_partial(text)
    assert (parsed.start, parsed.end, parsed.precision, parsed.iso) == (start, end, precision, text)


@pytest.mark.parametrize(
    ("text", "advice"),
    [
        ("13/03/2025", "write 2025-03-13"),
        ("03/13/2025", "write 2025-03-13"),
        ("03/04/2025", "ambiguous; write 2025-04-03 or 2025-03-04"),
        ("2025/03/13", "write 2025-03-13"),
        ("March 13, 2025", "write 2025-03-13"),
        ("13 March 2025", "write 2025-03-13"),
        ("March 2025", "write 2025-03"),
        ("2025-02-30", "February 2025 has 28 days"),
        ("2025-13", "month 13 does not exist"),
        ("soon after", "YYYY-MM-DD, YYYY-MM or YYYY"),
    ],
)
def test_bad_dates_say_how_to_fix_them(text, advice):
    with pytest.raises(ValueError, match=advice):
        parse_partial(text)


def test_display_is_honest_about_precision():
    assert display(parse_partial("2021")) == "2021"
    assert display(parse_partial("2025-03")) == "March 2025"
    assert display(parse_partial("2025-03-13"), inferred=True) == "13 March 2025 (inferred)"
    assert display(None) == "Undated"


@pytest.mark.parametrize(
    ("text", "start", "end", "shown"),
    [
        ("2022/..", date(2022, 1, 1), None, "2022 or later"),
        ("../2025-03-13", None, date(2025, 3, 13), "13 March 2025 or earlier"),
        ("2022/2025-03-13", date(2022, 1, 1), date(2025, 3, 13), "between 2022 and 13 March 2025"),
        ("2025-01/2025-03-13", date(2025, 1, 1), date(2025, 3, 13), "between January 2025 and 13 March 2025"),
        ("2025-03-13/2025-03", date(2025, 3, 13), date(2025, 3, 31), "between 13 March 2025 and March 2025"),
    ],
)
def test_intervals_and_open_bounds(text, start, end, shown):
    parsed = parse_partial(text)
    assert (parsed.start, parsed.end, parsed.precision, parsed.iso) == (start, end, "range", text)
    assert display(parsed) == shown
    assert parsed.open_end == (end is None) and parsed.open_start == (start is None)


@pytest.mark.parametrize(
    ("text", "advice"),
    [
        ("2025-03-13/2022", "ends before it begins; write the earlier bound first"),
        ("../..", "no bound at all"),
        ("2022/", "write .. for an open one"),
        ("2022/soon", "interval such as 2022/2025-03-13"),
        ("2021/2021", "same date at both ends; write 2021"),
        ("2022/2025-02-30", "February 2025 has 28 days"),
        # From issue 13: a typo of a year passed the check and crashed the timeline.
        ("1025-03-13", "outside 1900-2100"),
        ("9999", "outside 1900-2100"),
        ("2022/3025", "outside 1900-2100"),
        # Full-width and Arabic-Indic digits are digits to `\d`, not to a date parser downstream.
        ("２０２５-03-13", "ASCII"),
        ("٢٠٢٥", "ASCII"),
    ],
)
def test_bad_intervals_and_typos_say_how_to_fix_them(text, advice):
    with pytest.raises(ValueError, match=advice):
        parse_partial(text)


def test_display_says_what_is_inferred():
    assert display(parse_partial("2025-03-13"), inferred="year") == "13 March 2025 (year inferred)"
    assert display(parse_partial("2022/.."), inferred="date") == "2022 or later (inferred)"
    assert display(parse_partial("2021"), inferred="none") == "2021"


_DATE_ALPHABET = st.sampled_from(list("0123456789-/.  ") + ["２", "٢", "T", "X", "~", "?"])


@given(st.one_of(st.text(), st.text(alphabet=_DATE_ALPHABET, max_size=24)))
def test_any_text_gives_a_date_or_a_fix_never_a_crash(text):
    """Any cell: a PartialDate whose bounds are real days in 1900-2100 in order, or a ValueError."""
    try:
        parsed = parse_partial(text)
    except ValueError as err:
        assert str(err)
        return
    bounds = [b for b in (parsed.start, parsed.end) if b is not None]
    assert bounds and all(1900 <= b.year <= 2100 for b in bounds)
    assert parsed.start is None or parsed.end is None or parsed.start <= parsed.end
    assert parse_partial(parsed.iso) == parsed and display(parsed)


DATE_TEXT = (
    st.text(alphabet="0123456789-/.", max_size=12)
    | st.dates().map(lambda d: d.isoformat())
    | st.builds(lambda y, m: f"{y:04d}-{m:02d}", st.integers(0, 9999), st.integers(0, 13))
)


@settings(max_examples=300, deadline=None)
@given(st.lists(DATE_TEXT, max_size=20))
def test_certainly_valid_only_says_so_of_dates_that_parse(texts):
    for text, valid in zip(texts, certainly_valid(pa.array(texts, pa.string()))):
        if valid:
            assert parse_partial(text).precision in ("day", "month", "year"), text


def test_certainly_valid_passes_the_usual_dates_and_stops_impossible_ones():
    texts = ["2021", "2025-03", "2025-03-13", "2024-02-29", "2023-02-29", "2021-02-30", "1899", "2025-13", "2022/.."]
    assert certainly_valid(pa.array(texts)).tolist() == [True, True, True, True, False, False, False, False, False]
