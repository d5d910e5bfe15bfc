"""Overview: what the story is, the way into each view, key counts and key moments."""

import streamlit as st

from dashboard import names, wording
from dashboard.app import export_panel, ui
from dashboard.derive import cases, links, overview
from dashboard.derive import filters as flt
from dashboard.exports import story

context = ui.current()
schema = context.dataset.schema
st.title(ui.escape_markdown(context.title))
lede = story.lede(schema.description)  # the story, not how the file is kept
if lede:
    st.markdown(ui.escape_markdown(lede))
st.info(f"**How to read this data.** {ui.escape_markdown(context.notice)}", icon=":material/balance:")
for notice in ui.notices():
    st.warning(notice)
ui.show_problems(context.dataset)
ui.filter_line(context)

# The way into each view comes first: on a phone the sidebar is folded away, and below the key
# moments these links were about 3,600 px down.
st.header("Explore")
query = flt.to_query(context.filters)
groups = cases.tracked_groups(context.model)
tracked = (
    f"The members of “{ui.escape_markdown(names.display_name(groups[0]))}”"
    if groups
    else "Members of the groups the data tracks"
)
for page, label, text in (
    (
        "timeline.py",
        "Timeline",
        "What happened when: each event dated as exactly as the source dates it, and those it gives no date "
        "for listed under the chart.",
    ),
    ("network.py", "Network", "Who is linked to whom, by what relation, and on whose word."),
    ("cases.py", "Case status", f"{tracked}: custody, charges, cooperation and court actions, man by man."),
    ("sources.py", "Sources", "Each source document with every quoted passage highlighted."),
):
    st.page_link(str(ui.PAGES_DIR / page), label=f"**{label}**: {text}", query_params=query)

st.header("At a glance")
counts = list(overview.key_counts(context.model, context.statements).items())
# One row of columns per four counts: on a phone the columns stack, and row by row keeps reading order.
for row in range(0, len(counts), 4):
    for column, (label, value) in zip(st.columns(4), counts[row : row + 4]):
        column.metric(label, value)
span = overview.date_span(context.statements)
counted = ui.escape_markdown(overview.counts_in_words(dict(counts)))
if span:
    st.caption(
        f"{counted} Dated statements run from {span[0]} to {span[1]}. "
        "Dates the source only implies are marked as inferred wherever they appear."
    )
else:
    st.caption(counted)

st.header("Key moments")
moments = overview.key_moments(context.statements)
if moments.empty:
    st.caption("No key moment matches the filters.")
for statement in moments.itertuples():
    with st.container(border=True):
        st.markdown(f"**{ui.escape_markdown(statement.date_display)} · {ui.escape_markdown(statement.label)}**")
        st.markdown(ui.escape_markdown(statement.summary))
        st.caption(
            f"{ui.escape_markdown(wording.according_to(statement.attribution))} · "
            f"{ui.escape_markdown(statement.certainty)} · "
            f"[view in source]({links.source_url(statement.id, context.filters)})"
        )

st.header("About this dataset")
documents = story.source_titles(context)
st.markdown(
    f"- Last curated: **{ui.escape_markdown(ui.last_curated(context.dataset))}**\n"
    f"- {len(context.model.statements)} statements about "
    f"{len(context.model.entities)} people, organizations, groups and places\n"
    f"- Sources: {'; '.join(ui.escape_markdown(t) for t in dict.fromkeys(documents.values()))}\n"
    "- Every statement carries the passage it quotes: “view in source” shows it highlighted in its document."
)

export_panel.take_out_panel()
