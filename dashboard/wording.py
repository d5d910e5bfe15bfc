"""Newsroom wording shared by every view: who says so, and how sure the source is."""

from __future__ import annotations

# The words themselves are one table in vocabulary; these are the forms the views use.
from dashboard.vocabulary import CERTAINTY_WORDS
from dashboard.vocabulary import according_to as according_to
from dashboard.vocabulary import according_to_mid_sentence as according_to_mid_sentence
from dashboard.vocabulary import who_says as who_says


def certainty_words(certainty: str) -> str:
    """How sure the source is, in words a reader understands ("alleged — an accusation, not established")."""
    return CERTAINTY_WORDS.get(certainty, certainty)


def quoted(passage: str) -> str:
    """A passage inside quotation marks, its own double quotes turned to single ones, as a
    newsroom nests quotes: “‘If he’s sent back…,’ said an investigator.”"""
    inner = passage.replace("“", "‘").replace("”", "’")
    return f"“{inner}”"
