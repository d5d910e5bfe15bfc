"""Lines for the person at the terminal: nothing from a dataset or an argument can rewrite it."""

from __future__ import annotations

import sys

_CONTROL = dict.fromkeys([*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)])


def printable(text: str) -> str:
    """Text for a terminal: control characters (escape sequences that could recolour, move the
    cursor or overwrite the FAILED line) shown as \\xNN; tabs and line breaks kept."""
    return text.translate({c: f"\\x{c:02x}" for c in _CONTROL})


def say(message: str) -> None:
    """One line for the person at the terminal, on stderr, with control characters made visible."""
    print(printable(message), file=sys.stderr)
