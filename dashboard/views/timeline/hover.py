"""What a reader sees on hovering an event: the date as given and how it was obtained, the summary, the
verbatim quote, who says so and how sure. Escaped for Plotly's hover labels."""

from __future__ import annotations

import pandas as pd

from dashboard import text, wording

PRECISION_NOTE = {
    "year": "Year only: the source gives no month or day.",
    "month": "Month only: the source gives no day.",
    "range": "A range: the source places it between two dates, not on one day; drawn as a bar.",
}
# An open interval, in place of the range note.
OPEN_NOTE = {
    "end": "Open end: on or after this date; the source gives no end, so its bar runs on to the right edge.",
    "start": "Open start: on or before this date; the source gives no start, so its bar runs from the left edge.",
}
# What was inferred, in words beside the mark's look.
INFERENCE_NOTE = {
    "year": "Year inferred: the source prints the day and month, not the year (hollow mark with a dot).",
    "date": "Date inferred: the source implies it but does not print it (hollow mark).",
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
    opened = frame.get("date_open", pd.Series("", index=frame.index)).map(OPEN_NOTE)
    precision = opened.fillna(precision)
    out += ("<br>" + wrap_column(precision)).where(precision != "", "")
    inference = frame.get("date_inference", pd.Series("none", index=frame.index)).map(INFERENCE_NOTE).fillna("")
    out += ("<br>" + wrap_column(inference)).where(inference != "", "")
    note = "<br>" + wrap_column("How the date was obtained: " + frame["date_note"].astype(str))
    out += note.where(frame["date_note"] != "", "")
    out += "<br>" + wrap_column(frame["summary"])
    out += "<br>“" + wrap_column(frame["quote"]) + "”"
    out += "<br>" + wrap_column(frame["attribution"].map(wording.according_to))
    certainty = frame["certainty"].map(lambda c: wording.certainty_words(c)).map(text.escape)
    return out + "<br>Certainty: " + certainty
