"""Checking a dataset: every problem as one line naming file, row, column, what is wrong, the fix.

The same checks run in `python -m dashboard check` and when the app loads a dataset.
"""

from __future__ import annotations

import csv
import difflib
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.dataset import columns, rubric
from dashboard.dataset.entitychecks import check_entities
from dashboard.dataset.loading import RawTable, read_table
from dashboard.dataset.problems import Problem, has_errors
from dashboard.dataset.rowchecks import (
    Rows,
    check_characters,
    check_dates,
    check_enums,
    check_inferred_note,
    check_lengths,
    check_names_in_quote,
    check_patterns,
    check_required,
    check_scripts,
    check_sources,
    check_unique,
)
from dashboard.dataset.schema import (
    ENFORCED_CONSTRAINTS,
    PACKAGE_FILE,
    STORY_VOCABULARIES,
    Field,
    Schema,
    bundled_schema,
    load_package,
)
from dashboard.dataset.sources import Document, OnDemand, find_seeds_dir, read_sources


@dataclass
class CheckedDataset:
    """A dataset after checking. `frame` holds the rows without errors (all rows when clean),
    one string column per schema field plus `row`, the spreadsheet row number."""

    path: Path
    schema: Schema
    seeds_dir: Path
    frame: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    documents: dict[str, Document] = field(default_factory=dict)
    rows_with_errors: int = 0

    @property
    def ok(self) -> bool:
        return not has_errors(self.problems)

    @property
    def usable(self) -> bool:
        """True when the file could be read as a table, even if some rows have errors."""
        return not self.file_errors and not self.frame.empty

    @property
    def file_errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error and p.row is None]


def check_dataset(path: Path | str, label: str | None = None) -> CheckedDataset:
    """Read and check a statements CSV, its schema and its sources. Never raises on bad input."""
    path = Path(path)
    label = label or str(path)
    schema, problems = find_schema(path, label)
    seeds_dir = find_seeds_dir(path)
    table = read_table(path, label)
    delimiter = delimiter_problem(table, schema)
    if delimiter is not None:  # every row would be wrong in the same way: say why, once
        problems.append(delimiter)
        table.problems = [p for p in table.problems if p.row is None or not p.is_error]
        table.columns, table.numbers = {}, table.numbers[:0]
    else:
        problems += table.problems
        problems += check_header(table, schema)
    frame = to_frame(table, schema)
    oversized, bounded = bound_cells(frame, label)
    problems += oversized
    documents = OnDemand(lambda: read_documents(bounded, seeds_dir))  # read by the quote check's thread
    if not bounded.empty:
        absent = frozenset(schema.columns) - set(table.header)
        rows = Rows(bounded, schema, label, documents, seeds_dir, absent, table.control_characters)
        problems += run_checks(rows)
    bad_rows = {p.row for p in problems if p.is_error and p.row is not None}
    clean = frame[~frame["row"].isin(bad_rows)].reset_index(drop=True) if bad_rows and not frame.empty else frame
    cited = set(pd.unique(clean["source"])) if not clean.empty else set()
    return CheckedDataset(
        path=path,
        schema=schema,
        seeds_dir=seeds_dir,
        frame=clean,
        problems=sorted(problems, key=_order),
        # Without their bytes, kept only for the check: the text is what the app reads.
        documents={name: replace(document, utf8=None) for name, document in documents.items() if name in cited},
        rows_with_errors=int(frame["row"].isin(bad_rows).sum()) if bad_rows and not frame.empty else 0,
    )


# The most characters one cell may hold. A quote is a passage, not a document (the bundled cells are
# under 400); past about 300,000 characters in one quote the Aho–Corasick automaton of the quote
# check overflows the stack and kills the process, and other checks slow with the cell's size.
MAX_CELL_CHARS = 10_000


def bound_cells(frame: pd.DataFrame, label: str) -> tuple[list[Problem], pd.DataFrame]:
    """A located error for every cell over MAX_CELL_CHARS, and the frame without their rows: those
    rows reach no other check (nor any native code that a cell's size could break)."""
    if frame.empty:
        return [], frame
    problems, keep = [], np.ones(len(frame), dtype=bool)
    for column in frame.columns.drop("row"):
        cells = columns.arrow(frame[column])
        # A cell holds no more characters than bytes, and its bytes are read from the offsets alone:
        # the characters are counted only in a column with a cell of more bytes than the limit.
        if columns.longest_bytes(cells) <= MAX_CELL_CHARS:
            continue
        lengths = pc.utf8_length(cells).to_numpy(zero_copy_only=False)
        over = lengths > MAX_CELL_CHARS
        for row, length in zip(frame["row"].to_numpy()[over], lengths[over]):
            problems.append(
                Problem(
                    label,
                    f"the cell holds {int(length):,} characters, more than the {MAX_CELL_CHARS:,} a cell may hold",
                    "shorten it: quote the passage that supports the row, not the whole document",
                    row=int(row),
                    column=column,
                )
            )
        keep &= ~over
    return problems, (frame if keep.all() else frame[keep].reset_index(drop=True))


def run_checks(rows: Rows) -> list[Problem]:
    """Every row check and the entity checks, their lines in the order of ROW_CHECKS. On a large
    dataset they run on two threads: most of their time is in pyarrow and numpy, which release the
    GIL, so a second core does real work. The two longest start first, one per thread: the entity
    checks, and the quotes (which read the sources first: `rows.documents` is read on demand).
    Each check only reads the frame. The others follow longest first (LONGEST_FIRST), so that
    the two threads end together rather than one running a long check alone at the end."""
    if len(rows.frame) < PARALLEL_FROM:
        return [problem for check in ROW_CHECKS for problem in check(rows)] + check_entities(rows.frame, rows.label)
    with quick_handoffs(), ThreadPoolExecutor(max_workers=2, thread_name_prefix="check") as pool:
        entities = pool.submit(check_entities, rows.frame, rows.label)
        found = {check: pool.submit(check, rows) for check in sorted(ROW_CHECKS, key=_rank)}
        return [problem for check in ROW_CHECKS for problem in found[check].result()] + entities.result()


def _rank(check: Callable[[Rows], list[Problem]]) -> int:
    return LONGEST_FIRST.index(check) if check in LONGEST_FIRST else len(LONGEST_FIRST)


# The row checks that take longest at a million statements (CPU time: the quotes 0.5 s, the rubric
# 0.22 s, unique ids 0.11 s, names in quotes 0.08 s, vocabularies 0.07 s), longest first.
LONGEST_FIRST: list[Callable[[Rows], list[Problem]]] = [
    check_sources,
    rubric.check_frame,
    check_unique,
    check_names_in_quote,
    check_enums,
    check_patterns,
]
# Below this many rows a thread costs more than it saves (measured against one thread: 1,000 rows
# 6-18% slower, 5,000 rows 7-14% slower, 10,000 rows 4-6% faster).
PARALLEL_FROM = 8_000
# How often the GIL changes hands while the checks run on two threads (Python's default: 5 ms).
HANDOFF_SECONDS = 0.001
_handoffs = threading.Lock()
_handoff_users = 0
_usual_interval = sys.getswitchinterval()


@contextmanager
def quick_handoffs() -> Iterator[None]:
    """The GIL passed every HANDOFF_SECONDS while checks run on two threads, then the interval put
    back when the last such run ends (runs may overlap: two sessions loading two datasets). A thread
    coming back from pyarrow or numpy waits for the other to yield the GIL, which a thread running
    Python does once per interval. Interleaved, at a million statements: 1.90-2.08x a bare read with
    5 ms, 1.56-1.69x with 1 ms (0.5 ms: worse again); at 10,000, 3.53x against 3.28x; at 100,000
    within the noise. The interval is the process's: the server's other threads share it meanwhile."""
    global _handoff_users, _usual_interval
    with _handoffs:
        if _handoff_users == 0:
            _usual_interval = sys.getswitchinterval()
            sys.setswitchinterval(min(_usual_interval, HANDOFF_SECONDS))
        _handoff_users += 1
    try:
        yield
    finally:
        with _handoffs:
            _handoff_users -= 1
            if _handoff_users == 0:
                sys.setswitchinterval(_usual_interval)


def _order(problem: Problem) -> tuple:
    return (problem.row is not None, problem.row or 0, not problem.is_error)


def find_schema(csv_path: Path, label: str) -> tuple[Schema, list[Problem]]:
    """The dataset's own datapackage.json if it has one, else the bundled schema."""
    bundled = bundled_schema()
    own_path = csv_path.parent / PACKAGE_FILE
    if not own_path.is_file():
        # Sides belong to a story: without a datapackage of its own, any side is accepted.
        side = replace(bundled.field("side"), enum=None)
        fields = tuple(side if f.name == "side" else f for f in bundled.fields)
        note = Problem(
            label,
            f"no {PACKAGE_FILE} beside the CSV: the bundled schema is used and sides are not checked",
            f"copy data/{PACKAGE_FILE} next to the CSV and set its title, credit and side list",
            severity="warning",
        )
        return replace(bundled, fields=fields, own=False, title="", description="", credit=""), [note]
    package_label = str(own_path)
    try:
        schema = load_package(own_path)
    except (ValueError, KeyError, TypeError) as err:
        return bundled, [Problem(package_label, f"cannot read the schema: {err}", "fix the JSON, or delete the file")]
    problems = [
        Problem(
            package_label,
            f'field "{f.name}": the constraint "{key}" is not checked by the dashboard',
            f"check it another way, or remove it; the dashboard checks {', '.join(ENFORCED_CONSTRAINTS)}",
            severity="warning",
        )
        for f in schema.fields
        for key in f.unchecked
    ]
    problems += [
        Problem(
            package_label,
            f'field "{f.name}": the pattern is checked by RE2, which reads it otherwise than Python '
            r"(\d, \w, \s and \b match ASCII only; [[:alpha:]] is a class)",
            r"write ranges such as [0-9] or \p{L}, which read the same everywhere",
            severity="warning",
        )
        for f in schema.fields
        if f.pattern and not columns.re2_reads_as_python(f.pattern)
    ]
    for core in bundled.fields:
        try:
            mine = schema.field(core.name)
        except KeyError:
            problems.append(
                Problem(package_label, f'field "{core.name}" is missing', f"copy it from data/{PACKAGE_FILE}")
            )
            continue
        if core.enum and core.name not in STORY_VOCABULARIES and set(mine.enum or ()) != set(core.enum):
            problems.append(
                Problem(
                    package_label,
                    f'field "{core.name}" must list exactly {", ".join(core.enum)}: the dashboard gives them meaning',
                    f"copy its enum from data/{PACKAGE_FILE}",
                )
            )
    return (schema if not has_errors(problems) else bundled), problems


_DELIMITERS = {";": "semicolon", "\t": "tab", "|": "pipe"}


def delimiter_problem(table: RawTable, schema: Schema) -> Problem | None:
    """A file whose header reads better split on ";", a tab or "|" than on commas (as spreadsheets
    set to some locales save CSV) gets one line naming the cause instead of one per row."""
    if not table.first_line:
        return None
    try:
        delimiter = csv.Sniffer().sniff(table.first_line, delimiters="".join(_DELIMITERS)).delimiter
    except csv.Error:
        return None
    try:
        cells = next(csv.reader([table.first_line], delimiter=delimiter), [])
    except csv.Error:
        return None
    known = sum(cell.strip() in schema.columns for cell in cells)
    if known <= sum(column in schema.columns for column in table.header):
        return None
    name = _DELIMITERS[delimiter]
    return Problem(
        table.file,
        f"the file looks {name}-separated ({known} of its header cells are column names when split on "
        f"{'a tab' if delimiter == chr(9) else repr(delimiter)}), but the dashboard reads comma-separated CSV",
        'save it as "CSV UTF-8 (comma delimited)", or set the list separator to a comma before exporting',
        row=1,
    )


def check_header(table: RawTable, schema: Schema) -> list[Problem]:
    if not table.header:
        return []
    problems = []
    seen = set()
    for column in table.header:
        if column in seen:
            problems.append(Problem(table.file, f'column "{column}" appears twice', "delete or rename one", row=1))
        seen.add(column)
    for f in schema.fields:
        if f.name in seen:
            continue
        if f.required:
            problems.append(
                Problem(table.file, f'required column "{f.name}" is missing', _add_column_hint(f, table, schema), row=1)
            )
        else:
            problems.append(
                Problem(
                    table.file,
                    f'column "{f.name}" is missing; it is read as empty',
                    f'add a "{f.name}" column to use it',
                    row=1,
                    severity="warning",
                )
            )
    for column in table.header:
        if column and column not in schema.columns:
            close = difflib.get_close_matches(column, schema.columns, n=1)
            hint = f'did you mean "{close[0]}"?' if close else "remove it, or add it to the schema"
            problems.append(
                Problem(
                    table.file,
                    f'column "{column}" is not in the schema and is ignored',
                    hint,
                    row=1,
                    severity="warning",
                )
            )
    return problems


def _add_column_hint(f: Field, table: RawTable, schema: Schema) -> str:
    strays = [c for c in table.header if c not in schema.columns]
    close = difflib.get_close_matches(f.name, strays, n=1, cutoff=0.8)
    if close:
        return f'rename column "{close[0]}" to "{f.name}"'
    return f'add a "{f.name}" column ({f.description.split(".")[0].lower()})'


def to_frame(table: RawTable, schema: Schema) -> pd.DataFrame:
    """One text column per schema field (empty where the header lacks it), surrounding spaces
    removed, plus `row`, the spreadsheet row number. Empty when the header itself is unusable."""
    if any(p.is_error and p.row in (None, 1) for p in table.problems) or not table.rows:
        return pd.DataFrame(columns=[*schema.columns, "row"])
    frame = pd.DataFrame({c: table.columns[c] if c in table.columns else _empty(table.rows) for c in schema.columns})
    frame["row"] = table.numbers
    return frame


def _empty(rows: int) -> pd.Series:
    """A column of empty cells, as the reader's columns are (Arrow large strings), made from two
    buffers: a list of a million "" took 60 ms to convert."""
    cells = pa.LargeStringArray.from_buffers(rows, pa.py_buffer(np.zeros(rows + 1, dtype=np.int64)), pa.py_buffer(b""))
    return pa.chunked_array([cells]).to_pandas()


def read_documents(frame: pd.DataFrame, seeds_dir: Path) -> dict[str, Document]:
    """Regular files inside the seeds folder only; refused ones are reported per row (check_sources)."""
    if frame.empty:
        return {}
    return read_sources(frame["source"].unique(), seeds_dir)[0]


# Row-level checks, in the order their lines appear for a row. A check takes Rows and returns problems.
ROW_CHECKS: list[Callable[[Rows], list[Problem]]] = [
    check_required,
    check_enums,
    check_lengths,
    check_characters,
    check_unique,
    check_dates,
    check_patterns,
    check_inferred_note,
    check_names_in_quote,
    check_sources,
    check_scripts,
    rubric.check_frame,  # the certainty rubric and the date coding (codebook)
]
