"""What a reader picked and what goes with it: the statement ids in a chart selection, the people a
statement is about and the other statements about them, and the reader's tables that list them.
Shared by the views; pure pandas: no Streamlit here."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from dashboard import names, wording
from dashboard.dataset.model import Model, undated
from dashboard.derive import filters as flt
from dashboard.derive import links


def selected_ids(selection: Mapping | None) -> list[str]:
    """Statement ids of the points in a `st.plotly_chart` selection, in order, without repeats.
    Points without an id (bars, leader lines) are ignored."""
    if not selection:
        return []
    points = selection.get("points", []) if isinstance(selection, Mapping) else getattr(selection, "points", [])
    ids: list[str] = []
    for point in points or []:
        data = point.get("customdata") if isinstance(point, Mapping) else None
        if isinstance(data, list | tuple):
            data = data[0] if data else None
        if isinstance(data, str) and data and data not in ids:
            ids.append(data)
    return ids


def statement_people(statement_id: str, model: Model) -> list[str]:
    """The subject and object of a statement, places aside: whom it is about."""
    row = model.statements.loc[model.statements["id"] == statement_id]
    if row.empty:
        return []
    kinds = model.entities["kind"]
    return [n for n in (row.iloc[0]["subject"], row.iloc[0]["object"]) if n and kinds.get(n, "") != "place"]


def related_statements(statement_id: str, statements: pd.DataFrame, model: Model) -> pd.DataFrame:
    """The other statements about the same people as one statement: its subject and object (places
    aside) and the groups they belong to; dated ones by date, then undated ones, ties by id."""
    people = statement_people(statement_id, model)
    if not people:
        return statements.iloc[0:0]
    involved = flt.involved_names(model, people)
    about = statements[
        (statements["subject"].isin(involved) | statements["object"].isin(involved))
        & (statements["id"] != statement_id)
    ]
    return about.sort_values("date_order")


def statement_table(rows: pd.DataFrame, filters: flt.Filters | None = None) -> pd.DataFrame:
    """Statements as a reader's table, rows in the order given: date as given, what the source
    says, whom it is about, who says so, how sure, and a "view in source" link."""

    def per_value(column: str, function) -> np.ndarray:
        # Names and attributions repeat: each distinct value is worded once, not once per row.
        values = rows[column]
        return values.map({v: function(v) for v in values.unique()}).to_numpy(dtype=object)

    return pd.DataFrame(
        {
            "Date": rows["date_display"].to_numpy(),
            "What the source says": rows["summary"].to_numpy(),
            "About": per_value("subject", names.display_name),
            "According to": per_value("attribution", wording.who_says),
            "Certainty": rows["certainty"].to_numpy(),
            "Source": links.source_urls(rows["id"], filters),
            "id": rows["id"].to_numpy(),
        }
    )


def undated_table(events: pd.DataFrame, filters: flt.Filters | None = None) -> pd.DataFrame:
    """The undated events as a table, numbered in the order the source tells them."""
    table = statement_table(undated(events), filters).drop(columns="Date")
    table.insert(0, "Order", range(1, len(table) + 1))
    return table
