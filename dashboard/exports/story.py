"""One self-contained story page for readers: the frame (title, filters, notes, source, credit, the
no-wrongdoing notice), the timeline, the network, the case table and every quoted passage, under
the context's filters. The charts are inline SVG drawn from the app's own placement and layout
(views/timeline/svg.py, views/network/svg.py), with a few lines of script for the view buttons and
the details of a clicked mark: no charting library, no server, no CDN; it opens from file:// and
weighs a few hundred kilobytes.

Rendered through autoescaping Jinja2 templates (templates/story.html.j2 and story_svg.j2); the only
markup not escaped there is the network legend (built escaped by `network.legend_html`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from pathlib import PurePosixPath

from markupsafe import Markup

from dashboard import style, vocabulary, wording
from dashboard.dataset.model import events
from dashboard.derive import case_summary, cases, describe
from dashboard.derive import filters as flt
from dashboard.derive.context import Context
from dashboard.exports import frame as framing
from dashboard.exports import publish
from dashboard.views import network as net
from dashboard.views import templating
from dashboard.views import timeline as tl
from dashboard.views.network import svg as network_svg
from dashboard.views.timeline import svg as timeline_svg

# The case table's columns on the page: what a reader needs; the CSV download keeps all.
NETWORK_NOTE = (
    "In the network, arrows point from subject to object. Alleged: an accusation, not established. "
    "Inferred: drawn by the curator from the text."
)
CASE_COLUMNS = cases.READER_COLUMNS  # the reader's columns, headed as on the published table


@dataclass(frozen=True)
class StoryFrame:
    """The words an editor may rewrite on the story page; None keeps the dataset's own."""

    title: str | None = None
    notes: tuple[str, ...] = ()
    credit: str | None = None


DEFAULT_FRAME = StoryFrame()


def story_context(context: Context, frame: StoryFrame = DEFAULT_FRAME) -> dict:
    """Everything the template shows, as plain data (testable without rendering)."""
    model, statements, filters = context.model, context.statements, context.filters
    schema = context.dataset.schema
    options = context.options
    base = framing.default_frame("timeline", context, source=publish.source_title(context))
    subtitle = flt.in_words(filters, model) or "All statements in the dataset"  # the whole page, not one chart
    notice = schema.notice or vocabulary.NOTICE_SHORT

    _, timeline_alt, timeline_notes = publish.timeline_figure(model, statements, context.sides, options, printed=False)
    timeline, timeline_key = timeline_drawings(context)

    graph = publish.network_graph(model, statements, options)
    colours = style.side_colours(context.sides)
    positions = net.layout_positions(graph) if graph.number_of_nodes() else {}
    kinds = net.present(graph, "kind", list(net.KIND_SHAPES))
    legend = Markup(net.legend_html(colours, net.present(graph, "side", context.sides), kinds))

    group, table = publish.cases_table(model, statements, filters, options)
    as_of = filters.end.isoformat() if filters.end else "the reporting"
    case_rows, case_headers, cases_alt = [], [], ""
    if group is not None:
        shown = table[list(CASE_COLUMNS)]
        case_headers = [cases.SHORT_LABELS[c] for c in CASE_COLUMNS]
        case_rows = shown.astype(str).values.tolist()
        # The group-level statements in the article's or their speakers' words, beside the counts.
        evidence = flt.apply(model, replace(filters, people=()))
        about_group = case_summary.group_cooperation(model, group, evidence)
        cases_alt = describe.cases(
            table, group, as_of, case_summary.group_figures(about_group), case_summary.group_facts(about_group)
        )

    documents = source_titles(context)
    everything = context.model.statements
    titles = dict(zip(everything["id"], everything["label"].where(everything["label"] != "", everything["summary"])))
    ordered = statements.sort_values("date_order")  # by date, then id: never file order
    passages = [
        {
            "id": row.id,
            "date": row.date_display,
            "date_note": readable_references(row.date_note, titles),
            "summary": row.summary,
            "quote": wording.quoted(" ".join(row.quote.split())),
            "according_to": wording.according_to(row.attribution),
            "certainty": wording.certainty_words(row.certainty),
            "source": documents.get(row.source, "the source document"),
            "event": row.statement_type != "profile",
        }
        for row in ordered.itertuples()
    ]
    notes = list(frame.notes) or [*timeline_notes, NETWORK_NOTE]
    return {
        "title": frame.title or schema.title or "Story explorer",
        "lede": lede(schema.description),
        "byline": base.byline or frame.credit or base.credit,
        "dated": readable_date(schema.last_curated),
        "moments": key_moments(statements, documents),
        "subtitle": subtitle,
        "notes": notes,
        "notice": notice,
        "source": base.source,
        "credit": frame.credit or base.credit,
        "exported": date.today().isoformat(),
        "counts": {"statements": len(statements), "total": len(model.statements), "events": len(events(statements))},
        # The page shows the phone's layout on a narrow screen (labels placed in its width), else the wide one.
        "timeline": timeline,
        "timeline_key": timeline_key,
        "timeline_alt": timeline_alt,
        "network": network_svg.network_drawing(graph, positions, colours, options.network.focus),
        "network_alt": describe.network(graph),
        "network_notice": net.large_graph_notice(graph) or "",
        "legend": legend,
        "group": cases.group_phrase(group) if group else "",
        "as_of": as_of,
        "case_headers": case_headers,
        "case_rows": case_rows,
        "cases_alt": cases_alt,
        "passages": passages,
    }


def timeline_drawings(context: Context) -> tuple[dict, dict]:
    """The timeline's views for a wide and a narrow screen, and its key. Past DENSITY_MARKS dated
    events, as on the app's page: counts per period instead of one mark each."""
    shown = events(context.statements)
    data = tl.TimelineData(shown, context.model.entities, context.sides, context.options.lanes)
    if len(tl.dated(shown)) > tl.DENSITY_MARKS:
        density = tl.density_counts(data)
        views = {
            layout: timeline_svg.density_views(density, context.sides, context.options.lanes, canvas)
            for layout, canvas in (("wide", timeline_svg.WIDE), ("narrow", timeline_svg.NARROW))
        }
        return views, timeline_svg.density_legend(density, context.sides)
    placed = tl.layout_timeline(data)
    narrow = tl.narrow_layout(placed) if placed is not None else None
    views = {
        "wide": timeline_svg.timeline_views(placed, context.sides, timeline_svg.WIDE),
        "narrow": timeline_svg.timeline_views(narrow, context.sides, timeline_svg.NARROW),
    }
    return views, timeline_svg.legend(placed, context.sides)


def readable_references(text: str, titles: Mapping[str, str]) -> str:
    """A curator's note with its statement ids ("see s001") as the statements' titles, in quotes: a
    reader never meets an internal id."""
    return re.sub(r"\b[a-z]\d{3,}\b", lambda m: f"“{titles[m.group()]}”" if m.group() in titles else m.group(), text)


def lede(description: str) -> str:
    """The dataset's description as a reader's lede: the sentences about the story, not the ones
    about how the file is kept (rows, folders)."""
    sentences = re.split(r"(?<=[.!?])\s+", description.strip())
    kept = [s for s in sentences if s and "seeds/" not in s and not s.lower().startswith(("each row", "one row"))]
    return " ".join(kept)


def readable_date(iso: str) -> str:
    """ "2026-11-25" as "25 November 2026"; anything else as it is."""
    try:
        day = date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{day.day} {day:%B %Y}"


def source_titles(context: Context) -> dict[str, str]:
    """Each source document's title for readers, by its file name (a reader never sees file names):
    the data package's title for it, else the one source title when there is one document."""
    known = {}
    for source in context.schema.meta.get("sources", []):
        if isinstance(source, dict) and source.get("title"):
            for key in ("path", "file", "name"):
                if source.get(key):
                    known[PurePosixPath(str(source[key])).name] = str(source["title"])
    files = list(context.model.statements["source"].unique())
    fallback = publish.source_title(context) if len(files) == 1 else "the source document"
    return {f: known.get(PurePosixPath(f).name, fallback) for f in files}


def key_moments(statements, documents: Mapping[str, str]) -> list[dict]:
    """The story's spine: each dated key moment (a statement the curator labelled), in date order,
    with its summary, its quote and who says so."""
    happened = events(statements)
    keyed = happened[(happened["label"] != "") & happened["date_start"].notna()]
    keyed = keyed.sort_values("date_order", kind="stable")  # by date at its precision, then id
    return [
        {
            "date": row.date_display,
            "label": row.label,
            "summary": row.summary,
            "quote": wording.quoted(" ".join(row.quote.split())),
            "according_to": wording.according_to(row.attribution),
            "certainty": wording.certainty_words(row.certainty),
            "source": documents.get(row.source, "the source document"),
            "anchor": row.id,
        }
        for row in keyed.itertuples()
    ]


def story_html(context: Context, frame: StoryFrame = DEFAULT_FRAME) -> str:
    """The whole page as one HTML string."""
    return templating.render("story.html.j2", **story_context(context, frame))
