"""`python -m dashboard export VIEW --format FMT`: the one runner for every export. It resolves and
checks every flag for every view before reading the dataset: a flag the chosen export would ignore
is refused (exit 2, saying which exports read it), an unknown value is refused with the choices, and
the exit code comes from the kind of error, never from its message.

`export --batch FILE` runs several exports in one process, one export's arguments a line, through
the same steps: every line is checked, then every file built (each dataset read once, every image
drawn by one Chromium), then every file written. A bad line is named by its number, and nothing is
written."""

from __future__ import annotations

import argparse
import os
import shlex
from dataclasses import dataclass
from pathlib import Path

from dashboard.dataset.package import PackageError, open_dataset
from dashboard.dataset.schema import BUNDLED_DATA, CERTAINTIES
from dashboard.derive.context import (
    LANES,
    TIMELINE_LABELS,
    DatasetError,
    NetworkView,
    Options,
    StateError,
    load,
    open_context,
)
from dashboard.exports import registry, render
from dashboard.exports.result import Export, NothingToShow, Refused
from dashboard.terminal import printable, say

# Each view-option flag and the option it sets (registry.LANES, NETWORK, GROUP).
OPTION_FLAGS = {
    "lanes": registry.LANES,
    "labels": registry.LABELS,
    "focus": registry.NETWORK,
    "hops": registry.NETWORK,
    "hide": registry.NETWORK,
    "relation_type": registry.NETWORK,
    "entity_side": registry.NETWORK,
    "group": registry.GROUP,
    "path_from": registry.PATH,
    "path_to": registry.PATH,
    "only_stated": registry.PATH,
}
# Each frame flag and the frame field it sets.
FRAME_FLAGS = {
    "title": "title",
    "subtitle": "subtitle",
    "note": "notes",
    "source": "source",
    "source_date": "source_date",
    "source_link": "source_link",
    "byline": "byline",
    "credit": "credit",
}


class UsageError(Exception):
    """A command-line value that cannot be used: printed as one line, exit code 2."""


BATCH_HELP = (
    "Several exports in one process, sharing one renderer: `export --batch FILE`, with one export's "
    "arguments a line (VIEW --format FORMAT --out FILE ..., quoted as in a shell; # starts a comment)."
)


def wants_batch(argv: list[str]) -> bool:
    """Whether the arguments after `export` ask for a batch."""
    return any(arg == "--batch" or arg.startswith("--batch=") for arg in argv)


def add_batch_argument(export: argparse.ArgumentParser) -> None:
    export.description = BATCH_HELP
    export.add_argument("--batch", required=True, type=Path, metavar="FILE", help="one export's arguments a line")


def add_arguments(export: argparse.ArgumentParser) -> None:
    """Every export flag. Defaults are None (or empty) so that a flag given is told from one left out."""
    export.description = BATCH_HELP
    formats = sorted({fmt for _, fmt in registry.FORMATS})
    export.add_argument("view", choices=registry.VIEWS)
    export.add_argument("--format", required=True, choices=formats)
    export.add_argument("--preset", choices=list(render.PRESETS), help="newsroom size of an image (default: social)")
    export.add_argument("--out", required=True, type=Path, help="file to write; an image's alt text goes beside it")
    export.add_argument("--data", default=str(BUNDLED_DATA), help="statements CSV or data package zip")
    filters = export.add_argument_group("filters (every view)")
    filters.add_argument("--person", action="append", default=[], help="keep statements involving this person")
    filters.add_argument("--start", help="YYYY-MM-DD (or YYYY-MM, YYYY)")
    filters.add_argument("--end", help="YYYY-MM-DD (or YYYY-MM, YYYY); the case table's as-of date")
    filters.add_argument("--exclude-undated", action="store_true", help="leave out statements with no date")
    filters.add_argument("--side", action="append", default=[], help="keep statements involving this side")
    filters.add_argument("--certainty", action="append", default=[], choices=CERTAINTIES,
                         help="keep statements of this certainty")  # fmt: skip
    view = export.add_argument_group("the view's own controls (refused where the export does not read them)")
    view.add_argument("--lanes", choices=LANES, help="timeline, story: a lane per side (default) or per person")
    view.add_argument("--labels", choices=TIMELINE_LABELS,
                      help="timeline images: label every mark with room, key moments first (default), key moments "
                      "only, or none")  # fmt: skip
    view.add_argument("--focus", help="network, story: only who is within --hops links of this entity")
    view.add_argument("--hops", type=int, choices=(1, 2, 3), help="network, story: links away from the focus")
    view.add_argument("--hide", action="append", default=[], choices=("alleged", "inferred"),
                      help="network, story: hide relations of this certainty")  # fmt: skip
    view.add_argument("--relation-type", action="append", default=[], help="network, story: keep links of this type")
    view.add_argument("--entity-side", action="append", default=[], help="network, story: keep entities of this side")
    view.add_argument("--group", help="cases, story: the tracked group (default: the largest)")
    view.add_argument("--from", dest="path_from", help="path: how is this entity connected …")
    view.add_argument("--to", dest="path_to", help="path: … to this one")
    view.add_argument("--only-stated", action="store_true", help="path: follow stated links only")
    frame = export.add_argument_group("the frame (each replaces the default written from the view and data package)")
    frame.add_argument("--title")
    frame.add_argument("--subtitle")
    frame.add_argument("--note", action="append", default=[], help="a note under the chart, after the view's own")
    frame.add_argument("--source", help="source outlet or document")
    frame.add_argument("--source-date", help="when the source was published")
    frame.add_argument("--source-link", help="the source's address (http or https)")
    frame.add_argument("--byline", help="who made the graphic")
    frame.add_argument("--credit")


def _given(args: argparse.Namespace, name: str) -> bool:
    value = getattr(args, name)
    return value not in (None, [], (), False)


def _flag(name: str) -> str:
    return "--" + name.removeprefix("path_").replace("_", "-")


def _readers(wanted) -> str:
    """The exports that read an option or frame field, as "network (png, svg, html) and story (html)"."""
    views: dict[str, list[str]] = {}
    for (view, fmt), entry in registry.FORMATS.items():
        if wanted(entry):
            views.setdefault(view, []).append(fmt)
    parts = [f"{view} ({', '.join(fmts)})" for view, fmts in views.items()]
    return ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else "".join(parts)


def check_flags(args: argparse.Namespace) -> registry.Format:
    """The registry entry for the command, once every flag given is one it reads; UsageError or
    Refused (both exit 2) otherwise."""
    entry = registry.lookup(args.view, args.format)
    for name, option in OPTION_FLAGS.items():
        if _given(args, name) and option not in entry.options:
            readers = _readers(lambda e, option=option: option in e.options)
            raise UsageError(f"{_flag(name)} applies to {readers} exports, not {args.view} {args.format}")
    for name, field in FRAME_FLAGS.items():
        if _given(args, name) and field not in entry.frame:
            readers = _readers(lambda e, field=field: field in e.frame)
            raise UsageError(f"{_flag(name)} applies to {readers} exports, not {args.view} {args.format}")
    if registry.PATH in entry.options and not (args.path_from and args.path_to):
        raise UsageError("the path export asks how two entities are connected: give --from NAME and --to NAME")
    if args.hops is not None and args.focus is None:
        raise UsageError("--hops counts links away from --focus: give both")
    if args.preset is not None and not entry.sized:
        raise UsageError(f"--preset applies to images (png, svg), not {args.view} {args.format}")
    return entry


def query_of(args: argparse.Namespace) -> dict[str, list[str]]:
    """The filters as the app's URL writes them, so both are read by the same bounded parser."""
    return {
        "person": args.person,
        "start": [args.start] if args.start else [],
        "end": [args.end] if args.end else [],
        "side": args.side,
        "certainty": args.certainty,
        "undated": ["exclude"] if args.exclude_undated else [],
    }


def options_of(args: argparse.Namespace) -> Options:
    network = NetworkView(
        relation_types=tuple(dict.fromkeys(args.relation_type)),
        sides=tuple(dict.fromkeys(args.entity_side)),
        hidden_certainties=tuple(dict.fromkeys(args.hide)),
        focus=args.focus,
        hops=args.hops or 1,
    )
    return Options(lanes=args.lanes or "side", labels=args.labels or "all", network=network, group=args.group,
                   path_from=args.path_from, path_to=args.path_to, only_stated=args.only_stated)  # fmt: skip


def edits_of(args: argparse.Namespace) -> dict[str, object]:
    """The frame fields given; --note adds to the view's own notes (the hollow-mark key, the arrows)."""
    edits: dict[str, object] = {
        field: getattr(args, name) for name, field in FRAME_FLAGS.items() if name != "note" and _given(args, name)
    }
    edits["more_notes"] = list(args.note)
    return edits


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


def alt_text_name(name: str) -> str:
    """The alt text saved beside an export: "timeline-social.png" → "timeline-social.alt.txt"."""
    return name.rsplit(".", 1)[0] + ".alt.txt"


@dataclass(frozen=True)
class Job:
    """One export asked for: its arguments, and where it was asked ("" on the command line,
    "FILE line N: " in a batch), to begin its lines."""

    args: argparse.Namespace
    where: str = ""
    line: int = 0


class LineParser(argparse.ArgumentParser):
    """The export flags of one line of a batch: a bad one raises UsageError instead of exiting."""

    def error(self, message: str):
        raise UsageError(message)


def read_batch(path: Path) -> list[Job]:
    """The exports a batch file asks for, one a line (blank lines and # comments skipped); UsageError
    naming every bad line. The file is read as UTF-8 (OSError when it cannot be read)."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise UsageError(f"{path}: the batch file is not UTF-8 text") from None
    parser = LineParser(prog="export", add_help=False)
    add_arguments(parser)
    jobs, errors = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        where = f"{path} line {number}: "
        try:
            words = shlex.split(line, comments=True)
            if words:
                jobs.append(Job(parser.parse_args(words), where, number))
        except (UsageError, ValueError) as err:  # ValueError: shlex's "No closing quotation"
            errors.append(where + str(err))
    if errors:
        raise UsageError("\n".join(errors))
    if not jobs:
        raise UsageError(f"{path}: the batch file asks for no export (one export's arguments a line)")
    return jobs


def run(args: argparse.Namespace) -> int:
    """Write the file for `export VIEW --format FMT` (or every file of `export --batch FILE`): 0 when
    written, 1 for a dataset with errors, 2 for a flag or value that cannot be used."""
    if getattr(args, "batch", None) is not None:
        try:
            jobs = read_batch(args.batch)
        except UsageError as err:
            say("\n".join(f"error: {printable(line)}" for line in str(err).splitlines()))
            return 2
    else:
        jobs = [Job(args)]
    try:
        return run_jobs(jobs)
    finally:
        render.Renderer.stop()  # before Python's own exit: see Renderer.stop


def run_jobs(jobs: list[Job]) -> int:
    """Check every job, then build every file, then write them: a job that fails stops the run before
    anything is written (in a batch, a line that has nothing to show is told and skipped)."""
    code = 0
    outs: dict[Path, int] = {}  # each file written, and the line that writes it
    for job in jobs:
        try:
            check_flags(job.args)
            out = check_out_path(job.args.out)  # before the dataset is read and the chart drawn
            if out.resolve() in outs:
                raise UsageError(f"--out {str(out)!r}: line {outs[out.resolve()]} writes that file too")
            outs[out.resolve()] = job.line
        except (UsageError, Refused) as err:
            say(f"error: {job.where}{err}")
            code = 2
    if code:
        return code
    loaded: dict[str, tuple] = {}  # each dataset checked and modelled once
    built: list[tuple[Job, Export]] = []
    for job in jobs:
        args = job.args
        try:
            data = open_dataset(args.data)
            if args.data not in loaded:
                loaded[args.data] = load(data)
            context = open_context(data, query_of(args), options_of(args), loaded[args.data])
            built.append((job, registry.build(args.view, args.format, context, args.preset or "social",
                                              edits_of(args))))  # fmt: skip
        except NothingToShow as err:
            say(f"{job.where}nothing written: {err}")
        except DatasetError as err:
            say(f"error: {job.where}{err}")
            return 1
        except (UsageError, Refused, StateError, PackageError) as err:
            say(f"error: {job.where}{err}")
            return 2
    for job, result in built:
        say(job.where + write(job.args.out, result))
    return 0


def write(out: Path, result: Export) -> str:
    """Write an export (and its alt text beside it); the line that says what was written."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(result.data)
    written = f"wrote {out} ({len(result.data):,} bytes)"
    if result.alt_text:
        alt = out.with_name(alt_text_name(out.name))
        alt.write_text(result.alt_text + "\n", encoding="utf-8")
        written += f" and {alt}"
    return written + (f": {result.summary}" if result.summary else "")
