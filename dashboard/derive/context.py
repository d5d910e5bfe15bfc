"""The view state, the same for the pages, the command line and every export: the checked dataset,
its model and schema, the filters, the statements (all types) that pass them, and the view's own
options (timeline lanes, network controls, the tracked group). Pure: no Streamlit here."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from dashboard import vocabulary
from dashboard.dataset.cache import Derived
from dashboard.dataset.model import Model, build_model
from dashboard.dataset.schema import CERTAINTIES, Schema
from dashboard.dataset.validation import CheckedDataset, check_dataset
from dashboard.derive import cases
from dashboard.derive import filters as flt

LANES = ("side", "person")
TIMELINE_LABELS = ("all", "key", "none")  # which marks a printed timeline labels (views.timeline.LABEL_CHOICES)


@dataclass(frozen=True)
class NetworkView:
    """The network's own controls. Empty tuples mean "no restriction"; `focus` None means everyone."""

    relation_types: tuple[str, ...] = ()
    sides: tuple[str, ...] = ()
    hidden_certainties: tuple[str, ...] = ()
    focus: str | None = None
    hops: int = 1


@dataclass(frozen=True)
class Options:
    """View settings beyond the shared filters: timeline lanes and which marks a printed timeline
    labels, network controls, the tracked group, and the two ends of "how are they connected?" (with
    only stated links, or all)."""

    lanes: str = "side"
    labels: str = "all"
    network: NetworkView = field(default_factory=NetworkView)
    group: str | None = None
    path_from: str | None = None
    path_to: str | None = None
    only_stated: bool = False


@dataclass
class Context:
    """The checked dataset, its model, the filters, the statements (all types) that pass them and
    the view's options."""

    dataset: CheckedDataset
    model: Model
    filters: flt.Filters
    statements: pd.DataFrame
    sides: tuple[str, ...] = field(default_factory=tuple)
    version: tuple = ()  # (path, fingerprint digest): a cheap cache key for anything derived from the dataset
    # Where the app keeps what it derives from the dataset (dashboard.dataset.cache); by default nothing is kept.
    derived: Derived = field(default_factory=lambda: Derived(None))
    options: Options = field(default_factory=Options)

    @classmethod
    def build(
        cls,
        dataset: CheckedDataset,
        model: Model,
        filters: flt.Filters | None = None,
        version: tuple = (),
        derived: Derived | None = None,
        options: Options | None = None,
    ) -> Context:
        """The context of a dataset under the given filters (none: everything)."""
        filters = filters or flt.Filters()
        statements = flt.apply(model, filters)
        sides = side_options(dataset, model)
        return cls(dataset, model, filters, statements, sides, version, derived or Derived(None), options or Options())

    def with_options(self, options: Options) -> Context:
        """The same dataset and filters under other view options (nothing is filtered again)."""
        return replace(self, options=options)

    @property
    def schema(self) -> Schema:
        return self.dataset.schema

    @property
    def title(self) -> str:
        return self.schema.title or self.dataset.path.stem

    @property
    def notice(self) -> str:
        """The standing notice: the data package's own, else the generic one."""
        return self.schema.notice or vocabulary.NOTICE


def side_options(dataset: CheckedDataset, model: Model) -> tuple[str, ...]:
    """Sides in the schema's order, or as they appear when the dataset brings no list."""
    declared = dataset.schema.enum("side")
    return declared or tuple(dict.fromkeys(s for s in model.entities["side"] if s))


class DatasetError(ValueError):
    """A dataset that has errors: it cannot be shown or exported until they are fixed."""


class StateError(ValueError):
    """A filter or option value that matches nothing in the dataset: a message naming the value and
    the choices."""


def load(data: Path | str) -> tuple[CheckedDataset, Model]:
    """The dataset at `data`, checked and modelled; DatasetError when it has errors."""
    dataset = check_dataset(data)
    if not dataset.ok:
        errors = sum(p.is_error for p in dataset.problems)
        raise DatasetError(f"{data} has {errors} error(s); run `python -m dashboard check {data}`")
    return dataset, build_model(dataset.frame)


def open_context(
    data: Path | str,
    query: Mapping[str, Sequence[str]] | None = None,
    options: Options | None = None,
    loaded: tuple[CheckedDataset, Model] | None = None,
) -> Context:
    """Check and model the dataset at `data` (or take `loaded`, what `load` gave for it), then apply
    the filters written as URL query parameters (the app's own form: person, start, end, side,
    certainty, undated) and resolve the options. Unlike the app, which drops a bad value with a
    notice, this refuses it: a file must show what was asked."""
    dataset, model = loaded or load(data)
    sides = side_options(dataset, model)
    parsed = flt.parse_query(query or {}, model, sides)
    if parsed.notices:
        raise StateError(parsed.notices[0].removeprefix("Ignored "))
    context = Context.build(dataset, model, parsed.filters)
    return context.with_options(resolve_options(options or Options(), context))


def relation_types(context: Context) -> tuple[str, ...]:
    """The relation types the network can keep: the schema's list, else those in the rows."""
    declared = context.schema.enum("relation_type")
    return declared or tuple(sorted(set(context.model.statements["relation_type"])))


def resolve_options(options: Options, context: Context) -> Options:
    """The options with the focus resolved to an entity's name (aliases and accents as in the filters);
    StateError for a value the dataset does not hold, naming the choices."""
    network, entities = options.network, context.model.entities
    focus = network.focus
    if focus is not None:
        focus = flt.resolve_person(focus, entities)
        if focus is None:
            close = flt.match_people(network.focus, entities)[:5]
            hint = f"; did you mean: {', '.join(close)}?" if close else ""
            raise StateError(f"focus “{network.focus}”: no one in the dataset matches it{hint}")
    _known("relation type", network.relation_types, relation_types(context))
    _known("entity side", network.sides, context.sides)
    _known("hidden certainty", network.hidden_certainties, CERTAINTIES)
    if network.hops not in (1, 2, 3):
        raise StateError(f"hops “{network.hops}”: use 1, 2 or 3")
    _known("lanes", (options.lanes,), LANES)
    group = options.group
    if group is not None:
        groups = cases.tracked_groups(context.model)
        group = flt.resolve_person(group, entities)
        if group not in groups:
            raise StateError(f"group “{options.group}”: it is not one of the groups with members: {', '.join(groups)}")
    return replace(options, network=replace(network, focus=focus), group=group)


def _known(what: str, values: Sequence[str], allowed: Sequence[str]) -> None:
    for value in values:
        if value not in allowed:
            raise StateError(f"{what} “{value}”: it is not one of {', '.join(allowed)}")
