"""A large file is parsed from the disk a block at a time and screened by a second reader: what it
reads must be what the whole-file reader reads, and a file it cannot vouch for goes to that reader."""

import os
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.dataset import loading
from dashboard.dataset.loading import census_of_file, read_table, take_census
from dashboard.dataset.rowchecks import document_lines
from dashboard.dataset.sources import Document
from tests.test_loading_screen import CONTROLS, NEIGHBOURS

BYTES = st.text(
    alphabet=st.sampled_from([*CONTROLS, "\u202e", "\u2066", "\ufdd0", "\uffff", *NEIGHBOURS, "a", "\n", "\r"])
)


@settings(max_examples=200, deadline=None)
@given(text=BYTES, block=st.integers(1, 9))
def test_the_census_of_a_file_read_in_blocks_is_the_census_of_its_bytes(text, block):
    """Whatever the block size, a character split across two blocks included."""
    data = text.encode()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "s.csv"
        path.write_bytes(data)
        original = loading._BLOCK
        try:
            loading._BLOCK = block
            assert census_of_file(path) == take_census(data)
        finally:
            loading._BLOCK = original


CELLS = st.text(alphabet=st.sampled_from(["a", "é", " ", ",", '"', "\n", "\r", "\u202e", "—", "\t"]), max_size=6)


def _streamed_and_whole(path: Path, monkeypatch) -> tuple[loading.RawTable, loading.RawTable]:
    monkeypatch.setattr(loading, "STREAM_FROM", 1)
    streamed = read_table(path)
    monkeypatch.setattr(loading, "STREAM_FROM", 1 << 62)
    return streamed, read_table(path)


def _same(a: loading.RawTable, b: loading.RawTable) -> None:
    assert (a.header, a.first_line, a.control_characters) == (b.header, b.first_line, b.control_characters)
    assert [str(p) for p in a.problems] == [str(p) for p in b.problems]
    assert a.numbers.tolist() == b.numbers.tolist()
    assert {k: v.tolist() for k, v in a.columns.items()} == {k: v.tolist() for k, v in b.columns.items()}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(CELLS, min_size=1, max_size=4), max_size=6), bom=st.booleans(), end=st.booleans())
def test_a_streamed_file_reads_as_the_whole_file_does(tmp_path, monkeypatch, rows, bom, end):
    """Quoted line breaks, carriage returns, short rows, a BOM, controls: each either read alike or
    handed to the whole-file reader, which says what is wrong."""
    lines = ["id,quote,note", *(",".join(row) for row in rows)]
    path = tmp_path / "s.csv"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + ("\n".join(lines) + ("\n" if end else "")).encode())
    _same(*_streamed_and_whole(path, monkeypatch))


def test_a_clean_large_file_is_streamed_and_screened(tmp_path, monkeypatch):
    """The streamed path itself answers (not the fallback), and the screen's answer reaches the table."""
    rows = "".join(f"s{i},plain text number {i}\n" for i in range(300))
    clean, marked = tmp_path / "clean.csv", tmp_path / "marked.csv"
    clean.write_text("\ufeffid,quote\n" + rows, encoding="utf-8")
    marked.write_text("id,quote\n" + rows + "s999,a hidden \u202e override\n", encoding="utf-8")
    monkeypatch.setattr(loading, "read_buffer", None)  # the whole-file reader would fail if asked
    monkeypatch.setattr(loading, "STREAM_FROM", 1)
    read_clean, read_marked = read_table(clean), read_table(marked)
    assert read_clean.control_characters is False and read_marked.control_characters is True
    assert read_clean.rows == 300 and read_marked.rows == 301
    assert read_clean.header == ["id", "quote"] and read_clean.columns["quote"].iloc[-1] == "plain text number 299"
    assert [p.message for p in read_clean.problems] == [
        "the file starts with a byte-order mark (as Excel writes UTF-8); it was ignored"
    ]


def test_a_file_that_changes_while_streamed_is_read_again_whole(tmp_path, monkeypatch):
    path = tmp_path / "s.csv"
    path.write_text("id,quote\ns1,one\n", encoding="utf-8")
    real_census = loading.census_of_file

    def census_then_rewrite(where):
        found = real_census(where)
        os.utime(where, ns=(0, 12345))  # as if saved again meanwhile
        return found

    monkeypatch.setattr(loading, "census_of_file", census_then_rewrite)
    monkeypatch.setattr(loading, "STREAM_FROM", 1)
    whole = []
    real_read = loading.read_buffer
    monkeypatch.setattr(loading, "read_buffer", lambda p: whole.append(p) or real_read(p))
    assert read_table(path).rows == 1 and whole == [path]


def _split_lines(documents: list[Document]) -> tuple[list[str], list[int]]:
    """The plain reading: each text split at line feeds, each line stripped."""
    lines, owner = [], []
    for index, document in enumerate(documents):
        for line in document.text.split("\n"):
            lines.append(line.strip())
            owner.append(index)
    return lines, owner


@given(st.lists(st.text(alphabet=st.sampled_from(["a", "é", " ", "\n", "\r", "\u3000", "—"]), max_size=12), max_size=5))
def test_document_lines_are_every_line_of_every_document(texts):
    documents = [Document(f"d{i}.txt", text) for i, text in enumerate(texts)]
    if not documents:
        return
    cells, owner = document_lines(documents)
    assert (cells.to_pylist()[::2], owner[::2].tolist()) == _split_lines(documents)
    assert set(cells.to_pylist()[1::2]) <= {"\n"}
    quotes = pa.array(["a", "é", "a a", "x"], pa.large_string())
    found = pc.index_in(quotes, value_set=cells).to_numpy(zero_copy_only=False)
    plain_lines = _split_lines(documents)[0]
    for quote, at in zip(quotes.to_pylist(), found):
        assert (at == at) == (quote in plain_lines)
        if at == at:
            assert int(at) % 2 == 0 and plain_lines.index(quote) == int(at) // 2
