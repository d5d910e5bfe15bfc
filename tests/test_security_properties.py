"""Hypothesis properties (issue 13): any share link gives filters and notices, never an exception;
any command line gives exit code 0, 1 or 2 and a message, never a traceback. Bounded and
derandomized so the suite stays fast and repeatable."""

from __future__ import annotations

import contextlib
import io
import string

import pytest
from helpers import SOURCE_NAME, SOURCE_TEXT, small_rows, to_csv
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard import __main__ as cli
from dashboard.derive import filters as flt

SIDES = ("U.S. government", "Salvadoran government", "MS-13", "Press and critics", "Other")
BOUNDED = settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])

# Values a share link might hold: real ones, near misses, dates of any shape, payloads, junk.
REAL = ["Marco Rubio", "Vampiro", "lopez", "MS-13", "alleged", "include", "exclude", "2025-03", "2025-03-11"]
DATES = st.from_regex(r"\A-?\d{1,6}(-\d{1,3}(-\d{1,3})?)?\Z", fullmatch=True)
VALUE = st.one_of(st.sampled_from(REAL), DATES, st.text(max_size=80), st.text(max_size=3000).map(lambda t: t * 3))
QUERY = st.dictionaries(
    st.one_of(st.sampled_from(flt.QUERY_KEYS), st.text(max_size=10)), st.lists(VALUE, max_size=60), max_size=8
)


@BOUNDED
@given(params=QUERY)
def test_any_query_gives_filters_and_notices(model, params):
    parsed = flt.parse_query(params, model, SIDES)
    filters = parsed.filters
    assert set(filters.people) <= set(model.entities.index) and len(filters.people) <= flt.MAX_VALUES
    for bound in (filters.start, filters.end):
        assert bound is None or flt.EARLIEST <= bound <= flt.LATEST
    assert not (filters.start and filters.end and filters.start > filters.end)
    assert set(filters.sides) <= set(SIDES) and len(set(filters.sides)) == len(filters.sides)
    assert len(parsed.notices) <= len(flt.QUERY_KEYS) * (flt.MAX_NOTICES + 1) + 2
    assert all(isinstance(n, str) and len(n) < 600 for n in parsed.notices)
    # What the filters write back to the URL reads back as the same filters, without notices.
    again = flt.parse_query(flt.to_query(filters), model, SIDES)
    assert again.filters == filters and again.notices == []


# Command lines: the real vocabulary mixed with anything. No "/" in free text, so every path is
# relative to the test's own temporary folder (nothing outside it is read or written).
WORDS = ["check", "export", "timeline", "network", "cases", "--format", "csv", "html", "--preset", "social",
         "print", "--out", "--person", "Vampiro", "--start", "--end", "2025", "9999-01-01", "--exclude-undated",
         "--data", "data.csv", "story.csv", "out.csv", "", ".", "..", "-", "--", "--help", "-h"]  # fmt: skip
TOKEN = st.one_of(st.sampled_from(WORDS), st.text(alphabet=st.characters(exclude_characters="/\x00"), max_size=20))
ARGV = st.lists(TOKEN, max_size=10)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    """A folder with a small valid dataset (data.csv, seeds/) and a folder named story.csv."""
    folder = tmp_path_factory.mktemp("cli")
    (folder / "data.csv").write_text(to_csv(small_rows()), encoding="utf-8")
    (folder / "seeds").mkdir()
    (folder / "seeds" / SOURCE_NAME).write_text(SOURCE_TEXT, encoding="utf-8")
    (folder / "story.csv").mkdir()
    return folder


@BOUNDED
@given(argv=ARGV)
def test_any_command_line_exits_0_1_or_2_with_a_message(workdir, argv):
    if "--out" in argv:  # image formats would start Chromium: the fuzz is about arguments
        argv = [a for a in argv if a not in ("png", "svg")]
    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(workdir), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(argv)
    assert code in (0, 1, 2)
    printed = out.getvalue() + err.getvalue()
    assert printed.strip(), argv  # always says something
    assert "Traceback" not in printed
    assert not set(printed) & (set(map(chr, range(0x20))) - set(string.whitespace)), printed
