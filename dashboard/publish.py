"""What leaves the dashboard: each view as a publication-ready file with its frame and alt text.

Used by the pages' download buttons and by `python -m dashboard export`, so both give the same
files. No Streamlit here; rendering goes through `export.Renderer`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

import networkx as nx
import pandas as pd
import plotly.graph_objects as go

from dashboard import cases, describe, export, style, vocabulary
from dashboard import filters as flt
from dashboard import network as net
from dashboard import timeline as tl
from dashboard.context import Context
from dashboard.model import Model, events
from dashboard.schema import Schema
from dashboard.text import wrap_html

VIEW_FORMATS = {"timeline": ("png", "svg"), "network": ("png", "svg", "html"), "cases": ("png", "svg", "csv")}
VIEW_TITLES = {"timeline": "Timeline of events", "network": "Who is linked to whom", "cases": "Case status"}
NO_WRONGDOING = vocabulary.NOTICE_SHORT


@dataclass(frozen=True)
class Options:
    """View settings beyond the shared filters: timeline lanes, network controls, the tracked group."""

    lanes: str = "side"
    network: net.View = field(default_factory=net.View)
    group: str | None = None


@dataclass(frozen=True)
class Export:
    data: bytes
    file_name: str
    media_type: str
    alt_text: str


def story_frame(view: str, schema: Schema, model: Model, filters: flt.Filters, notes=()) -> export.Frame:
    """Title, filters in words, source line and credit for a view of this dataset."""
    titles = [s.get("title", "") for s in schema.meta.get("sources", []) if s.get("title")]
    source = "; ".join(titles) or ", ".join(model.statements["source"].unique())
    story = schema.title or "Story explorer"
    return export.Frame(
        title=f"{VIEW_TITLES[view]} · {story}",
        subtitle=flt.in_words(filters, model) or "All statements in the dataset",
        source=source,
        credit=schema.credit or "Story explorer",
        notes=tuple(notes),
    )


def timeline_figure(model: Model, statements, sides, options: Options) -> tuple[go.Figure, str, list[str]]:
    """The timeline figure, its alt text, and the notes a published copy needs."""
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
    figure = tl.timeline_figure(data)
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


def cases_figure(table, group: str) -> go.Figure:
    """The case table as a figure: one row per man, status in words (never colour alone)."""
    columns = {
        "name": "Name",
        "listed_as": "Listed in the data as",
        "status": "Custody status",
        "status_as_of": "As of (first reported) or since",
        "cooperation": "Cooperation",
        "membership": "Membership (how sure)",
    }
    shown = table.assign(
        # How sure the status is, beside it, unless stated: never surer than its weakest statement.
        status=table["status"].where(table["status_certainty"].isin(["stated", ""]),
                                     table["status"] + " (" + table["status_certainty"] + ")"),
    )  # fmt: skip
    cells = [[wrap_html(str(v), 48) for v in shown[c]] for c in columns]
    figure = go.Figure(
        go.Table(
            columnwidth=[1.75, 1.25, 1.3, 2.0, 0.75, 0.75],
            header=dict(values=[f"<b>{h}</b>" for h in columns.values()], fill_color="#eeeeee", align="left",
                        font=dict(size=13, color=style.TEXT), height=30),
            cells=dict(values=cells, align="left", fill_color=[["#ffffff", "#f7f7f7"] * (len(table) // 2 + 1)],
                       font=dict(size=13, color=style.TEXT), height=28),
        ),
        layout=go.Layout(template=style.template()),
    )  # fmt: skip
    return figure


def build(
    view: str, fmt: str, preset_name: str, context: Context, options: Options = Options(),
    renderer: export.Renderer | None = None,
) -> Export:  # fmt: skip
    """The file for one view of the context, in one format, at one newsroom size."""
    schema, model, statements, filters, sides = (
        context.schema, context.model, context.statements, context.filters, context.sides
    )  # fmt: skip
    if view not in VIEW_FORMATS:
        raise ValueError(f"unknown view “{view}”: use {', '.join(VIEW_FORMATS)}")
    if fmt not in VIEW_FORMATS[view]:
        raise ValueError(f"the {view} view exports {', '.join(VIEW_FORMATS[view])}, not “{fmt}”")
    preset = export.PRESETS.get(preset_name)
    if preset is None:
        raise ValueError(f"unknown preset “{preset_name}”: use {', '.join(export.PRESETS)}")
    name = file_name(view, fmt, preset.name, filters)
    colours = style.side_colours(sides)
    notes: list[str] = []
    if view == "timeline":
        figure, alt, notes = timeline_figure(model, statements, sides, options)
    elif view == "network":
        graph = network_graph(model, statements, options)
        alt = describe.network(graph)
        if fmt == "html":
            html = net.network_html(graph, colours, positions=net.layout_positions(graph))
            return Export(html.encode("utf-8"), name, export.MEDIA_TYPES["html"], alt)
        figure = net.network_figure(graph, colours, area=(preset.width * 0.94, preset.height * 0.58))
        notice = net.large_graph_notice(graph)
        # The page's notice ends with what to hover and click; a printed chart keeps what it shows.
        notes = [". ".join(notice.split(". ")[:2]) + "."] if notice else []
        notes += [
            "Arrows point from subject to object. Alleged: an accusation, not established. Inferred: drawn by the "
            "curator from the text.",
            NO_WRONGDOING,
        ]
    else:
        group, table = cases_table(model, statements, filters, options)
        if group is None:
            raise ValueError("the dataset has no group with members to track")
        as_of = filters.end.isoformat() if filters.end else "the reporting"
        # The group-level figure from the statements the page uses: all filters but the people.
        evidence = flt.apply(model, replace(filters, people=()))
        figures = cases.group_figures(cases.group_cooperation(model, group, evidence))
        alt = describe.cases(table, group, as_of, figures)
        if fmt == "csv":
            data = cases.csv_bytes(cases.export_frame(table))
            return Export(data, name, export.MEDIA_TYPES["csv"], alt)
        figure = cases_figure(table, group)
        group = ""
        if figures:
            quantity, who = figures[0]
            group = (
                f" Cooperation: each man's own statements; for the group, {quantity}, according to {who}, none named."
            )
        notes = [f"Status as of {as_of}, from the statements in the dataset.{group}", NO_WRONGDOING]
    frame = story_frame(view, schema, model, filters, notes)
    data = (renderer or export.Renderer()).render(export.framed(figure, frame, preset), fmt, preset)
    return Export(data, name, export.MEDIA_TYPES[fmt], alt)


def file_name(view: str, fmt: str, preset: str, filters: flt.Filters) -> str:
    """ "timeline-social.png"; "network-filtered-2025-03-31.html" when filters are on."""
    stem = view
    if filters.active:
        stem += "-filtered" + (f"-to-{filters.end.isoformat()}" if isinstance(filters.end, date) else "")
    return f"{stem}.{fmt}" if fmt in ("html", "csv") else f"{stem}-{preset}.{fmt}"


def alt_text_name(name: str) -> str:
    """The alt text saved beside an export: "timeline-social.png" → "timeline-social.alt.txt"."""
    return name.rsplit(".", 1)[0] + ".alt.txt"
