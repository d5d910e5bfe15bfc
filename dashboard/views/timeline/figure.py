"""The timeline as a Plotly figure, drawn from its placement: marks at their real precision, bars for
year- and month-only dates and for date ranges (hatched, with an arrow at the edge, where the source
gives no end or no start), key-moment labels with leader lines, two legends and zoom buttons."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard import style, text
from dashboard.views.timeline.placement import (
    DATE_FONT,
    FAN_UNITS,
    LABEL_FONT,
    LEADER_CLEARANCE,
    MARK_PX,
    PLOT_PX,
    UNIT_PX,
    UNSIDED,
    TimelineData,
    TimelineLayout,
    Window,
    band_top,
    broken_axis,
    date_widths,
    lanes_bottom,
    layout_timeline,
    leader_path,
    mark_labels,
    place_every_label,
    tier_bottom,
    tier_count,
)

EVENT_PARAM = "event"  # query parameter holding the statement shown in the details panel
EVENT_TRACE = "timeline-event"  # `meta` of the traces whose points are events: one point per dated event
MAX_DATE_TEXTS = 200
# Past this many dated events the marks and the year/month bars are drawn with WebGL (Scattergl):
# thousands of SVG elements took seconds to draw and made panning stutter. Below it, SVG as before.
WEBGL_MARKS = 1000
MARGIN = dict(l=10, r=20, t=125, b=10)  # top: modebar, side legend, zoom buttons
BOTTOM_PX = 150  # below the plot: dates, range slider and the marks key (Plotly grows the margin to fit)
SLIDER_THICKNESS = 0.07
LABEL_LINE = 1.3  # Plotly's line height in an annotation, in ems
LABEL_TIERS_SHARE = 0.55  # of a printed plot's height: the most the labels of marks beyond the key moments take


@dataclass(frozen=True)
class Paper:
    """A printed chart's plot area in pixels, its smallest type (`font`), its labels' type
    (`label_size`) and which marks it labels (`labels`: placement.LABEL_CHOICES). Labels and dates are
    placed in these real pixels: a tall stack of lanes in a short canvas leaves few pixels to a
    sub-row, so the label tiers get their height in pixels, not in sub-rows."""

    width: float
    height: float
    font: int
    label_size: int = 0
    labels: str = "key"

    @property
    def label_font(self) -> int:
        return max(LABEL_FONT, self.font, self.label_size)

    @property
    def date_font(self) -> int:
        return max(DATE_FONT, self.font)


def timeline_figure(data: TimelineData, broken: bool = False, paper: Paper | None = None) -> go.Figure:
    """The timeline of `data`: see `draw_timeline`."""
    return draw_timeline(layout_timeline(data), data.sides, broken, paper)


def draw_timeline(
    placed: TimelineLayout | None, sides: Sequence[str] = (), broken: bool = False, paper: Paper | None = None
) -> go.Figure:
    """One mark per dated event, at its real precision, in lanes by side or by subject; key moments
    labelled; zoom buttons for the whole span and the densest month. Each event mark carries its
    statement id in `customdata`. An empty figure with a note when no event has a date (`placed`
    None). Past WEBGL_MARKS events, marks and bars are WebGL traces.

    `broken` (for a printed chart, which has no zoom buttons): where the events bunch in the focus
    window well after all the others, the axis is broken in two, context and focus side by side,
    each with its own labels (see `placement.broken_axis`).

    `paper`: the plot area the chart is printed at; labels and dates are placed in its pixels and
    type (see `Paper`)."""
    figure = go.Figure(layout=go.Layout(template=style.template()))
    if placed is None:
        figure.add_annotation(
            text="No dated event matches the filters.", x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False
        )
        figure.update_xaxes(visible=False)
        figure.update_yaxes(visible=False)
        return figure
    panels = broken_axis(placed) if broken else None
    if paper is not None and panels is None:
        paper, (labels,) = _fitting_labels(placed, [(placed.whole, 1.0)], paper)
        placed = replace(placed, labels=labels, tiers=tier_count(labels), focus=None, focus_labels=labels.iloc[:0],
                         focus_tiers=0)  # fmt: skip
        placed = _fit_tiers(placed, [labels], paper)
    marks = placed.marks
    all_sides = list(dict.fromkeys([*sides, *marks["side"]]))
    colours = style.side_colours(all_sides)
    band_y = band_top(max(placed.tiers, placed.focus_tiers), placed)
    webgl = len(marks) > WEBGL_MARKS
    scatter = go.Scattergl if webgl else go.Scatter

    # Traces are gathered and added in one go: each add_trace checks every trace already added.
    traces: list = []
    _add_leaders(traces, placed.labels, placed)  # trace 0: the focus button redraws it
    for side in all_sides:
        of_side = marks[marks["side"] == side]
        if of_side.empty:
            continue
        colour = colours.get(side, style.NEUTRAL)
        spans = of_side[of_side["is_span"]]
        open_ended = spans["date_open"] != ""
        _add_spans(traces, spans[~open_ended], colour, side, webgl)
        _add_open_spans(traces, spans[open_ended], colour, side, webgl)
        # One trace per symbol: scalar marker settings keep Plotly's validation cheap at 100,000 marks.
        for symbol, group in of_side.groupby("symbol", sort=False):
            traces.append(
                scatter(
                    x=group["x"].to_numpy(),
                    y=group["y"].to_numpy(),
                    mode="markers",
                    name=text.escape(side or UNSIDED),
                    legendgroup=side or UNSIDED,
                    showlegend=False,
                    meta=EVENT_TRACE,
                    customdata=group["id"].to_numpy(dtype=object),
                    hovertext=group["hover"].to_numpy(dtype=object),
                    hoverinfo="text",
                    marker=dict(
                        symbol=symbol,
                        size=MARK_PX,
                        color=colour,
                        line=dict(width=2 if "-open" in symbol else 1, color=colour),
                    ),
                    selected=dict(marker=dict(size=MARK_PX + 4)),
                    unselected=dict(marker=dict(opacity=0.35)),
                )
            )
    _add_legends(traces, marks, all_sides, colours)
    figure.add_traces(traces)
    dates = dates_as_given(marks, placed.whole, placed, paper)
    figure.update_layout(annotations=dates + _labels(placed.labels, placed, paper))
    if panels is None:
        _style_axes(figure, placed, band_y, paper, dates)
        if placed.narrow:  # the legends' titles above their entries, which wrap across the width
            figure.update_layout(legend_title_side="top", legend2_title_side="top")
        return figure
    return _break_axis(figure, placed, *panels, paper=paper)


def printed_labels(placed: TimelineLayout, window: Window, width: float, paper: Paper) -> pd.DataFrame:
    """The labels of a printed chart's view (`width`: its plot width in placement pixels): the key
    moments, placed as on screen, then, with `paper.labels` "all", every other mark in view in the
    order the story tells them, where one fits in the tiers the paper has room for."""
    if paper.labels == "none":
        return place_every_label(placed.marks.iloc[:0], window, width)[0]
    if paper.labels != "all":
        return place_every_label(placed.marks, window, width)[0]
    marks = placed.marks
    more = marks[marks["label"] == ""].sort_values("date_order").assign(label=lambda m: mark_labels(m))
    tier_px = 1.5 * paper.label_font * LABEL_LINE + 10  # a tier of labels of one or two lines, with its gap
    key_tiers = tier_count(place_every_label(marks, window, width)[0])
    max_tier = max(key_tiers, int(paper.height * LABEL_TIERS_SHARE // tier_px), 1)
    return place_every_label(marks, window, width, more, max_tier)[0]


LABEL_TIERS_MOST = 0.6  # of a printed plot's height: past this, the labels are set a size smaller


def _fitting_labels(
    placed: TimelineLayout, views: Sequence[tuple[Window, float]], paper: Paper
) -> tuple[Paper, list[pd.DataFrame]]:
    """The labels of each view (its window and share of the plot's width), in the largest type from
    the paper's label size down to its smallest at which their tiers take at most LABEL_TIERS_MOST of
    the plot's height, so the lanes keep room for their marks; and the paper at that size."""
    frames: list[pd.DataFrame] = []
    for size in range(paper.label_font, max(LABEL_FONT, paper.font) - 1, -1):
        sized = replace(paper, label_size=size)
        frames = [printed_labels(placed, window, sized.width * share * LABEL_FONT / size, sized)
                  for window, share in views]  # fmt: skip
        if sum(_tier_needs(frames, sized)) <= LABEL_TIERS_MOST * paper.height:
            return sized, frames
    return sized, frames


def _tier_needs(labelled: Sequence[pd.DataFrame], paper: Paper) -> list[float]:
    """Each label tier's height in the paper's pixels: its tallest label's lines, padding and a gap."""
    lines = [1] * max((tier_count(frame) for frame in labelled), default=0)
    for frame in labelled:
        for row in frame.itertuples():
            lines[row.tier] = max(lines[row.tier], int(row.lines))
    return [n * paper.label_font * LABEL_LINE + 10 for n in lines]


def _fit_tiers(placed: TimelineLayout, labelled: Sequence[pd.DataFrame], paper: Paper) -> TimelineLayout:
    """The layout with each label tier as tall, in the paper's pixels, as its tallest label. The y
    axis holds the lanes and fan band (`rest` units) and the tiers (`need` pixels in all): one unit
    gets (height - need) / rest pixels, and each tier its pixels in those units."""
    needs = _tier_needs(labelled, paper)
    rest = lanes_bottom(placed) + FAN_UNITS + 0.35
    unit_px = max(paper.height - sum(needs), paper.height / 4) / rest  # the lanes keep a quarter at least
    heights = tuple(need / unit_px for need in needs)
    return replace(placed, tier_units=max(heights, default=placed.tier_units), tier_heights=heights)


def _unit_px(placed: TimelineLayout, tiers: int, paper: Paper | None) -> float:
    """Pixels of one y unit: UNIT_PX on screen, the plot's height over its units on paper."""
    if paper is None:
        return UNIT_PX
    return paper.height / (lanes_bottom(placed) - band_top(tiers, placed) + 0.2)


# Of the plot's width: the context panel (at most, at least), the gap of the break. The panels share
# the width by how many key moments each labels, so a bunched focus gets room for its labels.
CONTEXT_SHARE, MIN_CONTEXT_SHARE, BREAK_GAP = 0.5, 0.3, 0.05


def _break_axis(
    figure: go.Figure, placed: TimelineLayout, context: Window, focus: Window, paper: Paper | None = None
) -> go.Figure:
    """The figure on a broken axis: the context window on the left (x), the focus window on the right
    (x2), every trace drawn in both (each axis clips to its window), each panel with its own labels."""
    keyed = placed.marks[placed.marks["label"] != ""]
    counts = [int(keyed["x"].between(w.start, w.end).sum()) for w in (context, focus)]
    context_share = min(CONTEXT_SHARE, max(MIN_CONTEXT_SHARE, counts[0] / max(sum(counts), 1)))
    share = {"x": context_share, "x2": 1 - context_share - BREAK_GAP}
    if paper is None:
        labels = {axis: place_every_label(placed.marks, window, PLOT_PX * share[axis])[0]
                  for axis, window in (("x", context), ("x2", focus))}  # fmt: skip
    else:
        paper, frames = _fitting_labels(placed, [(context, share["x"]), (focus, share["x2"])], paper)
        labels = dict(zip(("x", "x2"), frames))
    tiers = max(tier_count(frame) for frame in labels.values())
    if paper is not None:
        placed = _fit_tiers(placed, list(labels.values()), paper)
    for trace in list(figure.data):
        if trace.x is not None and not (len(trace.x) == 1 and trace.x[0] is None):  # not a legend entry
            figure.add_trace(trace.__class__(trace, xaxis="x2", showlegend=False))
    for axis, frame in labels.items():
        xs, ys = leader_path(frame, placed)
        figure.data[0 if axis == "x" else _copy_of_first(figure)].update(x=xs, y=ys)
    notes = []
    for axis, window in (("x", context), ("x2", focus)):
        inside = placed.marks[placed.marks["x"].between(window.start, window.end)]
        panel = None if paper is None else replace(paper, width=paper.width * share[axis])
        notes += [dict(note, xref=axis) for note in dates_as_given(inside, window, placed, panel, tiers)]
        notes += [dict(note, xref=axis) for note in _labels(labels[axis], placed, paper)]
    # The break: a pair of slashes on the axis line between the two panels.
    notes.append(dict(text="//", x=context_share + BREAK_GAP / 2, y=0, xref="paper", yref="paper", showarrow=False,
                      yanchor="middle", font=dict(size=14, color=style.MUTED)))  # fmt: skip
    figure.layout.annotations = ()
    figure.update_layout(annotations=notes)
    _style_axes(figure, placed, band_top(tiers, placed), paper)
    figure.layout.updatemenus = ()  # a printed chart has no zoom buttons: both views are on it
    # Said in words too, for the frame's notes: a reader must not take the two panels for one scale.
    before = placed.marks[placed.marks["x"] < focus.start]
    # The left panel's own years: open bars run on to the chart's edge, past what the panel shows.
    first, last = before["x0"].min().year, (min(before["x1"].max(), context.end) - pd.Timedelta(days=1)).year
    years = str(first) if first == last else f"{first} to {last}"
    figure.layout.meta = {"notes": [
        f"The time axis is broken: {years} on the left, {focus.label} on the right, where the events bunch."
    ]}  # fmt: skip
    if paper is not None:  # a tick label ("Jan 2021") takes about seven ems with its gap
        for axis in share:
            figure.update_layout({axis.replace("x", "xaxis"): dict(nticks=max(2, int(paper.width * share[axis] / (
                paper.font * 7))))})  # fmt: skip
    figure.update_layout(
        xaxis=dict(domain=[0, context_share], range=context.range, rangeslider=dict(visible=False)),
        xaxis2=dict(domain=[context_share + BREAK_GAP, 1], range=focus.range, type="date", anchor="y",
                    showgrid=True, gridcolor=style.GRID, linecolor="#bbbbbb", ticks="outside"),
        yaxis=dict(range=[figure.layout.yaxis.range[0], band_top(tiers, placed) - 0.2]),
    )  # fmt: skip
    return figure


def _copy_of_first(figure: go.Figure) -> int:
    """Index of the x2 copy of trace 0 (the leaders)."""
    return next(i for i, t in enumerate(figure.data) if t.xaxis == "x2")


def _add_spans(traces: list, spans: pd.DataFrame, colour: str, side: str, webgl: bool = False, hatch: str = "") -> None:
    """Year- and month-only dates and date ranges: one translucent bar over the whole period each (a
    horizontal bar from its first day to the end of its last, as plotly.express.timeline draws them);
    `hatch` is the bar's fill pattern. With WebGL, the same bars are thick line segments of one
    Scattergl trace (fainter where hatched: Scattergl lines have no pattern)."""
    if spans.empty:
        return
    if webgl:
        # Segments (start, end, gap) in one trace; dates as text, exact for these whole days.
        xs = np.empty(3 * len(spans), dtype=object)
        xs[0::3] = spans["x0"].dt.strftime("%Y-%m-%d").to_numpy()
        xs[1::3] = spans["x1"].dt.strftime("%Y-%m-%d").to_numpy()
        ys = np.empty(3 * len(spans), dtype=object)
        ys[0::3] = ys[1::3] = spans["y"].to_numpy()
        traces.append(
            go.Scattergl(
                x=xs,
                y=ys,
                mode="lines",
                line=dict(color=colour, width=0.45 * UNIT_PX),
                opacity=0.15 if hatch else 0.3,
                connectgaps=False,
                hoverinfo="skip",
                showlegend=False,
                legendgroup=side or UNSIDED,
                name="",
            )
        )
        return
    traces.append(
        go.Bar(
            base=spans["x0"].to_numpy(),
            x=((spans["x1"] - spans["x0"]).dt.total_seconds() * 1000).to_numpy(),
            y=spans["y"].to_numpy(),
            orientation="h",
            width=0.45,
            marker=dict(color=colour, line=dict(width=0), pattern=dict(shape=hatch, solidity=0.35) if hatch else None),
            opacity=0.3,
            hoverinfo="skip",
            showlegend=False,
            legendgroup=side or UNSIDED,
            name="",
        )
    )


def _add_open_spans(traces: list, spans: pd.DataFrame, colour: str, side: str, webgl: bool) -> None:
    """Intervals with an open bound ("2022/..": on or after 2022): a hatched bar from the known bound
    to the edge of the whole span, and an arrowhead at that edge saying the event may lie beyond it."""
    if spans.empty:
        return
    _add_spans(traces, spans, colour, side, webgl, hatch="/")
    open_end = spans["date_open"] == "end"
    traces.append(
        (go.Scattergl if webgl else go.Scatter)(
            x=spans["x1"].where(open_end, spans["x0"]).to_numpy(),
            y=spans["y"].to_numpy(),
            mode="markers",
            marker=dict(
                symbol=np.where(open_end, "triangle-right", "triangle-left").tolist(), size=MARK_PX - 2, color=colour
            ),
            cliponaxis=False,  # the arrowhead sits on the edge of the plot: draw it whole
            hoverinfo="skip",
            showlegend=False,
            legendgroup=side or UNSIDED,
            name="",
        )
    )


def dates_as_given(
    marks: pd.DataFrame, whole: Window, placed: TimelineLayout, paper: Paper | None = None, tiers: int | None = None
) -> list[dict]:
    """The date as given ("2021") beside the mark of each bar. Annotations, not trace text, so the
    range slider's thumbnail stays clean; past MAX_DATE_TEXTS bars the hover alone gives the date.
    A date is left to the hover (never a label: the mark's hover and the legend still give it) where
    its text would meet another date's text or a mark, as measured at the paper's pixels and type
    when printed: stacked sub-rows are closer than a line of text in a short export (seven "2022 or
    later" are written once)."""
    spans = marks[marks["is_span"]].sort_values(["lane_index", "y"])
    if len(spans) > MAX_DATE_TEXTS or placed.narrow:
        return []
    spans = spans.drop_duplicates(["lane", "x", "date_text"])  # the same date at the same place: once
    plot_px = PLOT_PX if paper is None else paper.width
    font = DATE_FONT if paper is None else paper.date_font
    unit_px = _unit_px(placed, max(placed.tiers, placed.focus_tiers) if tiers is None else tiers, paper)
    text_px = font * 1.25  # the height of one line of the date's text

    def to_px(values: pd.Series) -> pd.Series:
        return (values - whole.start) / (whole.end - whole.start) * plot_px

    at = to_px(spans["x"])
    width = date_widths(spans["date_text"], font)
    offset = MARK_PX / 2 + 3
    right = spans["date_side"] == "right"
    spans = spans.assign(
        text_lo=np.where(right, at + offset, at - offset - width),
        text_hi=np.where(right, at + offset + width, at - offset),
    )
    # Every mark drawn in the plot (all of them: an open bar's arrowhead may sit far from its own
    # mark): the events' marks and the arrowheads at the edge of open bars.
    drawn = placed.marks
    arrows = drawn[drawn["is_span"] & (drawn["date_open"] != "")]
    points = pd.concat([
        pd.DataFrame({"px": to_px(drawn["x"]), "y": drawn["y"]}),
        pd.DataFrame({"px": to_px(arrows["x1"].where(arrows["date_open"] == "end", arrows["x0"])), "y": arrows["y"]}),
    ])  # fmt: skip
    points = points[points["px"].between(-MARK_PX, plot_px + MARK_PX)]
    # As arrays: the loop below asks them once per bar (a pandas mask each time was most of the figure's cost).
    point_px, point_y = points["px"].to_numpy(dtype=float), points["y"].to_numpy(dtype=float)
    reach = MARK_PX / 2 + 2
    written: list = []
    notes = []
    for row in spans.itertuples():
        if any(
            w.lane_index == row.lane_index
            and (row.y - w.y < 1.5 or (row.y - w.y) * unit_px < text_px)
            and w.text_lo < row.text_hi
            and row.text_lo < w.text_hi
            for w in written
        ):
            continue
        near = point_px[np.abs(point_y - row.y) * unit_px < text_px / 2 + reach]
        if ((near + reach > row.text_lo) & (near - reach < row.text_hi)).any():
            continue
        written.append(row)
        right = row.date_side == "right"
        notes.append(dict(
            x=row.x, y=row.y, text=text.escape(row.date_text), showarrow=False, xanchor="left" if right else "right",
            xshift=offset * (1 if right else -1), font=dict(size=font, color=style.MUTED),
        ))  # fmt: skip
    return notes


def _add_leaders(traces: list, labels: pd.DataFrame, placed: TimelineLayout) -> None:
    """Thin lines from each label down to its mark (one trace, even empty, so it is always trace 0)."""
    xs, ys = leader_path(labels, placed)
    traces.append(
        go.Scatter(x=xs, y=ys, mode="lines", line=dict(color="#9a9a9a", width=1), hoverinfo="skip", showlegend=False)
    )


SHIFTS = {"center": 0, "left": LEADER_CLEARANCE, "right": -LEADER_CLEARANCE}  # text clear of its leader


def _labels(labels: pd.DataFrame, placed: TimelineLayout, paper: Paper | None = None) -> list[dict]:
    """Key-moment labels on their tiers, escaped, anchored so each leader meets its text's edge or middle."""
    return [
        dict(
            x=label.label_x, y=tier_bottom(label.tier, placed), text=label.text, showarrow=False,
            xanchor=label.anchor, xshift=SHIFTS[label.anchor],
            yanchor="bottom", align={"center": "center", "left": "left", "right": "right"}[label.anchor],
            font=dict(size=LABEL_FONT if paper is None else paper.label_font, color=style.TEXT),
            bgcolor="rgba(255,255,255,0.85)", borderpad=1, name="timeline-label",
        )
        for label in labels.itertuples()
    ]  # fmt: skip


def _add_legends(traces: list, marks: pd.DataFrame, sides: list[str], colours: Mapping[str, str]) -> None:
    """Legend one: colour is the subject's side (clicking hides a side). Legend two: the marks' key,
    listing only the kinds of mark the chart holds."""
    for side in sides:
        if (marks["side"] == side).any():
            traces.append(
                style.legend_entry(
                    text.escape(side or UNSIDED),
                    mode="markers",
                    legendgroup=side or UNSIDED,
                    marker=dict(symbol="square", size=12, color=colours.get(side, style.NEUTRAL)),
                )
            )
    grey = style.MUTED
    for certainty, symbol in style.CERTAINTY_SYMBOL.items():
        if (marks["certainty"] == certainty).any():
            traces.append(
                style.legend_entry(
                    style.CERTAINTY_LABEL.get(certainty, certainty),
                    "legend2",
                    mode="markers",
                    marker=dict(symbol=symbol, size=11, color=grey),
                )
            )
    inferred = (("circle-open", "Hollow: date inferred"), ("circle-open-dot", "Hollow with a dot: year inferred"))
    for symbol, words in inferred:
        if (marks["symbol"].str.endswith(symbol.removeprefix("circle"))).any():
            traces.append(
                style.legend_entry(
                    words,
                    "legend2",
                    mode="markers",
                    marker=dict(symbol=symbol, size=11, color=grey, line=dict(width=2, color=grey)),
                )
            )
    open_ended = marks["date_open"] != ""
    if (marks["is_span"] & ~open_ended).any():
        words = "Bar: year or month only" + (", or a range" if (marks["precision"] == "range").any() else "")
        traces.append(style.legend_entry(words, "legend2", mode="lines", line=dict(color=grey, width=10), opacity=0.35))
    if (marks["is_span"] & open_ended).any():
        traces.append(
            style.legend_entry(
                "Hatched to the edge: no end given"
                if not (marks["date_open"] == "start").any()
                else "Hatched to the edge: open bound",
                "legend2",
                mode="lines+markers",
                line=dict(color="rgba(92,92,92,0.3)", width=10),
                marker=dict(symbol="triangle-right", size=10, color=grey),
            )
        )


def _style_axes(
    figure: go.Figure, placed: TimelineLayout, band_y: float, paper: Paper | None = None, dates: list | None = None
) -> None:
    """Lane stripes, zoom buttons (each with its own labels and the `dates` as given, written here
    unless given), legends and axes."""
    lanes = placed.lanes
    bottom = lanes_bottom(placed)
    top = band_y - 0.2
    plot_px = (bottom - top) * UNIT_PX
    for lane in lanes.iloc[::2].itertuples():
        figure.add_shape(
            type="rect",
            xref="paper",
            x0=0,
            x1=1,
            y0=lane.top,
            y1=lane.top + lane.height,
            fillcolor="#f4f4f4",
            line=dict(width=0),
            layer="below",
        )
    # Each zoom button shows its own placement of the labels: leaders (trace 0) and annotations.
    dates = dates_as_given(placed.marks, placed.whole, placed, paper) if dates is None else dates
    views = [(placed.whole, placed.labels, placed.tiers)]
    if placed.focus is not None:
        views.append((placed.focus, placed.focus_labels, placed.focus_tiers))
    buttons = []
    for window, labels, tiers in views:
        xs, ys = leader_path(labels, placed)
        # Each view is as tall as its own label tiers: the focus view's fewer tiers leave no empty band.
        view_top = band_top(tiers, placed) - 0.2
        view_height = int((bottom - view_top) * UNIT_PX + MARGIN["t"] + BOTTOM_PX)
        layout = {"xaxis.range": window.range, "yaxis.range": [bottom, view_top], "height": view_height,
                  "legend.y": 1 - 30 / view_height, "annotations": dates + _labels(labels, placed, paper)}  # fmt: skip
        buttons.append(dict(label=window.label, method="update", args=[{"x": [xs], "y": [ys]}, layout, [0]]))
    height = int(plot_px + MARGIN["t"] + BOTTOM_PX)
    figure.update_layout(
        height=height,
        margin=MARGIN,
        hovermode="closest",
        hoverlabel=dict(font=dict(color=style.TEXT)),
        barmode="overlay",
        dragmode="zoom",
        clickmode="event+select",
        uirevision=_revision(placed),
        legend=dict(
            title=dict(text="Colour: side of the subject "),
            orientation="h",
            xref="container",
            yref="container",
            x=0,
            y=1 - 30 / height,  # below the modebar
            xanchor="left",
            yanchor="top",
            font=dict(size=12),
        ),
        legend2=dict(
            title=dict(text="Marks: "),
            orientation="h",
            xref="container",
            yref="container",
            x=0,
            y=0,
            xanchor="left",
            yanchor="bottom",
            font=dict(size=12),
            itemclick=False,
            itemdoubleclick=False,
        ),
        updatemenus=[
            dict(
                type="buttons",
                direction="right",
                active=0,
                showactive=True,
                x=0,
                xanchor="left",
                y=1 + 8 / plot_px,
                yanchor="bottom",
                pad=dict(l=0, r=0, t=0, b=0),
                buttons=buttons,
                font=dict(size=12),
            )
        ],
    )
    figure.update_xaxes(
        type="date",
        range=placed.whole.range,
        rangeslider=dict(visible=True, thickness=SLIDER_THICKNESS, range=placed.whole.range),
        showgrid=True,
    )
    figure.update_yaxes(
        range=[bottom, band_top(placed.tiers, placed) - 0.2],
        tickmode="array",
        tickvals=lanes["middle"].tolist(),
        ticktext=lanes["label"].tolist(),
        showgrid=False,
        fixedrange=True,
        zeroline=False,
        ticks="",
        automargin=True,
    )


def _revision(placed: TimelineLayout) -> str:
    """Same events and lanes, same revision: Plotly keeps the reader's zoom across reruns."""
    key = "|".join(placed.marks["id"]) + "|" + "|".join(placed.lanes["key"])
    return hashlib.sha1(key.encode()).hexdigest()[:12]


OPEN_TRACE = "timeline-open"  # `meta` of the ring around the event whose details are open


def highlight(figure: go.Figure, placed: TimelineLayout, statement_id: str | None) -> go.Figure:
    """The event whose details are open, marked in its lane: a dark ring around its mark (on each
    panel of a broken axis), its lane outlined and the lane's name in bold. The figure is unchanged
    when that event is not drawn."""
    found = placed.marks[placed.marks["id"] == statement_id] if statement_id else placed.marks.iloc[:0]
    if found.empty:
        return figure
    mark = found.iloc[0]
    axes = ["x", "x2"] if "xaxis2" in figure.layout else ["x"]
    for axis in axes:
        figure.add_trace(
            go.Scatter(
                x=[mark["x"]],
                y=[mark["y"]],
                xaxis=axis,
                mode="markers",
                marker=dict(symbol="circle-open", size=MARK_PX + 12, color=style.TEXT, line=dict(width=3)),
                customdata=[statement_id],  # a click on the ring keeps the same event open
                hoverinfo="skip",
                showlegend=False,
                name="Open event",
                meta=OPEN_TRACE,
            )
        )
    lanes = placed.lanes
    lane = lanes[lanes["key"] == mark["lane"]].iloc[0]
    figure.add_shape(
        type="rect", xref="paper", x0=0, x1=1, y0=lane["top"], y1=lane["top"] + lane["height"],
        line=dict(color=style.TEXT, width=1.5), fillcolor="rgba(0,0,0,0)", layer="below",
    )  # fmt: skip
    figure.update_yaxes(
        ticktext=[
            f"<b>{label}</b>" if key == mark["lane"] else label
            for key, label in zip(lanes["key"], lanes["label"], strict=True)
        ]
    )
    return figure
