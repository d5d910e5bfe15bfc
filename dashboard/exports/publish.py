"""The publication exports: each chart view (timeline, network, cases) as a file with its frame and
alt text, at a newsroom size. The builders here are registered in `dashboard.exports.registry`, the
one way out for the pages' download buttons and `python -m dashboard export` alike. No Streamlit
here; rendering goes through `render.Renderer`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import networkx as nx
import pandas as pd
import plotly.graph_objects as go

from dashboard import style
from dashboard.dataset.model import Model, events
from dashboard.derive import case_summary, cases, describe
from dashboard.derive import filters as flt
from dashboard.derive.context import Context, Options
from dashboard.exports import frame as framing
from dashboard.exports import render, spreadsheet
from dashboard.exports.result import Export, Refused
from dashboard.text import escape, text_width, wrap_to_width
from dashboard.views import network as net
from dashboard.views import timeline as tl


def source_title(context: Context) -> str:
    """The source documents' titles, else their file names: the source line when the package names no outlet."""
    titles = [s.get("title", "") for s in context.schema.meta.get("sources", []) if s.get("title")]
    return "; ".join(titles) or ", ".join(context.model.statements["source"].unique())


def timeline_figure(
    model: Model, statements, sides, options: Options, paper: tl.Paper | None = None, printed: bool = True
) -> tuple[go.Figure, str, list[str]]:
    """The timeline figure, its alt text, and the notes a published copy needs; `paper`: the plot
    area and type it is printed at (labels and dates are placed in its pixels)."""
    shown = events(statements)
    dated = shown[shown["date_start"].notna() | shown["date_end"].notna()]
    notes = []
    data = tl.TimelineData(shown, model.entities, sides, options.lanes)
    if len(dated) > tl.DENSITY_MARKS:  # as on the page: counts per period when marks would fill the lanes
        density = tl.density_counts(data)
        figure = tl.draw_density(density, sides, options.lanes)
        notes.append(
            f"{density.events:,} dated events, too many to draw one by one: each column counts the events of a "
            f"{density.unit} in its lane, on one scale (the tallest column holds {density.tallest:,})."
        )
        if density.coarser:
            notes.append(f"{density.coarser:,} events dated only by year are not in the monthly counts.")
        return figure, describe.timeline(statements), notes
    # Printed: focus and context on a broken axis, no zoom buttons. Not printed (the story page, an
    # interactive chart): the screen figure, with its zoom buttons and range slider.
    figure = tl.timeline_figure(data, broken=printed, paper=paper)
    notes += (figure.layout.meta or {}).get("notes", [])  # the broken axis, in words
    notes += timeline_notes(dated)
    return figure, describe.timeline(statements), notes


def timeline_notes(dated: pd.DataFrame) -> list[str]:
    """What a published timeline's hollow marks and open bars mean, for the kinds the chart holds;
    two lines at most, so the notes do not squeeze the chart."""
    notes = []
    inference = dated["date_inference"].where(dated["date_inferred"], "none")
    whole, year = (inference.ne("none") & inference.ne("year")).any(), (inference == "year").any()
    year_words = "the source prints the day and month, and only the year is inferred"
    if whole and year:
        notes.append(f"Hollow marks: dates the source does not print but implies; with a dot, {year_words}.")
    elif whole:
        notes.append("Hollow marks: dates the source does not print but implies; each statement's date note says how.")
    elif year:
        notes.append(f"Hollow marks with a dot: {year_words}.")
    opened = dated.loc[dated["precision"] == "range", "date_open"]
    if (opened != "").any():
        bound = "on or after" if not (opened == "start").any() else "on or after (or on or before)"
        notes.append(
            f"Hatched bars with an arrow: dated by the source only as {bound} a date; they run to the chart's edge."
        )
    return notes


def network_notes(graph: nx.DiGraph, figure: go.Figure | None = None) -> list[str]:
    """The notes a published network needs: what the large-graph mode grouped, the key to the
    figure's numbered marks and its other marks, and how to read the lines. (The no-wrongdoing line
    is the frame's own.)"""
    notice = net.large_graph_notice(graph)
    # The page's notice ends with what to hover and click; a printed chart keeps what it shows.
    notes = [". ".join(notice.split(". ")[:2]) + "."] if notice else []
    notes += net.figure_notes(figure) if figure is not None else []
    return notes + [
        "Arrows point from subject to object. Alleged: an accusation, not established. Inferred: drawn by the "
        "curator from the text."
    ]


def network_graph(model: Model, statements, options: Options) -> nx.DiGraph:
    return net.build_graph(statements, model.entities, options.network)


def cases_table(model: Model, statements, filters: flt.Filters, options: Options):
    """The case table for the chosen (or largest) tracked group, as of the end of the date filter."""
    groups = cases.tracked_groups(model)
    group = options.group if options.group in groups else (groups[0] if groups else None)
    if group is None:
        return None, None
    table, _ = cases.table_under_filters(model, group, filters)
    return group, cases.narrow_to_people(table, group, filters.people)


# The case table as published: the reader's columns (cases.READER_COLUMNS) and their relative widths.
PUBLISHED_WIDTHS = {"name": 1.7, "status": 1.4, "status_as_of": 1.3, "cooperation": 0.9, "membership": 1.0}


def cases_figure(table, group: str, preset: render.Preset | None = None, area=None) -> go.Figure:
    """The case table as a figure: one row per man, status in words (never colour alone), in the
    largest type from a quarter above the preset's body size down to its minimum at which the rows
    fit, rows tall enough to fill the plot `area` (width, height) when given."""
    table = table.assign(
        # How sure the status is, beside it, unless stated: never surer than its weakest statement.
        status=table["status"].where(table["status_certainty"].isin(["stated", ""]),
                                     table["status"] + " (" + table["status_certainty"] + ")"),
    )  # fmt: skip
    body, minimum = (preset.type.body, preset.type.minimum) if preset else (13, 12)
    width, height = area or (1100, 500)
    for size in range(round(body * 1.25), minimum - 1, -1):  # up to a quarter larger where the rows leave room
        cells, lines = _case_cells(table, width, size)
        whole_words = not _breaks_a_word(table, width, size)  # "Cooperati/on": a size smaller instead
        if _table_height(size, size * 1.9, lines) <= height and whole_words:
            break
    # Fill the plot: the tallest single-line row that still fits, between 1.9 and 3.2 lines of type.
    low, high = size * 1.9, size * 3.2
    for _ in range(20):
        middle = (low + high) / 2
        low, high = (middle, high) if _table_height(size, middle, lines) <= height else (low, middle)
    figure = go.Figure(
        go.Table(
            columnwidth=[PUBLISHED_WIDTHS[c] for c in cases.READER_COLUMNS],
            header=dict(values=[f"<b>{column[0]}</b>" for column in cells], fill_color="#eeeeee",
                        align="left", font=dict(size=size, color=style.TEXT), height=round(size * 2.2)),
            cells=dict(values=[column[1:] for column in cells], align="left",
                       fill_color=[["#ffffff", "#f7f7f7"] * (len(table) // 2 + 1)],
                       font=dict(size=size, color=style.TEXT), height=low),
        ),
        layout=go.Layout(template=style.template()),
    )  # fmt: skip
    return figure


def _case_cells(table, width: float, size: int) -> tuple[list[list[str]], list[int]]:
    """The published columns' cells wrapped to their column widths, and each row's number of lines."""
    total = sum(PUBLISHED_WIDTHS.values())
    cells, lines = [], [1] * (len(table) + 1)  # the header's lines first
    for column in cases.READER_COLUMNS:
        header, weight = cases.SHORT_LABELS[column], PUBLISHED_WIDTHS[column]
        # Plotly wraps too wide a cell itself: wrap first, measured, to count lines (cells are padded ~16 px;
        # the header is bold).
        room = width * weight / total - 16
        wrapped = [
            "<br>".join(escape(line) for line in wrap_to_width(str(v), size, room, bold=i == 0)) or ""
            for i, v in enumerate((header, *table[column]))
        ]
        lines = [max(n, w.count("<br>") + 1) for n, w in zip(lines, wrapped)]
        cells.append(wrapped)
    return cells, lines


def _breaks_a_word(table, width: float, size: int) -> bool:
    """Whether some word of a published column (header in bold) is wider than its column at `size`."""
    total = sum(PUBLISHED_WIDTHS.values())
    for column in cases.READER_COLUMNS:
        room = width * PUBLISHED_WIDTHS[column] / total - 16
        if any(text_width(w, size, bold=True) > room for w in cases.SHORT_LABELS[column].split()):
            return True
        if any(text_width(w, size) > room for v in table[column] for w in str(v).split()):
            return True
    return False


def _table_height(size: int, row: float, lines: list[int]) -> float:
    """Plotly's table height, with a twentieth to spare: a row is `row` tall, or its lines of text and
    padding if taller (measured); `lines[0]` is the header's."""
    header = max(size * 2.2, lines[0] * size * 1.3 + 12)
    return 1.05 * (header + sum(max(row, n * size * 1.3 + 12) for n in lines[1:]))


@dataclass(frozen=True)
class Drawing:
    """A publication image before it is rendered: the framed figure at the preset's size, the frame
    it carries, its alt text and file stem, and what the editor should know before publishing it
    (`warnings`, in words: a headline shrunk, a numbered key used)."""

    view: str
    figure: go.Figure
    frame: render.Frame
    preset: render.Preset
    alt_text: str
    warnings: tuple[str, ...] = ()

    def file_name(self, fmt: str, context: Context) -> str:
        return framing.file_name(self.view, fmt, self.preset.name, context)


def timeline_export(context: Context, fmt: str, preset: render.Preset, edits, renderer) -> Export:
    """The timeline as an image (see `timeline_drawing`)."""
    return _image(timeline_drawing(context, preset, edits), fmt, context, renderer)


def timeline_drawing(context: Context, preset: render.Preset, edits=None) -> Drawing:
    """The timeline, framed. Labels and dates are placed in the plot's real pixels at the preset's
    smallest type: the area the frame leaves does not depend on the y axis, so one more pass places them."""
    model, statements, sides, options = context.model, context.statements, context.sides, context.options
    figure, _, notes = timeline_figure(model, statements, sides, options)
    frame = framing.edited(framing.default_frame("timeline", context, notes, source=source_title(context)), edits)
    width, height = render.margins(figure, frame, preset).plot_area(preset)
    paper = tl.Paper(width, height, preset.type.minimum, preset.type.label, options.labels)
    figure, description, _ = timeline_figure(model, statements, sides, options, paper)
    warnings = _unlabelled_marks(figure) if options.labels == "all" else []
    sizes = [a.font.size for a in figure.layout.annotations if a.name == "timeline-label"]
    if sizes and min(sizes) < preset.type.label:
        warnings.append(f"The labels are set at {min(sizes)} px instead of {preset.type.label}, so that the lanes "
                        f"keep room for their marks at the {preset.name} size: a larger size or a narrower filter "
                        "sets them larger.")  # fmt: skip
    return _drawing("timeline", preset, context, figure, frame, description, warnings)


def _unlabelled_marks(figure: go.Figure) -> list[str]:
    """What the editor should know about a printed timeline's labels: how many of its marks have none."""
    # A broken axis draws every mark in both panels (x and x2): the marks are counted once.
    marks = sum(len(t.customdata) for t in figure.data
                if t.meta == tl.EVENT_TRACE and t.customdata is not None and t.xaxis in (None, "x"))  # fmt: skip
    labelled = sum(1 for a in figure.layout.annotations if a.name == "timeline-label")
    if not marks or labelled >= marks:
        return []
    return [f"{marks - labelled} of the {marks} marks have no label: no room. A larger size, fewer lanes or a "
            "narrower filter labels more."]  # fmt: skip


def _network_frame(context: Context, graph: nx.DiGraph, edits, figure: go.Figure | None = None) -> render.Frame:
    notes = network_notes(graph, figure)
    return framing.edited(framing.default_frame("network", context, notes, source=source_title(context)), edits)


def network_export(context: Context, fmt: str, preset: render.Preset, edits, renderer) -> Export:
    """The network as an image (see `network_drawing`) or an interactive page."""
    if fmt != "html":
        return _image(network_drawing(context, preset, edits), fmt, context, renderer)
    graph = network_graph(context.model, context.statements, context.options)
    focus, colours = context.options.network.focus, style.side_colours(context.sides)
    frame = _network_frame(context, graph, edits)
    html = net.network_html(graph, colours, positions=net.layout_positions(graph), focus=focus,
                            frame=frame, sides=context.sides)  # fmt: skip
    alt = framing.alt_text("network", frame, describe.network(graph), context)
    name = framing.file_name("network", fmt, preset.name, context)
    return Export(html.encode("utf-8"), name, render.MEDIA_TYPES["html"], alt)


def network_drawing(context: Context, preset: render.Preset, edits=None) -> Drawing:
    """The network, framed. Labels are placed in the plot's real pixels, at the preset's smallest
    type; the area the frame leaves depends on its notes (the key to numbered marks), so the graph is
    laid out until that area stops changing."""
    graph = network_graph(context.model, context.statements, context.options)
    description = describe.network(graph)
    # One person in the filter heads the image ("Who is linked to …"): drawn as its focus, ringed,
    # its links saying their relation, as the focus of the map is.
    people = context.filters.people
    focus = context.options.network.focus or (people[0] if len(people) == 1 else None)
    colours = style.side_colours(context.sides)
    frame = _network_frame(context, graph, edits)
    font = preset.type.label
    first = net.network_figure(graph, colours, focus=focus, font=font)
    area = render.margins(first, frame, preset).plot_area(preset)
    for _ in range(3):
        figure = net.network_figure(graph, colours, area=area, focus=focus, font=font)
        frame = _network_frame(context, graph, edits, figure)
        fitted = render.margins(figure, frame, preset).plot_area(preset)
        if max(abs(a - b) for a, b in zip(area, fitted)) < 2:
            break
        area = fitted
    meta = figure.layout.meta if isinstance(figure.layout.meta, dict) else {}
    numbered = meta.get("numbered", 0)
    remedy = "a larger size" if context.options.network.focus else "a larger size or a focus"
    warnings = [f"{numbered} of the least connected marks are numbered, their names in the key under the chart: "
                f"{remedy} names them on the chart."] if numbered else []  # fmt: skip
    warnings += meta.get("warnings", [])
    return _drawing("network", preset, context, figure, frame, description, warnings)


def cases_export(context: Context, fmt: str, preset: render.Preset, edits, renderer) -> Export:
    """The case table of the chosen (or largest) tracked group, as an image or a spreadsheet CSV."""
    if fmt != "csv":
        return _image(cases_drawing(context, preset, edits), fmt, context, renderer)
    return _cases(context, fmt, preset, edits)


def cases_drawing(context: Context, preset: render.Preset, edits=None) -> Drawing:
    """The case table, framed."""
    return _cases(context, "png", preset, edits)


def _cases(context: Context, fmt: str, preset: render.Preset, edits) -> Export | Drawing:
    model, filters = context.model, context.filters
    group, table = cases_table(model, context.statements, filters, context.options)
    if group is None:
        raise Refused("the dataset has no group with members to track")
    as_of = filters.end.isoformat() if filters.end else "the reporting"
    # The group-level figure from the statements the page uses: all filters but the people.
    evidence = flt.apply(model, replace(filters, people=()))
    about_group = case_summary.group_cooperation(model, group, evidence)
    figures = case_summary.group_figures(about_group)
    description = describe.cases(table, group, as_of, figures, case_summary.group_facts(about_group))
    group_note = ""
    if figures:
        quantity, who = figures[0]
        group_note = (
            f" Cooperation: each man's own statements; for the group, {quantity}, according to {who}, none named."
        )
    notes = [f"Status as of {as_of}, from the statements in the dataset.{group_note}"]
    frame = framing.edited(framing.default_frame("cases", context, notes, group, source_title(context)), edits)
    if fmt == "csv":
        alt = framing.alt_text("cases", frame, description, context)
        name = framing.file_name("cases", fmt, preset.name, context)
        return Export(spreadsheet.csv_bytes(cases.export_frame(table)), name, render.MEDIA_TYPES["csv"], alt)
    area = render.margins(cases_figure(table, group, preset), frame, preset).plot_area(preset)
    figure = cases_figure(table, group, preset, area)
    return _drawing("cases", preset, context, figure, frame, description)


def _drawing(view, preset, context, figure, frame, description, warnings=()) -> Drawing:
    """The figure in its frame at the preset, with its alt text."""
    alt = framing.alt_text(view, frame, description, context)
    drawn = render.framed(figure, frame, preset)
    return Drawing(view, drawn, frame, preset, alt, (*render.frame_warnings(drawn), *warnings))


def _image(drawing: Drawing, fmt: str, context: Context, renderer) -> Export:
    """A drawing rendered at its preset, with its file name and alt text."""
    data = (renderer or render.Renderer()).render(drawing.figure, fmt, drawing.preset)
    return Export(data, drawing.file_name(fmt, context), render.MEDIA_TYPES[fmt], drawing.alt_text,
                  summary="; ".join(drawing.warnings))  # fmt: skip


DRAWINGS = {"timeline": timeline_drawing, "network": network_drawing, "cases": cases_drawing}


def alt_text_name(name: str) -> str:
    """The alt text saved beside an export: "timeline-social.png" → "timeline-social.alt.txt"."""
    return name.rsplit(".", 1)[0] + ".alt.txt"
