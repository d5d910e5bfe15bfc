"""Dataset text made safe for HTML-capable outputs (Plotly hover, vis-network, st.html)."""

from __future__ import annotations

import html
import re
import textwrap


def escape(text: str) -> str:
    """Text from the CSV as inert HTML text (Plotly hovers, labels, annotations; element content):
    tags show as text and never run. Quotes are left alone: Plotly prints `&quot;` literally, so a
    quote with an ASCII " would read wrong in hovers and published images. Never use this inside
    an HTML attribute: use `escape_attribute`."""
    return html.escape(str(text), quote=False)


def escape_attribute(text: str) -> str:
    """Text from the CSV safe inside a double- or single-quoted HTML attribute, and as content."""
    return html.escape(str(text), quote=True)


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
