"""Newsroom wording shared by every view: who says so, and how sure the source is."""

from __future__ import annotations

CERTAINTY_WORDS = {
    "stated": "stated",
    "alleged": "alleged — an accusation, not established",
    "denied": "denied by the party concerned",
    "inferred": "inferred by the curator from the text",
}


def according_to(attribution: str) -> str:
    """ "According to officials familiar with the call"; "The article" reads "according to the article"."""
    text = attribution.strip()
    if text.startswith("The ") and not text.startswith("The Washington Post"):
        text = "t" + text[1:]
    return f"According to {text}"


def quoted(passage: str) -> str:
    """A passage inside quotation marks, its own double quotes turned to single ones, as a
    newsroom nests quotes: “‘If he’s sent back…,’ said an investigator.”"""
    inner = passage.replace("“", "‘").replace("”", "’")
    return f"“{inner}”"
