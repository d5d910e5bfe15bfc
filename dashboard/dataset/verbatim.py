"""Checking many quotes against one source document in one pass.

A quote is verbatim when each of its passages is in the document, whitespace aside, in order.
The document is flattened once; a quote that is a whole line of it is found by a set lookup, the
rest by one Aho–Corasick scan per batch of quotes (pyahocorasick), instead of one scan per quote.
Quotes with elided passages ("[…]") keep the row-by-row check, which knows about order.
"""

from __future__ import annotations

from collections.abc import Iterable

import ahocorasick

from dashboard.dataset.loading import SPACE_CHARS
from dashboard.dataset.sources import ELISION, Document

BATCH = 20_000  # quotes per automaton: bounds memory whatever the size of one document's share
# pyahocorasick recurses once per character of a word when it frees the automaton: a word of some
# 100,000 characters overflows a 512 KiB thread stack and kills the process. Longer passages are
# searched one by one (str.find), so no cell size, whatever bounds it, can reach that.
MAX_WORD_CHARS = 2_000
_UNEVEN_SPACE = "[" + "".join(sorted(SPACE_CHARS - {" "})) + "]|  "  # literal characters: any regex engine


def uneven_space_pattern() -> str:
    """A regular expression matching a quote that `flatten` would change (for Series.str.contains)."""
    return _UNEVEN_SPACE


def verbatim(document: Document, quotes: Iterable[str], flattened: dict[str, str] | None = None) -> set[str]:
    """The quotes (stripped, non-empty cells) that are verbatim in `document`.
    `flattened` maps the quotes whose whitespace is uneven to their flattened form."""
    flattened = flattened or {}
    found: set[str] = set()
    wanted: dict[str, list[str]] = {}  # flattened passage -> the quotes that are exactly it
    for quote in quotes:
        if ELISION in quote:
            if document.contains(quote):
                found.add(quote)
            continue
        wanted.setdefault(flattened.get(quote, quote), []).append(quote)
    # A stripped line equal to a flattened passage has even spacing, so it is in the flattened text.
    lines = {line.strip() for line in document.text.split("\n")}
    pending = []
    for passage, owners in wanted.items():
        if passage in lines:
            found.update(owners)
        else:
            pending.append(passage)
    if not pending:
        return found
    flat = " ".join(document.text.split())  # what flatten() gives, without a regular expression
    for passage in [p for p in pending if len(p) > MAX_WORD_CHARS]:
        if passage in flat:
            found.update(wanted[passage])
    pending = [p for p in pending if len(p) <= MAX_WORD_CHARS]
    for start in range(0, len(pending), BATCH):
        automaton = ahocorasick.Automaton()
        for passage in pending[start : start + BATCH]:
            automaton.add_word(passage, passage)
        automaton.make_automaton()
        for _, passage in automaton.iter(flat):
            found.update(wanted[passage])
    return found
