"""Command line: `python -m dashboard check [PATH]`."""

from __future__ import annotations

import argparse
import sys

from dashboard.schema import BUNDLED_DATA
from dashboard.validation import check_dataset


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="validate a dataset (the bundled one by default)")
    check.add_argument("path", nargs="?", default=str(BUNDLED_DATA), help="statements CSV")
    args = parser.parse_args(argv)
    if args.command == "check":
        return run_check(args.path)
    return 2


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


if __name__ == "__main__":
    sys.exit(main())
