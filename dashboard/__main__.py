"""Command line.

python -m dashboard check [PATH]
python -m dashboard export {timeline,network,cases} --format FORMAT --preset NAME --out FILE
                           [--person NAME]... [--start DATE] [--end DATE] [--data PATH]
python -m dashboard export {network,statements,story} --format {gexf,graphml,csv,json,datapackage,ftm,html}
                           --out FILE [filters]   (dashboard/interchange/cli.py)
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

from dashboard.schema import BUNDLED_DATA
from dashboard.validation import check_dataset


def main(argv: list[str] | None = None) -> int:
    from dashboard.export import PRESETS
    from dashboard.interchange import cli as interchange
    from dashboard.publish import VIEW_FORMATS

    parser = argparse.ArgumentParser(prog="python -m dashboard", description="Story explorer command line.")
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
    interchange.add_arguments(export)
    args = parser.parse_args(argv)
    if args.command == "check":
        return run_check(interchange.dataset_path(args.path))
    if interchange.handles(args.view, args.format):
        return interchange.run(args)
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
    from dashboard import publish
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
    query = {"start": [args.start] if args.start else [], "end": [args.end] if args.end else []}
    sides = dataset.schema.enum("side") or tuple(dict.fromkeys(s for s in model.entities["side"] if s))
    parsed = flt.parse_query(query, model, sides)
    if parsed.notices:
        print(f"error: {parsed.notices[0].removeprefix('Ignored ')}", file=sys.stderr)
        return 2
    filters = replace(parsed.filters, people=tuple(people), include_undated=not args.exclude_undated)
    try:
        result = publish.build(
            args.view, args.format, args.preset, schema=dataset.schema, model=model,
            statements=flt.apply(model, filters), filters=filters, sides=sides,
        )  # fmt: skip
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(result.data)
    alt = args.out.with_name(publish.alt_text_name(args.out.name))
    alt.write_text(result.alt_text + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({len(result.data):,} bytes) and {alt}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
