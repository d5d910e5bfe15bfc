"""The entity options of the sidebar and the network's focus: every entity sorted by display name,
with the label Streamlit's option search matches. Pure: no Streamlit here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from dashboard import names
from dashboard.dataset.model import Model

if TYPE_CHECKING:
    from dashboard.dataset.cache import Derived

COLUMNS = ("name", "display", "label")  # one row per entity, in the sorted order


@dataclass(frozen=True)
class EntityChoices:
    """Entity names sorted as a reader looks them up (by display name, accents ignored), with the
    display name and the searchable option label of each."""

    names: tuple[str, ...]
    display: dict[str, str]
    label: dict[str, str]


def choices_of(model: Model) -> EntityChoices:
    """Every entity sorted by display name (accents ignored); its option label adds the spelling
    without accents, so typing "Lopez" finds "López" in Streamlit's option search."""
    entities = model.entities
    display = dict(zip(entities.index, entities["display"]))
    folded = {name: names.fold(shown) for name, shown in display.items()}
    label = {name: _searchable(shown) for name, shown in display.items()}
    return EntityChoices(tuple(sorted(display, key=folded.__getitem__)), display, label)


def _searchable(shown: str) -> str:
    """ "César López Larios · Cesar Lopez": the accented words again without accents, so that the
    option search, which compares letters exactly, finds them typed plainly."""
    plain = [names.strip_accents(word) for word in shown.split() if names.strip_accents(word) != word]
    return f"{shown} · {' '.join(plain)}" if plain else shown


def kept_choices(model: Model, derived: Derived) -> EntityChoices:
    """choices_of(model), kept with the dataset's derived artefacts: after a restart the options are
    read back (a few milliseconds) instead of folding and sorting every name again (0.15 s at 10,000)."""
    return from_frame(derived.frame("entity_choices", lambda: to_frame(choices_of(model)), COLUMNS))


def to_frame(choices: EntityChoices) -> pd.DataFrame:
    order = list(choices.names)
    return pd.DataFrame(
        {
            "name": order,
            "display": [choices.display[n] for n in order],
            "label": [choices.label[n] for n in order],
        },
        columns=list(COLUMNS),
    )


def from_frame(frame: pd.DataFrame) -> EntityChoices:
    order = tuple(frame["name"].tolist())
    return EntityChoices(order, dict(zip(order, frame["display"].tolist())), dict(zip(order, frame["label"].tolist())))
