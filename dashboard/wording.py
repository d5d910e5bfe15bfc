"""Newsroom wording shared by every view: who says so, and how sure the source is."""

from __future__ import annotations

CERTAINTY_WORDS = {
    "stated": "stated",
    "alleged": "alleged — an accusation, not established",
    "denied": "denied by the party concerned",
    "inferred": "inferred by the curator from the text",
}


def certainty_words(certainty: str) -> str:
    """How sure the source is, in words a reader understands ("alleged — an accusation, not established")."""
    return CERTAINTY_WORDS.get(certainty, certainty)


def who_says(attribution: str) -> str:
    """The attribution as it reads after "according to": "The article" becomes "the article"."""
    text = attribution.strip()
    if text.startswith("The ") and not text.startswith("The Washington Post"):
        text = "t" + text[1:]
    return text


def according_to(attribution: str) -> str:
    """ "According to officials familiar with the call", at the start of a sentence."""
    return f"According to {who_says(attribution)}"


def quoted(passage: str) -> str:
    """A passage inside quotation marks, its own double quotes turned to single ones, as a
    newsroom nests quotes: “‘If he’s sent back…,’ said an investigator.”"""
    inner = passage.replace("“", "‘").replace("”", "’")
    return f"“{inner}”"
