from datetime import date

import pytest

from dashboard.dates import display, parse_partial


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
