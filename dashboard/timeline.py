"""The timeline: each dated event is one mark at its real date precision; undated events are listed
in the order the source tells them. Pure pandas and Plotly: no Streamlit here.

How the figure stays honest and readable:
- Lanes run top to bottom, one per side of the statement's subject, or one per subject.
- A year- or month-only date is a translucent bar over the whole period with its mark in the middle
  and the date as given ("2021") beside it, never a point on January 1.
- Colour is the subject's side; the mark's shape is the certainty; a hollow mark is a date the
  source only implies. Two legends explain all three.
- Past WEBGL_MARKS dated events the same marks and bars are drawn with WebGL, so thousands of
  events stay quick to draw, pan and zoom; hover and click work the same. Past DENSITY_MARKS,
  `density_figure` counts the events per lane and year (or month) instead.
- Inside a lane, marks that would touch at the whole-span view are stacked on sub-rows, and key
  moments (rows with a `label`) are written in a band above the lanes with a leader line down to
  their mark, on tiers chosen so that no two labels, and no label and leader line, cross in the
  whole-span view or the focus (densest month) view. Zooming in only moves them further apart.
"""

from __future__ import annotations

import hashlib
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard import filters as flt
from dashboard import links, names, style, text, wording
from dashboard.model import Model

LANE_MODES = {"side": "By side", "person": "By person"}
EVENT_PARAM = "event"  # query parameter holding the statement shown in the details panel
EVENT_TRACE = "timeline-event"  # `meta` of the traces whose points are events: one point per dated event
UNSIDED = "No side given"
OTHERS_LANE = "Other subjects"
MAX_PERSON_LANES = 16
MAX_SUBROWS = 8
MAX_TIERS = 8
MAX_DATE_TEXTS = 200
# Past this many dated events the marks and the year/month bars are drawn with WebGL (Scattergl):
# thousands of SVG elements took seconds to draw and made panning stutter. Below it, SVG as before.
WEBGL_MARKS = 1000
# Past this many dated events, marks fill every lane solid at the whole-span view and the figure
# takes many seconds to send and draw: each lane shows how many events fall in each year (or month)
# instead (`density_figure`), and the page lets a reader click a bar to narrow the dates to it.
DENSITY_MARKS = 4000
DENSITY_MONTHS = 36  # a span up to three years is counted by month, a longer one by year
DENSITY_LANE_PX = 64
PRECISION_NOTE = {
    "year": "Year only: the source gives no month or day.",
    "month": "Month only: the source gives no day.",
}

# Pixel estimates for placing labels. The plot is assumed narrow (a 1200 px window minus the
# sidebar and the lane names); a wider plot only adds room, so nothing that fits here overlaps there.
PLOT_PX = 520
UNIT_PX = 22  # height of one sub-row
MARK_PX = 12
LABEL_CHAR_PX = 7.0  # average character width of a 12 px label
DATE_CHAR_PX = 6.3  # of the 11 px date beside a bar
LABEL_WRAP = 22  # characters per label line
LEADER_CLEARANCE = 3  # pixels between a left- or right-anchored label and its own leader
LINE_UNITS = 0.75  # one label line, in sub-row units
LANE_PAD = 0.35  # space above and below the sub-rows of a lane, in sub-row units
MARGIN = dict(l=10, r=20, t=125, b=10)  # top: modebar, side legend, zoom buttons
BOTTOM_PX = 150  # below the plot: dates, range slider and the marks key (Plotly grows the margin to fit)
SLIDER_THICKNESS = 0.07


@dataclass(frozen=True)
class Window:
    """A stretch of the date axis: what a zoom button shows."""

    start: pd.Timestamp
    end: pd.Timestamp
    label: str

    @property
    def range(self) -> list[str]:
        return [self.start.isoformat(), self.end.isoformat()]


@dataclass(frozen=True)
class TimelineLayout:
    """Where everything goes. `marks`: one row per dated event. `lanes`: one row per lane, top first.
    `labels`: one row per key moment that has a place in the label band. `unlabelled`: ids of key
    moments that found no room (their marks are still drawn)."""

    marks: pd.DataFrame
    lanes: pd.DataFrame
    labels: pd.DataFrame
    unlabelled: tuple[str, ...]
    whole: Window
    focus: Window | None
    tiers: int
    tier_units: float


def dated(events: pd.DataFrame) -> pd.DataFrame:
    """The events that have a date, at any precision."""
    return events[events["date_start"].notna()]


def undated(events: pd.DataFrame) -> pd.DataFrame:
    """The events without a date, in the order the source tells them (file order)."""
    return events[events["date_start"].isna()].sort_values("order", kind="stable")


def whole_window(events: pd.DataFrame) -> Window | None:
    """The whole span of the dated events with a little room either side."""
    marks = dated(events)
    if marks.empty:
        return None
    start, end = marks["date_start"].min(), marks["date_end"].max() + pd.Timedelta(days=1)
    pad = max((end - start) * 0.04, pd.Timedelta(days=3))
    return Window(start - pad, end + pad, "Whole span")


def focus_window(events: pd.DataFrame) -> Window | None:
    """The calendar month holding the most day-precision events, when the span is much longer than
    a month; ties go to the earlier month. None when there is nothing dense to zoom into."""
    days = dated(events)
    days = days[days["precision"] == "day"]
    whole = whole_window(events)
    if len(days) < 2 or whole is None or whole.end - whole.start <= pd.Timedelta(days=62):
        return None
    months = days["date_start"].dt.to_period("M")
    counts = months.value_counts()
    top = counts[counts == counts.max()].index.min()
    start = top.start_time - pd.Timedelta(days=1)
    end = top.end_time.normalize() + pd.Timedelta(days=2)
    return Window(start, end, top.strftime("%B %Y"))


def lane_keys(events: pd.DataFrame, entities: pd.DataFrame, lanes: str = "side") -> pd.Series:
    """The lane of each event: its subject's side, or its subject (the most active subjects get
    their own lane; the rest share one "Other subjects" lane)."""
    if lanes not in LANE_MODES:
        raise ValueError(f"lanes must be one of {', '.join(LANE_MODES)}")
    side = subject_sides(events, entities)
    if lanes == "side":
        return side.where(side != "", UNSIDED)
    counts = events["subject"].value_counts(sort=False)
    first = events.groupby("subject", sort=False)["order"].min()
    ranked = pd.DataFrame({"count": counts, "first": first}).sort_values(["count", "first"], ascending=[False, True])
    if len(ranked) > MAX_PERSON_LANES:
        kept = set(ranked.index[: MAX_PERSON_LANES - 1])
        return events["subject"].where(events["subject"].isin(kept), OTHERS_LANE)
    return events["subject"].copy()


def subject_sides(events: pd.DataFrame, entities: pd.DataFrame) -> pd.Series:
    """The side of each event's subject; "" when the dataset gives none."""
    return events["subject"].map(entities["side"]).fillna("").astype(str)


def lane_label(key: str, lanes: str) -> str:
    """A lane's name as shown beside it: wrapped and escaped."""
    shown = names.display_name(key) if lanes == "person" else key
    lines = textwrap.wrap(shown, 24) or [""]
    return "<br>".join(text.escape(line) for line in lines)


def wrap_column(values: pd.Series, width: int = 70) -> pd.Series:
    """Each cell wrapped at spaces and escaped, lines joined with <br>, for Plotly hover labels,
    which do not wrap. Vectorised (a regex, not textwrap); a word longer than a line stays whole."""
    plain = values.astype(str).str.replace(r"\s+", " ", regex=True).str.strip()
    wrapped = plain.str.replace(rf"(.{{1,{width}}})(?: +|$)", "\\1\n", regex=True).str.rstrip("\n")
    return wrapped.map(text.escape).str.replace("\n", "<br>", regex=False)


def hover_texts(frame: pd.DataFrame) -> pd.Series:
    """What a reader sees on hover: the date as the source gives it and how it was obtained, the
    summary, the verbatim quote, who says so and how sure the source is. Everything escaped."""
    out = "<b>" + frame["date_display"].astype(str).map(text.escape) + "</b>"
    precision = frame["precision"].map(PRECISION_NOTE).fillna("")
    out += ("<br>" + precision).where(precision != "", "")
    note = "<br>" + wrap_column("How the date was obtained: " + frame["date_note"].astype(str))
    out += note.where(frame["date_note"] != "", "")
    out += "<br>" + wrap_column(frame["summary"])
    out += "<br>“" + wrap_column(frame["quote"]) + "”"
    out += "<br>" + wrap_column(frame["attribution"].map(wording.according_to))
    certainty = frame["certainty"].map(lambda c: wording.certainty_words(c)).map(text.escape)
    return out + "<br>Certainty: " + certainty


def mark_symbols(events: pd.DataFrame) -> pd.Series:
    """Marker symbol per event: the certainty's shape, hollow when the date is inferred."""
    base = events["certainty"].map(style.CERTAINTY_SYMBOL).fillna("circle")
    return base.where(~events["date_inferred"].astype(bool), base + "-open")


def layout_timeline(
    events: pd.DataFrame,
    entities: pd.DataFrame,
    sides: Sequence[str] = (),
    lanes: str = "side",
    hover: pd.Series | None = None,
) -> TimelineLayout | None:
    """Place every dated event (lane, sub-row, x) and every key-moment label; None when no event has a date.
    `hover`: the events' `hover_texts`, by index, when the caller keeps them (e.g. once per dataset)."""
    marks = dated(events).copy()
    whole = whole_window(marks)
    if whole is None:
        return None
    focus = focus_window(marks)
    marks["side"] = subject_sides(marks, entities)
    marks["lane"] = lane_keys(marks, entities, lanes)
    marks["x0"] = marks["date_start"]
    marks["x1"] = marks["date_end"] + pd.Timedelta(days=1)
    is_span = marks["precision"].isin(["year", "month"])
    # A day is a point at its date; a year or a month is a bar, its mark in the middle of the bar.
    marks["x"] = marks["x0"].where(~is_span, marks["x0"] + (marks["x1"] - marks["x0"]) / 2)
    marks["is_span"] = is_span
    # The date as the source gives it, beside a bar: "2021", "March 2025".
    as_given = (
        marks["date_start"]
        .dt.strftime("%B %Y")
        .where(marks["precision"] == "month", marks["date_start"].dt.year.astype(str))
    )
    marks["date_text"] = as_given.where(is_span, "")
    marks["symbol"] = mark_symbols(marks)

    lane_order = _lane_order(marks, sides, lanes)
    marks["lane_index"] = marks["lane"].map({k: i for i, k in enumerate(lane_order)})
    px = _pixels(whole)
    mid_px = px(marks["x"])
    # The date beside a bar goes right of the mark, or left of it in the right third of the plot.
    marks["date_side"] = np.where(mid_px > PLOT_PX * 2 / 3, "left", "right")
    date_px = marks["date_text"].str.len() * DATE_CHAR_PX + 8
    lo = pd.concat([px(marks["x0"]), mid_px - MARK_PX / 2], axis=1).min(axis=1)
    hi = pd.concat([px(marks["x1"]).where(is_span, mid_px), mid_px + MARK_PX / 2], axis=1).max(axis=1)
    left_text = marks["date_side"] == "left"
    lo = lo.where(~left_text, pd.concat([lo, mid_px - MARK_PX / 2 - date_px], axis=1).min(axis=1))
    hi = hi.where(left_text, pd.concat([hi, mid_px + MARK_PX / 2 + date_px.where(is_span, 0)], axis=1).max(axis=1))
    marks["px_lo"], marks["px_hi"] = lo - 2, hi + 2
    marks = _stack(marks)

    lane_rows = marks.groupby("lane_index").agg(key=("lane", "first"), rows=("sub", "max"), count=("id", "size"))
    lane_rows["rows"] += 1
    lane_rows["height"] = lane_rows["rows"] + 2 * LANE_PAD
    lane_rows["top"] = lane_rows["height"].cumsum() - lane_rows["height"]
    lane_rows["middle"] = lane_rows["top"] + lane_rows["height"] / 2
    lane_rows["label"] = [lane_label(k, lanes) for k in lane_rows["key"]]
    marks["y"] = marks["lane_index"].map(lane_rows["top"]) + LANE_PAD + 0.5 + marks["sub"]

    labels, unlabelled, lines = _place_labels(marks, whole, focus)
    tier_units = lines * LINE_UNITS + 0.45
    marks["hover"] = hover_texts(marks) if hover is None else _known_hover(marks, hover)
    return TimelineLayout(
        marks=marks,
        lanes=lane_rows.reset_index(drop=True),
        labels=labels,
        unlabelled=unlabelled,
        whole=whole,
        focus=focus,
        tiers=int(labels["tier"].max() + 1) if not labels.empty else 0,
        tier_units=tier_units,
    )


def _known_hover(marks: pd.DataFrame, hover: pd.Series) -> pd.Series:
    """The given hover texts of the marks; any mark they lack gets its own."""
    known = hover.reindex(marks.index)
    missing = known.isna()
    if missing.any():
        known = known.astype(object)
        known[missing] = hover_texts(marks[missing])
    return known


def _lane_order(marks: pd.DataFrame, sides: Sequence[str], lanes: str) -> list[str]:
    """Lanes top to bottom: sides in the story's order; people grouped by side, earliest first."""
    side_rank = {s: i for i, s in enumerate(sides)}
    unknown = len(side_rank)
    if lanes == "side":
        present = list(dict.fromkeys(marks.sort_values("order")["lane"]))
        return sorted(present, key=lambda k: (k == UNSIDED, side_rank.get(k, unknown)))
    per_lane = marks.groupby("lane").agg(side=("side", "first"), first=("date_start", "min"), order=("order", "min"))
    per_lane["rank"] = per_lane["side"].map(lambda s: side_rank.get(s, unknown))
    per_lane["others"] = per_lane.index == OTHERS_LANE
    return per_lane.sort_values(["others", "rank", "first", "order"]).index.tolist()


def _pixels(window: Window):
    """Date to pixels in a view, vectorised, at the assumed plot width."""
    span = window.end - window.start

    def to_px(values: pd.Series) -> pd.Series:
        return (values - window.start) / span * PLOT_PX

    return to_px


def _stack(marks: pd.DataFrame) -> pd.DataFrame:
    """Give each mark a sub-row in its lane: marks whose extents touch (a cluster) are stacked,
    in date then source order; clusters deeper than MAX_SUBROWS wrap around."""
    marks = marks.sort_values(["lane_index", "px_lo", "order"], kind="stable")
    reach = marks.groupby("lane_index")["px_hi"].cummax()
    previous = reach.groupby(marks["lane_index"]).shift()
    new_cluster = previous.isna() | (marks["px_lo"] > previous)
    marks["cluster"] = new_cluster.cumsum()
    # Labelled marks go on top of their cluster, so a leader line meets its own mark first.
    marks["unlabelled"] = marks["label"] == ""
    marks = marks.sort_values(["cluster", "unlabelled", "px_lo", "order"], kind="stable")
    marks["sub"] = marks.groupby("cluster").cumcount() % MAX_SUBROWS
    return marks.drop(columns=["cluster", "unlabelled"])


def _place_labels(
    marks: pd.DataFrame, whole: Window, focus: Window | None
) -> tuple[pd.DataFrame, tuple[str, ...], int]:
    """Choose each key-moment label's anchor and tier. Returns the placed labels, the ids that
    found no room, and the most lines a label takes."""
    keyed = marks[marks["label"] != ""].sort_values(["x", "order"])
    columns = ["id", "x", "y", "text", "anchor", "tier", "lines"]
    if keyed.empty:
        return pd.DataFrame(columns=columns), (), 1
    views = [whole] + ([focus] if focus is not None else [])
    candidates = []
    for row in keyed.itertuples():
        wrapped = textwrap.wrap(row.label, LABEL_WRAP) or [row.label]
        width = max(len(line) for line in wrapped) * LABEL_CHAR_PX + 10
        label = {"id": row.id, "x": row.x, "y": row.y, "lines": len(wrapped), "width": width}
        label["text"] = "<br>".join(text.escape(line) for line in wrapped)
        label["anchor"] = _anchor(row.x, width, views)
        label["extents"] = {i: _extent(row.x, width, label["anchor"], v) for i, v in enumerate(views)}
        candidates.append(label)
    # Text runs away from its leader: a label whose text runs right of its leader goes below the
    # labels to its right, so their leaders pass beside it, not through it (and the mirror image).
    candidates.sort(key=lambda c: (c["anchor"] != "left", -c["x"].value if c["anchor"] == "left" else c["x"].value))
    placed: list[dict] = []
    unlabelled: list[str] = []
    for label in candidates:
        tier = next((t for t in range(MAX_TIERS) if _fits(label, t, placed)), None)
        if tier is None:
            unlabelled.append(label["id"])
            continue
        label["tier"] = tier
        placed.append(label)
    placed.sort(key=lambda c: (c["x"], c["tier"]))
    frame = pd.DataFrame(placed, columns=columns + ["width", "extents"])
    return frame[columns], tuple(unlabelled), int(frame["lines"].max()) if placed else 1


def _view_px(x: pd.Timestamp, view: Window) -> float | None:
    """Pixel position of x in a view, or None when x is outside it."""
    if not view.start <= x <= view.end:
        return None
    return (x - view.start).value / (view.end - view.start).value * PLOT_PX


def _extent(x: pd.Timestamp, width: float, anchor: str, view: Window) -> tuple[float, float, float] | None:
    """(left, right, leader) of a label in a view, in pixels; None when its mark is out of view."""
    at = _view_px(x, view)
    if at is None:
        return None
    left = {"left": at + LEADER_CLEARANCE, "right": at - width - LEADER_CLEARANCE, "center": at - width / 2}[anchor]
    return left, left + width, at


def _anchor(x: pd.Timestamp, width: float, views: list[Window]) -> str:
    """The first anchor whose text stays inside the plot in every view that shows the mark; else
    the one that fits the whole-span view."""
    candidates = ("center", "left", "right")
    for anchor in candidates:
        extents = [_extent(x, width, anchor, v) for v in views]
        if all(e is None or (e[0] >= 0 and e[1] <= PLOT_PX) for e in extents):
            return anchor
    at = _view_px(x, views[0]) or 0.0
    return "left" if at < PLOT_PX / 2 else "right"


def _fits(label: dict, tier: int, placed: list[dict]) -> bool:
    """No overlap with labels on the same tier, and no text crossing a leader line, in any view."""
    gap = 8  # between two labels on one tier
    for other in placed:
        for view, mine in label["extents"].items():
            theirs = other["extents"].get(view)
            if mine is None or theirs is None:
                continue
            if other["tier"] == tier and mine[0] < theirs[1] + gap and theirs[0] < mine[1] + gap:
                return False
            # A leader runs from its label down through every lower tier.
            if other["tier"] < tier and theirs[0] < mine[2] < theirs[1]:
                return False
            if other["tier"] > tier and mine[0] < theirs[2] < mine[1]:
                return False
    return True


def timeline_figure(
    events: pd.DataFrame,
    entities: pd.DataFrame,
    sides: Sequence[str] = (),
    lanes: str = "side",
    hover: pd.Series | None = None,
) -> go.Figure:
    """One mark per dated event, at its real precision, in lanes by side or by subject; key moments
    labelled; zoom buttons for the whole span and the densest month. Each event mark carries its
    statement id in `customdata`. An empty figure with a note when no event has a date. Past
    WEBGL_MARKS events, marks and bars are WebGL traces. `hover`: see `layout_timeline`."""
    placed = layout_timeline(events, entities, sides, lanes, hover)
    figure = go.Figure(layout=go.Layout(template=style.template()))
    if placed is None:
        figure.add_annotation(
            text="No dated event matches the filters.", x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False
        )
        figure.update_xaxes(visible=False)
        figure.update_yaxes(visible=False)
        return figure
    marks = placed.marks
    all_sides = list(dict.fromkeys([*sides, *marks["side"]]))
    colours = style.side_colours(all_sides)
    band_top = -(0.3 + placed.tiers * placed.tier_units)
    webgl = len(marks) > WEBGL_MARKS
    scatter = go.Scattergl if webgl else go.Scatter

    _add_leaders(figure, placed)
    for side in all_sides:
        of_side = marks[marks["side"] == side]
        if of_side.empty:
            continue
        colour = colours.get(side, style.NEUTRAL)
        _add_spans(figure, of_side[of_side["is_span"]], colour, side, webgl)
        # One trace per symbol: scalar marker settings keep Plotly's validation cheap at 100,000 marks.
        for symbol, group in of_side.groupby("symbol", sort=False):
            figure.add_trace(
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
                        line=dict(width=2 if symbol.endswith("-open") else 1, color=colour),
                    ),
                    selected=dict(marker=dict(size=MARK_PX + 4)),
                    unselected=dict(marker=dict(opacity=0.35)),
                )
            )
    _add_legends(figure, marks, all_sides, colours)
    _add_dates_as_given(figure, marks)
    _add_labels(figure, placed)
    _style_axes(figure, placed, band_top)
    return figure


def _add_spans(figure: go.Figure, spans: pd.DataFrame, colour: str, side: str, webgl: bool = False) -> None:
    """Year- and month-only dates: one translucent bar over the whole period each (a horizontal bar
    from its first day to the end of its last, as plotly.express.timeline draws them). With WebGL,
    the same bars are thick line segments of one Scattergl trace."""
    if spans.empty:
        return
    if webgl:
        # Segments (start, end, gap) in one trace; dates as text, exact for these whole days.
        xs = np.empty(3 * len(spans), dtype=object)
        xs[0::3] = spans["x0"].dt.strftime("%Y-%m-%d").to_numpy()
        xs[1::3] = spans["x1"].dt.strftime("%Y-%m-%d").to_numpy()
        ys = np.empty(3 * len(spans), dtype=object)
        ys[0::3] = ys[1::3] = spans["y"].to_numpy()
        figure.add_trace(
            go.Scattergl(
                x=xs,
                y=ys,
                mode="lines",
                line=dict(color=colour, width=0.45 * UNIT_PX),
                opacity=0.3,
                connectgaps=False,
                hoverinfo="skip",
                showlegend=False,
                legendgroup=side or UNSIDED,
                name="",
            )
        )
        return
    figure.add_trace(
        go.Bar(
            base=spans["x0"].to_numpy(),
            x=((spans["x1"] - spans["x0"]).dt.total_seconds() * 1000).to_numpy(),
            y=spans["y"].to_numpy(),
            orientation="h",
            width=0.45,
            marker=dict(color=colour, line=dict(width=0)),
            opacity=0.3,
            hoverinfo="skip",
            showlegend=False,
            legendgroup=side or UNSIDED,
            name="",
        )
    )


def _add_dates_as_given(figure: go.Figure, marks: pd.DataFrame) -> None:
    """The date as given ("2021") beside the mark of each bar. Annotations, not trace text, so the
    range slider's thumbnail stays clean; past MAX_DATE_TEXTS bars the hover alone gives the date."""
    spans = marks[marks["is_span"]]
    if len(spans) > MAX_DATE_TEXTS:
        return
    for row in spans.itertuples():
        right = row.date_side == "right"
        figure.add_annotation(
            x=row.x,
            y=row.y,
            text=text.escape(row.date_text),
            showarrow=False,
            xanchor="left" if right else "right",
            xshift=(MARK_PX / 2 + 3) * (1 if right else -1),
            font=dict(size=11, color=style.MUTED),
        )


def _add_leaders(figure: go.Figure, placed: TimelineLayout) -> None:
    """Thin lines from each label down to its mark."""
    if placed.labels.empty:
        return
    xs: list = []
    ys: list = []
    for label in placed.labels.itertuples():
        xs += [label.x, label.x, None]
        ys += [_tier_bottom(label.tier, placed), label.y - 0.4, None]
    figure.add_trace(
        go.Scatter(x=xs, y=ys, mode="lines", line=dict(color="#9a9a9a", width=1), hoverinfo="skip", showlegend=False)
    )


def _tier_bottom(tier: int, placed: TimelineLayout) -> float:
    return -0.3 - tier * placed.tier_units


def _add_labels(figure: go.Figure, placed: TimelineLayout) -> None:
    """Key-moment labels on their tiers, escaped, anchored so each leader meets its text's edge or middle."""
    for label in placed.labels.itertuples():
        figure.add_annotation(
            x=label.x,
            y=_tier_bottom(label.tier, placed),
            text=label.text,
            showarrow=False,
            xanchor=label.anchor,
            xshift={"center": 0, "left": LEADER_CLEARANCE, "right": -LEADER_CLEARANCE}[label.anchor],
            yanchor="bottom",
            align={"center": "center", "left": "left", "right": "right"}[label.anchor],
            font=dict(size=12, color=style.TEXT),
            bgcolor="rgba(255,255,255,0.85)",
            borderpad=1,
        )


def _add_legends(figure: go.Figure, marks: pd.DataFrame, sides: list[str], colours: Mapping[str, str]) -> None:
    """Legend one: colour is the subject's side (clicking hides a side). Legend two: the marks' key,
    listing only the kinds of mark the chart holds."""
    for side in sides:
        if (marks["side"] == side).any():
            figure.add_trace(
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
            figure.add_trace(
                style.legend_entry(
                    style.CERTAINTY_LABEL.get(certainty, certainty),
                    "legend2",
                    mode="markers",
                    marker=dict(symbol=symbol, size=11, color=grey),
                )
            )
    if marks["symbol"].str.endswith("-open").any():
        figure.add_trace(
            style.legend_entry(
                "Hollow: date implied, not printed",
                "legend2",
                mode="markers",
                marker=dict(symbol="circle-open", size=11, color=grey, line=dict(width=2, color=grey)),
            )
        )
    if marks["is_span"].any():
        figure.add_trace(
            style.legend_entry(
                "Bar: year or month only", "legend2", mode="lines", line=dict(color=grey, width=10), opacity=0.35
            )
        )


def _style_axes(figure: go.Figure, placed: TimelineLayout, band_top: float) -> None:
    lanes = placed.lanes
    bottom = float(lanes["top"].iloc[-1] + lanes["height"].iloc[-1])
    top = band_top - 0.2 if placed.tiers else -0.2
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
    buttons = [dict(label=placed.whole.label, method="relayout", args=[{"xaxis.range": placed.whole.range}])]
    if placed.focus is not None:
        buttons.append(dict(label=placed.focus.label, method="relayout", args=[{"xaxis.range": placed.focus.range}]))
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
        meta={"unlabelled": list(placed.unlabelled)},
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
        range=[bottom, top],
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


def selected_ids(selection: Mapping | None) -> list[str]:
    """Statement ids of the points in a `st.plotly_chart` selection, in order, without repeats.
    Points without an id (bars, leader lines) are ignored."""
    if not selection:
        return []
    points = selection.get("points", []) if isinstance(selection, Mapping) else getattr(selection, "points", [])
    ids: list[str] = []
    for point in points or []:
        data = point.get("customdata") if isinstance(point, Mapping) else None
        if isinstance(data, list | tuple):
            data = data[0] if data else None
        if isinstance(data, str) and data and data not in ids:
            ids.append(data)
    return ids


def statement_people(statement_id: str, model: Model) -> list[str]:
    """The subject and object of a statement, places aside: whom it is about."""
    row = model.statements.loc[model.statements["id"] == statement_id]
    if row.empty:
        return []
    kinds = model.entities["kind"]
    return [n for n in (row.iloc[0]["subject"], row.iloc[0]["object"]) if n and kinds.get(n, "") != "place"]


def related_statements(statement_id: str, statements: pd.DataFrame, model: Model) -> pd.DataFrame:
    """The other statements about the same people as one statement: its subject and object (places
    aside) and the groups they belong to; dated ones by date, then undated ones in source order."""
    people = statement_people(statement_id, model)
    if not people:
        return statements.iloc[0:0]
    involved = flt.involved_names(model, people)
    about = statements[
        (statements["subject"].isin(involved) | statements["object"].isin(involved))
        & (statements["id"] != statement_id)
    ]
    return about.sort_values(["date_start", "order"], na_position="last", kind="stable")


def statement_table(rows: pd.DataFrame, filters: flt.Filters | None = None) -> pd.DataFrame:
    """Statements as a reader's table, rows in the order given: date as given, what the source
    says, whom it is about, who says so, how sure, and a "view in source" link."""

    def per_value(column: str, function) -> np.ndarray:
        # Names and attributions repeat: each distinct value is worded once, not once per row.
        values = rows[column]
        return values.map({v: function(v) for v in values.unique()}).to_numpy(dtype=object)

    return pd.DataFrame(
        {
            "Date": rows["date_display"].to_numpy(),
            "What the source says": rows["summary"].to_numpy(),
            "About": per_value("subject", names.display_name),
            "According to": per_value("attribution", wording.who_says),
            "Certainty": rows["certainty"].to_numpy(),
            "Source": links.source_urls(rows["id"], filters),
            "id": rows["id"].to_numpy(),
        }
    )


def undated_table(events: pd.DataFrame, filters: flt.Filters | None = None) -> pd.DataFrame:
    """The undated events as a table, numbered in the order the source tells them."""
    table = statement_table(undated(events), filters).drop(columns="Date")
    table.insert(0, "Order", range(1, len(table) + 1))
    return table


# --- many events: counts per lane and period ------------------------------------------------------


def density_counts(
    events: pd.DataFrame, entities: pd.DataFrame, sides: Sequence[str] = (), lanes: str = "side"
) -> tuple[pd.DataFrame, str, int]:
    """How many dated events fall in each lane and period. Returns one row per (lane, period) with
    lane, lane_index (top first), side, start, end, count and a count per certainty; the period
    ("year", or "month" for a span of DENSITY_MONTHS or less); and how many events were left out
    because their date is coarser than a month (a year-only date is never put in a month)."""
    marks = dated(events).copy()
    columns = ["lane", "lane_index", "side", "start", "end", "count", *style.CERTAINTY_SYMBOL]
    if marks.empty:
        return pd.DataFrame(columns=columns), "year", 0
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
    return counts[columns], unit, coarser


def density_figure(
    events: pd.DataFrame, entities: pd.DataFrame, sides: Sequence[str] = (), lanes: str = "side"
) -> go.Figure:
    """Each lane a row of columns, one per year (or month), as tall as the number of dated events
    in it, coloured by side; hover gives the count per certainty. Each column carries the first
    and last day of its period in `customdata` (see `selected_period`). For when there are too many
    events to draw one by one (DENSITY_MARKS)."""
    counts, unit, coarser = density_counts(events, entities, sides, lanes)
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
        meta={"density": unit, "events": int(counts["count"].sum()), "coarser": coarser, "tallest": int(tallest)},
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
