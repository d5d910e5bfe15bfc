"""What the timeline draws, in words: how the statements shown split into dated events on the chart,
undated events listed below it and profiles, and what a zoomed view leaves out. Plain text (the page
escapes it)."""

from __future__ import annotations

import pandas as pd

from dashboard.dataset.model import dated, events, undated
from dashboard.views.timeline.placement import TimelineLayout, drawn_in


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def what_is_drawn(statements: pd.DataFrame) -> str:
    """Why the chart holds fewer marks than the statements shown: "Of these 114 statements, 29 are
    dated events, drawn on the chart; 36 are events the source gives no date for, listed below it;
    49 describe who someone is rather than an event (they are in the network and the case table)."."""
    happened = events(statements)
    parts = [
        f"{len(dated(happened))} {'is a dated event' if len(dated(happened)) == 1 else 'are dated events'}, "
        "drawn on the chart",
        f"{len(undated(happened))} {'is an event' if len(undated(happened)) == 1 else 'are events'} the source "
        "gives no date for, listed below it",
    ]
    profiles = len(statements) - len(happened)
    if profiles:
        parts.append(
            f"{profiles} {'describes' if profiles == 1 else 'describe'} who someone is rather than an event "
            "(a role, a membership)"
        )
    return f"Of these {_count(len(statements), 'statement', 'statements')}, " + "; ".join(parts) + "."


def outside_window(placed: TimelineLayout, shown: str) -> str:
    """What a focused view leaves out, and how to see it: "16 of the 30 dated events are drawn in
    March 2025 (5 of them as bars of longer periods that reach into it); the 14 others, from 2021 to
    2025, are one click away: choose “Whole span”." Empty for the whole span. Counts what the view
    draws: a day inside the window, or a bar reaching into it."""
    focus = placed.focus
    if focus is None or shown != focus.label:
        return ""
    marks = placed.marks
    inside = drawn_in(marks, focus)
    others = marks[~inside]
    if others.empty:
        return ""
    first, last = others["x"].min().year, others["x"].max().year
    years = str(first) if first == last else f"{first} to {last}"
    bars = int((inside & ~marks["x"].between(focus.start, focus.end)).sum())
    reach = f" ({bars} of them as bars of longer periods that reach into it)" if bars else ""
    return (
        f"{int(inside.sum())} of the {len(marks)} dated events are drawn in {focus.label}{reach}; "
        f"the {len(others)} others, from {years}, are one click away: choose “{placed.whole.label}”."
    )
