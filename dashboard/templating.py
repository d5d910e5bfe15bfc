"""The one choke point where data becomes HTML: Jinja2 templates in dashboard/templates/, rendered with
autoescaping on, so a value from the CSV or the URL is always text. Pure: no Streamlit here."""

from __future__ import annotations

import functools
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

TEMPLATES = Path(__file__).resolve().parent / "templates"


@functools.cache
def environment() -> Environment:
    """One environment for the process: each template is compiled once."""
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(template: str, **context) -> str:
    """The named template filled with `context`, every value escaped unless the code marked it safe."""
    return environment().get_template(template).render(**context)
