"""Publication export: any chart in a frame with title, filters in words, source line and credit,
rendered to PNG or SVG at newsroom sizes by one long-lived headless Chromium (kaleido).

The frame functions are pure (figure in, new figure out). `Renderer` is the only I/O.
"""

from __future__ import annotations

import os
import shutil
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
    """A copy of `figure` sized to the preset, with title, subtitle, notes, source and credit,
    on white, without the controls that only make sense on screen."""
    fig = go.Figure(figure)
    scale = min(preset.width / 1200, preset.height / 675, 1.4)
    base = round(15 * max(scale, 0.9))
    footer_lines = [line for line in (*frame.notes, _source_line(frame)) if line]
    top = round(base * 5.2) if frame.subtitle else round(base * 3.4)
    # Room for the x-axis tick labels, then one line per note and the source line.
    bottom = round(base * (2.6 + 1.45 * len(footer_lines))) + 10
    fig.update_layout(
        template=style.template(),
        width=preset.width,
        height=preset.height,
        title=None,
        updatemenus=[],
        font=dict(family=style.FONT_FAMILY, size=base, color=style.TEXT),
        margin=dict(l=round(base * 1.5), r=round(base * 1.5), t=top, b=bottom),
        paper_bgcolor=style.BACKGROUND,
        plot_bgcolor=style.BACKGROUND,
    )
    fig.update_xaxes(automargin=True)
    fig.update_yaxes(automargin=True)
    if fig.layout.xaxis and fig.layout.xaxis.rangeslider:
        fig.update_xaxes(rangeslider_visible=False, rangeselector=None)
    annotations = list(fig.layout.annotations or [])
    annotations.append(_text(f"<b>{escape(frame.title)}</b>", y=1, yshift=top - base * 0.6, size=round(base * 1.6)))
    if frame.subtitle:
        annotations.append(_text(escape(frame.subtitle), y=1, yshift=top - base * 2.9, size=base, color=style.MUTED))
    for i, line in enumerate(reversed(footer_lines)):
        annotations.append(
            _text(
                escape(line),
                y=0,
                yshift=-bottom + base * (0.8 + 1.45 * i),
                size=round(base * 0.8),
                color=style.MUTED,
                anchor="bottom",
            )
        )
    fig.update_layout(annotations=annotations)
    return fig


def _source_line(frame: Frame) -> str:
    parts = [p for p in (f"Source: {frame.source}" if frame.source else "", frame.credit) if p]
    return " · ".join(parts)


def _text(text: str, y: float, yshift: float, size: int, color: str = style.TEXT, anchor: str = "top") -> dict:
    """A left-aligned line of text in the figure's margin (paper coordinates, container x)."""
    return dict(
        text=text, xref="paper", yref="paper", x=0, y=y, xanchor="left", yanchor=anchor, yshift=yshift,
        showarrow=False, align="left", font=dict(size=size, color=color, family=style.FONT_FAMILY),
    )  # fmt: skip


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
