"""Where the timeline puts everything: the dated events as marks (lane, sub-row, x), and the key-moment
labels on tiers above the lanes, chosen so that no two labels, and no label and leader line, cross,
and no two leaders merge: where events bunch, leaders fan out so each label sits beside its mark's
date. Placed once for the whole-span view and once for the focus (densest month) view. Generic over
an event's start and end: a mark's x is all the placement reads. Pure pandas: no Plotly, no Streamlit."""

from __future__ import annotations

import html
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from dashboard import dates, names, style, text
from dashboard.dataset.model import dated, events
from dashboard.views.timeline.hover import hover_texts

if TYPE_CHECKING:
    from dashboard.dataset.cache import Derived

LANE_MODES = {"side": "By side", "person": "By person"}
UNSIDED = "No side given"
OTHERS_LANE = "Other subjects"
MAX_PERSON_LANES = 16
MAX_SUBROWS = 12  # open-ended bars ("2022/..") run to the edge, so they stack deep: 9 in one lane here
MAX_TIERS = 16
# Pixel estimates for placing labels. The plot is assumed narrow (a 1200 px window minus the
# sidebar and the lane names); a wider plot only adds room, so nothing that fits here overlaps there.
PLOT_PX = 520
UNIT_PX = 22  # height of one sub-row
MARK_PX = 12
LABEL_FONT, DATE_FONT = 12, 11  # on screen, and the size labels are placed at (a printed chart scales its width)
LABEL_WRAP_PX = 120  # the longest line of a label, at LABEL_FONT (measured: dashboard.text.text_width)
LABEL_PAD = 10  # pixels around a label's text
# Which marks a printed chart labels: every mark in view where there is room (key moments first),
# the key moments only, or none.
LABEL_CHOICES = {"all": "Every mark with room, key moments first", "key": "Key moments only", "none": "No labels"}
LEADER_CLEARANCE = 3  # pixels between a left- or right-anchored label and its own leader
LEADER_GAP = 6  # pixels between two leaders, so that each reads as its own line
TIER_COST = 60  # pixels of sideways shift worth one tier up
# Every (tier, shift in pixels) a label may take, cheapest first.
SPOTS = sorted(
    ((tier, shift) for tier in range(MAX_TIERS) for shift in range(-PLOT_PX, PLOT_PX + 1, 2)),
    key=lambda spot: (spot[0] * TIER_COST + abs(spot[1]), spot[0], abs(spot[1])),
)
RETRY_UNLABELLED = 3  # see place_every_label
FAN_UNITS = 1.1  # height of the band where leaders fan out, in sub-row units
LINE_UNITS = 0.75  # one label line, in sub-row units
LANE_PAD = 0.35  # space above and below the sub-rows of a lane, in sub-row units
LANE_LINE_UNITS = 0.9  # one line of a lane's name (14 px type) in sub-row units, with its leading


@dataclass(frozen=True, eq=False)
class TimelineData:
    """What a timeline is drawn from: the events, the model's entity frame (for each subject's side),
    the story's sides in order (lanes top to bottom), the lane mode ("side" or "person"), and the
    events' hover texts by index when the caller keeps them (e.g. once per dataset)."""

    events: pd.DataFrame
    entities: pd.DataFrame
    sides: Sequence[str] = ()
    lanes: str = "side"
    hover: pd.Series | None = None


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
    `labels`: one row per key moment in the whole-span view: its mark (`x`, `y`), tier, anchor and
    `label_x`, where its leader meets the text (beside the mark's date when labels bunch).
    `unlabelled`: ids of key moments that found no room (their marks are still drawn)."""

    marks: pd.DataFrame
    lanes: pd.DataFrame
    labels: pd.DataFrame
    unlabelled: tuple[str, ...]
    whole: Window
    focus: Window | None
    tiers: int
    tier_units: float
    focus_labels: pd.DataFrame  # the labels as placed for the focus view (its zoom button shows them)
    focus_tiers: int
    # Each tier's own height in y units, bottom tier first, when tiers differ (a printed chart gives
    # each the pixels of its tallest label); empty: every tier is `tier_units` high.
    tier_heights: tuple[float, ...] = ()
    # Laid out for a phone's width (see narrow_layout): no dates written beside the bars.
    narrow: bool = False

    def tier_offset(self, tier: int) -> float:
        """The height of the tiers below `tier` (of all of them for `tier` = the number of tiers)."""
        if not self.tier_heights:
            return tier * self.tier_units
        heights = self.tier_heights
        return sum(heights[:tier]) + max(0, tier - len(heights)) * self.tier_units


def kept_hover_texts(statements: pd.DataFrame, derived: Derived) -> pd.Series:
    """The hover text of every dated event of the dataset (`statements`: all of them), by index, kept
    with the dataset's derived artefacts: writing them takes ~1 s at 100,000 statements, reading them
    back after a restart a few milliseconds."""
    kept = derived.frame("hover_texts", lambda: hover_texts(dated(events(statements))).to_frame("hover"), ("hover",))
    return kept["hover"]


def whole_window(events: pd.DataFrame) -> Window | None:
    """The whole span of the known bounds of the dated events with a little room either side (an
    open bound runs to the edge of this window)."""
    marks = dated(events)
    if marks.empty:
        return None
    first = marks["date_start"].fillna(marks["date_end"])
    last = marks["date_end"].fillna(marks["date_start"])
    start, end = first.min(), last.max() + pd.Timedelta(days=1)
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
    first = events.groupby("subject", sort=False)["date_order"].min()
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


# What the curator inferred, as a variant of the certainty's shape: hollow when the whole date (or
# its bounds) is implied, hollow with a dot when the source prints the day and month and only the
# year is inferred (a lesser inference, so a mark closer to a filled one).
INFERENCE_SUFFIX = {"date": "-open", "year": "-open-dot"}


def mark_symbols(events: pd.DataFrame) -> pd.Series:
    """Marker symbol per event: the certainty's shape; hollow when the date is inferred, hollow
    with a dot when only the year is."""
    base = events["certainty"].map(style.CERTAINTY_SYMBOL).fillna("circle")
    inference = events.get("date_inference", pd.Series("date", index=events.index))
    inference = inference.where(events["date_inferred"].astype(bool), "none")
    # An inference the vocabulary does not know is drawn as the whole date inferred: never surer.
    return base + inference.map({"none": "", **INFERENCE_SUFFIX}).fillna("-open")


def _bound_marks(marks: pd.DataFrame) -> pd.DataFrame:
    """For each interval, where its mark goes and the date written beside it. A bounded interval's
    mark is in the middle of its bar; an open one's is in the middle of its one bound's own period
    (2022/.. at mid-2022, where 2022 alone is drawn), with "2022 or later" beside it."""
    out = pd.DataFrame({"x": pd.NaT, "date_text": ""}, index=marks.index)
    out["x"] = out["x"].astype("datetime64[ns]")
    for index, value in marks.loc[marks["precision"] == "range", "date"].items():
        partial = dates.parse_partial(value)
        bound = partial.lower or partial.upper
        if partial.lower is None or partial.upper is None:
            start, end = pd.Timestamp(bound.start), pd.Timestamp(bound.end) + pd.Timedelta(days=1)
            out.at[index, "x"] = start + (end - start) / 2
            out.at[index, "date_text"] = dates.display(bound) + (" or later" if partial.lower else " or earlier")
    return out


def layout_timeline(data: TimelineData) -> TimelineLayout | None:
    """Place every dated event (lane, sub-row, x) and every key-moment label; None when no event has a date."""
    entities, sides, lanes = data.entities, data.sides, data.lanes
    marks = dated(data.events).copy()
    whole = whole_window(marks)
    if whole is None:
        return None
    focus = focus_window(marks)
    marks["side"] = subject_sides(marks, entities)
    marks["lane"] = lane_keys(marks, entities, lanes)
    # An open bound runs to the edge of the whole span: "2022/.." is drawn from 2022 to the right edge.
    marks["x0"] = marks["date_start"].fillna(whole.start)
    marks["x1"] = (marks["date_end"] + pd.Timedelta(days=1)).fillna(whole.end)
    is_span = marks["precision"].isin(["year", "month", "range"])
    # A day is a point at its date; a year, a month or an interval is a bar, its mark in the middle
    # of the bar (an open interval: see _bound_marks).
    bounds = _bound_marks(marks)
    middle = marks["x0"] + (marks["x1"] - marks["x0"]) / 2
    marks["x"] = marks["x0"].where(~is_span, bounds["x"].fillna(middle))
    marks["is_span"] = is_span
    # The date as the source gives it, beside a bar: "2021", "March 2025", "2022 or later".
    as_given = (
        marks["date_start"]
        .dt.strftime("%B %Y")
        .where(marks["precision"] == "month", marks["date_start"].dt.year.astype(str))
    )
    marks["date_text"] = as_given.where(marks["precision"].isin(["year", "month"]), bounds["date_text"])
    marks["symbol"] = mark_symbols(marks)

    lane_order = _lane_order(marks, sides, lanes)
    marks["lane_index"] = marks["lane"].map({k: i for i, k in enumerate(lane_order)})
    px = _pixels(whole)
    mid_px = px(marks["x"])
    # The date beside a bar goes right of the mark, or left of it in the right third of the plot.
    marks["date_side"] = np.where(mid_px > PLOT_PX * 2 / 3, "left", "right")
    date_px = date_widths(marks["date_text"]) + 8
    lo = pd.concat([px(marks["x0"]), mid_px - MARK_PX / 2], axis=1).min(axis=1)
    hi = pd.concat([px(marks["x1"]).where(is_span, mid_px), mid_px + MARK_PX / 2], axis=1).max(axis=1)
    left_text = marks["date_side"] == "left"
    lo = lo.where(~left_text, pd.concat([lo, mid_px - MARK_PX / 2 - date_px], axis=1).min(axis=1))
    hi = hi.where(left_text, pd.concat([hi, mid_px + MARK_PX / 2 + date_px.where(is_span, 0)], axis=1).max(axis=1))
    marks["px_lo"], marks["px_hi"] = lo - 2, hi + 2
    marks = _stack(marks)

    lane_rows = _lane_rows(marks, lambda key: lane_label(key, lanes))
    marks["y"] = _mark_y(marks, lane_rows)
    marks["hover"] = hover_texts(marks) if data.hover is None else _known_hover(marks, data.hover)
    return _with_labels(marks, lane_rows, whole, focus)


def _lane_rows(marks: pd.DataFrame, label: Callable[[str], str]) -> pd.DataFrame:
    """One row per lane, top first (`marks` numbered 0.. by `lane_index`): its key, its name as shown,
    its sub-rows, and its top, height and middle in sub-row units. A lane is as tall as its name's
    lines need, so the names of neighbouring lanes never overprint."""
    rows = marks.groupby("lane_index").agg(key=("lane", "first"), rows=("sub", "max"), count=("id", "size"))
    rows["rows"] += 1
    rows["label"] = [label(key) for key in rows["key"]]
    lines = rows["label"].str.count("<br>") + 1
    rows["height"] = np.maximum(rows["rows"], lines * LANE_LINE_UNITS) + 2 * LANE_PAD
    rows["top"] = rows["height"].cumsum() - rows["height"]
    rows["middle"] = rows["top"] + rows["height"] / 2
    return rows


def _mark_y(marks: pd.DataFrame, rows: pd.DataFrame) -> pd.Series:
    """Each mark's y: its sub-row, the lane's sub-rows in the middle of the lane."""
    slack = (rows["height"] - rows["rows"]) / 2
    lane = marks["lane_index"]
    return lane.map(rows["top"]) + lane.map(slack) + 0.5 + marks["sub"]


def _with_labels(
    marks: pd.DataFrame, lane_rows: pd.DataFrame, whole: Window, focus: Window | None, plot_px: float = PLOT_PX
) -> TimelineLayout:
    """The layout of placed marks and lanes, the key-moment labels placed for both views."""
    labels, unlabelled, lines = place_every_label(marks, whole, plot_px)
    focus_labels, focus_lines = labels.iloc[:0], 1
    if focus is not None:
        focus_labels, _, focus_lines = place_every_label(marks, focus, plot_px)
    return TimelineLayout(
        marks=marks,
        lanes=lane_rows.reset_index(drop=True),
        labels=labels,
        unlabelled=unlabelled,
        whole=whole,
        focus=focus,
        tiers=_tiers(labels),
        tier_units=max(lines, focus_lines) * LINE_UNITS + 0.45,
        focus_labels=focus_labels,
        focus_tiers=_tiers(focus_labels),
    )


def drawn_in(marks: pd.DataFrame, window: Window) -> pd.Series:
    """Which marks a window draws: a day inside it, or a bar (a year, a month, a range) reaching into it."""
    return (marks["x1"] > window.start) & (marks["x0"] < window.end)


def within(placed: TimelineLayout, window: Window) -> TimelineLayout:
    """The layout of the marks drawn in `window` only: a lane with no mark there is not drawn; the
    lanes that are keep their order and are packed again, the labels placed again for both views."""
    keep = drawn_in(placed.marks, window)
    if keep.all() or not keep.any():
        return placed
    marks = placed.marks[keep].drop(columns=["sub", "y"])
    order = [key for key in placed.lanes["key"] if key in set(marks["lane"])]
    marks["lane_index"] = marks["lane"].map({key: index for index, key in enumerate(order)})
    marks = _stack(marks)
    names_of = dict(zip(placed.lanes["key"], placed.lanes["label"], strict=True))
    lane_rows = _lane_rows(marks, names_of.__getitem__)
    marks["y"] = _mark_y(marks, lane_rows)
    return _with_labels(marks, lane_rows, placed.whole, placed.focus)


NARROW_PX = 230  # the plot's width on a 390 px phone: the screen less the page's margins and lane names
NARROW_WRAP = 12  # characters per line of a lane's name on a phone


def narrow_layout(placed: TimelineLayout, plot_px: float = NARROW_PX) -> TimelineLayout:
    """The layout for a phone's width: the key-moment labels placed again in `plot_px` (no label
    overprints another there), lane names wrapped short so the plot keeps its width, and no dates
    written beside the bars (each mark's hover and details give its date)."""
    names_of = {
        key: rewrapped(label, NARROW_WRAP)
        for key, label in zip(placed.lanes["key"], placed.lanes["label"], strict=True)
    }
    marks = placed.marks.copy()
    lane_rows = _lane_rows(marks, names_of.__getitem__)  # shorter lines, more of them: taller lanes
    marks["y"] = _mark_y(marks, lane_rows)
    return replace(_with_labels(marks, lane_rows, placed.whole, placed.focus, plot_px), narrow=True)


def rewrapped(label: str, width: int) -> str:
    """An escaped, wrapped lane name wrapped again at `width` characters."""
    plain = html.unescape(label.replace("<br>", " "))
    return "<br>".join(text.escape(line) for line in textwrap.wrap(plain, width, break_long_words=False) or [""])


def _tiers(labels: pd.DataFrame) -> int:
    return int(labels["tier"].max() + 1) if not labels.empty else 0


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
        present = list(dict.fromkeys(marks.sort_values("date_order")["lane"]))
        return sorted(present, key=lambda k: (k == UNSIDED, side_rank.get(k, unknown)))
    per_lane = marks.groupby("lane").agg(
        side=("side", "first"), first=("date_start", "min"), order=("date_order", "min")
    )
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
    in date order (never row position); clusters deeper than MAX_SUBROWS wrap around."""
    marks = marks.sort_values(["lane_index", "px_lo", "date_order"], kind="stable")
    reach = marks.groupby("lane_index")["px_hi"].cummax()
    previous = reach.groupby(marks["lane_index"]).shift()
    new_cluster = previous.isna() | (marks["px_lo"] > previous)
    marks["cluster"] = new_cluster.cumsum()
    # Labelled marks go on top of their cluster, so a leader line meets its own mark first.
    marks["unlabelled"] = marks["label"] == ""
    marks = marks.sort_values(["cluster", "unlabelled", "px_lo", "date_order"], kind="stable")
    marks["sub"] = marks.groupby("cluster").cumcount() % MAX_SUBROWS
    return marks.drop(columns=["cluster", "unlabelled"])


def date_widths(dates: pd.Series, font: float = DATE_FONT) -> pd.Series:
    """Each date's text ("March 2025") measured at `font` px."""
    return dates.map(lambda d: text.text_width(str(d), font)).astype(float)


def wrap_label(label: str) -> list[str]:
    """A label's lines, each at most LABEL_WRAP_PX wide at LABEL_FONT."""
    return text.wrap_to_width(label, LABEL_FONT, LABEL_WRAP_PX) or [label]


def label_width(lines: Sequence[str]) -> float:
    """The width of a label's box in placement pixels: its widest line at LABEL_FONT and its padding."""
    return max(text.text_width(line, LABEL_FONT) for line in lines) + LABEL_PAD


def mark_labels(marks: pd.DataFrame) -> pd.Series:
    """A label for every mark: the key moment's own where the curator gave one, else who the event
    links, as the dataset names them ("Elmer Canales Rivera → Mexico"; its subject alone where that
    takes more than three lines): no claim the statement does not make (its mark's shape still says
    how sure it is)."""
    subject = marks["subject"].map(names.display_name)
    obj = marks["object"].fillna("").astype(str).map(lambda o: names.display_name(o) if o else "")
    linked = (subject + " → " + obj).where(obj != "", subject)
    linked = linked.where(linked.map(lambda t: len(wrap_label(t)) <= 3), subject)  # at most three lines, or who
    return marks["label"].where(marks["label"] != "", linked)


def place_labels(
    marks: pd.DataFrame, view: Window, plot_px: float = PLOT_PX, more: pd.DataFrame | None = None,
    max_tier: int = MAX_TIERS,
) -> tuple[pd.DataFrame, tuple[str, ...], int]:  # fmt: skip
    """Choose each key-moment label's tier, anchor and the point where its leader meets it (`label_x`),
    for one view. Leaders fan out: a label may sit beside its mark's date rather than over it, so
    labels of events that bunch stay apart, their leaders at least LEADER_GAP pixels apart and in the
    order of their marks (so no two cross). Returns the placed labels, the ids that found no room
    (none unless there are more than MAX_TIERS tiers of labels at one spot), and the most lines a
    label takes. `plot_px`: the width the view is drawn at, in the placement's pixels.

    `more`: marks to label besides the key moments, most important first, their text in "label":
    each placed after the key moments where it fits below `max_tier` under the same rules (no two
    labels overlap, no leader crosses a label, leaders apart and in order), else left unlabelled
    (not counted in the ids returned)."""
    keyed = marks[(marks["label"] != "") & marks["x"].between(view.start, view.end)].sort_values(["x", "date_order"])
    columns = ["id", "x", "y", "label_x", "text", "anchor", "tier", "lines"]
    more = more[more["x"].between(view.start, view.end)] if more is not None else marks.iloc[:0]
    if keyed.empty and more.empty:
        return pd.DataFrame(columns=columns), (), 1
    span = (view.end - view.start).value

    def candidate(row) -> dict:
        wrapped = wrap_label(row.label)
        width = label_width(wrapped)
        at = (row.x - view.start).value / span * plot_px
        label = {"id": row.id, "x": row.x, "y": row.y, "lines": len(wrapped), "width": width, "at": at}
        label["text"] = "<br>".join(text.escape(line) for line in wrapped)
        label["preferred"] = _anchor(at, width, plot_px)
        return label

    key = [candidate(row) for row in keyed.itertuples()]
    extra = [dict(candidate(row), extra=True) for row in more.itertuples()]
    placed, unlabelled = _place_in_order(key, plot_px)
    if extra:
        # The other marks placed with the key moments, in the same order, where that leaves every key
        # moment labelled as before; else after them, most important first, where they fit.
        together, left_out = _place_in_order(key + extra, plot_px, max_tier)
        if set(left_out) <= set(unlabelled):
            placed, unlabelled = together, left_out
        else:
            for label in extra:
                if _clear_of_leaders(label, placed):
                    spot = _first_fit(label, placed, plot_px, max_tier=max_tier)
                    if spot is not None:
                        placed.append({**label, **spot})
    for label in placed:
        # Whole seconds: Plotly drops anything finer, with a warning.
        label["label_x"] = (view.start + pd.Timedelta(nanoseconds=int(label["leader"] / plot_px * span))).floor("s")
    placed.sort(key=lambda c: (c["x"], c["tier"]))
    frame = pd.DataFrame(placed, columns=columns)
    return frame[columns], tuple(unlabelled), int(frame["lines"].max()) if placed else 1


def _place_in_order(candidates: list[dict], plot_px: float, max_tier: int = MAX_TIERS) -> tuple[list[dict], list[str]]:
    """Place labels greedily in the order that keeps leaders apart: text runs away from its leader,
    so a label whose text runs right of its leader goes below the labels to its right, their leaders
    passing beside it, not through it (and the mirror image). A candidate marked `extra` (not a key
    moment) is placed below `max_tier` or not at all, and never over or under a labelled mark (their
    leaders would run down one line); the ids of the key moments left without room are returned."""
    ordered = sorted(
        candidates, key=lambda c: (c["preferred"] != "left", -c["at"] if c["preferred"] == "left" else c["at"])
    )
    placed: list[dict] = []
    unlabelled: list[str] = []
    for index, label in enumerate(ordered):
        extra = label.get("extra", False)
        if extra and not _clear_of_leaders(label, placed):
            continue
        # Room for the leaders still to come either side: they keep the marks' order.
        later = [c for c in ordered[index + 1 :] if not c.get("extra")]
        room = (
            LEADER_GAP * sum(c["at"] < label["at"] - 0.5 for c in later),
            plot_px - LEADER_GAP * sum(c["at"] > label["at"] + 0.5 for c in later),
        )
        spot = _first_fit(label, placed, plot_px, room, max_tier if extra else MAX_TIERS)
        if spot is None:
            if not extra:
                unlabelled.append(label["id"])
            continue
        placed.append({**label, **spot})
    return placed, unlabelled


def _clear_of_leaders(label: dict, placed: list[dict]) -> bool:
    """Whether a mark is far enough beside every labelled mark that their leaders stay apart."""
    return all(abs(label["at"] - other["at"]) >= LEADER_GAP for other in placed)


def place_every_label(
    marks: pd.DataFrame, view: Window, plot_px: float = PLOT_PX, more: pd.DataFrame | None = None,
    max_tier: int = MAX_TIERS,
) -> tuple[pd.DataFrame, tuple[str, ...], int]:  # fmt: skip
    """`place_labels`, none left out where any width can hold them: the greedy placement can corner
    a label at one width (leaders kept in order at the plot's edge), so it is placed again as if the
    plot were a little narrower, which only adds room when drawn. The widest placement that labels
    them all; else the first. More than RETRY_UNLABELLED left out is a real overflow (more tiers of
    labels than fit), which narrower placements cannot cure: no retry, so big datasets stay fast."""
    first = place_labels(marks, view, plot_px, more, max_tier)
    if not first[1] or len(first[1]) > RETRY_UNLABELLED:
        return first
    for factor in np.linspace(0.95, 0.5, 10):
        placed = place_labels(marks, view, plot_px * factor, more, max_tier)
        if not placed[1]:
            return placed
    return first


def _first_fit(
    label: dict, placed: list[dict], plot_px: float, room: tuple[float, float] | None = None, max_tier: int = MAX_TIERS
) -> dict | None:
    """The cheapest spot that fits, its leader within `room` (default: the plot), below `max_tier`:
    each tier up costs as much as TIER_COST pixels of shift; then the preferred anchor first."""
    anchors = [label["preferred"]] + [a for a in ("center", "left", "right") if a != label["preferred"]]
    low, high = room or (0, plot_px)
    for tier, shift in SPOTS:
        if tier >= max_tier:
            continue
        leader = label["at"] + shift
        if not low <= leader <= high:
            continue
        for anchor in anchors:
            left = _text_left(leader, label["width"], anchor)
            spot = {"tier": tier, "leader": leader, "anchor": anchor, "box": (left, left + label["width"])}
            if left >= 0 and left + label["width"] <= plot_px and _fits(label, spot, placed):
                return spot
    return None


def _text_left(leader: float, width: float, anchor: str) -> float:
    return {
        "left": leader + LEADER_CLEARANCE,
        "right": leader - width - LEADER_CLEARANCE,
        "center": leader - width / 2,
    }[anchor]


def _anchor(at: float, width: float, plot_px: float) -> str:
    """Centred over the leader when the text fits inside the plot so; else running away from the edge."""
    if at - width / 2 >= 0 and at + width / 2 <= plot_px:
        return "center"
    return "left" if at < plot_px / 2 else "right"


def _fits(label: dict, spot: dict, placed: list[dict]) -> bool:
    """No overlap with labels on the same tier, no text crossing a leader, leaders apart and in the
    order of their marks."""
    gap = 8  # between two labels on one tier
    mine, leader, tier = spot["box"], spot["leader"], spot["tier"]
    for other in placed:
        theirs = other["box"]
        if other["tier"] == tier and mine[0] < theirs[1] + gap and theirs[0] < mine[1] + gap:
            return False
        # A leader runs from its label down through every lower tier.
        if other["tier"] < tier and theirs[0] - 2 < leader < theirs[1] + 2:
            return False
        if other["tier"] > tier and mine[0] - 2 < other["leader"] < mine[1] + 2:
            return False
        if abs(leader - other["leader"]) < LEADER_GAP:
            return False
        apart = label["at"] - other["at"]
        if abs(apart) > 0.5 and apart * (leader - other["leader"]) < 0:
            return False
    return True


def broken_axis(placed: TimelineLayout) -> tuple[Window, Window] | None:
    """Focus and context for a published timeline: when every event outside the focus window comes
    well before it (a quarter of the span or more of empty axis between), a context window over
    those events and the focus window, to draw side by side on a broken axis. None otherwise."""
    focus, marks = placed.focus, placed.marks
    if focus is None:
        return None
    outside = marks[~marks["x"].between(focus.start, focus.end)]
    if outside.empty or (outside["x"] > focus.end).any():
        return None
    # A closed bar that runs into the focus window (January to March) would be cut by the break with
    # its mark in neither panel: the focus panel starts early enough to hold its mark.
    open_end = outside["date_open"] == "end" if "date_open" in outside else False
    crossing = outside[(outside["x1"] > focus.start) & ~open_end]
    if not crossing.empty:
        start = min(crossing["x"].min() - (focus.end - focus.start) * 0.1, focus.start)
        last = focus.end - pd.Timedelta(days=1)
        focus = Window(start, focus.end, f"{start:%-d %B} to {last:%-d %B %Y}")
        outside = marks[~marks["x"].between(focus.start, focus.end)]
        if outside.empty:  # the widened focus holds every mark: one axis shows it all
            return None
        open_end = outside["date_open"] == "end" if "date_open" in outside else False
    # An open end ("2022/..") runs to the edge by design: the context ends with its known bound's
    # period (its mark sits in the middle of it), and its bar carries on in the focus panel.
    context_end = outside["x1"].where(~open_end, outside["x"] + (outside["x"] - outside["x0"])).max()
    if context_end >= focus.start or focus.start - context_end < (placed.whole.end - placed.whole.start) / 4:
        return None
    start = placed.whole.start
    return Window(start, context_end + (context_end - start) * 0.05, "Before"), focus


# The label band's geometry in y units, shared by the Plotly figure and the story page's SVG.


def tier_count(labels: pd.DataFrame) -> int:
    return int(labels["tier"].max() + 1) if not labels.empty else 0


def lanes_bottom(placed: TimelineLayout) -> float:
    lanes = placed.lanes
    return float(lanes["top"].iloc[-1] + lanes["height"].iloc[-1])


def leader_path(labels: pd.DataFrame, placed: TimelineLayout) -> tuple[list, list]:
    """Each leader as one polyline: up from its mark to the top of the lanes, across the fan band to
    where its label sits, and up to the label's tier."""
    xs: list = []
    ys: list = []
    for label in labels.itertuples():
        xs += [label.x, label.x, label.label_x, label.label_x, None]
        ys += [label.y - 0.4, -0.15, -FAN_UNITS, tier_bottom(label.tier, placed), None]
    return xs, ys


def tier_bottom(tier: int, placed: TimelineLayout) -> float:
    return -(FAN_UNITS + 0.15) - placed.tier_offset(tier)


def band_top(tiers: int, placed: TimelineLayout) -> float:
    return -(FAN_UNITS + 0.15 + placed.tier_offset(tiers))
