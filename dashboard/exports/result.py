"""What every export returns, whatever the view and format."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Export:
    """A file: its bytes, a name that says what view it shows, its media type, the alt text a
    published copy needs ("" for data files) and what it holds in a few words."""

    data: bytes
    file_name: str
    media_type: str
    alt_text: str = ""
    summary: str = ""


class Refused(ValueError):
    """An export that cannot be made as asked (an unknown view, format or preset, or a view state
    with nothing to show): one line for the reader, naming the choices where there are some."""


class NothingToShow(Exception):
    """A view state that asks a fair question whose answer is "none" (two entities no chain joins):
    nothing to draw, which the command line says, exiting 0."""
