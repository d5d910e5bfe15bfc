"""Command line.

python -m dashboard check [PATH]
python -m dashboard export {timeline,network,cases} --format FORMAT --preset NAME --out FILE
                           [--person NAME]... [--start DATE] [--end DATE] [--data PATH]
                           [--focus NAME] [--hops N] [--hide alleged|inferred]... (network)
                           [--lanes side|person] (timeline)
                           [--title T] [--subtitle T] [--note T]... [--source T] [--source-date T]
                           [--source-link URL] [--byline T] [--credit T] (the frame; defaults from the view)
python -m dashboard export {network,statements,story} --format {gexf,graphml,csv,json,datapackage,ftm,html}
                           --out FILE [filters]   (dashboard/exports/cli.py)
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from dashboard.dataset.schema import BUNDLED_DATA
from dashboard.dataset.validation import check_dataset
from dashboard.exports.statements import PackageError
from dashboard.terminal import printable, say


def main(argv: list[str] | None = None) -> int:
    from dashboard.exports import cli as interchange
    from dashboard.exports.publish import VIEW_FORMATS
    from dashboard.exports.render import PRESETS

    parser = Parser(prog="python -m dashboard", description="Story explorer command line.")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="validate a dataset (the bundled one by default)")
    check.add_argument("path", nargs="?", default=str(BUNDLED_DATA), help="statements CSV")
    export = commands.add_parser("export", help="write a publication-ready chart or table")
    export.add_argument("view", choices=list(dict.fromkeys([*VIEW_FORMATS, *interchange.views()])))
    all_formats = {f for v in VIEW_FORMATS.values() for f in v} | interchange.all_formats()
    export.add_argument("--format", required=True, choices=sorted(all_formats))
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
    interchange.add_arguments(export)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # argparse has printed its usage line and message
        return 0 if exit_.code in (0, None) else 2
    try:
        if args.command == "check":
            return run_check(interchange.dataset_path(args.path))
        if interchange.handles(args.view, args.format):
            check_out_path(args.out)
            return interchange.run(args)
        return run_export(args, parser)
    except (UsageError, PackageError) as err:
        say(f"error: {err}")
        return 2
    except OSError as err:  # a file the command was given cannot be read or written
        where = f" {err.filename}" if err.filename else ""
        say(f"error: cannot use{where}: {err.strerror or err}")
        return 2


class Parser(argparse.ArgumentParser):
    """argparse, but its error line cannot carry control characters from the arguments."""

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {printable(message)}\n")


class UsageError(Exception):
    """A command-line value that cannot be used: printed as one line, exit code 2."""


def check_out_path(out: Path) -> Path:
    """`--out` must name a file (not a folder) in a folder we can create and write in."""
    text = str(out)
    try:
        os.fsencode(text)
    except UnicodeError:
        raise UsageError(f"--out {text!r}: the name cannot be written on this system") from None
    if "\x00" in text:
        raise UsageError("--out: a file name cannot contain a NUL character")
    if not text.strip() or text.endswith(os.sep) or out.name in ("", ".", ".."):
        raise UsageError(f"--out {text!r}: give a file name, such as timeline.png")
    if out.is_dir():
        raise UsageError(f"--out {text!r} is a folder: give a file name inside it, such as {out / 'chart.png'}")
    existing = next((p for p in out.parents if p.exists()), Path("."))
    if not existing.is_dir():
        raise UsageError(f"--out {text!r}: {existing} is a file, not a folder")
    if not os.access(existing, os.W_OK | os.X_OK) or (out.exists() and not os.access(out, os.W_OK)):
        raise UsageError(f"--out {text!r}: no permission to write there")
    return out


def run_check(path: str) -> int:
    dataset = check_dataset(path)
    for problem in dataset.problems:
        print(printable(str(problem)))
    errors = sum(p.is_error for p in dataset.problems)
    warnings = len(dataset.problems) - errors
    rows = len(dataset.frame) + dataset.rows_with_errors
    verdict = "OK" if not errors else "FAILED"
    say(f"{verdict}: {path}: {rows} rows, {errors} errors, {warnings} warnings")
    return 1 if errors else 0


def run_export(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from dashboard.dataset.model import build_model
    from dashboard.derive import filters as flt
    from dashboard.derive.context import Context
    from dashboard.exports import publish
    from dashboard.views import network as net

    if args.format not in publish.VIEW_FORMATS[args.view]:
        formats = ", ".join(publish.VIEW_FORMATS[args.view])
        raise UsageError(f"the {args.view} view exports {formats}, not {args.format}")
    check_out_path(args.out)  # before the dataset is read and the chart drawn
    dataset = check_dataset(args.data)
    if not dataset.ok:
        errors = sum(p.is_error for p in dataset.problems)
        say(f"error: {args.data} has {errors} error(s); run `python -m dashboard check {args.data}`")
        return 1
    model = build_model(dataset.frame)
    people = []
    for wanted in args.person:
        name = flt.resolve_person(wanted, model.entities)
        if name is None:
            close = flt.match_people(wanted.split()[0] if wanted.split() else wanted, model.entities)[:5]
            hint = f"; did you mean: {', '.join(close)}?" if close else ""
            say(f"error: --person {wanted!r}: no one in the dataset matches it{hint}")
            return 2
        people.append(name)
    try:
        start, end = flt.date_range(args.start, args.end)
    except ValueError as err:
        say(f"error: {err}")
        return 2
    filters = flt.Filters(people=tuple(people), start=start, end=end, include_undated=not args.exclude_undated)
    if args.view != "network" and (args.focus or args.hide or args.hops != 1):
        raise UsageError("--focus, --hops and --hide apply to the network view")
    if args.view != "timeline" and args.lanes != "side":
        raise UsageError("--lanes applies to the timeline view")
    focus = None
    if args.focus:
        focus = flt.resolve_person(args.focus, model.entities)
        if focus is None:
            close = flt.match_people(args.focus, model.entities)[:5]
            hint = f"; did you mean: {', '.join(close)}?" if close else ""
            say(f"error: --focus {args.focus!r}: no one in the dataset matches it{hint}")
            return 2
    view = net.View(hidden_certainties=tuple(dict.fromkeys(args.hide)), focus=focus, hops=args.hops)
    options = publish.Options(lanes=args.lanes, network=view)
    edits = {key: getattr(args, key) for key in frame_keys() if getattr(args, key) is not None}
    edits["more_notes"] = args.note  # after the view's own notes (the hollow-mark key, the arrows)
    try:
        context = Context.build(dataset, model, filters)
        result = publish.build(args.view, args.format, args.preset, context, options, edits=edits)
    except ValueError as err:
        say(f"error: {err}")
        return 2
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(result.data)
    alt = args.out.with_name(publish.alt_text_name(args.out.name))
    alt.write_text(result.alt_text + "\n", encoding="utf-8")
    say(f"wrote {args.out} ({len(result.data):,} bytes) and {alt}")
    return 0


def frame_keys() -> tuple[str, ...]:
    """The frame's fields the command line sets; `notes` comes from the repeatable --note."""
    return ("title", "subtitle", "source", "source_date", "source_link", "byline", "credit")


if __name__ == "__main__":
    sys.exit(main())
