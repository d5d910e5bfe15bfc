"""A problem found in a dataset: where it is, what is wrong and how to fix it."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Control characters and the bidirectional controls: shown as escapes, so that a cell can never move
# the cursor, recolour or rewrite a terminal line (a fake "OK" over the FAILED line) or reorder text.
_UNPRINTABLE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """`text` with control and bidirectional characters written as escapes (\\x1b, \\u202e)."""
    return _UNPRINTABLE.sub(lambda m: repr(m.group())[1:-1], text)


@dataclass(frozen=True)
class Problem:
    """One finding. `row` is the row number a spreadsheet shows (the header is row 1)."""

    file: str
    message: str
    fix: str = ""
    row: int | None = None
    column: str | None = None
    severity: str = "error"  # or "warning": reported, but the dataset still loads

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    @property
    def where(self) -> str:
        place = self.file
        if self.row is not None:
            place += f":{self.row}"
        if self.column:
            place += f" [{self.column}]"
        return place

    def __str__(self) -> str:
        text = f"{self.where}: {self.severity}: {self.message}"
        return printable(f"{text}. Fix: {self.fix}" if self.fix else text)


def has_errors(problems: list[Problem]) -> bool:
    return any(p.is_error for p in problems)
