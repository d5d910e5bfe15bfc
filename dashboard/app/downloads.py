"""Streamlit glue for the interchange downloads (dashboard/interchange): the same files as
`python -m dashboard export network|statements|story`, made only when a button is clicked.

Like ui.py, this module imports Streamlit; the files themselves come from the pure builders.
"""

from __future__ import annotations

from functools import partial

import streamlit as st

from dashboard.app import ui
from dashboard.exports import formats
from dashboard.exports.selection import Selection
from dashboard.views import network as net

HELP = {
    "gexf": "Opens in Gephi with the page's layout; every entity and link with its quotes, sources and statement ids.",
    "graphml": "For yEd, Cytoscape or networkx: the same attributes as the GEXF.",
    "csv": "The statements behind this view, in the dataset's columns. Cells that begin with =, +, -, @, a tab "
    "or a carriage return get a leading apostrophe, so a spreadsheet cannot run them as formulas.",
    "json": "The same rows as a Frictionless Data Package with the rows inline, under the dataset's schema.",
    "datapackage": "A zip another newsroom re-opens in its own copy of the dashboard (`--data FILE.zip`): the "
    "rows, their datapackage.json and the source passages they quote.",
    "ftm": "FollowTheMoney entities, one JSON object a line, for Aleph (`ftm import` / `alephclient`).",
    "html": "One self-contained page for readers: timeline, network, case table and every quoted passage. "
    "Works from a file or any static host, with no server and nothing fetched.",
}


def selection_of(context: ui.Context, view: net.View | None = None, lanes: str = "side", group=None) -> Selection:
    """The page's context as an interchange selection."""
    return Selection(
        context.dataset, context.model, context.filters, context.statements, context.sides,
        view or net.View(), lanes, group,
    )  # fmt: skip


def _bytes(selection: Selection, view: str, fmt: str) -> bytes:
    """Called when a button is clicked, outside the script run: everything comes in."""
    return formats.build(view, fmt, selection).data


def buttons(selection: Selection, choices: list[tuple[str, str]], key: str) -> None:
    """One download button per (view, format), in a row."""
    columns = st.columns(len(choices))
    for column, (view, fmt) in zip(columns, choices):
        column.download_button(
            formats.LABELS[fmt],
            data=partial(_bytes, selection, view, fmt),
            file_name=formats.file_name(view, fmt, selection.filters),
            mime=formats.MEDIA_TYPES[fmt],
            key=f"{key}_{view}_{fmt}",
            on_click="ignore",
            help=HELP[fmt],
            width="stretch",
        )


def take_out_panel(view: net.View | None = None, lanes: str = "side", group=None, key: str = "take_out") -> None:
    """ "Take the story out": the statements behind the view (CSV, JSON, data package,
    FollowTheMoney), the network's graph files and the story page, under the page's filters."""
    selection = selection_of(ui.current(), view, lanes, group)
    with st.expander("Take the story out: data, graph files, story page", icon=":material/ios_share:"):
        st.caption(
            ui.escape_markdown(f"{len(selection.statements)} statements under the filters. ")
            + "The same files as `python -m dashboard export`; see the README."
        )
        buttons(selection, [("statements", f) for f in formats.VIEW_FORMATS["statements"]], key)
        buttons(selection, [("network", f) for f in formats.VIEW_FORMATS["network"]] + [("story", "html")], key)
