"""Case status: one row per member of a tracked group, derived from the statements (dashboard.derive.cases)."""

import streamlit as st

from dashboard import names, wording
from dashboard.app import export_panel, ui
from dashboard.derive import case_sentences, case_summary, cases, describe, links
from dashboard.derive.context import Options
from dashboard.exports import spreadsheet

INTRO = (
    "Where each man of the group stands, and on whose word. Select a man for his statements and quotes. "
    "Every cell is derived from the statements, so this table, the timeline and the network always agree."
)
# The group and the man whose statements are open are URL parameters too (bind="query-params").
K_GROUP, K_TABLE, K_MEMBER, K_CSV = "group", "cases_table", "member", "cases_csv"
K_ALL_COLUMNS = "cases_all_columns"
FILTERS_HELP = """
- **Who is in the group** always comes from the whole dataset, so no man drops out of the table
  silently. The people filter shows only the chosen members; choosing the group itself shows all.
  The figures above the table always count the whole group; the other filters apply to them.
- **Date range.** The custody status is the status **as of the end date**: the latest status
  statement dated on or before it, even one dated before the start date, because a status holds
  until another replaces it. A statement the source dates only by bounds (“2022 or later”) counts
  from its earliest possible day. The other columns list the statements within the date range.
- **Undated statements.** When included, undated status statements describe the situation as of
  the reporting and count as the latest. When left out, the status comes from dated statements only.
- **Certainty** narrows every cell, the status included: with *stated* alone, the status is the
  one that stated statements support.
- **Sides** narrow the charges, cooperation, court and custody-history columns and the statements
  listed for each man, not his custody status, which concerns him whichever side reports it.
- Between status statements of equal standing (the same date, or both undated), stated beats
  alleged, alleged beats inferred; the order of rows in the file never decides, and a note says
  when statements of equal standing disagree.
- **How sure.** A derived cell is never surer than the weakest statement it rests on: a status set
  by a statement about the group is only as sure as his membership of the group.
- **“As of” and “since”.** “As of DATE, first reported” is the first date at which the statements
  show him in this status; he may have been in it earlier. “Since DATE” only when the statement is
  the event that began it (a deportation, an extradition).
"""

NAMED_IN_SOURCE = "Named in the source as one of them"
LINKED = "Linked by inference"
NOT_IDENTIFIED = "Not identified"
INDIVIDUALLY = "Sourced individually as cooperating"
GROUP_FIGURE = "Cooperation, for the group as a whole"
FIGURE_HELP = {
    INDIVIDUALLY: "Men with a stated or alleged cooperation statement of their own. "
    "Inferred ones are listed, not counted. What the source says of the group as a whole is beside it.",
    GROUP_FIGURE: "How many of the group the source says cooperated, and who says so; it names none of them.",
    NAMED_IN_SOURCE: "Members the source itself names as members of the group.",
    LINKED: "Named men whom only the curator's reading of the text places in the group; see the curator's note.",
    NOT_IDENTIFIED: f"Members the source does not identify, shown as “{names.UNNAMED_TEXT}”; "
    "nothing about them is guessed.",
}


def group_figure(figures: list[tuple[str, str]]) -> tuple[str, str | None]:
    """("At least three", "per officials"); ("Not given", None) when the source gives no figure for the group."""
    if not figures:
        return "Not given", None
    quantity, who = figures[0]
    return f"{quantity[0].upper()}{quantity[1:]}", f"per {who}"


def statement_card(statement) -> None:
    """One statement about the open man: its date, relation, summary and quote, and who says so."""
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


context = ui.page_header("Case status", INTRO, view="cases")
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
if K_GROUP in st.session_state and st.session_state[K_GROUP] not in groups:
    del st.session_state[K_GROUP]  # from another dataset: the widget starts on the largest group
if len(groups) > 1:
    st.selectbox(
        "Group",
        groups,
        key=K_GROUP,
        bind="query-params",
        format_func=lambda g: f"{names.display_name(g)} ({sizes[g]} members)",
        help="Groups that have members in the dataset, the largest first.",
    )
group = st.session_state.get(K_GROUP) or groups[0]

# Which statements feed which cells: see FILTERS_HELP.
table, evidence = cases.table_under_filters(model, group, filters)
summary = case_summary.case_summary(table, model, group, evidence)

# Kept in presentation mode (the "present_" key): the table needs the group's name and its "as of".
heading = st.container(key="present_cases_group")
heading.header(esc(names.display_name(group)))
heading.markdown(case_sentences.as_of(filters))
# The table first, under its heading: the men are the story; the figures and how they are counted follow.
table_place = st.container()

st.subheader("The group in figures")
st.caption(
    f"These figures describe the whole group ({summary.members} members), whichever people the filter "
    "shows; the date, certainty and undated filters apply to them."
)
figures = {"Members": summary.members, **summary.status_counts}
figures[NAMED_IN_SOURCE] = summary.named_in_source
figures[LINKED] = summary.linked_by_inference
figures[NOT_IDENTIFIED] = summary.unnamed
figures[INDIVIDUALLY] = summary.cooperating
quantity, who = group_figure(summary.group_figures)
tiles = [*figures.items(), (GROUP_FIGURE, quantity)]
# One row of columns per three figures: on a phone the columns stack, and row by row keeps reading order.
for start in range(0, len(tiles), 3):
    for column, (label, value) in zip(st.columns(3), tiles[start : start + 3]):
        if label == GROUP_FIGURE:  # who gives the group's figure stands under it, as a neutral note
            column.metric(
                GROUP_FIGURE, esc(value), esc(who) if who else None, "off", delta_arrow="off",
                help=FIGURE_HELP[GROUP_FIGURE], border=True,
            )  # fmt: skip
        elif label == INDIVIDUALLY and summary.cooperating_by_inference:
            # A count is never surer than the memberships it rests on (issue 26).
            by_inference = len(summary.cooperating_by_inference)
            column.metric(
                esc(label), value, f"{by_inference} {'man' if by_inference == 1 else 'men'} linked to the group "
                "only by inference", "off", delta_arrow="off", help=FIGURE_HELP[label], border=True,
            )  # fmt: skip
        else:
            column.metric(esc(label), value, help=FIGURE_HELP.get(label), border=True)

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
            case_sentences.group_cooperation_item(statement, filters)
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
                f"- **{esc(names.display_name(man))}** (cooperation {esc(wording.certainty_words(certainty))}"
                + ("; in the group only by inference" if man in summary.cooperating_by_inference else "")
                + f"): {esc(details[man])}"
                for certainty, men in summary.cooperation.items()
                for man in men
            )
        )
    else:
        st.markdown("No man in the group has a cooperation statement of his own in the statements shown.")

with st.expander("How the filters apply on this page"):
    st.markdown(FILTERS_HELP)

with table_place:
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
    column_help = {  # keyed by column, headed by cases.COLUMN_LABELS
        "name": text(width=250),  # the five reader columns fit the 1440 px layout beside the sidebar
        "status": text(help="The part of the status before the semicolon; counted in the figures above."),
        "status_as_of": text(
            help="“As of DATE, first reported”: the earliest dated statement in the unbroken run that gives "
            "this status; he may have been in it earlier. “Since DATE” only when that statement is the event "
            "that began it. “As of the reporting” when the source gives no date."
        ),
        "status_as_of_certainty": text(help="As sure as the statement that dates it, and his membership of its group."),
        "status_as_of_precision": text(
            help="day, month, year, range (the source only bounds the date), or unknown: "
            "a date is never more precise than its source."
        ),
        "cooperation": text(help="The most certain of his own cooperation statements: stated, alleged or inferred."),
        **{c: text(width="large") for c in ("charges", "court", "custody", "cooperation_detail", "membership_quote")},
    }
    column_config = {cases.COLUMN_LABELS[column]: config for column, config in column_help.items()}
    # The reader's columns first; histories, quotes, notes and ids one click away (the toggle, or a row's
    # statements below). The CSV download always holds every column.
    every_column = st.toggle(
        "Show every column",
        key=K_ALL_COLUMNS,
        help="Charges, court actions, custody history, quotes, notes and how each date is known.",
    )
    st.dataframe(
        cases.export_frame(shown),
        column_order=None if every_column else [cases.COLUMN_LABELS[c] for c in cases.READER_COLUMNS],
        key=K_TABLE,
        hide_index=True,
        width="stretch",
        column_config=column_config,
        row_height=ui.TABLE_ROW_PX,
        on_select=open_selected_row,
        selection_mode="single-row",
    )
    st.caption("Click a column header to sort. Select a row to open his statements, quotes and full record below.")
    st.download_button(
        "Download this table as CSV",
        data=spreadsheet.csv_bytes(cases.export_frame(shown)),
        file_name=cases.csv_file_name(group, filters.end),
        mime="text/csv",
        key=K_CSV,
        icon=":material/download:",
        on_click="ignore",
        help="UTF-8 with a byte-order mark. Cells that begin with =, +, -, @, a tab or a carriage return "
        "get a leading apostrophe, so a spreadsheet cannot run them as formulas.",
    )
    description = describe.cases(
        shown, group, filters.end.isoformat() if filters.end else "the reporting", summary.group_figures,
        summary.group_facts,
    )  # fmt: skip
    ui.chart_description(description)
    export_panel.export_panel("cases", Options(group=group), description, formats=("png", "svg"))
    export_panel.take_out_panel(Options(group=group), key="cases_take_out")


st.subheader("Statements about one man")
if K_MEMBER in st.session_state and st.session_state[K_MEMBER] not in members_shown:
    del st.session_state[K_MEMBER]
rows = shown.set_index("member")


member = st.selectbox(
    "Open the statements about",
    members_shown,
    key=K_MEMBER,
    bind="query-params",
    format_func=lambda member: case_sentences.member_label(rows.loc[member]),
)
row = rows.loc[member]
if row["name"] == names.UNNAMED_TEXT:
    st.markdown(f"#### {esc(names.UNNAMED_TEXT)}")
    st.caption(f"Listed in the data as “{esc(row['listed_as'])}”.")
else:
    aliases = f" ({esc(row['aliases'])})" if row["aliases"] else ""
    linked = row["name"].endswith(cases.LINKED_BY_INFERENCE)
    st.markdown(f"#### {esc(row['listed_as'])}{aliases}" + (esc(cases.LINKED_BY_INFERENCE) if linked else ""))

st.markdown(case_sentences.status_line(row, filters))
if row["status_note"]:
    st.caption(esc(row["status_note"]))
st.markdown(case_sentences.membership_line(row, filters))
if row["membership_note"]:
    st.caption(f"Curator's note: {esc(row['membership_note'])}")

statements = cases.member_statements(model, member, evidence)
st.caption(
    f"{len(statements)} statements about him or a group he belongs to, in the statements the filters keep; "
    "dated ones in date order, then undated ones by id."
)
first, rest = statements.iloc[: ui.LISTED_FIRST], statements.iloc[ui.LISTED_FIRST :]
for statement in first.itertuples():
    statement_card(statement)
# The others on demand, each man's list opening short again.
if not rest.empty and st.toggle(f"Show the other {len(rest)} statements", key=f"cases_all_statements_{member}"):
    for statement in rest.itertuples():
        statement_card(statement)
