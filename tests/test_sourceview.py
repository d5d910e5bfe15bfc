"""The source view: a document as HTML from an autoescaping template, quotes highlighted and linked to
the rows citing them, document text and dataset values always shown as text."""

from __future__ import annotations

import pandas as pd

from dashboard import sourceview
from dashboard.sources import Document

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
