"""Dates at their real precision: YYYY, YYYY-MM or YYYY-MM-DD, or none at all."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})


@dataclass(frozen=True)
class PartialDate:
    """A date known to a day, a month or a year: the span [start, end] it covers."""

    start: date
    end: date
    precision: str

    @property
    def iso(self) -> str:
        if self.precision == "year":
            return f"{self.start.year:04d}"
        if self.precision == "month":
            return f"{self.start.year:04d}-{self.start.month:02d}"
        return self.start.isoformat()


def parse_partial(text: str) -> PartialDate:
    """Parse an ISO 8601 date at day, month or year precision; ValueError says how to fix it."""
    value = text.strip()
    match = _ISO.match(value)
    if not match:
        raise ValueError(_suggest(value))
    year, month, day = (int(g) if g else None for g in match.groups())
    if month is None:
        return PartialDate(date(year, 1, 1), date(year, 12, 31), "year")
    if not 1 <= month <= 12:
        raise ValueError(f"month {month:02d} does not exist; write YYYY-MM with a month from 01 to 12")
    last = calendar.monthrange(year, month)[1]
    if day is None:
        return PartialDate(date(year, month, 1), date(year, month, last), "month")
    if not 1 <= day <= last:
        raise ValueError(f"{value} does not exist: {calendar.month_name[month]} {year} has {last} days")
    return PartialDate(date(year, month, day), date(year, month, day), "day")


def _suggest(value: str) -> str:
    """Explain a non-ISO date and propose the ISO form where it is unambiguous."""
    base = f'"{value}" is not an ISO 8601 date'
    numbers = re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})", value)
    if numbers:
        a, b, year = (int(x) for x in numbers.groups())
        if a > 12 and b <= 12:
            return f"{base}; write {year:04d}-{b:02d}-{a:02d} (YYYY-MM-DD)"
        if b > 12 and a <= 12:
            return f"{base}; write {year:04d}-{a:02d}-{b:02d} (YYYY-MM-DD)"
        return (
            f"{base}, and day and month are ambiguous; write {year:04d}-{b:02d}-{a:02d} "
            f"or {year:04d}-{a:02d}-{b:02d} (YYYY-MM-DD), whichever the source means"
        )
    slashed = re.fullmatch(r"(\d{4})[/.](\d{1,2})(?:[/.](\d{1,2}))?", value)
    if slashed:
        year, month, day = slashed.groups()
        iso = f"{year}-{int(month):02d}" + (f"-{int(day):02d}" if day else "")
        return f"{base}; write {iso} (use hyphens)"
    words = re.fullmatch(r"(?:(\d{1,2})\s+)?([A-Za-z]+)\.?(?:\s+(\d{1,2}))?,?\s+(\d{4})", value)
    if words and words.group(2).lower() in _MONTHS:
        day = words.group(1) or words.group(3)
        iso = f"{words.group(4)}-{_MONTHS[words.group(2).lower()]:02d}" + (f"-{int(day):02d}" if day else "")
        return f"{base}; write {iso}"
    return f"{base}; write YYYY-MM-DD, YYYY-MM or YYYY, at the precision the source gives"


def display(partial: PartialDate | None, inferred: bool = False) -> str:
    """The date as a reader should see it: "13 March 2025", "March 2025", "2021" or "Undated"."""
    if partial is None:
        return "Undated"
    if partial.precision == "day":
        text = f"{partial.start.day} {calendar.month_name[partial.start.month]} {partial.start.year}"
    elif partial.precision == "month":
        text = f"{calendar.month_name[partial.start.month]} {partial.start.year}"
    else:
        text = str(partial.start.year)
    return f"{text} (inferred)" if inferred else text
