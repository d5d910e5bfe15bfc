"""The timeline: each dated event is one mark at its real date precision; undated events are listed
in the order the source tells them. Pure pandas and Plotly: no Streamlit here. Five rooms:

- `placement`: `TimelineData` (what a timeline is drawn from) and `layout_timeline`, which puts every
  mark in a lane and sub-row and every key-moment label on a tier, as a typed `TimelineLayout`.
- `hover`: the escaped hover text of each event.
- `figure`: `draw_timeline`, the Plotly figure of a layout (`timeline_figure` does both steps).
- `words`: what is drawn, in words (how the statements shown split into marks, rows and profiles).
- `density`: past DENSITY_MARKS events, `density_counts` per lane and period (a typed
  `DensityCounts`) and `draw_density`, their figure (`density_figure` does both steps).

How the figure stays honest and readable:
- Lanes run top to bottom, one per side of the statement's subject, or one per subject.
- A year- or month-only date, or a range between two dates, is a translucent bar over the whole period
  with its mark in the middle and the date as given ("2021") beside it, never a point on January 1.
  An open interval ("2022/..": on or after 2022) is a hatched bar from its bound to the edge of the
  whole span, with an arrowhead there, its mark where the bound alone would be ("2022 or later").
- Colour is the subject's side; the mark's shape is the certainty; a hollow mark is a date the
  source only implies, hollow with a dot a date whose year alone is inferred. Two legends explain all.
- Past WEBGL_MARKS dated events the same marks and bars are drawn with WebGL.
- Key moments are labelled above the lanes with leader lines that fan out where events bunch, never
  crossing or merging, placed for the whole-span and for the focus (densest month) view; a printed
  timeline (`broken=True`) breaks its axis into context and focus when the events crowd one month.
"""

from dashboard.dataset.model import dated, undated
from dashboard.views.timeline.density import (
    DENSITY_MARKS,
    DensityCounts,
    density_counts,
    density_figure,
    draw_density,
    selected_period,
)
from dashboard.views.timeline.figure import (
    EVENT_PARAM,
    EVENT_TRACE,
    WEBGL_MARKS,
    Paper,
    draw_timeline,
    highlight,
    timeline_figure,
)
from dashboard.views.timeline.hover import INFERENCE_NOTE, OPEN_NOTE, PRECISION_NOTE, hover_texts
from dashboard.views.timeline.placement import (
    LABEL_CHOICES,
    LANE_MODES,
    MAX_PERSON_LANES,
    NARROW_PX,
    OTHERS_LANE,
    PLOT_PX,
    UNSIDED,
    TimelineData,
    TimelineLayout,
    Window,
    drawn_in,
    focus_window,
    kept_hover_texts,
    layout_timeline,
    narrow_layout,
    subject_sides,
    whole_window,
    within,
)
from dashboard.views.timeline.words import outside_window, what_is_drawn

__all__ = [
    "DENSITY_MARKS",
    "EVENT_PARAM",
    "EVENT_TRACE",
    "LABEL_CHOICES",
    "LANE_MODES",
    "MAX_PERSON_LANES",
    "NARROW_PX",
    "OTHERS_LANE",
    "PLOT_PX",
    "INFERENCE_NOTE",
    "OPEN_NOTE",
    "PRECISION_NOTE",
    "UNSIDED",
    "WEBGL_MARKS",
    "DensityCounts",
    "Paper",
    "TimelineData",
    "TimelineLayout",
    "Window",
    "drawn_in",
    "dated",
    "density_counts",
    "density_figure",
    "draw_density",
    "highlight",
    "draw_timeline",
    "focus_window",
    "hover_texts",
    "kept_hover_texts",
    "layout_timeline",
    "narrow_layout",
    "selected_period",
    "subject_sides",
    "timeline_figure",
    "undated",
    "whole_window",
    "within",
    "outside_window",
    "what_is_drawn",
]
