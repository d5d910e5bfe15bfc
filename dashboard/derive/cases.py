"""The case table: one row per member of a tracked group (the nine men Bukele requested), derived
from the statements alone, so that it can never disagree with the timeline or the network.

Pure pandas: no Streamlit here. Rules from the codebook (`data/README.md`):

- Rule 8, groups: an `affiliation` row whose object is a group makes the subject a member. The
  members of a group come from the whole model, never from filtered statements.
- Rule 9, custody status: a row with a `status` cell ("Category; detail") sets the status of its
  subject, or of each member when the subject is a group, from its date on. The status as of a date
  is the latest status row dated on or before it; undated rows describe the situation as of the
  reporting (the present) and count as latest; past events are dated or bounded, so they are history
  whatever their row order. Between rows of equal standing (the same dates, or both undated), stated
  beats alleged beats inferred beats denied; rows still tied are taken in a fixed order (category,
  then id) and the status note says they disagree. Nothing depends on the order of rows in the file.
- Rule 11, derivation: a derived cell is at most as sure as the weakest statement it rests on: the
  status cell as its status row (and his membership of the group that row is about), the as-of
  cell as the row that first dates the status (and his membership of that row's group).
- Rule 12, wording: a status is "as of DATE (first reported)"; "since DATE" only when the row that
  first reports it is an event that begins the status (`status_begins` is "yes").
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd

from dashboard import names
from dashboard.dataset.model import Model, natural_key
from dashboard.derive import filters as flt
from dashboard.vocabulary import CERTAINTY_RANK, according_to_mid_sentence, least_certain

STATUS_NONE = "No status in the statements shown"
AS_OF_REPORTING = "As of the reporting (the source gives no date)"
BEGINS = "yes"  # `status_begins`: the row's event begins the status it sets
# After the name of a man the source does not itself place in the group: said wherever he appears.
LINKED_BY_INFERENCE = " (in the group by inference)"
NOT_REPORTED = "Not reported"
UNDATED = "Undated (as of the reporting)"
ITEM_SEPARATOR = " • "
# How much a row's certainty weighs when two status rows of equal standing disagree, and which
# certainty describes a man's cooperation best when he has several rows.
CERTAINTY_ORDER = sorted(CERTAINTY_RANK, key=CERTAINTY_RANK.get, reverse=True)

# The table's columns and their headers in the page and the CSV, in display order.
COLUMN_LABELS = {
    "name": "Name",
    "listed_as": "Listed in the data as",
    "status": "Custody status",
    "status_detail": "Status detail (as of its own statement)",
    "status_as_of": "Status as of (first reported) or since",
    "status_as_of_precision": "Date precision",
    "status_as_of_certainty": "As-of date certainty",
    "status_certainty": "Status certainty",
    "cooperation": "Cooperation",
    "aliases": "Alias",
    "charges": "Charges and case",
    "court": "Court actions",
    "cooperation_detail": "Cooperation as sourced",
    "custody": "Custody history",
    "status_date": "Status detail's statement dated",
    "status_note": "About the status",
    "membership": "How we know he is in the group",
    "membership_quote": "Quote placing him in the group",
    "membership_attribution": "Who says so",
    "membership_note": "Curator's note",
    "other_groups": "Also listed among",
    "statements": "Statements",
    "sources": "Sources",
    "statement_ids": "Statement ids",
}
# The reader's columns (who, where is he now, since when, did he cooperate, how do we know he is one
# of them), with the shorter headers a published table or a phone has room for.
READER_COLUMNS = ("name", "status", "status_as_of", "cooperation", "membership")
SHORT_LABELS = {
    **COLUMN_LABELS,
    "status_as_of": "As of (first reported) or since",
    "membership": "In the group (how sure)",
}


_CELL_COLUMNS = (
    "id", "subject", "object", "relation_type", "summary", "source", "attribution", "certainty", "note",
    "status", "status_begins", "date_order", "date_start", "date_end", "precision", "date_display",
)  # fmt: skip


def weakest(*certainties: str) -> str:
    """The least sure of some certainties ("" ignored): a derived claim goes no further than its weakest source."""
    return least_certain(certainties)


def _cells(statements: pd.DataFrame) -> pd.DataFrame:
    """The columns the cells use; a dataset without `status_begins` reads it as empty."""
    return statements.reindex(columns=list(_CELL_COLUMNS), fill_value="")


def tracked_groups(model: Model) -> list[str]:
    """Groups that have members, the group with the most members first (ties by name)."""
    memberships = model.memberships.drop_duplicates(["member", "group"])
    counts = memberships.groupby("group").size()
    ranked = sorted(counts.index, key=lambda g: (-counts[g], natural_key(g)))
    return ranked


def members(model: Model, group: str) -> pd.DataFrame:
    """One row per member of `group`, with the membership statement that says so (when there are
    several, the most certain, then the lowest id). Never in file order: those the source names as
    members first, then those linked by inference, then the unnamed, each by name."""
    rows = model.members_of(group).reset_index(drop=True)
    rows = rows.assign(
        rank=rows["certainty"].map(CERTAINTY_RANK).fillna(-1),
        unnamed=rows["member"].map(names.is_placeholder),
        name_key=rows["member"].map(natural_key),
        id_key=rows["id"].map(natural_key),
    )
    best = rows.sort_values(["member", "rank", "id_key"], ascending=[True, False, True]).drop_duplicates("member")
    best = best.sort_values(["unnamed", "rank", "name_key"], ascending=[True, False, True])
    return best.drop(columns=["rank", "unnamed", "name_key", "id_key"]).reset_index(drop=True)


def membership_certainty(model: Model) -> pd.Series:
    """The best certainty of each (member, group) pair, from its membership statements."""
    rows = model.memberships.assign(rank=model.memberships["certainty"].map(CERTAINTY_RANK).fillna(-1))
    best = rows.sort_values("rank").drop_duplicates(["member", "group"], keep="last")
    return best.set_index(["member", "group"])["certainty"]


def as_of_window(statements: pd.DataFrame, as_of: date | None, include_undated: bool) -> pd.DataFrame:
    """Statements that can be known as of `as_of`: dated on or before it (a month or year counts
    when it begins by then, as in the shared date filter), plus undated ones when included."""
    dated = statements["date_start"].notna()
    keep = dated if as_of is None else dated & (statements["date_start"] <= pd.Timestamp(as_of))
    if include_undated:
        keep |= ~dated
    return statements[keep]


def _concerning(
    model: Model, people: pd.Index | list[str], statements: pd.DataFrame, subject_only=False, groups=True
) -> pd.DataFrame:
    """Statements about each of `people`, long form: one row per (person, statement), with `via`
    naming the group when the statement is about a group he belongs to ("" when about him).
    `subject_only`: only statements whose subject is he or his group; `groups=False`: only his own."""
    people = list(people)
    direct = [statements[statements["subject"].isin(people)].assign(member=lambda f: f["subject"])]
    if not subject_only:
        as_object = statements[statements["object"].isin(people) & (statements["object"] != statements["subject"])]
        direct.append(as_object.assign(member=as_object["object"]))
    frames = [f.assign(via="") for f in direct]
    if not groups:
        return pd.concat(frames, ignore_index=True)
    links = model.memberships.loc[model.memberships["member"].isin(people), ["member", "group"]].drop_duplicates()
    columns = ["subject"] if subject_only else ["subject", "object"]
    for column in columns:
        about_group = statements[statements[column].isin(links["group"])]
        if column == "object":
            # Another member's membership row is about him, not about the group.
            about_group = about_group[
                ~about_group["subject"].isin(links["group"]) & ~about_group["id"].isin(model.memberships["id"])
            ]
        joined = about_group.merge(links, left_on=column, right_on="group", how="inner")
        frames.append(joined.drop(columns="group").assign(via=joined["group"]))
    return pd.concat(frames, ignore_index=True)


def group_phrase(group: str) -> str:
    """How a group is named in running text: 'the group “The nine men Bukele requested”'."""
    return f"the group “{names.display_name(group)}”"


def _item(rows: pd.DataFrame, with_group: bool = False) -> pd.Series:
    """Each statement as one line: "2021 — summary [stated]"; undated lines have no date."""
    dated = rows["date_display"].where(rows["date_start"].notna(), "")
    prefix = dated.where(dated == "", dated + " — ")
    if with_group:
        via = rows["via"].map({g: f"About {group_phrase(g)}: " if g else "" for g in rows["via"].unique()})
        prefix = prefix + via
    return prefix + rows["summary"] + " [" + rows["certainty"] + "]"


def _joined(rows: pd.DataFrame, text: pd.Series, index: pd.Index, empty: str = "") -> pd.Series:
    """Per member, the lines in date order (undated last, by id), joined."""
    ordered = rows.assign(_text=text).sort_values("date_order")
    joined = ordered.groupby("member", sort=False)["_text"].agg(ITEM_SEPARATOR.join)
    return joined.reindex(index).fillna(empty)


def _status(rows: pd.DataFrame, index: pd.Index, as_of: date | None, belongs: pd.Series) -> pd.DataFrame:
    """Rules 9, 11 and 12: each member's current status row, since or as of when, and how sure.
    `rows`: status rows per member (long form) with the status split into `category` and `detail`;
    `belongs`: the certainty of each (member, group) membership, for rows about a group."""
    columns = ["status", "status_detail", "status_certainty", "status_date", "status_as_of"]
    columns += ["status_as_of_precision", "status_as_of_certainty", "status_note", "status_id", "status_as_of_id"]
    if rows.empty:
        frame = pd.DataFrame({c: "" for c in columns}, index=index)
        frame["status"] = STATUS_NONE
        return frame
    via_membership = [belongs.get((m, g), "") if g else "" for m, g in zip(rows["member"], rows["via"])]
    ranked = rows.assign(
        undated=rows["date_start"].isna() & rows["date_end"].isna(),
        start=rows["date_start"].fillna(rows["date_end"]),
        rank=rows["certainty"].map(CERTAINTY_RANK).fillna(-1),
        effective=[weakest(c, m) for c, m in zip(rows["certainty"], via_membership)],
        via_membership=via_membership,
    )
    # Latest last: dated rows by start then end (an open end counts as latest), undated rows (the
    # present) after them, then the surer row; rows still tied in a fixed order, never file order.
    ranked = ranked.sort_values(
        ["member", "undated", "start", "date_end", "rank", "category", "date_order"], na_position="last"
    )
    # The last row per member is the current one; the trailing run of rows in its category
    # tells as of when he is known to be in it (the first dated row of that run).
    # Plain shifts over the sorted frame, not per-group ones: these stay fast on large groups.
    member, category = ranked["member"], ranked["category"]
    starts_run = (category != category.shift()) | (member != member.shift())
    run = starts_run.astype(int).cumsum()
    last_run = run.groupby(member.to_numpy()).transform("max")
    in_last_run = ranked[run == last_run]
    current = ranked[~member.duplicated(keep="last")].set_index("member")
    first_dated = in_last_run[~in_last_run["undated"]].drop_duplicates("member").set_index("member")
    # Rows of equal standing with the current one (same dates, same certainty) that give another category.
    standing = ranked["undated"].astype(str)
    for column in ("start", "date_end", "rank"):
        standing = standing + "|" + ranked[column].astype(str).fillna("")
    current_standing = standing[~member.duplicated(keep="last")].set_axis(current.index)
    peers = ranked[standing.to_numpy() == current_standing.reindex(member).to_numpy()]
    tied_with_current = set(peers.groupby("member")["category"].nunique().loc[lambda n: n > 1].index)
    frame = pd.DataFrame(index=index)
    frame["status"] = current["category"].reindex(index).fillna(STATUS_NONE)
    frame["status_detail"] = current["detail"].reindex(index).fillna("")
    dated_by = first_dated.reindex(current.index)
    frame["status_certainty"] = current["effective"].reindex(index)
    frame["status_as_of_certainty"] = dated_by["effective"].fillna("").reindex(index)
    frame["status_date"] = current["date_display"].where(~current["undated"], UNDATED).reindex(index)
    frame["status_as_of"] = pd.Series(
        [_as_of_words(row) for row in dated_by.itertuples()], index=dated_by.index, dtype=object
    ).reindex(index)
    frame["status_as_of_precision"] = dated_by["precision"].fillna("unknown").reindex(index)
    frame["status_note"] = pd.Series(
        [
            _status_note(row, dated, as_of, row.Index in tied_with_current)
            for row, dated in zip(current.itertuples(), dated_by.itertuples())
        ],
        index=current.index,
        dtype=object,
    ).reindex(index)
    frame["status_id"] = current["id"].reindex(index)
    frame["status_as_of_id"] = dated_by["id"].reindex(index)  # the statement that dates the category
    return frame.fillna("")


def _as_of_words(dated) -> str:
    """Rule 12: "Since 15 March 2025 (year inferred)" when the first dated row begins the status,
    else "As of 13 March 2025 (year inferred), first reported"; no dated row: as of the reporting."""
    if pd.isna(dated.id):
        return AS_OF_REPORTING
    if dated.status_begins == BEGINS:
        return f"Since {dated.date_display}"
    return f"As of {dated.date_display}, first reported"


def _status_note(row, dated, as_of: date | None, disputed: bool) -> str:
    """What a reader should know about where the current status comes from."""
    notes = []
    if row.via:
        notes.append(f"Set by a statement about {group_phrase(row.via)}.")
        if row.via_membership and row.via_membership != "stated":
            notes.append(f"He is in that group by a statement that is {row.via_membership}, so the status is too.")
    if row.undated:
        notes.append("Undated: the source describes the situation as of its reporting.")
    elif as_of is not None and pd.notna(row.date_end) and row.date_end > pd.Timestamp(as_of):
        notes.append(f"Dated {row.date_display}, which runs past the as-of date {as_of.isoformat()}.")
    elif as_of is not None and pd.isna(row.date_end):
        notes.append(f"Dated {row.date_display}: the source gives no end, so it may fall after {as_of.isoformat()}.")
    if row.certainty == "inferred" and row.note:
        notes.append(f"Inferred: {row.note}")
    elif row.certainty != "stated":
        notes.append(f"{row.certainty.capitalize()}, {according_to_mid_sentence(row.attribution)}.")
    if pd.notna(dated.id) and dated.id != row.id and dated.effective != "stated":
        how = (
            f"about {group_phrase(dated.via)}, to which he belongs by a statement that is {dated.via_membership}"
            if (dated.via and dated.via_membership != "stated")
            else f"that is {dated.effective}"
        )
        notes.append(f"The date it is first reported comes from a statement ({dated.id}) {how}, so that date is too.")
    if disputed:
        notes.append("Statements of equal standing give different statuses; see the custody history.")
    return " ".join(notes)


def case_table(
    model: Model,
    group: str,
    statements: pd.DataFrame,
    as_of: date | None = None,
    include_undated: bool = True,
    status_from: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per member of `group` (named members first, see `members`), each cell derived from `statements`.

    Charges, cooperation, court actions and sources come from `statements` about the man himself;
    custody status follows rule 9 over `status_from` (default: `statements`), rows about his groups
    included. Both are cut to what is known as of `as_of` (None: as of the reporting), undated rows
    kept when `include_undated`. Membership and how we know it come from the whole model.
    """
    roster = members(model, group)
    index = pd.Index(roster["member"], name="member")
    # Only the columns the cells use travel through the per-member joins.
    evidence = _cells(as_of_window(statements, as_of, include_undated))
    status_rows = _cells(as_of_window(statements if status_from is None else status_from, as_of, include_undated))
    status_rows = status_rows[status_rows["status"] != ""]
    parts = status_rows["status"].str.split(";", n=1)
    status_rows = status_rows.assign(category=parts.str[0].str.strip(), detail=parts.str[1].fillna("").str.strip())
    own = _concerning(model, index, evidence, groups=False)
    # Rows about his groups are expanded per member only where a cell needs them (custody history),
    # so a large group with many group-level statements does not multiply the work.
    group_custody = evidence[(evidence["relation_type"] == "custody") | (evidence["status"] != "")]
    about_groups = _concerning(model, index, group_custody, subject_only=True)
    by_id = model.statements.set_index("id")
    proof = by_id.reindex(roster["id"])
    entities = model.entities.reindex(index)

    table = pd.DataFrame(index=index)
    table["name"] = [
        names.UNNAMED_TEXT if unnamed else member + ("" if certainty == "stated" else LINKED_BY_INFERENCE)
        for member, unnamed, certainty in zip(index, entities["unnamed"], roster["certainty"])
    ]
    table["listed_as"] = [names.display_name(m) for m in index]
    table["aliases"] = entities["aliases"].fillna("").str.replace("; ", ", ").to_numpy()
    table["membership"] = roster["certainty"].str.capitalize().to_numpy()
    table["membership_quote"] = proof["quote"].fillna("").to_numpy()
    table["membership_attribution"] = proof["attribution"].fillna("").to_numpy()
    table["membership_note"] = proof["note"].fillna("").to_numpy()
    table["membership_id"] = roster["id"].to_numpy()
    belongs = membership_certainty(model)
    table = table.join(_status(_concerning(model, index, status_rows, subject_only=True), index, as_of, belongs))

    for relation_type, column in (("charge", "charges"), ("court", "court")):
        rows = own[own["relation_type"] == relation_type]
        table[column] = _joined(rows, _item(rows), index)
    cooperation = own[own["relation_type"] == "cooperation"]
    table["cooperation_detail"] = _joined(cooperation, _item(cooperation), index)
    best = cooperation.assign(rank=cooperation["certainty"].map(CERTAINTY_RANK)).groupby("member")["rank"].max()
    level = best.map({rank: certainty.capitalize() for certainty, rank in CERTAINTY_RANK.items()})
    table["cooperation"] = level.reindex(index).fillna(NOT_REPORTED)
    custody = pd.concat([own, about_groups[about_groups["via"] != ""]])
    custody = custody[custody["relation_type"] == "custody"]
    table["custody"] = _joined(custody, _item(custody, with_group=True), index)

    others = model.memberships[model.memberships["member"].isin(index) & (model.memberships["group"] != group)]
    others = others.drop_duplicates(["member", "group"])
    labelled = others.assign(_text=others["group"].map(names.display_name) + " (" + others["certainty"] + ")")
    table["other_groups"] = labelled.groupby("member")["_text"].agg("; ".join).reindex(index).fillna("")
    used = pd.concat([own[["member", "id", "source", "date_order"]], _membership_rows(roster, by_id)])
    used = used.drop_duplicates(["member", "id"]).sort_values("date_order")
    table["statement_ids"] = used.groupby("member")["id"].agg(", ".join).reindex(index).fillna("")
    table["statements"] = used.groupby("member").size().reindex(index).fillna(0).astype(int)
    table["sources"] = _sources(model, index, used, evidence)
    return table.reset_index()


def table_under_filters(model: Model, group: str, filters: flt.Filters) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The case table as the shared filters shape it, and the statements behind its evidence columns.

    The people filter narrows rows (see `narrow_to_people`), never membership; the end date is the
    as-of date; certainty and the undated toggle apply to the status too; sides and the start date
    narrow only the evidence columns, because a status holds until another replaces it."""
    evidence = flt.apply(model, replace(filters, people=()))
    status_from = flt.apply(model, replace(filters, people=(), start=None, sides=()))
    table = case_table(
        model, group, evidence, as_of=filters.end, include_undated=filters.include_undated, status_from=status_from
    )
    return table, evidence


def _sources(model: Model, index: pd.Index, used: pd.DataFrame, evidence: pd.DataFrame) -> pd.Series:
    """Per member, the source documents of the statements about him or his groups, in order of use."""
    links = model.memberships.loc[model.memberships["member"].isin(index), ["member", "group"]].drop_duplicates()
    about_groups = pd.concat(
        [
            evidence[["subject", "source", "date_order"]].rename(columns={"subject": "group"}),
            evidence[["object", "source", "date_order"]].rename(columns={"object": "group"}),
        ]
    )
    per_group = about_groups[about_groups["group"].isin(links["group"])].groupby(["group", "source"])["date_order"]
    via_groups = links.merge(per_group.min().reset_index(), on="group")[["member", "source", "date_order"]]
    documents = pd.concat([used[["member", "source", "date_order"]], via_groups]).sort_values(["date_order", "source"])
    documents = documents.drop_duplicates(["member", "source"])
    return documents.groupby("member")["source"].agg(", ".join).reindex(index).fillna("")


def _membership_rows(roster: pd.DataFrame, by_id: pd.DataFrame) -> pd.DataFrame:
    rows = by_id.reindex(roster["id"])
    return pd.DataFrame(
        {
            "member": roster["member"].to_numpy(),
            "id": roster["id"].to_numpy(),
            "source": rows["source"].to_numpy(),
            "date_order": rows["date_order"].to_numpy(),
        }
    )


def member_statements(model: Model, member: str, statements: pd.DataFrame) -> pd.DataFrame:
    """Every statement in `statements` about `member` or a group he belongs to, dated ones in date
    order then undated ones by id; `about` says whom each one is about."""
    rows = _concerning(model, [member], statements)
    rows = rows.drop_duplicates("id").sort_values("date_order")
    about = rows["via"].map(lambda g: group_phrase(g) if g else "")
    about = about.where(rows["via"] != "", names.display_name(member))
    return rows.assign(about=about).drop(columns="member").reset_index(drop=True)


def narrow_to_people(table: pd.DataFrame, group: str, people: tuple[str, ...] | list[str]) -> pd.DataFrame:
    """The rows of the chosen people; all rows when nobody is chosen or the group itself is."""
    if not people or group in people:
        return table
    return table[table["member"].isin(people)]


def export_frame(table: pd.DataFrame) -> pd.DataFrame:
    """The table with readers' headers, for display and download."""
    return table[list(COLUMN_LABELS)].rename(columns=COLUMN_LABELS)


def csv_file_name(group: str, as_of: date | None) -> str:
    """`case-status-the-nine-men-bukele-requested-as-of-2025-03-14.csv`."""
    slug = "-".join(names.fold(names.display_name(group)).split()) or "group"
    return f"case-status-{slug}-as-of-{as_of.isoformat() if as_of else 'the-reporting'}.csv"
