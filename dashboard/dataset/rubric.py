"""The certainty rubric and the date coding, checked row by row (codebook: "Certainty rubric").

Pure functions over one checked row (a dict of strings with `row`): no I/O, no order dependence.
`check_frame` is the one hook `dashboard.dataset.validation` calls, over whole columns; `check_rows`
is the row-by-row reading it is held to.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from dashboard.dataset import columns
from dashboard.dataset.problems import Problem

# Wording that reads as unnamed sourcing: "officials said", "sources said", "according to
# investigators", "current and former officials say", "a former DOJ official".
UNNAMED_SOURCING = re.compile(
    r"\b(?:officials?|sources?|investigators?)\b(?:[^.;:]{0,40}\b(?:say|says|said)\b)?"
    r"|\baccording to (?:investigators|officials|sources|people)\b",
    re.IGNORECASE,
)
UNNAMED_IN_QUOTE = re.compile(
    r"\b(?:officials|sources|investigators)\s+(?:say|says|said)\b"
    r"|\baccording to (?:investigators|officials|sources|people)\b",
    re.IGNORECASE,
)
# Every match of either pattern holds one of these words: a column-wise search for them (RE2, in
# C) picks the few cells the patterns are then run on. Each letter is written as the set of
# characters Python's IGNORECASE matches it to ("i" also matches "ı" and "İ", "s" matches "ſ").
SCREEN_WORDS = ("official", "source", "investigator", "according")
IGNORECASE_EXTRAS = {"i": "ıİ", "s": "ſ", "k": "\u212a"}


def _letter_set(char: str) -> str:
    return f"[{char.lower()}{char.upper()}{IGNORECASE_EXTRAS.get(char.lower(), '')}]" if char.isalpha() else char


SCREEN = "|".join("".join(_letter_set(char) for char in word) for word in SCREEN_WORDS)
# A note that records why a row is kept as stated silences the warning; the codebook says how.
KEPT_AS_STATED = "kept as stated"


def check_rows(records: list[dict], label: str) -> list[Problem]:
    """Every rubric and date-coding problem of a dataset's rows (dicts of strings with `row`), one row
    at a time: the plain reading that tests hold the column-wise `check_frame` to."""
    speakers = speaker_words(records)
    return [problem for rec in records for problem in check_row(rec, label, speakers)]


def check_frame(rows) -> list[Problem]:
    """The rubric as one of the validator's row checks (`rows`: a `rowchecks.Rows`): column-wise
    screens pick the few rows it can concern, and only those are read one by one."""
    frame = rows.frame

    def column(name: str) -> pd.Series:
        return frame[name] if name in frame else pd.Series("", index=frame.index, dtype="str")

    stated = (column("certainty") == "stated").to_numpy()
    unnamed = _matches(column("attribution"), UNNAMED_SOURCING, stated) | _matches(
        column("quote"), UNNAMED_IN_QUOTE, stated
    )
    candidates = (stated & unnamed) | (column("date_inference") != "").to_numpy()
    if not candidates.any():
        return []
    wanted = [name for name in ("subject", "role", "aliases") if name in frame]
    named = frame.loc[(column("role") != "") | (column("aliases") != ""), wanted]
    speakers = speaker_words(named.to_dict("records"))
    records = frame[candidates].to_dict("records")
    return [problem for rec in records for problem in check_row(rec, rows.label, speakers)]


def _matches(cells: pd.Series, pattern: re.Pattern, among: np.ndarray) -> np.ndarray:
    """For each cell of `among`, whether `pattern` finds a match in it: the screen's words (RE2, in C)
    first, then the pattern on each distinct cell the screen lets through."""
    if not among.any():
        return among
    screened = np.zeros(len(cells), dtype=bool)  # the screen runs over the rows of `among` only
    screened[among] = columns.search(cells[among], SCREEN)
    if not screened.any():
        return screened
    found = {value for value in pd.unique(cells[screened]) if pattern.search(value)}
    return screened & columns.isin(cells, found)


def check_row(rec: dict, label: str, speakers: dict[str, str] | None = None) -> list[Problem]:
    """Every rubric and date-coding problem of one row."""
    return [*unnamed_sourcing(rec, label, speakers), *date_inference(rec, label)]


def reads_as_unnamed_sourcing(rec: dict) -> bool:
    """The attribution or the quote gives the claim to unnamed officials, sources or investigators."""
    return bool(UNNAMED_SOURCING.search(rec.get("attribution", "")) or UNNAMED_IN_QUOTE.search(rec.get("quote", "")))


def is_own_remark(rec: dict, speakers: dict[str, str] | None = None) -> bool:
    """A remark by the speaker the attribution names: what that person said is stated (they said
    it); what they say about someone else is not. `speakers`: per subject, words that name it
    (its roles), for unnamed speakers ("[Former Justice Department official]": "former DOJ official")."""
    if rec.get("statement_type") != "remark":
        return False
    attribution = _fold(rec.get("attribution", ""))
    subject = rec.get("subject", "").strip("[]")
    words = [subject, *(speakers or {}).get(rec.get("subject", ""), "").split(";")]
    return any(_fold(w) and _fold(w) in attribution for w in words)


def unnamed_sourcing(rec: dict, label: str, speakers: dict[str, str] | None = None) -> list[Problem]:
    """Warn on a `stated` row whose claim rests on unnamed sourcing (codebook: certainty rubric)."""
    if rec.get("certainty") != "stated" or not reads_as_unnamed_sourcing(rec):
        return []
    if is_own_remark(rec, speakers) or KEPT_AS_STATED in rec.get("note", "").lower():
        return []
    return [
        Problem(
            label,
            "the row is coded stated but its attribution or quote reads as unnamed sourcing "
            "(officials, sources or investigators say); what unnamed officials say is not a stated fact",
            f'recode certainty as alleged, or say in note why it is "{KEPT_AS_STATED}"',
            row=rec.get("row"),
            column="certainty",
            severity="warning",
        )
    ]


def date_inference(rec: dict, label: str) -> list[Problem]:
    """`date_inference` says what of a date is inferred: it needs a date, and a note that explains it."""
    coded = rec.get("date_inference", "")
    if not coded:
        return []
    problems = []
    if not rec.get("date"):
        problems.append(
            Problem(
                label,
                f'date_inference is "{coded}" but the row has no date',
                "fill in date, or clear date_inference",
                row=rec.get("row"),
                column="date_inference",
            )  # fmt: skip
        )
    if not rec.get("date_note"):
        problems.append(
            Problem(
                label,
                f"the {'year' if coded == 'year' else 'date'} is marked inferred but date_note does not say how",
                "explain in date_note what in the text gives the date",
                row=rec.get("row"),
                column="date_note",
            )  # fmt: skip
        )
    return problems


def speaker_words(records: list[dict]) -> dict[str, str]:
    """Per subject, its roles and aliases joined by ";": the words an attribution may name it by."""
    words: dict[str, list[str]] = {}
    for rec in records:
        for column in ("role", "aliases"):
            if rec.get(column):
                words.setdefault(rec["subject"], []).append(rec[column])
    return {subject: ";".join(values) for subject, values in words.items()}


def _fold(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", text.casefold()).split())
