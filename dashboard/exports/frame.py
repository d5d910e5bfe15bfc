"""The frame of an export, written from the whole view state: the header (title and subtitle), the
source fields from the data package, the editor's changes, the file name and the alt text. Pure
functions: the pages, the command line and `publish` all call these, so a file says the same thing
whichever way it was made."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from dashboard import names, vocabulary
from dashboard.dataset.schema import Schema
from dashboard.derive import filters as flt
from dashboard.derive.context import Context
from dashboard.exports import render
from dashboard.text import listing

VIEW_TITLES = {"timeline": "Timeline of events", "network": "Who is linked to whom", "cases": "Case status"}
EDITABLE = ("title", "subtitle", "notes", "source", "source_date", "source_link", "byline", "credit")
LANE_WORDS = {"side": "one lane per side of the subject", "person": "one lane per person"}
MAX_STEM = 140  # characters of a file name before the preset and extension


def focus_display(context: Context) -> str | None:
    """The network's focus as readers see it, or None."""
    focus = context.options.network.focus
    if focus is None:
        return None
    return context.model.display(focus)


def view_words(view: str, context: Context) -> list[str]:
    """The view's own controls as phrases: focus and links away, hidden certainties, relation types,
    sides, lanes, the tracked group."""
    parts, options = [], context.options
    if view == "network":
        network = options.network
        focus = focus_display(context)
        if focus:
            parts.append(f"Within {network.hops} link{'s' * (network.hops > 1)} of {focus}")
        if network.hidden_certainties:
            parts.append(f"{listing(network.hidden_certainties).capitalize()} links hidden")
        if network.relation_types:
            kinds = [t.replace("_", " ") for t in network.relation_types]
            parts.append(f"Only relations of type {listing(kinds)}")
        if network.sides:
            parts.append(f"Only entities on the sides {listing(network.sides)}")
    elif view == "timeline" and options.lanes != "side":
        parts.append(LANE_WORDS.get(options.lanes, options.lanes).capitalize())
    elif view == "cases":
        end = context.filters.end
        parts.append(f"Status as of {flt.day(end)}" if end else "Status as of the reporting")
    return parts


def header(view: str, context: Context, group: str | None = None) -> tuple[str, str]:
    """Title and subtitle written from the whole view state: "Who is linked to Nayib Bukele" /
    "The Rubio–Bukele deal … · Within 2 links of Nayib Bukele · Alleged links hidden · …"."""
    title = VIEW_TITLES[view]
    focus = focus_display(context) if view == "network" else None
    if focus:
        title = f"Who is linked to {focus}"
    elif view == "timeline" and context.filters.people:
        title += f" involving {listing(context.model.display(p) for p in context.filters.people)}"
    elif view == "cases" and group:
        title += f" of {names.display_name(group)[:1].lower()}{names.display_name(group)[1:]}"
    phrases = (*view_words(view, context), *flt.phrases(context.filters, context.model, context.statements))
    parts = [p[:1].upper() + p[1:] for p in phrases]
    if view == "timeline" and context.filters.people:  # already in the title
        parts = [p for p in parts if not p.startswith("Statements involving")]
    story = context.schema.title or context.title
    everything = not parts and not context.filters.active and not (view == "network" and focus)
    state = " · ".join(parts) if parts else ("All statements in the dataset" if everything else "")
    return title, " · ".join(p for p in (story, state) if p)


def source_fields(schema: Schema) -> dict[str, str]:
    """The source line's fields from the data package's `sources`: outlet (else the title), date and
    link, each only where the package gives it. A link must be http(s) to be printed."""
    sources = [s for s in schema.meta.get("sources", []) if isinstance(s, Mapping)]
    outlets = [str(s.get("outlet") or s.get("title") or "") for s in sources]
    dates = [str(s.get("date") or "") for s in sources]
    links = [str(s.get("link") or "") for s in sources if str(s.get("link") or "").startswith(("https://", "http://"))]
    return {
        "source": "; ".join(o for o in outlets if o),
        "source_date": "; ".join(d for d in dates if d),
        "source_link": " ".join(links),
    }


def missing_source_fields(schema: Schema) -> str:
    """What the data package's sources leave empty, as the frame editor says it ("" when nothing is
    missing): "The data package gives no outlet, date or link for its source. <its own reason>"."""
    sources = [s for s in schema.meta.get("sources", []) if isinstance(s, Mapping)]
    if not sources:
        return "The data package lists no source: name it before publishing."
    missing = [key for key in ("outlet", "date", "link") if not any(str(s.get(key) or "") for s in sources)]
    if not missing:
        return ""
    words = ", ".join(missing[:-1]) + " or " + missing[-1] if len(missing) > 1 else missing[0]
    reasons = " ".join(str(s["missing"]) for s in sources if s.get("missing"))
    return f"The data package gives no {words} for its source. {reasons}".strip()


def default_frame(view: str, context: Context, notes=(), group: str | None = None, source: str = "") -> render.Frame:
    """The frame before the editor touches it: header from the view, source from the data package,
    credit from the data package, the notice from the data package's short form or the generic one."""
    title, subtitle = header(view, context, group)
    fields = source_fields(context.schema)
    if not fields["source"]:
        fields["source"] = source
    return render.Frame(
        title=title,
        subtitle=subtitle,
        credit=context.schema.credit or "Story explorer",
        notes=tuple(notes),
        notice=vocabulary.NOTICE_SHORT,
        **fields,
    )


def edited(frame: render.Frame, edits: Mapping[str, object] | None) -> render.Frame:
    """The frame with the editor's fields in place of the defaults (None or a missing key: keep it).
    `notes` replaces the view's notes, `more_notes` adds to them; the notice cannot be edited away."""
    if not edits:
        return frame
    changes: dict[str, object] = {}
    for key in EDITABLE:
        value = edits.get(key)
        if value is None:
            continue
        if key == "notes":
            changes[key] = tuple(str(n).strip() for n in value if str(n).strip())
        else:
            changes[key] = " ".join(str(value).split())
    if edits.get("more_notes"):
        notes = changes.get("notes", frame.notes)
        changes["notes"] = (*notes, *(str(n).strip() for n in edits["more_notes"] if str(n).strip()))
    return dataclasses.replace(frame, **changes)


def slug(text: str) -> str:
    return "-".join(names.fold(text).split())


def file_name(view: str, fmt: str, preset: str, context: Context) -> str:
    """A name that says view, focus, people, dates and preset: "network-focus-nayib-bukele-2-links-social.png",
    "timeline-marco-rubio-2025-03-01-to-2025-03-31-square.png"; "-filtered" when other filters are on."""
    parts, filters, options = [view], context.filters, context.options
    network = options.network
    if view == "network" and network.focus:
        parts += ["focus", slug(names.display_name(network.focus)), f"{network.hops}-link{'s' * (network.hops > 1)}"]
    if filters.people:
        parts += [slug(names.display_name(p)) for p in filters.people[:2]]
        if len(filters.people) > 2:
            parts.append(f"and-{len(filters.people) - 2}-more")
    if filters.start and filters.end:
        parts += [filters.start.isoformat(), "to", filters.end.isoformat()]
    elif filters.start:
        parts += ["from", filters.start.isoformat()]
    elif filters.end:
        parts += ["to", filters.end.isoformat()]
    if view == "timeline" and options.lanes != "side":
        parts.append(f"by-{options.lanes}")
    if view == "network" and network.hidden_certainties:
        parts.append("without-" + "-".join(network.hidden_certainties))
    other = filters.sides or filters.certainties or not filters.include_undated
    if other or (view == "network" and (network.relation_types or network.sides)):
        parts.append("filtered")
    stem = "-".join(p for p in parts if p)[:MAX_STEM].rstrip("-")
    return f"{stem}.{fmt}" if fmt in ("html", "csv") else f"{stem}-{preset}.{fmt}"


def alt_text(view: str, frame: render.Frame, description: str, context: Context) -> str:
    """Alt text that stands alone: what the chart is (its header as the editor left it), what it shows
    (the description), the focus's mark, and the notice."""
    parts = [f"{frame.title}." if not frame.title.endswith((".", "?", "!")) else frame.title]
    if frame.subtitle:
        parts.append(frame.subtitle.rstrip(".") + ".")
    parts.append(description)
    focus = focus_display(context) if view == "network" else None
    if focus:
        parts.append(f"{focus}, the focus, is drawn with a heavy outline.")
    parts.append(frame.notice or vocabulary.NOTICE_SHORT)
    return " ".join(p for p in parts if p)
