"""Reading a statements CSV into columns, reporting what stops a spreadsheet from reading it well.

A well-formed file (LF line endings, one line per row, every row as wide as the header) is parsed
by pyarrow's C++ reader; anything else falls back to the careful reader (Python's csv module, row
by row), so a broken file still gets one located line per problem.
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
import os
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from dashboard.dataset.problems import Problem

# The characters str.strip() removes (str.isspace), so a column can be stripped exactly, in bulk.
SPACE_CHARS = frozenset(
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
    "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)

# Control characters (tab, line feed and carriage return aside), the bidirectional controls and the
# noncharacters (U+FDD0...U+FDEF and the last two code points of every plane, such as U+FFFF, which
# no XML file may hold): a file holding none of them skips the cell-by-cell search. The census
# finds the last two groups by their UTF-8 lead byte and the bytes after it.
BIDI_CHARS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
NONCHARACTERS = "".join(map(chr, range(0xFDD0, 0xFDF0))) + "".join(
    chr(plane << 16 | low) for plane in range(17) for low in (0xFFFE, 0xFFFF)
)
_SCREENED = BIDI_CHARS + NONCHARACTERS
_BIDI_TAILS = {
    lead: {char.encode()[1:] for char in _SCREENED if char.encode()[0] == lead}
    for lead in sorted({char.encode()[0] for char in _SCREENED})
}


@dataclass(frozen=True)
class Census:
    """What one pass over a file's bytes tells, before or while pyarrow parses it."""

    line_feeds: int
    carriage_returns: int
    may_hold_controls: (
        bool  # False when no byte can be a control character, or part of a bidirectional control or a noncharacter
    )


def take_census(body) -> Census:
    """Counts the line ends of `body` (any bytes-like object) and screens it for control and
    bidirectional characters. Compares byte arrays (numpy) a block at a time rather than searching
    with a regular expression: 5x faster, and the block's scratch arrays stay small however large
    the file."""
    data = np.frombuffer(body, dtype=np.uint8)
    tally = _Tally(min(len(data), _BLOCK))
    for start in range(0, len(data), _BLOCK):
        tally.add(data[start : start + _BLOCK + _LOOKAHEAD], min(_BLOCK, len(data) - start))
    return tally.census()


def census_of_file(path: Path) -> Census:
    """`take_census` of a file's bytes, read a block at a time into one buffer: the file is never
    held whole in memory (on this project's VM, memory touched for the first time costs more than
    reading the file)."""
    window = np.empty(_BLOCK + _LOOKAHEAD, dtype=np.uint8)
    tally, kept = _Tally(len(window)), 0
    with open(path, "rb") as file:
        while True:
            got = file.readinto(memoryview(window)[kept:])
            filled = kept + got
            if not got:  # the end: the bytes kept for looking ahead are counted last
                if kept:
                    tally.add(window[:kept], kept)
                return tally.census()
            if filled <= _LOOKAHEAD:
                kept = filled
                continue
            counted = filled - _LOOKAHEAD  # the last bytes are read again at the start of the next block
            tally.add(window[:filled], counted)
            window[:_LOOKAHEAD] = window[counted:filled]
            kept = _LOOKAHEAD


class _Tally:
    """The census of a file, a block at a time. `add(window, counted)`: the first `counted` bytes
    of `window` are the block; the bytes after them, read only to finish a character begun in it."""

    def __init__(self, largest: int):
        self.line_feeds = self.carriage_returns = 0
        self.controls = False
        self.scratch = np.empty(largest, dtype=bool)

    def add(self, window: np.ndarray, counted: int) -> None:
        block = window[:counted]
        flags = self.scratch[:counted]
        feeds = np.count_nonzero(np.equal(block, 0x0A, out=flags))
        returns = np.count_nonzero(np.equal(block, 0x0D, out=flags))
        self.line_feeds, self.carriage_returns = self.line_feeds + feeds, self.carriage_returns + returns
        self.controls = self.controls or _holds_controls(window, 0, block, flags, feeds + returns)

    def census(self) -> Census:
        return Census(self.line_feeds, self.carriage_returns, self.controls)


def _holds_controls(data: np.ndarray, start: int, block: np.ndarray, flags: np.ndarray, line_ends: int) -> bool:
    low = np.count_nonzero(np.less(block, 0x20, out=flags))
    if low > line_ends and low != line_ends + np.count_nonzero(np.equal(block, 0x09, out=flags)):
        return True
    if np.equal(block, 0x7F, out=flags).any():
        return True
    # One pass finds every byte that may lead one of them (0xD8 and up): few, in most text.
    high = np.flatnonzero(np.greater_equal(block, _LOWEST_LEAD, out=flags))
    leads = block[high]
    for lead, tails in _BIDI_TAILS.items():
        starts = start + high[leads == lead]
        # The bytes after each lead byte, read as one number ("\x80\x8e" -> 0x808E), against the controls'.
        following = np.zeros(len(starts), dtype=np.int64)
        for k in range(1, len(next(iter(tails))) + 1):
            following = following * 256 + data[np.minimum(starts + k, len(data) - 1)]
        if np.isin(following, [int.from_bytes(tail, "big") for tail in tails]).any():
            return True
    return False


_BLOCK = 1 << 22
_LOWEST_LEAD = min(_BIDI_TAILS)
_LOOKAHEAD = max(len(char.encode()) for char in _SCREENED) - 1  # bytes after a lead byte


@dataclass
class RawTable:
    """The CSV as text columns, surrounding spaces removed. `columns[name][i]` is the cell of
    spreadsheet row `numbers[i]`; cells are never lost: short rows are padded, extra cells kept
    under `extra`. When the header names a column twice, its last cell wins, as in a dict."""

    file: str
    header: list[str] = field(default_factory=list)
    columns: dict[str, pd.Series] = field(default_factory=dict)
    numbers: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    problems: list[Problem] = field(default_factory=list)
    control_characters: bool = True  # False when no cell can hold a control or bidirectional character
    first_line: str = ""  # as written, for guessing the delimiter of a file that is not comma-separated

    @property
    def rows(self) -> int:
        return len(self.numbers)


def read_table(path: Path, display_name: str | None = None) -> RawTable:
    """Read a CSV file leniently: every problem becomes a Problem, never an exception."""
    name = display_name or str(path)
    table = RawTable(file=name)
    try:
        if _read_streamed(path, table):
            return table
        data = read_buffer(path)
    except FileNotFoundError:
        table.problems.append(Problem(name, "file not found", "check the path"))
        return table
    except OSError as err:
        table.problems.append(Problem(name, f"cannot read the file ({err.strerror})", "check its permissions"))
        return table
    data = _as_utf8(data, table)
    if data is None:
        return table
    body = _without_bom(data, table)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="census") as pool:
        # Past SCREEN_ALONGSIDE_FROM the census (numpy, which lets go of the GIL) runs while pyarrow parses.
        future = pool.submit(take_census, body) if len(body) > SCREEN_ALONGSIDE_FROM else None
        census = future.result if future else functools.cache(lambda: take_census(body))
        _read_into(table, body, name, census)
        table.control_characters = census().may_hold_controls
    return table


SCREEN_ALONGSIDE_FROM = 8 << 20  # bytes; below it a thread costs more than the census
# Past this many bytes a well-formed UTF-8 file is parsed as pyarrow reads it, a block at a time,
# and screened by a second reader alongside, instead of read whole into memory first: at 300 MB
# the whole file in memory cost this VM 0.3-1 s of page faults, more than reading it twice.
STREAM_FROM = 32 << 20


def _read_streamed(path: Path, table: RawTable) -> bool:
    """A large, well-formed UTF-8 file read by pyarrow from the file itself; False, with `table`
    untouched, for a small file, one that is not well-formed, or one that changed while it was read
    (the whole-file reader then reads it again and says what is wrong)."""
    with open(path, "rb") as file:
        before = os.fstat(file.fileno())
        if before.st_size < STREAM_FROM:
            return False
        first = file.read(1_000_000 + len(codecs.BOM_UTF8))
        file.seek(-1, os.SEEK_END)
        ends_with_newline = file.read(1) == b"\n"
    if _encoding(first[:4096]) is not None:
        return False
    bom = first.startswith(codecs.BOM_UTF8)
    first = first[len(codecs.BOM_UTF8) :] if bom else first
    if not first[: 1 << 16].strip() or first[:1].isspace():
        return False  # leading blank lines or spaces: the whole-file reader says what it makes of them
    trial = RawTable(file=table.file)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="census") as pool:
        census = pool.submit(census_of_file, path).result
        stream = lambda: pa.input_stream(str(path))  # noqa: E731
        if not _read_fast(stream, before.st_size, first, ends_with_newline, trial, census) or not trial.rows:
            return False
    after = os.stat(path)
    if (after.st_size, after.st_mtime_ns, after.st_ino) != (before.st_size, before.st_mtime_ns, before.st_ino):
        return False  # changed while it was read: read again, whole
    if bom:
        _without_bom(pa.py_buffer(codecs.BOM_UTF8), table)
    end = min((at for at in (first.find(b"\n", 0, 40_000), first.find(b"\r", 0, 40_000)) if at >= 0), default=-1)
    table.first_line = first[: end if end >= 0 else 40_000].decode("utf-8", errors="replace")
    table.header, table.columns, table.numbers = trial.header, trial.columns, trial.numbers
    table.control_characters = census().may_hold_controls
    return True


def read_buffer(path: Path) -> pa.Buffer:
    """The file's bytes, in a buffer from pyarrow's memory pool, which keeps the pages it has used:
    a fresh `bytes` of a 30 MB file costs this VM 20 ms of page faults, half as long as parsing it."""
    with open(path, "rb") as file:
        size = os.fstat(file.fileno()).st_size
        buffer = pa.allocate_buffer(size)
        got = file.readinto(memoryview(buffer)) if size else 0
        rest = file.read()  # more than its size said: the file grew while it was read
    if got == size and not rest:
        return buffer
    return pa.py_buffer(memoryview(buffer)[:got].tobytes() + rest)


def _read_into(table: RawTable, body: pa.Buffer, name: str, census: Callable[[], Census]) -> None:
    """The header and cells of `body`, by the fast reader where it can, else cell by cell."""
    head = body[: (1 << 16) + 40_000].to_pybytes()
    if not head[: 1 << 16].strip():  # a file that starts with 64 KiB of spaces, or holds nothing else
        head = body.to_pybytes()
    if not head.strip() or (len(body) < 4096 and not head.decode("utf-8", errors="replace").strip()):
        table.problems.append(
            Problem(name, "the file is empty", "start from data/statements.csv, which has the header row", row=1)
        )
        return
    start = len(head) - len(head.lstrip())
    # The first line ends at a line feed or a carriage return (CRLF, or classic Mac's CR alone).
    end = min(
        (at for at in (head.find(b"\n", start, start + 40_000), head.find(b"\r", start, start + 40_000)) if at >= 0),
        default=-1,
    )
    table.first_line = head[start : end if end >= 0 else start + 40_000].decode("utf-8", errors="replace")
    # Well-formed UTF-8 goes straight to the fast reader, never decoded into one large string.
    if not _read_buffer_fast(body, table, census):
        data = body.to_pybytes()
        if census().carriage_returns and b"\r\n" in data:
            table.problems.append(
                Problem(
                    name,
                    "the file uses Windows line endings (CRLF); it was read correctly",
                    "save it with LF line endings to keep diffs readable",
                    severity="warning",
                )
            )
        elif census().carriage_returns and not census().line_feeds:
            table.problems.append(
                Problem(
                    name,
                    "the file uses classic Mac line endings (a carriage return alone); it was read correctly",
                    "save it with LF line endings, as CSV UTF-8",
                    severity="warning",
                )
            )
        before = len(table.problems)
        text = _decode(data, table)
        replaced = len(table.problems) > before  # bytes that were not UTF-8, now U+FFFD
        encoded = text.encode("utf-8") if replaced else b""
        if not (replaced and _read_buffer_fast(pa.py_buffer(encoded), table, lambda: take_census(encoded))):
            _read_careful(text, table)
    if not table.rows:
        table.problems.append(
            Problem(name, "the file has a header but no data rows", "add one row per sourced statement", row=2)
        )


def strip_cells(column: pd.Series) -> pd.Series:
    """`str.strip()` on every cell, touching only the cells that start or end with a space."""
    if column.empty:
        return column
    padded = column.str[:1].isin(SPACE_CHARS) | column.str[-1:].isin(SPACE_CHARS)
    if not padded.any():
        return column
    column = column.copy()
    column[padded] = [value.strip() for value in column[padded]]
    return column


def _byte_table(chars: set[str], last: bool) -> np.ndarray:
    """256 flags: the bytes that can begin (or end) the UTF-8 of one of `chars`."""
    table = np.zeros(256, dtype=bool)
    for char in chars:
        encoded = char.encode("utf-8")
        table[encoded[-1] if last else encoded[0]] = True
    return table


_MAY_START_SPACE = _byte_table(SPACE_CHARS, last=False)
_MAY_END_SPACE = _byte_table(SPACE_CHARS, last=True)


def padded_cells(chunk: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """For each cell of an Arrow string array: whether it may start or end with a space (read from
    its first and last byte, straight from Arrow's buffers), and whether it is empty."""
    _, offsets, data = chunk.buffers()
    width = np.int64 if pa.types.is_large_string(chunk.type) else np.int32
    bounds = np.frombuffer(offsets, dtype=width)[chunk.offset : chunk.offset + len(chunk) + 1]
    starts, ends = bounds[:-1], bounds[1:]
    empty = starts == ends
    if data is None or not len(data):
        return np.zeros(len(chunk), dtype=bool), empty
    raw = np.frombuffer(data, dtype=np.uint8)
    # Every cell at once, empty ones too (which read a neighbour's byte; `empty` masks them):
    # selecting the filled cells first copies every array and took twice as long.
    padded = _MAY_START_SPACE[raw.take(starts, mode="clip")]
    padded |= _MAY_END_SPACE[raw.take(ends - 1, mode="clip")]
    padded &= ~empty
    return padded, empty


def strip_array(cells: pa.Array) -> pa.Array:
    """`str.strip()` on every cell of an Arrow string array; only the few padded cells go through Python."""
    padded, _ = padded_cells(cells)
    if not padded.any():
        return cells
    where = np.flatnonzero(padded)
    stripped = pa.array([value.strip() for value in cells.take(pa.array(where)).to_pylist()], cells.type)
    return pc.replace_with_mask(cells, pa.array(padded), stripped)


def _strip_arrow(column: pa.ChunkedArray) -> tuple[pd.Series, np.ndarray]:
    """`str.strip()` on every cell of a parsed column, and which cells are then empty: a cell that
    cannot start or end with a space is empty exactly when its length is 0."""
    padded_parts, empty_parts = [], []
    for chunk in column.chunks:
        padded, empty = padded_cells(chunk)
        padded_parts.append(padded)
        empty_parts.append(empty)
    cells = column.to_pandas()
    padded = np.concatenate(padded_parts) if padded_parts else np.zeros(0, dtype=bool)
    empty = np.concatenate(empty_parts) if empty_parts else np.zeros(0, dtype=bool)
    if padded.any():
        cells = cells.copy()
        cells[padded] = stripped = [value.strip() for value in cells[padded]]
        empty[padded] = [not value for value in stripped]
    return cells, empty


def _block_size(size: int) -> int:
    """Eight blocks or more, so that both cores parse a file of a few MB, of 1 to 4 MiB: larger
    blocks parse slower (measured: 16 MiB blocks took 2.5x as long on a 300 MB file), smaller ones
    leave more chunks to go through one by one downstream (sixteen blocks read a 30 MB file 7%
    slower than eight, medians of 11)."""
    return min(max(size // 8, 1 << 20), 1 << 22)


def _read_buffer_fast(data: pa.Buffer, table: RawTable, census: Callable[[], Census]) -> bool:
    """`_read_fast` of bytes in memory."""
    ends_with_newline = data[len(data) - 1 :].to_pybytes() == b"\n"
    first = data[:1_000_000].to_pybytes()
    return _read_fast(lambda: pa.BufferReader(data), len(data), first, ends_with_newline, table, census)


def _read_fast(
    stream: Callable[[], pa.NativeFile],
    size: int,
    first: bytes,
    ends_with_newline: bool,
    table: RawTable,
    census: Callable[[], Census],
) -> bool:
    """Parse a well-formed file (UTF-8 bytes, from `stream()`, which starts with `first`) with
    pyarrow; False, and nothing changed, when it is not one. The census is asked for once pyarrow
    has parsed: it may have been counting meanwhile."""
    end = first.find(b"\n")
    if end < 0 or first.count(b'"', 0, end) % 2:
        return False  # a header cell running over a line, or a header of a megabyte: the careful reader
    try:
        header = next(csv.reader([first[:end].decode("utf-8")]), [])
    except (UnicodeDecodeError, csv.Error):  # a carriage return in the header line: the careful reader
        return False
    if not header:
        return False
    if b"\r" in first:
        return False  # CRLF, as Excel writes CSV: known before parsing (a later lone one, from the census)
    names = [f"c{i}" for i in range(len(header))]
    try:
        parsed = pacsv.read_csv(
            stream(),
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, block_size=_block_size(size)),
            parse_options=pacsv.ParseOptions(ignore_empty_lines=False, newlines_in_values=False),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.large_string()),  # what pandas' str holds: no cast
                null_values=[],
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, ValueError, OverflowError):
        return False  # a row of another width, a blank line, a quote left open: the careful reader says where
    counts = census()
    if counts.carriage_returns:
        return False  # CRLF, or a lone carriage return: the careful reader
    lines = counts.line_feeds + (not ends_with_newline)
    if lines < 2 or parsed.num_rows != lines - 1:
        return False  # no data rows, or a line break inside a quoted cell: reported cell by cell
    table.header = [cell.strip() for cell in header]
    stripped, blank = [], np.ones(parsed.num_rows, dtype=bool)
    for i in range(len(header)):
        cells, empty = _strip_arrow(parsed.column(i))
        stripped.append(cells)
        blank &= empty
    keep = ~blank  # a row of empty cells: spreadsheets show it, it holds nothing
    table.numbers = np.arange(2, parsed.num_rows + 2, dtype=np.int64)[keep]
    for position, name in enumerate(table.header):
        cells = stripped[position][keep] if not keep.all() else stripped[position]
        table.columns[name] = cells.reset_index(drop=True)
    return True


def _read_careful(text: str, table: RawTable) -> None:
    """Python's csv module, row by row, with a located problem for every malformed row."""
    csv.field_size_limit(sys.maxsize)  # a very long cell is reported by the length checks, not a crash
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as err:
        table.problems.append(
            Problem(table.file, f"the file cannot be read as CSV ({err})", 'save it as "CSV UTF-8" from a spreadsheet')
        )
        return
    table.header = [cell.strip() for cell in records[0]]
    rows, numbers = [], []
    for position, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue  # blank line: spreadsheets show it, it holds nothing
        rows.append(_cells(record, table, position))
        numbers.append(position)
    table.numbers = np.array(numbers, dtype=np.int64)
    names = dict.fromkeys([*table.header, *(["extra"] if any("extra" in r for r in rows) else [])])
    for name in names:
        table.columns[name] = strip_cells(pd.Series([r.get(name, "") for r in rows], dtype="str"))


_SAVE_AS_UTF8 = (
    'save it as "CSV UTF-8 (comma delimited)" in Excel, or as "Text CSV" with the character set '
    '"Unicode (UTF-8)" in LibreOffice'
)


def _as_utf8(data: pa.Buffer, table: RawTable) -> pa.Buffer | None:
    """`data` as UTF-8: itself, or a UTF-16 file with a byte-order mark (Excel's "Unicode text")
    decoded, with a warning; None, after one line naming the encoding, for what cannot be read
    unambiguously (UTF-32, and UTF-16 without a byte-order mark, told by its zero bytes)."""
    head = data[:4096].to_pybytes()
    encoding = _encoding(head)
    if encoding is None:
        return data
    if encoding != "UTF-16":
        table.problems.append(Problem(table.file, f"the file is {encoding}; the dashboard reads UTF-8", _SAVE_AS_UTF8))
        return None
    text = data.to_pybytes().decode("utf-16", errors="replace")  # the BOM says which byte order
    table.problems.append(
        Problem(
            table.file,
            'the file is UTF-16 (as Excel saves "Unicode text"); it was read',
            _SAVE_AS_UTF8,
            row=1,
            severity="warning",
        )
    )
    if "\ufffd" in text:
        table.problems.append(
            Problem(
                table.file, "the UTF-16 file holds bytes that are not text; they were read as \ufffd", _SAVE_AS_UTF8
            )
        )
    return pa.py_buffer(text.encode("utf-8"))


def _encoding(head: bytes) -> str | None:
    """None for what may be UTF-8; else the encoding the first bytes show."""
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "UTF-32"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "UTF-16"
    pairs = len(head) // 2
    if pairs < 2 or head.count(0) < pairs // 2:
        return None  # text in UTF-16 or UTF-32 has a zero byte in (at least) every other byte of ASCII
    quads = [head[i::4].count(0) for i in range(4)]
    if sum(count > len(head) // 8 for count in quads) >= 3:
        return "UTF-32 (without a byte-order mark)"
    odd = head[1::2].count(0) > head[0::2].count(0)
    return f"UTF-16 {'little' if odd else 'big'}-endian without a byte-order mark"


def _without_bom(data: pa.Buffer, table: RawTable) -> pa.Buffer:
    if data[: len(codecs.BOM_UTF8)].to_pybytes() == codecs.BOM_UTF8:
        data = data[len(codecs.BOM_UTF8) :]
        table.problems.append(
            Problem(
                table.file,
                "the file starts with a byte-order mark (as Excel writes UTF-8); it was ignored",
                'save as "CSV UTF-8" without BOM, or leave it: the dashboard reads it',
                row=1,
                severity="warning",
            )
        )
    return data


def _decode(data: bytes, table: RawTable) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # Report every line with bytes that are not UTF-8, then read on with replacements.
    for number, line in enumerate(data.split(b"\n"), start=1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as err:
            bad = line[err.start : err.start + 1].hex().upper()
            table.problems.append(
                Problem(
                    table.file,
                    f"line {number} has bytes that are not UTF-8 (0x{bad} at character {err.start + 1}); "
                    "the text was read with \ufffd in their place",
                    'save the file as UTF-8 ("CSV UTF-8" in Excel, "Unicode (UTF-8)" in LibreOffice)',
                    row=number,
                )
            )
    return data.decode("utf-8", errors="replace")


def _cells(record: list[str], table: RawTable, row: int) -> dict[str, str]:
    header = table.header
    if len(record) != len(header):
        table.problems.append(
            Problem(
                table.file,
                f"the row has {len(record)} cells but the header has {len(header)}",
                "quote any cell that contains a comma, and check for a missing or extra comma",
                row=row,
            )
        )
    cells = dict(zip(header, record + [""] * (len(header) - len(record))))
    if len(record) > len(header):
        cells["extra"] = ",".join(record[len(header) :])
    for column, value in cells.items():
        if "\n" in value or "\r" in value:
            table.problems.append(
                Problem(
                    table.file,
                    "the cell contains a line break",
                    "replace the line break with a space; quotes are compared with whitespace ignored",
                    row=row,
                    column=column,
                )
            )
    return cells
