"""Timeline: every dated event at its real precision, the undated ones by id, and
the details of the event a reader clicks."""

from functools import partial

import streamlit as st

from dashboard import names, style, wording
from dashboard.app import chart, export_panel, ui, viewcache
from dashboard.dataset import model
from dashboard.derive import describe, links, selection
from dashboard.derive.context import Options
from dashboard.exports import story
from dashboard.views import timeline

INTRO = "What happened when, and on whose word. Click a mark for its quote and its source."
# How to read the marks: below the chart, for whoever wants it (the chart's own key names them too).
HOW_TO_READ = (
    "Each mark is one event or remark, placed at the precision the source gives its date: a bar for a "
    "year, a month or a range of dates (hatched to the edge when the source gives no end), a hollow mark "
    "for a date the source only implies, with a dot inside when the source prints the day and month and "
    "only the year is inferred. Colours: the side of the statement's subject (a palette safe for colour "
    "blindness). Shapes: "
    + ", ".join(f"{style.CERTAINTY_SYMBOL[c].replace('-', ' ')} = {c}" for c in style.CERTAINTY_SYMBOL)
    + ". Certainty is never shown by colour alone. Events without a date are listed below the chart, in "
    "the order the source tells them."
)
# The lanes, range and dated-table keys are also URL parameters (bind="query-params"): a link shows the view.
LANES_KEY, RANGE_KEY, CHART_KEY, TABLE_KEY = "lanes", "range", "timeline_chart", "timeline_undated"
DENSITY_KEY, DATED_KEY = "timeline_density", "timeline_dated"
SHOWN_KEY = "timeline_details_shown"  # the statement whose panel was last brought into view
# Brings the details panel into view where it is not (on a phone it sits below the chart). A constant
# script: no data reaches it.
SCROLL_TO_DETAILS = """<script>
setTimeout(function () {
  var panel = document.querySelector(".st-key-timeline_details");
  if (panel) { panel.scrollIntoView({block: "nearest", behavior: "smooth"}); }
}, 150);
</script>"""
WHOLE_SPAN = "Whole span"
TOP_PX = 85  # the chart's top margin on the page: the modebar and the colour legend
NARROW_TOP_PX = 150  # on a phone the colour legend wraps onto three or four lines
NARROW_KEY = "timeline_chart_narrow"
# Presentation mode: type readable from the back of a room, the plot sized for a 1920×1080 projector.
PRESENT_FONT = 18
PRESENT_PAPER = timeline.Paper(width=1450, height=590, font=PRESENT_FONT)
PRESENT_MARGIN = dict(l=10, r=20, t=60, b=150)
NARROW_MARKS = 400  # past this many marks one chart serves every width: two would double the drawing
NARROW_CSS = """<style>
@media (max-width: 640px) { .st-key-timeline_wide { display: none !important; } }
@media (min-width: 641px) { .st-key-timeline_narrow { display: none !important; } }
</style>"""


@st.cache_resource(max_entries=2, show_spinner=False)
def hover_texts(version: tuple, _statements, _derived):
    """Every dated event's hover text, once per dataset version (and kept on disk with it): writing
    them was most of the cost of a rerun (0.1 s at 10,000 statements, 1 s at 100,000). Shared, never mutated."""
    return timeline.kept_hover_texts(_statements, _derived)


context = ui.page_header("Timeline", INTRO, view="timeline")
events = model.events(context.statements)
# What is drawn and the chart's description, in words: the same for every reader of these filters.
drawn_words, description = viewcache.shared(
    "timeline-words",
    context,
    (),
    lambda: (timeline.what_is_drawn(context.statements), describe.timeline(context.statements)),
)
st.caption(ui.escape_markdown(drawn_words))
shown = ui.escape_markdown


def show_window(figure, shown: str, window: list[str], top_px: int) -> None:
    """Show one window of the figure: its own placement of the key-moment labels (what the replaced
    zoom button would have applied: leaders, annotations, ranges, height), without the buttons."""
    for button in figure.layout.updatemenus[0].buttons if figure.layout.updatemenus else ():
        if button.label == shown and button.method == "update":
            traces, layout, indices = button.args
            figure.plotly_restyle(traces, list(indices))
            figure.plotly_relayout(layout)
    figure.layout.updatemenus = ()
    # Without the zoom buttons the top margin holds only the modebar and the colour legend.
    figure.update_layout(height=figure.layout.height - (figure.layout.margin.t - top_px), margin_t=top_px)
    figure.layout.uirevision = f"{figure.layout.uirevision}|{shown}"  # a new range resets the zoom
    figure.update_xaxes(range=window)


def presentation_figure(placed, sides):
    """The timeline for a projector at 1920×1080: the printed chart's broken axis (the whole span on
    the left, the busy month on the right), laid out in the screen's pixels at PRESENT_FONT px type."""
    figure = timeline.draw_timeline(placed, sides, broken=True, paper=PRESENT_PAPER)
    height = PRESENT_PAPER.height + PRESENT_MARGIN["t"] + PRESENT_MARGIN["b"]
    figure.update_layout(height=height, margin=PRESENT_MARGIN, font_size=PRESENT_FONT)
    figure.update_layout(legend=dict(font_size=PRESENT_FONT, title_font_size=PRESENT_FONT, y=1 - 10 / height),
                         legend2=dict(font_size=PRESENT_FONT, title_font_size=PRESENT_FONT))  # fmt: skip
    figure.update_xaxes(tickfont_size=PRESENT_FONT)
    figure.update_yaxes(tickfont_size=PRESENT_FONT)
    return figure


def timeline_charts(placed, sides, shown: str, window: list[str], presenting: bool, selected: str | None) -> list:
    """The charts the page shows, as (figure, widget key, container key): the wide one (for a projector
    in presentation mode) opened on the `shown` window, and under NARROW_MARKS marks the phone's, the
    open event ringed in its lane. Built once per view and shared by every session
    (dashboard.app.viewcache): never mutate them."""
    # The busy month draws only the lanes that hold a mark in it: no empty lane.
    view = timeline.within(placed, placed.focus) if placed.focus and shown == placed.focus.label else placed
    if presenting:  # context and the busy month side by side, in large type
        charts = [(placed, presentation_figure(placed, sides), CHART_KEY, "timeline_wide")]
    else:
        charts = [(view, timeline.draw_timeline(view, sides), CHART_KEY, "timeline_wide")]
    if len(placed.marks) <= NARROW_MARKS:
        narrow = timeline.narrow_layout(view)
        charts.append((narrow, timeline.draw_timeline(narrow, sides), NARROW_KEY, "timeline_narrow"))
    for layout, figure, _, place in charts:
        if figure.layout.updatemenus:  # a broken axis (presentation) shows both windows already
            show_window(figure, shown, window, TOP_PX if place == "timeline_wide" else NARROW_TOP_PX)
        timeline.highlight(figure, layout, selected)
    return [(viewcache.shared_figure(figure), key, place) for _, figure, key, place in charts]


def select(statement_id: str | None) -> None:
    """The details panel shows the statement named in the URL, so a reader can share it."""
    if statement_id:
        st.query_params[timeline.EVENT_PARAM] = statement_id
    elif timeline.EVENT_PARAM in st.query_params:
        del st.query_params[timeline.EVENT_PARAM]


def on_chart_select(key: str = CHART_KEY) -> None:
    state = st.session_state.get(key)
    ids = selection.selected_ids(state.selection if state else None)
    select(ids[0] if ids else None)


def on_density_select() -> None:
    """A click on a year's (or month's) column narrows the shared date filter to it."""
    state = st.session_state.get(DENSITY_KEY)
    period = timeline.selected_period(state.selection if state else None)
    if period:
        st.session_state[ui.K_START], st.session_state[ui.K_END] = period


def statement_table(table, key: str, text_width: int = 200) -> None:
    """A table of statements; selecting a row opens that statement in the details panel."""
    ids = table["id"].tolist()

    def on_select() -> None:
        rows = st.session_state[key].selection.rows
        if rows:
            select(ids[rows[0]])

    st.dataframe(
        table.drop(columns="id"),
        key=key,
        on_select=on_select,
        selection_mode="single-row",
        hide_index=True,
        width="stretch",
        height=min(38 + 35 * len(table), 400),
        column_config={
            # Widths that fit the 1200 px layout beside the sidebar, link column included.
            "Order": st.column_config.NumberColumn(width=50),
            "Date": st.column_config.TextColumn(width=150),
            "What the source says": st.column_config.TextColumn(width=text_width),
            "About": st.column_config.TextColumn(width=110),
            "According to": st.column_config.TextColumn(width=105),
            "Certainty": st.column_config.TextColumn(width=65),
            "Source": st.column_config.LinkColumn(display_text="view in source", width=95),
        },
    )


def details(selected: str) -> None:
    """The details panel of one statement: its date, quote, source and the others about the same people."""
    statements = context.model.statements
    match = statements[statements["id"] == selected]
    with st.container(border=True, key="timeline_details"):
        top, close = st.columns([4, 1], vertical_alignment="center")
        close.button("Close", key="timeline_close", on_click=select, args=(None,), width="stretch")
        if match.empty:
            top.warning(f"No statement has the id “{shown(selected)}”.")
        else:
            row = match.iloc[0]
            title = row["label"] or row["summary"]
            top.header(f"{shown(row['date_display'])} · {shown(title)}", anchor=False)
            if selected not in set(events["id"]):
                st.warning("This statement is outside the current filters; it is not on the chart.")
            if row["date_note"]:
                st.caption(f"How the date was obtained: {shown(row['date_note'])}")
            precision_note = timeline.OPEN_NOTE.get(row["date_open"]) or timeline.PRECISION_NOTE.get(row["precision"])
            if precision_note:
                st.caption(precision_note)
            st.markdown(shown(row["summary"]))
            st.markdown("> " + shown(row["quote"]))
            certainty = wording.certainty_words(row["certainty"])
            st.markdown(
                f"{shown(wording.according_to(row['attribution']))} · certainty: **{shown(certainty)}** · "
                f"{shown(story.source_titles(context).get(row['source'], 'the source document'))} · "
                f"[view in source]({links.source_url(row['id'], context.filters)})"
            )
            if row["certainty"] == "inferred" and row["note"]:
                st.caption(f"Curator's note: {shown(row['note'])}")
            people = [names.display_name(n) for n in selection.statement_people(selected, context.model)]
            related = selection.related_statements(selected, context.statements, context.model)
            st.markdown(
                f"**Other statements about {shown(' and '.join(people) or 'the same people')}** "
                f"({len(related)} within the filters; select one to open it)"
            )
            if related.empty:
                st.caption("None within the current filters.")
            else:
                # All about the same people: the date, with "(inferred)" in full, gets the room instead.
                table = selection.statement_table(related, context.filters).drop(columns="About")
                statement_table(table, f"timeline_related_{selected}", text_width=240)
    if st.session_state.get(SHOWN_KEY) != selected:  # once per newly opened statement, not on every rerun
        st.session_state[SHOWN_KEY] = selected
        st.html(SCROLL_TO_DETAILS, unsafe_allow_javascript=True)


if events.empty:
    st.info("No event matches the filters. Widen the dates or clear a filter to see the timeline.")
    st.stop()

# One compact row of view controls above the chart; the shared filters stay in the sidebar.
show_place, lanes_place = st.columns(2, vertical_alignment="bottom")
lanes = lanes_place.radio(
    "Lanes",
    list(timeline.LANE_MODES),
    format_func=timeline.LANE_MODES.get,
    key=LANES_KEY,
    bind="query-params",
    horizontal=True,
    help="By side: one lane per side of the statement's subject. By person: one lane per subject "
    f"(the {timeline.MAX_PERSON_LANES - 1} most frequent; the rest share one lane).",
)
dated_count = len(timeline.dated(events))
dense = dated_count > timeline.DENSITY_MARKS  # too many to draw one by one: counts per period
if dense:

    def build_density():
        counts = timeline.density_counts(timeline.TimelineData(events, context.model.entities, context.sides, lanes))
        return counts, viewcache.shared_figure(timeline.draw_density(counts, context.sides, lanes))

    density, figure = viewcache.shared("timeline-density", context, lanes, build_density)
    unit = density.unit
    st.info(
        f"{dated_count:,} dated events are too many to draw one by one, so each lane shows how many fall in "
        f"each {unit}. Click a column to narrow the dates to that {unit}, or filter people or sides: at "
        f"{timeline.DENSITY_MARKS:,} events or fewer, each one is drawn at its date.",
        icon=":material/bar_chart:",
    )
    chart.plotly_chart(figure, key=DENSITY_KEY, on_select=on_density_select, config={"displaylogo": False})
    if density.coarser:
        st.caption(f"{density.coarser:,} event(s) dated only by year are not in the monthly counts.")
    ui.chart_description(description)
    export_panel.export_panel("timeline", Options(lanes=lanes), description)
elif dated_count:
    hover = hover_texts(context.version, context.model.statements, context.derived)
    placed = viewcache.shared(
        "timeline-layout",
        context,
        lanes,
        lambda: timeline.layout_timeline(
            timeline.TimelineData(events, context.model.entities, context.sides, lanes, hover)
        ),
    )
    # The figure's own zoom buttons cannot be reached with Tab and leave no trace in the URL: a
    # radio bound to the URL replaces them and sets the range the chart opens on.
    # The busiest month first: the story's dense days get room; the whole span is one click away.
    windows = {w.label: w.range for w in (placed.focus, placed.whole) if w is not None}
    if st.session_state.get(RANGE_KEY) not in windows:
        st.session_state.pop(RANGE_KEY, None)
    shown_range = show_place.radio(
        "Show", list(windows), key=RANGE_KEY, bind="query-params", horizontal=True,
        help="The busiest month, where the events bunch, or the whole span of the dated events. "
        "Drag across the chart to zoom further.",
    )  # fmt: skip
    selected = st.query_params.get(timeline.EVENT_PARAM)
    # The details open beside the chart, where the reader clicked (below it on a phone).
    presenting = ui.presenting()
    beside = selected and not presenting  # a projector shows the chart alone
    chart_place, details_place = st.columns([3, 2]) if beside else (st.container(), None)
    # A phone gets a chart laid out for its width (labels placed in its pixels, lane names wrapped
    # short); the browser shows one of the two by the screen's width (NARROW_CSS). For a projector:
    # context and the busy month side by side, in large type.
    charts = viewcache.shared(
        "timeline-charts",
        context,
        (lanes, shown_range, presenting, selected),
        lambda: timeline_charts(placed, context.sides, shown_range, windows[shown_range], presenting, selected),
    )
    if len(charts) > 1:
        chart_place.html(NARROW_CSS)
    for figure, key, place in charts:
        with chart_place.container(key=place):
            chart.plotly_chart(
                figure,
                key=key,
                on_select=partial(on_chart_select, key),
                # The camera would save the chart without its source line and credit: use the export panel.
                config={"displaylogo": False, "modeBarButtonsToRemove": ["toImage"]},
            )
    if details_place is not None:
        with details_place:
            details(selected)
    outside = timeline.outside_window(placed, shown_range)
    st.caption(ui.escape_markdown(outside) if outside else "")
    st.caption(
        "Hover a mark for its quote; click it, or select its row in the table below, for its details. "
        "Drag across the chart or the slider under it to zoom."
    )
    if placed.unlabelled:
        st.caption(f"{len(placed.unlabelled)} key moment(s) had no room for a label; their marks are drawn.")
    ui.chart_description(description)
    export_panel.export_panel("timeline", Options(lanes=lanes), description)
else:
    st.info("No event in the filters has a date; the undated ones are listed below.")

selected = st.query_params.get(timeline.EVENT_PARAM)
if selected and (dense or not dated_count):
    details(selected)  # no chart to sit beside

if dated_count:
    # The keyboard's and screen reader's way to the dated events: a row opens its details.
    st.header("Dated events", anchor=False)
    dated_rows = timeline.dated(events).sort_values("date_order")
    st.caption(f"{len(dated_rows)} event(s) in date order. Select a row to see its details.")
    statement_table(selection.statement_table(dated_rows, context.filters), DATED_KEY)

st.header("Undated events", anchor=False)
table = selection.undated_table(events, context.filters)
if table.empty:
    excluded = not context.filters.include_undated
    st.caption("Undated statements are excluded by the filter." if excluded else "Every event in the filters is dated.")
else:
    st.caption(
        f"{len(table)} event(s) the source gives no date for, in the order the source tells them. "
        "They are not on the chart. Select a row to see its details."
    )
    statement_table(table, TABLE_KEY)

with st.expander("How to read the timeline"):
    st.markdown(HOW_TO_READ)

export_panel.take_out_panel(Options(lanes=lanes), key="timeline_take_out")
