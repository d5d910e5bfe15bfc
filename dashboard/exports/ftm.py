"""FollowTheMoney entities for Aleph: one entity per person, organization, group, place and source
document the statements name, and one entity per statement linking them, carrying its quote
(`description`), its summary with who says so and how sure (`summary`), its date and its source
document (`proof`). Written as JSON lines, one entity a line. Plain dicts: the `followthemoney`
library validates them in the tests and is not needed to write them.

Mapping, by the dataset's kind and relation type (the codebook's vocabularies):

- person → Person (aliases, roles as `position`); organization → PublicBody when its side is a
  government, law enforcement or the courts, else Organization; group → Organization (described
  as a group the source names, not a formal body); place → Address; a kind the code does not
  know → LegalEntity. An unnamed person stays unnamed: "Not identified in the source".
- a statement with no object → Event (events and remarks) or Note (profiles) about its subject;
- charge or court, against a person → a CourtCaseParty of the subject in a CourtCase named for
  that person ("Case against …", the only name the source gives a case), the person its defendant;
- membership of a group (the codebook's rule 8, as the model counts it) → Membership; an
  affiliation between two people → Associate;
- any other link → UnknownLink, its `role` the relation in the dataset's words.

FollowTheMoney has no place for certainty: alleged, inferred and denied are said in `summary`.
"""

from __future__ import annotations

import hashlib
import json

import pandas as pd

from dashboard import names, wording
from dashboard.derive.context import Context

PUBLIC_SIDE_WORDS = ("government", "law enforcement", "courts")
GROUP_NOTE = "A group of people as the source describes it, not a formal organization."
COURT_TYPES = ("charge", "court")


def _id(*parts: str) -> str:
    return "se-" + hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:20]


def _entity(schema: str, key: tuple[str, ...], **properties) -> dict:
    """An entity dict with only the properties that have values, each a list of strings."""
    values = {}
    for name, value in properties.items():
        items = value if isinstance(value, list | tuple) else [value]
        items = [str(v) for v in items if v not in (None, "")]
        if items:
            values[name] = list(dict.fromkeys(items))
    return {"id": _id(schema if schema in ("Document", "CourtCase") else "entity", *key), "schema": schema,
            "properties": values}  # fmt: skip


def entity_schema(kind: str, side: str) -> str:
    if kind == "person":
        return "Person"
    if kind == "organization":
        return "PublicBody" if any(w in side.lower() for w in PUBLIC_SIDE_WORDS) else "Organization"
    if kind == "group":
        return "Organization"
    if kind == "place":
        return "Address"
    return "LegalEntity"


def _party(name: str, entities: pd.DataFrame, story: str) -> dict:
    row = entities.loc[name] if name in entities.index else None
    kind = row["kind"] if row is not None else ""
    side = row["side"] if row is not None else ""
    schema = entity_schema(kind, side)
    shown = names.display_name(name)
    notes = []
    if row is not None and bool(row["unnamed"]) and kind == "person":
        notes.append(f"{names.UNNAMED_TEXT}; listed in the data as “{shown}”.")
    if kind == "group":
        notes.append(GROUP_NOTE)
    if side:
        notes.append(f"Side in the story: {side}.")
    aliases = names.split_aliases(row["aliases"]) if row is not None and row["aliases"] else []
    roles = names.split_aliases(row["roles"]) if row is not None and row["roles"] else []
    properties = {"full": shown} if schema == "Address" else {"name": shown, "alias": aliases}
    if schema == "Person":
        properties["position"] = roles
    elif roles and schema != "Address":
        properties["description"] = "; ".join(roles)
    properties["notes" if schema != "Address" else "remarks"] = " ".join(notes)
    return _entity(schema, (story, name), **properties)


def _summary(statement) -> str:
    parts = [
        statement.summary,
        f"{wording.according_to(statement.attribution)}; {wording.certainty_words(statement.certainty)}.",
    ]
    if statement.date_note and statement.date:
        parts.append(f"Date inferred: {statement.date_note}")
    return " ".join(parts)


def entities(context: Context) -> list[dict]:
    """Every entity, parties and documents first, then one per statement, in id order."""
    model, kept = context.model, context.statements
    story = context.dataset.schema.meta.get("name") or context.dataset.schema.title or "story"
    titles = {
        s.get("path", "").rsplit("/", 1)[-1]: s.get("title", "") for s in context.dataset.schema.meta.get("sources", [])
    }
    documents = {
        name: _entity(
            "Document", (story, name), fileName=name, title=titles.get(name) or name, name=titles.get(name) or name
        )
        for name in dict.fromkeys(kept["source"])
    }
    named = dict.fromkeys([*kept["subject"], *kept.loc[kept["object"] != "", "object"]])
    parties = {name: _party(name, model.entities, story) for name in named}
    # Only what the codebook counts as membership (rule 8: an affiliation to a group); "worked with
    # agents investigating MS-13" is an affiliation row too, and must never read as membership of MS-13.
    membership_ids = set(model.memberships["id"])
    cases: dict[str, dict] = {}
    against: dict[str, list[str]] = {}
    links = []
    for statement in kept.itertuples():
        subject = parties[statement.subject]
        common = {
            "summary": _summary(statement),
            "description": " ".join(statement.quote.split()),
            "proof": documents[statement.source]["id"],
        }
        dated = {**_dates(statement.date), "recordId": statement.id}
        if not statement.object:
            if statement.statement_type == "profile":
                links.append(_entity("Note", (story, statement.id), entity=subject["id"],
                                     name=statement.label or statement.summary, **common))  # fmt: skip
            else:
                links.append(_entity("Event", (story, statement.id), name=statement.label or statement.summary,
                                     involved=subject["id"], **common, **dated))  # fmt: skip
            continue
        target = parties[statement.object]
        if statement.relation_type in COURT_TYPES and target["schema"] == "Person":
            case = cases.get(statement.object)
            if case is None:
                title = f"Case against {target['properties']['name'][0]}"
                case = cases[statement.object] = _entity(
                    "CourtCase", (story, statement.object), name=title,
                    description="The charges and court actions the statements tie to him; the source gives "
                                "no case name or number.",
                )  # fmt: skip
            against.setdefault(statement.object, []).append(statement.id)
            links.append(_entity("CourtCaseParty", (story, statement.id), party=subject["id"], case=case["id"],
                                 role=statement.relation, **common, **dated))  # fmt: skip
        elif statement.id in membership_ids:
            links.append(_entity("Membership", (story, statement.id), member=subject["id"],
                                 organization=target["id"], role=statement.relation, **common, **dated))  # fmt: skip
        elif statement.relation_type == "affiliation" and subject["schema"] == target["schema"] == "Person":
            links.append(_entity("Associate", (story, statement.id), person=subject["id"], associate=target["id"],
                                 relationship=statement.relation, **common, **dated))  # fmt: skip
        else:
            links.append(_entity("UnknownLink", (story, statement.id), subject=subject["id"], object=target["id"],
                                 role=statement.relation, **common, **dated))  # fmt: skip
    for name, ids in against.items():
        summary = f"The person the charges or court actions of statements {', '.join(ids)} are against."
        links.append(_entity("CourtCaseParty", (story, "defendant", name), party=parties[name]["id"],
                             case=cases[name]["id"], role="defendant", summary=summary))  # fmt: skip
    return [*documents.values(), *parties.values(), *cases.values(), *links]


def to_line(entity: dict) -> str:
    return json.dumps(entity, ensure_ascii=False, sort_keys=True) + "\n"


def _dates(value: str) -> dict[str, str]:
    """FollowTheMoney dates are ISO prefixes (2025, 2025-03, 2025-03-13). An EDTF interval
    (2022/.., 2025-03-13/2025-03) goes to startDate and endDate, an open bound left out."""
    if "/" not in value:
        return {"date": value}
    lower, upper = value.split("/", 1)
    return {key: bound for key, bound in (("startDate", lower), ("endDate", upper)) if bound and bound != ".."}
