"""Command line.

python -m dashboard check [PATH]          validate a dataset (a CSV or a data package zip)
python -m dashboard export VIEW --format FORMAT --out FILE [filters] [view controls] [frame]
python -m dashboard export --batch FILE   several exports in one process: one export's arguments a line
    VIEW and FORMAT: timeline png|svg · network png|svg|html|gexf|graphml · cases png|svg|csv
                     statements csv|json|datapackage|ftm · story html
    `python -m dashboard export --help` lists every flag; one that the export does not read is refused.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import gc
import os
import sys

from dashboard.dataset.package import PackageError, open_dataset
from dashboard.dataset.schema import BUNDLED_DATA
from dashboard.dataset.validation import check_dataset
from dashboard.terminal import printable, say


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = Parser(prog="python -m dashboard", description="Story explorer command line.")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="validate a dataset (the bundled one by default)")
    check.add_argument("path", nargs="?", default=str(BUNDLED_DATA), help="statements CSV or data package zip")
    export = commands.add_parser("export", help="write a chart, table, data file or story page")
    if argv[:1] == ["export"]:  # the export layer (plotly, networkx, templates): not paid for by `check`
        from dashboard.exports import cli

        if cli.wants_batch(argv[1:]):
            cli.add_batch_argument(export)
        else:
            cli.add_arguments(export)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # argparse has printed its usage line and message
        return 0 if exit_.code in (0, None) else 2
    try:
        if args.command == "export":
            from dashboard.exports import cli

            return cli.run(args)
        return run_check(args.path)
    except PackageError as err:
        say(f"error: {err}")
        return 2
    except OSError as err:
        where = f" {err.filename}" if err.filename else ""
        say(f"error: cannot use{where}: {err.strerror or err}")
        return 2


class Parser(argparse.ArgumentParser):
    """argparse, but its error line cannot carry control characters from the arguments."""

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {printable(message)}\n")


def run_check(path: str) -> int:
    small_pages()
    # The process ends when the check does: no cycle collection while it runs (passes over every
    # object pandas and the checks hold: 0.1 s of CPU at a million statements).
    gc.disable()
    path = str(open_dataset(path))
    dataset = check_dataset(path)
    for problem in dataset.problems:
        print(printable(str(problem)))
    errors = sum(p.is_error for p in dataset.problems)
    warnings = len(dataset.problems) - errors
    rows = len(dataset.frame) + dataset.rows_with_errors
    verdict = "OK" if not errors else "FAILED"
    say(f"{verdict}: {path}: {rows} rows, {errors} errors, {warnings} warnings")
    return 1 if errors else 0


# prctl(2): PR_SET_THP_DISABLE, Linux's switch for this process's transparent huge pages.
_PR_SET_THP_DISABLE = 41


def small_pages() -> None:
    """Memory in 4 KiB pages for the rest of this process, on Linux. numpy and pyarrow ask for huge
    pages for their large buffers; a check reads each buffer once and exits, and on the project's VM
    a huge page touched for the first time cost more than its 512 small pages: at a million
    statements, system time fell from 2.6 s to 1.3 s (interleaved runs). Elsewhere, or when the
    call fails, nothing changes."""
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_THP_DISABLE, 1, 0, 0, 0)


def end_now(code: int) -> None:
    """End the process once `check` has written its last line. The interpreter would otherwise free
    the checked dataset object by object before exiting (0.06 s at a million statements); the
    operating system takes the memory back at once."""
    with contextlib.suppress(BrokenPipeError):  # a reader that stopped reading, as `| head` does
        sys.stdout.flush()
        sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    code = main()
    if sys.argv[1:2] == ["check"]:
        end_now(code)
    sys.exit(code)
