"""The network page's "How are they connected?" section: two pickers, the "Only stated links"
switch, the chains hop by hop with the statements behind each, and the question kept in the URL
(?from=Marco+Rubio&to=Osiris+Luna). Streamlit glue only: the search is dashboard.derive.paths."""

from __future__ import annotations

import streamlit as st

from dashboard import names, wording
from dashboard.app import ui
from dashboard.derive import links, paths
from dashboard.derive.choices import EntityChoices
from dashboard.derive.context import Context

K_FROM, K_TO, K_STATED, K_LONGER, K_DRAWN = "path_from", "path_to", "path_stated", "path_longer", "path_drawn"
K_WRITTEN = "path_link_written"  # the parameters the section last put in the URL
TITLE = "How are they connected?"


@st.cache_resource(max_entries=4, show_spinner=False)
def _links(version: tuple, filters, only_stated: bool, _statements) -> paths.Links:
    """The links of the statements in view, once per dataset, filters and switch (not per rerun)."""
    return paths.build_links(_statements, only_stated)


def _read_link(entities) -> None:
    """Read the question from the URL when the section has not, or when the URL no longer holds
    what the section wrote (the browser's Back button, a pasted link)."""
    written = st.session_state.get(K_WRITTEN)
    keys = (paths.FROM_PARAM, paths.TO_PARAM, paths.STATED_PARAM)
    if written is not None and written != {k: st.query_params.get(k) for k in keys}:
        for key in (K_FROM, K_TO, K_STATED):
            st.session_state.pop(key, None)
    if K_FROM in st.session_state and K_TO in st.session_state and K_STATED in st.session_state:
        return
    shared = paths.read_link({k: st.query_params.get_all(k) for k in keys}, entities)
    for notice in shared.notices:
        st.warning(ui.escape_markdown(notice))
    st.session_state.setdefault(K_FROM, shared.source)
    st.session_state.setdefault(K_TO, shared.target)
    st.session_state.setdefault(K_STATED, shared.only_stated)


def _write_link(source, target, only_stated) -> None:
    ui.write_link(paths.link_params(source, target, only_stated), K_WRITTEN)


def show(context: Context, choices: EntityChoices) -> paths.Chain | None:
    """The section; returns the chain to draw on the network, or None."""
    entities = context.model.entities
    st.header(TITLE)
    st.caption(
        "Every shortest chain of sourced links between two people or organizations, hop by hop, on "
        "whose word. A hop is as sure as its surest statement, a chain as its weakest hop; a denial "
        "never links. The sidebar's filters apply."
    )
    _read_link(entities)
    for key in (K_FROM, K_TO):
        if st.session_state.get(key) not in entities.index:
            st.session_state[key] = None
    left, middle, right = st.columns([4, 4, 3], vertical_alignment="bottom")
    options = [None, *choices.names]
    source = left.selectbox("From", options, key=K_FROM, format_func=lambda n: "Choose…" if n is None
                            else choices.label[n], placeholder="Choose…")  # fmt: skip
    target = middle.selectbox("To", options, key=K_TO, format_func=lambda n: "Choose…" if n is None
                              else choices.label[n], placeholder="Choose…")  # fmt: skip
    only_stated = right.toggle("Only stated links", key=K_STATED,
                               help="Leave out links that rest only on alleged or inferred statements.")  # fmt: skip
    _write_link(source, target, only_stated)
    if source is None or target is None:
        st.caption("Choose two entities to see how they are connected.")
        return None
    if source == target:
        st.info("Choose two different entities.")
        return None
    statements = context.statements
    built = _links(context.version, context.filters, only_stated, statements)
    search = paths.find_chains(statements, entities, source, target, only_stated=only_stated, links=built)
    st.markdown(f"**{ui.escape_markdown(paths.in_words(search))}**")
    drawn = None
    if search.found:
        drawn = _chains(search, context, "shortest")
        if st.session_state.get(K_LONGER) == (source, target, only_stated):
            longer = paths.find_chains(statements, entities, source, target, only_stated=only_stated, links=built,
                                       longer=1)  # fmt: skip
            st.subheader("Next-shortest chains")
            st.markdown(ui.escape_markdown(paths.in_words(longer)))
            if longer.found:
                _chains(longer, context, "longer", draw=False)
        else:
            st.button("Show the next-shortest chains", key="path_more", on_click=_ask_longer,
                      args=((source, target, only_stated),))  # fmt: skip
    return drawn


def _ask_longer(question) -> None:
    st.session_state[K_LONGER] = question


def _chains(search: paths.Search, context: Context, kind: str, draw: bool = True) -> paths.Chain | None:
    """Each chain in an expander, hop by hop; with `draw`, a choice of the chain drawn on the network."""
    chosen = 0
    if draw and len(search.chains) > 1:
        chosen = st.radio(
            "Drawn on the network", list(range(len(search.chains))), key=K_DRAWN, horizontal=True,
            format_func=lambda i: f"Chain {i + 1}",
        )  # fmt: skip
        chosen = chosen if chosen is not None and chosen < len(search.chains) else 0
    for number, chain in enumerate(search.chains):
        route = " → ".join(_entity(search, n) for n in chain.nodes)
        label = f"Chain {number + 1} · {chain.certainty} at its weakest · {route}"
        with st.expander(ui.escape_markdown(label), expanded=number == chosen and kind == "shortest"):
            st.markdown(_chain_markdown(search, chain, context), unsafe_allow_html=False)
    return search.chains[chosen] if draw else None


def _entity(search: paths.Search, node: str) -> str:
    shown = search.name(node)
    return f"{shown} (a group)" if search.kinds.get(node) == "group" else shown


def _chain_markdown(search: paths.Search, chain: paths.Chain, context: Context) -> str:
    """One markdown element per chain (not per statement): every dataset value through escape_markdown."""
    esc = ui.escape_markdown
    parts = []
    urls = links.source_urls([s.id for hop in chain.hops for s in hop.statements], context.filters)
    at = 0
    for step, hop in enumerate(chain.hops, start=1):
        sentence = paths.hop_sentence(hop, search.display)
        count = len(hop.statements)
        parts.append(f"**{step}. {esc(sentence)}** · {esc(hop.certainty)}"
                     + (f" · {count} statements" if count > 1 else ""))  # fmt: skip
        for statement in hop.statements:
            details = " · ".join(
                p for p in (statement.date, wording.certainty_words(statement.certainty),
                            wording.according_to(statement.attribution)) if p
            )  # fmt: skip
            own = statement.summary or (
                f"{names.display_name(statement.subject)} {statement.relation} {names.display_name(statement.object)}"
            )
            parts.append(
                f"> “{esc(' '.join(statement.quote.split()))}”  \n"
                f"> {esc(own)} — {esc(details)} · [view in source]({urls[at]})"
            )
            at += 1
    return "\n\n".join(parts)
