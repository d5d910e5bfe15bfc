"""Case status: one row per member of a tracked group, derived from the statements (dashboard.cases)."""

import streamlit as st

from dashboard import cases, describe, downloads, links, names, publish, ui, wording

INTRO = (
    "One row per member of a group the dataset tracks, the largest first. Every cell is derived from "
    "the statements, so this table, the timeline and the network always agree: change a statement "
    "and the table changes."
)
K_GROUP, K_TABLE, K_MEMBER, K_CSV = "cases_group", "cases_table", "cases_member", "cases_csv"
FILTERS_HELP = """
- **Who is in the group** always comes from the whole dataset, so no man drops out of the table
  silently. The people filter shows only the chosen members; choosing the group itself shows all.
  The figures above the table always count the whole group.
- **Date range.** The custody status is the status **as of the end date**: the latest status
  statement dated on or before it, even one dated before the start date, because a status holds
  until another replaces it. The other columns list the statements within the date range.
- **Undated statements.** When included, undated status statements describe the situation as of
  the reporting and count as the latest. When left out, the status comes from dated statements only.
- **Certainty** narrows every cell, the status included: with *stated* alone, the status is the
  one that stated statements support.
- **Sides** narrow the charges, cooperation, court and custody-history columns and the statements
  listed for each man, not his custody status, which concerns him whichever side reports it.
- Between status statements of equal standing (the same date, or both undated), stated beats
  alleged, alleged beats inferred, then the later row in the file wins.
"""

FIGURE_HELP = {
    "Sourced as cooperating": "Men with a stated or alleged cooperation statement of their own. "
    "Inferred ones are listed, not counted. What the source says of the group as a whole is quoted below.",
    "Named": "Members the source names, whether it places them in the group in so many words or by inference.",
    "Unnamed": f"Members the source does not identify, shown as “{names.UNNAMED_TEXT}”.",
}


def according_to(attribution: str) -> str:
    """Mid-sentence form: "according to State Department spokesman Tommy Pigott" (names keep their case)."""
    return f"according to {wording.who_says(attribution)}"


context = ui.page_header("Case status", INTRO)
model, filters = context.model, context.filters
esc = ui.escape_markdown

groups = cases.tracked_groups(model)
if not groups:
    st.info(
        "No group in this dataset has members. A member is added by an affiliation row whose object "
        "is a group (see the codebook, rule 8)."
    )
    st.stop()

sizes = model.memberships.drop_duplicates(["member", "group"]).groupby("group").size()
if st.session_state.get(K_GROUP) not in groups:
    st.session_state[K_GROUP] = groups[0]
if len(groups) > 1:
    st.selectbox(
        "Group",
        groups,
        key=K_GROUP,
        format_func=lambda g: f"{names.display_name(g)} ({sizes[g]} members)",
        help="Groups that have members in the dataset, the largest first.",
    )
group = st.session_state[K_GROUP]

# Which statements feed which cells: see FILTERS_HELP.
table, evidence = cases.table_under_filters(model, group, filters)
summary = cases.case_summary(table, model, group, evidence)

st.header(esc(names.display_name(group)))
if filters.end:
    as_of = f"Custody status as of **{filters.end.isoformat()}**, the end of the date filter"
else:
    as_of = "Custody status as of the reporting (no end date is set)"
as_of += (
    "; undated statements count as the situation at the time of reporting."
    if filters.include_undated
    else "; undated statements are left out, so the status comes from dated statements only."
)
st.markdown(as_of)

figures = {"Members": summary.members, **summary.status_counts}
figures["Sourced as cooperating"] = summary.cooperating
figures["Named"] = summary.named
figures["Unnamed"] = summary.unnamed
columns = st.columns(3)
for i, (label, value) in enumerate(figures.items()):
    columns[i % 3].metric(esc(label), value, help=FIGURE_HELP.get(label), border=True)

known = ", ".join(f"{count} {certainty}" for certainty, count in summary.membership.items())
st.caption(
    f"Membership of the {summary.members}: {esc(known)} (see “How we know he is in the group”). "
    f"Status categories are the part of each status before the semicolon. "
    f"Unnamed men are shown as “{names.UNNAMED_TEXT}”; nothing about them is guessed."
)

if not summary.group_cooperation.empty:
    st.markdown(f"**Cooperation, as the source puts it for {esc(cases.group_phrase(group))}:**")
    st.markdown(
        "\n".join(
            f"- {esc(wording.quoted(statement.quote))} — {esc(according_to(statement.attribution))}, "
            f"{esc(statement.certainty)} · [view in source]({links.source_url(statement.id, filters)})"
            for statement in summary.group_cooperation.itertuples()
        )
    )
with st.expander(f"Who is counted as cooperating ({summary.cooperating}), and who is not"):
    if summary.cooperation:
        details = table.set_index("member")["cooperation_detail"]
        st.markdown(
            "Counted: men with a stated or alleged cooperation statement of their own. "
            "Listed but not counted: men whose cooperation the curator infers.\n\n"
            + "\n".join(
                f"- **{esc(names.display_name(man))}** ({esc(wording.certainty_words(certainty))}): {esc(details[man])}"
                for certainty, men in summary.cooperation.items()
                for man in men
            )
        )
    else:
        st.markdown("No man in the group has a cooperation statement of his own in the statements shown.")

with st.expander("How the filters apply on this page"):
    st.markdown(FILTERS_HELP)

st.subheader("Case by case")
shown = cases.narrow_to_people(table, group, filters.people)
if shown.empty:
    chosen = ", ".join(names.display_name(p) for p in filters.people)
    st.info(
        f"None of the people chosen in the filter ({esc(chosen)}) is a member of "
        f"{esc(cases.group_phrase(group))}. Choose one of its members, or clear the people filter."
    )
    st.stop()
if len(shown) < len(table):
    st.caption(f"Showing {len(shown)} of {len(table)} members: the people filter is set.")

members_shown = shown["member"].tolist()


def open_selected_row() -> None:
    """A row chosen in the table opens that man's statements below."""
    rows = st.session_state[K_TABLE].selection.rows
    if rows:
        st.session_state[K_MEMBER] = members_shown[rows[0]]


text = st.column_config.TextColumn
column_config = {
    "Name": text(width=290),
    "Custody status": text(help="The part of the status before the semicolon; counted in the figures above."),
    "In this status since": text(
        help="The earliest dated statement in the unbroken run that gives this status; "
        "he may have been in it earlier. “Not dated” when the source gives no date."
    ),
    "Date precision": text(help="day, month, year, or unknown: a date is never more precise than its source."),
    "Cooperation": text(help="The most certain of his own cooperation statements: stated, alleged or inferred."),
    "Charges and case": text(width="large"),
    "Court actions": text(width="large"),
    "Custody history": text(width="large"),
    "Cooperation as sourced": text(width="large"),
    "Quote placing him in the group": text(width="large"),
}
st.dataframe(
    cases.export_frame(shown),
    key=K_TABLE,
    hide_index=True,
    width="stretch",
    column_config=column_config,
    on_select=open_selected_row,
    selection_mode="single-row",
)
st.caption("Click a column header to sort. Select a row to open his statements and quotes below.")
st.download_button(
    "Download this table as CSV",
    data=cases.csv_bytes(cases.export_frame(shown)),
    file_name=cases.csv_file_name(group, filters.end),
    mime="text/csv",
    key=K_CSV,
    icon=":material/download:",
    on_click="ignore",
    help="UTF-8 with a byte-order mark. Cells that begin with =, +, -, @, a tab or a carriage return "
    "get a leading apostrophe, so a spreadsheet cannot run them as formulas.",
)
description = describe.cases(shown, group, filters.end.isoformat() if filters.end else "the reporting")
ui.chart_description(description)
ui.export_panel("cases", publish.Options(group=group), description, formats=("png", "svg"))
downloads.take_out_panel(group=group, key="cases_take_out")

st.subheader("Statements about one man")
if st.session_state.get(K_MEMBER) not in members_shown:
    st.session_state[K_MEMBER] = members_shown[0]
rows = shown.set_index("member")


def member_label(member: str) -> str:
    row = rows.loc[member]
    unnamed = row["name"] == names.UNNAMED_TEXT
    label = f"{row['listed_as']} (not identified in the source)" if unnamed else row["listed_as"]
    return f"{label} · {row['status']}"


member = st.selectbox("Open the statements about", members_shown, key=K_MEMBER, format_func=member_label)
row = rows.loc[member]
if row["name"] == names.UNNAMED_TEXT:
    st.markdown(f"#### {esc(names.UNNAMED_TEXT)}")
    st.caption(f"Listed in the data as “{esc(row['listed_as'])}”.")
else:
    st.markdown(f"#### {esc(row['name'])}" + (f" ({esc(row['aliases'])})" if row["aliases"] else ""))

status_line = f"**Custody status:** {esc(row['status'])}"
if row["status_detail"]:
    status_line += f"; {esc(row['status_detail'])}"
if row["status_id"]:
    status_line += (
        f" — {esc(row['status_certainty'])}; in this status since {esc(row['status_since'])} "
        f"(precision: {esc(row['status_since_precision'])}) · "
        f"[view in source]({links.source_url(row['status_id'], filters)})"
    )
st.markdown(status_line)
if row["status_note"]:
    st.caption(esc(row["status_note"]))
st.markdown(
    f"**How we know he is in the group:** {esc(row['membership'].lower())}, "
    f"{esc(according_to(row['membership_attribution']))}: {esc(wording.quoted(row['membership_quote']))} · "
    f"[view in source]({links.source_url(row['membership_id'], filters)})"
)
if row["membership_note"]:
    st.caption(f"Curator's note: {esc(row['membership_note'])}")

statements = cases.member_statements(model, member, evidence)
st.caption(
    f"{len(statements)} statements about him or a group he belongs to, in the statements the filters keep; "
    "dated ones in date order, then undated ones in the source's order."
)
for statement in statements.itertuples():
    with st.container(border=True):
        st.markdown(
            f"**{esc(statement.date_display)}** · {esc(statement.relation_type.replace('_', ' '))} · "
            f"about {esc(statement.about)}  \n{esc(statement.summary)}\n\n> {esc(wording.quoted(statement.quote))}"
        )
        st.caption(
            f"{esc(wording.according_to(statement.attribution))} · "
            f"{esc(wording.certainty_words(statement.certainty))} · "
            f"{esc(statement.id)} · [view in source]({links.source_url(statement.id, filters)})"
        )
        if statement.note:
            st.caption(f"Curator's note: {esc(statement.note)}")
