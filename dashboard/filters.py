"""The one filter set every view obeys, its URL form, and the line that says what is shown.

Pure functions over the model: no Streamlit here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from dashboard import dates, names
from dashboard.model import Model
from dashboard.schema import CERTAINTIES

# Query parameter names; `person`, `side` and `certainty` repeat.
PERSON, START, END, SIDE, CERTAINTY, UNDATED = "person", "start", "end", "side", "certainty", "undated"
QUERY_KEYS = (PERSON, START, END, SIDE, CERTAINTY, UNDATED)


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


def resolve_person(value: str, entities: pd.DataFrame) -> str | None:
    """The entity a URL or typed value means: its exact name, else the one entity it matches."""
    if value in entities.index:
        return value
    exact = [n for n in entities.index if names.fold(names.display_name(n)) == names.fold(value)]
    if len(exact) == 1:
        return exact[0]
    hits = match_people(value, entities)
    return hits[0] if len(hits) == 1 else None


def parse_query(params: Mapping[str, Sequence[str]], model: Model, sides: Sequence[str]) -> ParsedQuery:
    """Read filters from query parameters. A bad value is dropped with a notice, never raised."""
    notices: list[str] = []
    people = []
    for value in params.get(PERSON, []):
        name = resolve_person(value, model.entities)
        if name is None:
            notices.append(f"Ignored person “{value}”: no one in the dataset matches it.")
        elif name not in people:
            people.append(name)
    start = _parse_bound(params.get(START, []), "start", notices)
    end = _parse_bound(params.get(END, []), "end", notices)
    if start and end and start > end:
        notices.append(f"Ignored the date range: start {start} is after end {end}.")
        start = end = None
    chosen_sides = _known(params.get(SIDE, []), sides, "side", notices)
    certainties = _known(params.get(CERTAINTY, []), CERTAINTIES, "certainty", notices)
    undated_values = params.get(UNDATED, [])
    include_undated = True
    if undated_values:
        if undated_values[-1] in ("exclude", "include"):
            include_undated = undated_values[-1] == "include"
        else:
            notices.append(f"Ignored undated=“{undated_values[-1]}”: use include or exclude.")
    return ParsedQuery(Filters(tuple(people), start, end, chosen_sides, certainties, include_undated), notices)


def _parse_bound(values: Sequence[str], which: str, notices: list[str]) -> date | None:
    """The last value of a start or end parameter; a bad one is dropped with a notice."""
    if not values:
        return None
    try:
        return date_bound(values[-1], which)
    except ValueError as err:
        notices.append(f"Ignored {err}")
        return None


def date_bound(value: str, which: str) -> date:
    """A start or end date; YYYY and YYYY-MM widen to the first or last day they cover. Raises
    ValueError with a message naming the value ("start=“2025-13”: dates are written YYYY-MM-DD.")."""
    try:
        partial = dates.parse_partial(value)
    except ValueError:
        raise ValueError(f"{which}=“{value}”: dates are written YYYY-MM-DD.") from None
    return partial.start if which == "start" else partial.end


def date_range(start: str | None, end: str | None) -> tuple[date | None, date | None]:
    """The start and end dates written on a command line (either may be missing); ValueError with
    a message when one is malformed or the start is after the end."""
    first = date_bound(start, "start") if start else None
    last = date_bound(end, "end") if end else None
    if first and last and first > last:
        raise ValueError(f"the date range: start {first} is after end {last}.")
    return first, last


def _known(values: Sequence[str], allowed: Sequence[str], what: str, notices: list[str]) -> tuple[str, ...]:
    kept = []
    for value in values:
        if value in allowed:
            if value not in kept:
                kept.append(value)
        else:
            notices.append(f"Ignored {what} “{value}”: it is not one of {', '.join(allowed)}.")
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
    """The statements (all types) that pass every filter, in dataset order."""
    frame = model.statements
    keep = pd.Series(True, index=frame.index)
    if filters.people:
        involved = involved_names(model, filters.people)
        keep &= frame["subject"].isin(involved) | frame["object"].isin(involved)
    if filters.start or filters.end:
        dated = frame["date_start"].notna()
        within = dated.copy()
        if filters.start:
            within &= frame["date_end"] >= pd.Timestamp(filters.start)
        if filters.end:
            within &= frame["date_start"] <= pd.Timestamp(filters.end)
        keep &= within | (~dated & filters.include_undated)
    elif not filters.include_undated:
        keep &= frame["date_start"].notna()
    if filters.sides:
        side = model.entities["side"]
        keep &= frame["subject"].map(side).isin(filters.sides) | frame["object"].map(side).isin(filters.sides)
    if filters.certainties:
        keep &= frame["certainty"].isin(filters.certainties)
    return frame[keep]


def in_words(filters: Filters, model: Model) -> str:
    """The filters as a reader would say them: "Marco Rubio · 2025-03-01 to 2025-03-31"; "" when none."""
    parts = []
    if filters.people:
        parts.append(", ".join(model.entities.loc[p, "display"] for p in filters.people if p in model.entities.index))
    if filters.start or filters.end:
        start = filters.start.isoformat() if filters.start else "the start"
        end = filters.end.isoformat() if filters.end else "the end"
        parts.append(f"{start} to {end}" + (" (undated included)" if filters.include_undated else ""))
    elif not filters.include_undated:
        parts.append("dated only")
    if filters.sides:
        parts.append("side: " + ", ".join(filters.sides))
    if filters.certainties:
        parts.append("certainty: " + ", ".join(filters.certainties))
    return " · ".join(parts)


def describe(filters: Filters, shown: int, total: int, model: Model) -> str:
    """One line saying what is shown: "12 of 48 statements · Marco Rubio · 2025-03-01 to 2025-03-31"."""
    return f"{shown} of {total} statements · {in_words(filters, model) or 'no filters'}"
