"""CSV a spreadsheet opens safely: no cell runs as a formula, accents read right in Excel."""

from __future__ import annotations

import pandas as pd

# Cells a spreadsheet would read as a formula, or that hide one behind a control character.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy in which no text cell (or header) can run as a spreadsheet formula: text beginning
    with =, +, -, @, tab or carriage return gets a leading apostrophe."""

    def neutral(value):
        if isinstance(value, str) and value.startswith(FORMULA_STARTS):
            return "'" + value
        return value

    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(neutral)
    safe.columns = [neutral(str(c)) for c in safe.columns]
    return safe


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """Spreadsheet-safe CSV, UTF-8 with a byte-order mark so Excel reads accents right."""
    return spreadsheet_safe(frame).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")
