"""The words and marks the dataset's closed vocabularies are shown with, one table each: how sure a
statement is (certainty), what an entity is (kind), the standing notice, and how attribution reads.
Every view takes them from here, so a label cannot say one thing in the legend and another in a
tooltip. Pure data: no Streamlit, no Plotly."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Certainty:
    label: str  # in a legend: "Alleged (accusation, not established)"
    words: str  # in a sentence: "alleged — an accusation, not established"
    rank: int  # how sure, for derived claims: a claim is never surer than its weakest statement
    symbol: str  # Plotly marker (certainty is never carried by colour alone)
    dash: str  # Plotly line dash
    vis_dashes: list[int] | bool  # vis-network dash pattern


CERTAINTY = {
    "stated": Certainty("Stated", "stated", 3, "circle", "solid", False),
    "alleged": Certainty(
        "Alleged (accusation, not established)",
        "alleged — an accusation, not established",
        2,
        "diamond",
        "dash",
        [8, 5],
    ),
    "denied": Certainty("Denied", "denied by the party concerned", 0, "x", "dot", [2, 4]),
    "inferred": Certainty(
        "Inferred by the curator", "inferred by the curator from the text", 1, "triangle-up", "dashdot", [12, 4, 2, 4]
    ),
}
CERTAINTY_LABEL = {name: c.label for name, c in CERTAINTY.items()}
CERTAINTY_WORDS = {name: c.words for name, c in CERTAINTY.items()}
CERTAINTY_RANK = {name: c.rank for name, c in CERTAINTY.items()}
CERTAINTY_SYMBOL = {name: c.symbol for name, c in CERTAINTY.items()}
CERTAINTY_DASH = {name: c.dash for name, c in CERTAINTY.items()}
CERTAINTY_VIS_DASHES = {name: c.vis_dashes for name, c in CERTAINTY.items()}
# One order of certainty everywhere (codebook, "Order of certainty"): stated, then alleged (someone
# the source names or describes makes the claim), then inferred (no one in the source says it; the
# curator reads it), then denied. A merged network link is drawn with the dash of its least certain
# statement in this order, as the case table's weakest link and its tie-breaks use it.
DASH_PRIORITY = tuple(sorted(CERTAINTY_RANK, key=CERTAINTY_RANK.get))  # least certain first


def least_certain(certainties) -> str:
    """The least certain of some certainties, by the one order; "" when none is known."""
    known = [c for c in certainties if c in CERTAINTY_RANK]
    return min(known, key=CERTAINTY_RANK.get) if known else ""


@dataclass(frozen=True)
class Kind:
    label: str  # "Person"
    vis_shape: str  # vis-network shape that draws the label below the mark
    symbol: str  # Plotly marker of the static export


KIND = {
    "person": Kind("Person", "dot", "circle"),
    "organization": Kind("Organization", "square", "square"),
    "group": Kind("Group", "diamond", "diamond"),
    "place": Kind("Place", "triangle", "triangle-up"),
}
# A kind the table does not know (a dataset with its own vocabulary) is drawn as a star.
FALLBACK_SHAPE = "star"
KIND_LABELS = {name: k.label for name, k in KIND.items()}
KIND_SHAPES = {name: k.vis_shape for name, k in KIND.items()}
KIND_SYMBOLS = {name: k.symbol for name, k in KIND.items()}

# The standing notice, when the data package gives none of its own (`notice`); NOTICE_SHORT is the
# line an exported chart carries.
NOTICE = (
    "Appearing in this data implies no wrongdoing. Every allegation is attributed to whoever makes it; "
    "a charge is not a conviction, and denials are shown beside the claims they answer."
)
NOTICE_SHORT = "Appearing in this chart implies no wrongdoing; allegations are attributed to whoever makes them."


def who_says(attribution: str) -> str:
    """The attribution as it reads after "according to": a leading "The" before a lowercase word is
    a description and is lowercased ("The article" → "the article"); before a capital it is part of
    a name and is kept ("The Washington Post")."""
    text = attribution.strip()
    words = text.split(" ", 2)
    if len(words) > 1 and words[0] == "The" and words[1][:1].islower():
        text = "t" + text[1:]
    return text


def according_to(attribution: str) -> str:
    """ "According to officials familiar with the call", at the start of a sentence."""
    return f"According to {who_says(attribution)}"


def according_to_mid_sentence(attribution: str) -> str:
    """ "according to State Department spokesman Tommy Pigott", inside a sentence (names keep their case)."""
    return f"according to {who_says(attribution)}"
