"""The timeline as static SVG geometry for the story page: the same placement as the Plotly figure
(lanes, sub-rows, label tiers, leaders, dates beside bars), drawn as plain numbers and strings that
the story template writes out as SVG. No JavaScript library is needed to show it; a reader's click
on a mark opens its statement. One view is one or two panels side by side: the whole span, the
focus month, or context and focus on a broken axis, each panel with its own labels.

Pure: pandas in, dictionaries out. Text stays plain here (the template escapes it)."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from dashboard import names, style, text
from dashboard.views.timeline.density import DENSITY_LANE_PX, DensityCounts
from dashboard.views.timeline.figure import (
    BREAK_GAP,
    DATE_FONT,
    LABEL_FONT,
    Paper,
    dates_as_given,
)
from dashboard.views.timeline.placement import (
    LEADER_CLEARANCE,
    MARK_PX,
    UNIT_PX,
    UNSIDED,
    TimelineLayout,
    Window,
    band_top,
    broken_axis,
    lane_label,
    lanes_bottom,
    leader_path,
    place_every_label,
    rewrapped,
    tier_bottom,
    tier_count,
)

AXIS_PX = 26  # below the lanes: the dates of the axis
TOP_PX = 6  # above the highest label tier
RIGHT_PX = 16  # beside the plot: the arrowheads of open bars sit on its edge
BAR_UNITS = 0.45  # a bar's height in sub-row units, as the Plotly figure draws it
CONTEXT_SHARE = 0.22  # of the plot's width, the broken axis's left panel: the focus gets the room
# The steps between two dates on the axis, smallest first: days, weeks, months, quarters, years.
TICK_STEPS = [("D", 1), ("D", 2), ("D", 7), ("M", 1), ("M", 3), ("M", 6), *(("Y", n) for n in (1, 2, 5, 10, 25, 50))]
TICK_FONT_PX = 11.5  # the axis's dates (story.html.j2, `svg text.tick`)
TICK_GAP_PX = 14  # between two dates on the axis
LINE_PX = LABEL_FONT * 1.2


@dataclass(frozen=True)
class Canvas:
    """The width the chart is drawn for: its lane names and its plot, in CSS pixels at scale 1."""

    lanes_px: float
    plot_px: float

    @property
    def width(self) -> float:
        return self.lanes_px + self.plot_px + RIGHT_PX


WIDE = Canvas(lanes_px=160, plot_px=880)  # the story page's column on a laptop (1100 px at most)
NARROW = Canvas(lanes_px=92, plot_px=250)  # a 390 px phone less the page's margins


def shape_path(symbol: str, radius: float = MARK_PX / 2) -> str:
    """An SVG path, centred on 0,0, for a Plotly marker symbol's base shape (circle, diamond, x,
    triangle-up, square, triangle-right); "-open" and "-open-dot" are drawn by the caller."""
    base = symbol.replace("-open-dot", "").replace("-open", "")
    r = radius
    if base == "diamond":
        d = r * 1.3
        return f"M0,{-d:.1f}L{d:.1f},0L0,{d:.1f}L{-d:.1f},0Z"
    if base == "x":
        e, a = r, r * 0.4
        points = [(-e, -e + a), (-e + a, -e), (0, -a), (e - a, -e), (e, -e + a), (a, 0),
                  (e, e - a), (e - a, e), (0, a), (-e + a, e), (-e, e - a), (-a, 0)]  # fmt: skip
        return "M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in points) + "Z"
    if base == "triangle-up":
        return f"M0,{-r * 1.15:.1f}L{r * 1.1:.1f},{r * 0.75:.1f}L{-r * 1.1:.1f},{r * 0.75:.1f}Z"
    if base == "triangle-right":
        return f"M{r * 1.1:.1f},0L{-r * 0.75:.1f},{r:.1f}L{-r * 0.75:.1f},{-r:.1f}Z"
    if base == "triangle-left":
        return f"M{-r * 1.1:.1f},0L{r * 0.75:.1f},{r:.1f}L{r * 0.75:.1f},{-r:.1f}Z"
    if base == "square":
        return f"M{-r:.1f},{-r:.1f}H{r:.1f}V{r:.1f}H{-r:.1f}Z"
    return f"M{r:.1f},0A{r:.1f},{r:.1f} 0 1,1 {-r:.1f},0A{r:.1f},{r:.1f} 0 1,1 {r:.1f},0Z"


def mark_style(symbol: str, colour: str) -> dict:
    """Fill and stroke of a mark: solid; hollow (white inside) when the date is inferred; hollow with
    a dot when only the year is."""
    hollow = "-open" in symbol
    return {
        "path": shape_path(symbol),
        "fill": "#ffffff" if hollow else colour,
        "stroke": colour,
        "stroke_width": 2 if hollow else 1,
        "dot": symbol.endswith("-open-dot"),
    }


def axis_ticks(window: Window, width: float) -> list[dict]:
    """Dates along the axis of a panel `width` pixels wide, at least MIN_TICK_PX apart: years, half
    years, quarters, months or days, whichever first fits."""
    span = window.end - window.start
    for unit, size in TICK_STEPS:
        if unit == "D":
            first = window.start.ceil("D")
            dates = pd.date_range(first, window.end, freq=f"{size}D")
            if size == 7:
                dates = pd.date_range(first + pd.Timedelta(days=(7 - first.day_of_week) % 7), window.end, freq="7D")
            words = "%-d %b"
        elif unit == "M":
            dates = pd.date_range(window.start.normalize(), window.end, freq="MS")
            dates = dates[(dates.month - 1) % size == 0]
            words = "%b %Y"
        else:
            dates = pd.date_range(window.start.normalize(), window.end, freq="YS")
            dates = dates[dates.year % size == 0]
            words = "%Y"
        dates = dates[(dates >= window.start) & (dates <= window.end)]
        # The widest date of the step (the first 40 hold every month name and day number it can show).
        widest = max((text.text_width(d.strftime(words), TICK_FONT_PX) for d in dates[:40]), default=0.0)
        needed = widest + TICK_GAP_PX
        # The closest two dates decide: months and years differ in length (February, leap years).
        if len(dates) and (len(dates) < 2 or size_px((dates[1:] - dates[:-1]).min(), span, width) >= needed):
            break
    else:  # even a century apart the dates would touch (a very narrow panel): one date, the first
        dates = dates[:1]
    return [{"x": round(float((d - window.start) / span * width), 1), "text": d.strftime(words)} for d in dates]


def size_px(delta: pd.Timedelta, span: pd.Timedelta, width: float) -> float:
    return float(delta / span * width)


def _lines(escaped: str) -> list[str]:
    """A placement's escaped, <br>-wrapped text as plain lines (the template escapes them again)."""
    return [html.unescape(line) for line in escaped.split("<br>")]


def timeline_views(placed: TimelineLayout | None, sides: Sequence[str], canvas: Canvas) -> list[dict]:
    """The views the story page offers, first shown first: context and focus on a broken axis
    where the events bunch in one month well after the rest (on a wide canvas), else the focus month
    alone where there is one; then the whole span. Empty when no event has a date."""
    if placed is None:
        return []
    views = []
    panels = broken_axis(placed) if canvas is WIDE else None
    if panels is not None:
        context, focus = panels
        share = CONTEXT_SHARE
        widths = (canvas.plot_px * share, canvas.plot_px * (1 - share - BREAK_GAP))
        before = placed.marks[placed.marks["x"] < focus.start]
        first = before["x0"].min().year
        last = (min(before["x1"].max(), context.end) - pd.Timedelta(days=1)).year
        years = str(first) if first == last else f"{first} to {last}"
        note = f"The time axis is broken: {years} on the left, {focus.label} on the right, where the events bunch."
        views.append(_view(placed, sides, canvas, [(context, widths[0]), (focus, widths[1])], focus.label, note))
    elif placed.focus is not None:
        views.append(_view(placed, sides, canvas, [(placed.focus, canvas.plot_px)], placed.focus.label, ""))
    views.append(_view(placed, sides, canvas, [(placed.whole, canvas.plot_px)], "Whole span", ""))
    for index, view in enumerate(views):
        view["key"] = f"{'wide' if canvas is WIDE else 'narrow'}-{index}"
    return views


def _view(placed: TimelineLayout, sides: Sequence[str], canvas: Canvas, windows, name: str, note: str) -> dict:
    """One view's geometry: lanes, axis, bars, marks, leaders and labels, in pixels."""
    marks = placed.marks
    colours = style.side_colours(list(dict.fromkeys([*sides, *marks["side"]])))
    # Each panel's labels placed at its own width (in the placement's pixels: the text's real size).
    labelled = [place_every_label(marks, window, width)[0] for window, width in windows]
    tiers = max(tier_count(frame) for frame in labelled)
    top_units = band_top(tiers, placed) - 0.2
    bottom_units = lanes_bottom(placed)
    top_px = TOP_PX

    def y_px(units: float) -> float:
        return round(top_px + (units - top_units) * UNIT_PX, 1)

    plot_bottom = y_px(bottom_units)
    height = plot_bottom + AXIS_PX
    lanes = [
        {
            "y": y_px(lane.top),
            "height": round(lane.height * UNIT_PX, 1),
            "shaded": index % 2 == 0,
            "lines": _lines(lane.label),
            "middle": y_px(lane.middle),
        }
        for index, lane in enumerate(placed.lanes.itertuples())
    ]
    panels = []
    left = canvas.lanes_px
    for index, ((window, width), labels) in enumerate(zip(windows, labelled)):
        last = index == len(windows) - 1
        panels.append(_panel(placed, window, width, left, labels, colours, y_px, plot_bottom, last))
        left += width + canvas.plot_px * BREAK_GAP
    return {
        "name": name,
        "note": note,
        "width": round(canvas.width, 1),
        "height": round(height, 1),
        "plot_top": y_px(band_top(0, placed) + 0.0),
        "plot_bottom": plot_bottom,
        "lanes_px": canvas.lanes_px,
        "plot_right": round(canvas.lanes_px + canvas.plot_px, 1),
        "lanes": lanes,
        "panels": panels,
        "breaks": [round(p["left"] - canvas.plot_px * BREAK_GAP / 2, 1) for p in panels[1:]],
        "hatches": [{"id": f"hatch-{i}", "colour": c} for i, c in enumerate(dict.fromkeys(colours.values()))],
    }


def _panel(placed, window: Window, width: float, left: float, labels, colours, y_px, plot_bottom, last: bool) -> dict:
    """One panel: what falls in `window`, drawn `width` pixels wide from `left`. An open bar's arrowhead
    sits where it runs out of the last panel (it runs on past what the chart shows)."""
    span = window.end - window.start
    hatch_of = {c: f"hatch-{i}" for i, c in enumerate(dict.fromkeys(colours.values()))}
    marks = placed.marks

    def x_px(value) -> float:
        return round(float((value - window.start) / span * width), 1)

    bars, arrows, points = [], [], []
    spans = marks[marks["is_span"] & (marks["x1"] > window.start) & (marks["x0"] < window.end)]
    bar_px = BAR_UNITS * UNIT_PX
    for row in spans.itertuples():
        colour = colours.get(row.side, style.NEUTRAL)
        x0, x1 = max(x_px(row.x0), -2.0), min(x_px(row.x1), width + 2)
        open_bound = row.date_open != ""
        hatch = hatch_of.get(colour, "hatch-0") if open_bound else ""
        bars.append({"x": x0, "y": round(y_px(row.y) - bar_px / 2, 1), "width": round(x1 - x0, 1), "title": "",
                     "height": round(bar_px, 1), "colour": colour, "hatch": hatch, "opacity": 0.3})  # fmt: skip
        if open_bound:
            at = row.x1 if row.date_open == "end" else row.x0
            if last and row.date_open == "end":
                at = min(at, window.end)
            if window.start <= at <= window.end:
                way = "right" if row.date_open == "end" else "left"
                arrow = shape_path(f"triangle-{way}", 5)
                arrows.append({"x": x_px(at), "y": y_px(row.y), "colour": colour, "path": arrow})
    shown = marks[marks["x"].between(window.start, window.end)].sort_values("date_order")
    for row in shown.itertuples():
        colour = colours.get(row.side, style.NEUTRAL)
        points.append({
            "id": row.id, "x": x_px(row.x), "y": y_px(row.y), **mark_style(row.symbol, colour),
            "title": f"{row.date_display}: {row.summary}", "side": row.side or UNSIDED,
        })  # fmt: skip
    xs, ys = leader_path(labels, placed)
    leaders = []
    for start in range(0, len(xs), 5):
        leaders.append(" ".join(f"{x_px(x)},{y_px(y)}" for x, y in zip(xs[start : start + 4], ys[start : start + 4])))
    texts = []
    for label in labels.itertuples():
        lines = _lines(label.text)
        bottom = y_px(tier_bottom(label.tier, placed))
        anchor = {"center": "middle", "left": "start", "right": "end"}[label.anchor]
        shift = {"center": 0, "left": LEADER_CLEARANCE, "right": -LEADER_CLEARANCE}[label.anchor]
        texts.append({
            "x": round(x_px(label.label_x) + shift, 1), "anchor": anchor, "id": label.id,
            "lines": [{"text": line, "y": round(bottom - 4 - (len(lines) - 1 - i) * LINE_PX, 1)}
                      for i, line in enumerate(lines)],
        })  # fmt: skip
    dates = []
    # The dates beside the bars, kept where they meet nothing at this panel's width (one y unit: UNIT_PX).
    units = lanes_bottom(placed) - band_top(max(placed.tiers, placed.focus_tiers), placed) + 0.2
    paper = Paper(width=width, height=units * UNIT_PX, font=DATE_FONT)
    for note in dates_as_given(shown, window, placed, paper):
        right = note["xanchor"] == "left"
        reach = text.text_width(html.unescape(note["text"]), DATE_FONT) + abs(note["xshift"])
        if not reach <= x_px(note["x"]) + (reach if right else 0) <= width - (reach if right else 0):
            continue  # it would run out of its panel: the mark's tooltip and details give the date
        dates.append({"x": round(x_px(note["x"]) + note["xshift"], 1), "y": round(y_px(note["y"]) + 4, 1),
                      "text": html.unescape(note["text"]), "anchor": "start" if right else "end"})  # fmt: skip
    return {
        "left": round(left, 1),
        "width": round(width, 1),
        "start": window.start.isoformat(),
        "end": window.end.isoformat(),
        "ticks": axis_ticks(window, width),
        "bars": bars,
        "arrows": arrows,
        "marks": points,
        "leaders": leaders,
        "labels": texts,
        "dates": dates,
        "date_font": DATE_FONT,
        "clip_bottom": plot_bottom,
    }


def legend(placed: TimelineLayout | None, sides: Sequence[str]) -> dict:
    """What the marks mean, listing only what the chart holds: the sides' colours, the certainty
    shapes, hollow marks, bars and hatched bars."""
    if placed is None:
        return {"sides": [], "marks": []}
    marks = placed.marks
    colours = style.side_colours(list(dict.fromkeys([*sides, *marks["side"]])))
    present_sides = [s for s in dict.fromkeys([*sides, *marks["side"]]) if (marks["side"] == s).any()]
    grey = style.MUTED
    items = []
    for certainty, symbol in style.CERTAINTY_SYMBOL.items():
        if (marks["certainty"] == certainty).any():
            items.append({"kind": "mark", "words": style.CERTAINTY_LABEL.get(certainty, certainty),
                          **mark_style(symbol, grey)})  # fmt: skip
    for suffix, words in (("-open", "Hollow: date inferred"), ("-open-dot", "Hollow with a dot: year inferred")):
        if marks["symbol"].str.endswith(suffix).any():
            items.append({"kind": "mark", "words": words, **mark_style("circle" + suffix, grey)})
    open_ended = marks["date_open"] != ""
    if (marks["is_span"] & ~open_ended).any():
        words = "Bar: year or month only" + (", or a range" if (marks["precision"] == "range").any() else "")
        items.append({"kind": "bar", "words": words})
    if (marks["is_span"] & open_ended).any():
        closed = not (marks["date_open"] == "start").any()
        items.append({"kind": "hatch", "words": "Hatched to the edge: " + ("no end given" if closed else "open bound"),
                      "path": shape_path("triangle-right", 5)})  # fmt: skip
    return {
        "sides": [{"name": side or UNSIDED, "colour": colours.get(side, style.NEUTRAL)} for side in present_sides],
        "marks": items,
    }


def density_views(density: DensityCounts, sides: Sequence[str], lanes: str, canvas: Canvas) -> list[dict]:
    """Past DENSITY_MARKS events, the one view: each lane a row of columns, one per year (or month),
    as tall as its count on one scale for every lane, with the count per certainty in its tooltip.
    Empty when no event has a date."""
    counts, unit = density.counts, density.unit
    if counts.empty:
        return []
    colours = style.side_colours(list(dict.fromkeys([*sides, *counts["side"]])))
    window = Window(counts["start"].min(), counts["end"].max(), "Whole span")
    span, width, tallest = window.end - window.start, canvas.plot_px, counts["count"].max()
    lane_rows = counts.drop_duplicates("lane_index").sort_values("lane_index")
    lane_px = DENSITY_LANE_PX
    bars = []
    for row in counts.itertuples():
        x0 = float((row.start - window.start) / span * width)
        x1 = float((row.end - window.start) / span * width)
        height = row.count / tallest * lane_px * 0.84
        when = row.start.strftime("%Y" if unit == "year" else "%B %Y")
        split = " · ".join(f"{certainty} {getattr(row, certainty)}" for certainty in style.CERTAINTY_SYMBOL)
        bars.append({
            "x": round(x0 + (x1 - x0) * 0.07, 1), "width": round((x1 - x0) * 0.86, 1),
            "y": round(TOP_PX + (row.lane_index + 0.92) * lane_px - height, 1), "height": round(height, 1),
            "colour": colours.get(row.side, style.NEUTRAL), "hatch": "", "opacity": 1,
            "title": f"{when}, {names.display_name(row.lane) if lanes == 'person' else row.lane}: "
                     f"{row.count:,} dated events ({split})",
        })  # fmt: skip
    plot_bottom = TOP_PX + len(lane_rows) * lane_px
    view = {
        "key": f"{'wide' if canvas is WIDE else 'narrow'}-0",
        "name": "Whole span",
        "note": "",  # the page's notes say what a column counts (publish.timeline_figure)
        "width": round(canvas.width, 1),
        "height": round(plot_bottom + AXIS_PX, 1),
        "plot_top": TOP_PX,
        "plot_bottom": plot_bottom,
        "lanes_px": canvas.lanes_px,
        "plot_right": round(canvas.lanes_px + canvas.plot_px, 1),
        "lanes": [
            {
                "y": TOP_PX + i * lane_px,
                "height": lane_px,
                "shaded": i % 2 == 0,
                "middle": TOP_PX + (i + 0.5) * lane_px,
                "lines": _lines(rewrapped(lane_label(row.lane, lanes), 24 if canvas is WIDE else 12)),
            }
            for i, row in enumerate(lane_rows.itertuples())
        ],  # fmt: skip
        "panels": [
            {
                "left": canvas.lanes_px,
                "width": width,
                "start": window.start.date().isoformat(),
                "end": window.end.date().isoformat(),
                "ticks": axis_ticks(window, width),
                "bars": bars,
                "arrows": [],
                "marks": [],
                "leaders": [],
                "labels": [],
                "dates": [],
            }
        ],  # fmt: skip
        "breaks": [],
        "hatches": [],
    }
    return [view]


def density_legend(density: DensityCounts, sides: Sequence[str]) -> dict:
    """The density view's key: the sides' colours (the columns' heights say the rest)."""
    present = list(dict.fromkeys(density.counts["side"]))
    colours = style.side_colours(list(dict.fromkeys([*sides, *present])))
    ordered = [s for s in dict.fromkeys([*sides, *present]) if s in present]
    return {"sides": [{"name": s or UNSIDED, "colour": colours.get(s, style.NEUTRAL)} for s in ordered], "marks": []}
