"""The frame of an export, written from the whole view state: the header (title and subtitle), the
source fields from the data package, the editor's changes, the file name and the alt text. Pure
functions: the pages, the command line and `publish` all call these, so a file says the same thing
whichever way it was made."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import date, timedelta

from dashboard import names, vocabulary
from dashboard.dataset.schema import Schema
from dashboard.derive import filters as flt
from dashboard.derive.context import Context
from dashboard.exports import render
from dashboard.text import listing

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


def period(start: date | None, end: date | None) -> str:
    """A date window as a headline says it: "March 2025", "1–14 March 2025", "2025", "since 1 March
    2025", "up to 14 March 2025"; "" for none."""
    if start and end:
        if start == end:
            return flt.day(start)
        if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
            return str(start.year) if start.year == end.year else f"{start.year} to {end.year}"
        if (start.year, start.month) == (end.year, end.month):
            if start.day == 1 and (end + timedelta(days=1)).day == 1:
                return f"{end:%B %Y}"
            return f"{start.day}–{end.day} {end:%B %Y}"
        if start.year == end.year:
            return f"{start.day} {start:%B} to {flt.day(end)}"
        return f"{flt.day(start)} to {flt.day(end)}"
    if start:
        return f"since {flt.day(start)}"
    return f"up to {flt.day(end)}" if end else ""


def span(context: Context) -> str:
    """The window the view shows: the date filter's, else the years (or, within one year, the
    months) of the dated statements in view; never finer than the dates themselves."""
    filters = context.filters
    if filters.start or filters.end:
        return period(filters.start, filters.end)
    rows = context.statements[context.statements["date_start"].notna()]
    if rows.empty:
        return ""
    first, last = rows["date_start"].min(), rows["date_end"].fillna(rows["date_start"]).max()
    if first.year != last.year:
        return f"{first.year} to {last.year}"
    if not rows["precision"].isin(["day", "month"]).all():
        return str(first.year)
    return f"{last:%B %Y}" if first.month == last.month else f"{first:%B} to {last:%B %Y}"


def headline(view: str, context: Context, group: str | None = None) -> str:
    """The default headline, written from the view state: "Who is linked to Nayib Bukele"; "Nayib
    Bukele in the story, March 2025"; "Where the cases of the nine men Bukele requested stand, as of
    14 March 2025". Never a label ("Timeline of events")."""
    people = [context.model.display(p) for p in context.filters.people]
    when = span(context)
    if view == "network":
        focus = focus_display(context)
        who = focus or (listing(people) if people else "")
        title = f"Who is linked to {who}" if who else "Who is linked to whom"
        return f"{title}, {period(context.filters.start, context.filters.end)}" if context.filters.start or \
            context.filters.end else title  # fmt: skip
    if view == "cases":
        name = names.display_name(group) if group else "the tracked group"
        end = context.filters.end
        return (
            f"Where the cases of {name[:1].lower()}{name[1:]} stand, as of {flt.day(end) if end else 'the reporting'}"
        )
    title = f"{listing(people)} in the story" if people else "What happened"
    return f"{title}, {when}" if when else title


def header(view: str, context: Context, group: str | None = None) -> tuple[str, str, str]:
    """Headline, subtitle and filters line written from the whole view state: "Who is linked to
    Nayib Bukele" / "The Rubio–Bukele deal …" / "Within 2 links of Nayib Bukele · Alleged links
    hidden · …". The filters line is the frame's own (the editor rewrites headline and subtitle)."""
    phrases = (*view_words(view, context), *flt.phrases(context.filters, context.model, context.statements))
    parts = [p[:1].upper() + p[1:] for p in phrases]
    story = context.schema.title or context.title
    focus = focus_display(context) if view == "network" else None
    everything = not parts and not context.filters.active and not focus
    state = " · ".join(parts) if parts else ("All statements in the dataset" if everything else "")
    return headline(view, context, group), story, state


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
    title, subtitle, filters = header(view, context, group)
    fields = source_fields(context.schema)
    if not fields["source"]:
        fields["source"] = source
    return render.Frame(
        title=title,
        subtitle=subtitle,
        credit=context.schema.credit or "Story explorer",
        notes=tuple(notes),
        notice=vocabulary.NOTICE_SHORT,
        filters=filters,
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
    parts += [p.rstrip(".") + "." for p in (frame.subtitle, frame.filters) if p]
    parts.append(description)
    focus = focus_display(context) if view == "network" else None
    if focus:
        parts.append(f"{focus}, the focus, is drawn with a heavy outline.")
    parts.append(frame.notice or vocabulary.NOTICE_SHORT)
    return " ".join(p for p in parts if p)
