"""Streamlit glue shared by the pages: loading the dataset once per file version, the sidebar
filters kept in the URL, and the context each page reads.

Only this module, the entry point and the pages import Streamlit.
"""

from __future__ import annotations

import argparse
import html
import os
import re
import sys
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard import export, publish
from dashboard import filters as flt
from dashboard.model import Model, build_model
from dashboard.schema import BUNDLED_DATA, CERTAINTIES, PACKAGE_FILE
from dashboard.sources import find_seeds_dir
from dashboard.validation import CheckedDataset, check_dataset

ENV_VAR = "DASHBOARD_DATA"
STANDING_NOTICE = (
    "Appearing in this data implies no wrongdoing. Every allegation is attributed to whoever makes it; "
    "a charge is not a conviction, and denials are shown beside the claims they answer."
)
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
K_PRESENT, PRESENT_PARAM = "presentation_mode", "present"
# Hides Streamlit's chrome so a screenshot of the page shows only the content.
_PRESENTATION_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"] { display: none !important; }
[data-testid="stMainBlockContainer"] { padding-top: 2rem !important; }
.st-key-exit_presentation { opacity: 0.2; } .st-key-exit_presentation:hover { opacity: 1; }
</style>"""


@dataclass
class Context:
    """What a page needs: the checked dataset, its model, the filters and what passes them."""

    dataset: CheckedDataset
    model: Model
    filters: flt.Filters
    statements: pd.DataFrame  # all statement types that pass the filters
    sides: tuple[str, ...] = field(default_factory=tuple)
    version: tuple = ()  # (path, fingerprint): a cheap cache key for anything derived from the dataset

    @property
    def title(self) -> str:
        return self.dataset.schema.title or self.dataset.path.stem

    @property
    def notice(self) -> str:
        return self.dataset.schema.notice or STANDING_NOTICE


def dataset_path() -> Path:
    """`--data PATH` after `--` on the streamlit command line, else $DASHBOARD_DATA, else the bundled data;
    PATH may be a statements CSV or a data package zip."""
    parser = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    parser.add_argument("--data")
    args, _ = parser.parse_known_args(sys.argv[1:])
    path = Path(args.data or os.environ.get(ENV_VAR) or BUNDLED_DATA).expanduser().resolve()
    # A data package zip (python -m dashboard export statements --format datapackage) opens as its CSV.
    from dashboard.interchange.statements import PackageError, open_dataset

    try:
        return open_dataset(path)
    except PackageError:
        return path  # checked as it is: its problems are shown on the page


def _fingerprint(path: Path) -> tuple:
    """Changes whenever the CSV, its datapackage or a source document changes."""
    files = [path, path.parent / PACKAGE_FILE]
    seeds = find_seeds_dir(path)
    if seeds.is_dir():
        files += sorted(seeds.iterdir())
    stamp = []
    for f in files:
        try:
            info = f.stat()
            stamp.append((str(f), info.st_mtime_ns, info.st_size))
        except OSError:
            stamp.append((str(f), None, None))
    return tuple(stamp)


@st.cache_resource(show_spinner="Checking the dataset…", max_entries=4)
def _load(path: str, fingerprint: tuple) -> tuple[CheckedDataset, Model | None]:
    """Check and model a dataset once per file version; frames are shared, never mutated."""
    dataset = check_dataset(Path(path), label=_label(Path(path)))
    model = build_model(dataset.frame) if dataset.usable else None
    return dataset, model


def _label(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def dataset_version() -> tuple[str, tuple]:
    """The dataset's path and fingerprint: what `_load` and other per-dataset caches are keyed by."""
    path = dataset_path()
    return str(path), _fingerprint(path)


def load() -> tuple[CheckedDataset, Model | None]:
    return _load(*dataset_version())


@dataclass(frozen=True)
class EntityChoices:
    """Entity names sorted as a reader looks them up (by display name, accents ignored), with the
    display name and the searchable option label of each."""

    names: tuple[str, ...]
    display: dict[str, str]
    label: dict[str, str]


def choices_of(model: Model) -> EntityChoices:
    """Every entity sorted by display name (accents ignored); its option label adds the spelling
    without accents, so typing "Lopez" finds "López" in Streamlit's option search."""
    entities = model.entities
    display = dict(zip(entities.index, entities["display"]))
    folded = {name: flt.names.fold(shown) for name, shown in display.items()}
    label = {name: _searchable(shown) for name, shown in display.items()}
    return EntityChoices(tuple(sorted(display, key=folded.__getitem__)), display, label)


def _searchable(shown: str) -> str:
    """ "César López Larios · Cesar Lopez": the accented words again without accents, so that the
    option search, which compares letters exactly, finds them typed plainly."""
    plain = [flt.names.strip_accents(word) for word in shown.split() if flt.names.strip_accents(word) != word]
    return f"{shown} · {' '.join(plain)}" if plain else shown


@st.cache_resource(max_entries=4)
def _cached_choices(version: tuple, _model: Model) -> EntityChoices:
    # Sorting and labelling every entity took ~0.1 s per rerun at 1,000 entities: once per dataset.
    return choices_of(_model)


def entity_choices(context: Context) -> EntityChoices:
    """The sorted entity names and their labels for the run's dataset, computed once per version."""
    return _cached_choices(context.version, context.model)


def side_options(dataset: CheckedDataset, model: Model) -> tuple[str, ...]:
    """Sides in the schema's order, or as they appear when the dataset brings no list."""
    declared = dataset.schema.enum("side")
    return declared or tuple(dict.fromkeys(s for s in model.entities["side"] if s))


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


def sidebar_filters(model: Model, sides: tuple[str, ...], choices: EntityChoices | None = None) -> flt.Filters:
    """Render the shared filters in the sidebar and keep the URL in step with them."""
    _init_filters_from_url(model, sides)
    choices = choices or choices_of(model)
    # Values from another dataset or an old URL must not break the widgets.
    st.session_state[K_PEOPLE] = [p for p in st.session_state.get(K_PEOPLE, []) if p in model.entities.index]
    st.session_state[K_SIDES] = [s for s in st.session_state.get(K_SIDES, []) if s in sides]
    with st.sidebar:
        st.subheader("Filters")
        st.multiselect(
            "People and organizations",
            choices.names,
            key=K_PEOPLE,
            format_func=choices.label.__getitem__,
            placeholder="Type a name or alias",
            help="Keeps the statements that involve them, or a group they belong to. "
            "Aliases and spellings without accents match.",
        )
        left, right = st.columns(2)
        left.date_input(
            "From", key=K_START, min_value=date(1900, 1, 1), max_value=date(2100, 12, 31), format="YYYY-MM-DD"
        )
        right.date_input("To", key=K_END, min_value=date(1900, 1, 1), max_value=date(2100, 12, 31), format="YYYY-MM-DD")
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
    version = dataset_version()
    dataset, model = _load(*version)
    if model is None:
        st.title("The dataset cannot be shown")
        st.error(f"{dataset.path} has problems that stop it from loading. Fix them and reload the page.")
        show_problems(dataset, expanded=True)
        return None
    sides = side_options(dataset, model)
    filters = sidebar_filters(model, sides, _cached_choices(version, model))
    context = Context(dataset, model, filters, flt.apply(model, filters), sides, version)
    st.session_state[_CONTEXT] = context
    with st.sidebar:
        st.toggle("Presentation mode", key=K_PRESENT, help="Hides the sidebar and menus for a clean screenshot.")
        st.caption(context.notice)
    if st.session_state.get(K_PRESENT):
        st.html(_PRESENTATION_CSS)
    return context


def presentation_exit() -> None:
    """In presentation mode, a faint button at the end of the page to leave it (pages call this last)."""
    if st.session_state.get(K_PRESENT):
        st.button("Exit presentation mode", key="exit_presentation", on_click=_leave_presentation)


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
            st.dataframe(problem_frame(dataset.problems), hide_index=True, width="stretch")


def problem_frame(problems) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "file": p.file,
                "row": p.row,
                "column": p.column or "",
                "severity": p.severity,
                "problem": p.message,
                "fix": p.fix,
            }
            for p in problems
        ],
        columns=["file", "row", "column", "severity", "problem", "fix"],
    )


def page_header(title: str, intro: str = "") -> Context:
    """Title, the line saying what is shown, any notices; returns the run's context."""
    context = current()
    st.title(title)
    if intro:
        st.caption(intro)
    for notice in notices():
        st.warning(notice)
    show_problems(context.dataset)
    filter_line(context)
    return context


def notices() -> list[str]:
    """What the reader should know about the filters: bad URL values ignored, dates reversed."""
    return [*st.session_state.get(_NOTICES, []), *filter(None, [st.session_state.get(_DATE_NOTICE)])]


def filter_line(context: Context) -> None:
    line = flt.describe(context.filters, len(context.statements), len(context.model.statements), context.model)
    left, right = st.columns([5, 1], vertical_alignment="center")
    left.markdown(f"**Showing:** {escape_markdown(line)}")
    if context.filters.active:
        right.button("Reset filters", on_click=reset_filters, key="reset_filters_page", width="stretch")


@st.cache_resource(show_spinner=False)
def renderer():
    """One headless Chromium for every image this server renders."""
    return export.Renderer()


def chart_description(text: str) -> None:
    """The chart's plain-language description, for everyone and for screen readers."""
    st.caption(f"**Description:** {escape_markdown(text)}")


def export_panel(view: str, options=None, description: str = "", formats: tuple[str, ...] | None = None) -> None:
    """Download buttons for a publication-ready copy of the view, at a chosen newsroom size.
    Files are made only when a button is clicked."""
    context = current()
    options = options or publish.Options()
    with st.expander("Download for publication", icon=":material/download:"):
        preset = st.selectbox(
            "Size", list(export.PRESETS), format_func=lambda n: export.PRESETS[n].label, key=f"{view}_export_preset"
        )
        formats = formats or publish.VIEW_FORMATS[view]
        columns = st.columns(len(formats) + 1)
        for column, fmt in zip(columns, formats):
            image = fmt in export.FORMATS
            name = publish.file_name(view, fmt, preset, context.filters)
            column.download_button(
                fmt.upper() if image else {"html": "Interactive HTML", "csv": "Spreadsheet CSV"}[fmt],
                data=partial(_export_bytes, context, view, fmt, preset, options),
                file_name=name,
                mime=export.MEDIA_TYPES[fmt],
                key=f"{view}_export_{fmt}",
                on_click="ignore",
                disabled=image and fmt not in export.PRESETS[preset].formats,
                help="Title, filters, source line and credit included." if image else None,
                width="stretch",
            )
        if description:
            columns[-1].download_button(
                "Alt text",
                data=description.encode("utf-8"),
                file_name=publish.alt_text_name(publish.file_name(view, "png", preset, context.filters)),
                mime="text/plain",
                key=f"{view}_export_alt",
                on_click="ignore",
                width="stretch",
            )
        st.caption("For a clean screenshot of the page itself, turn on presentation mode in the sidebar.")


def _export_bytes(context: Context, view: str, fmt: str, preset: str, options) -> bytes:
    """Called when a download button is clicked, outside the script run: everything comes in."""
    return publish.build(
        view, fmt, preset, schema=context.dataset.schema, model=context.model, statements=context.statements,
        filters=context.filters, sides=context.sides, options=options, renderer=renderer(),
    ).data  # fmt: skip


_MARKDOWN_SYNTAX = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~$:])")


def escape_markdown(text: str) -> str:
    """Dataset text shown through st.markdown: no HTML, no markdown links or emphasis."""
    return _MARKDOWN_SYNTAX.sub(r"\\\1", html.escape(text, quote=False))


def last_curated(dataset: CheckedDataset) -> str:
    if dataset.schema.last_curated:
        return dataset.schema.last_curated
    try:
        stamp = datetime.fromtimestamp(dataset.path.stat().st_mtime)
    except OSError:
        return "unknown"
    return f"{stamp:%Y-%m-%d} (file last modified)"
