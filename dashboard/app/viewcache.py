"""Views built once per (dataset digest, view state) and shared by every session of the server.

Every reader of the same view asks for the same figure and the same network HTML: building them was
most of what a reader cost the server (the timeline's label placement and Plotly figure, twice for
the wide and the phone layouts). A view is keyed by the dataset's digest (the disk cache's key,
`dashboard.dataset.cache.dataset_digest`: a SHA-256 of the data, its sources and the checking code),
its kind, the shared filters and the view's own state, so replicas reading the same data build the
same views, and a changed dataset gets new ones. What is returned is shared: never mutate it.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

import plotly.graph_objects as go
import streamlit as st

from dashboard.derive.context import Context

T = TypeVar("T")
MAX_VIEWS = 256  # a view is a figure or a page of HTML (tens to hundreds of kB); the oldest go first


def dataset_key(context: Context) -> str:
    """The dataset's digest; when it could not be digested (a folder that cannot be listed), the
    status fingerprint the app's other caches use, which changes whenever a file does."""
    digest = context.derived.digest
    return f"sha256:{digest}" if digest else f"status:{context.version}"


@st.cache_resource(max_entries=MAX_VIEWS, show_spinner=False)
def _shared(kind: str, dataset: str, state: str, _build: Callable[[], T]) -> T:
    # Streamlit locks each key: sessions asking for a view being built wait for it, not build it again.
    return _build()


def shared(kind: str, context: Context, state: Hashable, build: Callable[[], T]) -> T:
    """`build()` once per (dataset, kind, filters, state); afterwards the same object for every
    session. `state` holds everything else the view depends on (plain values and frozen dataclasses,
    compared by their repr); `build` must depend on nothing outside the key."""
    return _shared(kind, dataset_key(context), repr((context.filters, state)), build)


class SharedFigure(go.Figure):
    """A figure shown to many sessions. It is never changed once built, so what is made from it is
    made once and kept with it (`kept`): its dict, which `st.plotly_chart` asks for on every run
    (Plotly's to_dict copies every property and encodes every array: about 13 ms for the timeline),
    and the timeline chart element's payload (dashboard/app/chart.py)."""

    def kept(self, key: Hashable, make: Callable[[], T]) -> T:
        """`make()` the first time `key` is asked for; the same object afterwards."""
        made = getattr(self, "_kept", None)
        if made is None:
            made = self._kept = {}
        if key not in made:
            made[key] = make()
        return made[key]

    def to_dict(self) -> dict:
        return self.kept("dict", super().to_dict)


def shared_figure(figure: go.Figure) -> SharedFigure:
    """The figure itself, made a SharedFigure: build it inside a `shared` builder, once per view, and
    hand it over (copying it, as `SharedFigure(figure)` would, validates every property again: about a
    third of the time it took to draw the timeline)."""
    figure.__class__ = SharedFigure  # the same object and fields: only what is made from it is kept
    return figure
