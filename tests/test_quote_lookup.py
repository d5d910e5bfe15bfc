"""The column-wise quote check (whole lines looked up a batch of documents at a time, the rest
searched per document) finds exactly the quotes that a search of each quote in its own document finds."""

from pathlib import Path
from unittest import mock

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.dataset import rowchecks
from dashboard.dataset.rowchecks import Rows, check_sources
from dashboard.dataset.schema import bundled_schema
from dashboard.dataset.sources import Document

LINES = ["The deal was made.", "  The deal was made. ", "Officials said so.", "a  b", "a b", "[…]", "", "x\r"]
PIECES = st.sampled_from([*LINES, "The deal", "was made. Officials", "a b [\u2026] so.", "nowhere", "Officials  said"])


TEXTS = st.lists(st.lists(st.sampled_from(LINES), max_size=5).map("\n".join), min_size=1, max_size=4)
ROWS = st.lists(st.tuples(st.integers(0, 4), PIECES), max_size=12)
# Bytes of text per batch of the whole-line lookup: each document alone, a few together, all at once.
BATCHES = st.sampled_from([1, 24, 60, rowchecks.LINE_BATCH_BYTES])


def _frame(rows: list[tuple[str, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "source": pd.Series([source for source, _ in rows], dtype="str"),
            "quote": pd.Series([quote for _, quote in rows], dtype="str"),
            "row": range(2, len(rows) + 2),
        }
    )


@settings(max_examples=150, deadline=None)
@given(TEXTS, ROWS, BATCHES)
def test_the_quotes_found_are_those_each_document_contains(texts, cells, batch):
    documents = {f"d{i}.txt": Document(f"d{i}.txt", text) for i, text in enumerate(texts)}
    rows = [(f"d{source}.txt", quote.strip()) for source, quote in cells]
    frame = _frame(rows)
    with mock.patch.object(rowchecks, "LINE_BATCH_BYTES", batch):
        problems = check_sources(Rows(frame, bundled_schema(), "f", documents, Path("/nonexistent")))
    failing = [p.row for p in problems if p.column == "quote"]
    expected = [
        number
        for number, (source, quote) in enumerate(rows, start=2)
        if source in documents and quote and not documents[source].contains(quote)
    ]
    assert failing == expected


@settings(max_examples=150, deadline=None)
@given(TEXTS, ROWS, BATCHES)
def test_a_quote_is_taken_as_a_whole_line_only_when_it_is_one_of_its_own_source(texts, cells, batch):
    """Never a line of another document, nor an elided quote; and with each document in a batch of
    its own, every quote that is a whole line of its source, whatever the order of the rows."""
    documents = {f"d{i}.txt": Document(f"d{i}.txt", text) for i, text in enumerate(texts)}
    rows = [(f"d{source}.txt", quote.strip()) for source, quote in cells]
    frame = _frame(rows)
    with mock.patch.object(rowchecks, "LINE_BATCH_BYTES", batch):
        found = rowchecks._whole_lines(frame["source"], frame["quote"], documents).tolist()
    lines = {name: {line.strip() for line in document.text.split("\n")} for name, document in documents.items()}
    plain = [source in lines and quote in lines[source] and "[\u2026]" not in quote for source, quote in rows]
    assert all(plain[i] for i, hit in enumerate(found) if hit)
    if batch == 1:
        assert found == plain
