"""The frames every view uses, built from checked statements. Pure pandas: no Streamlit here.

- `statements`: one row per sourced statement, with its date parsed at its real precision (see
  `with_dates` for the date columns every view reads), in the order of their ids (natural order:
  s2 before s10), never the file's row order: a shuffled file gives the same model, so every view,
  tile and export built from it is the same (codebook rule 14).
- `entities`: one row per person, organization, group or place named in `subject` or `object`.
- `memberships`: who belongs to which group (an affiliation row whose object is a group).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from dashboard import dates, names

_DIGITS = re.compile(r"([0-9]+)")


@dataclass(frozen=True)
class Model:
    statements: pd.DataFrame
    entities: pd.DataFrame
    memberships: pd.DataFrame

    def members_of(self, group: str) -> pd.DataFrame:
        """Members of a group, in id order of the statements that say so."""
        return self.memberships[self.memberships["group"] == group]

    def display(self, name: str) -> str:
        """The name as readers see it (the entity's display form, else the name made readable)."""
        return self.entities.at[name, "display"] if name in self.entities.index else names.display_name(name)

    def groups_of(self, name: str) -> list[str]:
        return self.memberships.loc[self.memberships["member"] == name, "group"].tolist()


def build_model(frame: pd.DataFrame) -> Model:
    """Build the model from the frame of a checked dataset (string cells plus `row`)."""
    statements = with_dates(frame)
    entities = build_entities(statements)
    memberships = build_memberships(statements, entities)
    return Model(statements=statements, entities=entities, memberships=memberships)


def with_dates(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows in id order (`by_id`), with the date columns every view reads:

    - `order`: the row's position by id (natural order), the tie-break after the date everywhere a
      reader sees an order; the file's row number stays in `row`, for messages about the file.

    - `date_start`, `date_end`: the first and last day the event can fall on (NaT for an open bound
      and for undated rows); a year or a month spans all its days, an interval runs bound to bound.
    - `date_open`: "end" for `2022/..` (on or after), "start" for `../2025` (on or before), else "".
    - `precision`: day, month, year, range (an interval, bounded or open) or unknown (undated).
    - `date_inference`: what the curator inferred: year (the source prints "March 13", not the
      year), date (the whole date or its bounds), none. `date_inferred`: anything inferred.
    - `date_display`: the date as a reader sees it, saying what is inferred.
    - `date_order`: 0, 1, 2... by start, then end, then id: never by row position, so a shuffled
      file gives the same order. Undated rows come last, by id.
    """
    out = by_id(frame)
    out["order"] = range(len(out))
    written = out["date"].tolist()
    distinct = {d: dates.parse_partial(d) for d in set(written) if d}  # a date recurs on many rows
    parsed = [distinct.get(d) for d in written]
    out["date_start"] = pd.to_datetime([p.start if p else None for p in parsed])
    out["date_end"] = pd.to_datetime([p.end if p else None for p in parsed])
    out["date_open"] = ["start" if p and p.open_start else "end" if p and p.open_end else "" for p in parsed]
    out["precision"] = [p.precision if p else "unknown" for p in parsed]
    coded = out["date_inference"] if "date_inference" in out else pd.Series("", index=out.index)
    # An inferred date whose curator did not say what of it was inferred is read as wholly inferred.
    inference = coded.where(coded != "", "date").where(out["date_note"].ne("") | coded.ne(""), "none")
    out["date_inference"] = inference.where(out["date"].ne(""), "none")
    out["date_inferred"] = out["date_inference"].ne("none")
    inferred = out["date_inference"].tolist()
    shown = {(d, i): dates.display(distinct.get(d), i) for d, i in set(zip(written, inferred))}
    out["date_display"] = [shown[d, i] for d, i in zip(written, inferred)]
    out["date_order"] = date_order(out)
    return out


def by_id(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows sorted by id in natural order (s2 before s10), with a fresh index: the one row order
    everything derived from the statements starts from, whatever the order of the file."""
    ranked = _id_columns(frame["id"].astype(str).reset_index(drop=True))
    positions = ranked.sort_values(list(ranked.columns), kind="stable").index
    return frame.iloc[positions].reset_index(drop=True)


def _id_columns(ids: pd.Series) -> pd.DataFrame:
    """Columns whose sort is the natural order of the ids: letters then number (s042) when every id
    has that shape, sorted in C rather than as Python tuples (100,000 ids: 0.4 s -> 0.05 s)."""
    shaped = ids.str.extract(r"^([A-Za-z_.-]*)([0-9]{1,18})$")
    if len(ids) and shaped.notna().all().all():
        letters, number = shaped[0].to_numpy(), shaped[1].astype("int64").to_numpy()
        return pd.DataFrame({"letters": letters, "number": number}, index=ids.index)
    return pd.DataFrame({"id": ids.map(natural_key)}, index=ids.index)


def date_order(statements: pd.DataFrame) -> pd.Series:
    """The position of each row when sorted by date (start, else end), then end, then id in
    natural order (s2 before s10); undated rows last. Independent of the rows' order in the file."""
    key = statements["date_start"].fillna(statements["date_end"])
    ranked = pd.DataFrame({"key": key, "end": statements["date_end"]})
    ids = _id_columns(statements["id"].astype(str))
    ranked[list(ids.columns)] = ids
    ranked = ranked.sort_values(["key", "end", *ids.columns], na_position="last", kind="stable")
    return pd.Series(range(len(ranked)), index=ranked.index).reindex(statements.index)


def natural_key(text: str) -> tuple:
    """Sort key reading digit runs as numbers: "s2" before "s10", "man 2" before "man 10"."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in _DIGITS.split(text) if part)


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


def has_date(events: pd.DataFrame) -> pd.Series:
    """Whether each event has a date: a bound at least (an open interval has one)."""
    return events["date_start"].notna() | events["date_end"].notna()


def dated(events: pd.DataFrame) -> pd.DataFrame:
    """The events that have a date, at any precision."""
    return events[has_date(events)]


def undated(events: pd.DataFrame) -> pd.DataFrame:
    """The events without a date, in the order the source tells them (file order)."""
    return events[~has_date(events)].sort_values("order", kind="stable")


def relations(statements: pd.DataFrame) -> pd.DataFrame:
    """Statements that link two entities."""
    return statements[statements["object"] != ""]
