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


def key_moments(statements: pd.DataFrame) -> pd.DataFrame:
    """Labelled statements, dated ones in date order, then undated ones in dataset order."""
    labelled = statements[statements["label"] != ""]
    return labelled.sort_values(["date_start", "order"], na_position="last")


def date_span(statements: pd.DataFrame) -> tuple[str, str] | None:
    """The first and last dates, each shown at its own precision ("2021", "March 2025")."""
    dated = statements[statements["date_start"].notna()]
    if dated.empty:
        return None
    first = dated.loc[dated["date_start"].idxmin()]
    last = dated.loc[dated["date_end"].idxmax()]
    return first["date_display"], last["date_display"]
