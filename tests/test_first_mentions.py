"""first_mentions: every name in subject or object, in reading order (row by row, the subject before
the object), with the row and column of its first mention, against a plain walk over the rows."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
from hypothesis import given
from hypothesis import strategies as st

from dashboard.dataset.entitychecks import first_mentions

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
    names, first_rows, first_columns = first_mentions(frame)
    assert list(zip(names.to_pylist(), first_rows.tolist(), first_columns)) == walked(subjects, objects, rows)
