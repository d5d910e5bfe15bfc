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

from dashboard import style
from dashboard.text import escape


@dataclass(frozen=True)
class Preset:
    """A newsroom size: layout width × height in CSS pixels, and the PNG scale factor."""

    name: str
    width: int
    height: int
    scale: int
    label: str
    formats: tuple[str, ...] = ("png", "svg")

    @property
    def pixels(self) -> tuple[int, int]:
        """Pixel size of a PNG at this preset."""
        return self.width * self.scale, self.height * self.scale


PRESETS = {
    preset.name: preset
    for preset in (
        Preset("social", 1200, 675, 1, "Social card · 1200×675 PNG"),
        Preset("square", 1080, 1080, 1, "Square · 1080×1080 PNG"),
        Preset("article", 1600, 900, 2, "Article · 1600×900 at 2× (3200×1800 PNG)"),
        Preset("print", 1500, 1000, 1, "Print · vector SVG", formats=("svg",)),
    )
}
FORMATS = ("png", "svg")
MEDIA_TYPES = {"png": "image/png", "svg": "image/svg+xml", "html": "text/html", "csv": "text/csv"}


@dataclass(frozen=True)
class Frame:
    """The words around a published chart."""

    title: str
    subtitle: str = ""
    source: str = ""
    credit: str = ""
    notes: tuple[str, ...] = ()


def framed(figure: go.Figure, frame: Frame, preset: Preset) -> go.Figure:
    """A copy of `figure` sized to the preset, with title, subtitle, notes, source and credit, on
    white, without the controls that only make sense on screen.

    Margins are computed here rather than left to Plotly's automargin, so the frame's text can be
    placed exactly: title block and the figure's first legend at the top; axis labels, its second
    legend, notes and the source line at the bottom."""
    fig = go.Figure(figure)
    base = round(15 * max(min(preset.width / 1200, preset.height / 675, 1.4), 0.9))
    pad = round(base * 1.6)
    line = base * 1.45
    fig.layout.updatemenus = ()
    fig.update_layout(
        template=style.template(), width=preset.width, height=preset.height, paper_bgcolor=style.BACKGROUND,
        plot_bgcolor=style.BACKGROUND, font=dict(family=style.FONT_FAMILY, size=base, color=style.TEXT),
        title=dict(
            text=f"<b>{escape(frame.title)}</b>", xref="container", yref="container", x=pad / preset.width,
            y=1 - pad * 0.7 / preset.height, xanchor="left", yanchor="top", font=dict(size=round(base * 1.55)),
            subtitle=dict(text=escape(frame.subtitle), font=dict(size=base, color=style.MUTED)),
        ),
    )  # fmt: skip
    x_axis = fig.layout.xaxis.visible is not False and bool(fig.data)
    if fig.layout.xaxis.rangeslider.visible:
        fig.update_xaxes(rangeslider_visible=False)
    fig.update_xaxes(automargin=False, tickfont=dict(size=round(base * 0.85)))
    fig.update_yaxes(automargin=False)
    title_block = pad * 0.7 + base * 1.55 * 1.3 + (line * 1.2 if frame.subtitle else 0) + base * 0.8
    top_legend = _legend_height(fig, "legend", preset.width - 2 * pad, base)
    bottom_legend = _legend_height(fig, "legend2", preset.width - 2 * pad, base)
    # Notes and source wrap to the frame's width: a line Plotly cannot fit would run off the edge.
    chars = int((preset.width - 2 * pad) / (base * 0.8 * 0.56))
    footer = [part for text in (*frame.notes, _source_line(frame)) if text for part in textwrap.wrap(text, chars)]
    footer_block = line * len(footer) + pad * 0.6
    axis_block = base * 3.3 if x_axis else base * 0.6  # two lines of tick labels ("Mar 10" over "2025")
    top = title_block + top_legend
    bottom = footer_block + bottom_legend + axis_block
    left = pad + _tick_label_width(fig, round(base * 0.9))
    fig.update_layout(margin=dict(l=round(left), r=pad, t=round(top), b=round(bottom), autoexpand=False))
    # The figure's first legend sits under the title block, its second above the footer.
    for which, height, y, anchor in (
        ("legend", top_legend, 1 - title_block / preset.height, "top"),
        ("legend2", bottom_legend, footer_block / preset.height, "bottom"),
    ):
        if height:
            fig.update_layout({which: dict(xref="container", yref="container", x=pad / preset.width, xanchor="left",
                                           y=y, yanchor=anchor, font=dict(size=base))})  # fmt: skip
    plot_height = preset.height - top - bottom
    annotations = list(fig.layout.annotations or [])
    for i, text in enumerate(reversed(footer)):
        annotations.append(dict(
            text=escape(text), xref="paper", yref="paper", x=0, xshift=-(left - pad), xanchor="left",
            y=-(bottom - pad * 0.5 - i * line) / plot_height, yanchor="bottom", showarrow=False, align="left",
            font=dict(size=round(base * 0.8), color=style.MUTED, family=style.FONT_FAMILY),
        ))  # fmt: skip
    fig.update_layout(annotations=annotations)
    return fig


def _legend_height(fig: go.Figure, which: str, width: float, base: int) -> float:
    """Height a horizontal legend needs: its items' text, wrapped into rows of the given width."""
    items = [
        t.name or ""
        for t in fig.data
        if "showlegend" in t and t.showlegend is not False and (t.legend or "legend") == which
    ]
    if not items or fig.layout.showlegend is False:
        return 0
    legend = fig.layout[which]
    title = (legend.title.text or "") if legend and legend.title else ""
    widths = [len(_plain(title)) * base * 0.62] + [len(_plain(n)) * base * 0.6 + base * 3 for n in items]
    rows, used = 1, 0.0
    for w in widths:
        if used + w > width:
            rows, used = rows + 1, 0.0
        used += w
    return rows * base * 1.9


def _tick_label_width(fig: go.Figure, size: int) -> float:
    """Width of the y axis's text labels, when it shows any."""
    axis = fig.layout.yaxis
    if axis.visible is False or not axis.ticktext:
        return 0
    longest = max(len(line) for label in axis.ticktext for line in _plain(str(label)).split("\n"))
    return longest * size * 0.55 + size


def _plain(text: str) -> str:
    return re.sub(r"<[^>]+>", "", text.replace("<br>", "\n")).replace("&amp;", "&")


def _source_line(frame: Frame) -> str:
    parts = [p for p in (f"Source: {frame.source}" if frame.source else "", frame.credit) if p]
    return " · ".join(parts)


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
