"""The source view: a document as HTML from an autoescaping template, quotes highlighted and linked to
the rows citing them, document text and dataset values always shown as text."""

from __future__ import annotations

import re

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from dashboard.dataset.sources import Document
from dashboard.views import sourceview

TEXT = "First <script>alert(1)</script> said it. Nobody cites this one.\nA second paragraph & more."


def rows() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": ["s<1>"],
            "source": ["doc.txt"],
            "quote": ["<script>alert(1)</script> said it."],
            "date_display": ["Undated"],
            "certainty": ["alleged"],
            "attribution": ["<img src=x onerror=alert(2)>"],
            "summary": ["A \"summary\" with 'quotes'"],
        }
    )


def test_document_text_and_dataset_values_are_text_never_markup():
    html = sourceview.document_html(Document("doc.txt", TEXT), rows(), focus="s<1>")
    assert "<script>alert(1)" not in html and "<img" not in html and "s<1>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; said it." in html
    assert "According to &lt;img src=x onerror=alert(2)&gt;" in html
    assert html.count("<script>") == 1  # our own scroll script only
    assert '<mark class="quote few focus"' in html and '<span class="uncited"' in html
    assert "</p><p>" in html and "&amp; more." in html


def test_an_undated_row_reads_undated_and_a_view_without_rows_says_so():
    html = sourceview.document_html(Document("doc.txt", TEXT), rows())
    assert "</b></a> · Undated · alleged · " in html
    empty = sourceview.document_html(Document("doc.txt", TEXT), rows().iloc[0:0])
    assert "No row of the current view cites this document." in empty


def _spans_within(size: int):
    ends = st.tuples(st.integers(0, size), st.integers(0, size)).map(sorted).map(tuple)
    return st.dictionaries(st.sampled_from(["a", "b", "c", "d", "e"]), st.lists(ends, min_size=1, max_size=3))


@st.composite
def documents_and_spans(draw):
    text = draw(st.text(alphabet="ab. \nC", max_size=40))
    return Document("doc.txt", text), draw(_spans_within(len(text)))


@given(documents_and_spans())
def test_passages_and_uncited_sentences_are_what_testing_every_span_gives(case):
    """The sweep and the sorted lookup give what testing every span against every piece gives."""
    document, spans = case
    cuts = {0, len(document.text)} | {p for m in re.finditer(r"\n+", document.text) for p in m.span()}
    cuts |= {p for parts in spans.values() for span in parts for p in span}
    edges = sorted(cuts)
    expected = [
        sourceview.Passage(a, b, tuple(i for i, parts in spans.items() if any(s <= a and b <= e for s, e in parts)))
        for a, b in zip(edges, edges[1:])
    ]
    assert sourceview.passages(document, spans) == expected
    covered = [span for parts in spans.values() for span in parts]
    untouched = [
        document.text[s:e].strip()
        for s, e in sourceview.sentences(document.text)
        if not any(a < e and s < b for a, b in covered)
    ]
    assert sourceview.uncited_sentences(document, spans) == untouched


def test_spans_among_gives_what_quote_spans_gives_a_subset():
    document = Document("doc.txt", TEXT)
    every = pd.concat([rows()] * 3, ignore_index=True)
    every["id"] = ["s1", "s2", "s3"]
    every["quote"] = ["<script>alert(1)</script> said it.", "A second paragraph", "Elsewhere."]
    every.loc[2, "source"] = "other.txt"
    all_spans = sourceview.quote_spans(document, every)
    assert list(all_spans) == ["s1", "s2"]
    for subset in (every, every.iloc[::2], every.iloc[1:], every.iloc[0:0]):
        assert sourceview.spans_among(all_spans, subset) == sourceview.quote_spans(document, subset)
