"""The export panels: "Download for publication" under each chart (a frame the editor can rewrite,
a newsroom size, the image, page and table files, and the alt text) and "Take the story out" (the
statements, graph files and story page). Every button goes through `dashboard.exports.registry`,
the same way out as `python -m dashboard export`; files are made only when a button is clicked."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial

import streamlit as st

from dashboard.app import ui
from dashboard.derive.context import Context, Options
from dashboard.exports import frame as framing
from dashboard.exports import publish, registry, render
from dashboard.exports.cli import alt_text_name
from dashboard.exports.result import Export, Refused
from dashboard.text import escape_markdown
from dashboard.views.timeline import LABEL_CHOICES


@st.cache_resource(show_spinner=False)
def renderer():
    """One headless Chromium for every image this server renders."""
    return render.Renderer()


_KEPT = "_export_panel_kept"  # the panel's choices, kept while it is closed


def kept(key: str, default=None) -> str:
    """`key`, its widget's value restored from the panel's own store: Streamlit forgets a widget's
    value when a run does not draw it (a closed panel), and an editor's words must survive closing
    it. Its value is stored on every run that draws it."""
    store = st.session_state.setdefault(_KEPT, {})
    if key not in st.session_state and (key in store or default is not None):
        st.session_state[key] = store.get(key, default)
    if key in st.session_state:
        store[key] = st.session_state[key]
    return key


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
    """A publication-ready copy of the view, at a chosen newsroom size, in a frame the editor can
    rewrite: a preview of the file at that size, what had to give to fit it, and the files. They are
    made in the page's run once the editor asks for them (never in a download callback, which cannot
    report a failure): an export that fails says so here, in words."""
    context = ui.current().with_options(options)
    panel = ui.lazy_expander("Download for publication", f"{view}_export_open", icon=":material/download:")
    with panel:
        if not panel.open:
            return
        edits = frame_editor(view, context)
        preset = st.selectbox(
            "Size",
            list(render.PRESETS),
            format_func=lambda n: render.PRESETS[n].label,
            key=kept(f"{view}_export_preset"),
        )
        if any(registry.LABELS in entry.options for (v, _), entry in registry.FORMATS.items() if v == view):
            labels = st.radio("Labels", list(LABEL_CHOICES), format_func=LABEL_CHOICES.get, horizontal=True,
                              key=kept(f"{view}_export_labels"), help="Which marks the image names.")  # fmt: skip
            context = context.with_options(replace(context.options, labels=labels))
        ready = st.toggle(
            "Preview and make the files",
            key=f"{view}_export_ready",
            help="Draws the export at the chosen size (a second or two), then offers the files.",
        )
        if not ready:
            st.caption("For a clean screenshot of the page itself, turn on presentation mode in the sidebar.")
            return
        choices = [(view, fmt) for fmt in formats or registry.formats(view) if registry.lookup(view, fmt).frame]
        made = publication_files(context, view, preset, edits, tuple(fmt for _, fmt in choices))
        if made.error:
            st.error(escape_markdown(f"This export cannot be made: {made.error}"), icon=":material/error:")
            return
        for warning in made.warnings:
            st.warning(escape_markdown(warning), icon=":material/warning:")
        if made.preview:
            st.image(made.preview.decode("utf-8"), caption=f"Preview: {render.PRESETS[preset].label}")
        columns = st.columns(len(made.files) + 1)
        for column, (fmt, result) in zip(columns, made.files.items()):
            if isinstance(result, str):
                column.error(escape_markdown(f"{fmt.upper()}: {result}"))
                continue
            column.download_button(registry.lookup(view, fmt).label, data=result.data, file_name=result.file_name,
                                   mime=result.media_type, key=f"{view}_export_{fmt}", on_click="ignore",
                                   help=registry.lookup(view, fmt).help, width="stretch")  # fmt: skip
        columns[-1].download_button(
            "Alt text",
            data=_alt_text(context, view, edits, description),
            file_name=alt_text_name(registry.file_name(view, "png", context, preset)),
            mime="text/plain",
            key=f"{view}_export_alt",
            on_click="ignore",
            width="stretch",
        )


@dataclass(frozen=True)
class Made:
    """The files of one view state at one preset: each format's Export, or why it failed in words;
    the SVG preview; the frame's warnings; `error` when the image itself cannot be drawn."""

    files: dict = field(default_factory=dict)
    preview: bytes = b""
    warnings: tuple[str, ...] = ()
    error: str = ""


def publication_files(context: Context, view: str, preset: str, edits: dict, formats: tuple[str, ...]) -> Made:
    """Every file of the panel for this view state, made once per state (kept in the session: the
    same view, preset and frame give the same files without drawing them again)."""
    key = (view, preset, repr(sorted(edits.items())), formats, context.version, repr(context.filters),
           repr(context.options))  # fmt: skip
    kept = st.session_state.setdefault("_publication_files", {})
    if key not in kept:
        kept.clear()  # one view state at a time per page session: files are large
        kept[key] = make_files(context, view, preset, edits, formats, renderer())
    return kept[key]


def make_files(context: Context, view: str, preset: str, edits, formats, drawer) -> Made:
    """`publication_files` without the session: drawn and rendered by `drawer` (a Renderer)."""
    try:
        drawing = registry.draw(view, context, preset, edits)
    except Exception as err:  # noqa: BLE001 — said in the panel in words, never a silent button
        return Made(error=_reason(err))
    files: dict = {}
    for fmt in formats:
        try:
            if fmt in render.PRESETS[preset].formats:
                data = drawer.render(drawing.figure, fmt, drawing.preset)
                files[fmt] = Export(data, drawing.file_name(fmt, context), render.MEDIA_TYPES[fmt], drawing.alt_text)
            elif not registry.lookup(view, fmt).sized:
                files[fmt] = registry.build(view, fmt, context, preset, edits, drawer)
        except Exception as err:  # noqa: BLE001
            files[fmt] = _reason(err)
    preview = files.get("svg")
    if not isinstance(preview, Export):
        try:
            preview = Export(drawer.render(drawing.figure, "svg", drawing.preset), "", "")
        except Exception:  # noqa: BLE001 — the files above already say what failed
            preview = None
    return Made(files, preview.data if preview else b"", drawing.warnings)


def _reason(err: Exception) -> str:
    """An error in one line for the panel: a refusal's own words, else what kind of failure it was."""
    if isinstance(err, Refused):
        return str(err)
    return f"the chart could not be drawn ({type(err).__name__}: {str(err).splitlines()[0] if str(err) else ''})"


def frame_editor(view: str, context: Context) -> dict:
    """The frame's fields, prefilled from the view and the data package; returns what the editor set.
    Each field's key carries its default, so a new view (another focus, other dates) starts from its
    own header rather than keeping words written for the last one."""
    group = context.options.group
    default = framing.default_frame(view, context, group=group, source=publish.source_title(context))

    def field(label: str, name: str, value: str, column=st, **kwargs) -> str:
        digest = hashlib.sha1(value.encode("utf-8")).hexdigest()[:8]
        return column.text_input(label, key=kept(f"{view}_frame_{name}_{digest}", value), **kwargs)

    st.markdown("**Frame**")
    edits = {
        "title": field("Title", "title", default.title),
        "subtitle": field("Subtitle", "subtitle", default.subtitle),
    }
    notes = st.text_area(
        "Notes",
        key=kept(f"{view}_frame_notes"),
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
    panel = ui.lazy_expander(
        "Take the story out: data, graph files, story page", f"{key}_open", icon=":material/ios_share:"
    )
    with panel:
        if not panel.open:
            return
        st.caption(
            escape_markdown(f"{len(context.statements)} statements under the filters. ")
            + "The same files as `python -m dashboard export`; see the README."
        )
        _buttons(context, [("statements", fmt) for fmt in registry.formats("statements")], key)
        graph_files = [
            ("network", fmt) for fmt in registry.formats("network") if not registry.lookup("network", fmt).frame
        ]
        _buttons(context, [*graph_files, ("story", "html")], key)
