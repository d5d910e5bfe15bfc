"""The dataset's columns and vocabularies, read from a Frictionless Data Package.

`data/datapackage.json` is the one source of truth for column names, order, descriptions and
constraints. A dataset elsewhere may carry its own `datapackage.json` (for its title, credit and
sides); the columns and vocabularies the dashboard relies on must stay as in the bundled one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
BUNDLED_DATA = REPO_ROOT / "data" / "statements.csv"
PACKAGE_FILE = "datapackage.json"

# Values the code gives meaning to. The bundled schema must list exactly these (tests check).
CERTAINTIES = ("stated", "alleged", "denied", "inferred")
STATEMENT_TYPES = ("event", "remark", "profile")
KINDS = ("person", "organization", "group", "place")
# Fields whose vocabulary a dataset may redefine in its own datapackage.json.
STORY_VOCABULARIES = ("side",)


@dataclass(frozen=True)
class Field:
    """One column of the CSV, as the Table Schema describes it."""

    name: str
    description: str
    required: bool = False
    unique: bool = False
    enum: tuple[str, ...] | None = None
    pattern: str | None = None
    max_length: int | None = None


@dataclass(frozen=True)
class Schema:
    """Columns and metadata of a dataset; `path` is the datapackage.json it came from."""

    fields: tuple[Field, ...]
    title: str = ""
    description: str = ""
    last_curated: str = ""
    credit: str = ""
    notice: str = ""
    path: Path | None = None
    own: bool = True  # False when a dataset has no datapackage.json and borrows the bundled one
    meta: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    def enum(self, name: str) -> tuple[str, ...]:
        return self.field(name).enum or ()


def parse_package(package: dict, path: Path | None = None) -> Schema:
    """Read the statements resource of a Data Package dict into a Schema."""
    resources = package.get("resources") or []
    resource = next((r for r in resources if r.get("name") == "statements"), None)
    if resource is None:
        raise ValueError('no resource named "statements" in "resources"')
    fields = []
    for raw in resource.get("schema", {}).get("fields", []):
        constraints = raw.get("constraints", {})
        enum = constraints.get("enum")
        fields.append(
            Field(
                name=raw["name"],
                description=raw.get("description", ""),
                required=bool(constraints.get("required")),
                unique=bool(constraints.get("unique")),
                enum=tuple(enum) if enum else None,
                pattern=constraints.get("pattern"),
                max_length=constraints.get("maxLength"),
            )
        )
    return Schema(
        fields=tuple(fields),
        title=package.get("title", ""),
        description=package.get("description", ""),
        last_curated=str(package.get("last_curated", "")),
        credit=package.get("credit", ""),
        notice=package.get("notice", ""),
        path=path,
        meta=package,
    )


def load_package(path: Path) -> Schema:
    """Load a datapackage.json file; raises ValueError with a readable reason."""
    try:
        package = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise ValueError(f"not valid JSON (line {err.lineno}, column {err.colno}: {err.msg})") from err
    return parse_package(package, path)


def bundled_schema() -> Schema:
    return load_package(BUNDLED_DATA.parent / PACKAGE_FILE)
