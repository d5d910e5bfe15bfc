"""Entity-level checks: kind and side given once and consistently, no near-duplicate names."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard import names
from dashboard.problems import Problem


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
