"""Figures for the overview page, drawn from the data. Pure pandas."""

from __future__ import annotations

import pandas as pd

from dashboard.dataset.model import Model, events


def key_counts(model: Model, statements: pd.DataFrame) -> dict[str, int]:
    """Counts a reader sees first, over the statements that pass the filters."""
    involved = set(statements["subject"]) | set(statements["object"]) - {""}
    entities = model.entities.loc[model.entities.index.isin(involved)]
    happened = events(statements)
    return {
        "Statements": len(statements),
        "Dated events": int(happened["date_start"].notna().sum()),
        "Undated events": int(happened["date_start"].isna().sum()),
        "Named people": int(((entities["kind"] == "person") & ~entities["unnamed"]).sum()),
        "Unnamed people": int(((entities["kind"] == "person") & entities["unnamed"]).sum()),
        "Organizations and groups": int(entities["kind"].isin(["organization", "group"]).sum()),
        "Alleged or denied": int(statements["certainty"].isin(["alleged", "denied"]).sum()),
        "Source documents": statements["source"].nunique(),
    }


def counts_in_words(counts: dict[str, int]) -> str:
    """How the statements counted split into what the views draw, so the figures add up on the page:
    "Of the 24 statements, 9 are dated events (on the timeline) and 5 undated events (listed under
    it); the other 10 describe who someone is or how people are linked (a role, a membership), and are
    in the network and the case table."."""
    total, dated, undated = counts["Statements"], counts["Dated events"], counts["Undated events"]
    rest = total - dated - undated
    are = "is a dated event" if dated == 1 else "are dated events"
    head = (
        f"Of the {total} statement{'s' * (total != 1)}, {dated} {are} (on the timeline) and {undated} "
        f"undated event{'s' * (undated != 1)} (listed under it)"
    )
    if not rest:
        return head + "."
    verb = "describes" if rest == 1 else "describe"
    return (
        f"{head}; the other {rest} {verb} who someone is or how people are linked (a role, a membership), "
        "and are in the network and the case table."
    )


def key_moments(statements: pd.DataFrame) -> pd.DataFrame:
    """Labelled statements in date order (start, then end, then id: a motion of 11 March before the
    regret that came on or after it), undated ones last by id; never in file order."""
    labelled = statements[statements["label"] != ""]
    return labelled.sort_values("date_order")


def date_span(statements: pd.DataFrame) -> tuple[str, str] | None:
    """The first and last dates, each shown at its own precision ("2021", "March 2025")."""
    dated = statements[statements["date_start"].notna()]
    if dated.empty:
        return None
    first, last = earliest_and_latest(dated)
    return first["date_display"], last["date_display"]


def earliest_and_latest(dated: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """The earliest row (first possible day, then last, then id) and the latest (last possible day,
    then first, then the highest id); an open bound counts as its known one. Never by file order."""
    start = dated["date_start"].fillna(dated["date_end"])
    end = dated["date_end"].fillna(dated["date_start"])
    earliest = dated.assign(_a=start, _b=end).sort_values(["_a", "_b", "order"]).iloc[0]
    latest = dated.assign(_a=end, _b=start).sort_values(["_a", "_b", "order"]).iloc[-1]
    return earliest.drop(["_a", "_b"]), latest.drop(["_a", "_b"])
