"""What leaves the dashboard: each view as a publication-ready file with its frame and alt text.

Used by the pages' download buttons and by `python -m dashboard export`, so both give the same
files. No Streamlit here; rendering goes through `export.Renderer`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

import networkx as nx
import plotly.graph_objects as go

from dashboard import cases, describe, export, style
from dashboard import filters as flt
from dashboard import network as net
from dashboard import timeline as tl
from dashboard.model import Model, events
from dashboard.names import display_name
from dashboard.schema import Schema
from dashboard.text import escape, wrap_html

VIEW_FORMATS = {"timeline": ("png", "svg"), "network": ("png", "svg", "html"), "cases": ("png", "svg", "csv")}
VIEW_TITLES = {"timeline": "Timeline of events", "network": "Who is linked to whom", "cases": "Case status"}
NO_WRONGDOING = "Appearing in this chart implies no wrongdoing; allegations are attributed to whoever makes them."


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
    dated = shown[shown["date_start"].notna()]
    notes = []
    if len(dated) > tl.DENSITY_MARKS:  # as on the page: counts per period when marks would fill the lanes
        figure = tl.density_figure(shown, model.entities, sides, options.lanes)
        meta = figure.layout.meta
        notes.append(
            f"{meta['events']:,} dated events, too many to draw one by one: each column counts the events of a "
            f"{meta['density']} in its lane, on one scale (the tallest column holds {meta['tallest']:,})."
        )
        if meta["coarser"]:
            notes.append(f"{meta['coarser']:,} events dated only by year are not in the monthly counts.")
        return figure, describe.timeline(statements), notes
    figure = tl.timeline_figure(shown, model.entities, sides, options.lanes)
    if dated["date_inferred"].any():
        notes.append("Hollow marks: dates the source does not print but implies; each statement's date note says how.")
    return figure, describe.timeline(statements), notes


def network_graph(model: Model, statements, options: Options) -> nx.DiGraph:
    return net.build_graph(statements, model.entities, options.network)


def network_figure(graph: nx.DiGraph, colours: dict[str, str], area: tuple[float, float] = (1100, 420)) -> go.Figure:
    """The network as a static Plotly figure laid out like the page's graph, scaled to fit `area`
    (plot width and height in pixels): colour by side, symbol by kind, broken lines for what is not
    a stated fact, arrows from subject to object."""
    figure = go.Figure(layout=go.Layout(template=style.template()))
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False)
    if graph.number_of_nodes() == 0:
        figure.add_annotation(text="No relation matches the filters.", showarrow=False, x=0.5, y=0.5,
                              xref="paper", yref="paper")  # fmt: skip
        return figure
    laid_out = net.layout_positions(graph, aspect=area[0] / area[1])
    extent_w, extent_h = net.layout_extent(graph, laid_out)
    # Stretch each axis to fill the frame: a wide card gives labels room sideways.
    stretch_x, stretch_y = area[0] / max(extent_w, 1), area[1] / max(extent_h, 1)
    positions = {n: (x * stretch_x, y * stretch_y) for n, (x, y) in laid_out.items()}
    scale = min(max((stretch_x * stretch_y) ** 0.5, 0.7), 1.1)
    grey = "#8a8a8a"
    for certainty, dash in style.CERTAINTY_DASH.items():
        xs, ys = [], []
        for source, target, data in graph.edges(data=True):
            if data.get("certainty") == certainty:
                xs += [positions[source][0], positions[target][0], None]
                ys += [-positions[source][1], -positions[target][1], None]
        if xs:
            figure.add_trace(go.Scatter(x=xs, y=ys, mode="lines", hoverinfo="skip", showlegend=False,
                                        line=dict(color=grey, width=1.2, dash=dash)))  # fmt: skip
    if graph.number_of_edges() <= 400:  # arrowheads show direction; past a few hundred they are clutter
        for source, target in graph.edges():
            (x0, y0), (x1, y1) = positions[source], positions[target]
            figure.add_annotation(
                x=x0 + (x1 - x0) * 0.72, y=-(y0 + (y1 - y0) * 0.72), ax=x0 + (x1 - x0) * 0.6,
                ay=-(y0 + (y1 - y0) * 0.6), xref="x", yref="y", axref="x", ayref="y", text="", showarrow=True,
                arrowhead=2, arrowsize=1, arrowwidth=1.2, arrowcolor=grey,
            )  # fmt: skip
    names_ = list(graph)
    data = [graph.nodes[n] for n in names_]
    figure.add_trace(go.Scatter(
        x=[positions[n][0] for n in names_],
        y=[-positions[n][1] for n in names_],
        mode="markers+text",
        showlegend=False,
        text=[escape(d.get("label", display_name(n))).replace("\n", "<br>") for n, d in zip(names_, data)],
        textposition="bottom center",
        textfont=dict(size=max(7, round(net.FONT_SIZE * scale * 0.9)), color=style.TEXT),
        marker=dict(
            color=[colours.get(d.get("side", ""), style.NEUTRAL) for d in data],
            symbol=[KIND_SYMBOLS.get(d.get("kind", ""), "star") for d in data],
            size=[max(6.0, 2 * net.node_radius(d) * scale) for d in data],
            line=dict(color=["#1f1f1f" if d.get("unnamed") else "#ffffff" for d in data], width=1),
        ),
    ))  # fmt: skip
    for side in dict.fromkeys(d.get("side", "") for d in data):
        colour = colours.get(side, style.NEUTRAL)
        figure.add_trace(
            style.legend_entry(escape(side or "No side"), mode="markers", marker=dict(size=11, color=colour))
        )
    for kind in dict.fromkeys(d.get("kind", "") for d in data):
        label = net.GROUP_LABEL if kind == net.GROUP_KIND else net.KIND_LABELS.get(kind, "Other")
        marker = dict(symbol=KIND_SYMBOLS.get(kind, "star"), size=11, color=style.MUTED)
        figure.add_trace(style.legend_entry(label, "legend2", mode="markers", marker=marker))
    for certainty in dict.fromkeys(d.get("certainty") for _, _, d in graph.edges(data=True)):
        line = dict(color=grey, width=2, dash=style.CERTAINTY_DASH.get(certainty, "solid"))
        figure.add_trace(style.legend_entry(str(certainty).capitalize(), "legend2", mode="lines", line=line))
    # Room around the outermost nodes for their labels, which hang below each mark.
    xs = [x for x, _ in positions.values()]
    ys = [-y for _, y in positions.values()]
    figure.update_xaxes(range=[min(xs) - 70 * scale, max(xs) + 70 * scale])
    figure.update_yaxes(range=[min(ys) - 55 * scale, max(ys) + 20 * scale])
    figure.update_layout(
        legend=dict(orientation="h", title=dict(text="Colour: side "), xref="container", yref="container", x=0,
                    y=1, xanchor="left", yanchor="top"),
        legend2=dict(orientation="h", title=dict(text="Kind and line: "), xref="container", yref="container",
                     x=0, y=0, xanchor="left", yanchor="bottom"),
    )  # fmt: skip
    return figure


KIND_SYMBOLS = {
    "person": "circle",
    "organization": "square",
    "group": "diamond",
    "place": "triangle-up",
    net.GROUP_KIND: "hexagon",  # the large-graph mode's "everyone else on this side"
}


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
    view: str, fmt: str, preset_name: str, *, schema: Schema, model: Model, statements, filters: flt.Filters,
    sides, options: Options = Options(), renderer: export.Renderer | None = None,
) -> Export:  # fmt: skip
    """The file for one view in one format; `statements` are those passing the filters."""
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
        figure = network_figure(graph, colours, area=(preset.width * 0.94, preset.height * 0.58))
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
