"""Reading a statements CSV into rows, reporting what stops a spreadsheet from reading it well."""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from dashboard.problems import Problem


@dataclass
class RawTable:
    """The CSV as text cells. `rows[i]` is spreadsheet row `numbers[i]`; cells are never lost:
    short rows are padded, extra cells kept under `extra`."""

    file: str
    header: list[str] = field(default_factory=list)
    rows: list[dict[str, str]] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


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
    text = _decode(data, table)
    if not text.strip():
        table.problems.append(
            Problem(name, "the file is empty", "start from data/statements.csv, which has the header row", row=1)
        )
        return table
    if "\r\n" in text:
        table.problems.append(
            Problem(
                name,
                "the file uses Windows line endings (CRLF); it was read correctly",
                "save it with LF line endings to keep diffs readable",
                severity="warning",
            )
        )
    records = list(csv.reader(io.StringIO(text, newline="")))
    table.header = [cell.strip() for cell in records[0]]
    for position, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue  # blank line: spreadsheets show it, it holds nothing
        table.rows.append(_cells(record, table, position))
        table.numbers.append(position)
    if not table.rows:
        table.problems.append(
            Problem(name, "the file has a header but no data rows", "add one row per sourced statement", row=2)
        )
    return table


def _decode(data: bytes, table: RawTable) -> str:
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
