"""The figures above the case table: status counts, cooperation by certainty, how each man is known
to be in the group, and what the source says of the group as a whole. Pure pandas."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from dashboard import wording
from dashboard.dataset.model import Model, natural_key
from dashboard.derive.cases import CERTAINTY_ORDER, STATUS_NONE


@dataclass(frozen=True)
class CaseSummary:
    """The figures shown above the table, all counted from the table and the statements."""

    members: int
    status_counts: dict[str, int]
    cooperation: dict[str, list[str]]  # certainty -> the men (dataset names) individually sourced
    group_cooperation: pd.DataFrame = field(repr=False)  # cooperation statements about the group
    named: int = 0  # named at all: in the source as one of them, or linked by inference
    unnamed: int = 0
    membership: dict[str, int] = field(default_factory=dict)  # certainty -> count
    named_in_source: int = 0  # named, and placed in the group by a stated statement
    linked_by_inference: int = 0  # named, but placed in the group only by a less certain one
    group_figures: list[tuple[str, str]] = field(default_factory=list)  # ("at least three", "officials")
    # Of the men counted as cooperating, those in the group only by a less certain statement
    # (a count is never surer than the membership it rests on).
    cooperating_by_inference: list[str] = field(default_factory=list)
    group_facts: list[str] = field(default_factory=list)  # what the source says of the group, attributed

    @property
    def cooperating(self) -> int:
        """Men with a stated or alleged cooperation statement of their own (inferred ones not counted)."""
        return sum(len(self.cooperation.get(c, [])) for c in ("stated", "alleged"))


# How many of a group the source says did something: "at least three", "several", "12".
_QUANTITY = re.compile(
    r"\b(?:at least|at most|more than|fewer than|about|some|several|a few|many|most|all)"
    r"(?: (?:[0-9]+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a dozen|dozens))?\b"
    r"|\b(?:[0-9]+|two|three|four|five|six|seven|eight|nine|ten)\b(?= of)",
    re.IGNORECASE,
)


def group_figures(rows: pd.DataFrame) -> list[tuple[str, str]]:
    """From cooperation statements about a group, each quantity the source gives and who gives it:
    [("at least three", "officials"), ("several", "the article")], most specific first."""
    found = []
    for row in rows.sort_values("date_order").itertuples():
        match = _QUANTITY.search(row.quote)
        if match:
            found.append((match.group(0).lower(), wording.who_says(row.attribution)))
    # A number ("at least three") says more than a word ("several").
    specific = [f for f in found if any(ch.isdigit() for ch in f[0]) or len(f[0].split()) > 1]
    return list(dict.fromkeys(specific + found))


def group_facts(rows: pd.DataFrame) -> list[str]:
    """Each cooperation statement about the group as a whole, as a sentence that says who says so and
    how sure it is: "Several of the nine men were confidential informants … (according to the
    article, stated)." In date order, then id."""
    return [
        f"{row.summary.rstrip('.')} ({wording.according_to_mid_sentence(row.attribution)}, {row.certainty})."
        for row in rows.sort_values("date_order").itertuples()
    ]


def cooperating_by_inference(table: pd.DataFrame) -> list[str]:
    """The men counted as cooperating (a stated or alleged statement of their own) whose membership
    of the group is not stated: the count rests on an inference for them. By name."""
    counted = table["cooperation"].isin(["Stated", "Alleged"]) & (table["membership"].str.lower() != "stated")
    return sorted(table.loc[counted, "member"], key=natural_key)


def group_cooperation(model: Model, group: str, statements: pd.DataFrame) -> pd.DataFrame:
    """The cooperation statements about the group as a whole, in date order (undated by id)."""
    rows = statements[(statements["subject"] == group) & (statements["relation_type"] == "cooperation")]
    return rows.sort_values("date_order")


def case_summary(table: pd.DataFrame, model: Model, group: str, statements: pd.DataFrame) -> CaseSummary:
    """Counts over the table's rows: status categories, cooperation by certainty, how each man is
    known to be in the group (named in the source as one of them, linked by inference, not
    identified); plus the cooperation statements `statements` make about the group as a whole."""
    counts = table["status"].value_counts(sort=False)
    ordered = sorted(counts.index, key=lambda s: (s == STATUS_NONE, -counts[s], s))
    cooperation = {}
    for certainty in CERTAINTY_ORDER:
        men = sorted(table.loc[table["cooperation"] == certainty.capitalize(), "member"], key=natural_key)
        if men:
            cooperation[certainty] = men
    unnamed = model.entities["unnamed"].reindex(table["member"]).fillna(False).astype(bool).to_numpy()
    stated = (table["membership"].str.lower() == "stated").to_numpy()
    about_group = group_cooperation(model, group, statements)
    membership = table["membership"].str.lower().value_counts()
    return CaseSummary(
        members=len(table),
        status_counts={s: int(counts[s]) for s in ordered},
        cooperation=cooperation,
        group_cooperation=about_group,
        named=int((~unnamed).sum()),
        unnamed=int(unnamed.sum()),
        membership={c: int(membership[c]) for c in CERTAINTY_ORDER if c in membership},
        named_in_source=int((~unnamed & stated).sum()),
        linked_by_inference=int((~unnamed & ~stated).sum()),
        group_figures=group_figures(about_group),
        cooperating_by_inference=cooperating_by_inference(table),
        group_facts=group_facts(about_group),
    )
