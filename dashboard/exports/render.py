"""Publication export: any chart in a frame with title, filters in words, source line and credit,
rendered to PNG or SVG at newsroom sizes by one long-lived headless Chromium (kaleido).

The frame functions are pure (figure in, new figure out). `Renderer` is the only I/O.
"""

from __future__ import annotations

import os
import re
import shutil
import textwrap
import threading
import warnings
from dataclasses import dataclass

import plotly.graph_objects as go

from dashboard import style, vocabulary
from dashboard.text import escape


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
    minimum: int  # tick labels and chart labels: never smaller than this


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
    source does not say); `notice` is the no-wrongdoing line every export carries."""

    title: str
    subtitle: str = ""
    source: str = ""
    credit: str = ""
    notes: tuple[str, ...] = ()
    source_date: str = ""
    source_link: str = ""
    byline: str = ""
    notice: str = vocabulary.NOTICE_SHORT

    @property
    def source_line(self) -> str:
        """ "Source: The Outlet, 2025-03-16. https://…" — only the parts the frame has."""
        if not self.source and not self.source_link:
            return ""
        where = ", ".join(p for p in (self.source, self.source_date) if p)
        return "Source: " + ". ".join(p for p in (where, self.source_link) if p)

    @property
    def credit_line(self) -> str:
        """ "Graphic: Jane Doe · Story explorer"."""
        return " · ".join(p for p in (f"Graphic: {self.byline}" if self.byline else "", self.credit) if p)

    @property
    def footer(self) -> list[str]:
        """What is printed under the chart, in order: notes, the notice (never left out), source and credit."""
        notice = self.notice or vocabulary.NOTICE_SHORT
        notes = [n for n in self.notes if n and n != notice]
        ending = " · ".join(p for p in (self.source_line, self.credit_line) if p)
        return [*notes, notice, *([ending] if ending else [])]


@dataclass(frozen=True)
class Margins:
    """Where the frame's text goes around the plot, in pixels."""

    left: float
    right: float
    top: float
    bottom: float
    title_block: float
    footer_block: float
    top_legend: LegendGrid
    bottom_legend: LegendGrid
    subtitle: tuple[str, ...]
    footer: tuple[str, ...]

    def plot_area(self, preset: Preset) -> tuple[float, float]:
        """Width and height of the plot inside the frame."""
        return preset.width - self.left - self.right, preset.height - self.top - self.bottom


def margins(figure: go.Figure, frame: Frame, preset: Preset) -> Margins:
    """The frame's blocks around `figure` at this preset: title and subtitle (wrapped), the first
    legend under them; the axis, the second legend, notes, notice and source line at the bottom."""
    size = preset.type
    pad = round(size.body * 1.6)
    width = preset.width - 2 * pad
    subtitle = tuple(textwrap.wrap(frame.subtitle, _characters(width, size.subtitle))) if frame.subtitle else ()
    title_lines = len(textwrap.wrap(frame.title, _characters(width, size.title, bold=True))) or 1
    title_block = pad * 0.7 + title_lines * size.title * 1.25 + len(subtitle) * size.subtitle * 1.35 + size.body * 0.9
    left = pad + _tick_label_width(figure, size.minimum)
    top_legend = _legend_grid(figure, "legend", width, size.body)
    bottom_legend = _legend_grid(figure, "legend2", width, size.body)
    chars = _characters(width, size.note)
    footer = tuple(part for text in frame.footer for part in textwrap.wrap(text, chars))
    footer_block = size.note * 1.45 * len(footer) + pad * 0.6
    x_axis = figure.layout.xaxis.visible is not False and any(t.type != "table" for t in figure.data)
    axis_block = size.minimum * 3.4 if x_axis else size.body * 0.6  # two lines of ticks ("Mar 10" over "2025")
    return Margins(left, pad, title_block + top_legend.height, footer_block + bottom_legend.height + axis_block,
                   title_block, footer_block, top_legend, bottom_legend, subtitle, footer)  # fmt: skip


def _characters(width: float, size: float, bold: bool = False) -> int:
    """How many characters of Liberation Sans at `size` fit in `width` (an average letter is ~0.52 em)."""
    return max(20, int(width / (size * (0.58 if bold else 0.52))))


def framed(figure: go.Figure, frame: Frame, preset: Preset) -> go.Figure:
    """A copy of `figure` sized to the preset, with title, subtitle, notes, the notice, source and
    credit, on white, in the preset's type scale, without the controls that only make sense on screen.

    Margins are computed here rather than left to Plotly's automargin, so the frame's text can be
    placed exactly (see `margins`). Text in the chart smaller than the preset's minimum is raised to it."""
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
        title=dict(
            text="<br>".join(f"<b>{escape(t)}</b>" for t in textwrap.wrap(frame.title, _characters(
                preset.width - 2 * pad, size.title, bold=True))) or " ",
            xref="container", yref="container", x=pad / preset.width, y=1 - pad * 0.7 / preset.height,
            xanchor="left", yanchor="top", font=dict(size=size.title),
            subtitle=dict(text="<br>".join(escape(t) for t in box.subtitle),
                          font=dict(size=size.subtitle, color=style.MUTED)),
        ),
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
                entrywidth=round(grid.entry_width or 0),
            )})  # fmt: skip
    _raise_small_text(fig, size.minimum)
    annotations = list(fig.layout.annotations or [])
    line = size.note * 1.45
    for i, text in enumerate(reversed(box.footer)):
        annotations.append(dict(
            text=escape(text), xref="paper", yref="paper", x=0, xshift=-(box.left - pad), xanchor="left",
            y=-(box.bottom - pad * 0.5 - i * line) / plot_height, yanchor="bottom", showarrow=False, align="left",
            font=dict(size=size.note, color=style.MUTED, family=style.FONT_FAMILY),
        ))  # fmt: skip
    fig.update_layout(annotations=annotations)
    return fig


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


SYMBOL_PX = 40  # Plotly's legend symbol and its gap, before each item's text


def _legend_grid(fig: go.Figure, which: str, width: float, base: int) -> LegendGrid:
    """The rows a horizontal legend needs in `width` pixels, its items' text estimated at `base` px."""
    items = [
        t.name or ""
        for t in fig.data
        if "showlegend" in t and t.showlegend is not False and (t.legend or "legend") == which
    ]
    if not items or fig.layout.showlegend is False:
        return LegendGrid()
    legend = fig.layout[which]
    title = (legend.title.text or "") if legend and legend.title else ""
    title_width = len(_plain(title)) * base * 0.6 + base * 0.5
    texts = [len(_plain(n)) * base * 0.5 + base * 0.6 for n in items]
    row = base * 1.75
    if title_width + sum(t + SYMBOL_PX for t in texts) <= width:
        return LegendGrid(row + base * 0.4)
    entry = max(texts)
    columns = max(1, int((width - title_width) // (entry + SYMBOL_PX)))
    rows = -(-len(items) // columns)
    return LegendGrid(rows * row + base * 0.4, entry)


def _tick_label_width(fig: go.Figure, size: int) -> float:
    """Width of the y axis's text labels, when it shows any."""
    axis = fig.layout.yaxis
    if axis.visible is False or not axis.ticktext:
        return 0
    longest = max(len(line) for label in axis.ticktext for line in _plain(str(label)).split("\n"))
    return longest * size * 0.55 + size


def _plain(text: str) -> str:
    return re.sub(r"<[^>]+>", "", text.replace("<br>", "\n")).replace("&amp;", "&")


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

                # mathjax=False: kaleido would otherwise load MathJax from a CDN.
                kaleido.start_sync_server(mathjax=False, silence_warnings=True)
                Renderer._started = True

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
