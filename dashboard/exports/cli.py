"""`python -m dashboard export` for the interchange formats: the options they add to the export
command, and the one function that writes their files. The chart exports stay in dashboard/__main__.py."""

from __future__ import annotations

import argparse
from pathlib import Path

from dashboard.exports import formats
from dashboard.exports.selection import SelectionError, select
from dashboard.exports.statements import open_dataset
from dashboard.terminal import say
from dashboard.views import network as net

VIEW_FORMATS = formats.VIEW_FORMATS


def handles(view: str, fmt: str) -> bool:
    """True when `export VIEW --format FMT` is one of the interchange exports."""
    return fmt in VIEW_FORMATS.get(view, ())


def views() -> list[str]:
    return list(VIEW_FORMATS)


def all_formats() -> set[str]:
    return {fmt for fmts in VIEW_FORMATS.values() for fmt in fmts}


def add_arguments(export: argparse.ArgumentParser) -> None:
    """The filters the app has beyond people and dates, and the controls only the interchange formats
    read. --focus, --hops, --hide, --lanes, --title, --note and --credit are the chart export's own
    (dashboard/__main__.py): one meaning for each flag, whatever the format."""
    export.add_argument("--side", action="append", default=[], help="keep statements involving this side (repeat)")
    export.add_argument("--certainty", action="append", default=[], help="keep statements of this certainty (repeat)")
    network = export.add_argument_group("network filters (network, statements --format ftm, story)")
    network.add_argument("--relation-type", action="append", default=[], help="keep links of this type (repeat)")
    network.add_argument("--entity-side", action="append", default=[], help="keep entities of this side (repeat)")
    story = export.add_argument_group("story page (story --format html)")
    story.add_argument("--group", help="the tracked group of the case table (default: the largest)")


def dataset_path(path: str) -> str:
    """The CSV to check for `path` (a CSV, or a data package zip, unpacked once); PackageError says
    why a zip cannot be opened."""
    return str(open_dataset(path))


def run(args: argparse.Namespace) -> int:
    """Write the file for `export VIEW --format FMT`; 0 on success, 1 for a dataset with errors,
    2 for a filter value that matches nothing."""
    query = {
        "person": args.person,
        "start": [args.start] if args.start else [],
        "end": [args.end] if args.end else [],
        "side": args.side,
        "certainty": args.certainty,
        "undated": ["exclude"] if args.exclude_undated else [],
    }
    hidden = tuple(dict.fromkeys(args.hide))
    view = net.View(tuple(args.relation_type), tuple(args.entity_side), hidden, args.focus, args.hops)
    try:
        selection = select(dataset_path(args.data), query, view, lanes=args.lanes, group=args.group)
    except SelectionError as err:
        say(f"error: {err}")
        return 1 if "error(s)" in str(err) else 2
    frame = formats.StoryFrame(title=args.title, notes=tuple(args.note or ()), credit=args.credit)
    try:
        result = formats.build(args.view, args.format, selection, frame)
    except ValueError as err:
        say(f"error: {err}")
        return 2
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(result.data)
    say(f"wrote {out} ({len(result.data):,} bytes): {result.summary}")
    return 0
