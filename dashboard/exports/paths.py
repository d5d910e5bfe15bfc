"""How A is connected to B, as files: JSON and spreadsheet-safe CSV of every chain shown with every
statement behind each hop, and the publication graphic (PNG, SVG) of the surest chain in the frame
every export has. `build_path_export` is the one entry point for the command line and the app.

JSON, exactly: {"from", "to", "paths": [{"certainty", "hops": [{"from", "to", "certainty",
"statements": [{"id", "quote", "certainty", "attribution", "source", ...}]}]}]}, with more keys
beside those (display names, length, how many chains, the message)."""

from __future__ import annotations

import json
from collections.abc import Mapping

import pandas as pd

from dashboard import style, vocabulary
from dashboard.derive import filters as flt
from dashboard.derive import paths
from dashboard.derive.context import Context
from dashboard.exports import frame as framing
from dashboard.exports import publish, render, spreadsheet
from dashboard.exports.result import Export, NothingToShow, Refused
from dashboard.views import paths as chain_view

FORMATS = ("json", "csv", "png", "svg")
MEDIA_TYPES = {**render.MEDIA_TYPES, "json": "application/json"}
CSV_COLUMNS = (
    "path", "path_certainty", "hop", "from", "to", "hop_certainty", "statement_id", "subject", "relation",
    "object", "certainty", "attribution", "date", "quote", "summary", "source", "relation_type",
)  # fmt: skip
READING = (
    "Each link is one or more sourced statements, in either direction; denials never link. A link is as sure "
    "as its surest statement, a chain as its weakest link."
)


class NoChain(NothingToShow, ValueError):
    """No chain joins the two entities: nothing to draw. The message says why (for the command line,
    which exits 0 and says so)."""


def statement_record(statement: paths.Statement) -> dict:
    return {
        "id": statement.id,
        "quote": statement.quote,
        "certainty": statement.certainty,
        "attribution": statement.attribution,
        "source": statement.source,
        "summary": statement.summary,
        "date": statement.date,
        "subject": statement.subject,
        "relation": statement.relation,
        "object": statement.object,
        "relation_type": statement.relation_type,
    }


def to_json(search: paths.Search) -> dict:
    """The search as the JSON contract: {"from", "to", "paths": [...]} and a few keys more."""
    return {
        "from": search.source,
        "to": search.target,
        "paths": [
            {
                "certainty": chain.certainty,
                "hops": [
                    {
                        "from": hop.start,
                        "to": hop.end,
                        "certainty": hop.certainty,
                        "sentence": paths.hop_sentence(hop, search.display),
                        "statements": [statement_record(s) for s in hop.statements],
                    }
                    for hop in chain.hops
                ],
                "entities": list(chain.nodes),
            }
            for chain in search.chains
        ],
        "from_display": search.name(search.source),
        "to_display": search.name(search.target),
        "length": search.length,
        "total": search.total,
        "complete": search.complete,
        "only_stated": search.only_stated,
        "longer": search.longer,
        "message": paths.in_words(search),
    }


def json_bytes(search: paths.Search) -> bytes:
    return (json.dumps(to_json(search), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def to_frame(search: paths.Search) -> pd.DataFrame:
    """One row per statement per hop of every chain shown, chains and hops numbered from 1."""
    rows = [
        {
            "path": number,
            "path_certainty": chain.certainty,
            "hop": step,
            "from": hop.start,
            "to": hop.end,
            "hop_certainty": hop.certainty,
            "statement_id": s.id,
            "subject": s.subject,
            "relation": s.relation,
            "object": s.object,
            "certainty": s.certainty,
            "attribution": s.attribution,
            "date": s.date,
            "quote": s.quote,
            "summary": s.summary,
            "source": s.source,
            "relation_type": s.relation_type,
        }  # fmt: skip
        for number, chain in enumerate(search.chains, start=1)
        for step, hop in enumerate(chain.hops, start=1)
        for s in hop.statements
    ]
    return pd.DataFrame(rows, columns=list(CSV_COLUMNS))


def csv_bytes(search: paths.Search) -> bytes:
    """Spreadsheet-safe CSV (no cell runs as a formula), UTF-8 with a byte-order mark."""
    return spreadsheet.csv_bytes(to_frame(search))


def file_name(fmt: str, preset: str, search: paths.Search, context: Context) -> str:
    """ "path-marco-rubio-to-osiris-luna-social.png"; "-stated-only", "-filtered" when they apply."""
    parts = ["path", framing.slug(search.name(search.source)), "to", framing.slug(search.name(search.target))]
    if search.only_stated:
        parts.append("stated-only")
    if search.longer:
        parts.append("next-shortest" if search.longer == 1 else f"longer-{search.longer}")
    if context.filters.active:
        parts.append("filtered")
    stem = "-".join(p for p in parts if p)[: framing.MAX_STEM].rstrip("-")
    return f"{stem}.{fmt}" if fmt in ("json", "csv") else f"{stem}-{preset}.{fmt}"


def default_frame(search: paths.Search, context: Context) -> render.Frame:
    """The frame of the graphic: the question as the title, what was found and the filters as the
    subtitle, the source from the data package, how to read the chain in the notes."""
    a, b = search.name(search.source), search.name(search.target)
    title = f"How {a} is connected to {b}"
    shown = search.chains[0] if search.chains else None
    found = paths.in_words(search).split(" (")[0]
    phrases = [found, *(["Stated links only"] if search.only_stated else [])]
    phrases += flt.phrases(context.filters, context.model)
    subtitle = " · ".join(p for p in (context.schema.title or context.title, *phrases) if p)
    notes = [READING]
    if shown is not None and search.total > 1:
        notes.append(
            f"Drawn: the first of {search.total:,} chains{'' if search.complete else ' found'} (surest first, "
            "then by name); every chain is in the JSON and CSV exports."
        )
    fields = framing.source_fields(context.schema)
    if not fields["source"]:
        fields["source"] = publish.source_title(context)
    return render.Frame(
        title=title, subtitle=subtitle, credit=context.schema.credit or "Story explorer", notes=tuple(notes),
        notice=vocabulary.NOTICE_SHORT, **fields,
    )  # fmt: skip


def alt_text(frame: render.Frame, search: paths.Search) -> str:
    parts = [frame.title.rstrip(".") + "."]
    if frame.subtitle:
        parts.append(frame.subtitle.rstrip(".") + ".")
    if search.chains:
        parts.append(chain_view.describe_chain(search, search.chains[0]))
    parts.append(frame.notice or vocabulary.NOTICE_SHORT)
    return " ".join(parts)


def chain_graphic(search: paths.Search, context: Context, frame: render.Frame, preset: render.Preset):
    """The framed figure of the search's first chain at this preset: laid out in the plot area the
    frame leaves (which depends on the figure's legends, so twice), top to bottom on a card that is
    not clearly wider than tall."""
    entities = context.model.entities
    sides = {n: str(entities["side"].get(n, "")) for n in search.chains[0].nodes} if "side" in entities else {}
    colours = style.side_colours(context.sides)
    vertical = preset.width / preset.height < 1.25
    font = preset.type.minimum
    figure = chain_view.chain_figure(search, colours=colours, sides=sides, font=font, vertical=vertical)
    for _ in range(2):
        area = render.margins(figure, frame, preset).plot_area(preset)
        figure = chain_view.chain_figure(search, area=area, colours=colours, sides=sides, font=font,
                                         vertical=vertical)  # fmt: skip
    return render.framed(figure, frame, preset), figure


def build_path_export(
    fmt: str, preset_name: str, context: Context, source: str, target: str, only_stated: bool = False,
    edits: Mapping[str, object] | None = None, renderer: render.Renderer | None = None, longer: int = 0,
) -> Export:  # fmt: skip
    """The file for "how is `source` connected to `target`" under the context's filters: json, csv,
    png or svg at a newsroom preset (`preset_name`, used by the images only), in the frame the editor
    left (`edits`, as publish.build takes them).

    Raises paths.UnknownName (its `.closest` holds the names nearest the one given) when a name
    means no one or several; ValueError for an unknown format or preset or the same entity twice.
    With no chain, json and csv are written with no paths (the JSON's "message" says why) and
    png/svg raise NoChain with that message."""
    if fmt not in FORMATS:
        raise ValueError(f"the path export writes {', '.join(FORMATS)}, not “{fmt}”")
    preset = render.PRESETS.get(preset_name)
    if preset is None:
        raise ValueError(f"unknown preset “{preset_name}”: use {', '.join(render.PRESETS)}")
    search = paths.find_chains(context.statements, context.model.entities, source, target,
                               only_stated=only_stated, longer=longer)  # fmt: skip
    name = file_name(fmt, preset.name, search, context)
    frame = framing.edited(default_frame(search, context), edits)
    alt = alt_text(frame, search)
    if fmt == "json":
        return Export(json_bytes(search), name, MEDIA_TYPES["json"], alt)
    if fmt == "csv":
        return Export(csv_bytes(search), name, MEDIA_TYPES["csv"], alt)
    if not search.found:
        raise NoChain(paths.in_words(search))
    framed, figure = chain_graphic(search, context, frame, preset)
    if not figure.layout.meta["fits"]:
        raise Refused(
            f"the chain of {search.length} links is too long to print legibly at the {preset.name} preset: "
            "use a larger preset, or the JSON or CSV export"
        )
    data = (renderer or render.Renderer()).render(framed, fmt, preset)
    return Export(data, name, MEDIA_TYPES[fmt], alt)
