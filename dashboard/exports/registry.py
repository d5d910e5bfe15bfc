"""The one way out: every export, by (view, format), for the pages' download buttons and
`python -m dashboard export` alike, so both give the same files.

Each entry says which view options and which frame fields it reads: the command line refuses a flag
that an export would ignore, and the app offers only the fields a file shows. A builder takes the
view state (`Context`, options included) and what the caller asks beyond it (preset, frame edits,
renderer) and returns an `Export`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from dashboard.derive.context import Context
from dashboard.exports import frame as framing
from dashboard.exports import graphformats, publish, render, statements
from dashboard.exports.result import Export, Refused

# The view options each export reads (dashboard.derive.context.Options).
LANES, LABELS, NETWORK, GROUP, PATH = "lanes", "labels", "network", "group", "path"
# The frame fields: every editable field for the publication exports, three for the story page.
FRAME = ("title", "subtitle", "notes", "source", "source_date", "source_link", "byline", "credit")
STORY_FRAME = ("title", "notes", "credit")
ALT_TEXT_FRAME = ("title", "subtitle")  # a table's alt text opens with its header

Builder = Callable[[Context, str, render.Preset, "Mapping[str, object] | None", "render.Renderer | None"], Export]


@dataclass(frozen=True)
class Format:
    """One (view, format): how to build it, what it reads, and how the app's button names it."""

    view: str
    fmt: str
    build: Builder
    label: str
    help: str
    options: tuple[str, ...] = ()  # which of the view options it reads
    frame: tuple[str, ...] = ()  # which frame fields it prints
    sized: bool = False  # drawn at a preset's size

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.fmt]


def _statements(context: Context, fmt: str, preset, edits, renderer) -> Export:
    writer = {"csv": statements.csv_bytes, "json": statements.json_bytes, "datapackage": statements.package_bytes}
    summary = f"{len(context.statements)} of {len(context.model.statements)} statements"
    return Export(writer[fmt](context), data_file_name("statements", fmt, context), MEDIA_TYPES[fmt], summary=summary)


def _ftm(context: Context, fmt: str, preset, edits, renderer) -> Export:
    from dashboard.exports import ftm  # followthemoney-shaped output; imported only when asked for

    lines = ftm.entities(context)
    data = "".join(ftm.to_line(entity) for entity in lines).encode("utf-8")
    summary = f"{len(lines)} FollowTheMoney entities from {len(context.statements)} statements"
    return Export(data, data_file_name("statements", fmt, context), MEDIA_TYPES[fmt], summary=summary)


def _graph(context: Context, fmt: str, preset, edits, renderer) -> Export:
    shown = graphformats.graph(context)
    summary = f"{shown.number_of_nodes()} entities, {shown.number_of_edges()} links"
    return Export(graphformats.graph_bytes(context, fmt), data_file_name("network", fmt, context), MEDIA_TYPES[fmt],
                  summary=summary)  # fmt: skip


def _story(context: Context, fmt: str, preset, edits, renderer) -> Export:
    from dashboard.exports import story  # the SVG drawings and their template: loaded only for the story page

    edits = edits or {}
    frame = story.StoryFrame(
        title=edits.get("title") or None,
        notes=tuple(str(n) for n in (*(edits.get("notes") or ()), *(edits.get("more_notes") or ()))),
        credit=edits.get("credit") or None,
    )
    data = story.story_html(context, frame).encode("utf-8")
    return Export(data, data_file_name("story", fmt, context), MEDIA_TYPES[fmt],
                  summary=f"story page of {len(context.statements)} statements")  # fmt: skip


def _path(context: Context, fmt: str, preset, edits, renderer) -> Export:
    from dashboard.derive.paths import UnknownName
    from dashboard.exports import paths

    options = context.options
    if not (options.path_from and options.path_to):
        raise Refused("how are they connected? give both ends: --from NAME --to NAME")
    try:
        return paths.build_path_export(fmt, preset.name, context, options.path_from, options.path_to,
                                       only_stated=options.only_stated, edits=edits, renderer=renderer)  # fmt: skip
    except UnknownName as err:
        raise Refused(str(err)) from None


MEDIA_TYPES = {
    **render.MEDIA_TYPES,
    **graphformats.MEDIA_TYPES,
    **statements.MEDIA_TYPES,
    "ftm": "application/x-ndjson",
    "json": "application/json",
}
EXTENSIONS = {"datapackage": "zip", "ftm": "ftm.json"}
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
IMAGE_HELP = "In the frame above: title, notes, the no-wrongdoing line, source and credit."

FORMATS: dict[tuple[str, str], Format] = {
    (f.view, f.fmt): f
    for f in (
        Format("timeline", "png", publish.timeline_export, "PNG", IMAGE_HELP, (LANES, LABELS), FRAME, True),
        Format("timeline", "svg", publish.timeline_export, "SVG", IMAGE_HELP, (LANES, LABELS), FRAME, True),
        Format("network", "png", publish.network_export, "PNG", IMAGE_HELP, (NETWORK,), FRAME, True),
        Format("network", "svg", publish.network_export, "SVG", IMAGE_HELP, (NETWORK,), FRAME, True),
        Format("network", "html", publish.network_export, "Interactive HTML",
               "The network as one page that works offline, in the frame above.", (NETWORK,), FRAME),
        Format("network", "gexf", _graph, "GEXF (Gephi)", HELP["gexf"], (NETWORK,)),
        Format("network", "graphml", _graph, "GraphML", HELP["graphml"], (NETWORK,)),
        Format("cases", "png", publish.cases_export, "PNG", IMAGE_HELP, (GROUP,), FRAME, True),
        Format("cases", "svg", publish.cases_export, "SVG", IMAGE_HELP, (GROUP,), FRAME, True),
        Format("cases", "csv", publish.cases_export, "Spreadsheet CSV",
               "Every column of the case table; formula-safe.", (GROUP,), ALT_TEXT_FRAME),
        Format("statements", "csv", _statements, "Spreadsheet CSV", HELP["csv"]),
        Format("statements", "json", _statements, "JSON (data package)", HELP["json"]),
        Format("statements", "datapackage", _statements, "Data package (zip)", HELP["datapackage"]),
        Format("statements", "ftm", _ftm, "FollowTheMoney", HELP["ftm"]),
        Format("story", "html", _story, "Story page (HTML)", HELP["html"], (LANES, NETWORK, GROUP), STORY_FRAME),
        Format("path", "png", _path, "PNG", IMAGE_HELP, (PATH,), FRAME, True),
        Format("path", "svg", _path, "SVG", IMAGE_HELP, (PATH,), FRAME, True),
        Format("path", "json", _path, "JSON", "Every chain, hop by hop, with each statement's quote.", (PATH,)),
        Format("path", "csv", _path, "Spreadsheet CSV", "One row per statement per hop; formula-safe.", (PATH,)),
    )
}  # fmt: skip
VIEWS = tuple(dict.fromkeys(view for view, _ in FORMATS))


def formats(view: str) -> tuple[str, ...]:
    """The formats one view exports, in the order the app offers them."""
    return tuple(fmt for v, fmt in FORMATS if v == view)


def lookup(view: str, fmt: str) -> Format:
    """The entry for (view, format); UnknownExport names the choices."""
    if view not in VIEWS:
        raise UnknownExport(f"unknown view “{view}”: use {', '.join(VIEWS)}")
    if (view, fmt) not in FORMATS:
        raise UnknownExport(f"the {view} view exports {', '.join(formats(view))}, not “{fmt}”")
    return FORMATS[view, fmt]


class UnknownExport(Refused):
    """A view, format or preset the registry does not have."""


def build(
    view: str,
    fmt: str,
    context: Context,
    preset: str = "social",
    edits: Mapping[str, object] | None = None,
    renderer: render.Renderer | None = None,
) -> Export:
    """The file for one view of the context in one format (images at the preset's size, in the
    frame the editor left: `edits` holds the fields to replace, and `more_notes` to add)."""
    entry = lookup(view, fmt)
    if preset not in render.PRESETS:
        raise UnknownExport(f"unknown preset “{preset}”: use {', '.join(render.PRESETS)}")
    size = render.PRESETS[preset]
    if entry.sized and fmt not in size.formats:
        raise UnknownExport(f"the {preset} preset exports {', '.join(size.formats)}, not {fmt}")
    return entry.build(context, fmt, size, edits, renderer)


def draw(view: str, context: Context, preset: str = "social", edits: Mapping[str, object] | None = None):
    """The publication image of a chart view, framed at the preset but not rendered (`publish.Drawing`):
    what the PNG and SVG of `build` show, for checks and the panel's preview. Refused as `build` is."""
    if view not in publish.DRAWINGS:
        raise UnknownExport(f"the {view} view has no image: images are made of {', '.join(publish.DRAWINGS)}")
    if preset not in render.PRESETS:
        raise UnknownExport(f"unknown preset “{preset}”: use {', '.join(render.PRESETS)}")
    return publish.DRAWINGS[view](context, render.PRESETS[preset], edits)


def data_file_name(view: str, fmt: str, context: Context) -> str:
    """A data file's name: "network.gexf", "statements-filtered-to-2025-03-31.zip", "story.html"."""
    filters = context.filters
    stem = view
    if filters.active:
        stem += "-filtered" + (f"-to-{filters.end.isoformat()}" if filters.end else "")
    return f"{stem}.{EXTENSIONS.get(fmt, fmt)}"


def file_name(view: str, fmt: str, context: Context, preset: str = "social") -> str:
    """The name the export will have, without building it (for the app's download buttons)."""
    entry = lookup(view, fmt)
    if entry.frame in (FRAME, ALT_TEXT_FRAME):  # a publication export: named for the whole view state
        return framing.file_name(view, fmt, preset, context)
    return data_file_name(view, fmt, context)
