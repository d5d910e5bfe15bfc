"""Every interchange export by view and format, for the command line and the app's download
buttons alike, so both give the same files."""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.derive import filters as flt
from dashboard.exports import graphformats, statements
from dashboard.exports.selection import Selection

VIEW_FORMATS = {
    "network": graphformats.GRAPH_FORMATS,
    "statements": (*statements.STATEMENT_FORMATS, "ftm"),
    "story": ("html",),
}
LABELS = {
    "gexf": "GEXF (Gephi)",
    "graphml": "GraphML",
    "csv": "Spreadsheet CSV",
    "json": "JSON (data package)",
    "datapackage": "Data package (zip)",
    "ftm": "FollowTheMoney",
    "html": "Story page (HTML)",
}
MEDIA_TYPES = {
    **graphformats.MEDIA_TYPES,
    **statements.MEDIA_TYPES,
    "ftm": "application/x-ndjson",
    "html": "text/html",
}
EXTENSIONS = {"datapackage": "zip", "ftm": "ftm.json"}


@dataclass(frozen=True)
class StoryFrame:
    """The words an editor may rewrite on the story page; None keeps the dataset's own."""

    title: str | None = None
    notes: tuple[str, ...] = ()
    credit: str | None = None


DEFAULT_FRAME = StoryFrame()


@dataclass(frozen=True)
class Download:
    data: bytes
    file_name: str
    media_type: str
    summary: str  # what the file holds, in words


def file_name(view: str, fmt: str, filters: flt.Filters) -> str:
    """ "network.gexf", "statements-filtered-to-2025-03-31.zip", "story.html"."""
    stem = view
    if filters.active:
        stem += "-filtered" + (f"-to-{filters.end.isoformat()}" if filters.end else "")
    return f"{stem}.{EXTENSIONS.get(fmt, fmt)}"


def build(view: str, fmt: str, selection: Selection, frame: StoryFrame = DEFAULT_FRAME) -> Download:
    """The file for one view in one format."""
    if view not in VIEW_FORMATS:
        raise ValueError(f"unknown view “{view}”: use {', '.join(VIEW_FORMATS)}")
    if fmt not in VIEW_FORMATS[view]:
        raise ValueError(f"the {view} view exports {', '.join(VIEW_FORMATS[view])}, not “{fmt}”")
    count = len(selection.statements)
    if view == "network":
        data = graphformats.graph_bytes(selection, fmt)
        shown = graphformats.graph(selection)
        summary = f"{shown.number_of_nodes()} entities, {shown.number_of_edges()} links"
    elif fmt == "ftm":
        from dashboard.exports import ftm

        lines = ftm.entities(selection)
        data = "".join(ftm.to_line(entity) for entity in lines).encode("utf-8")
        summary = f"{len(lines)} FollowTheMoney entities from {count} statements"
    elif view == "statements":
        writer = {"csv": statements.csv_bytes, "json": statements.json_bytes, "datapackage": statements.package_bytes}
        data = writer[fmt](selection)
        summary = f"{count} of {len(selection.model.statements)} statements"
    else:
        from dashboard.exports import story

        data = story.story_html(selection, frame).encode("utf-8")
        summary = f"story page of {count} statements"
    return Download(data, file_name(view, fmt, selection.filters), MEDIA_TYPES[fmt], summary)
