"""The byte screen that lets a file with no control or bidirectional character skip the cell search."""

import pyarrow as pa
from hypothesis import given
from hypothesis import strategies as st

from dashboard.dataset import loading
from dashboard.dataset.loading import BIDI_CHARS, strip_array, take_census

CONTROLS = [chr(c) for c in [*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F]]
# Characters whose UTF-8 shares a lead byte with a bidirectional control: they must not trip the screen.
NEIGHBOURS = "—–‘’“”…€\u2060\u2070\u202f\u0600\u061b\u061d"


def holds_controls(text: str) -> bool:
    return any(char in CONTROLS or char in BIDI_CHARS for char in text)


def test_every_control_and_bidirectional_character_is_caught_anywhere():
    for char in [*CONTROLS, *BIDI_CHARS]:
        for text in (char, f"id,quote\ns1,a{char}b\n", f"a,b\n{char}"):
            assert take_census(text.encode()).may_hold_controls, repr(char)


def test_text_with_dashes_quotes_accents_and_line_ends_passes():
    text = f"id,quote\r\ns1,\t“López” — {NEIGHBOURS} ñ 中文\n" * 50
    assert not take_census(text.encode()).may_hold_controls


@given(st.text(alphabet=st.sampled_from([*CONTROLS, *BIDI_CHARS, *NEIGHBOURS, "a", "é", "\n", "\t", "\r", ","])))
def test_the_screen_agrees_with_a_search_character_by_character(text):
    assert take_census(text.encode()).may_hold_controls == holds_controls(text)


@given(st.lists(st.text(alphabet=st.sampled_from([" ", "\t", "\u3000", "\x85", "\xa0", "a", "é", "—", "\u2028"]))))
def test_strip_array_strips_as_python_does(cells):
    assert strip_array(pa.array(cells, pa.large_string())).to_pylist() == [cell.strip() for cell in cells]


def test_a_character_split_across_two_blocks_is_caught(monkeypatch):
    monkeypatch.setattr(loading, "_BLOCK", 4)
    for char in [*CONTROLS, *BIDI_CHARS]:
        for offset in range(8):
            assert take_census(("a" * offset + char + "b" * offset).encode()).may_hold_controls, (repr(char), offset)
    for offset in range(8):
        assert not take_census(("a" * offset + NEIGHBOURS + "\n\t\r" + "b" * offset).encode()).may_hold_controls


def test_a_large_file_is_screened_alongside_the_parse(tmp_path, monkeypatch):
    """Past SCREEN_ALONGSIDE_FROM the screen runs on its own thread: its answer still reaches the table."""
    monkeypatch.setattr(loading, "SCREEN_ALONGSIDE_FROM", 1000)
    header = "id,quote\n"
    rows = "".join(f"s{i},plain text number {i}\n" for i in range(200))
    clean, marked = tmp_path / "clean.csv", tmp_path / "marked.csv"
    clean.write_text(header + rows, encoding="utf-8")
    marked.write_text(header + rows + "s999,a hidden \u202e override\n", encoding="utf-8")
    assert clean.stat().st_size > loading.SCREEN_ALONGSIDE_FROM
    read_clean, read_marked = loading.read_table(clean), loading.read_table(marked)
    assert read_clean.control_characters is False and read_marked.control_characters is True
    assert read_clean.rows == 200 and read_marked.rows == 201


@given(
    st.lists(st.text(alphabet=st.sampled_from([" ", "\u3000", "\xa0", "a", "é", "—"]), max_size=4), max_size=12),
    st.integers(0, 12),
    st.integers(0, 12),
)
def test_padded_cells_reads_each_cell_of_a_slice_alone(cells, start, length):
    """Empty cells read a neighbour's byte before being masked: nothing leaks from outside a slice
    or from an empty cell at either end."""
    for kind in (pa.string(), pa.large_string()):
        chunk = pa.array(cells, kind).slice(start, length)
        padded, empty = loading.padded_cells(chunk)
        values = chunk.to_pylist()
        assert empty.tolist() == [not value for value in values]
        # "May be padded" (from one byte) is never missed, never said of an empty cell.
        assert all(flag for flag, value in zip(padded, values) if value != value.strip())
        assert not any(flag for flag, value in zip(padded, values) if not value)


def test_read_buffer_reads_the_whole_file_whatever_its_size_said(tmp_path, monkeypatch):
    """A file that grows or shrinks between its size and its read is read as it is when read."""
    import os

    path = tmp_path / "s.csv"
    path.write_bytes(b"id,quote\ns1,one\n")
    assert loading.read_buffer(path).to_pybytes() == b"id,quote\ns1,one\n"
    real_fstat = os.fstat
    for error in (-5, 7):

        class Stat:
            def __init__(self, fd, error=error):
                self.st_size = real_fstat(fd).st_size + error

        monkeypatch.setattr(loading.os, "fstat", Stat)
        assert loading.read_buffer(path).to_pybytes() == b"id,quote\ns1,one\n"


def test_a_crlf_file_goes_to_the_careful_reader_without_a_wasted_parse(tmp_path, monkeypatch):
    """Excel writes CSV with CRLF: the first line tells, so pyarrow never parses a file it would be refused."""
    path = tmp_path / "s.csv"
    path.write_bytes(b"id,quote\r\ns1,one\r\ns2,two\r\n")

    def refuse(*args, **kwargs):
        raise AssertionError("pyarrow parsed a CRLF file")

    monkeypatch.setattr(loading.pacsv, "read_csv", refuse)
    table = loading.read_table(path)
    assert table.rows == 2 and table.columns["quote"].tolist() == ["one", "two"]
    assert any("CRLF" in problem.message for problem in table.problems)
