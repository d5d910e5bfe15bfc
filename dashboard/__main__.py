"""Command line.

python -m dashboard check [PATH]
python -m dashboard export {timeline,network,cases} --format FORMAT --preset NAME --out FILE
                           [--person NAME]... [--start DATE] [--end DATE] [--data PATH]
                           [--focus NAME] [--hops N] [--hide alleged|inferred]... (network)
                           [--lanes side|person] (timeline)
                           [--title T] [--subtitle T] [--note T]... [--source T] [--source-date T]
                           [--source-link URL] [--byline T] [--credit T] (the frame; defaults from the view)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dashboard.schema import BUNDLED_DATA
from dashboard.validation import check_dataset


def main(argv: list[str] | None = None) -> int:
    from dashboard.export import PRESETS
    from dashboard.publish import VIEW_FORMATS

    parser = argparse.ArgumentParser(prog="python -m dashboard", description="Story explorer command line.")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="validate a dataset (the bundled one by default)")
    check.add_argument("path", nargs="?", default=str(BUNDLED_DATA), help="statements CSV")
    export = commands.add_parser("export", help="write a publication-ready chart or table")
    export.add_argument("view", choices=list(VIEW_FORMATS))
    export.add_argument("--format", required=True, choices=sorted({f for v in VIEW_FORMATS.values() for f in v}))
    export.add_argument("--preset", default="social", choices=list(PRESETS), help="newsroom size (default: social)")
    export.add_argument("--out", required=True, type=Path, help="file to write; its alt text goes beside it")
    export.add_argument("--person", action="append", default=[], help="keep statements involving this person")
    export.add_argument("--start", help="YYYY-MM-DD (or YYYY-MM, YYYY)")
    export.add_argument("--end", help="YYYY-MM-DD (or YYYY-MM, YYYY); the case table's as-of date")
    export.add_argument("--exclude-undated", action="store_true", help="leave out statements with no date")
    export.add_argument("--data", default=str(BUNDLED_DATA), help="statements CSV (default: the bundled one)")
    view = export.add_argument_group("the view's own controls")
    view.add_argument("--focus", help="network: only who is within --hops links of this person or organization")
    view.add_argument("--hops", type=int, choices=(1, 2, 3), default=1, help="network: links away from the focus")
    view.add_argument("--hide", action="append", default=[], choices=("alleged", "inferred"),
                      help="network: hide relations of this certainty (repeatable)")  # fmt: skip
    view.add_argument("--lanes", choices=("side", "person"), default="side", help="timeline: a lane per side or person")
    frame = export.add_argument_group("the frame (each replaces the default written from the view and data package)")
    frame.add_argument("--title")
    frame.add_argument("--subtitle")
    frame.add_argument("--note", action="append", help="a note under the chart, after the view's own (repeatable)")
    frame.add_argument("--source", help="source outlet or document")
    frame.add_argument("--source-date", help="when the source was published")
    frame.add_argument("--source-link", help="the source's address (http or https)")
    frame.add_argument("--byline", help="who made the graphic")
    frame.add_argument("--credit")
    args = parser.parse_args(argv)
    if args.command == "check":
        return run_check(args.path)
    return run_export(args, parser)


def run_check(path: str) -> int:
    dataset = check_dataset(path)
    for problem in dataset.problems:
        print(problem)
    errors = sum(p.is_error for p in dataset.problems)
    warnings = len(dataset.problems) - errors
    rows = len(dataset.frame) + dataset.rows_with_errors
    verdict = "OK" if not errors else "FAILED"
    print(f"{verdict}: {path}: {rows} rows, {errors} errors, {warnings} warnings", file=sys.stderr)
    return 1 if errors else 0


def run_export(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from dashboard import filters as flt
    from dashboard import network as net
    from dashboard import publish
    from dashboard.context import Context
    from dashboard.model import build_model

    if args.format not in publish.VIEW_FORMATS[args.view]:
        parser.error(f"the {args.view} view exports {', '.join(publish.VIEW_FORMATS[args.view])}, not {args.format}")
    dataset = check_dataset(args.data)
    if not dataset.ok:
        errors = sum(p.is_error for p in dataset.problems)
        print(f"error: {args.data} has {errors} error(s); run `python -m dashboard check {args.data}`", file=sys.stderr)
        return 1
    model = build_model(dataset.frame)
    people = []
    for wanted in args.person:
        name = flt.resolve_person(wanted, model.entities)
        if name is None:
            close = flt.match_people(wanted.split()[0] if wanted.split() else wanted, model.entities)[:5]
            hint = f"; did you mean: {', '.join(close)}?" if close else ""
            print(f"error: --person {wanted!r}: no one in the dataset matches it{hint}", file=sys.stderr)
            return 2
        people.append(name)
    try:
        start, end = flt.date_range(args.start, args.end)
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    filters = flt.Filters(people=tuple(people), start=start, end=end, include_undated=not args.exclude_undated)
    if args.view != "network" and (args.focus or args.hide or args.hops != 1):
        parser.error("--focus, --hops and --hide apply to the network view")
    if args.view != "timeline" and args.lanes != "side":
        parser.error("--lanes applies to the timeline view")
    focus = None
    if args.focus:
        focus = flt.resolve_person(args.focus, model.entities)
        if focus is None:
            close = flt.match_people(args.focus, model.entities)[:5]
            hint = f"; did you mean: {', '.join(close)}?" if close else ""
            print(f"error: --focus {args.focus!r}: no one in the dataset matches it{hint}", file=sys.stderr)
            return 2
    view = net.View(hidden_certainties=tuple(dict.fromkeys(args.hide)), focus=focus, hops=args.hops)
    options = publish.Options(lanes=args.lanes, network=view)
    edits = {key: getattr(args, key) for key in frame_keys() if getattr(args, key) is not None}
    edits["more_notes"] = args.note  # after the view's own notes (the hollow-mark key, the arrows)
    try:
        context = Context.build(dataset, model, filters)
        result = publish.build(args.view, args.format, args.preset, context, options, edits=edits)
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(result.data)
    alt = args.out.with_name(publish.alt_text_name(args.out.name))
    alt.write_text(result.alt_text + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({len(result.data):,} bytes) and {alt}", file=sys.stderr)
    return 0


def frame_keys() -> tuple[str, ...]:
    """The frame's fields the command line sets; `notes` comes from the repeatable --note."""
    return ("title", "subtitle", "source", "source_date", "source_link", "byline", "credit")


if __name__ == "__main__":
    sys.exit(main())
