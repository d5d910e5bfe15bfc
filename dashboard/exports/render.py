"""Publication export: any chart in a frame with title, filters in words, source line and credit,
rendered to PNG or SVG at newsroom sizes by one long-lived headless Chromium (kaleido).

The frame functions are pure (figure in, new figure out). `Renderer` is the only I/O.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import threading
import warnings
from dataclasses import dataclass

import plotly.graph_objects as go

from dashboard import style, vocabulary
from dashboard.text import escape, text_width, wrap_to_width


@dataclass(frozen=True)
class TypeScale:
    """Type sizes of a preset, in the canvas's pixels. `minimum` is the smallest text that stays
    readable where the file is published (a square card is shown about 400 pixels wide on a phone,
    so its 1080-pixel canvas needs type about 2.5 times larger than on screen); `framed` raises any
    smaller text in a chart to it."""

    title: int
    subtitle: int
    body: int  # legends and table cells
    note: int  # notes, notice, source and credit lines
    minimum: int  # tick labels and any other chart text: never smaller than this

    @property
    def label(self) -> int:
        """Names and words on the chart (a network's names, a timeline's event labels): the body size,
        so they read on a phone as the legend does."""
        return self.body


@dataclass(frozen=True)
class Preset:
    """A newsroom size: layout width × height in CSS pixels, the PNG scale factor, and its type scale."""

    name: str
    width: int
    height: int
    scale: int
    label: str
    type: TypeScale
    formats: tuple[str, ...] = ("png", "svg")

    @property
    def pixels(self) -> tuple[int, int]:
        """Pixel size of a PNG at this preset."""
        return self.width * self.scale, self.height * self.scale


PRESETS = {
    preset.name: preset
    for preset in (
        # A social card is seen about 600 pixels wide in a feed: notes at 13 read as ~7 px there.
        Preset("social", 1200, 675, 1, "Social card · 1200×675 PNG", TypeScale(28, 17, 15, 13, 12)),
        # A square is seen about 400 pixels wide on a phone: everything about 1.4 times the social size.
        Preset("square", 1080, 1080, 1, "Square · 1080×1080 PNG", TypeScale(38, 23, 21, 18, 16)),
        # An article figure is seen at its layout width (1600) or half of it in a column: one step
        # between legend and notes, never the social card's 12.
        Preset("article", 1600, 900, 2, "Article · 1600×900 at 2× (3200×1800 PNG)", TypeScale(36, 22, 19, 17, 15)),
        Preset("print", 1500, 1000, 1, "Print · vector SVG", TypeScale(32, 20, 17, 15, 13), formats=("svg",)),
    )
}
FORMATS = ("png", "svg")
MEDIA_TYPES = {"png": "image/png", "svg": "image/svg+xml", "html": "text/html", "csv": "text/csv"}


@dataclass(frozen=True)
class Frame:
    """The words around a published chart, as the editor leaves them. `source` names the outlet or
    document, `source_date` and `source_link` say when and where it was published (empty when the
    source does not say); `notice` is the no-wrongdoing line every export carries. `filters` is what
    the view shows in words (who, when, which sides and certainties): written from the view state,
    printed under the subtitle as a line of its own, and not an editable field."""

    title: str
    subtitle: str = ""
    source: str = ""
    credit: str = ""
    notes: tuple[str, ...] = ()
    source_date: str = ""
    source_link: str = ""
    byline: str = ""
    notice: str = vocabulary.NOTICE_SHORT
    filters: str = ""

    @property
    def source_line(self) -> str:
        """ "Source: The Outlet, 2025-03-16. https://…" — only the parts the frame has."""
        if not self.source and not self.source_link:
            return ""
        where = ", ".join(p for p in (self.source, self.source_date) if p)
        return "Source: " + ". ".join(p for p in (where, self.source_link) if p)

    @property
    def credit_line(self) -> str:
        """ "Graphic: Jane Doe · Story explorer" (a byline typed as "Graphic by Jane Doe" is not doubled)."""
        byline = _BYLINE_PREFIX.sub("", self.byline).strip()
        return " · ".join(p for p in (f"Graphic: {byline}" if byline else "", self.credit) if p)

    @property
    def dek(self) -> str:
        """Subtitle and filters line as one line, for outputs with one place for both (HTML, alt text)."""
        return " · ".join(p for p in (self.subtitle, self.filters) if p)

    @property
    def footer(self) -> list[str]:
        """What is printed under the chart, in order: notes, the notice (never left out), source and credit."""
        notice = self.notice or vocabulary.NOTICE_SHORT
        notes = [n for n in self.notes if n and n != notice]
        ending = " · ".join(p for p in (self.source_line, self.credit_line) if p)
        return [*notes, notice, *([ending] if ending else [])]


_BYLINE_PREFIX = re.compile(r"^\s*(graphics?|chart|map)\s*(:|by\b)\s*(by\b)?\s*", re.IGNORECASE)
LINE = 1.3  # Plotly's line height in an annotation, in ems
TITLE_LINES = 2  # a headline wraps to this many lines before it is set smaller
SMALLEST_TITLE = 0.75  # of the preset's title size: the smallest a headline is set before it wraps further


@dataclass(frozen=True)
class Block:
    """One text block of the frame: its lines (wrapped to the canvas), size in px, bold or not."""

    lines: tuple[str, ...]
    size: float
    bold: bool = False

    @property
    def height(self) -> float:
        return len(self.lines) * self.size * LINE


@dataclass(frozen=True)
class Margins:
    """Where the frame's text goes around the plot, in pixels, and what the editor should know about
    how it was fitted (`warnings`)."""

    left: float
    right: float
    top: float
    bottom: float
    title_block: float
    footer_block: float
    top_legend: LegendGrid
    bottom_legend: LegendGrid
    title: Block
    subtitle: Block
    filters: Block
    footer: Block
    warnings: tuple[str, ...] = ()

    def plot_area(self, preset: Preset) -> tuple[float, float]:
        """Width and height of the plot inside the frame."""
        return preset.width - self.left - self.right, preset.height - self.top - self.bottom


def fit_block(text: str, width: float, size: float, smallest: float, lines: int, bold: bool = False) -> Block:
    """`text` wrapped to `width`, in the largest size from `size` down to `smallest` (whole pixels) at
    which it takes at most `lines` lines; at `smallest`, in as many lines as it needs: never cut."""
    if not text:
        return Block((), size, bold)
    for px in range(round(size), round(smallest) - 1, -1):
        wrapped = tuple(wrap_to_width(text, px, width, bold))
        if len(wrapped) <= lines:
            return Block(wrapped, px, bold)
    return Block(wrapped, round(smallest), bold)


def margins(figure: go.Figure, frame: Frame, preset: Preset) -> Margins:
    """The frame's blocks around `figure` at this preset: title (wrapped to two lines, then set smaller
    within the preset's type scale, then in more lines: never cut), subtitle and the filters line, the
    first legend under them; the axis, the second legend, notes, notice and source line at the
    bottom. Every line is measured (dashboard.text.text_width); `warnings` says what had to give."""
    size = preset.type
    pad = round(size.body * 1.6)
    width = preset.width - 2 * pad
    warnings = []
    title = fit_block(frame.title or " ", width, size.title, size.title * SMALLEST_TITLE, TITLE_LINES, bold=True)
    if len(title.lines) > TITLE_LINES:
        warnings.append(f"The headline takes {len(title.lines)} lines at the {preset.name} size: shorten it.")
    elif title.size < size.title:
        warnings.append(f"The headline is set at {title.size:g} px instead of {size.title} to fit in two lines.")
    subtitle = fit_block(frame.subtitle, width, size.subtitle, size.note, 2)
    if len(subtitle.lines) > 2:
        warnings.append(f"The subtitle takes {len(subtitle.lines)} lines at the {preset.name} size: shorten it.")
    filters = fit_block(frame.filters, width, size.note, size.minimum, 2)
    title_block = pad * 0.7 + title.height + subtitle.height + filters.height + size.body * 0.9
    if subtitle.lines or filters.lines:
        title_block += size.subtitle * 0.3
    left = pad + _tick_label_width(figure, size.minimum)
    top_legend = _legend_grid(figure, "legend", width, size.body)
    bottom_legend = _legend_grid(figure, "legend2", width, size.body)
    footer = Block(tuple(part for text in frame.footer for part in wrap_to_width(text, size.note, width)), size.note)
    if footer.height > preset.height * 0.3:  # a long key: one step down the type scale before it takes the chart
        footer = Block(
            tuple(part for text in frame.footer for part in wrap_to_width(text, size.minimum, width)), size.minimum
        )
    footer_block = footer.height + pad * 0.6
    x_axis = figure.layout.xaxis.visible is not False and any(t.type != "table" for t in figure.data)
    axis_block = size.minimum * 3.4 if x_axis else size.body * 0.6  # two lines of ticks ("Mar 10" over "2025")
    top, bottom = title_block + top_legend.height, footer_block + bottom_legend.height + axis_block
    if preset.height - top - bottom < preset.height * 0.3:
        warnings.append(f"The frame's text leaves the chart under a third of the {preset.name} canvas: shorten "
                        "the headline or the notes.")  # fmt: skip
    return Margins(left, pad, top, bottom, title_block, footer_block, top_legend, bottom_legend, title, subtitle,
                   filters, footer, tuple(warnings))  # fmt: skip


def framed(figure: go.Figure, frame: Frame, preset: Preset) -> go.Figure:
    """A copy of `figure` sized to the preset, with title, subtitle, the filters line, notes, the
    notice, source and credit, on white, in the preset's type scale, without the controls that only
    make sense on screen.

    Margins are computed here rather than left to Plotly's automargin, so the frame's text can be
    placed exactly (see `margins`): each block is an annotation anchored at its top (or bottom) in the
    canvas's pixels, so a headline of any number of lines stays whole. Text in the chart smaller than
    the preset's minimum is raised to it."""
    fig = go.Figure(figure)
    size = preset.type
    fig.layout.updatemenus = ()
    if fig.layout.xaxis.rangeslider.visible:
        fig.update_xaxes(rangeslider_visible=False)
    box = margins(fig, frame, preset)
    pad = box.right
    fig.update_layout(
        template=style.template(), width=preset.width, height=preset.height, paper_bgcolor=style.BACKGROUND,
        plot_bgcolor=style.BACKGROUND, font=dict(family=style.FONT_FAMILY, size=size.body, color=style.TEXT),
        title=dict(text=""), meta=dict(fig.layout.meta or {}, frame_warnings=list(box.warnings)),
    )  # fmt: skip
    fig.update_xaxes(automargin=False, tickfont=dict(size=size.minimum))
    fig.update_yaxes(automargin=False, tickfont=dict(size=size.minimum))
    fig.update_layout(margin=dict(l=round(box.left), r=pad, t=round(box.top), b=round(box.bottom), autoexpand=False))
    # The figure's first legend sits under the title block, its second above the footer.
    # The second legend is placed in paper coordinates left of and below the plot: Plotly then wraps
    # it at the canvas's width (less the right margin), as `margins` estimates, not at the plot's.
    plot_width, plot_height = box.plot_area(preset)
    for which, grid, place in (
        ("legend", box.top_legend, dict(xref="container", yref="container", x=pad / preset.width,
                                         y=1 - box.title_block / preset.height, yanchor="top")),
        ("legend2", box.bottom_legend, dict(xref="paper", yref="paper", x=-(box.left - pad) / plot_width,
                                            y=-(box.bottom - box.footer_block) / plot_height, yanchor="bottom")),
    ):  # fmt: skip
        if grid.height:
            fig.update_layout({which: dict(
                place, xanchor="left", font=dict(size=size.body), entrywidthmode="pixels",
                entrywidth=round(grid.entry_width or 0), title_side="top" if grid.title_top else None,
            )})  # fmt: skip
    _raise_small_text(fig, size.minimum)
    annotations = list(fig.layout.annotations or [])
    top = pad * 0.7
    for name, block, colour in (("frame-title", box.title, style.TEXT), ("frame-subtitle", box.subtitle, style.MUTED),
                                ("frame-filters", box.filters, style.TEXT)):  # fmt: skip
        if not block.lines:
            continue
        text = "<br>".join(f"<b>{escape(t)}</b>" if block.bold else escape(t) for t in block.lines)
        annotations.append(dict(
            name=name, text=text, xref="paper", yref="paper", x=0, xshift=-(box.left - pad), xanchor="left",
            y=1 + (box.top - top) / plot_height, yanchor="top", showarrow=False, align="left",
            font=dict(size=block.size, color=colour, family=style.FONT_FAMILY),
        ))  # fmt: skip
        top += block.height + (size.subtitle * 0.3 if name == "frame-title" else 0)
    line = box.footer.size * LINE
    for i, text in enumerate(reversed(box.footer.lines)):
        annotations.append(dict(
            name="frame-footer", text=escape(text), xref="paper", yref="paper", x=0, xshift=-(box.left - pad),
            xanchor="left", y=-(box.bottom - pad * 0.5 - i * line) / plot_height, yanchor="bottom", showarrow=False,
            align="left", font=dict(size=box.footer.size, color=style.MUTED, family=style.FONT_FAMILY),
        ))  # fmt: skip
    fig.update_layout(annotations=annotations)
    return fig


def frame_warnings(figure: go.Figure) -> list[str]:
    """What `framed` had to give to fit the frame's text (a headline set smaller, a long key)."""
    meta = figure.layout.meta if isinstance(figure.layout.meta, dict) else {}
    return list(meta.get("frame_warnings", []))


def frame_text(figure: go.Figure, name: str) -> list[str]:
    """The lines of one block of a framed figure ("frame-title", "frame-subtitle", "frame-filters",
    "frame-footer"), markup removed, top down."""
    notes = [a for a in figure.layout.annotations if a.name == name]
    notes.sort(key=lambda a: -(a.y or 0))
    return [line for a in notes for line in _plain(a.text or "").split("\n")]


def _raise_small_text(fig: go.Figure, minimum: int) -> None:
    """Chart text (annotations, trace text, table cells) below the preset's minimum is raised to it."""
    for annotation in fig.layout.annotations or ():
        if annotation.font.size is not None and annotation.font.size < minimum:
            annotation.font.size = minimum
    for trace in fig.data:
        if trace.type == "table":
            for part in (trace.header, trace.cells):
                if part.font.size is not None and part.font.size < minimum:
                    part.font.size = minimum
        elif "textfont" in trace and trace.textfont.size is not None:
            sizes = trace.textfont.size
            if isinstance(sizes, (int, float)):
                trace.textfont.size = max(sizes, minimum)
            else:
                trace.textfont.size = [max(s, minimum) for s in sizes]


@dataclass(frozen=True)
class LegendGrid:
    """How a horizontal legend is laid out in the frame: one row of natural widths, or a grid of
    equal columns (`entry_width` pixels of text each) when one row does not fit."""

    height: float = 0
    entry_width: float | None = None
    title_top: bool = False  # the title on a line of its own above the entries


SYMBOL_PX = 40  # Plotly's legend symbol and its gap, before each item's text
ITEM_GAP = 15  # what Plotly adds to an item of a set entry width, besides its symbol (measured)


def _legend_grid(fig: go.Figure, which: str, width: float, base: int) -> LegendGrid:
    """The rows a horizontal legend needs in `width` pixels, its items' text measured at `base` px."""
    items = [
        t.name or ""
        for t in fig.data
        if "showlegend" in t and t.showlegend is not False and (t.legend or "legend") == which
    ]
    if not items or fig.layout.showlegend is False:
        return LegendGrid()
    legend = fig.layout[which]
    title = (legend.title.text or "") if legend and legend.title else ""
    title_width = text_width(_plain(title), base) + base * 0.5
    texts = [text_width(_plain(n), base) + base * 0.6 for n in items]
    row = base * 1.75
    if title_width + sum(t + SYMBOL_PX for t in texts) <= width:
        return LegendGrid(row + base * 0.4)
    entry = max(texts)
    if which == "legend":
        columns = max(1, int((width - title_width) // (entry + SYMBOL_PX)))
        return LegendGrid(-(-len(items) // columns) * row + base * 0.4, entry)
    # Plotly wraps a legend under the plot at the canvas's full width, leaving out its title and where
    # it starts: the title goes above the entries, and the columns are as wide as the frame's width
    # allows, so Plotly fits no more of them in a row than counted here.
    columns = max(1, int(width // (entry + SYMBOL_PX + ITEM_GAP)))
    rows = -(-len(items) // columns)
    return LegendGrid((rows + 1) * row + base * 0.4, width / columns - SYMBOL_PX - ITEM_GAP, title_top=True)


def _tick_label_width(fig: go.Figure, size: int) -> float:
    """Width of the y axis's text labels, when it shows any."""
    axis = fig.layout.yaxis
    if axis.visible is False or not axis.ticktext:
        return 0
    return max(text_width(_plain(str(label)), size) for label in axis.ticktext) + size


def _plain(text: str) -> str:
    return (
        re.sub(r"<[^>]+>", "", text.replace("<br>", "\n"))
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
    )


PIPE_LOGGER = "choreographer.channels.pipe"
BYE = "{bye}"


class ByeFilter(logging.Filter):
    """Drops one log record of kaleido's browser driver (choreographer): when Chromium exits, the
    wrapper that runs it writes "{bye}" on the pipe, a farewell the driver expects alone; read in one
    piece with Chromium's last message, it is decoded as JSON and logged with a traceback ("JSONError
    decoding message. Ignoring"), at random at the end of a run. Every other record passes. (The
    filter goes on the driver's own logger once it exists: a logger made before it, by
    `logging.getLogger`, lacks the driver's methods and stops the renderer.)"""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        cause = getattr(error, "__cause__", None)
        return str(getattr(cause, "doc", "")).strip() != BYE


class Renderer:
    """One headless Chromium for all images of a process (kaleido's sync server): ~0.1 s an image
    once started, against ~3 s for a browser per image."""

    _lock = threading.Lock()
    _started = False

    def __init__(self) -> None:
        with Renderer._lock:
            if not Renderer._started:
                if not os.environ.get("BROWSER_PATH") and shutil.which("chromium"):
                    os.environ["BROWSER_PATH"] = shutil.which("chromium")
                import kaleido

                pipe = logging.Logger.manager.loggerDict.get(PIPE_LOGGER)  # never made here: see ByeFilter
                if isinstance(pipe, logging.Logger) and not any(isinstance(f, ByeFilter) for f in pipe.filters):
                    pipe.addFilter(ByeFilter())
                # mathjax=False: kaleido would otherwise load MathJax from a CDN.
                kaleido.start_sync_server(mathjax=False, silence_warnings=True)
                Renderer._started = True

    @classmethod
    def stop(cls) -> None:
        """Close the Chromium this process started, if it started one. The command line calls it
        before it exits: left to kaleido's own exit hook, Chromium is closed only after Python's
        exit hooks have deleted its temporary profile folder under it (tempfile's finalizers run
        first), which at times prints a traceback."""
        with cls._lock:
            if cls._started:
                import kaleido

                kaleido.stop_sync_server(silence_warnings=True)
                cls._started = False

    def render(self, figure: go.Figure, fmt: str, preset: Preset) -> bytes:
        """PNG or SVG bytes of a framed figure at the preset's size."""
        if fmt not in preset.formats:
            raise ValueError(f"the {preset.name} preset exports {', '.join(preset.formats)}, not {fmt}")
        scale = preset.scale if fmt == "png" else 1
        with Renderer._lock, warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # "kopts ignored": the server has them
            return figure.to_image(format=fmt, width=preset.width, height=preset.height, scale=scale)


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height of a PNG, read from its header."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
