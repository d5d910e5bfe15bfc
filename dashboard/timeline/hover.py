"""What a reader sees on hovering an event: the date as given and how it was obtained, the summary, the
verbatim quote, who says so and how sure. Escaped for Plotly's hover labels."""

from __future__ import annotations

import pandas as pd

from dashboard import text, wording

PRECISION_NOTE = {
    "year": "Year only: the source gives no month or day.",
    "month": "Month only: the source gives no day.",
}


def wrap_column(values: pd.Series, width: int = 70) -> pd.Series:
    """Each cell wrapped at spaces and escaped, lines joined with <br>, for Plotly hover labels,
    which do not wrap. Vectorised (a regex, not textwrap); a word longer than a line stays whole."""
    plain = values.astype(str).str.replace(r"\s+", " ", regex=True).str.strip()
    wrapped = plain.str.replace(rf"(.{{1,{width}}})(?: +|$)", "\\1\n", regex=True).str.rstrip("\n")
    return wrapped.map(text.escape).str.replace("\n", "<br>", regex=False)


def hover_texts(frame: pd.DataFrame) -> pd.Series:
    """What a reader sees on hover: the date as the source gives it and how it was obtained, the
    summary, the verbatim quote, who says so and how sure the source is. Everything escaped."""
    out = "<b>" + frame["date_display"].astype(str).map(text.escape) + "</b>"
    precision = frame["precision"].map(PRECISION_NOTE).fillna("")
    out += ("<br>" + precision).where(precision != "", "")
    note = "<br>" + wrap_column("How the date was obtained: " + frame["date_note"].astype(str))
    out += note.where(frame["date_note"] != "", "")
    out += "<br>" + wrap_column(frame["summary"])
    out += "<br>“" + wrap_column(frame["quote"]) + "”"
    out += "<br>" + wrap_column(frame["attribution"].map(wording.according_to))
    certainty = frame["certainty"].map(lambda c: wording.certainty_words(c)).map(text.escape)
    return out + "<br>Certainty: " + certainty
