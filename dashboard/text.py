"""Dataset text made safe for HTML-capable outputs (Plotly hover, vis-network, st.html) and markdown."""

from __future__ import annotations

import html
import re
import textwrap
import unicodedata

from dashboard import fontmetrics


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


_ADVANCE = {
    False: dict(zip(fontmetrics.CHARACTERS, fontmetrics.REGULAR)),
    True: dict(zip(fontmetrics.CHARACTERS, fontmetrics.BOLD)),
}
WIDE_EM = 1.0  # a character the table lacks: a full em if East Asian wide, else the widest Latin capital
OTHER_EM = 0.95


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width in pixels of one line of `text` drawn in Liberation Sans (Arial's metrics) at `size` px:
    the one measure of text for every printed chart (frames, legends, labels, table cells). Markup is
    not read: pass plain text. A line of several (split on newlines): the widest. Kerning is not
    applied except for the few pairs it widens, so a line never measures narrower than it is drawn."""
    if "\n" in text:
        return max(text_width(line, size, bold) for line in text.split("\n"))
    table = _ADVANCE[bold]
    text = unicodedata.normalize("NFC", text)
    units = sum(fontmetrics.WIDER_PAIRS[pair] * text.count(pair) for pair in fontmetrics.WIDER_PAIRS if pair in text)
    for char in text:
        advance = table.get(char)
        if advance is None:
            if unicodedata.combining(char):
                continue
            wide = unicodedata.east_asian_width(char) in ("W", "F")
            advance = 1000 * (WIDE_EM if wide else OTHER_EM)
        units += advance
    return units * size / 1000


def wrap_to_width(text: str, size: float, width: float, bold: bool = False) -> list[str]:
    """`text` broken into lines that each measure at most `width` pixels at `size` (see `text_width`):
    at spaces, and inside a word only when the word alone is wider than the line."""
    lines: list[str] = []
    line = ""
    for word in str(text).split():
        candidate = f"{line} {word}" if line else word
        if text_width(candidate, size, bold) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        while len(word) > 1 and text_width(word, size, bold) > width:
            cut = 1
            while cut < len(word) - 1 and text_width(word[: cut + 1], size, bold) <= width:
                cut += 1
            lines.append(word[:cut])
            word = word[cut:]
        line = word
    if line:
        lines.append(line)
    return lines


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
