"""The case table: one row per member of a tracked group (the nine men Bukele requested), derived
from the statements alone, so that it can never disagree with the timeline or the network.

Pure pandas: no Streamlit here. Rules from the codebook (`data/README.md`):

- Rule 8, groups: an `affiliation` row whose object is a group makes the subject a member. The
  members of a group come from the whole model, never from filtered statements.
- Rule 9, custody status: a row with a `status` cell ("Category; detail") sets the status of its
  subject, or of each member when the subject is a group, from its date on. The status as of a date
  is the latest status row dated on or before it; undated rows describe the situation as of the
  reporting and count as latest. Between rows of equal standing (the same date, or both undated),
  stated beats alleged beats inferred beats denied, then the later row in the file wins.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

import pandas as pd

from dashboard import filters as flt
from dashboard import names
from dashboard.model import Model
from dashboard.vocabulary import CERTAINTY_RANK, according_to_mid_sentence

STATUS_NONE = "No status in the statements shown"
NOT_REPORTED = "Not reported"
UNDATED = "Undated (as of the reporting)"
NOT_DATED = "Not dated in the source"
ITEM_SEPARATOR = " • "
# How much a row's certainty weighs when two status rows of equal standing disagree, and which
# certainty describes a man's cooperation best when he has several rows.
CERTAINTY_ORDER = sorted(CERTAINTY_RANK, key=CERTAINTY_RANK.get, reverse=True)
# Cells a spreadsheet would read as a formula, or that hide one behind a control character.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# The table's columns and their headers in the page and the CSV, in display order.
COLUMN_LABELS = {
    "name": "Name",
    "listed_as": "Listed in the data as",
    "status": "Custody status",
    "status_detail": "Status detail",
    "status_since": "In this status since",
    "status_since_precision": "Date precision",
    "status_certainty": "Status certainty",
    "cooperation": "Cooperation",
    "aliases": "Alias",
    "charges": "Charges and case",
    "court": "Court actions",
    "cooperation_detail": "Cooperation as sourced",
    "custody": "Custody history",
    "status_date": "Status statement dated",
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


_CELL_COLUMNS = (
    "id", "subject", "object", "relation_type", "summary", "source", "attribution", "certainty", "note",
    "status", "order", "date_start", "date_end", "precision", "date_display",
)  # fmt: skip


def tracked_groups(model: Model) -> list[str]:
    """Groups that have members, the group with the most members first (ties in dataset order)."""
    memberships = model.memberships.drop_duplicates(["member", "group"])
    counts = memberships.groupby("group", sort=False).size()
    order = pd.Series(range(len(counts)), index=counts.index)
    ranked = pd.DataFrame({"members": counts, "order": order}).sort_values(
        ["members", "order"], ascending=[False, True]
    )
    return ranked.index.tolist()


def members(model: Model, group: str) -> pd.DataFrame:
    """One row per member of `group` in dataset order, with the membership statement that says so
    (when there are several, the most certain, then the first)."""
    rows = model.members_of(group).reset_index(drop=True)
    rank = rows["certainty"].map(CERTAINTY_RANK).fillna(-1)
    best = rows.assign(rank=rank, first=range(len(rows))).sort_values(["rank", "first"], ascending=[False, True])
    return best.drop_duplicates("member").sort_values("first").drop(columns=["rank", "first"]).reset_index(drop=True)


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
    """Per member, the lines in date order (undated last, then dataset order), joined."""
    ordered = rows.assign(_text=text).sort_values(["date_start", "order"], na_position="last")
    joined = ordered.groupby("member", sort=False)["_text"].agg(ITEM_SEPARATOR.join)
    return joined.reindex(index).fillna(empty)


def _status(rows: pd.DataFrame, index: pd.Index, as_of: date | None) -> pd.DataFrame:
    """Rule 9: each member's current status row, and since when he has been in that category.
    `rows`: status rows per member (long form) with the status split into `category` and `detail`."""
    columns = ["status", "status_detail", "status_certainty", "status_date", "status_since"]
    columns += ["status_since_precision", "status_note", "status_id"]
    if rows.empty:
        frame = pd.DataFrame({c: "" for c in columns}, index=index)
        frame["status"] = STATUS_NONE
        return frame
    ranked = rows.assign(
        undated=rows["date_start"].isna(),
        rank=rows["certainty"].map(CERTAINTY_RANK).fillna(-1),
    ).sort_values(["member", "undated", "date_start", "date_end", "rank", "order"])
    # The last row per member is the current one; the trailing run of rows in its category
    # tells since when he has been in it (the first row of that run, if it is dated).
    # Plain shifts over the sorted frame, not per-group ones: these stay fast on large groups.
    member, category = ranked["member"], ranked["category"]
    starts_run = (category != category.shift()) | (member != member.shift())
    run = starts_run.astype(int).cumsum()
    current = ranked[~member.duplicated(keep="last")].set_index("member")
    last_run = run.groupby(member.to_numpy()).transform("max")
    since = ranked[starts_run & (run == last_run)].set_index("member")
    frame = pd.DataFrame(index=index)
    frame["status"] = current["category"].reindex(index).fillna(STATUS_NONE)
    frame["status_detail"] = current["detail"].reindex(index).fillna("")
    frame["status_certainty"] = current["certainty"].reindex(index).fillna("")
    frame["status_date"] = current["date_display"].where(current["date_start"].notna(), UNDATED).reindex(index)
    since_dated = since["date_start"].notna()
    frame["status_since"] = since["date_display"].where(since_dated, NOT_DATED).reindex(index)
    frame["status_since_precision"] = since["precision"].where(since_dated, "unknown").reindex(index)
    frame["status_note"] = pd.Series(
        [_status_note(row, as_of) for row in current.itertuples()], index=current.index, dtype=object
    ).reindex(index)
    frame["status_id"] = current["id"].reindex(index)
    return frame.fillna("")


def _status_note(row, as_of: date | None) -> str:
    """What a reader should know about where the current status comes from."""
    notes = []
    if row.via:
        notes.append(f"Set by a statement about {group_phrase(row.via)}.")
    if pd.isna(row.date_start):
        notes.append("Undated: the source describes the situation as of its reporting.")
    elif as_of is not None and row.date_end > pd.Timestamp(as_of):
        notes.append(f"Dated {row.date_display}, which runs past the as-of date {as_of.isoformat()}.")
    if row.certainty == "inferred" and row.note:
        notes.append(f"Inferred: {row.note}")
    elif row.certainty != "stated":
        notes.append(f"{row.certainty.capitalize()}, {according_to_mid_sentence(row.attribution)}.")
    return " ".join(notes)


def case_table(
    model: Model,
    group: str,
    statements: pd.DataFrame,
    as_of: date | None = None,
    include_undated: bool = True,
    status_from: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per member of `group` (in dataset order), each cell derived from `statements`.

    Charges, cooperation, court actions and sources come from `statements` about the man himself;
    custody status follows rule 9 over `status_from` (default: `statements`), rows about his groups
    included. Both are cut to what is known as of `as_of` (None: as of the reporting), undated rows
    kept when `include_undated`. Membership and how we know it come from the whole model.
    """
    roster = members(model, group)
    index = pd.Index(roster["member"], name="member")
    # Only the columns the cells use travel through the per-member joins.
    evidence = as_of_window(statements, as_of, include_undated)[list(_CELL_COLUMNS)]
    status_rows = as_of_window(statements if status_from is None else status_from, as_of, include_undated)
    status_rows = status_rows.loc[status_rows["status"] != "", list(_CELL_COLUMNS)]
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
    table["name"] = [names.UNNAMED_TEXT if unnamed else member for member, unnamed in zip(index, entities["unnamed"])]
    table["listed_as"] = [names.display_name(m) for m in index]
    table["aliases"] = entities["aliases"].fillna("").str.replace("; ", ", ").to_numpy()
    table["membership"] = roster["certainty"].str.capitalize().to_numpy()
    table["membership_quote"] = proof["quote"].fillna("").to_numpy()
    table["membership_attribution"] = proof["attribution"].fillna("").to_numpy()
    table["membership_note"] = proof["note"].fillna("").to_numpy()
    table["membership_id"] = roster["id"].to_numpy()
    table = table.join(_status(_concerning(model, index, status_rows, subject_only=True), index, as_of))

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
    used = pd.concat([own[["member", "id", "source", "order"]], _membership_rows(roster, by_id)])
    used = used.drop_duplicates(["member", "id"]).sort_values("order")
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
            evidence[["subject", "source", "order"]].rename(columns={"subject": "group"}),
            evidence[["object", "source", "order"]].rename(columns={"object": "group"}),
        ]
    )
    per_group = about_groups[about_groups["group"].isin(links["group"])].groupby(["group", "source"])["order"].min()
    via_groups = links.merge(per_group.reset_index(), on="group")[["member", "source", "order"]]
    documents = pd.concat([used[["member", "source", "order"]], via_groups]).sort_values("order")
    documents = documents.drop_duplicates(["member", "source"])
    return documents.groupby("member")["source"].agg(", ".join).reindex(index).fillna("")


def _membership_rows(roster: pd.DataFrame, by_id: pd.DataFrame) -> pd.DataFrame:
    rows = by_id.reindex(roster["id"])
    return pd.DataFrame(
        {
            "member": roster["member"].to_numpy(),
            "id": roster["id"].to_numpy(),
            "source": rows["source"].to_numpy(),
            "order": rows["order"].to_numpy(),
        }
    )


@dataclass(frozen=True)
class CaseSummary:
    """The figures shown above the table, all counted from the table and the statements."""

    members: int
    status_counts: dict[str, int]
    cooperation: dict[str, list[str]]  # certainty -> the men (dataset names) individually sourced
    group_cooperation: pd.DataFrame = field(repr=False)  # cooperation statements about the group
    named: int = 0
    unnamed: int = 0
    membership: dict[str, int] = field(default_factory=dict)  # certainty -> count

    @property
    def cooperating(self) -> int:
        """Men with a stated or alleged cooperation statement of their own (inferred ones not counted)."""
        return sum(len(self.cooperation.get(c, [])) for c in ("stated", "alleged"))


def case_summary(table: pd.DataFrame, model: Model, group: str, statements: pd.DataFrame) -> CaseSummary:
    """Counts over the table's rows: status categories, cooperation by certainty, named and unnamed,
    how membership is known; plus the cooperation statements `statements` make about the group."""
    counts = table["status"].value_counts(sort=False)
    ordered = sorted(counts.index, key=lambda s: (s == STATUS_NONE, -counts[s]))
    cooperation = {}
    for certainty in CERTAINTY_ORDER:
        men = table.loc[table["cooperation"] == certainty.capitalize(), "member"].tolist()
        if men:
            cooperation[certainty] = men
    unnamed = model.entities["unnamed"].reindex(table["member"]).fillna(False).astype(bool)
    about_group = statements[(statements["subject"] == group) & (statements["relation_type"] == "cooperation")]
    membership = table["membership"].str.lower().value_counts()
    return CaseSummary(
        members=len(table),
        status_counts={s: int(counts[s]) for s in ordered},
        cooperation=cooperation,
        group_cooperation=about_group,
        named=int((~unnamed).sum()),
        unnamed=int(unnamed.sum()),
        membership={c: int(membership[c]) for c in CERTAINTY_ORDER if c in membership},
    )


def member_statements(model: Model, member: str, statements: pd.DataFrame) -> pd.DataFrame:
    """Every statement in `statements` about `member` or a group he belongs to, dated ones in date
    order then undated ones in dataset order; `about` says whom each one is about."""
    rows = _concerning(model, [member], statements)
    rows = rows.drop_duplicates("id").sort_values(["date_start", "order"], na_position="last")
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


def spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy in which no text cell (or header) can run as a spreadsheet formula: text beginning
    with =, +, -, @, tab or carriage return gets a leading apostrophe."""

    def neutral(value):
        if isinstance(value, str) and value.startswith(FORMULA_STARTS):
            return "'" + value
        return value

    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(neutral)
    safe.columns = [neutral(str(c)) for c in safe.columns]
    return safe


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """Spreadsheet-safe CSV, UTF-8 with a byte-order mark so Excel reads accents right."""
    return spreadsheet_safe(frame).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def csv_file_name(group: str, as_of: date | None) -> str:
    """`case-status-the-nine-men-bukele-requested-as-of-2025-03-14.csv`."""
    slug = "-".join(names.fold(names.display_name(group)).split()) or "group"
    return f"case-status-{slug}-as-of-{as_of.isoformat() if as_of else 'the-reporting'}.csv"
