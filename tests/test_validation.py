"""The checker on broken files: each problem gets one clear line (file, row, column, fix), never a traceback."""

from __future__ import annotations

import codecs
import csv
import io
import json

import pytest
from helpers import SOURCE_TEXT, small_rows, to_csv

from dashboard.dataset.validation import check_dataset


def rows_with(index: int, **changes) -> list[dict[str, str]]:
    rows = small_rows()
    rows[index].update(changes)
    return rows


def without_column(column: str) -> str:
    rows = small_rows()
    return to_csv(rows, [c for c in rows[0] if c != column])


# name -> (file content as keyword args for make_dataset, expected row, column, message fragment, severity)
BROKEN = {
    "missing column": (dict(text=without_column("quote")), 1, None, 'required column "quote" is missing', "error"),
    "day-first date": (dict(rows=rows_with(0, date="13/03/2025")), 2, "date", "write 2025-03-13", "error"),
    "unknown certainty": (
        dict(rows=rows_with(1, certainty="confirmed")),
        3,
        "certainty",
        "not one of the allowed",
        "error",
    ),
    "duplicate id": (dict(rows=rows_with(2, id="t1")), 4, "id", 'id "t1" is already used in row 2', "error"),
    "quote not in source": (
        dict(rows=rows_with(2, quote="Prosecutors say Ana Pérez ran the network.")),
        4,
        "quote",
        "not verbatim",
        "error",
    ),
    "missing source file": (
        dict(rows=rows_with(0, source="missing.txt")),
        2,
        "source",
        '"missing.txt" is not in',
        "error",
    ),
    "byte-order mark": (
        dict(data=codecs.BOM_UTF8 + to_csv(small_rows()).encode()),
        1,
        None,
        "byte-order mark",
        "warning",
    ),
    "CRLF line endings": (
        dict(data=to_csv(small_rows()).replace("\n", "\r\n").encode()),
        None,
        None,
        "Windows line endings",
        "warning",
    ),
    "empty file": (dict(data=b""), 1, None, "the file is empty", "error"),
    "header only": (dict(text=to_csv(small_rows()).splitlines()[0] + "\n"), 2, None, "no data rows", "error"),
    "non-UTF-8 bytes": (
        dict(data=to_csv(small_rows()).encode().replace("Gómez".encode(), "Gómez".encode("latin-1"))),
        3,
        None,
        "not UTF-8 (0xF3",
        "error",
    ),
    "newline in a cell": (
        dict(rows=rows_with(0, summary="The ministry moved\nto dismiss.")),
        2,
        "summary",
        "line break",
        "error",
    ),
}


@pytest.mark.parametrize("case", BROKEN, ids=list(BROKEN))
def test_each_broken_file_gets_its_own_clear_problem(make_dataset, case):
    content, row, column, fragment, severity = BROKEN[case]
    path = make_dataset(**content)
    dataset = check_dataset(path)
    matching = [p for p in dataset.problems if fragment in p.message or fragment in p.fix]
    assert matching, f"no problem mentions {fragment!r}: {[str(p) for p in dataset.problems]}"
    problem = matching[0]
    assert (problem.row, problem.column, problem.severity) == (row, column, severity)
    line = str(problem)
    assert line.startswith(str(path)) and severity in line
    if severity == "error":
        assert problem.fix, "every error says how to fix it"
        assert not dataset.ok
    else:
        assert dataset.ok, [str(p) for p in dataset.problems if p.is_error]
        assert len(dataset.frame) == 3, "a file with only warnings loads every row"


def test_the_small_dataset_is_clean(make_dataset):
    dataset = check_dataset(make_dataset())
    assert dataset.ok and not dataset.problems
    assert list(dataset.frame["id"]) == ["t1", "t2", "t3"]
    assert list(dataset.frame["row"]) == [2, 3, 4]


def test_the_bundled_dataset_and_its_frozen_copy_are_clean(curated, bundled):
    assert [str(p) for p in curated.problems] == [] and [str(p) for p in bundled.problems] == []
    assert len(curated.frame) > 100


def test_rows_with_errors_are_left_out_and_the_rest_kept(make_dataset):
    dataset = check_dataset(make_dataset(rows=rows_with(1, certainty="confirmed")))
    assert dataset.usable and dataset.rows_with_errors == 1
    assert list(dataset.frame["id"]) == ["t1", "t3"]


def test_curly_quotes_typed_straight_are_explained(make_dataset):
    rows = rows_with(1, quote='"We deny everything," said spokesman Luis Gómez')
    problem = next(p for p in check_dataset(make_dataset(rows=rows)).problems if p.column == "quote")
    assert "only in quotation marks" in problem.message


def test_a_misquote_names_the_nearest_passage(make_dataset):
    rows = rows_with(2, quote="Prosecutors allege that Ana Perez ran the network in 2021.")
    problem = next(p for p in check_dataset(make_dataset(rows=rows)).problems if p.column == "quote")
    assert "nearest passage" in problem.message and "Ana Pérez" in problem.message


def test_elided_quotes_must_keep_the_source_order(make_dataset):
    ok = rows_with(2, quote="On March 11, the ministry […] Prosecutors allege")
    assert check_dataset(make_dataset(rows=ok)).ok
    swapped = rows_with(2, quote="Prosecutors allege […] On March 11, the ministry")
    assert not check_dataset(make_dataset(rows=swapped)).ok


def test_whitespace_may_differ_but_nothing_else(make_dataset):
    rows = rows_with(2, quote="Prosecutors   allege that\tAna Pérez ran the network in 2021.")
    assert check_dataset(make_dataset(rows=rows)).ok


def test_near_duplicate_names_are_flagged(make_dataset):
    rows = small_rows()
    rows.append({**rows[2], "id": "t4", "subject": "Ana Perez", "kind": "", "side": ""})
    problems = check_dataset(make_dataset(rows=rows)).problems
    line = next(str(p) for p in problems if "differ only in accents" in p.message)
    assert ":5 [subject]" in line and '"Ana Perez"' in line and '"Ana Pérez"' in line


def test_a_one_letter_typo_in_a_name_is_a_warning(make_dataset):
    rows = small_rows()
    rows.append({**rows[2], "id": "t4", "object": "Ana Pérezz"})
    problems = check_dataset(make_dataset(rows=rows)).problems
    assert any("one letter away" in p.message and p.severity == "warning" for p in problems)


def test_an_entity_needs_kind_and_side(make_dataset):
    rows = rows_with(0, object="Court of Appeals")
    problem = next(p for p in check_dataset(make_dataset(rows=rows)).problems if "Court of Appeals" in p.message)
    assert (problem.row, problem.column) == (2, "object") and "has no kind or side" in problem.message


def test_conflicting_kind_is_an_error(make_dataset):
    rows = small_rows()
    rows.append({**rows[2], "id": "t4", "kind": "organization"})
    assert any("conflicts with" in p.message for p in check_dataset(make_dataset(rows=rows)).problems)


def test_inferred_rows_need_a_note(make_dataset):
    problems = check_dataset(make_dataset(rows=rows_with(2, certainty="inferred"))).problems
    assert any(p.column == "note" and p.row == 4 for p in problems)


def test_roles_and_aliases_must_be_in_the_quote(make_dataset):
    problems = check_dataset(
        make_dataset(rows=rows_with(1, role="press secretary", aliases="El Vocero; Lucho"))
    ).problems
    flagged = {(p.column, p.message.split('"')[1]) for p in problems}
    assert flagged == {("role", "press secretary"), ("aliases", "Lucho")}


def test_unknown_columns_are_reported_not_fatal(make_dataset):
    rows = [dict(row, Notes="x") for row in small_rows()]
    dataset = check_dataset(make_dataset(rows=rows))
    assert dataset.ok
    assert any('column "Notes" is not in the schema' in p.message for p in dataset.problems)


def test_a_misspelt_column_gets_a_rename_hint(make_dataset):
    text = to_csv(small_rows()).replace("certainty", "certainity", 1)
    problem = next(p for p in check_dataset(make_dataset(text=text)).problems if "required column" in p.message)
    assert 'rename column "certainity" to "certainty"' in problem.fix


def test_a_row_with_an_extra_cell_is_reported_and_its_cells_kept(make_dataset):
    text = to_csv(small_rows())
    lines = text.splitlines()
    lines[2] += ",stray"
    dataset = check_dataset(make_dataset(text="\n".join(lines) + "\n"))
    assert any(p.row == 3 and "the header has" in p.message for p in dataset.problems)


def test_source_names_cannot_leave_the_seeds_folder(make_dataset):
    problems = check_dataset(make_dataset(rows=rows_with(0, source="../data/statements.csv"))).problems
    assert any(p.column == "source" and "not a plain file name" in p.message for p in problems)


def test_without_a_datapackage_the_bundled_schema_is_used_and_sides_are_free(make_dataset):
    rows = rows_with(1, side="Local officials")
    dataset = check_dataset(make_dataset(rows=rows, with_package=False))
    assert dataset.ok
    assert any("no datapackage.json" in p.message for p in dataset.problems)


def test_a_datapackage_cannot_redefine_the_core_vocabularies(make_dataset):
    path = make_dataset()
    package_path = path.parent / "datapackage.json"
    package = json.loads(package_path.read_text())
    for field in package["resources"][0]["schema"]["fields"]:
        if field["name"] == "certainty":
            field["constraints"]["enum"] = ["true", "false"]
        if field["name"] == "side":
            field["constraints"]["enum"] = ["Ministry", "Defence", "Press and critics", "MS-13", "U.S. government"]
    package_path.write_text(json.dumps(package))
    problems = check_dataset(path).problems
    assert any('field "certainty" must list exactly' in p.message for p in problems)
    assert not any('field "side"' in p.message for p in problems), "sides belong to the story"


def test_a_broken_datapackage_is_reported(make_dataset):
    path = make_dataset()
    (path.parent / "datapackage.json").write_text("{not json")
    problems = check_dataset(path).problems
    assert any("cannot read the schema" in p.message and "not valid JSON" in p.message for p in problems)


def test_source_text_fixture_is_what_the_quotes_come_from():
    for row in small_rows():
        assert " ".join(row["quote"].split()) in " ".join(SOURCE_TEXT.split())


def test_a_semicolon_separated_file_gets_one_line_naming_the_cause(make_dataset):
    rows = small_rows()
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\n").writerows([list(rows[0]), *(list(r.values()) for r in rows)])
    problems = check_dataset(make_dataset(text=out.getvalue())).problems
    assert [(p.row, p.severity) for p in problems] == [(1, "error")]
    assert "looks semicolon-separated" in problems[0].message and "comma" in problems[0].fix


def test_a_comma_file_with_semicolons_in_its_cells_is_not_taken_for_one(make_dataset):
    rows = [dict(row, aliases="A; B; C") if i == 1 else row for i, row in enumerate(small_rows())]
    problems = check_dataset(make_dataset(rows=rows)).problems
    assert not any("separated" in p.message for p in problems)


def test_two_thread_checks_pass_the_gil_quickly_and_put_the_interval_back(make_dataset, monkeypatch):
    import sys

    from dashboard.dataset import validation

    seen = []
    checks = [*validation.ROW_CHECKS]
    monkeypatch.setattr(validation, "PARALLEL_FROM", 0)
    monkeypatch.setattr(validation, "ROW_CHECKS", [*checks, lambda rows: seen.append(sys.getswitchinterval()) or []])
    usual = sys.getswitchinterval()
    assert usual > validation.HANDOFF_SECONDS
    assert check_dataset(make_dataset()).ok
    assert seen == [validation.HANDOFF_SECONDS] and sys.getswitchinterval() == usual


def test_overlapping_runs_put_the_interval_back_only_when_the_last_one_ends():
    import sys

    from dashboard.dataset.validation import HANDOFF_SECONDS, quick_handoffs

    usual = sys.getswitchinterval()
    first, second = quick_handoffs(), quick_handoffs()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    assert sys.getswitchinterval() == HANDOFF_SECONDS, "the second run still checks"
    second.__exit__(None, None, None)
    assert sys.getswitchinterval() == usual
    sys.setswitchinterval(HANDOFF_SECONDS / 2)  # an interval already shorter is kept
    try:
        with quick_handoffs():
            assert sys.getswitchinterval() == HANDOFF_SECONDS / 2
    finally:
        sys.setswitchinterval(usual)
