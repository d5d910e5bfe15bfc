"""Network: who is linked to whom, by what relation, and on whose word."""

import hashlib

import streamlit as st

from dashboard import names, style
from dashboard.app import export_panel, paths_section, ui, viewcache
from dashboard.derive import describe, links
from dashboard.derive.context import Options
from dashboard.views import network as net
from dashboard.views.network import controls

INTRO = (
    "Who is linked to whom, and on whose word. Click a person or a group for their statements and quotes; "
    "hover a link for what it rests on."
)
HOW_TO_READ = (
    "Each link is one or more sourced statements from a subject to an object, its arrow pointing from "
    "subject to object. Focus on one person to see who is within one to three links of them. The same "
    "relations are listed in words below the graph."
)
K_FOCUS, K_HOPS = "network_focus", "network_hops"  # in the URL as ?focus=&hops= (controls.read_link)
K_WRITTEN = "network_link_written"  # the focus and hops the page last put in the URL
# These keys are URL parameters too (bind="query-params"): a copied link keeps what the reader hid.
K_TYPES, K_SIDES, K_HIDE_ALLEGED, K_HIDE_INFERRED = "relation", "entity_side", "hide_alleged", "hide_inferred"
MAX_LISTED_ENTITIES = 200
# Presentation mode at 1920×1080: the graph laid out to fill the canvas under the headline, whole,
# with labels of at least 18 px on screen.
(PRESENT_WIDTH, PRESENT_HEIGHT), PRESENT_LABEL_PX = net.PRESENT_CANVAS, 18
# The key under the graph: open, and a click on "Key" folds it away (legend_html's markup is escaped).
LEGEND_OPEN = (
    "<details open class='network-key'><summary style='cursor:pointer;font-weight:600;font-size:14px;"
    "margin:4px 0'>Key: colours, shapes and lines</summary>"
)
MAX_LISTED_RELATIONS = 30  # per entity: a hub of a big investigation has hundreds
K_LISTED = "network_listed_"  # an entity's entry in the listing, open or closed


@st.cache_data(max_entries=8, show_spinner="Laying out the network for the screen…")
def cached_screen_layout(key: str, _graph) -> dict:
    """The layout that fills a projector's canvas (a few packings tried: about a second, once per graph)."""
    return net.screen_layout(_graph, PRESENT_WIDTH, PRESENT_HEIGHT)


@st.cache_data(max_entries=32, show_spinner="Laying out the network…")
def cached_layout(key: str, _graph, _derived) -> dict:
    """The layout costs about a second at a few hundred entities: compute it once per graph shape
    (`key`: a digest of labels, sizes and links), not on every rerun, and keep it on disk with the dataset."""
    return net.kept_layout(_graph, _derived)


def drawn_graph(highlight: tuple[str, ...], presenting: bool) -> tuple[str, int, int]:
    """The graph's page (vis-network's HTML), its height in pixels and how many marks lie on links
    they are not part of: laid out, then written."""
    if presenting:  # for a projector: the whole graph fills the screen under the headline
        positions, height = cached_screen_layout(net.graph_key(graph), graph), PRESENT_HEIGHT
    else:
        positions = cached_layout(net.graph_key(graph), graph, context.derived)
        height = net.canvas_height(graph, positions)
    html = net.network_html(
        graph,
        style.side_colours(context.sides),
        positions,
        height=height,
        focus=view.focus,
        highlight=highlight,
        min_label_px=PRESENT_LABEL_PX if presenting else net.MIN_LABEL_PX,
    )
    return html, height, len(net.marks_on_links(graph, positions))


def relations_markdown(entity: dict) -> None:
    """An entity's relations in words, each with its quote, who says so and a link to the source. One
    markdown element per entity, not per statement: thousands of elements slow every rerun."""
    count = len(entity["relations"])
    st.markdown(entity["markdown"] if "markdown" in entity else relations_text(entity))
    if count > MAX_LISTED_RELATIONS:
        st.caption(f"The first {MAX_LISTED_RELATIONS} of {count}; focus on this entity to see them all on the map.")


def relations_text(entity: dict) -> str:
    """The markdown of relations_markdown: the same for every reader of the view."""
    return "\n\n".join(
        f"**{ui.escape_markdown(item['sentence'])}**  \n"
        f"{ui.escape_markdown(net.statement_details(item['statement']))} · "
        f"[view in source]({links.source_url(item['statement']['id'], context.filters)})\n\n"
        f"> “{ui.escape_markdown(' '.join(item['statement']['quote'].split()))}”"
        for item in entity["relations"][:MAX_LISTED_RELATIONS]
    )


def clear_focus() -> None:
    st.session_state[K_FOCUS] = None


def node_details(name: str) -> None:
    """The panel of the focused entity: who, and every sourced statement linking them, with its quote."""
    entity = next((e for e in net.entity_relations(graph, focus=name, limit=1) if e["name"] == name), None)
    top, close = st.columns([4, 1], vertical_alignment="center")
    close.button("Close", key="network_close", on_click=clear_focus, width="stretch")
    if entity is None:
        top.caption("No statement links them within these filters.")
        return
    top.header(ui.escape_markdown(entity["display"]), anchor=False)  # h2: under the page title
    kind = net.KIND_LABELS.get(entity["kind"], entity["kind"])
    who = f"{kind} · {entity['side'] or 'side not given'}"
    if entity["unnamed"]:
        who += f" · {names.UNNAMED_TEXT.lower()}: nothing about who he is is guessed"
    count = len(entity["relations"])
    st.caption(ui.escape_markdown(f"{who} · {count} sourced statement{'s' * (count != 1)} in the graph"))
    relations_markdown(entity)


context = ui.page_header("Network", INTRO, view="network")
model = context.model
entities = model.entities

# A shared link opens the page on a view: ?focus=Marco Rubio&hops=2 (an alias works too). The URL is
# read again when it no longer holds what the page wrote: a click on a node (the graph's iframe sets
# ?focus=) or the browser's Back button.
written = st.session_state.get(K_WRITTEN)
if written is not None and written != {p: st.query_params.get(p) for p in written}:
    st.session_state.pop(K_FOCUS, None)
    st.session_state.pop(K_HOPS, None)
if K_FOCUS not in st.session_state or K_HOPS not in st.session_state:
    shared = controls.read_link(st.query_params, entities)
    for notice in shared.notices:
        st.warning(ui.escape_markdown(notice))
    st.session_state.setdefault(K_FOCUS, shared.focus)
    st.session_state.setdefault(K_HOPS, shared.hops)
if st.session_state[K_FOCUS] not in entities.index:
    st.session_state[K_FOCUS] = None

choices = ui.entity_choices(context)  # sorted once per dataset, not on every rerun
relation_types = context.dataset.schema.enum("relation_type") or tuple(
    sorted(set(model.statements["relation_type"]) - {""})
)
# The controls a reader uses most sit in one row above the graph; the rest wait in a popover.
left, middle, right = st.columns([5, 3, 3], vertical_alignment="bottom")
focus = left.selectbox(
    "Focus on",
    [None, *choices.names],
    key=K_FOCUS,
    format_func=lambda n: "Everyone" if n is None else choices.display[n],
    placeholder="Everyone",
    help="Show only who is linked to this person or organization, directly or through others.",
)
hops = middle.radio(
    "Links away",
    list(controls.HOPS),
    key=K_HOPS,
    horizontal=True,
    disabled=focus is None,
    help="With a focus: 1 shows direct links only; 2 and 3 add links of links.",
)


def is_set(key: str) -> bool:
    """Whether a hide or narrow control holds a choice: its widget's value, or on a shared link's
    first run (before the widget has run) the URL's."""
    if key in st.session_state:
        return bool(st.session_state[key])
    return any(value not in ("", "false", "False") for value in st.query_params.get_all(key))


narrowed = [is_set(k) for k in (K_HIDE_ALLEGED, K_HIDE_INFERRED, K_TYPES, K_SIDES)]
more = right.popover(
    f"Hide or narrow ({sum(narrowed)} set)" if any(narrowed) else "Hide or narrow",
    icon=":material/tune:",
    width="stretch",
)
hide_alleged = more.checkbox("Hide alleged relations", key=K_HIDE_ALLEGED, bind="query-params")
hide_inferred = more.checkbox("Hide inferred relations", key=K_HIDE_INFERRED, bind="query-params")
chosen_types = more.multiselect(
    "Relation types", relation_types, key=K_TYPES, bind="query-params", placeholder="All relation types"
)
chosen_sides = more.multiselect(
    "Entities on these sides",
    context.sides,
    key=K_SIDES,
    bind="query-params",
    placeholder="All sides",
    help="Hides entities of other sides and their links. The sidebar's Sides filter instead keeps "
    "every statement that involves a side.",
)

# Keep the view in the URL so it can be shared; the shared filters keep their own keys.
ui.write_link(controls.link_params(focus, hops), K_WRITTEN)

view = controls.make_view(chosen_types, chosen_sides, hide_alleged, hide_inferred, focus, hops)
# The graph, its page and its listing are built once per view and shared by every session.
graph = viewcache.shared("network-graph", context, view, lambda: net.build_graph(context.statements, entities, view))

# "How are they connected?" is shown under the graph, but read first: its chain is drawn on the graph.
graph_box = st.container()
chain = paths_section.show(context, choices)
with graph_box:
    if graph.number_of_nodes() == 0:
        focus_display = entities.at[focus, "display"] if focus is not None else None
        st.info(ui.escape_markdown(controls.nothing_drawn(focus_display)), icon=":material/hub:")
        st.stop()

    colours = style.side_colours(context.sides)
    summary = controls.drawn_summary(graph, entities.at[focus, "display"] if focus else None, hops)
    st.caption(ui.escape_markdown(controls.drawn_counts(summary, graph, len(context.statements))))
    large_notice = net.large_graph_notice(graph)
    if large_notice:
        st.info(ui.escape_markdown(large_notice), icon=":material/hexagon:")
    highlight = tuple(chain.nodes) if chain is not None else ()
    if highlight:
        st.caption(ui.escape_markdown(net.highlight_note(graph, highlight)))
    kinds = net.present(graph, "kind", list(net.KIND_SHAPES))
    # A click on a node focuses it: its details open beside the graph (below it on a phone).
    # For a projector: the graph alone fills the screen under the headline, labels of 18 px.
    presenting = ui.presenting()
    beside = focus and not presenting
    graph_place, details_place = st.columns([3, 2]) if beside else (st.container(), None)
    html, height, crowded = viewcache.shared(
        "network-html", context, (view, highlight, presenting), lambda: drawn_graph(highlight, presenting)
    )
    graph_place.iframe(
        html,
        height=height + 4,
        alt="Network graph of the entities and relations listed below the graph",
    )
    crowded_note = controls.crowded_note(crowded, graph.number_of_nodes())
    if crowded_note:
        graph_place.caption(crowded_note)
    # The key under the graph, compact and collapsible.
    graph_place.html(
        (LEGEND_OPEN.replace("<details open", "<details") if ui.presenting() else LEGEND_OPEN)
        + net.legend_html(colours, net.present(graph, "side", context.sides), kinds, focus=bool(focus))
        + "</details>"
    )
    if details_place is not None:
        with details_place, st.container(border=True, key="network_details"):
            node_details(focus)
    with st.expander("How to read the network"):
        st.markdown(HOW_TO_READ)
    description = viewcache.shared("network-description", context, view, lambda: describe.network(graph))
    ui.chart_description(description)
    export_panel.export_panel("network", Options(network=view), description)

st.header("Entities and their relations")
st.caption("Every link in the graph, in words, with the statement behind it. A link is listed under both entities.")
listing = viewcache.shared(
    "network-listing",
    context,
    view,
    lambda: [
        {**entity, "markdown": relations_text(entity)}
        for entity in net.entity_relations(graph, focus=focus, limit=MAX_LISTED_ENTITIES)
    ],
)
if graph.number_of_nodes() > MAX_LISTED_ENTITIES:
    st.caption(f"The first {MAX_LISTED_ENTITIES} of {graph.number_of_nodes()} entities; focus on one to see the rest.")
for entity in listing:
    title = entity["display"] + (f" ({names.UNNAMED_TEXT.lower()})" if entity["unnamed"] else "")
    count = len(entity["relations"])
    # Written only once opened: two hundred entities' quotes, parsed as markdown in the browser,
    # cost more than the graph itself on a page's first draw (opening one reruns the page).
    listed = ui.lazy_expander(
        f"{ui.escape_markdown(title)} · {count} statement{'s' * (count != 1)}",
        f"{K_LISTED}{hashlib.sha1(entity['name'].encode('utf-8')).hexdigest()[:12]}",
    )
    with listed:
        if not listed.open:
            continue
        kind = net.KIND_LABELS.get(entity["kind"], entity["kind"])
        st.caption(ui.escape_markdown(f"{kind} · {entity['side']}"))
        relations_markdown(entity)

export_panel.take_out_panel(Options(network=view), key="network_take_out")
