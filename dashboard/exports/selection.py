"""What an interchange export is made of: a checked dataset, its model, the filters and the
statements that pass them, plus the view settings (network controls, timeline lanes, tracked group)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from dashboard.dataset.model import Model, build_model
from dashboard.dataset.validation import CheckedDataset, check_dataset
from dashboard.derive import filters as flt
from dashboard.views import network as net


@dataclass(frozen=True)
class Selection:
    """A view of one dataset. `statements` are those passing `filters` (all statement types)."""

    dataset: CheckedDataset
    model: Model
    filters: flt.Filters
    statements: pd.DataFrame
    sides: tuple[str, ...] = ()
    view: net.View = field(default_factory=net.View)
    lanes: str = "side"
    group: str | None = None


class SelectionError(ValueError):
    """A dataset with errors or a filter value that matches nothing: a message for the reader."""


def dataset_sides(dataset: CheckedDataset, model: Model) -> tuple[str, ...]:
    """The story's sides in its datapackage's order, else in order of appearance."""
    return dataset.schema.enum("side") or tuple(dict.fromkeys(s for s in model.entities["side"] if s))


def select(
    data: Path | str,
    query: Mapping[str, Sequence[str]] | None = None,
    view: net.View | None = None,
    lanes: str = "side",
    group: str | None = None,
) -> Selection:
    """Check and model the dataset at `data`, then apply the filters written as URL query
    parameters (the app's own form: person, start, end, side, certainty, undated). Unlike the
    app, which drops a bad value with a notice, an export refuses it: a file must show what was asked."""
    dataset = check_dataset(data)
    if not dataset.ok:
        errors = sum(p.is_error for p in dataset.problems)
        raise SelectionError(f"{data} has {errors} error(s); run `python -m dashboard check {data}`")
    model = build_model(dataset.frame)
    sides = dataset_sides(dataset, model)
    parsed = flt.parse_query(query or {}, model, sides)
    if parsed.notices:
        raise SelectionError(parsed.notices[0].removeprefix("Ignored "))
    view = view or net.View()
    focus = view.focus
    if focus is not None:
        focus = flt.resolve_person(focus, model.entities)
        if focus is None:
            raise SelectionError(f"focus “{view.focus}”: no one in the dataset matches it")
        view = net.View(view.relation_types, view.sides, view.hidden_certainties, focus, view.hops)
    statements = flt.apply(model, parsed.filters)
    return Selection(dataset, model, parsed.filters, statements, sides, view, lanes, group)
