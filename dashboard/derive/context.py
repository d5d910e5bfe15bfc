"""What every view is built from, the same for the pages, the command line and the exports: the
checked dataset, its model and schema, the filters, and what passes them. Pure: no Streamlit here."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from dashboard import vocabulary
from dashboard.dataset.cache import Derived
from dashboard.dataset.model import Model
from dashboard.dataset.schema import Schema
from dashboard.dataset.validation import CheckedDataset
from dashboard.derive import filters as flt


@dataclass
class Context:
    """The checked dataset, its model, the filters and the statements (all types) that pass them."""

    dataset: CheckedDataset
    model: Model
    filters: flt.Filters
    statements: pd.DataFrame
    sides: tuple[str, ...] = field(default_factory=tuple)
    version: tuple = ()  # (path, fingerprint digest): a cheap cache key for anything derived from the dataset
    # Where the app keeps what it derives from the dataset (dashboard.dataset.cache); by default nothing is kept.
    derived: Derived = field(default_factory=lambda: Derived(None))

    @classmethod
    def build(
        cls,
        dataset: CheckedDataset,
        model: Model,
        filters: flt.Filters | None = None,
        version: tuple = (),
        derived: Derived | None = None,
    ) -> Context:
        """The context of a dataset under the given filters (none: everything)."""
        filters = filters or flt.Filters()
        statements = flt.apply(model, filters)
        sides = side_options(dataset, model)
        return cls(dataset, model, filters, statements, sides, version, derived or Derived(None))

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
