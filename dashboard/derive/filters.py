"""The one filter set every view obeys, its URL form, and the line that says what is shown.

Pure functions over the model: no Streamlit here.
"""

from __future__ import annotations

import re
import weakref
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from dashboard import dates, names, text
from dashboard.dataset.model import Model
from dashboard.dataset.schema import CERTAINTIES

# Query parameter names; `person`, `side` and `certainty` repeat.
PERSON, START, END, SIDE, CERTAINTY, UNDATED = "person", "start", "end", "side", "certainty", "undated"
QUERY_KEYS = (PERSON, START, END, SIDE, CERTAINTY, UNDATED)
# The date widgets' range: a URL date outside it would crash the widget, so it is ignored.
EARLIEST, LATEST = date(1900, 1, 1), date(2100, 12, 31)
_LEADING_YEAR = re.compile(r"([0-9]{4})-")  # a well-formed date whose year is out of range
# A share link is written by anyone: bound what one page load can cost.
MAX_VALUES = 40  # per parameter, after removing repeats
MAX_VALUE_LENGTH = 200  # characters; no name, side or date is longer
MAX_NOTICES = 3  # per parameter; further ignored values are counted in one more notice


@dataclass(frozen=True)
class Filters:
    """Empty tuples and None mean "no restriction"."""

    people: tuple[str, ...] = ()
    start: date | None = None
    end: date | None = None
    sides: tuple[str, ...] = ()
    certainties: tuple[str, ...] = ()
    include_undated: bool = True

    @property
    def active(self) -> bool:
        return self != Filters()


@dataclass
class ParsedQuery:
    filters: Filters
    notices: list[str] = field(default_factory=list)


def match_people(query: str, entities: pd.DataFrame) -> list[str]:
    """Entity names whose name or alias contains every word of `query`, accents and case ignored
    ("Vampiro" finds Vladimir Arévalo Chávez, "Lopez" finds López)."""
    words = names.fold(query).split()
    if not words:
        return []
    keys = entities["search_key"]
    hits = keys[[all(w in key for w in words) for key in keys]]
    return hits.index.tolist()


# Folded display name -> entity names, built once per entities frame (not once per URL value):
# keyed by the frame's id, with a weak reference to tell a new frame that reuses an id.
_FOLDED: dict[int, tuple[weakref.ref, dict[str, list[str]]]] = {}


def _folded_names(entities: pd.DataFrame) -> dict[str, list[str]]:
    cached = _FOLDED.get(id(entities))
    if cached and cached[0]() is entities:
        return cached[1]
    folded: dict[str, list[str]] = defaultdict(list)
    for name in entities.index:
        folded[names.fold(names.display_name(name))].append(name)
    if len(_FOLDED) >= 8:  # a few datasets at a time; stale entries just go
        _FOLDED.clear()
    _FOLDED[id(entities)] = (weakref.ref(entities), dict(folded))
    return _FOLDED[id(entities)][1]


def resolve_person(value: str, entities: pd.DataFrame) -> str | None:
    """The entity a URL or typed value means: its exact name, else the one entity it matches."""
    if value in entities.index:
        return value
    exact = _folded_names(entities).get(names.fold(value), [])
    if len(exact) == 1:
        return exact[0]
    hits = match_people(value, entities)
    return hits[0] if len(hits) == 1 else None


def _clip(value: str, limit: int = 160) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


class _Notices:
    """Notices for ignored URL values: a few per parameter, then one line counting the rest."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self._extra: dict[str, int] = defaultdict(int)
        self._count: dict[str, int] = defaultdict(int)

    def add(self, key: str, text: str) -> None:
        self._count[key] += 1
        if self._count[key] <= MAX_NOTICES:
            self.lines.append(text)
        else:
            self._extra[key] += 1

    def done(self) -> list[str]:
        for key, extra in self._extra.items():
            self.lines.append(f"Ignored {extra} more {key} value(s) that could not be used.")
        return self.lines


def _values(params: Mapping[str, Sequence[str]], key: str, notices: _Notices) -> list[str]:
    """A parameter's values: strings, repeats removed, over-long ones and those past MAX_VALUES dropped."""
    raw = params.get(key) or []
    if isinstance(raw, str):
        raw = [raw]
    values = []
    for value in dict.fromkeys(str(v) for v in raw):
        if len(value) > MAX_VALUE_LENGTH:
            notices.add(key, f"Ignored a {key} value of {len(value):,} characters: it is too long to be one.")
        else:
            values.append(value)
    if len(values) > MAX_VALUES:
        notices.add(key, f"Only the first {MAX_VALUES} {key} values are used; {len(values) - MAX_VALUES} ignored.")
    return values[:MAX_VALUES]


def bounded_values(params: Mapping[str, Sequence[str]], key: str) -> tuple[list[str], list[str]]:
    """A parameter's values read as `parse_query` reads every filter (repeats removed, at most
    MAX_VALUES of at most MAX_VALUE_LENGTH characters each), and a notice for what was dropped: for
    the pages' own parameters that a share link carries."""
    notices = _Notices()
    values = _values(params, key, notices)
    return values, notices.done()


def parse_query(params: Mapping[str, Sequence[str]], model: Model, sides: Sequence[str]) -> ParsedQuery:
    """Read filters from query parameters. A bad value is dropped with a notice, never raised.
    The cost is bounded whatever the link holds: MAX_VALUES per parameter, each MAX_VALUE_LENGTH long."""
    notices = _Notices()
    people = []
    for value in _values(params, PERSON, notices):
        name = resolve_person(value, model.entities)
        if name is None:
            notices.add(PERSON, f"Ignored person “{_clip(value)}”: no one in the dataset matches it.")
        elif name not in people:
            people.append(name)
    start = _parse_bound(_values(params, START, notices), START, notices)
    end = _parse_bound(_values(params, END, notices), END, notices)
    if start and end and start > end:
        notices.add("date", f"Ignored the date range: start {start} is after end {end}.")
        start = end = None
    chosen_sides = _known(_values(params, SIDE, notices), sides, SIDE, notices)
    certainties = _known(_values(params, CERTAINTY, notices), CERTAINTIES, CERTAINTY, notices)
    undated_values = _values(params, UNDATED, notices)
    include_undated = True
    if undated_values:
        if undated_values[-1] in ("exclude", "include"):
            include_undated = undated_values[-1] == "include"
        else:
            notices.add(UNDATED, f"Ignored undated=“{_clip(undated_values[-1])}”: use include or exclude.")
    filters = Filters(tuple(people), start, end, chosen_sides, certainties, include_undated)
    return ParsedQuery(filters, notices.done())


def _parse_bound(values: Sequence[str], which: str, notices: _Notices) -> date | None:
    """The last value of a start or end parameter; a bad one is dropped with a notice."""
    if not values:
        return None
    try:
        return date_bound(values[-1], which)
    except ValueError as err:
        notices.add(which, f"Ignored {err}")
        return None


class BadDate(ValueError):
    """A date bound that cannot be used: the message names the parameter and value; `reason` alone
    says what is wrong, for a form field that shows the value already."""

    def __init__(self, which: str, value: str, reason: str):
        super().__init__(f"{which}=“{_clip(value)}”: {reason}")
        self.reason = reason


def date_bound(value: str, which: str) -> date:
    """A start or end date; YYYY and YYYY-MM widen to the first or last day they cover. Raises
    ValueError with a message naming the value ("start=“2025-13”: dates are written YYYY-MM-DD.")."""
    try:
        partial = dates.parse_partial(value)
    except (ValueError, OverflowError):
        year = _LEADING_YEAR.match(value)
        if year and not EARLIEST.year <= int(year.group(1)) <= LATEST.year:
            raise BadDate(which, value, f"dates run from {EARLIEST} to {LATEST}.") from None
        raise BadDate(which, value, "dates are written YYYY-MM-DD.") from None
    if partial.is_range:  # a filter bound is one day, month or year
        raise BadDate(which, value, "dates are written YYYY-MM-DD.")
    bound = partial.start if which == START else partial.end
    if not EARLIEST <= bound <= LATEST:
        raise BadDate(which, value, f"dates run from {EARLIEST} to {LATEST}.")
    return bound


def _known(values: Sequence[str], allowed: Sequence[str], what: str, notices: _Notices) -> tuple[str, ...]:
    kept = []
    for value in values:
        if value in allowed:
            if value not in kept:
                kept.append(value)
        else:
            notices.add(what, f"Ignored {what} “{_clip(value)}”: it is not one of {', '.join(allowed)}.")
    return tuple(kept)


def to_query(filters: Filters) -> dict[str, list[str]]:
    """The query parameters that reproduce `filters`; keys at their default are left out."""
    query: dict[str, list[str]] = {}
    if filters.people:
        query[PERSON] = list(filters.people)
    if filters.start:
        query[START] = [filters.start.isoformat()]
    if filters.end:
        query[END] = [filters.end.isoformat()]
    if filters.sides:
        query[SIDE] = list(filters.sides)
    if filters.certainties:
        query[CERTAINTY] = list(filters.certainties)
    if not filters.include_undated:
        query[UNDATED] = ["exclude"]
    return query


def involved_names(model: Model, people: Sequence[str]) -> set[str]:
    """The people themselves and every group they belong to: statements about a group
    concern each of its members."""
    involved = set(people)
    for person in people:
        involved.update(model.groups_of(person))
    return involved


def apply(model: Model, filters: Filters) -> pd.DataFrame:
    """The statements (all types) that pass every filter, in id order."""
    frame = model.statements
    keep = pd.Series(True, index=frame.index)
    if filters.people:
        involved = involved_names(model, filters.people)
        keep &= frame["subject"].isin(involved) | frame["object"].isin(involved)
    dated = frame["date_start"].notna() | frame["date_end"].notna()
    if filters.start or filters.end:
        # An event overlaps the window when it may end on or after the start and begin on or
        # before the end; an open bound (NaT: "2022/..", "../2025") reaches as far as it needs to.
        within = dated.copy()
        if filters.start:
            within &= frame["date_end"].isna() | (frame["date_end"] >= pd.Timestamp(filters.start))
        if filters.end:
            within &= frame["date_start"].isna() | (frame["date_start"] <= pd.Timestamp(filters.end))
        keep &= within | (~dated & filters.include_undated)
    elif not filters.include_undated:
        keep &= dated
    if filters.sides:
        side = model.entities["side"]
        keep &= frame["subject"].map(side).isin(filters.sides) | frame["object"].map(side).isin(filters.sides)
    if filters.certainties:
        keep &= frame["certainty"].isin(filters.certainties)
    return frame[keep]


def day(value: date) -> str:
    """ "14 March 2025"."""
    return f"{value.day} {value:%B %Y}"


def phrases(filters: Filters, model: Model, shown: pd.DataFrame | None = None) -> list[str]:
    """The filters as a reader would say them, one phrase each, capitalised: "Statements involving
    Marco Rubio", "Dated 1 March 2025 to 31 March 2025", "Sides: MS-13", "Alleged statements only".
    The one wording of the filters: page captions, frames, alt text and data packages all use it.
    `shown`, the statements that pass them: a window then says what it also holds (`reaching_in`)."""
    parts = []
    if filters.people:
        parts.append(f"Statements involving {text.listing(model.display(p) for p in filters.people)}")
    reach = reaching_in(filters, shown) if shown is not None else ""
    if filters.start and filters.end:
        parts.append(f"Dated {day(filters.start)} to {day(filters.end)}{reach}")
    elif filters.start:
        parts.append(f"Dated from {day(filters.start)}{reach}")
    elif filters.end:
        parts.append(f"Dated up to {day(filters.end)}")
    if (filters.start or filters.end) and filters.include_undated:
        parts.append("Undated statements included")
    if not filters.include_undated:
        parts.append("Dated statements only")
    if filters.sides:
        parts.append(f"{'Sides' if len(filters.sides) > 1 else 'Side'}: {text.listing(filters.sides)}")
    if filters.certainties:
        parts.append(f"{text.listing(filters.certainties).capitalize()} statements only")
    return parts


def reaching_in(filters: Filters, shown: pd.DataFrame) -> str:
    """What a window also holds, in words: the statements the source dates only by bounds that begin
    before its start and may fall inside it ("2022/..", "January–March 2025"). "" when none."""
    if not filters.start:
        return ""
    before = shown[shown["date_start"].notna() & (shown["date_start"] < pd.Timestamp(filters.start))]
    if before.empty:
        return ""
    first = before.sort_values("date_order").iloc[0]
    count = f"{len(before)} statement{'s' * (len(before) > 1)}"
    return (
        f", with {count} the source dates only by bounds that begin before it and may fall in it "
        f"(the earliest: {first['date_display']})"
    )


def in_words(filters: Filters, model: Model) -> str:
    """The filters in one line: "Statements involving Marco Rubio · Dated 1 March 2025 to 31 March
    2025"; "" when none."""
    return " · ".join(phrases(filters, model))


def describe(filters: Filters, shown: int, total: int, model: Model) -> str:
    """One line saying what is shown: "12 of 48 statements · Marco Rubio · 2025-03-01 to 2025-03-31"."""
    return f"{shown} of {total} statements · {in_words(filters, model) or 'no filters'}"
