"""The frames every view uses, built from checked statements. Pure pandas: no Streamlit here.

- `statements`: one row per sourced statement, with its date parsed at its real precision.
- `entities`: one row per person, organization, group or place named in `subject` or `object`.
- `memberships`: who belongs to which group (an affiliation row whose object is a group).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard import dates, names


@dataclass(frozen=True)
class Model:
    statements: pd.DataFrame
    entities: pd.DataFrame
    memberships: pd.DataFrame

    def members_of(self, group: str) -> pd.DataFrame:
        """Members of a group, in the order the dataset lists them."""
        return self.memberships[self.memberships["group"] == group]

    def groups_of(self, name: str) -> list[str]:
        return self.memberships.loc[self.memberships["member"] == name, "group"].tolist()


def build_model(frame: pd.DataFrame) -> Model:
    """Build the model from the frame of a checked dataset (string cells plus `row`)."""
    statements = with_dates(frame)
    entities = build_entities(statements)
    memberships = build_memberships(statements, entities)
    return Model(statements=statements, entities=entities, memberships=memberships)


def with_dates(frame: pd.DataFrame) -> pd.DataFrame:
    """Add the parsed date span, its precision and how to show it; undated rows get NaT."""
    out = frame.reset_index(drop=True).copy()
    out["order"] = range(len(out))
    parsed = [dates.parse_partial(d) if d else None for d in out["date"]]
    inferred = out["date_note"].ne("") & out["date"].ne("")
    out["date_start"] = pd.to_datetime([p.start if p else None for p in parsed])
    out["date_end"] = pd.to_datetime([p.end if p else None for p in parsed])
    out["precision"] = [p.precision if p else "unknown" for p in parsed]
    out["date_inferred"] = inferred.to_numpy()
    out["date_display"] = [dates.display(p, bool(i)) for p, i in zip(parsed, inferred)]
    return out


def build_entities(statements: pd.DataFrame) -> pd.DataFrame:
    """One row per entity, indexed by its name as written in the dataset."""
    mentions = pd.concat(
        [
            statements[["subject", "order"]].rename(columns={"subject": "name"}),
            statements.loc[statements["object"] != "", ["object", "order"]].rename(columns={"object": "name"}),
        ]
    )
    counts = mentions.groupby("name", sort=False).agg(statements=("order", "size"), first=("order", "min"))
    described = statements[statements["subject"] != ""]
    kind = described[described["kind"] != ""].groupby("subject")["kind"].first()
    side = described[described["side"] != ""].groupby("subject")["side"].first()
    roles = _joined_unique(described, "role")
    aliases = _joined_unique(described, "aliases")
    entities = counts.sort_values("first")
    entities["kind"] = kind.reindex(entities.index).fillna("")
    entities["side"] = side.reindex(entities.index).fillna("")
    entities["roles"] = roles.reindex(entities.index).fillna("")
    entities["aliases"] = aliases.reindex(entities.index).fillna("")
    entities["unnamed"] = [names.is_placeholder(n) for n in entities.index]
    entities["display"] = [
        names.display_name(n) + (f" ({a.replace('; ', ', ')})" if a else "")
        for n, a in zip(entities.index, entities["aliases"])
    ]
    entities["search_key"] = [names.fold(f"{n} {a}") for n, a in zip(entities.index, entities["aliases"])]
    entities.index.name = "name"
    return entities.drop(columns="first")


def _joined_unique(frame: pd.DataFrame, column: str) -> pd.Series:
    """Per subject, the distinct values of a ";"-separated column, in order of appearance."""
    values = frame.loc[frame[column] != "", ["subject", column]]
    return values.groupby("subject", sort=False)[column].agg(
        lambda cells: "; ".join(dict.fromkeys(v for cell in cells for v in names.split_aliases(cell)))
    )


def build_memberships(statements: pd.DataFrame, entities: pd.DataFrame) -> pd.DataFrame:
    """An affiliation row whose object is a group makes its subject a member of that group."""
    groups = set(entities.index[entities["kind"] == "group"])
    rows = statements[
        (statements["relation_type"] == "affiliation")
        & statements["object"].isin(groups)
        & (entities.reindex(statements["subject"])["kind"].to_numpy() != "group")
    ]
    return pd.DataFrame(
        {
            "member": rows["subject"].to_numpy(),
            "group": rows["object"].to_numpy(),
            "id": rows["id"].to_numpy(),
            "certainty": rows["certainty"].to_numpy(),
        }
    )


def events(statements: pd.DataFrame) -> pd.DataFrame:
    """Statements that tell what happened or what was said: everything but profiles."""
    return statements[statements["statement_type"] != "profile"]


def relations(statements: pd.DataFrame) -> pd.DataFrame:
    """Statements that link two entities."""
    return statements[statements["object"] != ""]
