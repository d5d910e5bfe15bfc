"""Where the time of loading and checking goes: each part of `check_dataset`, one after another on
one thread, CPU and wall-clock milliseconds (medians of several runs, after one run that warms the
process), beside a bare `pandas.read_csv` of the same file. The README's profile table comes from it.

    python scripts/load_profile.py [--size 100000] [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def parts(path: Path):
    """(name, function) for each part of check_dataset, in its order, each run on the last's result."""
    from dashboard.dataset import validation as v
    from dashboard.dataset.entitychecks import check_descriptions, check_near_duplicates, first_mentions
    from dashboard.dataset.rowchecks import Rows
    from dashboard.dataset.sources import find_seeds_dir

    state: dict = {}
    label = str(path)

    def read():
        state["schema"], _ = v.find_schema(path, label)
        state["table"] = v.read_table(path, label)

    def frame():
        state["frame"] = v.to_frame(state["table"], state["schema"])

    def documents():
        seeds = find_seeds_dir(path)
        state["documents"] = v.read_documents(state["frame"], seeds)
        table = state["table"]
        absent = frozenset(state["schema"].columns) - set(table.header)
        state["rows"] = Rows(
            state["frame"], state["schema"], label, state["documents"], seeds, absent, table.control_characters
        )

    def mentions():
        state["mentions"] = first_mentions(state["frame"])

    yield "read the CSV (read_table)", read
    yield "text columns (to_frame)", frame
    yield "read the sources (read_documents)", documents
    for check in v.ROW_CHECKS:
        yield check.__name__, lambda check=check: check(state["rows"])
    yield "entities: first mentions", mentions
    yield "entities: kind and side", lambda: check_descriptions(state["frame"], label, state["mentions"])
    yield "entities: near-duplicate names", lambda: check_near_duplicates(state["frame"], label, state["mentions"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)

    import pandas as pd

    from scripts.benchmark import dataset

    path = dataset(args.size)
    timings: dict[str, list[tuple[float, float]]] = {}
    for run in range(args.runs + 1):  # the first run warms the process (imports, first use of memory)
        for name, function in [("bare pandas.read_csv", lambda: pd.read_csv(path, low_memory=False)), *parts(path)]:
            wall, cpu = time.perf_counter(), time.process_time()
            function()
            if run:
                timings.setdefault(name, []).append((time.process_time() - cpu, time.perf_counter() - wall))
    medians = {name: tuple(statistics.median(t[i] for t in values) for i in (0, 1)) for name, values in timings.items()}
    total = sum(cpu for name, (cpu, _) in medians.items() if name != "bare pandas.read_csv")
    print(f"{args.size:,} statements, medians of {args.runs} runs, one thread\n")
    print("| part | CPU | wall | share |\n| --- | ---: | ---: | ---: |")
    for name, (cpu, wall) in medians.items():
        share = "" if name == "bare pandas.read_csv" else f"{100 * cpu / total:.0f}%"
        print(f"| {name} | {cpu * 1000:,.0f} ms | {wall * 1000:,.0f} ms | {share} |")
    print(f"| all parts | {total * 1000:,.0f} ms | | 100% |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
