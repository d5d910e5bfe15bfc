"""Hostile and broken input: located problems, never a traceback (issue 13), and the schema's
constraints all enforced (issue 16). Hypothesis properties are bounded and deterministic."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from helpers import run_dashboard, small_rows, to_csv
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.dataset.loading import RawTable, _read_careful, read_table
from dashboard.dataset.schema import BUNDLED_DATA, ENFORCED_CONSTRAINTS, bundled_schema, parse_package
from dashboard.dataset.validation import check_dataset

BOUNDED = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Each example of these checks a whole dataset: fewer of them keep the suite to seconds.
DATASET_BOUNDED = settings(BOUNDED, max_examples=10)
PACKAGE = json.loads((BUNDLED_DATA.parent / "datapackage.json").read_text(encoding="utf-8"))


def rows_with(index: int, **changes) -> list[dict[str, str]]:
    rows = small_rows()
    rows[index].update(changes)
    return rows


def with_package(make_dataset, package) -> object:
    path = make_dataset()
    (path.parent / "datapackage.json").write_text(package if isinstance(package, str) else json.dumps(package))
    return path


# --- every constraint of the datapackage is enforced -----------------------------------------------


def _violation(field: dict, key: str, rows: list[dict]) -> str:
    """A value breaking constraint `key` of `field` (the test fails for a constraint it does not know)."""
    value = field["constraints"][key]
    if key == "required":
        return ""
    if key == "unique":
        return rows[0][field["name"]]
    if key == "enum":
        return "not-one-of-them"
    if key == "maxLength":
        return "x" * (value + 1)
    if key == "pattern":
        return next(v for v in ("!", "a b", "?x", "٢٠٢٥") if not re.fullmatch(value, v))
    raise AssertionError(f"constraint {key!r} of {field['name']!r} has no test, and maybe no check")


CONSTRAINTS = [
    (field["name"], key)
    for field in PACKAGE["resources"][0]["schema"]["fields"]
    for key in field.get("constraints", {})
    if not (key == "required" and field["constraints"][key] is False)
]


def test_every_constraint_in_the_datapackage_is_one_the_checker_enforces():
    assert {key for _, key in CONSTRAINTS} <= set(ENFORCED_CONSTRAINTS)


@pytest.mark.parametrize(("name", "key"), CONSTRAINTS, ids=[f"{n}-{k}" for n, k in CONSTRAINTS])
def test_each_constraint_in_the_datapackage_is_enforced(make_dataset, name, key):
    field = next(f for f in PACKAGE["resources"][0]["schema"]["fields"] if f["name"] == name)
    rows = small_rows()
    rows[2][name] = _violation(field, key, rows)
    problems = check_dataset(make_dataset(rows=rows)).problems
    assert any(p.row == 4 and p.column == name and p.is_error for p in problems), [str(p) for p in problems]


def test_an_unchecked_constraint_in_a_datasets_schema_is_reported(make_dataset):
    package = json.loads(json.dumps(PACKAGE))
    package["resources"][0]["schema"]["fields"][8]["constraints"]["minLength"] = 10
    problems = check_dataset(with_package(make_dataset, package)).problems
    assert any('"minLength" is not checked' in p.message and p.severity == "warning" for p in problems)


def test_a_unique_constraint_is_enforced_on_any_field(make_dataset):
    package = json.loads(json.dumps(PACKAGE))
    summary = next(f for f in package["resources"][0]["schema"]["fields"] if f["name"] == "summary")
    summary["constraints"]["unique"] = True
    rows = rows_with(2, summary=small_rows()[0]["summary"])
    path = make_dataset(rows=rows)
    (path.parent / "datapackage.json").write_text(json.dumps(package))
    problem = next(p for p in check_dataset(path).problems if p.column == "summary")
    assert problem.row == 4 and "already used in row 2" in problem.message


def test_ids_keep_the_core_pattern_whatever_the_datasets_schema_says(make_dataset):
    package = json.loads(json.dumps(PACKAGE))
    package["resources"][0]["schema"]["fields"][0]["constraints"]["pattern"] = ".*"
    path = make_dataset(rows=rows_with(2, id="t 3"))
    (path.parent / "datapackage.json").write_text(json.dumps(package))
    assert any(
        p.column == "id" and p.row == 4 and "other than letters" in p.message for p in check_dataset(path).problems
    )


def test_dates_must_use_ascii_digits(make_dataset):
    problems = check_dataset(make_dataset(rows=rows_with(2, date="２０２１"))).problems
    assert any(p.column == "date" and p.row == 4 and p.is_error for p in problems)


# --- broken schemas: one located problem, the bundled schema used ----------------------------------


MALFORMED = {
    "top level is a list": "[]",
    "resources hold a number": {"resources": [1]},
    "fields is a string": {"resources": [{"name": "statements", "schema": {"fields": "x"}}]},
    "pattern is not a regex": "PATTERN",
    "maxLength is a string": "MAXLENGTH",
    "deeply nested": "[" * 100_000 + "]" * 100_000,
    "description is a number": "DESCRIPTION",
    "credit is a number": "CREDIT",
    "not UTF-8": b"\xff\xfe{",
}


def _malformed(kind):
    package = json.loads(json.dumps(PACKAGE))
    fields = package["resources"][0]["schema"]["fields"]
    if kind == "PATTERN":
        fields[0]["constraints"]["pattern"] = "["
    elif kind == "MAXLENGTH":
        next(f for f in fields if f["name"] == "label")["constraints"]["maxLength"] = "40"
    elif kind == "DESCRIPTION":
        package["description"] = {"text": 5}
    elif kind == "CREDIT":
        package["credit"] = 5
    else:
        return kind
    return package


@pytest.mark.parametrize("case", MALFORMED, ids=list(MALFORMED))
def test_a_malformed_datapackage_gets_a_located_problem_not_a_traceback(make_dataset, case):
    path = make_dataset()
    content = _malformed(MALFORMED[case])
    target = path.parent / "datapackage.json"
    if isinstance(content, bytes):
        target.write_bytes(content)
    else:
        target.write_text(content if isinstance(content, str) else json.dumps(content))
    dataset = check_dataset(path)
    problem = next(p for p in dataset.problems if p.file.endswith("datapackage.json"))
    assert problem.is_error and "cannot read the schema" in problem.message and problem.fix
    assert dataset.schema == bundled_schema()


# --- cells and names -------------------------------------------------------------------------------


def test_a_cell_over_the_csv_modules_limit_is_read(make_dataset, tmp_path):
    """Read whole by both readers, then refused by the cell bound (issue 25) with a located line."""
    rows = rows_with(2, summary="x" * 200_000)
    text = to_csv(rows)
    for data in (text, text.replace("\n", "\r\n")):  # the fast path, and the careful reader
        path = make_dataset(text=data)
        assert len(read_table(path).columns["summary"][2]) == 200_000
        dataset = check_dataset(path)
        errors = [(p.row, p.column) for p in dataset.problems if p.is_error]
        assert (4, "summary") in errors and 4 not in set(dataset.frame["row"]), dataset.problems
    done = run_dashboard("check", str(make_dataset(text=text)), timeout=120)
    assert done.returncode == 1 and "Traceback" not in done.stderr and "200,000 characters" in done.stdout


def test_a_look_alike_letter_in_a_name_is_flagged(make_dataset):
    rows = small_rows()
    rows.append({**rows[2], "id": "t4", "object": "Аna Pérez"})  # a Cyrillic А
    problem = next(p for p in check_dataset(make_dataset(rows=rows)).problems if "mixes" in p.message)
    assert (problem.row, problem.column) == (5, "object") and "Cyrillic and Latin" in problem.message


def test_a_bidirectional_override_is_flagged(make_dataset):
    problems = check_dataset(make_dataset(rows=rows_with(1, subject="Luis \u202eGómez"))).problems
    assert any(p.row == 3 and p.column == "subject" and "bidirectional" in p.message for p in problems)


def test_check_never_echoes_control_characters_to_the_terminal(make_dataset):
    fake = "\x1b[2K\r\x1b[32mOK: all good\x1b[0m"
    path = make_dataset(rows=rows_with(1, certainty=fake, summary="\u202e" + fake))
    done = run_dashboard("check", str(path), timeout=120)
    assert done.returncode == 1 and "FAILED" in done.stderr
    printed = done.stdout + done.stderr
    assert "\x1b" not in printed and "\r" not in printed and "\u202e" not in printed
    assert "\\x1b[2K" in done.stdout


def test_only_documents_cited_by_valid_rows_are_listed(make_dataset):
    path = make_dataset(rows=rows_with(1, source="other.txt", certainty="confirmed"))
    (path.parent.parent / "seeds" / "other.txt").write_text("Secret notes.")
    dataset = check_dataset(path)
    assert sorted(dataset.documents) == ["story.txt"]


# --- properties: any input yields problems or a result, never an exception ------------------------

CELL = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12)
HEADER = list(small_rows()[0])


@BOUNDED
@given(data=st.binary(max_size=400))
def test_any_bytes_read_as_problems_or_a_table(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("bytes") / "statements.csv"
    path.write_bytes(data)
    table = read_table(path)
    assert all(len(column) == table.rows for column in table.columns.values())


@BOUNDED
@given(
    rows=st.lists(st.lists(st.one_of(CELL, st.sampled_from(['"', ",", "\n", "\r\n", " ", '""']))), max_size=6),
    newline=st.sampled_from(["\n", "\r\n"]),
)
def test_the_fast_reader_reads_what_the_careful_reader_reads(tmp_path_factory, rows, newline):
    out = io.StringIO()
    csv.writer(out, lineterminator=newline).writerows([HEADER[:4], *rows])
    text = out.getvalue() + "".join(",".join(r) + newline for r in rows[:2])  # some unquoted too
    path = tmp_path_factory.mktemp("csv") / "statements.csv"
    path.write_text(text, encoding="utf-8", newline="")
    table = read_table(path)
    careful = RawTable(file=table.file)
    if table.rows or any(p.row for p in table.problems):
        _read_careful(text, careful)
        assert table.header == careful.header
        assert list(table.numbers) == list(careful.numbers)
        for name, column in careful.columns.items():
            assert list(table.columns[name]) == list(column), name


@DATASET_BOUNDED
@given(
    changes=st.lists(
        st.tuples(
            st.integers(0, 2), st.sampled_from(HEADER), st.one_of(CELL, st.sampled_from(["t1", "inferred", "[…]"]))
        ),
        max_size=6,
    )
)
def test_any_cells_give_problems_or_a_dataset(make_dataset, changes):
    rows = small_rows()
    for index, column, value in changes:
        rows[index][column] = value
    dataset = check_dataset(make_dataset(rows=rows))
    assert all(p.file and p.message for p in dataset.problems)
    assert dataset.frame.empty or list(dataset.frame.columns) == [*HEADER, "row"]


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "resources",
                    "name",
                    "schema",
                    "fields",
                    "constraints",
                    "enum",
                    "pattern",
                    "maxLength",
                    "required",
                    "unique",
                    "title",
                    "credit",
                    "description",
                    "statements",
                ]
            ),
            inner,
            max_size=4,
        )
    ),
    max_leaves=12,
)


@BOUNDED
@given(package=JSON)
def test_any_json_is_a_schema_or_a_readable_reason(package):
    try:
        parse_package(package)
    except ValueError as err:
        assert str(err)


@DATASET_BOUNDED
@given(package=JSON)
def test_any_datapackage_gives_problems_or_a_dataset(make_dataset, package):
    path = make_dataset()
    (path.parent / "datapackage.json").write_text(json.dumps(package))
    dataset = check_dataset(path)
    assert dataset.schema.fields
