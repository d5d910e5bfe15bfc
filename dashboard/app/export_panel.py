"""The export panel under each chart: a frame the editor can rewrite and the download buttons for a
publication-ready copy of the view (files made only when a button is clicked). Streamlit glue."""

from __future__ import annotations

import hashlib
from functools import partial

import streamlit as st

from dashboard.app.ui import current
from dashboard.derive.context import Context
from dashboard.exports import frame as framing
from dashboard.exports import publish, render
from dashboard.text import escape_markdown


@st.cache_resource(show_spinner=False)
def renderer():
    """One headless Chromium for every image this server renders."""
    return render.Renderer()


def export_panel(view: str, options=None, description: str = "", formats: tuple[str, ...] | None = None) -> None:
    """Download buttons for a publication-ready copy of the view, at a chosen newsroom size, in a
    frame the editor can rewrite. Files are made only when a button is clicked."""
    context = current()
    options = options or publish.Options()
    with st.expander("Download for publication", icon=":material/download:"):
        edits = frame_editor(view, context, options)
        preset = st.selectbox(
            "Size", list(render.PRESETS), format_func=lambda n: render.PRESETS[n].label, key=f"{view}_export_preset"
        )
        formats = formats or publish.VIEW_FORMATS[view]
        columns = st.columns(len(formats) + 1)
        for column, fmt in zip(columns, formats):
            image = fmt in render.FORMATS
            name = publish.file_name(view, fmt, preset, context.filters, options)
            column.download_button(
                fmt.upper() if image else {"html": "Interactive HTML", "csv": "Spreadsheet CSV"}[fmt],
                data=partial(_export_bytes, context, view, fmt, preset, options, edits),
                file_name=name,
                mime=render.MEDIA_TYPES[fmt],
                key=f"{view}_export_{fmt}",
                on_click="ignore",
                disabled=image and fmt not in render.PRESETS[preset].formats,
                help="In the frame above: title, notes, the no-wrongdoing line, source and credit." if image else None,
                width="stretch",
            )
        columns[-1].download_button(
            "Alt text",
            data=partial(_alt_text, context, view, options, edits, description),
            file_name=publish.alt_text_name(publish.file_name(view, "png", preset, context.filters, options)),
            mime="text/plain",
            key=f"{view}_export_alt",
            on_click="ignore",
            width="stretch",
        )
        st.caption("For a clean screenshot of the page itself, turn on presentation mode in the sidebar.")


def frame_editor(view: str, context: Context, options) -> dict:
    """The frame's fields, prefilled from the view and the data package; returns what the editor set.
    Each field's key carries its default, so a new view (another focus, other dates) starts from its
    own header rather than keeping words written for the last one."""
    default = framing.default_frame(view, context, options, group=options.group, source=publish.source_title(context))

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


def _export_bytes(context: Context, view: str, fmt: str, preset: str, options, edits=None) -> bytes:
    """Called when a download button is clicked, outside the script run: everything comes in."""
    return publish.build(view, fmt, preset, context, options=options, renderer=renderer(), edits=edits).data


def _alt_text(context: Context, view: str, options, edits, description: str) -> bytes:
    """The alt text of the framed export: its header as edited, then the chart's description."""
    default = framing.default_frame(view, context, options, group=options.group, source=publish.source_title(context))
    frame = framing.edited(default, edits)
    return framing.alt_text(view, frame, description, context, options).encode("utf-8")
