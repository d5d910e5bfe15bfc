"""How many readers one Streamlit server carries, against the static story page:
`make benchmark-concurrency` (or `python scripts/concurrency.py`).

For each number of simultaneous sessions (10, 25, 50 by default), one headless Debian Chromium opens
that many browser contexts at once against one `streamlit run` on 127.0.0.1 (never another address);
each session opens the timeline, waits until Plotly has drawn it, then moves to the network page in
the same session (the sidebar link) and waits until vis-network has drawn it. Reported: the median
and the slowest time to draw of each page, the server's memory (resident set before and at its
peak), and the sessions that failed (a timeout, a page error, a Streamlit exception, a console error).

Then the same number of readers open the story page (`python -m dashboard export story`) from a
static file server on 127.0.0.1 (Python's http.server, standing in for any static host or CDN), and
the page's size and time to draw are reported beside.

The browser and the server share this machine's cores, so the times include the browser's own work
of drawing N pages at once: they bound what N readers would see, from above. Every wait is bounded
(--timeout seconds a page); every process started here is stopped by its own id.

    python scripts/concurrency.py [--sessions 10,25,50] [--timeout 600] [--out build/benchmark]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import functools
import http.server
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.apprunner import CHROMIUM, CHROMIUM_ARGS, _wait_healthy, free_port  # noqa: E402

HOST = "127.0.0.1"
TIMELINE_DRAWN = '[data-testid="stPlotlyChart"] .main-svg'
NETWORK_LINK = '[data-testid="stSidebarNav"] a[href$="/network"]'
# Streamlit's front end, opened at /timeline, first asks /timeline/_stcore/... for the server's base
# path and gets a 404 before it tries the root: its normal start, not a failure.
PROBES = ("/_stcore/host-config", "/_stcore/health")


def watch(page) -> list[str]:
    """Page errors, console errors and failed responses, except Streamlit's base-path probes."""
    problems: list[str] = []
    page.on(
        "console", lambda m: problems.append(m.text) if m.type == "error" and "Failed to load" not in m.text else None
    )
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400
            and not r.url.endswith(PROBES) else None)  # fmt: skip
    return problems


@contextlib.contextmanager
def streamlit_server(timeout: float = 90):
    """`streamlit run streamlit_app.py` bound to 127.0.0.1 only; yields (url, pid)."""
    port = free_port()
    log = Path(tempfile.mkstemp(prefix="streamlit-concurrency-", suffix=".log")[1])
    command = [
        sys.executable, "-m", "streamlit", "run", "streamlit_app.py", "--server.address", HOST,
        "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    with log.open("w") as output:
        process = subprocess.Popen(command, cwd=REPO, stdout=output, stderr=subprocess.STDOUT)
    url = f"http://{HOST}:{port}"
    try:
        _wait_healthy(url, process, timeout, log)
        yield url, process.pid
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


@contextlib.contextmanager
def static_server(folder: Path):
    """Python's static file server on 127.0.0.1, in a thread of this process."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer((HOST, 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{HOST}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


class MemoryWatch:
    """Samples a process's resident memory (with its children) every 0.2 s in a thread, and counts
    the CPU time it spends meanwhile: the server's own cost, whatever else loads the machine."""

    def __init__(self, pid: int) -> None:
        self.process = psutil.Process(pid)
        self.before = self.rss()
        self.peak = self.before
        self.cpu_before = self.cpu()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def rss(self) -> int:
        try:
            return self.process.memory_info().rss + sum(c.memory_info().rss for c in self.process.children(True))
        except psutil.Error:
            return 0

    def cpu(self) -> float:
        try:
            times = self.process.cpu_times()
            return times.user + times.system + times.children_user + times.children_system
        except psutil.Error:
            return 0.0

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            self.peak = max(self.peak, self.rss())

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.after = self.rss()
        self.cpu_seconds = self.cpu() - self.cpu_before


def failure(err: Exception) -> str:
    return f"{type(err).__name__}: {str(err).splitlines()[0][:160]}"


async def close(context, result: dict, problems: list[str]) -> None:
    """A session's first problem becomes its error when nothing else failed; its context closes."""
    if problems and not result["error"]:
        result["error"] = f"console: {problems[0][:160]}"
    await context.close()


async def app_session(browser, url: str, timeout_ms: float) -> dict:
    """One reader: open the timeline, wait for it drawn; go to the network, wait for it drawn."""
    context = await browser.new_context(viewport={"width": 1200, "height": 900})
    page = await context.new_page()
    problems = watch(page)
    result: dict = {"timeline": None, "network": None, "error": None}
    try:
        start = time.perf_counter()
        await page.goto(url + "/timeline", timeout=timeout_ms)
        await page.wait_for_selector(TIMELINE_DRAWN, timeout=timeout_ms)
        result["timeline"] = time.perf_counter() - start
        start = time.perf_counter()
        await page.click(NETWORK_LINK, timeout=timeout_ms)
        frame = page.frame_locator('[data-testid="stIFrame"]')
        await frame.locator("canvas").first.wait_for(timeout=timeout_ms)
        handle = await page.wait_for_selector('[data-testid="stIFrame"]', timeout=timeout_ms)
        inner = await handle.content_frame()
        await inner.wait_for_function("() => window.networkDrawnAt !== undefined", timeout=timeout_ms)
        result["network"] = time.perf_counter() - start
        if await page.locator('[data-testid="stException"]').count():
            result["error"] = "Streamlit exception on the page"
    except Exception as err:  # a timeout or a closed page: counted, never hidden
        result["error"] = failure(err)
    finally:
        await close(context, result, problems)
    return result


async def story_session(browser, url: str, timeout_ms: float) -> dict:
    """One reader of the static story page: open it, wait until the timeline and the network are drawn."""
    context = await browser.new_context(viewport={"width": 1200, "height": 900})
    page = await context.new_page()
    problems = watch(page)
    result: dict = {"story": None, "error": None}
    try:
        start = time.perf_counter()
        await page.goto(url + "/story.html", timeout=timeout_ms)
        await page.wait_for_function("() => window.timelineDrawnAt && window.networkDrawnAt", timeout=timeout_ms)
        result["story"] = time.perf_counter() - start
    except Exception as err:  # a timeout or a closed page: counted, never hidden
        result["error"] = failure(err)
    finally:
        await close(context, result, problems)
    return result


async def run_many(session, count: int, url: str, timeout: float) -> tuple[list[dict], float]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            start = time.perf_counter()
            results = await asyncio.gather(*(session(browser, url, timeout * 1000) for _ in range(count)))
            return list(results), time.perf_counter() - start
        finally:
            await browser.close()


def summary(values: list[float | None]) -> dict:
    done = sorted(v for v in values if v is not None)
    if not done:
        return {"median": None, "max": None}
    return {"median": statistics.median(done), "max": done[-1]}


def seconds(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f} s"


def mib(value: int) -> str:
    return f"{value / 2**20:,.0f} MiB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", default="10,25,50", help="simultaneous sessions, comma-separated")
    parser.add_argument("--timeout", type=float, default=600, help="seconds a page may take before it counts as failed")
    parser.add_argument("--out", type=Path, default=REPO / "build" / "benchmark")
    args = parser.parse_args(argv)
    counts = [int(c) for c in args.sessions.split(",") if c.strip()]
    load_at_start = os.getloadavg()[0]
    if max(counts) > 100:
        parser.error("at most 100 sessions: one machine draws every page")
    args.out.mkdir(parents=True, exist_ok=True)
    rows = []

    # The story page: made once, served statically.
    folder = Path(tempfile.mkdtemp(prefix="story-page-"))
    story = folder / "story.html"
    subprocess.run([sys.executable, "-m", "dashboard", "export", "story", "--format", "html", "--out", str(story)],
                   cwd=REPO, check=True, capture_output=True)  # fmt: skip
    story_bytes = story.stat().st_size
    from scripts import storypage  # its size and first paint on a phone profile: build/benchmark/storypage.md

    print(storypage.report(story, args.out), flush=True)

    with streamlit_server() as (url, pid):
        # One session first, so the dataset is loaded and cached as it is for every later reader.
        asyncio.run(run_many(app_session, 1, url, args.timeout))
        for count in counts:
            with MemoryWatch(pid) as memory:
                results, wall = asyncio.run(run_many(app_session, count, url, args.timeout))
            failed = [r["error"] for r in results if r["error"]]
            row = {
                "sessions": count,
                "timeline": summary([r["timeline"] for r in results]),
                "network": summary([r["network"] for r in results]),
                "wall": wall,
                "memory_before": memory.before,
                "memory_peak": memory.peak,
                "memory_after": memory.after,
                "server_cpu": memory.cpu_seconds,
                "failed": len(failed),
                "failures": failed[:5],
            }
            print(json.dumps(row, default=str), flush=True)
            rows.append(row)

    with static_server(folder) as static_url:
        for row in rows:
            results, wall = asyncio.run(run_many(story_session, row["sessions"], static_url, args.timeout))
            row["story"] = summary([r["story"] for r in results])
            row["story_failed"] = sum(bool(r["error"]) for r in results)
            row["story_failures"] = [r["error"] for r in results if r["error"]][:5]
            print(json.dumps({"sessions": row["sessions"], "story": row["story"]}), flush=True)

    table = [
        "| simultaneous readers | timeline drawn (median · slowest) | network drawn (median · slowest) | server memory "
        "(before → peak) | server CPU per reader | failed sessions | story page drawn (median · slowest) "
        "| story page failed |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        table.append(
            f"| {row['sessions']} | {seconds(row['timeline']['median'])} · {seconds(row['timeline']['max'])} "
            f"| {seconds(row['network']['median'])} · {seconds(row['network']['max'])} "
            f"| {mib(row['memory_before'])} → {mib(row['memory_peak'])} "
            f"| {row['server_cpu'] / row['sessions']:.2f} s | {row['failed']} of {row['sessions']} "
            f"| {seconds(row['story']['median'])} · {seconds(row['story']['max'])} "
            f"| {row['story_failed']} of {row['sessions']} |"
        )
    machine = (f"{os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB RAM, Python "
               f"{platform.python_version()}, load average {load_at_start:.1f} at the start and "
               f"{os.getloadavg()[0]:.1f} at the end")  # fmt: skip
    text = "\n".join(
        [
            f"Concurrency benchmark, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, {machine}.",
            f"Story page: {story_bytes / 2**20:.1f} MiB, one file.",
            "",
            *table,
        ]  # fmt: skip
    )
    print(text)
    (args.out / "concurrency.md").write_text(text + "\n", encoding="utf-8")
    (args.out / "concurrency.json").write_text(
        json.dumps({"story_bytes": story_bytes, "machine": machine, "rows": rows}, indent=1, default=str) + "\n",
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
