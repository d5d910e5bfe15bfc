"""Reading a statements CSV into columns, reporting what stops a spreadsheet from reading it well.

A well-formed file (LF line endings, one line per row, every row as wide as the header) is parsed
by pyarrow's C++ reader; anything else falls back to the careful reader (Python's csv module, row
by row), so a broken file still gets one located line per problem.
"""

from __future__ import annotations

import codecs
import csv
import io
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from dashboard.problems import Problem

# The characters str.strip() removes (str.isspace), so a column can be stripped exactly, in bulk.
SPACE_CHARS = frozenset(
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
    "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)

# Control characters (tab, line feed and carriage return aside) and the bidirectional controls,
# whose UTF-8 starts with 0xD8 (U+061C) or 0xE2 (U+200E...U+2069): a file holding none of them skips
# the cell-by-cell search.
BIDI_CHARS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_BIDI_TAILS = {lead: {char.encode()[1:] for char in BIDI_CHARS if char.encode()[0] == lead} for lead in (0xD8, 0xE2)}


def may_hold_controls(body: bytes) -> bool:
    """True when some byte of the file can be a control character or part of a bidirectional control.
    Compares byte arrays (numpy) a block at a time rather than searching with a regular expression:
    5x faster, and the block's scratch arrays stay small however large the file."""
    if b"\x7f" in body:
        return True
    data = np.frombuffer(body, dtype=np.uint8)
    leads = [lead for lead in _BIDI_TAILS if bytes([lead]) in body]  # one memchr each
    scratch = np.empty(min(len(data), _BLOCK), dtype=bool)
    for start in range(0, len(data), _BLOCK):
        block = data[start : start + _BLOCK]
        flags = scratch[: len(block)]
        low = np.count_nonzero(np.less(block, 0x20, out=flags))
        if low and low != sum(np.count_nonzero(np.equal(block, byte, out=flags)) for byte in b"\t\n\r"):
            return True
        for lead in leads:
            starts = start + np.flatnonzero(np.equal(block, lead, out=flags))
            # The bytes after each lead byte, read as one number ("\x80\x8e" -> 0x808E), against the controls'.
            following = np.zeros(len(starts), dtype=np.int64)
            for k in range(1, len(next(iter(_BIDI_TAILS[lead]))) + 1):
                following = following * 256 + data[np.minimum(starts + k, len(data) - 1)]
            if np.isin(following, [int.from_bytes(tail, "big") for tail in _BIDI_TAILS[lead]]).any():
                return True
    return False


_BLOCK = 1 << 22


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
        data = path.read_bytes()
    except FileNotFoundError:
        table.problems.append(Problem(name, "file not found", "check the path"))
        return table
    except OSError as err:
        table.problems.append(Problem(name, f"cannot read the file ({err.strerror})", "check its permissions"))
        return table
    body = _without_bom(data, table)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="screen") as pool:
        # The byte screen (numpy, which lets go of the GIL) runs while pyarrow parses.
        screened = pool.submit(may_hold_controls, body) if len(body) > SCREEN_ALONGSIDE_FROM else None
        _read_into(table, body, name)
        table.control_characters = screened.result() if screened else may_hold_controls(body)
    return table


SCREEN_ALONGSIDE_FROM = 8 << 20  # bytes; below it a thread costs more than the screen


def _read_into(table: RawTable, body: bytes, name: str) -> None:
    """The header and cells of `body`, by the fast reader where it can, else cell by cell."""
    if _blank(body) or (len(body) < 4096 and not body.decode("utf-8", errors="replace").strip()):
        table.problems.append(
            Problem(name, "the file is empty", "start from data/statements.csv, which has the header row", row=1)
        )
        return
    start = len(body) - len(body.lstrip())
    end = body.find(b"\n", start, start + 40_000)
    table.first_line = body[start : end if end >= 0 else start + 40_000].decode("utf-8", errors="replace")
    if b"\r" in body and b"\r\n" in body:  # one byte is found at memchr speed, two are not
        table.problems.append(
            Problem(
                name,
                "the file uses Windows line endings (CRLF); it was read correctly",
                "save it with LF line endings to keep diffs readable",
                severity="warning",
            )
        )
    # Well-formed UTF-8 goes straight to the fast reader, never decoded into one large string.
    if not _read_fast(body, table):
        before = len(table.problems)
        text = _decode(body, table)
        replaced = len(table.problems) > before  # bytes that were not UTF-8, now U+FFFD
        if not (replaced and _read_fast(text.encode("utf-8"), table)):
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


def _blank(body: bytes) -> bool:
    """Nothing but spaces and line ends: the file's start tells, without copying the whole file."""
    return not body[:65536].strip() and not body.strip()


def padded_cells(chunk: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """For each cell of an Arrow string array: whether it may start or end with a space (read from
    its first and last byte, straight from Arrow's buffers), and whether it is empty."""
    _, offsets, data = chunk.buffers()
    width = np.int64 if pa.types.is_large_string(chunk.type) else np.int32
    bounds = np.frombuffer(offsets, dtype=width)[chunk.offset : chunk.offset + len(chunk) + 1]
    filled = bounds[1:] > bounds[:-1]
    padded = np.zeros(len(chunk), dtype=bool)
    if data is not None and filled.any():
        raw = np.frombuffer(data, dtype=np.uint8)
        padded[filled] = _MAY_START_SPACE[raw[bounds[:-1][filled]]] | _MAY_END_SPACE[raw[bounds[1:][filled] - 1]]
    return padded, ~filled


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


def _read_fast(data: bytes, table: RawTable) -> bool:
    """Parse a well-formed file (UTF-8 bytes) with pyarrow; False, and nothing changed, when it is not one."""
    end = data.find(b"\n")
    if end < 0 or data.count(b'"', 0, end) % 2:
        return False  # a header cell running over a line: the careful reader
    byte_values = np.frombuffer(data, dtype=np.uint8)
    if b"\r" in data:
        return False  # CRLF, or a lone carriage return: the careful reader
    try:
        header = next(csv.reader([data[:end].decode("utf-8")]), [])
    except UnicodeDecodeError:
        return False
    lines = np.count_nonzero(byte_values == 0x0A) + (not data.endswith(b"\n"))
    if not header or lines < 2:
        return False
    names = [f"c{i}" for i in range(len(header))]
    try:
        parsed = pacsv.read_csv(
            io.BytesIO(data),
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, block_size=_block_size(len(data))),
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
    if parsed.num_rows != lines - 1:
        return False  # a line break inside a quoted cell: reported cell by cell
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
    records = list(csv.reader(io.StringIO(text, newline="")))
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


def _without_bom(data: bytes, table: RawTable) -> bytes:
    if data.startswith(codecs.BOM_UTF8):
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
