"""How the dashboard copes with big investigations: `make benchmark` (or `make benchmark-quick`).

For each size (synthetic datasets from dashboard.dataset.synthetic, seeded, generated once under
build/bench/), prints the median of several runs of each step, the same step on the naive path
(scripts/naive.py: no caching, every mark in SVG, every entity through pyvis's default loops with
physics on) and the ratio naive ÷ design:

- server, pure functions (one fresh process per size): load and validate (quote checks included),
  build the model, apply a filter, the timeline figure (built and serialised to JSON), the network
  page's HTML (graph, layout, HTML), the case table, and the peak memory of that process;
- server, the whole page: an AppTest run of each page after a filter change (the start date moves
  by a month each run), with the dataset already loaded; the naive path re-validates every run;
- browser (Debian Chromium): from opening each page to its chart drawn (Plotly's SVG and WebGL
  layers painted; for the network, vis-network drawn and settled; for tables and sources, the
  table canvas or document), and the server's peak memory meanwhile.

A naive step that runs past its time limit is reported as "> limit". Timings are wall-clock on
this machine: other processes running at the same time slow them.

    python scripts/benchmark.py [--sizes 1000,10000,100000] [--runs 5] [--browser-runs 3]
                                [--no-browser] [--no-naive] [--out build/benchmark]
    python scripts/benchmark.py --check-cli [--sizes 10000,100000,1000000] [--runs 5]

`--check-cli` (`make benchmark-check`) times only the command line's `check` against a bare
`pandas.read_csv` of the same file, each a whole process, in turn.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

BENCH_DIR = REPO / "build" / "bench"
SEED = 42
PAGES = ("overview", "timeline", "network", "cases", "sources")
STEPS = (
    ("bare_read", "reference: bare pandas.read_csv of the same file"),
    ("load", "load and validate (quote checks included)"),
    ("bare_read_cpu", "reference, CPU time: bare pandas.read_csv"),
    ("load_cpu", "load and validate, CPU time"),
    ("cached_load", "load from the disk cache (unchanged dataset, model included)"),
    ("model", "build the model"),
    ("filter", "apply a filter (a date range)"),
    ("timeline", "timeline figure, built and serialised"),
    ("network", "network HTML (graph, layout, HTML)"),
    ("cases", "case table"),
    ("path_links", "links for the path search (built once per dataset, filters and switch)"),
    ("path_search", "every shortest chain between two distant entities, the first ten built"),
    ("memory", "peak memory, load to figures (MiB)"),
    *((f"apptest_{page}", f"AppTest run of {page} after a filter change") for page in PAGES),
    ("load_alone", "load and validate, in a process of its own"),
    ("load_memory", "peak memory of that process (MiB)"),
    ("restart_imports", "imports a restarted server pays once, before any page (not in the rows below)"),
    *((f"restart_{page}", f"AppTest: {page} opened first after a restart (cache on disk)") for page in PAGES),
    *((f"warm_{page}", f"AppTest: {page} opened by a new session, warm") for page in PAGES),
    *((f"browser_{page}", f"browser: open {page} until drawn") for page in PAGES[:2]),
    ("browser_network_drawn", "browser: open network until drawn"),
    ("browser_network", "browser: open network until drawn and settled"),
    *((f"browser_{page}", f"browser: open {page} until drawn") for page in PAGES[3:]),
    ("server_memory", "browser: server's peak memory (MiB)"),
)
FILTER = {"start": dt.date(2019, 1, 1), "end": dt.date(2021, 12, 31)}


# --- datasets -----------------------------------------------------------------------------------


def dataset(size: int) -> Path:
    """The synthetic dataset of `size` statements, generated once (its stamp records size and seed)."""
    from dashboard.dataset.synthetic import write_dataset

    folder = BENCH_DIR / f"n{size}"
    stamp = folder / "generated.json"
    wanted = {"size": size, "seed": SEED, "generator": _generator_digest()}
    if not stamp.exists() or json.loads(stamp.read_text()) != wanted:
        write_dataset(folder, size, seed=SEED)
        stamp.write_text(json.dumps(wanted))
    return folder / "data" / "statements.csv"


def _generator_digest() -> str:
    import hashlib

    return hashlib.sha1((REPO / "dashboard" / "dataset" / "synthetic.py").read_bytes()).hexdigest()[:12]


# --- server-side pure functions (run in a child process per size) ---------------------------------


def median_time(function, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def with_limit(function, limit: float):
    """Run `function` in a forked child; its duration, or None past `limit` seconds (the child is killed)."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    queue = context.Queue()

    def child():
        start = time.perf_counter()
        function()
        queue.put(time.perf_counter() - start)

    process = context.Process(target=child)
    process.start()
    process.join(limit)
    if process.is_alive():
        process.kill()
        process.join()
        return None
    return queue.get() if not queue.empty() else None


def path_pair(links) -> tuple[str, str]:
    """Two entities for the path search, the same for a given dataset: the most linked entity, and
    the farthest from it (within the search's length cap), names breaking ties."""
    from dashboard.derive import paths

    source = min(links.neighbours, key=lambda n: (-len(links.neighbours[n]), paths.node_key(n)))
    level, seen = [source], {source}
    for _ in range(paths.MAX_LENGTH):
        reached = sorted({o for n in level for o in links.neighbours[n]} - seen, key=paths.node_key)
        if not reached:
            break
        seen.update(reached)
        level = reached
    return source, level[0]


def functions_worker(size: int, runs: int, naive_runs: int, limit: float, with_naive: bool) -> dict:
    """Median seconds of each pure step, design and naive; peak memory of this process."""
    import pandas as pd

    from dashboard import style
    from dashboard.dataset import cache
    from dashboard.dataset.model import build_model, events
    from dashboard.dataset.validation import check_dataset
    from dashboard.derive import cases, paths
    from dashboard.derive import filters as flt
    from dashboard.views import network as net
    from dashboard.views import timeline
    from scripts import naive

    path = dataset(size)
    out: dict = {}
    checked = check_dataset(path)
    assert checked.ok, [str(p) for p in checked.problems[:5]]
    # Interleaved, so that what else runs on the machine weighs on both alike; CPU time as well as
    # wall-clock time, as the CPU time of a process barely moves when others share the cores.
    timings: dict[str, list[float]] = {"bare_read": [], "load": [], "bare_read_cpu": [], "load_cpu": []}
    for _ in range(runs):
        for step, function in (
            ("bare_read", lambda: pd.read_csv(path, low_memory=False)),
            ("load", lambda: check_dataset(path)),
        ):
            wall, cpu = time.perf_counter(), time.process_time()
            function()
            timings[step].append(time.perf_counter() - wall)
            timings[f"{step}_cpu"].append(time.process_time() - cpu)
    out.update({step: {"design": statistics.median(values)} for step, values in timings.items()})
    with tempfile.TemporaryDirectory() as folder:
        os.environ[cache.ENV_VAR] = folder
        cache.check_and_model(path)
        out["cached_load"] = {"design": median_time(lambda: cache.check_and_model(path), runs)}
    model = build_model(checked.frame)
    out["model"] = {"design": median_time(lambda: build_model(checked.frame), runs)}
    filters = flt.Filters(**FILTER)
    out["filter"] = {"design": median_time(lambda: flt.apply(model, filters), runs)}

    everything = events(model.statements)
    hover = timeline.hover_texts(timeline.dated(everything))  # kept once per dataset by the page

    def timeline_design():
        if len(timeline.dated(everything)) > timeline.DENSITY_MARKS:
            return timeline.density_figure(timeline.TimelineData(everything, model.entities)).to_json()
        return timeline.timeline_figure(timeline.TimelineData(everything, model.entities, hover=hover)).to_json()

    def timeline_naive():
        return naive.timeline_figure(timeline.TimelineData(everything, model.entities)).to_json()

    out["timeline"] = {"design": median_time(timeline_design, runs), "design_mb": len(timeline_design()) / 1e6}
    colours = style.side_colours(())

    def network_design():
        graph = net.build_graph(model.statements, model.entities)
        return net.network_html(graph, colours, net.layout_positions(graph))

    def network_naive():
        graph = naive.build_graph(model.statements, model.entities)
        return naive.network_html(graph, colours)

    out["network"] = {"design": median_time(network_design, runs), "design_mb": len(network_design()) / 1e6}
    group = cases.tracked_groups(model)[0]

    def case_table():
        evidence = flt.apply(model, flt.Filters())
        return cases.case_table(model, group, evidence, as_of=None, include_undated=True, status_from=evidence)

    out["cases"] = {"design": median_time(case_table, runs)}
    links = paths.build_links(model.statements)
    out["path_links"] = {"design": median_time(lambda: paths.build_links(model.statements), runs)}
    source, target = path_pair(links)
    out["path_search"] = {
        "design": median_time(
            lambda: paths.find_chains(model.statements, model.entities, source, target, links=links), runs
        )
    }
    out["memory"] = {"design": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    if with_naive:
        # The load has no cheaper path: its naive cost is paid on every rerun (see the AppTest rows).
        for step, function in (("timeline", timeline_naive), ("network", network_naive)):
            times = []
            while len(times) < naive_runs and None not in times:  # one run past the limit says enough
                times.append(with_limit(function, limit))
            out[step]["naive"] = statistics.median(times) if None not in times else None
            out[step]["naive_limit"] = limit
    return out


def load_memory_worker(size: int) -> dict:
    """Peak memory of a process that only loads and validates (the 3 GiB target at 1,000,000)."""
    from dashboard.dataset.validation import check_dataset

    began = time.perf_counter()
    assert check_dataset(dataset(size)).ok
    return {
        "load_alone": {"design": time.perf_counter() - began},
        "load_memory": {"design": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024},
    }


def restart_worker(size: int, page: str, runs: int, limit: float, cache_dir: str, modules: Path | None) -> dict:
    """A fresh process as after a server restart, the cache on disk: a reader's session opening `page`
    directly (a link to /timeline), then new sessions opening the same page on the now warm process
    (`warm`: the same kind of run), and the last session's page drawn again (`rerun`).

    Done before timing, as a running server has done it before its first reader: importing every
    module that a server which has drawn the page holds (`modules`: a JSON list written by the
    "modules" worker, else listed by such a child now; their import time is reported as `imports`),
    and Streamlit's scan for components (done once at server start).
    """
    from streamlit.components.v2.component_manager import BidiComponentManager

    os.environ["DASHBOARD_DATA"] = str(dataset(size))
    os.environ["DASHBOARD_CACHE_DIR"] = cache_dir
    listed = json.loads(modules.read_text()) if modules else list_modules(size, page, limit, cache_dir)
    began = time.perf_counter()
    for name in listed["modules"]:
        with contextlib.suppress(Exception):  # a module that only imports as another's side effect
            importlib.import_module(name)
    imports = time.perf_counter() - began
    components = BidiComponentManager()
    components.discover_and_register_components(start_file_watching=False)

    def session_run(at) -> tuple[float, float]:
        wall, cpu = time.perf_counter(), time.process_time()
        at.run()
        assert not at.exception, at.exception
        return time.perf_counter() - wall, time.process_time() - cpu

    first, first_cpu = session_run(at := _page_session(page, limit, components))
    assert at.title, "the page drew no title"
    warm = [session_run(_page_session(page, limit, components)) for _ in range(runs)]
    rerun = [session_run(at)[0] for _ in range(runs)]
    return {
        "first": first,
        "first_cpu": first_cpu,
        "warm": statistics.median(w for w, _ in warm),
        "warm_cpu": statistics.median(c for _, c in warm),
        "rerun": statistics.median(rerun),
        "imports": imports,
    }


def list_modules(size: int, page: str, limit: float, cache_dir: str) -> dict:
    """The modules of a server that has drawn `page`, from a child process (which also fills the cache)."""
    listed = child(["--worker", "modules", "--size", str(size), "--page", page, "--limit", str(limit),
                    "--cache-dir", cache_dir], timeout=limit * 2 + 300)  # fmt: skip
    assert listed, "the child listing the modules failed"
    return listed


def modules_worker(page: str, limit: float) -> dict:
    """The modules a server holds once it has drawn `page`: the app's, and those imported lazily."""
    at = _page_session(page, limit)
    at.run()
    assert not at.exception, at.exception
    return {"modules": sorted(set(sys.modules) - {"__main__", "__mp_main__"})}


def _page_session(page: str, limit: float, components=None):
    """A new reader's session that opens on `page`, as a link to it does (switched before the first
    run: the page's URL path is its file name, so AppTest finds it without a previous run)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(REPO / "streamlit_app.py"), default_timeout=limit)
    if components is not None and hasattr(at, "_bidi_component_manager"):
        at._bidi_component_manager = components  # scanned once, as at server start
    if page != "overview":
        at.switch_page(str(REPO / "dashboard" / "app" / "pages" / f"{page}.py"))
    return at


# --- server-side pages under AppTest (a child process per size, page and path) ---------------------


def apptest_worker(size: int, page: str, runs: int, use_naive: bool, limit: float) -> dict:
    """Median seconds of an AppTest run of `page` after a filter change, the dataset loaded."""
    from streamlit.testing.v1 import AppTest

    os.environ["DASHBOARD_DATA"] = str(dataset(size))
    if use_naive:
        from scripts import naive

        naive.install()
    at = AppTest.from_file(str(REPO / "streamlit_app.py"), default_timeout=limit)
    times = []
    try:
        at.run()
        if page != "overview":
            at.switch_page(str(REPO / "dashboard" / "app" / "pages" / f"{page}.py")).run()
        assert not at.exception, at.exception
        for run in range(runs + 1):  # the first change warms the per-dataset caches
            start = dt.date(2016, 1, 1) + dt.timedelta(days=31 * run)
            at.text_input(key="filter_start_text").input(start.isoformat())
            began = time.perf_counter()
            at.run()
            if run:
                times.append(time.perf_counter() - began)
            assert not at.exception, at.exception
    except RuntimeError:  # AppTest gave up after `limit` seconds; its script thread runs on
        return {"seconds": None}
    return {"seconds": statistics.median(times)}


# --- browser -------------------------------------------------------------------------------------

DRAWN = {
    "overview": "() => [...document.querySelectorAll('[data-testid=\"stMetric\"]')].length > 0",
    "timeline": """() => {
        const chart = document.querySelector('.js-plotly-plot');
        if (!chart || !chart._fullLayout || !chart.querySelector('.main-svg')) return false;
        const gl = chart._fullData.some(t => t.type === 'scattergl');
        return !gl || chart.querySelector('.gl-container canvas') !== null;
    }""",
    "cases": "() => document.querySelector('[data-testid=\"stDataFrame\"] canvas') !== null",
    "sources": """() => {
        const frame = document.querySelector('[data-testid="stIFrame"]');
        return frame && frame.contentDocument && frame.contentDocument.querySelector('mark.quote') !== null;
    }""",
}
NETWORK_SETTLED = """() => {
    const frame = document.querySelector('[data-testid="stIFrame"]');
    const inner = frame && frame.contentWindow;
    return !!inner && inner.networkSettledAt !== undefined;
}"""
NETWORK_DRAWN = NETWORK_SETTLED.replace("networkSettledAt", "networkDrawnAt")
PAINTED = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => done(true))))"


def resident_mib(pid: int) -> float:
    """A process's resident memory, from /proc (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class PeakMemory:
    """Samples a process's resident memory every 0.2 s; `peak` in MiB."""

    def __init__(self, pid: int):
        self.pid, self.peak, self._stop = pid, 0.0, threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self):
        while not self._stop.is_set():
            with contextlib.suppress(OSError):
                self.peak = max(self.peak, resident_mib(self.pid))
            time.sleep(0.2)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def browser_times(size: int, runs: int, use_naive: bool, limit: float) -> dict:
    """Median seconds from opening each page to its chart drawn, and the server's peak memory."""
    from tests.apprunner import SERVED, browser, serve, wait_for_app

    script = "scripts/naive_app.py" if use_naive else "streamlit_app.py"
    out: dict = {}
    with serve(data=dataset(size), script=script, timeout=120) as url, browser() as chromium:
        with PeakMemory(SERVED[url]) as memory:
            warm = chromium.new_page()
            warm.goto(url)
            wait_for_app(warm, timeout=limit * 1000 + 60_000)  # the dataset is checked once, before timing
            warm.close()
            for page in PAGES:
                times, drawn = [], []
                for _ in range(runs):
                    context = chromium.new_context(viewport={"width": 1200, "height": 900})
                    tab = context.new_page()
                    began = time.perf_counter()
                    try:
                        tab.goto(f"{url}/{'' if page == 'overview' else page}")
                        if page == "network":
                            tab.wait_for_function(NETWORK_DRAWN, timeout=limit * 1000, polling=50)
                            drawn.append(time.perf_counter() - began)
                            left = max(1.0, limit - drawn[-1])
                            tab.wait_for_function(NETWORK_SETTLED, timeout=left * 1000, polling=50)
                        else:
                            tab.wait_for_function(DRAWN[page], timeout=limit * 1000, polling=50)
                        tab.evaluate(PAINTED)
                        times.append(time.perf_counter() - began)
                    except Exception:  # past the limit, or the server gave up
                        times.append(None)
                    finally:
                        context.close()
                    if times[-1] is None:
                        break  # one run past the limit is enough to say so
                out[page] = statistics.median(times) if None not in times else None
                if page == "network":
                    out["network_drawn"] = statistics.median(drawn) if drawn else None
        out["server_memory"] = memory.peak
    return out


# --- running and reporting -----------------------------------------------------------------------


def child(arguments: list[str], timeout: float) -> dict | None:
    """Run this script as a worker in a fresh process; its JSON result, or None past `timeout`."""
    command = [sys.executable, str(Path(__file__).resolve()), *arguments]
    # As the app's server runs (streamlit_app.py): one BLAS thread.
    env = {**os.environ, "OPENBLAS_NUM_THREADS": os.environ.get("OPENBLAS_NUM_THREADS", "1")}
    try:
        done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None
    if done.returncode != 0:
        print(done.stderr[-3000:], file=sys.stderr)
        return None
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(size: int, args) -> dict:
    """Every figure for one size: {step: {"design": seconds, "naive": seconds or None, ...}}."""
    print(f"· {size:,} statements: server-side steps", file=sys.stderr, flush=True)
    steps = child(
        ["--worker", "functions", "--size", str(size), "--runs", str(args.runs), "--limit", str(args.limit)]
        + ([] if args.naive else ["--no-naive"]),
        timeout=args.limit * 6 + 600,
    )
    result = steps or {}
    memory = child(["--worker", "load-memory", "--size", str(size)], timeout=args.limit * 10 + 600)
    result.update(memory or {})
    if not args.apptest:
        return result
    with tempfile.TemporaryDirectory() as cache_dir, tempfile.TemporaryDirectory() as lists:
        for page in PAGES if args.restarts else ():
            print(f"· {size:,} statements: restart, {page} ({args.restarts} restarts)", file=sys.stderr, flush=True)
            # Listing the modules fills the cache (and its derived artefacts) before any restart is timed.
            modules = Path(lists) / f"{page}.json"
            modules.write_text(json.dumps(list_modules(size, page, args.limit, cache_dir)))
            worker = ["--worker", "restart", "--size", str(size), "--page", page, "--runs", str(args.runs)]
            worker += ["--limit", str(args.limit), "--cache-dir", cache_dir, "--modules", str(modules)]
            found = [child(worker, timeout=args.limit * 4 + 300) for _ in range(args.restarts)]
            found = found if all(found) else []  # a failed restart voids the row

            def median_of(field: str, runs: list[dict] = found) -> float | None:
                return statistics.median(f[field] for f in runs) if runs else None

            result[f"restart_{page}"] = {"design": median_of("first"), "cpu": median_of("first_cpu")}
            result[f"warm_{page}"] = {"design": median_of("warm"), "cpu": median_of("warm_cpu")}
            imports = max(median_of("imports") or 0, (result.get("restart_imports") or {}).get("design") or 0)
            result["restart_imports"] = {"design": imports or None}
    for page in PAGES:
        print(f"· {size:,} statements: AppTest {page}", file=sys.stderr, flush=True)
        row = {}
        for path in ("design", "naive") if args.naive else ("design",):
            worker = ["--worker", "apptest", "--size", str(size), "--page", page, "--runs", str(args.runs)]
            worker += ["--limit", str(args.limit)] + (["--naive-path"] if path == "naive" else [])
            found = child(worker, timeout=args.limit * 2 + 300)
            row[path] = found["seconds"] if found else None
        row["naive_limit"] = args.limit
        result[f"apptest_{page}"] = row
    if args.browser:
        for path in ("design", "naive") if args.naive else ("design",):
            if path == "naive" and size > args.naive_browser_max:
                continue  # the naive server alone runs past the limit at this size (see the AppTest rows)
            print(f"· {size:,} statements: browser, {path} path", file=sys.stderr, flush=True)
            found = browser_times(size, args.browser_runs, path == "naive", args.limit)
            for page in (*PAGES, "network_drawn"):
                result.setdefault(f"browser_{page}", {})[path] = found[page]
                result[f"browser_{page}"]["naive_limit"] = args.limit
            result.setdefault("server_memory", {})[path] = found["server_memory"]
    return result


# --- the command line's check against a bare read, as whole processes ----------------------------


def run_timed(command: list[str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user and system, the process and its children) of a command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    subprocess.run(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def check_cli_table(sizes: list[int], runs: int) -> str:
    """`python -m dashboard check FILE` against `python -c "import pandas; pandas.read_csv(FILE)"`, each
    a whole process (interpreter start and imports included), run in turn (bare, check, bare,
    check...) after one untimed run of each, so that the machine's load weighs on both alike. The
    check is the uncached one: the command line checks every time, with no disk cache."""
    lines = [
        "| statements | bare read | `dashboard check` | check ÷ bare read | range of the pairs | CPU ÷ bare read |",
        "| ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for size in sizes:
        path = str(dataset(size))
        bare = [sys.executable, "-c", f"import pandas; pandas.read_csv({path!r}, low_memory=False)"]
        check = [sys.executable, "-m", "dashboard", "check", path]
        run_timed(bare), run_timed(check)
        pairs = []
        for _ in range(runs):
            pairs.append((run_timed(bare), run_timed(check)))
            print(f"· {size:,} statements: {pairs[-1][0][0]:.2f} s · {pairs[-1][1][0]:.2f} s", file=sys.stderr)
        ratios = sorted(c[0] / b[0] for b, c in pairs)
        bare_wall = statistics.median(b[0] for b, _ in pairs)
        check_wall = statistics.median(c[0] for _, c in pairs)
        cpu = statistics.median(c[1] / b[1] for b, c in pairs)
        ratio = f"**{statistics.median(ratios):.2f}×** | {ratios[0]:.2f}–{ratios[-1]:.2f}×"
        lines.append(f"| {size:,} | {cell(bare_wall, 's')} | {cell(check_wall, 's')} | {ratio} | {cpu:.2f}× |")
    return "\n".join(lines)


def cell(value, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "MiB":
        return f"{value:,.0f} MiB"
    return f"{value * 1000:,.0f} ms" if value < 1 else f"{value:,.2f} s"


def size_text(megabytes: float) -> str:
    return f"{megabytes:.1f} MB" if megabytes >= 0.1 else f"{megabytes * 1000:.0f} kB"


def table(results: dict, naive_shown: bool) -> str:
    """The results as a Markdown table per size."""
    lines = []
    for size, result in results.items():
        lines += [f"### {int(size):,} statements", ""]
        lines += [
            "| step | design | ÷ reference | naive path | naive ÷ design |",
            "| --- | ---: | ---: | ---: | ---: |",
        ]
        for step, label in STEPS:
            row = result.get(step)
            if row is None:
                continue
            unit = "MiB" if "memory" in step else "s"
            design = cell(row.get("design"), unit)
            if row.get("design_mb"):
                design += f" ({size_text(row['design_mb'])})"
            naive_value, ratio = row.get("naive"), ""
            if "naive" in row and naive_value is None and row.get("naive_limit") and unit == "s":
                naive_text = f"> {row['naive_limit']:.0f} s"
                ratio = f"> {row['naive_limit'] / row['design']:.0f}×" if row.get("design") else ""
            elif "naive" in row:
                naive_text = cell(naive_value, unit)
                if naive_value is not None and row.get("design"):
                    ratio = f"{naive_value / row['design']:.1f}×"
            elif step.startswith(("browser", "server")):
                naive_text = "not run" if naive_shown else ""  # past --naive-browser-max
            else:
                naive_text = "same" if naive_shown and unit == "s" else ""
            lines.append(f"| {label} | {design} | {_reference_ratio(result, step)} | {naive_text} | {ratio} |")
        lines.append("")
    return "\n".join(lines)


def _reference_ratio(result: dict, step: str) -> str:
    """The figure that matters: a step ÷ the bare pandas read of the same file, and a first page
    after a restart ÷ the same page warm."""
    value = (result.get(step) or {}).get("design")
    if step.startswith("restart_") and step != "restart_imports":
        warm = result.get(step.replace("restart_", "warm_")) or {}
        reference, suffix = warm.get("design"), " of warm"
        cpu, warm_cpu = (result.get(step) or {}).get("cpu"), warm.get("cpu")
        if cpu and warm_cpu:
            suffix += f" (CPU {cpu / warm_cpu:.2f}×)"
    elif step == "load_cpu":
        reference, suffix = (result.get("bare_read_cpu") or {}).get("design"), " (CPU)"
    elif step in ("load", "cached_load", "load_alone", "model"):
        reference, suffix = (result.get("bare_read") or {}).get("design"), ""
    else:
        return ""
    return f"{value / reference:.2f}×{suffix}" if value and reference else ""


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        model = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
        cpu = model
    except (OSError, StopIteration):
        pass
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{os.cpu_count()} cores ({cpu}), {memory:.0f} GiB RAM, "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}; load average before: {load}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--runs", type=int, default=5, help="runs per server-side median")
    parser.add_argument("--browser-runs", type=int, default=3, help="runs per browser median")
    parser.add_argument("--limit", type=float, default=60.0, help="seconds before a naive step is cut off")
    parser.add_argument("--naive-browser-max", type=int, default=10000, help="largest size to open the naive app at")
    parser.add_argument("--no-browser", dest="browser", action="store_false")
    parser.add_argument("--no-naive", dest="naive", action="store_false")
    parser.add_argument("--quick", action="store_true", help="sizes 1,000 and 10,000, 3 runs, 1 browser run")
    parser.add_argument("--out", type=Path, default=REPO / "build" / "benchmark")
    parser.add_argument("--table", type=Path, help="print the table of a results.json again, and stop")
    parser.add_argument("--no-apptest", dest="apptest", action="store_false", help="skip the AppTest pages")
    parser.add_argument("--check-cli", action="store_true",
                        help="only `python -m dashboard check` against a bare pandas.read_csv, whole processes "
                             "in turn (--runs pairs per size), and stop")  # fmt: skip
    workers = ("functions", "apptest", "load-memory", "restart", "modules")
    parser.add_argument("--worker", choices=workers, help=argparse.SUPPRESS)
    parser.add_argument(
        "--restarts", type=int, default=3, help="restarted processes per page (medians); 0 skips the restart rows"
    )
    parser.add_argument("--cache-dir", help=argparse.SUPPRESS)
    parser.add_argument("--modules", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--page", choices=PAGES, help=argparse.SUPPRESS)
    parser.add_argument("--naive-path", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker == "functions":
        print(json.dumps(functions_worker(args.size, args.runs, min(args.runs, 3), args.limit, args.naive)))
        return 0
    if args.worker == "load-memory":
        print(json.dumps(load_memory_worker(args.size)))
        return 0
    if args.worker == "restart":
        found = restart_worker(args.size, args.page, args.runs, args.limit, args.cache_dir, args.modules)
        print(json.dumps(found), flush=True)
        os._exit(0)
    if args.worker == "modules":
        os.environ["DASHBOARD_DATA"], os.environ["DASHBOARD_CACHE_DIR"] = str(dataset(args.size)), args.cache_dir
        print(json.dumps(modules_worker(args.page, args.limit)), flush=True)
        os._exit(0)
    if args.worker == "apptest":
        # A cache folder of its own: one kept from an earlier run would hold the layouts of these very
        # filter changes, and the network page would be timed reading them instead of laying them out.
        with tempfile.TemporaryDirectory(prefix="dashboard-bench-cache-", ignore_cleanup_errors=True) as cache:
            os.environ["DASHBOARD_CACHE_DIR"] = cache
            found = apptest_worker(args.size, args.page, args.runs, args.naive_path, args.limit)
        print(json.dumps(found), flush=True)
        os._exit(0)  # a script thread AppTest gave up on would keep this process alive

    if args.table:
        saved = json.loads(args.table.read_text())
        print(f"Machine: {saved['machine']}.\n\n" + table(saved["results"], True))
        return 0
    if args.check_cli:
        about = machine()
        found = check_cli_table([int(s) for s in args.sizes.split(",")], args.runs)
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
        print(f"Machine: {about}; after: {load}.\nMedians of {args.runs} pairs, each a whole process.\n\n{found}")
        return 0
    if args.quick:
        args.sizes, args.runs, args.browser_runs = "1000,10000", 3, 1
    sizes = [int(s) for s in args.sizes.split(",")]
    about = machine()
    began = time.perf_counter()
    for size in sizes:
        dataset(size)
    results = {size: measure(size, args) for size in sizes}
    report = (
        f"Machine: {about}.\n"
        f"Medians of {args.runs} runs (browser: {args.browser_runs}); naive steps cut off at {args.limit:.0f} s. "
        f"Benchmark took {time.perf_counter() - began:,.0f} s.\n\n" + table(results, args.naive)
    )
    print(report)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.md").write_text(report, encoding="utf-8")
    (args.out / "results.json").write_text(json.dumps({"machine": about, "results": results}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
