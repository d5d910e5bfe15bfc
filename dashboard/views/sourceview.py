"""A source document as HTML, every quoted passage highlighted and linked to the rows that cite it.

Pure: a Document and a statements frame in, a self-contained HTML page out, from the autoescaping
template templates/document.html; the only script is our own, which scrolls to the passage a link
asked for.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import accumulate

import pandas as pd
from markupsafe import Markup

from dashboard.dataset import columns
from dashboard.dataset.sources import Document
from dashboard.derive.links import anchor
from dashboard.views import templating
from dashboard.wording import according_to

_SENTENCE_END = re.compile(r"(?<=[.!?…])[”’\"]?\s+(?=[“\"A-Z0-9])")


@dataclass(frozen=True)
class Passage:
    """A stretch of the document with the ids of the rows whose quotes cover it (none: uncited)."""

    start: int
    end: int
    ids: tuple[str, ...]


def quote_spans(document: Document, statements: pd.DataFrame) -> dict[str, list[tuple[int, int]]]:
    """Character spans of each statement's quote in the document (statements from other documents,
    and quotes not found, are left out)."""
    # Two columns taken, not the whole frame: a fresh process pays for every cell it copies.
    rows = statements.loc[(statements["source"] == document.name).to_numpy(), ["id", "quote"]]
    spans = {}
    for ident, quote in zip(rows["id"], rows["quote"]):
        found = document.find(quote)
        if found:
            spans[ident] = found
    return spans


def spans_among(all_spans: dict[str, list[tuple[int, int]]], statements: pd.DataFrame) -> dict:
    """The spans of the rows in `statements`, from those of a dataset they are taken from: what
    quote_spans would give them, without searching the document for each quote again."""
    ids = statements["id"]
    # The few cited ids sought among the rows in C: iterating a column of 100,000 Arrow strings in
    # Python took 0.15 s per call.
    shown = set(ids[columns.isin(ids, all_spans)])
    return {ident: parts for ident, parts in all_spans.items() if ident in shown}


def passages(document: Document, spans: dict[str, list[tuple[int, int]]]) -> list[Passage]:
    """Cut the text at every span boundary and line break; each piece knows which rows cover it.
    One sweep over the cuts (a span starts covering at its start and stops at its end), not every
    span tested against every piece: a document quoted by hundreds of rows has hundreds of each."""
    cuts = {0, len(document.text)}
    for line_break in re.finditer(r"\n+", document.text):
        cuts.update(line_break.span())
    starting, ending = defaultdict(list), defaultdict(list)
    for ident, parts in spans.items():
        for start, end in parts:
            cuts.update((start, end))
            starting[start].append(ident)
            ending[end].append(ident)
    order = {ident: position for position, ident in enumerate(spans)}  # ids listed as `spans` lists them
    covering: Counter[str] = Counter()
    edges = sorted(cuts)
    pieces = []
    for start, end in zip(edges, edges[1:]):
        covering.subtract(ending.get(start, ()))
        covering.update(starting.get(start, ()))
        covering = +covering  # drops the rows whose spans have all ended, which sorting would walk again
        ids = tuple(sorted(covering, key=order.__getitem__))
        pieces.append(Passage(start, end, ids))
    return pieces


def sentences(text: str) -> list[tuple[int, int]]:
    """Approximate sentence spans (paragraph breaks and sentence-ending punctuation)."""
    spans = []
    for paragraph in re.finditer(r"[^\n]+", text):
        start = paragraph.start()
        for boundary in _SENTENCE_END.finditer(paragraph.group()):
            spans.append((start, paragraph.start() + boundary.start()))
            start = paragraph.start() + boundary.end()
        spans.append((start, paragraph.end()))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def uncited_sentences(document: Document, spans: dict[str, list[tuple[int, int]]]) -> list[str]:
    """Sentences that no row's quote touches: what the dataset may still miss."""
    return [document.text[s:e].strip() for s, e in _untouched(sentences(document.text), spans)]


def _untouched(sentence_spans: list[tuple[int, int]], spans: dict[str, list[tuple[int, int]]]) -> list[tuple[int, int]]:
    """The sentences that overlap no quoted span. The spans sorted by start, each sentence asks
    whether the spans starting before its end reach past its start (the furthest end among them)."""
    covered = sorted(span for parts in spans.values() for span in parts)
    starts = [start for start, _ in covered]
    furthest = list(accumulate((end for _, end in covered), max))
    untouched = []
    for s, e in sentence_spans:
        before = bisect_left(starts, e)  # spans starting before the sentence ends
        if not before or furthest[before - 1] <= s:
            untouched.append((s, e))
    return untouched


def document_html(
    document: Document,
    statements: pd.DataFrame,
    all_spans: dict[str, list[tuple[int, int]]] | None = None,
    focus: str | None = None,
) -> str:
    """The document as a standalone HTML page.

    Passages quoted by `statements` are highlighted, each followed by the ids of the rows citing
    it (linked to their entries below the text); sentences no row of the dataset cites
    (`all_spans`: those of the dataset `statements` are taken from; default: those of `statements`)
    are marked "not cited"; `focus` is the row whose passage is emphasised and scrolled to."""
    spans = quote_spans(document, statements) if all_spans is None else spans_among(all_spans, statements)
    all_spans = spans if all_spans is None else all_spans
    uncited = _untouched(sentences(document.text), all_spans)
    pieces = [_piece(document.text, piece, spans, uncited, focus) for piece in passages(document, spans)]
    cited = columns.isin(statements["id"], spans)
    rows = statements.loc[cited, ["id", "date_display", "certainty", "attribution", "summary"]]  # what _entry reads
    rows = rows.assign(position=rows["id"].map({ident: parts[0][0] for ident, parts in spans.items()}))
    entries = [_entry(row, focus) for row in rows.sort_values("position").itertuples()]
    return templating.render(
        "document.html",
        css=Markup(_STYLE),
        pieces=pieces,
        entries=entries,
        focus=anchor(focus) if focus in spans else "",
    )


def _piece(text, piece: Passage, spans, uncited, focus) -> dict:
    """What the template draws of one piece: a paragraph break, blank text, a quoted passage
    (highlighted, with the ids of the rows whose passage ends here), or plain text."""
    chunk = text[piece.start : piece.end]
    if not chunk.strip():
        if "\n" in chunk:
            return {"kind": "break"}
        return {"kind": "plain", "parts": [{"text": chunk, "uncited": False}]}
    if not piece.ids:
        return {"kind": "plain", "parts": _plain_parts(text, piece, uncited)}
    depth = "many" if len(piece.ids) > 2 else "few"
    return {
        "kind": "quote",
        "anchors": [anchor(i) for i in piece.ids if spans[i][0][0] == piece.start],
        "classes": f"quote {depth} focus" if focus in piece.ids else f"quote {depth}",
        "title": "Cited by " + ", ".join(piece.ids),
        "text": chunk,
        "cites": [i for i in piece.ids if any(end == piece.end for _, end in spans[i])],
    }


def _plain_parts(text, piece: Passage, uncited) -> list[dict]:
    """Plain text, with the parts that fall in an uncited sentence marked for curators."""
    parts, position = [], piece.start
    for s, e in uncited:
        a, b = max(s, piece.start), min(e, piece.end)
        if a >= b:
            continue
        parts.append({"text": text[position:a], "uncited": False})
        parts.append({"text": text[a:b], "uncited": True})
        position = b
    parts.append({"text": text[position : piece.end], "uncited": False})
    return parts


def _entry(row, focus) -> dict:
    return {
        "id": row.id,
        "anchor": anchor(row.id),
        "focus": row.id == focus,
        "date": row.date_display,
        "certainty": row.certainty,
        "according_to": according_to(row.attribution),
        "summary": row.summary,
    }


_STYLE = """
body { font-family: 'Liberation Serif', Georgia, serif; font-size: 17px; line-height: 1.6; color: #1f1f1f;
       margin: 0 12px 24px 4px; }
p { margin: 0 0 0.9em 0; max-width: 46em; }
mark.quote { background: #fff4c4; padding: 0; }
mark.many { background: #ffe58a; }
mark.focus { background: #ffb347; box-shadow: 0 2px 0 #d55e00; }
sup.cites { font-family: 'Liberation Sans', Arial, sans-serif; font-size: 11px; margin-left: 2px; }
sup.cites a { color: #0072b2; text-decoration: none; margin-right: 3px; }
.uncited { text-decoration: underline dotted #b00020 2px; text-underline-offset: 3px; }
h2 { font-family: 'Liberation Sans', Arial, sans-serif; font-size: 15px; margin: 1.5em 0 0.5em; }
ol.entries { font-family: 'Liberation Sans', Arial, sans-serif; font-size: 14px; line-height: 1.45;
             padding-left: 1.2em; }
li.entry { margin-bottom: 0.6em; }
li.focus { background: #fff1b8; }
.key { font-family: 'Liberation Sans', Arial, sans-serif; font-size: 13px; color: #5c5c5c; margin-bottom: 1em; }
"""
