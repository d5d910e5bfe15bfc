"""first_mentions: every name in subject or object, in reading order (row by row, the subject before
the object), with the row and column of its first mention, and each row's subject by its place among
them, against a plain walk over the rows."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
from hypothesis import given
from hypothesis import strategies as st

from dashboard.dataset.entitychecks import check_descriptions, first_mentions

NAMES = st.sampled_from(["", "Ana", "Bo", "Cy", "Dee", "Ana ", "ána"])


def walked(subjects: list[str], objects: list[str], rows: list[int]) -> list[tuple[str, int, str]]:
    seen: dict[str, tuple[int, str]] = {}
    for subject, object_, row in zip(subjects, objects, rows):
        for name, column in ((subject, "subject"), (object_, "object")):
            if name and name not in seen:
                seen[name] = (row, column)
    return [(name, row, column) for name, (row, column) in seen.items()]


@given(st.lists(st.tuples(NAMES, NAMES), max_size=30), st.integers(1, 4))
def test_first_mentions_read_the_rows_in_order(pairs, chunks):
    subjects, objects = [s for s, _ in pairs], [o for _, o in pairs]
    rows = [2 + 3 * i for i in range(len(pairs))]  # rows need not be consecutive

    def column(values: list[str]) -> pd.Series:
        cut = max(1, len(values) // chunks)
        parts = [pa.array(values[i : i + cut], pa.large_string()) for i in range(0, len(values), cut)] or [
            pa.array([], pa.large_string())
        ]
        return pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array(parts, pa.large_string())), dtype="str")

    frame = pd.DataFrame({"subject": column(subjects), "object": column(objects), "row": rows})
    mentions = first_mentions(frame)
    names = mentions.names.to_pylist()
    assert list(zip(names, mentions.rows.tolist(), mentions.columns)) == walked(subjects, objects, rows)
    # Each row's subject by its place among the names (what the kind and side check reads).
    assert [names[place] if place >= 0 else "" for place in mentions.subjects.tolist()] == subjects


def walked_descriptions(records: list[dict]) -> list[tuple[int, str, str]]:
    """The kind and side problems as a walk over the rows finds them: (row, column, message)."""
    found = []
    given: dict[str, set[str]] = {"kind": set(), "side": set()}
    for column in ("kind", "side"):
        first: dict[str, tuple[str, int]] = {}
        for rec in records:
            subject, value = rec["subject"], rec[column]
            if not (subject and value):
                continue
            given[column].add(subject)
            if subject not in first:
                first[subject] = (value, rec["row"])
            elif value != first[subject][0]:
                before, row = first[subject]
                message = f'{column} "{value}" for "{subject}" conflicts with "{before}" in row {row}'
                found.append((rec["row"], column, message))
    subjects = [rec["subject"] for rec in records]
    objects = [rec["object"] for rec in records]
    for name, row, column in walked(subjects, objects, [rec["row"] for rec in records]):
        missing = [c for c in ("kind", "side") if name not in given[c]]
        if missing:
            found.append((row, column, f'"{name}" has no {" or ".join(missing)}'))
    return found


VALUES = st.sampled_from(["", "person", "group", "x"])


@given(st.lists(st.tuples(NAMES, NAMES, VALUES, VALUES), max_size=30))
def test_kind_and_side_problems_are_those_of_a_walk_over_the_rows(cells):
    records = [
        {"subject": s, "object": o, "kind": k, "side": d, "row": 2 + 2 * i} for i, (s, o, k, d) in enumerate(cells)
    ]
    frame = pd.DataFrame(
        {name: pd.Series([rec[name] for rec in records], dtype="str") for name in ("subject", "object", "kind", "side")}
    )
    frame["row"] = [rec["row"] for rec in records]
    problems = check_descriptions(frame, "f", first_mentions(frame))
    assert [(p.row, p.column, p.message) for p in problems] == walked_descriptions(records)
