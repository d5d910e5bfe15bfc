"""Whole-column operations on the checked text columns, at C speed.

The frame's columns are pandas' Arrow-backed strings. pandas' own `isin` boxes every wanted value
as an Arrow scalar, iterating a column makes a Python object per cell, and a compiled Python
pattern is applied cell by cell: these helpers hand the column to pyarrow instead. Patterns run in
RE2 (pyarrow's regular expressions), which takes linear time: Python's `re` can backtrack for hours.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# The parser behind re.compile: private, and no public API gives a pattern's parse tree, which is how
# we tell whether RE2 reads a pattern as Python's re does (tests/test_columns.py pins the behaviour).
from re import _constants as sre
from re import _parser as sre_parse

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


def arrow(column: pd.Series) -> pa.ChunkedArray:
    """The column as Arrow large strings (what pandas' `str` holds), without a copy when pandas
    already holds it so."""
    array = column.array
    if hasattr(array, "__arrow_array__") and str(column.dtype) in ("str", "string"):
        found = array.__arrow_array__()
        found = found if isinstance(found, pa.ChunkedArray) else pa.chunked_array([found])
        return found.cast(pa.large_string())  # no copy when it is one already
    return pa.chunked_array([pa.array(column.astype(str).to_numpy(dtype=object), type=pa.large_string())])


def longest_bytes(cells: pa.ChunkedArray) -> int:
    """The most bytes of UTF-8 one cell of an Arrow string column holds, read from its offsets (the
    text is not read), a chunk at a time into one small scratch array: on this project's VM, memory
    touched for the first time costs more than the subtraction."""
    longest = 0
    scratch = np.empty(max((len(chunk) for chunk in cells.chunks), default=0), dtype=np.int64)
    for chunk in cells.chunks:
        if len(chunk):
            width = np.int64 if pa.types.is_large_string(chunk.type) else np.int32
            bounds = np.frombuffer(chunk.buffers()[1], dtype=width)[chunk.offset : chunk.offset + len(chunk) + 1]
            sizes = np.subtract(bounds[1:], bounds[:-1], out=scratch[: len(chunk)])
            longest = max(longest, int(sizes.max()))
    return longest


def strings(column: pd.Series) -> list[str]:
    """The cells as Python strings, made in one call rather than one per cell."""
    return arrow(column).to_pylist()


def isin(column: pd.Series, values: Iterable[str]) -> np.ndarray:
    """For each cell, whether it is one of `values` (a hash lookup in C)."""
    wanted = list(values)
    if not wanted or column.empty:
        return np.zeros(len(column), dtype=bool)
    cells = arrow(column)
    return pc.is_in(cells, value_set=pa.array(wanted, type=cells.type)).to_numpy()


def has_repeats(column: pd.Series) -> bool:
    """Whether some value occurs twice: sorted, then each cell compared with the next. Cells
    already in increasing order, shorter before longer and alphabetical among equals in length
    (ids as most files number them: s9 before s10), are told apart without sorting (10 ms instead
    of 50 ms for a million ids)."""
    if len(column) < 2:
        return False
    cells = arrow(column)
    if _increasing(cells):
        return False
    ordered = cells.combine_chunks().take(pc.sort_indices(cells))  # a take over chunks is 5x slower
    return pc.any(pc.equal(ordered[1:], ordered[:-1])).as_py()


def _increasing(cells: pa.ChunkedArray) -> bool:
    """Whether each cell comes after the one before it: longer, or as long and after it in byte order."""
    lengths = pc.binary_length(cells)
    before, after = lengths[:-1], lengths[1:]
    later = pc.or_(pc.greater(after, before), pc.and_(pc.equal(after, before), pc.less(cells[:-1], cells[1:])))
    return pc.all(later).as_py()


def contains(column: pd.Series, literal: str) -> np.ndarray:
    """For each cell, whether it contains `literal` (no pattern: a plain substring search). A column
    whose bytes hold the literal nowhere is answered without looking cell by cell."""
    if column.empty:
        return np.zeros(0, dtype=bool)
    cells = arrow(column)
    needle = literal.encode()
    buffers = {buffer.address: buffer for chunk in cells.chunks if (buffer := chunk.buffers()[2]) is not None}
    if not any(_holds(np.frombuffer(buffer, dtype=np.uint8), needle) for buffer in buffers.values()):
        return np.zeros(len(column), dtype=bool)
    return pc.match_substring(cells, literal).to_numpy()


def highest_byte(column: pd.Series) -> int:
    """The highest byte of UTF-8 the column's buffers hold (0 when none), read without a copy: a
    column whose highest byte is below a character's lead byte holds no such character."""
    cells = arrow(column)
    buffers = {buffer.address: buffer for chunk in cells.chunks if (buffer := chunk.buffers()[2]) is not None}
    return max(
        (int(np.frombuffer(buffer, dtype=np.uint8).max()) for buffer in buffers.values() if buffer.size), default=0
    )


_BLOCK = 1 << 22


def _holds(data: np.ndarray, needle: bytes) -> bool:
    """Whether the bytes hold `needle`, read a block at a time without copying them: the places of
    its first byte, narrowed by each next byte (3x faster than `needle in bytes(data)`)."""
    for start in range(0, len(data), _BLOCK):
        block = data[start : start + _BLOCK + len(needle) - 1]  # overlapping: a needle across two blocks
        places = np.flatnonzero(block[: len(block) - len(needle) + 1] == needle[0])
        for offset, byte in enumerate(needle[1:], start=1):
            places = places[block[places + offset] == byte]
        if len(places):
            return True
    return False


def search(column: pd.Series, pattern: str) -> np.ndarray:
    """For each cell, whether RE2 finds `pattern` in it. Only for patterns written for RE2 here
    (`re2_reads_as_python` tells which patterns of others read the same in both)."""
    if column.empty:
        return np.zeros(0, dtype=bool)
    return pc.match_substring_regex(arrow(column), pattern).to_numpy()


def fullmatch(column: pd.Series, pattern: str) -> np.ndarray:
    """For each cell, whether `pattern` matches it whole, by RE2 (linear time whatever the pattern
    and the cell: a pattern from a data package must not freeze the server by backtracking, as
    `(\\w+\\s?)*` does in Python's `re`). Where RE2 reads a pattern otherwise than Python
    (`re2_reads_as_python`), RE2's reading counts; pyarrow.ArrowInvalid for one RE2 cannot read
    (`schema` refuses those when it loads a package)."""
    if column.empty:
        return np.zeros(0, dtype=bool)
    return search(column, f"^(?:{pattern})$")


# What a pattern may use for RE2 to read it as Python does on stripped cells: literals, sets of
# literals and ranges, ".", groups, alternatives, repeats, and anchors at the ends. Not \d, \w, \s
# or \b (Unicode in Python, ASCII in RE2), flags such as (?i) (Python folds "ſ" to "s", RE2 does
# not), back-references or look-arounds (RE2 has none).
_PLAIN_OPCODES = {sre.LITERAL, sre.NOT_LITERAL, sre.ANY, sre.IN, sre.SUBPATTERN, sre.BRANCH}
_REPEATS = {sre.MAX_REPEAT, sre.MIN_REPEAT}
_ANCHORS = {sre.AT_BEGINNING, sre.AT_BEGINNING_STRING, sre.AT_END, sre.AT_END_STRING}
_SET_ITEMS = {sre.LITERAL, sre.RANGE, sre.NEGATE}
# Text RE2 reads as a POSIX class ("[[:alpha:]]") or a literal ("a{,2}") and Python does not.
_READ_OTHERWISE = ("[:", "[=", "[.", "{,")


def re2_reads_as_python(pattern: str) -> bool:
    """True when RE2 and Python's `re` agree on which stripped cells `pattern` matches whole.
    ("$" may also match before a final line break in Python; a stripped cell has none.)"""
    if any(token in pattern for token in _READ_OTHERWISE):
        return False
    try:
        parsed = sre_parse.parse(pattern)
    except (re.error, RecursionError):
        return False
    return not parsed.state.flags & ~(sre.SRE_FLAG_UNICODE) and _plain(parsed)


def _plain(items) -> bool:
    for opcode, argument in items:
        if opcode in _REPEATS:
            low, high, body = argument
            if not _plain(body):
                return False
        elif opcode is sre.SUBPATTERN:
            _, add_flags, del_flags, body = argument
            if add_flags or del_flags or not _plain(body):
                return False
        elif opcode is sre.BRANCH:
            if not all(_plain(branch) for branch in argument[1]):
                return False
        elif opcode is sre.IN:
            if not all(kind in _SET_ITEMS for kind, _ in argument):
                return False
        elif opcode is sre.AT:
            if argument not in _ANCHORS:
                return False
        elif opcode not in _PLAIN_OPCODES:
            return False
    return True
