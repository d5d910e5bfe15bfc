"""Sources: each source document with every quoted passage highlighted and linked to its rows."""

import streamlit as st

from dashboard.app import ui
from dashboard.derive import links
from dashboard.exports import story
from dashboard.views import sourceview

INTRO = (
    "The documents the story is built from, in full, so you can read every fact in its own words. "
    "Each passage the story quotes is highlighted; the small number after it (such as s012) names the "
    "statement that quotes it: click it to read who says so and how sure it is. A “view in source” link on "
    "the other pages opens the document here at its passage.  \n"
    "For curators: sentences no statement quotes yet are underlined with dots and listed under the "
    "document, to show what the story may still miss."
)
context = ui.page_header("Sources", INTRO)
documents = context.dataset.documents
statements = context.model.statements
focus = st.query_params.get(links.STATEMENT_PARAM)
focus_row = statements[statements["id"] == focus] if focus else statements.iloc[:0]
if focus and focus_row.empty:
    st.warning(f"No statement has the id “{ui.escape_markdown(focus)}”; showing the documents without a focus.")
    focus = None
names = sorted(documents)
if not names:
    st.info("No source document could be read for this dataset.")
    st.stop()
if focus:
    focus_document = focus_row.iloc[0]["source"]
    if st.session_state.get("_source_focus") != focus:
        # A "view in source" link chooses the document; afterwards the selector does.
        st.session_state["source_document"] = focus_document
        st.session_state["_source_focus"] = focus
titles = story.source_titles(context)
chosen = st.selectbox(
    "Document", names, key="source_document", format_func=lambda name: titles.get(name, "Source document")
)
document = documents[chosen]

all_spans = sourceview.quote_spans(document, statements)
shown = context.statements
if focus and not (shown["id"] == focus).any():
    st.info(f"Statement {ui.escape_markdown(focus)} is outside the current filters; it is highlighted anyway.")
    shown = statements[(statements["id"].isin(shown["id"]) | (statements["id"] == focus)).to_numpy()]
if focus:
    row = focus_row.iloc[0]
    st.markdown(
        f"**{ui.escape_markdown(row['id'])}** · {ui.escape_markdown(row['date_display'])} · "
        f"{ui.escape_markdown(row['summary'])}"
    )
cited_here = len(sourceview.spans_among(all_spans, shown))
st.caption(
    f"{cited_here} of the statements in view quote this document ({len(all_spans)} in the whole story). "
    "Hover a highlight to see which statements quote it; click a number to read the statement."
)
st.iframe(
    sourceview.document_html(document, shown, all_spans=all_spans, focus=focus),
    height=760,
    alt=f"{titles.get(chosen, 'Source document')}, with the quoted passages highlighted",
)
uncited = sourceview.uncited_sentences(document, all_spans)
with st.expander(f"{len(uncited)} sentence(s) no statement quotes yet (for curators)"):
    for sentence in uncited:
        st.markdown(f"- {ui.escape_markdown(sentence)}")
