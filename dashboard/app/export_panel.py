"""The export panels: "Download for publication" under each chart (a frame the editor can rewrite,
a newsroom size, the image, page and table files, and the alt text) and "Take the story out" (the
statements, graph files and story page). Every button goes through `dashboard.exports.registry`,
the same way out as `python -m dashboard export`; files are made only when a button is clicked."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from functools import partial

import streamlit as st

from dashboard.app import ui
from dashboard.derive.context import Context, Options
from dashboard.exports import frame as framing
from dashboard.exports import publish, registry, render
from dashboard.exports.cli import alt_text_name
from dashboard.text import escape_markdown


@st.cache_resource(show_spinner=False)
def renderer():
    """One headless Chromium for every image this server renders."""
    return render.Renderer()


def _bytes(context: Context, view: str, fmt: str, preset: str = "social", edits=None) -> bytes:
    """Called when a button is clicked, outside the script run: everything comes in."""
    return registry.build(view, fmt, context, preset, edits, renderer()).data


_EXPORT_LOCK = "_export_busy"


class ExportBusy(RuntimeError):
    """A session asked for a file while its last one was still being made."""


def one_at_a_time(busy: threading.Lock, make: Callable[[], bytes]) -> bytes:
    """`make()`, unless this session's last export is still running: an article-size PNG costs 14-20 s
    of server work, and repeated clicks must not pile up. The proxy limits the rate of requests
    (docs/deployment.md); this bounds each session to one export at a time."""
    if not busy.acquire(blocking=False):
        raise ExportBusy("another export of this page is still being made; click again when it has downloaded")
    try:
        return make()
    finally:
        busy.release()


def _buttons(context: Context, choices, key: str, preset: str = "social", edits=None) -> None:
    """One download button per (view, format), in a row; one file per session is made at a time."""
    busy = st.session_state.setdefault(_EXPORT_LOCK, threading.Lock())  # this session's, across reruns
    columns = st.columns(len(choices))
    for column, (view, fmt) in zip(columns, choices):
        entry = registry.lookup(view, fmt)
        column.download_button(
            entry.label,
            data=partial(one_at_a_time, busy, partial(_bytes, context, view, fmt, preset, edits)),
            file_name=registry.file_name(view, fmt, context, preset),
            mime=entry.media_type,
            key=f"{key}_{view}_{fmt}",
            on_click="ignore",
            disabled=entry.sized and fmt not in render.PRESETS[preset].formats,
            help=entry.help,
            width="stretch",
        )


def export_panel(view: str, options: Options, description: str = "", formats: tuple[str, ...] | None = None) -> None:
    """Download buttons for a publication-ready copy of the view, at a chosen newsroom size, in a
    frame the editor can rewrite."""
    context = ui.current().with_options(options)
    with st.expander("Download for publication", icon=":material/download:"):
        edits = frame_editor(view, context)
        preset = st.selectbox(
            "Size", list(render.PRESETS), format_func=lambda n: render.PRESETS[n].label, key=f"{view}_export_preset"
        )
        choices = [(view, fmt) for fmt in formats or registry.formats(view) if registry.lookup(view, fmt).frame]
        _buttons(context, choices, f"{view}_export", preset, edits)
        name = alt_text_name(registry.file_name(view, "png", context, preset))
        st.download_button(
            "Alt text",
            data=partial(_alt_text, context, view, edits, description),
            file_name=name,
            mime="text/plain",
            key=f"{view}_export_alt",
            on_click="ignore",
        )
        st.caption("For a clean screenshot of the page itself, turn on presentation mode in the sidebar.")


def frame_editor(view: str, context: Context) -> dict:
    """The frame's fields, prefilled from the view and the data package; returns what the editor set.
    Each field's key carries its default, so a new view (another focus, other dates) starts from its
    own header rather than keeping words written for the last one."""
    group = context.options.group
    default = framing.default_frame(view, context, group=group, source=publish.source_title(context))

    def field(label: str, name: str, value: str, column=st, **kwargs) -> str:
        digest = hashlib.sha1(value.encode("utf-8")).hexdigest()[:8]
        return column.text_input(label, value=value, key=f"{view}_frame_{name}_{digest}", **kwargs)

    st.markdown("**Frame**")
    edits = {
        "title": field("Title", "title", default.title),
        "subtitle": field("Subtitle", "subtitle", default.subtitle),
    }
    notes = st.text_area(
        "Notes",
        key=f"{view}_frame_notes",
        placeholder="One note a line, printed under the chart after its own notes.",
        help="The chart's own notes (what its marks mean) and the no-wrongdoing line are always printed.",
    )
    edits["more_notes"] = [line for line in notes.splitlines() if line.strip()]
    left, middle, right = st.columns([3, 1, 2])
    edits["source"] = field("Source: outlet or document", "source", default.source, left)
    edits["source_date"] = field("Published", "source_date", default.source_date, middle)
    edits["source_link"] = field("Link", "source_link", default.source_link, right, placeholder="https://…")
    missing = framing.missing_source_fields(context.schema)
    if missing:
        st.caption(escape_markdown(missing))
    left, right = st.columns(2)
    edits["byline"] = field("Byline", "byline", default.byline, left, placeholder="Graphic by …")
    edits["credit"] = field("Credit", "credit", default.credit, right)
    return edits


def _alt_text(context: Context, view: str, edits, description: str) -> bytes:
    """The alt text of the framed export: its header as edited, then the chart's description."""
    default = framing.default_frame(view, context, group=context.options.group, source=publish.source_title(context))
    frame = framing.edited(default, edits)
    return framing.alt_text(view, frame, description, context).encode("utf-8")


def take_out_panel(options: Options | None = None, key: str = "take_out") -> None:
    """ "Take the story out": the statements behind the view (CSV, JSON, data package,
    FollowTheMoney), the network's graph files and the story page, under the page's filters."""
    context = ui.current().with_options(options or Options())
    with st.expander("Take the story out: data, graph files, story page", icon=":material/ios_share:"):
        st.caption(
            escape_markdown(f"{len(context.statements)} statements under the filters. ")
            + "The same files as `python -m dashboard export`; see the README."
        )
        _buttons(context, [("statements", fmt) for fmt in registry.formats("statements")], key)
        graph_files = [
            ("network", fmt) for fmt in registry.formats("network") if not registry.lookup("network", fmt).frame
        ]
        _buttons(context, [*graph_files, ("story", "html")], key)
