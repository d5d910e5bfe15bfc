"""Entity-level checks: kind and side given once and consistently, no near-duplicate names."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dashboard import names
from dashboard.dataset import columns
from dashboard.dataset.problems import Problem


def check_entities(frame: pd.DataFrame, label: str) -> list[Problem]:
    """Entity-level checks: kind and side given and consistent, no near-duplicate names."""
    mentions = first_mentions(frame)
    return check_descriptions(frame, label, mentions) + check_near_duplicates(frame, label, mentions)


def check_descriptions(frame: pd.DataFrame, label: str, mentions: Mentions) -> list[Problem]:
    """Each entity's kind and side given, on a row where it is the subject, and never two of either.
    Subjects are read by their codes from `first_mentions`: no name is hashed again."""
    problems: list[Problem] = []
    rows = frame["row"].to_numpy()
    described: dict[str, np.ndarray] = {}  # column -> for each mentioned name, whether it is given
    for column in ("kind", "side"):
        cells = columns.arrow(frame[column])
        given = pc.not_equal(cells, "").to_numpy(zero_copy_only=False) & (mentions.subjects >= 0)
        codes, values = mentions.subjects[given], cells.filter(pa.array(given)).combine_chunks()
        first = _first_positions(codes, len(mentions.names))[codes]  # each subject's first row giving it
        earlier, numbers = values.take(pa.array(first)), rows[given]
        clash = np.flatnonzero(pc.not_equal(values, earlier).to_numpy(zero_copy_only=False))
        for subject, value, before, position in zip(
            mentions.names.take(pa.array(codes[clash])).to_pylist(),
            values.take(pa.array(clash)).to_pylist(),
            earlier.take(pa.array(clash)).to_pylist(),
            clash,
        ):
            problems.append(
                Problem(
                    label,
                    f'{column} "{value}" for "{subject}" conflicts with "{before}" in row {numbers[first[position]]}',
                    f"give {subject} one {column}",
                    row=int(numbers[position]),
                    column=column,
                )
            )
        described[column] = np.zeros(len(mentions.names), dtype=bool)
        described[column][codes] = True
    lacking = np.flatnonzero(~(described["kind"] & described["side"]))
    spelled = mentions.names.take(lacking).to_pylist()
    for name, position in zip(spelled, lacking):
        missing = [c for c in ("kind", "side") if not described[c][position]]
        problems.append(
            Problem(
                label,
                f'"{name}" has no {" or ".join(missing)}',
                f'fill {" and ".join(missing)} on a row where "{name}" is the subject (a profile row)',
                row=int(mentions.rows[position]),
                column=mentions.columns[position],
            )
        )
    return problems


def check_near_duplicates(frame: pd.DataFrame, label: str, mentions: Mentions) -> list[Problem]:
    """Names that differ only in accents or punctuation, or by one letter; aliases that name another entity."""
    first_seen = dict(zip(mentions.names.to_pylist(), zip(mentions.rows.tolist(), mentions.columns)))
    return _near_duplicates(first_seen, frame, label)


class Mentions(NamedTuple):
    """Every name in subject or object (`names`), in the order the file first mentions it, with the
    row and column of that first mention; and for each row, its subject's place among `names`
    (-1 for a row without a subject)."""

    names: pa.Array
    rows: np.ndarray
    columns: list[str]
    subjects: np.ndarray


def first_mentions(frame: pd.DataFrame) -> Mentions:
    """Every name in subject or object, in the order the file first mentions it (row by row, the
    subject before the object), with the row and column of that first mention. One hash pass over
    both columns as they are (the chunks of one encoding share its dictionary): interleaving them
    first copied every name twice (0.15 s at a million rows)."""
    count = len(frame)
    subjects, objects = columns.arrow(frame["subject"]), columns.arrow(frame["object"])
    encoded = pc.dictionary_encode(pa.chunked_array([*subjects.chunks, *objects.chunks], pa.large_string()))
    if not encoded.num_chunks:
        return Mentions(pa.array([], pa.large_string()), np.zeros(0, dtype=np.int64), [], np.zeros(0, dtype=np.int64))
    codes = np.concatenate([chunk.indices.to_numpy(zero_copy_only=False) for chunk in encoded.chunks])
    dictionary = encoded.chunk(encoded.num_chunks - 1).dictionary
    # Reading order: the subject of row i is mention 2i, its object 2i + 1.
    first = np.minimum(
        _first_positions(codes[:count], len(dictionary), np.arange(count) * 2),
        _first_positions(codes[count:], len(dictionary), np.arange(count) * 2 + 1),
    )
    order = np.argsort(first, kind="stable")
    names, first = dictionary.take(pa.array(order)), first[order]
    named = pc.not_equal(names, "").to_numpy(zero_copy_only=False)
    place = np.full(len(dictionary), -1, dtype=np.int64)  # each code's place among the names kept
    place[order[named]] = np.arange(int(named.sum()))
    first = first[named]
    rows = frame["row"].to_numpy()
    return Mentions(
        names.filter(pa.array(named)),
        rows[first // 2],
        ["subject" if position % 2 == 0 else "object" for position in first],
        place[codes[:count]],
    )


def _first_positions(codes: np.ndarray, count: int, places: np.ndarray | None = None) -> np.ndarray:
    """For each of `count` codes, the first place where it occurs (`places`: an increasing place for
    each code's position; default the position itself); past every place where it does not occur."""
    places = np.arange(len(codes)) if places is None else places
    first = np.full(count, places[-1] + 1 if len(places) else 0, dtype=np.int64)
    first[codes[::-1]] = places[::-1]  # the last write for a code is its first place
    return first


def _near_duplicates(first_seen: dict[str, tuple[int, str]], frame: pd.DataFrame, label: str) -> list[Problem]:
    problems: list[Problem] = []
    entity_names = list(first_seen)
    folded_names = names.fold_many(entity_names)  # folded once for the three checks below

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

    for a, b in names.same_after_folding(entity_names, folded_names):
        problems.append(
            near(
                a,
                b,
                '"{later}" and "{earlier}" (row {row}) differ only in accents, case or punctuation',
                'use one spelling: "{earlier}"',
                "error",
            )
        )
    for a, b in names.one_edit_apart(entity_names, folded_names=folded_names):
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
    name_of_folded = dict(zip(folded_names, entity_names))
    with_aliases = (frame["aliases"] != "").to_numpy()  # filtering the whole frame would copy every column
    for subject, aliases, row in zip(
        frame["subject"][with_aliases], frame["aliases"][with_aliases], frame["row"].to_numpy()[with_aliases]
    ):
        for alias in names.split_aliases(aliases):
            other = name_of_folded.get(names.fold(alias))
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
