"""The column-wise quote check (whole lines looked up at once, the rest searched per document)
finds exactly the quotes that a search of each quote in its own document finds."""

from pathlib import Path

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.dataset.rowchecks import Rows, check_sources
from dashboard.dataset.schema import bundled_schema
from dashboard.dataset.sources import Document

LINES = ["The deal was made.", "  The deal was made. ", "Officials said so.", "a  b", "a b", "[…]", "", "x\r"]
PIECES = st.sampled_from([*LINES, "The deal", "was made. Officials", "a b [\u2026] so.", "nowhere", "Officials  said"])


@settings(max_examples=120, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(LINES), max_size=5).map("\n".join), min_size=1, max_size=3),
    st.lists(st.tuples(st.integers(0, 3), PIECES), max_size=12),
)
def test_the_quotes_found_are_those_each_document_contains(texts, cells):
    documents = {f"d{i}.txt": Document(f"d{i}.txt", text) for i, text in enumerate(texts)}
    rows = [(f"d{source}.txt", quote.strip()) for source, quote in cells]
    frame = pd.DataFrame(
        {
            "source": pd.Series([source for source, _ in rows], dtype="str"),
            "quote": pd.Series([quote for _, quote in rows], dtype="str"),
            "row": range(2, len(rows) + 2),
        }
    )
    problems = check_sources(Rows(frame, bundled_schema(), "f", documents, Path("/nonexistent")))
    failing = [p.row for p in problems if p.column == "quote"]
    expected = [
        number
        for number, (source, quote) in enumerate(rows, start=2)
        if source in documents and quote and not documents[source].contains(quote)
    ]
    assert failing == expected
