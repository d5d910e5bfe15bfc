"""A problem found in a dataset: where it is, what is wrong and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass


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
        return f"{text}. Fix: {self.fix}" if self.fix else text


def has_errors(problems: list[Problem]) -> bool:
    return any(p.is_error for p in problems)
