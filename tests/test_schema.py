"""The CSV header, data/datapackage.json, the codebook and the code's vocabularies agree."""

from __future__ import annotations

import csv
import json
import re
import shutil

import frictionless

from dashboard.dataset.schema import BUNDLED_DATA, CERTAINTIES, KINDS, STATEMENT_TYPES, bundled_schema

CODEBOOK = BUNDLED_DATA.parent / "README.md"


def csv_header() -> list[str]:
    with BUNDLED_DATA.open(encoding="utf-8", newline="") as f:
        return next(csv.reader(f))


def codebook_columns() -> list[str]:
    """Column names in the first column of the codebook's "Columns" table, in order."""
    section = CODEBOOK.read_text(encoding="utf-8").split("## Columns", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `([a-z_]+)` \|", section, flags=re.MULTILINE)


def test_csv_header_matches_the_schema_in_order():
    assert csv_header() == list(bundled_schema().columns)


def test_every_column_is_documented_in_the_codebook_in_order():
    assert codebook_columns() == list(bundled_schema().columns)


def test_every_schema_field_has_a_description():
    assert all(len(f.description) > 20 for f in bundled_schema().fields)


def test_codebook_lists_each_vocabulary_value():
    text = CODEBOOK.read_text(encoding="utf-8")
    schema = bundled_schema()
    for column in ("statement_type", "relation_type", "certainty", "kind", "side"):
        for value in schema.enum(column):
            assert f"`{value}`" in text, f"{column} value {value!r} is not in the codebook"


def test_code_vocabularies_are_the_schema_enums():
    schema = bundled_schema()
    assert schema.enum("certainty") == CERTAINTIES
    assert schema.enum("statement_type") == STATEMENT_TYPES
    assert schema.enum("kind") == KINDS


def test_the_codebook_states_the_last_curated_date():
    assert bundled_schema().last_curated in CODEBOOK.read_text(encoding="utf-8")


def test_frictionless_validates_the_bundled_package():
    report = frictionless.validate(str(BUNDLED_DATA.parent / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "message"])


def test_frictionless_catches_a_value_outside_the_schema(tmp_path):
    """The schema's constraints are real: a copy with a bad certainty fails Frictionless too."""
    shutil.copy(BUNDLED_DATA.parent / "datapackage.json", tmp_path)
    text = BUNDLED_DATA.read_text(encoding="utf-8").replace(",stated,", ",confirmed,", 1)
    (tmp_path / "statements.csv").write_text(text, encoding="utf-8")
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert not report.valid
    assert any(e[1] == "certainty" for e in report.flatten(["rowNumber", "fieldName"]))


def test_package_metadata_is_complete():
    package = json.loads((BUNDLED_DATA.parent / "datapackage.json").read_text(encoding="utf-8"))
    for key in ("title", "description", "last_curated", "credit", "notice", "sources"):
        assert package.get(key), key
