"""The timeline for many events: past DENSITY_MARKS dated events, each lane counts its events per year
(or month) instead of drawing them one by one, and a click on a column narrows the dates to it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import NamedTuple

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard import style, text
from dashboard.views.timeline.placement import (
    UNSIDED,
    TimelineData,
    _lane_order,
    dated,
    lane_keys,
    lane_label,
    subject_sides,
)

# Past this many dated events, marks fill every lane solid at the whole-span view and the figure
# takes many seconds to send and draw: each lane shows how many events fall in each year (or month)
# instead (`density_figure`), and the page lets a reader click a bar to narrow the dates to it.
DENSITY_MARKS = 4000
DENSITY_MONTHS = 36  # a span up to three years is counted by month, a longer one by year
DENSITY_LANE_PX = 64


class DensityCounts(NamedTuple):
    """How many dated events fall in each lane and period. `counts`: one row per (lane, period) with
    lane, lane_index (top first), side, start, end, count and a count per certainty. `unit`: the
    period ("year", or "month" for a span of DENSITY_MONTHS or less). `coarser`: how many events were
    left out because their date is coarser than a month (a year-only date is never put in a month)."""

    counts: pd.DataFrame
    unit: str
    coarser: int

    @property
    def events(self) -> int:
        """How many events the columns count."""
        return int(self.counts["count"].sum())

    @property
    def tallest(self) -> int:
        """The count of the tallest column: the one scale every lane shares."""
        return int(self.counts["count"].max()) if not self.counts.empty else 0


def density_counts(data: TimelineData) -> DensityCounts:
    """The events of `data` counted per lane and period (see `DensityCounts`)."""
    entities, sides, lanes = data.entities, data.sides, data.lanes
    marks = dated(data.events).copy()
    columns = ["lane", "lane_index", "side", "start", "end", "count", *style.CERTAINTY_SYMBOL]
    if marks.empty:
        return DensityCounts(pd.DataFrame(columns=columns), "year", 0)
    marks["side"] = subject_sides(marks, entities)
    marks["lane"] = lane_keys(marks, entities, lanes)
    order = _lane_order(marks, sides, lanes)
    span = marks["date_start"].min().to_period("M"), marks["date_end"].max().to_period("M")
    unit = "month" if (span[1] - span[0]).n < DENSITY_MONTHS else "year"
    coarser = 0
    if unit == "month":
        too_coarse = marks["precision"] == "year"
        coarser = int(too_coarse.sum())
        marks = marks[~too_coarse]
    marks["period"] = marks["date_start"].dt.to_period("M" if unit == "month" else "Y")
    counts = pd.crosstab([marks["lane"], marks["period"]], marks["certainty"])
    counts = counts.reindex(columns=list(style.CERTAINTY_SYMBOL), fill_value=0)
    counts["count"] = counts.sum(axis=1)
    counts = counts.reset_index()
    lane_side = marks.groupby("lane")["side"].agg(lambda values: values.mode().iloc[0])
    counts["side"] = counts["lane"].map(lane_side)
    counts["lane_index"] = counts["lane"].map({k: i for i, k in enumerate(order)})
    counts["start"] = counts["period"].map(lambda p: p.start_time)
    counts["end"] = counts["period"].map(lambda p: p.end_time.normalize() + pd.Timedelta(days=1))
    counts = counts.sort_values(["lane_index", "start"], kind="stable").reset_index(drop=True)
    return DensityCounts(counts[columns], unit, coarser)


def density_figure(data: TimelineData) -> go.Figure:
    """The density view of `data`: see `draw_density`."""
    return draw_density(density_counts(data), data.sides, data.lanes)


def draw_density(density: DensityCounts, sides: Sequence[str] = (), lanes: str = "side") -> go.Figure:
    """Each lane a row of columns, one per year (or month), as tall as the number of dated events
    in it, coloured by side; hover gives the count per certainty. Each column carries the first
    and last day of its period in `customdata` (see `selected_period`). For when there are too many
    events to draw one by one (DENSITY_MARKS)."""
    counts, unit = density.counts, density.unit
    figure = go.Figure(layout=go.Layout(template=style.template()))
    if counts.empty:
        figure.add_annotation(
            text="No dated event matches the filters.", x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False
        )
        return figure
    colours = style.side_colours(list(dict.fromkeys([*sides, *counts["side"]])))
    lane_count = int(counts["lane_index"].max()) + 1
    tallest = counts["count"].max()
    when = counts["start"].dt.strftime("%Y" if unit == "year" else "%B %Y")
    lane_names = counts["lane"].map({k: lane_label(k, lanes) for k in counts["lane"].unique()})
    hover = "<b>" + when + "</b><br>" + lane_names + ": " + counts["count"].map("{:,}".format) + " dated event(s)<br>"
    for i, certainty in enumerate(style.CERTAINTY_SYMBOL):
        hover += (" · " if i else "") + certainty + " " + counts[certainty].astype(str)
    hover += f"<br>Click to show the events of this {unit}"
    last_day = counts["end"] - pd.Timedelta(days=1)
    width_ms = (counts["end"] - counts["start"]).dt.total_seconds() * 1000
    for lane_index, lane in counts.groupby("lane_index", sort=True):
        colour = colours.get(lane["side"].iloc[0], style.NEUTRAL)
        bottom = lane_count - 1 - lane_index + 0.08
        figure.add_trace(
            go.Bar(
                x=(lane["start"] + (lane["end"] - lane["start"]) / 2).to_numpy(),
                y=(lane["count"] / tallest * 0.84).to_numpy(),
                base=bottom,
                width=(width_ms[lane.index] * 0.86).to_numpy(),
                marker=dict(color=colour, line=dict(width=0)),
                customdata=np.stack(
                    [lane["start"].dt.strftime("%Y-%m-%d"), last_day[lane.index].dt.strftime("%Y-%m-%d")], axis=1
                ),
                hovertext=hover[lane.index].to_numpy(dtype=object),
                hoverinfo="text",
                showlegend=False,
                name="",
            )
        )
    for side in dict.fromkeys(counts["side"]):
        colour = colours.get(side, style.NEUTRAL)
        figure.add_trace(
            style.legend_entry(
                text.escape(side or UNSIDED), mode="markers", marker=dict(symbol="square", size=12, color=colour)
            )
        )
    lanes_shown = counts.drop_duplicates("lane_index").sort_values("lane_index")
    plot_px = lane_count * DENSITY_LANE_PX
    figure.update_layout(
        height=plot_px + 150,
        margin=dict(l=10, r=20, t=70, b=40),
        barmode="overlay",  # one trace per lane: bars of different lanes must not be set side by side
        hovermode="closest",
        hoverlabel=dict(font=dict(color=style.TEXT)),
        clickmode="event+select",
        dragmode="zoom",
        legend=dict(
            title=dict(text="Colour: side of the subject "),
            orientation="h",
            x=0,
            y=1,
            xanchor="left",
            yanchor="bottom",
            font=dict(size=12),
        ),
    )
    figure.update_xaxes(type="date", showgrid=True)
    figure.update_yaxes(
        range=[0, lane_count],
        tickmode="array",
        tickvals=[lane_count - 0.5 - i for i in lanes_shown["lane_index"]],
        ticktext=[lane_label(k, lanes) for k in lanes_shown["lane"]],
        showgrid=False,
        fixedrange=True,
        zeroline=False,
        ticks="",
        automargin=True,
    )
    for i in range(0, lane_count, 2):
        figure.add_shape(
            type="rect", xref="paper", x0=0, x1=1, y0=lane_count - 1 - i, y1=lane_count - i,
            fillcolor="#f4f4f4", line=dict(width=0), layer="below",
        )  # fmt: skip
    return figure


def selected_period(selection: Mapping | None) -> tuple[date, date] | None:
    """The first and last day of the period whose column a reader clicked in `density_figure`."""
    if not selection:
        return None
    points = selection.get("points", []) if isinstance(selection, Mapping) else getattr(selection, "points", [])
    for point in points or []:
        data = point.get("customdata") if isinstance(point, Mapping) else None
        if isinstance(data, list | tuple) and len(data) == 2:
            try:
                return date.fromisoformat(data[0]), date.fromisoformat(data[1])
            except (TypeError, ValueError):
                continue
    return None
