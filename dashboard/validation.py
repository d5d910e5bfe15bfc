"""Checking a dataset: every problem as one line naming file, row, column, what is wrong, the fix.

The same checks run in `python -m dashboard check` and when the app loads a dataset.
"""

from __future__ import annotations

import csv
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard import names, verbatim
from dashboard.dates import parse_partial
from dashboard.loading import BIDI_CHARS, RawTable, read_table
from dashboard.problems import Problem, has_errors
from dashboard.schema import (
    ENFORCED_CONSTRAINTS,
    PACKAGE_FILE,
    STORY_VOCABULARIES,
    Field,
    Schema,
    bundled_schema,
    load_package,
)
from dashboard.sources import Document, find_seeds_dir, flatten, read_document, source_path


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
    documents = read_documents(frame, seeds_dir)
    if not frame.empty:
        absent = frozenset(schema.columns) - set(table.header)
        rows = Rows(frame, schema, label, documents, seeds_dir, absent, table.control_characters)
        for check in ROW_CHECKS:
            problems += check(rows)
        problems += check_entities(frame, label)
    bad_rows = {p.row for p in problems if p.is_error and p.row is not None}
    clean = frame[~frame["row"].isin(bad_rows)].reset_index(drop=True) if bad_rows and not frame.empty else frame
    cited = set(clean["source"]) if not clean.empty else set()
    return CheckedDataset(
        path=path,
        schema=schema,
        seeds_dir=seeds_dir,
        frame=clean,
        problems=sorted(problems, key=_order),
        documents={name: document for name, document in documents.items() if name in cited},
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
    cells = next(csv.reader([table.first_line], delimiter=delimiter), [])
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
    empty = pd.Series([""] * table.rows, dtype="str")
    frame = pd.DataFrame({c: table.columns.get(c, empty) for c in schema.columns})
    frame["row"] = table.numbers
    return frame


def read_documents(frame: pd.DataFrame, seeds_dir: Path) -> dict[str, Document]:
    documents = {}
    if frame.empty:
        return documents
    for name in frame["source"].unique():
        path = source_path(seeds_dir, name)
        if path is not None and path.is_file():
            documents[name] = read_document(path)
    return documents


_CONTROL = "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"  # literal characters, so any regex engine reads it
# Characters that reorder text on screen: a name or quote can display as something else.
_BIDI = f"[{BIDI_CHARS}]"
_NOT_LATIN = "[^\x00-\u024f\u1e00-\u1eff]"  # a letter outside the Latin blocks may be a look-alike
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
        """For each distinct date that does not parse: its message and fix (parsed once per value)."""
        errors = {}
        for value in self.frame["date"].unique():
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

            bad = (column != "") & ~column.isin(allowed)
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
    """Control characters (invisible, and able to rewrite a terminal) and bidirectional controls."""
    problems = []
    for column in rows.schema.columns if rows.control_characters else ():
        cells = rows.frame[column]
        if not cells.str.contains(f"{_CONTROL}|{_BIDI}", regex=True).any():
            continue
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
        repeated = given & cells.duplicated()
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
            checked &= ~cells.isin(list(rows.date_errors))
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
    """Frictionless patterns match the whole cell; each distinct value is matched once."""
    regex = re.compile(pattern)
    cells = rows.frame[name]
    misfits = [value for value in cells[checked].unique() if not regex.fullmatch(value)]
    if not misfits:
        return []
    core = _core_field(name)
    if core is not None and pattern == core.pattern and name in PATTERN_MESSAGES:
        message, fix = PATTERN_MESSAGES[name]
    else:
        message = '{name} "{value}" does not match the pattern {pattern} given in ' + PACKAGE_FILE
        fix = "write it in the form that pattern describes"
    return rows.at(
        checked & cells.isin(misfits),
        name,
        lambda v: message.format(name=name, value=v, pattern=pattern),
        fix,
    )


def check_dates(rows: Rows) -> list[Problem]:
    errors = rows.date_errors
    if not errors:
        return []
    return rows.at(rows.frame["date"].isin(list(errors)), "date", lambda v: errors[v][0], lambda v: errors[v][1])


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
    wanted = (frame["quote"] != "") & ((frame["role"] != "") | (frame["aliases"] != ""))
    problems = []
    for row, quote, role, aliases in frame.loc[wanted, ["row", "quote", "role", "aliases"]].itertuples(index=False):
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
    unplain = [n for n in named.unique() if n and n not in documents and source_path(seeds_dir, n) is None]
    missing = [n for n in named.unique() if n and n not in documents and n not in unplain]
    located = {
        **{n: (f'"{n}" is not a plain file name', f"write the name of a file in {seeds_dir}") for n in unplain},
        **{
            n: (
                f'source file "{n}" is not in {seeds_dir}',
                "add the document to the seeds folder, or correct the file name",
            )
            for n in missing
        },
    }
    problems = rows.at(named.isin(list(located)), "source", lambda n: located[n][0], lambda n: located[n][1])
    quotes = frame["quote"]
    checked = named.isin(list(documents)) & (quotes != "") & ~quotes.str.contains(_REPLACED, regex=False)
    uneven = checked & quotes.str.contains(verbatim.uneven_space_pattern(), regex=True)
    flattened = {quote: flatten(quote) for quote in quotes[uneven].unique()}
    unverified: set[tuple[str, str]] = set()
    for name, group in frame.loc[checked, ["source", "quote"]].groupby("source", sort=False)["quote"]:
        quotes_here = set(group.unique())
        unverified.update((name, q) for q in quotes_here - verbatim.verbatim(documents[name], quotes_here, flattened))
    failing = np.zeros(len(frame), dtype=bool)
    if unverified:
        pairs = zip(named, quotes)
        failing = np.fromiter((pair in unverified for pair in pairs), dtype=bool, count=len(frame)) & checked.to_numpy()
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


def check_scripts(rows: Rows) -> list[Problem]:
    """A name mixing scripts (a Cyrillic "а" in a Latin name) looks like another entity's."""
    problems = []
    for column in ("subject", "object"):
        cells = rows.frame[column]
        beyond_latin = cells[cells.str.contains(_NOT_LATIN, regex=True)].unique()
        mixed = {name: scripts for name in beyond_latin if (scripts := names.mixed_scripts(name))}
        problems += rows.at(
            cells.isin(list(mixed)),
            column,
            lambda v, mixed=mixed: f'"{v}" mixes {" and ".join(mixed[v])} letters, as look-alike names do',
            "retype the name in one alphabet",
        )
    return problems


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
]


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


def check_entities(frame: pd.DataFrame, label: str) -> list[Problem]:
    """Entity-level checks: kind and side given and consistent, no near-duplicate names."""
    problems: list[Problem] = []
    count = len(frame)
    mentions = pd.DataFrame(
        {
            "name": pd.concat([frame["subject"], frame["object"]], ignore_index=True),
            "row": np.concatenate([frame["row"].to_numpy()] * 2),
            "column": ["subject"] * count + ["object"] * count,
            "order": np.concatenate([np.arange(count) * 2, np.arange(count) * 2 + 1]),
        }
    )
    mentions = mentions[mentions["name"] != ""].sort_values("order", kind="stable").drop_duplicates("name")
    described: dict[str, pd.Series] = {}  # column -> the subjects it is given for
    for column in ("kind", "side"):
        given = frame.loc[(frame[column] != "") & (frame["subject"] != ""), ["subject", column, "row"]]
        first = given.drop_duplicates("subject").set_index("subject")
        earlier = given["subject"].map(first[column])
        earlier_row = given["subject"].map(first["row"])
        clash = given[column] != earlier
        conflicts = zip(given.loc[clash, "subject"], given.loc[clash, column], given.loc[clash, "row"])
        for (subject, value, row), before, before_row in zip(conflicts, earlier[clash], earlier_row[clash]):
            problems.append(
                Problem(
                    label,
                    f'{column} "{value}" for "{subject}" conflicts with "{before}" in row {before_row}',
                    f"give {subject} one {column}",
                    row=int(row),
                    column=column,
                )
            )
        described[column] = mentions["name"].isin(first.index)
    lacking = ~(described["kind"] & described["side"])
    undescribed = zip(mentions.loc[lacking, "name"], mentions.loc[lacking, "row"], mentions.loc[lacking, "column"])
    flags = zip(described["kind"][lacking], described["side"][lacking])
    for (name, row, column), has in zip(undescribed, flags):
        missing = [c for c, given in zip(("kind", "side"), has) if not given]
        problems.append(
            Problem(
                label,
                f'"{name}" has no {" or ".join(missing)}',
                f'fill {" and ".join(missing)} on a row where "{name}" is the subject (a profile row)',
                row=int(row),
                column=column,
            )
        )
    first_seen = dict(zip(mentions["name"], zip(mentions["row"].astype(int), mentions["column"])))
    return problems + _near_duplicates(first_seen, frame, label)


def _near_duplicates(first_seen: dict[str, tuple[int, str]], frame: pd.DataFrame, label: str) -> list[Problem]:
    """Names that differ only in accents or punctuation, or by one letter; aliases that name another entity."""
    problems: list[Problem] = []
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
    with_aliases = frame[frame["aliases"] != ""]
    for subject, aliases, row in zip(with_aliases["subject"], with_aliases["aliases"], with_aliases["row"]):
        for alias in names.split_aliases(aliases):
            other = folded_names.get(names.fold(alias))
            if other and other != subject:
                problems.append(
                    Problem(
                        label,
                        f'alias "{alias}" of "{subject}" is also the name of another entity',
                        f'use "{subject}" on those rows, or correct the alias',
                        row=int(row),
                        column="aliases",
                        severity="warning",
                    )
                )
    return problems
