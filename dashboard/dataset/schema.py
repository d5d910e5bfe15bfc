"""The dataset's columns and vocabularies, read from a Frictionless Data Package.

`data/datapackage.json` is the one source of truth for column names, order, descriptions and
constraints. A dataset elsewhere may carry its own `datapackage.json` (for its title, credit and
sides); the columns and vocabularies the dashboard relies on must stay as in the bundled one.
"""

from __future__ import annotations

import json
import re
import reprlib
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

REPO_ROOT = Path(__file__).resolve().parents[2]
BUNDLED_DATA = REPO_ROOT / "data" / "statements.csv"
PACKAGE_FILE = "datapackage.json"

# Values the code gives meaning to. The bundled schema must list exactly these (tests check).
CERTAINTIES = ("stated", "alleged", "denied", "inferred")
STATEMENT_TYPES = ("event", "remark", "profile")
KINDS = ("person", "organization", "group", "place")
# Fields whose vocabulary a dataset may redefine in its own datapackage.json.
STORY_VOCABULARIES = ("side",)
# Table Schema constraints the checker enforces (dashboard.dataset.validation); any other is reported as unchecked.
ENFORCED_CONSTRAINTS = ("required", "unique", "enum", "pattern", "maxLength")


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
    unchecked: tuple[str, ...] = ()  # constraints given in the schema that the checker does not enforce


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


def parse_package(package: object, path: Path | None = None) -> Schema:
    """Read the statements resource of a Data Package dict into a Schema.
    Raises ValueError naming where in the package a value is missing or of the wrong type."""
    package = _expect(package, dict, "the top level")
    resources = _expect(package.get("resources") or [], list, '"resources"')
    resource = next((r for r in resources if isinstance(r, dict) and r.get("name") == "statements"), None)
    if resource is None:
        raise ValueError('no resource named "statements" in "resources"')
    where = f"resources[{resources.index(resource)}]"
    schema = _expect(resource.get("schema", {}), dict, f"{where}.schema")
    fields = []
    raw_fields = _expect(schema.get("fields", []), list, f"{where}.schema.fields")
    for number, raw in enumerate(raw_fields):
        fields.append(_parse_field(raw, f"{where}.schema.fields[{number}]"))
    texts = {
        key: _expect(package.get(key, ""), str, f'"{key}"') for key in ("title", "description", "credit", "notice")
    }
    return Schema(
        fields=tuple(fields),
        last_curated=str(package.get("last_curated", "")),
        path=path,
        meta=package,
        **texts,
    )


def _parse_field(raw: object, where: str) -> Field:
    raw = _expect(raw, dict, where)
    name = _expect(raw.get("name"), str, f"{where}.name")
    constraints = _expect(raw.get("constraints", {}), dict, f"{where}.constraints")
    enum = _expect(constraints.get("enum"), (list, type(None)), f"{where}.constraints.enum")
    if enum is not None and not all(isinstance(value, str) for value in enum):
        raise ValueError(f"{where}.constraints.enum must list strings")
    pattern = _expect(constraints.get("pattern"), (str, type(None)), f"{where}.constraints.pattern")
    if pattern is not None:
        _check_pattern(pattern, f"{where}.constraints.pattern")
    max_length = constraints.get("maxLength")
    if max_length is not None and (not isinstance(max_length, int) or isinstance(max_length, bool) or max_length < 0):
        raise ValueError(f"{where}.constraints.maxLength must be a whole number, not {reprlib.repr(max_length)}")
    return Field(
        name=name,
        description=_expect(raw.get("description", ""), str, f"{where}.description"),
        required=_expect(constraints.get("required", False), bool, f"{where}.constraints.required"),
        unique=_expect(constraints.get("unique", False), bool, f"{where}.constraints.unique"),
        enum=tuple(enum) if enum else None,
        pattern=pattern,
        max_length=max_length,
        unchecked=tuple(key for key in constraints if key not in ENFORCED_CONSTRAINTS),
    )


MAX_PATTERN_CHARS = 1_000


def _check_pattern(pattern: str, where: str) -> None:
    """A pattern the checker can run in linear time (RE2, through pyarrow), else ValueError saying
    why: Python's `re` backtracks, and one pattern such as `(\\w+\\s?)*` would hold the whole
    server for hours on a long cell."""
    if len(pattern) > MAX_PATTERN_CHARS:
        raise ValueError(f"{where} is {len(pattern):,} characters long, over {MAX_PATTERN_CHARS:,}")
    try:
        re.compile(pattern)
    except (re.error, RecursionError, OverflowError) as err:
        raise ValueError(f"{where} is not a regular expression ({err})") from None
    try:
        pc.match_substring_regex(pa.array([""], pa.large_string()), f"^(?:{pattern})$")
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as err:
        reason = str(err).removeprefix("Invalid regular expression: ")
        raise ValueError(
            f"{where} cannot be checked in linear time (RE2: {reason}); write it without back-references, "
            "look-arounds or repeats over 1000"
        ) from None


_TYPE_NAMES = {dict: "an object", list: "a list", str: "a string", bool: "true or false", type(None): "absent"}


def _expect(value, kinds, where: str):
    """`value` if it is of one of `kinds`, else ValueError saying what `where` should be."""
    kinds = kinds if isinstance(kinds, tuple) else (kinds,)
    if isinstance(value, kinds):
        return value
    wanted = " or ".join(_TYPE_NAMES[k] for k in kinds if k is not type(None))
    raise ValueError(f"{where} must be {wanted}, not {reprlib.repr(value)}")


def load_package(path: Path) -> Schema:
    """Load a datapackage.json file; raises ValueError with a readable reason."""
    try:
        package = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise ValueError(f"not valid JSON (line {err.lineno}, column {err.colno}: {err.msg})") from err
    except RecursionError:
        raise ValueError("the JSON is nested too deeply to read") from None
    except UnicodeDecodeError as err:
        raise ValueError(f"not UTF-8 (byte {err.start + 1})") from None
    except OSError as err:
        raise ValueError(f"cannot read the file ({err.strerror})") from None
    return parse_package(package, path)


def bundled_schema() -> Schema:
    return load_package(BUNDLED_DATA.parent / PACKAGE_FILE)
