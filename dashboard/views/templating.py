"""The one choke point where data becomes HTML: Jinja2 templates in dashboard/templates/, rendered with
autoescaping on, so a value from the CSV or the URL is always text. Pure: no Streamlit here."""

from __future__ import annotations

import functools
import json
import os
import stat
from pathlib import Path

from jinja2 import (
    BytecodeCache,
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    StrictUndefined,
    select_autoescape,
)

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


@functools.cache
def environment() -> Environment:
    """One environment for the process and every template: autoescaping, strict about undefined
    names, each template compiled once."""
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=bytecode_cache(),
    )
    environment.filters["fromjson"] = json.loads  # network.html reads pyvis's options as JSON
    return environment


def render(template: str, **context) -> str:
    """The named template filled with `context`, every value escaped unless the code marked it safe."""
    return environment().get_template(template).render(**context)


@functools.cache
def bytecode_cache() -> BytecodeCache | None:
    """Compiled templates kept on disk beside the dataset cache, so that a restarted server's first
    page loads them instead of compiling them (10-20 ms for the source and network pages). Jinja
    keys each by the template's name and checks it against a checksum of its source, so an edited
    template is compiled again. What is kept there is code the server runs: used only when the
    folder is the server user's own and nobody else can write to it, else templates are compiled."""
    from dashboard.dataset.cache import COMPILED_TEMPLATES, cache_dir  # here: rendering alone needs no data cache

    folder = cache_dir() / COMPILED_TEMPLATES
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        return FileSystemBytecodeCache(str(folder)) if private_folder(folder) else None
    except OSError:
        return None


def private_folder(folder: Path) -> bool:
    """A real folder (not a link), owned by this process's user, that no group or other user can write to."""
    info = folder.lstat()
    shared = info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and not shared
