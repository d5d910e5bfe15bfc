"""Dates at their real precision, in the EDTF subset this project uses (Library of Congress
Extended Date/Time Format, ISO 8601-2):

- a single date: `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (EDTF level 0);
- a bounded interval: `2022/2025-03-13`, `2025-01/2025-03-13` (level 0), each bound at its own precision;
- an open interval: `2022/..` (on or after 2022), `../2025-03-13` (on or before) (level 1).

Digits are ASCII only, and years outside PLAUSIBLE_YEARS are refused as typos. What is inferred (the
year only, or the whole date) is recorded in its own column, `date_inference`, not in the date.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

# A dated event outside these years is a typo (1025-03-13), not a story: it is refused, not drawn.
PLAUSIBLE_YEARS = (1900, 2100)
OPEN = ".."
_ISO = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})


@dataclass(frozen=True)
class PartialDate:
    """A date known to a day, a month or a year, or an interval between two such dates.

    `start` and `end` are the first and last days it can fall on; None for an open bound
    (`2022/..` has no end). `lower` and `upper` are an interval's bounds at their own precision."""

    start: date | None
    end: date | None
    precision: str
    lower: PartialDate | None = None
    upper: PartialDate | None = None

    @property
    def is_range(self) -> bool:
        return self.precision == "range"

    @property
    def open_start(self) -> bool:
        return self.is_range and self.lower is None

    @property
    def open_end(self) -> bool:
        return self.is_range and self.upper is None

    @property
    def iso(self) -> str:
        """The EDTF text of the date: "2021", "2025-03", "2022/..", "2025-01/2025-03-13"."""
        if self.is_range:
            return f"{self.lower.iso if self.lower else OPEN}/{self.upper.iso if self.upper else OPEN}"
        if self.precision == "year":
            return f"{self.start.year:04d}"
        if self.precision == "month":
            return f"{self.start.year:04d}-{self.start.month:02d}"
        return self.start.isoformat()


def certainly_valid(texts: pa.Array) -> np.ndarray:
    """For each text, True when it is certainly a valid single date (YYYY, YYYY-MM or YYYY-MM-DD,
    the day in its month, the year plausible), decided for the whole array at once; False means
    "ask parse_partial", which also reads intervals and explains what is wrong. A parsed day must
    print back as written: pyarrow reads "2021-02-30" as 2 March."""
    texts = texts.cast(pa.large_string())
    year_only = pc.match_substring_regex(texts, "^[0-9]{4}$")
    month_only = pc.match_substring_regex(texts, "^[0-9]{4}-[0-9]{2}$")

    def then(suffix: str) -> pa.Array:
        return pc.binary_join_element_wise(texts, pa.scalar(suffix, texts.type), pa.scalar("", texts.type))

    day = pc.if_else(year_only, then("-01-01"), pc.if_else(month_only, then("-01"), texts))
    shaped = pc.match_substring_regex(day, "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
    parsed = pc.strptime(day, format="%Y-%m-%d", unit="s", error_is_null=True)
    low, high = PLAUSIBLE_YEARS
    year = pc.year(parsed)
    valid = pc.and_kleene(
        pc.and_kleene(shaped, pc.equal(pc.strftime(parsed, format="%Y-%m-%d"), day)),
        pc.and_kleene(pc.greater_equal(year, low), pc.less_equal(year, high)),
    )
    return pc.fill_null(valid, False).to_numpy(zero_copy_only=False)


def parse_partial(text: str) -> PartialDate:
    """Parse a date or interval (see the module docstring); ValueError says how to fix it."""
    value = text.strip()
    if _NON_ASCII.search(value):
        raise ValueError(
            f'"{value}" has characters other than ASCII (full-width or non-Latin digits, or letters); '
            "retype it with the digits 0-9, as YYYY-MM-DD, YYYY-MM or YYYY"
        )
    if _ISO.match(value):
        return _single(value)
    if value.count("/") == 1:
        left, right = (part.strip() for part in value.split("/"))
        if all(part == OPEN or _ISO.match(part) for part in (left, right)):
            return _interval(value, left, right)
        if not left or not right:
            raise ValueError(
                f'"{value}" has an empty bound; write {OPEN} for an open one ("2022/{OPEN}": on or after 2022)'
            )
    raise ValueError(_suggest(value))


def _single(value: str) -> PartialDate:
    year, month, day = (int(g) if g else None for g in _ISO.match(value).groups())
    low, high = PLAUSIBLE_YEARS
    if not low <= year <= high:
        raise ValueError(
            f"year {year:04d} is outside {low}-{high}, so it is probably a typo; check the year in the source"
        )
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


def _interval(value: str, left: str, right: str) -> PartialDate:
    if left == OPEN and right == OPEN:
        raise ValueError(f'"{value}" has no bound at all; leave the date empty when the source gives none')
    lower = None if left == OPEN else _single(left)
    upper = None if right == OPEN else _single(right)
    if lower and upper and lower.start > upper.end:
        raise ValueError(f'"{value}" ends before it begins; write the earlier bound first ({right}/{left})')
    if lower and upper and lower == upper:
        raise ValueError(f'"{value}" has the same date at both ends; write {left}')
    return PartialDate(lower.start if lower else None, upper.end if upper else None, "range", lower, upper)


def _suggest(value: str) -> str:
    """Explain a non-ISO date and propose the ISO form where it is unambiguous."""
    base = f'"{value}" is not an ISO 8601 date'
    numbers = re.fullmatch(r"([0-9]{1,2})[/.]([0-9]{1,2})[/.]([0-9]{4})", value)
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
    slashed = re.fullmatch(r"([0-9]{4})[/.]([0-9]{1,2})(?:[/.]([0-9]{1,2}))?", value)
    if slashed:
        year, month, day = slashed.groups()
        iso = f"{year}-{int(month):02d}" + (f"-{int(day):02d}" if day else "")
        return f"{base}; write {iso} (use hyphens; a slash joins the two bounds of an interval)"
    words = re.fullmatch(r"(?:([0-9]{1,2})\s+)?([A-Za-z]+)\.?(?:\s+([0-9]{1,2}))?,?\s+([0-9]{4})", value)
    if words and words.group(2).lower() in _MONTHS:
        day = words.group(1) or words.group(3)
        iso = f"{words.group(4)}-{_MONTHS[words.group(2).lower()]:02d}" + (f"-{int(day):02d}" if day else "")
        return f"{base}; write {iso}"
    return (
        f"{base}; write YYYY-MM-DD, YYYY-MM or YYYY, at the precision the source gives, or an interval "
        f'such as 2022/2025-03-13 or 2022/{OPEN} ("on or after 2022") for a date the source only bounds'
    )


INFERENCE_WORDS = {"year": "year inferred", "date": "inferred"}


def display(partial: PartialDate | None, inferred: bool | str = False) -> str:
    """The date as a reader should see it: "13 March 2025", "March 2025", "2021", "2022 or later",
    "between January 2025 and 13 March 2025" or "Undated"; `inferred` (True, "year" or "date") adds
    what was inferred: "13 March 2025 (year inferred)", "2022 or later (inferred)"."""
    if partial is None:
        return "Undated"
    if partial.is_range:
        if partial.upper is None:
            text = f"{_plain(partial.lower)} or later"
        elif partial.lower is None:
            text = f"{_plain(partial.upper)} or earlier"
        else:
            text = f"between {_plain(partial.lower)} and {_plain(partial.upper)}"
    else:
        text = _plain(partial)
    words = INFERENCE_WORDS.get(inferred, "inferred") if inferred and inferred != "none" else ""
    return f"{text} ({words})" if words else text


def _plain(partial: PartialDate) -> str:
    if partial.precision == "day":
        return f"{partial.start.day} {calendar.month_name[partial.start.month]} {partial.start.year}"
    if partial.precision == "month":
        return f"{calendar.month_name[partial.start.month]} {partial.start.year}"
    return str(partial.start.year)
