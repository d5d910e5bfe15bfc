"""Dataset text made safe for HTML-capable outputs (Plotly hover, vis-network, st.html) and markdown."""

from __future__ import annotations

import html
import re
import textwrap


def escape(text: str) -> str:
    """Text from the CSV as inert HTML: tags show as text and never run."""
    return html.escape(str(text), quote=True)


def escape_markdown(text: str) -> str:
    """Dataset text shown through st.markdown: no HTML, no markdown links or emphasis."""
    return _MARKDOWN_SYNTAX.sub(r"\\\1", html.escape(text, quote=False))


def wrap_html(text: str, width: int = 70) -> str:
    """Escaped text wrapped with <br> for Plotly hover labels, which do not wrap on their own."""
    lines = textwrap.wrap(str(text), width=width, break_long_words=True) or [""]
    return "<br>".join(escape(line) for line in lines)


def wrap_plain(text: str, width: int = 70) -> str:
    """Plain text wrapped with newlines, for tooltips shown as text (vis-network titles)."""
    text = str(text)
    # Most tooltip lines are short: skip textwrap (the same result, ~10x faster; thousands per map).
    if len(text) <= width and text == text.strip() and not _OTHER_WHITESPACE.search(text):
        return text
    return "\n".join(textwrap.wrap(text, width=width) or [""])


_OTHER_WHITESPACE = re.compile(r"[\t\n\r\x0b\x0c]")
_MARKDOWN_SYNTAX = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~$:])")
