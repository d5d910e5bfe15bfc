"""Streamlit glue shared by the pages: loading the dataset once per file version, the sidebar
filters kept in the URL, and the context each page reads.

Only this module, the entry point and the pages import Streamlit.
"""

from __future__ import annotations

import argparse
import gc
import os
import re
import sys
from datetime import date, datetime
from functools import partial
from pathlib import Path

import pandas as pd
import streamlit as st
import streamlit.delta_generator

from dashboard.app.chart import CHART_CLASS
from dashboard.dataset import cache
from dashboard.dataset.cache import Derived, Loaded
from dashboard.dataset.model import Model
from dashboard.dataset.schema import BUNDLED_DATA, CERTAINTIES
from dashboard.dataset.sources import find_seeds_dir
from dashboard.dataset.validation import CheckedDataset
from dashboard.derive import filters as flt
from dashboard.derive.choices import EntityChoices, choices_of, kept_choices
from dashboard.derive.context import Context, side_options
from dashboard.exports import frame as framing
from dashboard.exports import publish
from dashboard.text import escape_markdown as escape_markdown

# On the first element a process draws, Streamlit checks that it is not run from a REPL, to print a
# hint: `inspect.stack()`, which reads the source of every frame and maps every loaded module to its
# file (0.08–0.14 s on a restarted server's first page). The app only runs under `streamlit run`.
# Private: Streamlit has no setting for it (tests/test_restart.py fails if the flag stops working).
streamlit.delta_generator._use_warning_has_been_displayed = True

ENV_VAR = "DASHBOARD_DATA"
TABLE_ROW_PX = 35  # st.dataframe's row height (the header is as tall), set so a browser test can find a row
# Statements a list shows before a toggle shows the others: each is a bordered card of several elements for the
# browser to draw, and at 1,000 statements one man has 45 of them (0.2 s of the page's first draw).
LISTED_FIRST = 20
PAGES_DIR = Path(__file__).resolve().parent / "pages"

# Widget keys of the shared filters.
K_PEOPLE, K_START, K_END, K_SIDES, K_CERTAINTIES, K_UNDATED = (
    "filter_people",
    "filter_start",
    "filter_end",
    "filter_sides",
    "filter_certainties",
    "filter_undated",
)
_INITIALISED, _NOTICES, _CONTEXT = "_filters_initialised", "_filter_notices", "_context"
_DATE_NOTICE = "_date_order_notice"
# The dates are typed: Streamlit's date_input opens its calendar whenever the field gets focus, and the
# calendar then covers the filters below it for a reader moving with Tab. K_START and K_END keep the dates.
K_START_TEXT, K_END_TEXT, _DATE_SHOWN, _DATE_ERRORS = (
    "filter_start_text",
    "filter_end_text",
    "_date_shown",
    "_date_errors",
)
_DATE_TEXT = {K_START: K_START_TEXT, K_END: K_END_TEXT}
K_PRESENT, PRESENT_PARAM = "presentation_mode", "present"
# Presentation mode shows the title, the chart and its source line, and nothing else: every part of the
# page without one of these inside is hidden (display: none also takes it out of the Tab order). Widgets
# still run while hidden, so the filters and the view keep their values.
_KEEP = (
    f'h1, .{CHART_CLASS}, [data-testid="stPlotlyChart"], [data-testid="stIFrame"], [data-testid="stHtml"], '
    '[data-testid="stMetric"], .st-key-cases_table, [class*="st-key-present_"], .st-key-exit_presentation'
)
_PRESENTATION_CSS = f"""<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"] {{ display: none !important; }}
[data-testid="stMainBlockContainer"] {{ padding-top: 2rem !important; }}
[data-testid="stMain"] [data-testid="stVerticalBlock"]:not([class*="st-key-present_"])
  > :not(:has({_KEEP})):not({_KEEP}) {{
  display: none !important;
}}
[class*="st-key-present_"] p {{ font-size: 1.35rem !important; }}
.{CHART_CLASS} .modebar-container, .{CHART_CLASS} .updatemenu-container,
[data-testid="stPlotlyChart"] .modebar-container, [data-testid="stPlotlyChart"] .updatemenu-container {{
  display: none !important;
}}
</style>"""


# Readable by everyone (WCAG AA, checked by axe-core in tests/browser/test_access_browser.py).
# Streamlit fades captions and quotes with opacity 0.6 (#828180 on white, 3.9:1; links in them 3.0:1) and
# the labels of disabled widgets to 2.3:1: solid greys of 5.5:1 or more on white and on the sidebar's grey.
# Page links get a focus ring of their own, so keyboard focus does not look like hover.
# (The selectors are Streamlit 1.67's data-testids; tests/browser/test_access_browser.py checks them.)
_ACCESS_CSS = """<style>
[data-testid="stCaptionContainer"], [data-testid="stMarkdownContainer"] blockquote {
  opacity: 1 !important; color: #5f5d5a;
}
[data-testid="stWidgetLabel"][disabled], [data-testid="stWidgetLabel"][disabled] p { color: #6b6965 !important; }
/* Page links in the page wrap on a phone instead of being cut off with an ellipsis. */
[data-testid="stMain"] [data-testid="stPageLink-NavLink"] span,
[data-testid="stMain"] [data-testid="stPageLink-NavLink"] p { white-space: normal !important; }
/* The story first: less empty room above the title, so the chart starts on the first screen. */
[data-testid="stMainBlockContainer"] { padding-top: 3.5rem; }
[data-testid="stMain"] h1 { padding-top: 0.5rem; }
[data-testid="stSidebarNavLink"]:focus-visible, [data-testid="stPageLink-NavLink"]:focus-visible,
[data-testid="stSkipToContent"]:focus-visible {
  outline: 3px solid #244fb4 !important; outline-offset: 2px; box-shadow: 0 0 0 5px #ffffff;
}
</style>"""


def given_path() -> Path:
    """`--data PATH` after `--` on the streamlit command line, else $DASHBOARD_DATA, else the bundled data."""
    parser = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    parser.add_argument("--data")
    args, _ = parser.parse_known_args(sys.argv[1:])
    return Path(args.data or os.environ.get(ENV_VAR) or BUNDLED_DATA).expanduser().resolve()


def dataset_path() -> Path:
    """The statements CSV to read: the given path, or the CSV inside a data package zip (python -m
    dashboard export statements --format datapackage). A damaged zip raises PackageError, which
    build_context shows in one line, as the command line does."""
    from dashboard.dataset.package import open_dataset

    return open_dataset(given_path())


def _fingerprint(path: Path) -> str:
    """Changes whenever the CSV, its datapackage, a source document or the checking code changes:
    the status digest the disk cache remembers its key under. A short digest, not the stamps
    themselves: Streamlit hashes a cache key on every call, and hashing 250 documents' stamps took
    30-50 ms of each page run at 100,000 statements."""
    return cache.dataset_status(path, _label(path))


@st.cache_resource(show_spinner="Checking the dataset…", max_entries=4)
def _load(path: str, fingerprint: str) -> Loaded:
    """Check and model a dataset once per file version; frames are shared, never mutated.
    Kept on disk too (dashboard.dataset.cache), so a restarted server does not check it again.
    What is in memory once it is loaded (modules, the dataset) lives as long as the server: frozen
    out of the garbage collector's scans, so a collection looks at what sessions made since."""
    loaded = cache.load(Path(path), label=_label(Path(path)))
    gc.collect()
    gc.freeze()
    return loaded


def _label(path: Path) -> str:
    """How the app names the dataset's CSV: relative to the folder that holds it and its seeds/
    ("data/statements.csv"), never as an absolute server path."""
    return str(path.relative_to(_dataset_root(path))) if path.is_absolute() else str(path)


def _dataset_root(path: Path) -> Path:
    """The folder problems are named relative to: the one holding seeds/ (or the CSV's own)."""
    seeds = find_seeds_dir(path)
    return seeds.parent if seeds.is_dir() else path.parent


def dataset_version() -> tuple[str, str]:
    """The dataset's path and fingerprint: what `_load` and other per-dataset caches are keyed by."""
    path = dataset_path()
    return str(path), _fingerprint(path)


def load() -> tuple[CheckedDataset, Model | None]:
    dataset, model, _ = _load(*dataset_version())
    return dataset, model


@st.cache_resource(max_entries=4)
def _cached_choices(version: tuple, _model: Model, _derived: Derived) -> EntityChoices:
    # Sorting and labelling every entity took ~0.1 s per rerun at 1,000 entities: once per dataset,
    # and kept on disk with the dataset so that a restarted server reads them back.
    return kept_choices(_model, _derived)


def entity_choices(context: Context) -> EntityChoices:
    """The sorted entity names and their labels for the run's dataset, computed once per version."""
    return _cached_choices(context.version, context.model, context.derived)


def _init_filters_from_url(model: Model, sides: tuple[str, ...]) -> None:
    """On a session's first run, the URL sets the filters; afterwards the widgets do."""
    if st.session_state.get(_INITIALISED):
        return
    params = {key: st.query_params.get_all(key) for key in flt.QUERY_KEYS}
    parsed = flt.parse_query(params, model, sides)
    _set_widgets(parsed.filters)
    st.session_state[_NOTICES] = parsed.notices
    st.session_state[K_PRESENT] = st.query_params.get(PRESENT_PARAM) == "1"
    st.session_state[_INITIALISED] = True


def _set_widgets(filters: flt.Filters) -> None:
    st.session_state[K_PEOPLE] = list(filters.people)
    st.session_state[K_START] = filters.start
    st.session_state[K_END] = filters.end
    st.session_state[K_SIDES] = list(filters.sides)
    st.session_state[K_CERTAINTIES] = list(filters.certainties)
    st.session_state[K_UNDATED] = filters.include_undated


def reset_filters() -> None:
    _set_widgets(flt.Filters())
    st.session_state[_NOTICES] = []
    st.session_state[_DATE_ERRORS] = {}
    st.session_state.pop(_DATE_SHOWN, None)  # the date fields show the cleared dates, even over a typo


def sidebar_filters(model: Model, sides: tuple[str, ...], choices: EntityChoices | None = None) -> flt.Filters:
    """Render the shared filters in the sidebar and keep the URL in step with them."""
    _init_filters_from_url(model, sides)
    choices = choices or choices_of(model)
    # Values from another dataset or an old URL must not break the widgets.
    st.session_state[K_PEOPLE] = [p for p in st.session_state.get(K_PEOPLE, []) if p in model.entities.index]
    st.session_state[K_SIDES] = [s for s in st.session_state.get(K_SIDES, []) if s in sides]
    # A date outside the widgets' range (a chart click on a far year) would crash the widget.
    for key in (K_START, K_END):
        value = st.session_state.get(key)
        if value is not None and not (isinstance(value, date) and flt.EARLIEST <= value <= flt.LATEST):
            st.session_state[key] = None
    with st.sidebar:
        st.subheader("Filters")
        st.multiselect(
            "People and organizations",
            choices.names,
            key=K_PEOPLE,
            format_func=choices.label.__getitem__,
            placeholder="Type a name or alias",
            # Enter picks the best match (an exact or alias match ranks first), never "Select all matches".
            select_all=False,
            help="Keeps the statements that involve them, or a group they belong to. "
            "Aliases and spellings without accents match.",
        )
        left, right = st.columns(2)
        with left:
            _date_field("From", K_START, "start")
        with right:
            _date_field("To", K_END, "end")
        st.checkbox(
            "Include undated statements",
            key=K_UNDATED,
            help="Statements the source gives no date for. A year-only date is inside the range "
            "when its year overlaps it.",
        )
        st.multiselect("Sides", sides, key=K_SIDES, placeholder="All sides")
        st.multiselect("Certainty", CERTAINTIES, key=K_CERTAINTIES, placeholder="Stated, alleged, denied, inferred")
        st.button("Reset filters", on_click=reset_filters, key="reset_filters_sidebar", width="stretch")
    start, end = st.session_state[K_START], st.session_state[K_END]
    filters = flt.Filters(
        people=tuple(st.session_state[K_PEOPLE]),
        start=start,
        end=end if not (start and end and end < start) else None,
        sides=tuple(st.session_state[K_SIDES]),
        certainties=tuple(st.session_state[K_CERTAINTIES]),
        include_undated=bool(st.session_state[K_UNDATED]),
    )
    # Shown while the dates are in the wrong order, gone once they are fixed.
    reversed_dates = start and end and end < start
    st.session_state[_DATE_NOTICE] = f"The end date {end} is before the start date {start}; it is ignored." * bool(
        reversed_dates
    )
    _write_url(filters)
    return filters


def _date_field(label: str, key: str, bound: str) -> None:
    """A text field for a date: YYYY-MM-DD, or YYYY-MM and YYYY for a whole month or year (the first
    day for "From", the last for "To"), as in a shared link. The date itself lives in `key`."""
    text_key, shown = _DATE_TEXT[key], st.session_state.setdefault(_DATE_SHOWN, {})
    value = st.session_state.get(key)
    # The date changed elsewhere (the URL, Reset, a click on the timeline): the field shows it.
    if text_key not in st.session_state or shown.get(key, "unset") != value:
        st.session_state[text_key] = value.isoformat() if value else ""
        shown[key] = value
    st.text_input(
        label, key=text_key, placeholder="YYYY-MM-DD", on_change=_read_date_field, args=(key, bound),
        help="A day (2025-03-14), a month (2025-03) or a year (2025). Leave it empty for no limit.",
    )  # fmt: skip
    error = st.session_state.get(_DATE_ERRORS, {}).get(key)
    if error:
        st.error(escape_markdown(error), icon=":material/event_busy:")


def _read_date_field(key: str, bound: str) -> None:
    text = st.session_state[_DATE_TEXT[key]].strip()
    errors = st.session_state.setdefault(_DATE_ERRORS, {})
    try:
        value = flt.date_bound(text, bound) if text else None
    except flt.BadDate as problem:
        errors[key] = f"“{text}” is not a date the filter can use: {problem.reason}"
        return
    errors.pop(key, None)
    st.session_state[key] = value
    st.session_state[_DATE_SHOWN][key] = value


def _write_url(filters: flt.Filters) -> None:
    """Update only the filter keys, so page-specific parameters survive."""
    desired = flt.to_query(filters)
    if st.session_state.get(K_PRESENT):
        desired[PRESENT_PARAM] = ["1"]
    for key in (*flt.QUERY_KEYS, PRESENT_PARAM):
        want = desired.get(key, [])
        if st.query_params.get_all(key) == want:
            continue
        if want:
            st.query_params[key] = want
        elif key in st.query_params:
            del st.query_params[key]


def build_context() -> Context | None:
    """Load, check and filter; shows dataset problems. Returns None when nothing can be shown."""
    from dashboard.dataset.package import PackageError

    try:
        version = dataset_version()
    except PackageError as err:
        st.title("The dataset cannot be opened")
        # Named by its file name: the server's folders are not the reader's business.
        st.error(escape_markdown(str(err).replace(str(given_path()), given_path().name)))
        return None
    dataset, model, derived = _load(*version)
    if model is None:
        st.title("The dataset cannot be shown")
        st.error(
            f"{escape_markdown(dataset.path.name)} has problems that stop it from loading. "
            "Fix them and reload the page."
        )
        show_problems(dataset, expanded=True)
        return None
    sides = side_options(dataset, model)
    filters = sidebar_filters(model, sides, _cached_choices(version, model, derived))
    context = Context.build(dataset, model, filters, version, derived)
    st.session_state[_CONTEXT] = context
    st.html(_ACCESS_CSS)
    with st.sidebar:
        st.toggle(
            "Presentation mode",
            key=K_PRESENT,
            help="Shows only the title, the chart and its source line, for a projector or a clean screenshot.",
        )
        st.caption(escape_markdown(context.notice))
    if st.session_state.get(K_PRESENT):
        st.html(_PRESENTATION_CSS)
    return context


def presentation_exit() -> None:
    """In presentation mode, the source line under the chart and a button to leave (pages call this last:
    everything between the chart and here is hidden, so both sit right under the chart)."""
    if not st.session_state.get(K_PRESENT):
        return
    context = current()
    with st.container(key="present_source"):
        st.caption(escape_markdown(presentation_source_line(context)))
    st.button("Exit presentation mode", key="exit_presentation", on_click=_leave_presentation)


def presentation_source_line(context: Context) -> str:
    """What is shown, where it comes from and whose work it is: the words a published chart carries."""
    # The shared filters in words, the source and the credit are the same for every view.
    frame = framing.default_frame("timeline", context, source=publish.source_title(context))
    shown = flt.in_words(context.filters, context.model) or "All statements in the dataset"
    return f"{shown} · Source: {frame.source} · {frame.credit}. {frame.notice}"


def _leave_presentation() -> None:
    st.session_state[K_PRESENT] = False


def current() -> Context:
    """The context the entry point built for this run."""
    return st.session_state[_CONTEXT]


def show_problems(dataset: CheckedDataset, expanded: bool = False) -> None:
    errors = [p for p in dataset.problems if p.is_error]
    warnings = [p for p in dataset.problems if not p.is_error]
    if errors and dataset.usable:
        st.error(
            f"{len(errors)} problem(s) in {dataset.rows_with_errors} row(s) of the dataset: "
            "those rows are left out of every view until they are fixed."
        )
    if errors or warnings:
        title = f"Dataset check: {len(errors)} error(s), {len(warnings)} warning(s)"
        with st.expander(title, expanded=expanded or bool(errors)):
            frame = problem_frame(dataset.problems, _dataset_root(dataset.path))
            st.dataframe(frame, hide_index=True, width="stretch")


def problem_frame(problems, root: Path | None = None) -> pd.DataFrame:
    """One line per problem. With `root`, paths under it are shown relative to it and any other
    absolute path by its file name only: visitors never see where the server keeps its files."""
    shown = partial(_without_server_paths, root=root) if root else str
    return pd.DataFrame(
        [
            {
                "file": shown(p.file),
                "row": p.row,
                "column": p.column or "",
                "severity": p.severity,
                "problem": shown(p.message),
                "fix": shown(p.fix),
            }
            for p in problems
        ],
        columns=["file", "row", "column", "severity", "problem", "fix"],
    )


# An absolute path: a slash not inside a word or URL, then folders ("/srv/news/data/").
_ABSOLUTE_FOLDERS = re.compile(r"(?<![\w.:/~-])/(?:[^\s/\"'“”]+/)+")


def _without_server_paths(text: str, root: Path) -> str:
    for base in dict.fromkeys([root.resolve(), root.absolute()]):
        text = text.replace(str(base) + os.sep, "").replace(str(base), ".")
    return _ABSOLUTE_FOLDERS.sub("", text)


def presenting() -> bool:
    """Whether the page is in presentation mode (for a projector: the headline and the chart only)."""
    return bool(st.session_state.get(K_PRESENT))


def write_link(link: dict, written_key: str) -> None:
    """Put a page's own view in the URL, so it can be shared (None removes a parameter), and remember
    what was written under `written_key`, to tell a link the reader opened from one the page wrote."""
    for param, value in link.items():
        if value is None:
            st.query_params.pop(param, None)
        elif st.query_params.get(param) != value:
            st.query_params[param] = value
    st.session_state[written_key] = link


def page_header(title: str, intro: str = "", view: str | None = None) -> Context:
    """Title, the line saying what is shown, any notices; returns the run's context. In presentation
    mode a chart page (`view`) is headed by the story's headline, the chart's title and state under it."""
    context = current()
    if view and presenting():
        chart_title, _, state = framing.header(view, context)  # headline, story, filters line
        headline = context.schema.title or context.title or title
        st.title(escape_markdown(headline), anchor=False)
        with st.container(key="present_subtitle"):
            st.markdown(f"**{escape_markdown(chart_title)}**" + (f" · {escape_markdown(state)}" if state else ""))
    else:
        st.title(title)
    if intro:
        st.caption(intro)
    for notice in notices():
        st.warning(notice)
    show_problems(context.dataset)
    filter_line(context)
    return context


def notices() -> list[str]:
    """What the reader should know about the filters (bad URL values ignored, dates reversed), as
    markdown-safe text: they echo what a share link holds, so anyone can write them."""
    texts = [*st.session_state.get(_NOTICES, []), *filter(None, [st.session_state.get(_DATE_NOTICE)])]
    return [escape_markdown(text) for text in texts]


def filter_line(context: Context) -> None:
    line = flt.describe(context.filters, len(context.statements), len(context.model.statements), context.model)
    left, right = st.columns([5, 1], vertical_alignment="center")
    left.markdown(f"**Showing:** {escape_markdown(line)}")
    if context.filters.active:
        right.button("Reset filters", on_click=reset_filters, key="reset_filters_page", width="stretch")


def lazy_expander(label: str, key: str, icon: str | None = None):
    """An expander whose content is built only while it is open (`.open`): what most readers never
    open (the export panels' fields and buttons, the network listing's quotes) then costs neither the
    page's first draw in the browser nor the server's reruns. Opening one reruns the page."""
    return st.expander(label, icon=icon, key=key, on_change="rerun")


def chart_description(text: str) -> None:
    """The chart's plain-language description, for everyone and for screen readers."""
    st.caption(f"**Description:** {escape_markdown(text)}")


def last_curated(dataset: CheckedDataset) -> str:
    if dataset.schema.last_curated:
        return dataset.schema.last_curated
    try:
        stamp = datetime.fromtimestamp(dataset.path.stat().st_mtime)
    except OSError:
        return "unknown"
    return f"{stamp:%Y-%m-%d} (file last modified)"
