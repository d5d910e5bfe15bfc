"""Checking a dataset: every problem as one line naming file, row, column, what is wrong, the fix.

The same checks run in `python -m dashboard check` and when the app loads a dataset.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from dashboard import names, rubric
from dashboard.dates import parse_partial
from dashboard.loading import RawTable, read_table
from dashboard.problems import Problem, has_errors
from dashboard.schema import (
    PACKAGE_FILE,
    STORY_VOCABULARIES,
    Field,
    Schema,
    bundled_schema,
    load_package,
)
from dashboard.sources import Document, find_seeds_dir, read_document, source_path


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
    problems += table.problems
    problems += check_header(table, schema)
    records = to_records(table, schema)
    frame = pd.DataFrame(records, columns=[*schema.columns, "row"])
    documents = read_documents(frame, seeds_dir)
    if records:
        absent = frozenset(schema.columns) - set(table.header)
        problems += check_rows(records, schema, label, documents, seeds_dir, absent)
        problems += check_entities(records, label)
    bad_rows = {p.row for p in problems if p.is_error and p.row is not None}
    clean = frame[~frame["row"].isin(bad_rows)].reset_index(drop=True) if not frame.empty else frame
    return CheckedDataset(
        path=path,
        schema=schema,
        seeds_dir=seeds_dir,
        frame=clean,
        problems=sorted(problems, key=_order),
        documents=documents,
        rows_with_errors=len(bad_rows & set(frame["row"])) if not frame.empty else 0,
    )


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
    problems = []
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
    return (schema if not problems else bundled), problems


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


def to_records(table: RawTable, schema: Schema) -> list[dict]:
    """The rows as dicts of strings, every schema column present, surrounding spaces removed,
    plus `row`, the spreadsheet row number. Empty when the header itself is unusable."""
    if any(p.is_error and p.row in (None, 1) for p in table.problems):
        return []
    columns = schema.columns
    return [
        {**{c: (cells.get(c) or "").strip() for c in columns}, "row": number}
        for cells, number in zip(table.rows, table.numbers)
    ]


def read_documents(frame: pd.DataFrame, seeds_dir: Path) -> dict[str, Document]:
    documents = {}
    for name in frame["source"].unique():
        path = source_path(seeds_dir, name)
        if path is not None and path.is_file():
            documents[name] = read_document(path)
    return documents


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_REPLACED = "\ufffd"  # a byte that was not UTF-8, already reported for its line


def check_rows(
    records: list[dict],
    schema: Schema,
    label: str,
    documents: dict[str, Document],
    seeds_dir: Path,
    absent: frozenset[str] = frozenset(),
) -> list[Problem]:
    """Cell-level checks: required, enums, dates, unique ids, sources and verbatim quotes.
    Columns in `absent` are missing from the header, already reported once."""
    problems: list[Problem] = []

    def add(row, column, message, fix, severity="error"):
        problems.append(Problem(label, message, fix, row=row, column=column, severity=severity))

    required = [f for f in schema.fields if f.required and f.name not in absent]
    enums = [f for f in schema.fields if f.enum]
    limited = [f for f in schema.fields if f.max_length]
    first_row_of_id: dict[str, int] = {}
    for rec in records:
        row = rec["row"]
        for f in required:
            if not rec[f.name]:
                add(row, f.name, "the cell is empty but required", _required_fix(f.name))
        for f in enums:
            if rec[f.name] and rec[f.name] not in f.enum:
                close = difflib.get_close_matches(rec[f.name], f.enum, n=1)
                hint = f'write "{close[0]}"' if close else "use one of: " + ", ".join(f.enum)
                add(row, f.name, f'"{rec[f.name]}" is not one of the allowed values', hint)
        for f in limited:
            if len(rec[f.name]) > f.max_length:
                add(row, f.name, f"the text is {len(rec[f.name])} characters, over {f.max_length}", "shorten it")
        for column, value in rec.items():
            if isinstance(value, str) and _CONTROL.search(value):
                add(row, column, "the cell contains invisible control characters", "retype the cell")
        ident = rec["id"]
        if ident in first_row_of_id:
            add(
                row,
                "id",
                f'id "{ident}" is already used in row {first_row_of_id[ident]}',
                "give this row a new id; never renumber existing ones",
            )
        elif ident:
            first_row_of_id[ident] = row
            if not re.fullmatch(schema.field("id").pattern or ".*", ident):
                add(
                    row,
                    "id",
                    f'id "{ident}" has characters other than letters, digits, "_", "." and "-"',
                    "use a plain id such as s042",
                )
        if rec["date"]:
            try:
                parse_partial(rec["date"])
            except ValueError as err:
                message, _, fix = str(err).partition("; ")
                add(row, "date", message, fix or "write YYYY-MM-DD, YYYY-MM or YYYY")
        if rec["certainty"] == "inferred" and not rec["note"]:
            add(
                row,
                "note",
                "the row is inferred but the note does not say how",
                "explain in note what in the text supports the inference",
            )
        if rec["quote"]:
            for column, what in (("role", "role"), ("aliases", "alias")):
                for value in names.split_aliases(rec[column]):
                    if names.fold(value) not in names.fold(rec["quote"]):
                        add(
                            row,
                            column,
                            f'"{value}" does not appear in the quote',
                            f"quote the passage that gives this {what}",
                        )
        problems.extend(_check_source(rec, label, documents, seeds_dir))
    problems += rubric.check_rows(records, label)  # certainty rubric and date coding (dashboard/rubric.py)
    return problems


def _check_source(rec: dict, label: str, documents: dict[str, Document], seeds_dir: Path) -> list[Problem]:
    """The source file exists and the quote is verbatim in it."""
    name, quote, row = rec["source"], rec["quote"], rec["row"]
    if not name:
        return []
    if name not in documents and source_path(seeds_dir, name) is None:
        return [
            Problem(
                label,
                f'"{name}" is not a plain file name',
                f"write the name of a file in {seeds_dir}",
                row=row,
                column="source",
            )
        ]
    if name not in documents:
        return [
            Problem(
                label,
                f'source file "{name}" is not in {seeds_dir}',
                "add the document to the seeds folder, or correct the file name",
                row=row,
                column="source",
            )
        ]
    if not quote or _REPLACED in quote or documents[name].contains(quote):
        return []
    reason = documents[name].explain_mismatch(quote)
    return [
        Problem(
            label,
            f"the quote is not verbatim in the source: {reason}",
            "copy the exact passage from the source (only whitespace may differ)",
            row=row,
            column="quote",
        )
    ]


def _required_fix(column: str) -> str:
    return {
        "id": "give the row a unique id such as s042",
        "quote": "paste the verbatim passage of the source that supports the row",
        "attribution": 'say who says so, as the source puts it ("officials said"), or "The article"',
        "source": "write the file name of the source document in seeds/",
        "certainty": "write stated, alleged, denied or inferred",
    }.get(column, "fill it in")


def check_entities(records: list[dict], label: str) -> list[Problem]:
    """Entity-level checks: kind and side given and consistent, no near-duplicate names."""
    problems: list[Problem] = []
    first_seen: dict[str, tuple[int, str]] = {}  # name -> (row, column) where it first appears
    attributes: dict[tuple[str, str], tuple[str, int]] = {}
    for rec in records:
        for column in ("subject", "object"):
            if rec[column] and rec[column] not in first_seen:
                first_seen[rec[column]] = (rec["row"], column)
        for column in ("kind", "side"):
            value = rec[column]
            if not value or not rec["subject"]:
                continue
            key = (rec["subject"], column)
            if key in attributes and attributes[key][0] != value:
                earlier, earlier_row = attributes[key]
                problems.append(
                    Problem(
                        label,
                        f'{column} "{value}" for "{rec["subject"]}" conflicts with "{earlier}" in row {earlier_row}',
                        f"give {rec['subject']} one {column}",
                        row=rec["row"],
                        column=column,
                    )
                )
            attributes.setdefault(key, (value, rec["row"]))
    for name, (row, column) in first_seen.items():
        missing = [c for c in ("kind", "side") if (name, c) not in attributes]
        if missing:
            problems.append(
                Problem(
                    label,
                    f'"{name}" has no {" or ".join(missing)}',
                    f'fill {" and ".join(missing)} on a row where "{name}" is the subject (a profile row)',
                    row=row,
                    column=column,
                )
            )
    entity_names = list(first_seen)

    def near(a: str, b: str, message: str, fix: str, severity: str) -> Problem:
        later, earlier = sorted((a, b), key=lambda n: first_seen[n], reverse=True)
        row, column = first_seen[later]
        return Problem(
            label,
            message.format(later=later, earlier=earlier, row=first_seen[earlier][0]),
            fix.format(earlier=earlier),
            row=row,
            column=column,
            severity=severity,
        )

    for a, b in names.same_after_folding(entity_names):
        problems.append(
            near(
                a,
                b,
                '"{later}" and "{earlier}" (row {row}) differ only in accents, case or punctuation',
                'use one spelling: "{earlier}"',
                "error",
            )
        )
    for a, b in names.one_edit_apart(entity_names):
        if names.fold(a) != names.fold(b):
            problems.append(
                near(
                    a,
                    b,
                    '"{later}" is one letter away from "{earlier}" (row {row})',
                    "if they are the same, use one spelling",
                    "warning",
                )
            )
    folded_names = {names.fold(n): n for n in entity_names}
    for rec in (r for r in records if r["aliases"]):
        for alias in names.split_aliases(rec["aliases"]):
            other = folded_names.get(names.fold(alias))
            if other and other != rec["subject"]:
                problems.append(
                    Problem(
                        label,
                        f'alias "{alias}" of "{rec["subject"]}" is also the name of another entity',
                        f'use "{rec["subject"]}" on those rows, or correct the alias',
                        row=rec["row"],
                        column="aliases",
                        severity="warning",
                    )
                )
    return problems
