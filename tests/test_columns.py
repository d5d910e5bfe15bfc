"""Whole-column helpers: the same answers as Python cell by cell, whatever the engine."""

import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.dataset import columns
from dashboard.dataset.schema import bundled_schema

# Patterns that RE2 reads as Python does, and patterns that it would read otherwise (or not at all).
SAME = [
    bundled_schema().field("id").pattern,
    bundled_schema().field("date").pattern,
    "[A-Z]{2}-[0-9]+",
    "s[0-9]+|x.y",
    "[^,]*",
    "(a|b)*?c",
    "^é+$",
    r"\.",
]
OTHER = [r"\d+", r"\w+", r"a\b", "(?i)ab", "(a)\\1", "a(?=b)", "[[:alpha:]]+", "a{,2}", r"[\s]", "(?>a)"]
REFUSED_BY_RE2 = ["a\\Z", "a{1001}", "a*+", "(a)\\1", "a(?=b)", "(?>a)"]  # refused when a package loads
ALPHABET = st.sampled_from(
    ["a", "b", "c", "A", "Z", "s", "0", "9", "é", "ſ", "٣", "-", ".", "_", ",", "\n", " ", "y", "x"]
)


def test_patterns_are_sorted_into_the_right_engine():
    assert all(columns.re2_reads_as_python(p) for p in SAME)
    assert not any(columns.re2_reads_as_python(p) for p in OTHER)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet=ALPHABET, max_size=8), min_size=1, max_size=30))
def test_fullmatch_agrees_with_python_where_both_engines_read_a_pattern_alike(cells):
    column = pd.Series([c.strip() for c in cells], dtype="str")
    for pattern in SAME:
        expected = [re.fullmatch(pattern, c) is not None for c in column]
        assert columns.fullmatch(column, pattern).tolist() == expected, pattern


def test_fullmatch_runs_every_pattern_in_re2():
    """RE2's reading counts, even where Python's differs (its \\w is ASCII): never a backtracking engine."""
    column = pd.Series(["abc", "é", "a b"], dtype="str")
    assert columns.fullmatch(column, r"\w+").tolist() == [True, False, False]
    assert columns.fullmatch(column, r"(\w+\s?)*").tolist() == [True, False, True]
    for pattern in REFUSED_BY_RE2:
        with pytest.raises(pa.ArrowInvalid):
            columns.fullmatch(column, pattern)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet=ALPHABET, max_size=6), max_size=30), st.lists(st.text(alphabet=ALPHABET, max_size=6)))
def test_isin_and_strings_agree_with_python(cells, values):
    column = pd.Series(cells, dtype="str")
    assert columns.isin(column, values).tolist() == [c in set(values) for c in cells]
    assert columns.strings(column) == cells
    assert columns.contains(column, "a").tolist() == ["a" in c for c in cells]


@pytest.mark.parametrize("column", [pd.Series([], dtype="str"), pd.Series(["a", "b"], dtype=object)])
def test_empty_and_object_columns(column):
    assert columns.isin(column, ["a"]).tolist() == [c == "a" for c in column]
    assert columns.fullmatch(column, "a").tolist() == [c == "a" for c in column]


@given(
    st.lists(st.text(alphabet=ALPHABET, max_size=3), max_size=20), st.sampled_from([None, str, len]), st.integers(1, 4)
)
def test_has_repeats_agrees_with_python(cells, order, chunks):
    """In any order, and in increasing order, shorter first or not (told without sorting), in
    chunks as the reader gives them."""
    cells = sorted(cells, key=lambda cell: (len(cell), cell.encode()) if order is len else cell) if order else cells
    cut = max(1, len(cells) // chunks)
    parts = [pa.array(cells[i : i + cut], pa.large_string()) for i in range(0, len(cells), cut)]
    column = pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array(parts, pa.large_string())), dtype="str")
    assert columns.has_repeats(column) == (len(set(cells)) < len(cells))


@given(st.binary(max_size=40), st.binary(min_size=1, max_size=4))
def test_holds_finds_a_needle_wherever_it_lies(raw, needle):
    data = np.frombuffer(raw, dtype=np.uint8)
    original = columns._BLOCK
    try:
        columns._BLOCK = 3  # tiny blocks: needles across block edges
        assert columns._holds(data, needle) == (needle in raw)
    finally:
        columns._BLOCK = original


@pytest.mark.parametrize("dtype", ["str", "string[pyarrow]", "string[python]", object])
def test_every_text_column_comes_out_as_large_strings(dtype):
    column = pd.Series(["a", "é", ""], dtype=dtype)
    cells = columns.arrow(column)
    assert cells.type == pa.large_string() and cells.to_pylist() == ["a", "é", ""]


@given(st.lists(st.lists(st.text(max_size=40), max_size=20), max_size=5), st.integers(0, 3))
@settings(max_examples=60, deadline=None)
def test_longest_bytes_is_the_longest_cell_in_utf8(chunks, skip):
    """Read from the offsets, chunk by chunk (sliced chunks too): the longest cell's UTF-8 length."""
    arrays = [pa.array(cells, pa.large_string())[min(skip, len(cells)) :] for cells in chunks]
    cells = pa.chunked_array(arrays, pa.large_string())
    expected = max((len(cell.encode()) for array in arrays for cell in array.to_pylist()), default=0)
    assert columns.longest_bytes(cells) == expected
    assert columns.longest_bytes(cells.cast(pa.string())) == expected


@given(
    st.lists(st.text(alphabet=st.sampled_from(["a", "é", "ɏ", "ɐ", "а", "ё", "Ω", "ḁ", "中", "—", " "])), max_size=8)
)
def test_highest_byte_is_the_highest_byte_of_any_cell(cells):
    column = pd.Series(cells, dtype="str")
    expected = max((max(cell.encode()) for cell in cells if cell), default=0)
    assert columns.highest_byte(column) >= expected  # a buffer may hold more than its cells
    assert columns.highest_byte(column.iloc[: len(cells)].reset_index(drop=True)) >= expected


def test_no_character_beyond_the_latin_blocks_starts_below_the_scripts_screen():
    """UTF-8 keeps code point order: the first character the script check looks at (U+0250) leads with
    0xC9, so a column whose bytes stay below it holds none."""
    from dashboard.dataset import rowchecks

    assert chr(0x250).encode()[0] == rowchecks._BEYOND_LATIN_LEAD
    assert re.search(rowchecks._NOT_LATIN, chr(0x250)) and not re.search(rowchecks._NOT_LATIN, chr(0x24F))
    assert all(not re.search(rowchecks._NOT_LATIN, chr(code)) for code in range(0x250))


@settings(deadline=None)
@given(
    st.lists(st.text(alphabet=st.sampled_from(["a", "é", "а", "o", "ο", " ", "ɐ"]), max_size=4), min_size=1, max_size=8)
)
def test_check_scripts_names_every_mixed_name(subjects):
    from pathlib import Path

    from dashboard import names
    from dashboard.dataset.rowchecks import Rows, check_scripts

    schema = bundled_schema()
    frame = pd.DataFrame({c: pd.Series([""] * len(subjects), dtype="str") for c in schema.columns})
    frame["subject"] = pd.Series(subjects, dtype="str")
    frame["row"] = np.arange(2, len(subjects) + 2)
    found = [(p.row, p.column) for p in check_scripts(Rows(frame, schema, "f", {}, Path("/nonexistent")))]
    assert found == [(row, "subject") for row, name in zip(frame["row"], subjects) if names.mixed_scripts(name)]
