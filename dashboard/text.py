"""Dataset text made safe for HTML-capable outputs (Plotly hover, vis-network, st.html) and markdown."""

from __future__ import annotations

import html
import re
import textwrap


def escape(text: str) -> str:
    """Text from the CSV as inert HTML text (Plotly hovers, labels, annotations; element content):
    tags show as text and never run. Quotes are left alone: Plotly prints `&quot;` literally, so a
    quote with an ASCII " would read wrong in hovers and published images. Never use this inside
    an HTML attribute: attributes are written by the autoescaping templates (views/templating.py)."""
    return html.escape(str(text), quote=False)


def escape_markdown(text: object) -> str:
    """The one choke point for text from a dataset or a URL that Streamlit renders as markdown
    (st.markdown, caption, warning, info, error, labels): no HTML, no links, images, emphasis,
    headings, lists or colour directives; only the text itself. Line breaks become spaces, so a
    value cannot start a block of its own."""
    text = _AUTOLINK_TRIGGER.sub(_WORD_JOINER, _LINE_BREAKS.sub(" ", str(text)))
    return _MARKDOWN_SYNTAX.sub(r"\\\1", html.escape(text, quote=False))


def listing(items, last: str = "and") -> str:
    """Items as a sentence lists them: "a", "a and b", "a, b and c"."""
    items = [str(i) for i in items]
    return ", ".join(items[:-1]) + f" {last} " + items[-1] if len(items) > 1 else "".join(items)


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
# Every character that can start markdown syntax and Streamlit's directives (":red[…]",
# ":material/x:", emoji codes): escaped.
_MARKDOWN_SYNTAX = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~$:@])")
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029]+")
# Streamlit's markdown (remark-gfm) turns "https://…", "www.…" and "name@host.org" into live links
# *after* backslash escapes are resolved, so escaping cannot stop it: an invisible word joiner
# (U+2060) inside each trigger does — the text reads the same and is no longer a link.
_AUTOLINK_TRIGGER = re.compile(r"(?i)(?<=[a-z]:)(?=//)|(?<=\bwww)(?=\.)|(?<=@)")
_WORD_JOINER = "\u2060"
