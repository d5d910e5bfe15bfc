"""Row-level checks, column-wise: each a vectorised mask over a column, a line only for the rows that fail.

A check takes `Rows` (the frame of text cells, the schema, the sources) and returns problems; the
list of checks, in the order their lines appear for a row, is `dashboard.dataset.validation.ROW_CHECKS`.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dashboard import names
from dashboard.dataset import columns, verbatim
from dashboard.dataset.loading import BIDI_CHARS, NONCHARACTERS, padded_cells
from dashboard.dataset.problems import Problem
from dashboard.dataset.schema import PACKAGE_FILE, Field, Schema, bundled_schema
from dashboard.dataset.sources import ELISION, Document, flatten, is_plain_name, refusal, source_path
from dashboard.dates import certainly_valid, parse_partial

_CONTROL = "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"  # literal characters, so any regex engine reads it
# Characters that reorder text on screen: a name or quote can display as something else.
_BIDI = f"[{BIDI_CHARS}]"
# Code points that are no text (U+FFFF, U+FFFE...): GEXF, GraphML and SVG files cannot hold them.
_NONCHARACTER = f"[{NONCHARACTERS}]"
_NOT_LATIN = "[^\x00-\u024f\u1e00-\u1eff]"  # a letter outside the Latin blocks may be a look-alike
# The lowest UTF-8 lead byte of a character _NOT_LATIN matches ("\u0250" is C9 90).
_BEYOND_LATIN_LEAD = 0xC9
_REPLACED = "\ufffd"  # a byte that was not UTF-8, already reported for its line
# Messages for the patterns the dashboard itself relies on.
PATTERN_MESSAGES = {
    "id": ('id "{value}" has characters other than letters, digits, "_", "." and "-"', "use a plain id such as s042"),
}


@dataclass
class Rows:
    """What a row-level check reads: the frame of text cells and where the rows come from.
    Columns in `absent` are missing from the header, already reported once."""

    frame: pd.DataFrame
    schema: Schema
    label: str
    documents: dict[str, Document]
    seeds_dir: Path
    absent: frozenset[str] = frozenset()
    control_characters: bool = True  # False when the file holds none: the search is skipped

    def at(self, mask, column: str, message, fix, severity: str = "error") -> list[Problem]:
        """A problem for each row where `mask` holds; `message` and `fix` are text, or functions
        of the cell, for the few rows that fail."""
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return []
        hits = self.frame.loc[mask, [column, "row"]] if column in self.frame else self.frame.loc[mask, ["row"]]
        cells = hits[column] if column in hits else [""] * len(hits)
        return [
            Problem(
                self.label,
                message(value) if callable(message) else message,
                fix(value) if callable(fix) else fix,
                row=int(row),
                column=column,
                severity=severity,
            )
            for value, row in zip(cells, hits["row"])
        ]

    @cached_property
    def date_errors(self) -> dict[str, tuple[str, str]]:
        """For each distinct date that does not parse: its message and fix (parsed once per value).
        Two checks on two threads may ask at once: Python 3.11's cached_property computes it once
        under a lock (a later Python without the lock would compute the same dict twice)."""
        errors = {}
        distinct = pc.unique(columns.arrow(self.frame["date"]))
        for value in distinct.filter(pa.array(~certainly_valid(distinct))).to_pylist():
            if not value:
                continue
            try:
                parse_partial(value)
            except ValueError as err:
                message, _, fix = str(err).partition("; ")
                errors[value] = (message, fix or "write YYYY-MM-DD, YYYY-MM or YYYY")
        return errors


def check_required(rows: Rows) -> list[Problem]:
    problems = []
    for f in rows.schema.fields:
        if f.required and f.name not in rows.absent:
            problems += rows.at(
                rows.frame[f.name] == "", f.name, "the cell is empty but required", _required_fix(f.name)
            )
    return problems


def check_enums(rows: Rows) -> list[Problem]:
    problems = []
    for f in rows.schema.fields:
        if f.enum:
            column = rows.frame[f.name]
            allowed = f.enum

            def hint(value: str, allowed=allowed) -> str:
                close = difflib.get_close_matches(value, allowed, n=1)
                return f'write "{close[0]}"' if close else "use one of: " + ", ".join(allowed)

            bad = (column != "") & ~columns.isin(column, allowed)
            problems += rows.at(bad, f.name, lambda v: f'"{v}" is not one of the allowed values', hint)
    return problems


def check_lengths(rows: Rows) -> list[Problem]:
    problems = []
    for f in rows.schema.fields:
        if f.max_length is not None:
            limit = f.max_length
            problems += rows.at(
                rows.frame[f.name].str.len() > limit,
                f.name,
                lambda v, limit=limit: f"the text is {len(v)} characters, over {limit}",
                "shorten it",
            )
    return problems


def check_characters(rows: Rows) -> list[Problem]:
    """Control characters (invisible, and able to rewrite a terminal), bidirectional controls, and
    noncharacters. Each of them either breaks an XML export or misleads a reader: refused here, so
    that every name and text that passes can be written to any export."""
    problems = []
    for column in rows.schema.columns if rows.control_characters else ():
        cells = rows.frame[column]
        if not cells.str.contains(f"{_CONTROL}|{_BIDI}|{_NONCHARACTER}", regex=True).any():
            continue
        problems += rows.at(
            cells.str.contains(_NONCHARACTER, regex=True),
            column,
            lambda v: (
                f"the cell contains the noncharacter U+{ord(next(c for c in v if c in NONCHARACTERS)):04X}, "
                "which is no text and which GEXF, GraphML and SVG files cannot hold"
            ),
            "retype the cell without it",
        )
        problems += rows.at(
            cells.str.contains(_CONTROL, regex=True),
            column,
            "the cell contains invisible control characters",
            "retype the cell",
        )
        problems += rows.at(
            cells.str.contains(_BIDI, regex=True),
            column,
            "the cell contains bidirectional control characters, which make text display in another order",
            "retype the cell without them",
        )
    return problems


def check_unique(rows: Rows) -> list[Problem]:
    """Unique fields: each value once; ids also keep the core pattern, whatever the schema says."""
    problems = []
    for f in rows.schema.fields:
        if not f.unique:
            continue
        cells = rows.frame[f.name]
        given = cells != ""
        # Sorting and comparing neighbours runs in C (5x faster than hashing long columns); only a
        # column with repeats is looked at row by row.
        repeated = (
            given & cells.duplicated() if columns.has_repeats(cells[given]) else pd.Series(False, index=cells.index)
        )
        if repeated.any():
            first_row = rows.frame.loc[given & ~repeated].set_index(f.name)["row"]
            problems += rows.at(
                repeated,
                f.name,
                lambda v, name=f.name, first_row=first_row: f'{name} "{v}" is already used in row {first_row[v]}',
                _unique_fix(f.name),
            )
        for pattern in _patterns(f, rows.schema):
            problems += _pattern_problems(rows, f.name, pattern, given & ~repeated)
    return problems


def check_patterns(rows: Rows) -> list[Problem]:
    """Patterns of the fields that are not unique; a date that does not parse is reported once, by its parser."""
    problems = []
    for f in rows.schema.fields:
        if f.unique or not f.pattern:
            continue
        cells = rows.frame[f.name]
        checked = cells != ""
        if f.name == "date":
            checked &= ~columns.isin(cells, rows.date_errors)
        problems += _pattern_problems(rows, f.name, f.pattern, checked)
    return problems


def _patterns(f: Field, schema: Schema) -> list[str]:
    core = _core_field(f.name)
    patterns = [core.pattern] if core is not None and core.pattern else []
    return patterns + [f.pattern] if f.pattern and f.pattern not in patterns else patterns


@lru_cache(maxsize=64)
def _core_field(name: str) -> Field | None:
    try:
        return bundled_schema().field(name)
    except KeyError:
        return None


def _pattern_problems(rows: Rows, name: str, pattern: str, checked: pd.Series) -> list[Problem]:
    """Frictionless patterns match the whole cell (`columns.fullmatch`, in RE2: linear time)."""
    cells = rows.frame[name]
    misfit = np.asarray(checked, dtype=bool) & ~columns.fullmatch(cells, pattern)
    if not misfit.any():
        return []
    core = _core_field(name)
    if core is not None and pattern == core.pattern and name in PATTERN_MESSAGES:
        message, fix = PATTERN_MESSAGES[name]
    else:
        message = '{name} "{value}" does not match the pattern {pattern} given in ' + PACKAGE_FILE
        fix = "write it in the form that pattern describes"
    return rows.at(misfit, name, lambda v: message.format(name=name, value=v, pattern=pattern), fix)


def check_dates(rows: Rows) -> list[Problem]:
    errors = rows.date_errors
    if not errors:
        return []
    return rows.at(columns.isin(rows.frame["date"], errors), "date", lambda v: errors[v][0], lambda v: errors[v][1])


def check_inferred_note(rows: Rows) -> list[Problem]:
    return rows.at(
        (rows.frame["certainty"] == "inferred") & (rows.frame["note"] == ""),
        "note",
        "the row is inferred but the note does not say how",
        "explain in note what in the text supports the inference",
    )


def check_names_in_quote(rows: Rows) -> list[Problem]:
    """A role or alias must be in the row's quote (accents, case and punctuation aside)."""
    frame = rows.frame
    wanted = ((frame["quote"] != "") & ((frame["role"] != "") | (frame["aliases"] != ""))).to_numpy()
    numbers = frame["row"].to_numpy()[wanted].tolist()
    # Filtered column by column, not the whole frame, and chunk by chunk (a take over a chunked
    # column joins its chunks first: 0.25 s for the quotes of a million rows).
    picked = pa.array(wanted)
    cells = zip(
        numbers, *(columns.arrow(frame[name]).filter(picked).to_pylist() for name in ("quote", "role", "aliases"))
    )
    problems = []
    for row, quote, role, aliases in cells:
        if role.isascii() and aliases.isascii() and role in quote and aliases in quote:
            continue  # each cell found whole, as written: so is every name in it
        for column, what, cell in (("role", "role", role), ("aliases", "alias", aliases)):
            for value in names.split_aliases(cell):
                if not (value.isascii() and value in quote) and names.fold(value) not in names.fold(quote):
                    problems.append(
                        Problem(
                            rows.label,
                            f'"{value}" does not appear in the quote',
                            f"quote the passage that gives this {what}",
                            row=int(row),
                            column=column,
                        )
                    )
    return problems


def check_sources(rows: Rows) -> list[Problem]:
    """The source file exists and each quote is verbatim in it (one pass per document)."""
    frame, documents, seeds_dir = rows.frame, rows.documents, rows.seeds_dir
    named = frame["source"]
    absent = [n for n in named.unique() if n and n not in documents]
    # There, but not a regular file inside the folder (a symbolic link, too big...): never read.
    refused = [n for n in absent if is_plain_name(n) and os.path.lexists(seeds_dir / n)]
    unplain = [n for n in absent if n not in refused and source_path(seeds_dir, n) is None]
    missing = [n for n in absent if n not in refused and n not in unplain]
    located = {
        **{
            n: (
                refusal(seeds_dir, n) or f'source file "{n}" cannot be read',
                "put the document itself in the seeds folder as a regular file (links are never followed)",
            )
            for n in refused
        },
        **{n: (f'"{n}" is not a plain file name', f"write the name of a file in {seeds_dir}") for n in unplain},
        **{
            n: (
                f'source file "{n}" is not in {seeds_dir}',
                "add the document to the seeds folder, or correct the file name",
            )
            for n in missing
        },
    }
    problems = rows.at(columns.isin(named, located), "source", lambda n: located[n][0], lambda n: located[n][1])
    quotes = frame["quote"]
    checked = columns.isin(named, documents) & (quotes != "").to_numpy() & ~columns.contains(quotes, _REPLACED)
    verified = checked & _whole_lines(named, quotes, documents)
    rest = checked & ~verified  # quotes that are not a whole line of their document: searched per document
    if rest.any():
        pairs = frame.loc[rest, ["source", "quote"]]
        uneven = pairs["quote"][columns.search(pairs["quote"], verbatim.uneven_space_pattern())]
        flattened = {quote: flatten(quote) for quote in uneven.unique()}
        found: set[tuple[str, str]] = set()
        for name, group in pairs.groupby("source", sort=False)["quote"]:
            found.update((name, q) for q in verbatim.verbatim(documents[name], set(group.unique()), flattened))
        verified[rest] = [pair in found for pair in zip(pairs["source"], pairs["quote"])]
    failing = checked & ~verified
    if not failing.any():  # the usual case: no frame selection (pandas' costs a few ms even when empty)
        return problems
    explained: dict[tuple[str, str], str] = {}

    def reason(source: str, quote: str) -> str:
        if (source, quote) not in explained:
            explained[source, quote] = documents[source].explain_mismatch(quote)
        return explained[source, quote]

    for row, source, quote in frame.loc[failing, ["row", "source", "quote"]].itertuples(index=False):
        problems.append(
            Problem(
                rows.label,
                f"the quote is not verbatim in the source: {reason(source, quote)}",
                "copy the exact passage from the source (only whitespace may differ)",
                row=int(row),
                column="quote",
            )
        )
    return problems


def _whole_lines(named: pd.Series, quotes: pd.Series, documents: dict[str, Document]) -> np.ndarray:
    """For each row, whether its quote is a whole line of its own source (surrounding spaces aside).
    The rows are taken in order of their source and the documents a batch at a time (about
    LINE_BATCH_BYTES of text): a batch's lines are hashed once, in C, and looked up by the quotes of
    its own rows only, so each table stays in the processor's cache (one table of every line of every
    document, at a million statements: 0.88 s and 480 MB of new memory; by batches 0.25 s and 40 MB,
    in a process of its own on one thread). A line found
    must belong to the row's source; a line that several documents of a batch share is found at its
    first place only: the row is then left to the per-document search, as are elided quotes ("[…]"),
    so the answer is never wrong, only sometimes slower."""
    if not documents or named.empty:
        return np.zeros(len(named), dtype=bool)
    names = list(documents)
    source = pc.index_in(columns.arrow(named), value_set=pa.array(names, pa.large_string()))
    source = source.to_numpy(zero_copy_only=False)
    code = np.where(np.isnan(source), len(names), source).astype(np.int64)  # an unread source sorts last
    order = np.argsort(code, kind="stable")  # rows are mostly grouped by source already: a few runs to merge
    code = code[order]
    bounds = np.searchsorted(code, np.arange(len(names) + 1))
    cells = columns.arrow(quotes)
    ordered = bool((order[1:] > order[:-1]).all())
    cells = cells if ordered else cells.combine_chunks()  # a take over chunks joins them each time
    texts = [documents[name] for name in names]
    found = np.zeros(len(named), dtype=bool)
    for first, last in _batches([len(document.utf8_bytes()) for document in texts]):
        low, high = int(bounds[first]), int(bounds[last])
        if low == high:
            continue
        lines, owner = document_lines(texts[first:last])
        batch = cells.slice(low, high - low) if ordered else cells.take(pa.array(order[low:high]))
        at = pc.index_in(batch, value_set=lines).to_numpy(zero_copy_only=False)
        hit = np.flatnonzero(~np.isnan(at))
        # (A quote is stripped: never the line feed between two lines, the array's odd entries.)
        found[order[low + hit]] = owner[at[hit].astype(np.int64)] + first == code[low + hit]
    return found & ~columns.contains(quotes, ELISION)


# Bytes of text whose lines are hashed together by the whole-line lookup: 64 KiB to 1 MiB batches
# ran in 220-280 ms at a million statements, 4 MiB in 500 ms (a table no longer in the cache).
LINE_BATCH_BYTES = 1 << 20


def _batches(sizes: list[int]) -> Iterator[tuple[int, int]]:
    """(first, last) ranges of consecutive documents of about LINE_BATCH_BYTES each (one at least)."""
    first, total = 0, 0
    for index, size in enumerate(sizes):
        total += size + 1
        if total >= LINE_BATCH_BYTES:
            yield first, index + 1
            first, total = index + 1, 0
    if first < len(sizes):
        yield first, len(sizes)


def document_lines(documents) -> tuple[pa.Array, np.ndarray]:
    """Every line of every document, surrounding spaces removed, in order, and for each the index
    of its document. The lines are the even entries of the array, which alternates line and line
    feed: it is made over the documents' bytes joined in one buffer, without copying each line
    (splitting copied every line, and encoding each text again: 0.5 s at a million statements)."""
    texts = [document.utf8_bytes() for document in documents]
    joined = b"\n".join(texts)
    feeds = np.flatnonzero(np.frombuffer(joined, dtype=np.uint8) == 0x0A)
    offsets = np.empty(2 * len(feeds) + 2, dtype=np.int64)
    offsets[0], offsets[-1] = 0, len(joined)
    offsets[1:-1:2], offsets[2:-1:2] = feeds, feeds + 1
    cells = pa.LargeStringArray.from_buffers(len(offsets) - 1, pa.py_buffer(offsets), pa.py_buffer(joined))
    padded, _ = padded_cells(cells)
    padded[1::2] = False  # the line feeds between lines are never stripped: no quote is one
    if padded.any():
        where = np.flatnonzero(padded)
        stripped = pa.array([value.strip() for value in cells.take(pa.array(where)).to_pylist()], cells.type)
        cells = pc.replace_with_mask(cells, pa.array(padded), stripped)
    starts = np.cumsum([0] + [len(text) + 1 for text in texts[:-1]])  # where each document begins
    owner = np.searchsorted(starts, offsets[:-1], side="right") - 1
    return cells, owner


def check_scripts(rows: Rows) -> list[Problem]:
    """A name mixing scripts (a Cyrillic "а" in a Latin name) looks like another entity's."""
    problems = []
    for column in ("subject", "object"):
        cells = rows.frame[column]
        if columns.highest_byte(cells) < _BEYOND_LATIN_LEAD:
            continue  # every name in the Latin blocks (accented letters included): none is looked at
        distinct = pc.unique(columns.arrow(cells))  # a name recurs on many rows: each is read once
        beyond_latin = distinct.filter(pc.match_substring_regex(distinct, _NOT_LATIN)).to_pylist()
        mixed = {name: scripts for name in beyond_latin if (scripts := names.mixed_scripts(name))}
        problems += rows.at(
            columns.isin(cells, mixed),
            column,
            lambda v, mixed=mixed: f'"{v}" mixes {" and ".join(mixed[v])} letters, as look-alike names do',
            "retype the name in one alphabet",
        )
    return problems


def _unique_fix(column: str) -> str:
    return {"id": "give this row a new id; never renumber existing ones"}.get(
        column, f"give this row a {column} no other row has"
    )


def _required_fix(column: str) -> str:
    return {
        "id": "give the row a unique id such as s042",
        "quote": "paste the verbatim passage of the source that supports the row",
        "attribution": 'say who says so, as the source puts it ("officials said"), or "The article"',
        "source": "write the file name of the source document in seeds/",
        "certainty": "write stated, alleged, denied or inferred",
    }.get(column, "fill it in")
