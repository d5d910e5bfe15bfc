"""One look for every chart: colour-blind-safe side colours, certainty marks, typography.

Colours follow the Okabe–Ito palette, designed to stay distinct for the common forms of colour
blindness. Certainty is never carried by colour alone: each has its own marker and line dash.
"""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

# Certainty without colour (marker symbols, line dashes) and its labels: one table, in vocabulary.
from dashboard.vocabulary import CERTAINTY_DASH as CERTAINTY_DASH
from dashboard.vocabulary import CERTAINTY_LABEL as CERTAINTY_LABEL
from dashboard.vocabulary import CERTAINTY_SYMBOL as CERTAINTY_SYMBOL
from dashboard.vocabulary import CERTAINTY_VIS_DASHES as CERTAINTY_VIS_DASHES

# Fonts that exist on these machines (and in kaleido's Chromium); Arial and Helvetica elsewhere.
FONT_FAMILY = "Liberation Sans, Arial, Helvetica, sans-serif"
TEXT = "#1f1f1f"
MUTED = "#5c5c5c"
GRID = "#e6e6e6"
BACKGROUND = "#ffffff"
NEUTRAL = "#8c8c8c"  # "Other", and anything without a side

OKABE_ITO = ("#0072B2", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#E69F00", "#000000", "#F0E442")
NEUTRAL_SIDES = ("Other", "")


def side_colours(sides: Sequence[str]) -> dict[str, str]:
    """A colour per side, in the order given; "Other" and blanks are grey."""
    colours: dict[str, str] = {}
    palette = iter(OKABE_ITO)
    for side in sides:
        if side in colours:
            continue
        colours[side] = NEUTRAL if side in NEUTRAL_SIDES else next(palette, NEUTRAL)
    colours.setdefault("", NEUTRAL)
    return colours


def template() -> go.layout.Template:
    """The Plotly template every chart starts from: light background, one typeface."""
    return go.layout.Template(
        layout=go.Layout(
            font=dict(family=FONT_FAMILY, size=14, color=TEXT),
            paper_bgcolor=BACKGROUND,
            plot_bgcolor=BACKGROUND,
            colorway=list(OKABE_ITO),
            hoverlabel=dict(
                font=dict(family=FONT_FAMILY, size=13), bgcolor="#ffffff", bordercolor="#999999", align="left"
            ),
            xaxis=dict(gridcolor=GRID, linecolor="#bbbbbb", zeroline=False, ticks="outside"),
            yaxis=dict(gridcolor=GRID, linecolor="#bbbbbb", zeroline=False),
            legend=dict(bgcolor="rgba(255,255,255,0.9)", font=dict(size=13)),
            margin=dict(l=20, r=20, t=40, b=20),
        )
    )


def legend_entry(name: str, legend: str = "legend", **trace) -> go.Scatter:
    """A trace that draws nothing and only shows in a legend: a key to colours, shapes or lines.
    `name` is shown as HTML, so pass text from the dataset escaped."""
    return go.Scatter(x=[None], y=[None], name=name, legend=legend, hoverinfo="skip", **trace)
