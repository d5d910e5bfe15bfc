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
import math
import os
import platform
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.apprunner import CHROMIUM, CHROMIUM_ARGS, _wait_healthy, free_port  # noqa: E402

HOST = "127.0.0.1"
TIMELINE_DRAWN = ".js-plotly-plot .main-svg"
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


SESSION_TTL = 10  # seconds a closed reader's session is kept for a reconnect (Streamlit's default: 120)


@contextlib.contextmanager
def streamlit_server(timeout: float = 90, profile: Path | None = None):
    """`streamlit run streamlit_app.py` bound to 127.0.0.1 only; yields (url, pid). With `profile`, the
    server runs under scripts/profiled_server.py and writes its profile there when it stops."""
    port = free_port()
    log = Path(tempfile.mkstemp(prefix="streamlit-concurrency-", suffix=".log")[1])
    runner = ["scripts/profiled_server.py", str(profile)] if profile else ["-m", "streamlit", "run"]
    command = [
        sys.executable, *runner, "streamlit_app.py", "--server.address", HOST, "--server.port", str(port),
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
        "--server.disconnectedSessionTTL", str(SESSION_TTL),
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
            process.wait(30 if profile else 10)
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


async def read_app(page, url: str, timeout_ms: float) -> dict:
    """One reader in an open page: open the timeline, wait for it drawn; go to the network, wait for it
    drawn. Times are from opening (or clicking) to drawn."""
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
    return result


class StaticFront:
    """Stands in for a caching proxy or CDN in front of the server (docs/deployment.md): Streamlit's
    front-end files under /static/ (content-hashed, sent as "public, immutable") are fetched from
    the server once, then served from here to every reader. Everything else (the page, the websocket,
    the script runs) still reaches the server."""

    def __init__(self) -> None:
        self.kept: dict[str, tuple[int, dict, bytes]] = {}

    async def attach(self, context, url: str) -> None:
        await context.route(re.compile(re.escape(url) + r"/static/"), self._serve)

    async def _serve(self, route) -> None:
        address = route.request.url
        if address not in self.kept:
            response = await route.fetch()
            self.kept[address] = (response.status, response.headers, await response.body())
        status, headers, body = self.kept[address]
        await route.fulfill(status=status, headers=headers, body=body)


async def new_context(browser, url: str, front: StaticFront | None):
    context = await browser.new_context(viewport={"width": 1200, "height": 900})
    if front is not None:
        await front.attach(context, url)
    return context


async def app_session(browser, url: str, timeout_ms: float, front: StaticFront | None = None) -> dict:
    """One reader in a fresh browser context of its own, closed when done."""
    context = await new_context(browser, url, front)
    page = await context.new_page()
    problems = watch(page)
    result: dict = {"timeline": None, "network": None, "error": None}
    try:
        result = await read_app(page, url, timeout_ms)
    finally:
        await close(context, result, problems)
    return result


def active_sessions(url: str) -> int:
    """The sessions the server holds, from Streamlit's own metrics endpoint."""
    with urllib.request.urlopen(f"{url}/_stcore/metrics", timeout=10) as response:
        found = re.search(r"^active_sessions (\d+)", response.read().decode(), re.MULTILINE)
    return int(found.group(1)) if found else -1


async def sessions_gone(url: str, deadline: float) -> int:
    """Wait (up to `deadline` seconds) until the server has ended the closed readers' sessions (they
    are kept SESSION_TTL seconds for a reconnect); the sessions it still holds."""
    end = time.monotonic() + deadline
    while (held := active_sessions(url)) > 0 and time.monotonic() < end:
        await asyncio.sleep(1)
    return held


async def reader_cost(url: str, pid: int, readers: int, timeout: float, front: StaticFront | None = None) -> dict:
    """What each reader costs the server: `readers` fresh readers one after another (each in a new
    browser context; one reader has already warmed the server), the server's CPU time over them all
    divided by their number; its memory before, with their sessions open and idle, and once their
    sessions have ended (closed, then SESSION_TTL for a reconnect, then a few seconds). With `front`,
    the front-end files come from a cache in front of the server, as behind a caching proxy or CDN."""
    from playwright.async_api import async_playwright

    watch_server = MemoryWatch(pid)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        contexts, results = [], []
        try:
            with watch_server:
                for _ in range(readers):
                    context = await new_context(browser, url, front)
                    contexts.append(context)
                    page = await context.new_page()
                    problems = watch(page)
                    result = await read_app(page, url, timeout * 1000)
                    if problems and not result["error"]:
                        result["error"] = f"console: {problems[0][:160]}"
                    results.append(result)
            idle, sessions_idle = watch_server.rss(), active_sessions(url)
            for context in contexts:
                await context.close()
        finally:
            await browser.close()
    sessions_ended = await sessions_gone(url, deadline=SESSION_TTL + 60)
    return {
        "readers": readers,
        "server_cpu_per_reader": watch_server.cpu_seconds / readers,
        "memory_before": watch_server.before,
        "memory_idle": idle,
        "memory_ended": watch_server.rss(),
        "sessions_idle": sessions_idle,
        "sessions_ended": sessions_ended,
        "timeline": [r["timeline"] for r in results],
        "network": [r["network"] for r in results],
        "failed": sum(bool(r["error"]) for r in results),
        "failures": [r["error"] for r in results if r["error"]][:5],
    }


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


async def run_many(session, count: int, url: str, timeout: float, **options) -> tuple[list[dict], float]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            start = time.perf_counter()
            results = await asyncio.gather(*(session(browser, url, timeout * 1000, **options) for _ in range(count)))
            return list(results), time.perf_counter() - start
        finally:
            await browser.close()


def summary(values: list[float | None]) -> dict:
    """The median and the 95th percentile (nearest rank) of the readers who got there."""
    done = sorted(v for v in values if v is not None)
    if not done:
        return {"p50": None, "p95": None}
    return {"p50": statistics.median(done), "p95": done[max(0, math.ceil(0.95 * len(done)) - 1)]}


def seconds(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f} s"


def mib(value: int) -> str:
    return f"{value / 2**20:,.0f} MiB"


def story_step(rows: list[dict], args) -> None:
    """The static story page, opened by as many readers as each row of the app: its size and times
    are added to the rows."""
    folder = Path(tempfile.mkdtemp(prefix="story-page-"))
    story = folder / "story.html"
    subprocess.run([sys.executable, "-m", "dashboard", "export", "story", "--format", "html", "--out", str(story)],
                   cwd=REPO, check=True, capture_output=True)  # fmt: skip
    with static_server(folder) as static_url:
        for row in rows:
            results, _ = asyncio.run(run_many(story_session, row["sessions"], static_url, args.timeout))
            row["story"] = summary([r["story"] for r in results])
            row["story_failed"] = sum(bool(r["error"]) for r in results)
            row["story_failures"] = [r["error"] for r in results if r["error"]][:5]
            row["story_bytes"] = story.stat().st_size
            print(json.dumps({"sessions": row["sessions"], "story": row["story"]}), flush=True)
    from scripts import storypage  # its size and first paint on a phone profile: build/benchmark/storypage.md

    print(storypage.report(story, args.out), flush=True)


STORY_COLUMNS = " story page drawn (p50 · p95) | story page failed |"


def table(cost: dict | None, rows: list[dict]) -> list[str]:
    lines = []
    if cost:
        alone, front = cost["alone"], cost["front"]
        lines += [
            f"Server CPU per reader (timeline, then network; {alone['readers']} fresh readers one after another, "
            f"after one warm-up): **{front['server_cpu_per_reader']:.2f} s** with the front-end files from a "
            f"cache in front of the server, **{alone['server_cpu_per_reader']:.2f} s** with every file from the "
            f"server. Server memory {mib(front['memory_before'])} before the readers, {mib(front['memory_idle'])} "
            f"with their {front['readers']} sessions open and idle ({front['sessions_idle']} sessions held), "
            f"{mib(front['memory_ended'])} once the sessions ended ({front['sessions_ended']} held). "
            f"Failed readers: {alone['failed'] + front['failed']} of {2 * alone['readers']}.",
            "",
        ]
    if rows:
        story = "story_bytes" in rows[0]
        if rows[0].get("front"):
            lines += ["Readers at once get the front-end files from the cache in front of the server.", ""]
        else:
            lines += ["Readers at once get every file from the server.", ""]
        lines += [
            "| simultaneous readers | timeline drawn (p50 · p95) | network drawn (p50 · p95) | server CPU per reader "
            "| server memory (before → peak) | failed sessions |" + STORY_COLUMNS * story,
            "| ---: | ---: | ---: | ---: | ---: | ---: |" + " ---: | ---: |" * story,
        ]
        for row in rows:
            line = (
                f"| {row['sessions']} | {seconds(row['timeline']['p50'])} · {seconds(row['timeline']['p95'])} "
                f"| {seconds(row['network']['p50'])} · {seconds(row['network']['p95'])} "
                f"| {row['server_cpu'] / row['sessions']:.2f} s "
                f"| {mib(row['memory_before'])} → {mib(row['memory_peak'])} | {row['failed']} of {row['sessions']} |"
            )
            if story:
                line += (f" {seconds(row['story']['p50'])} · {seconds(row['story']['p95'])} "
                         f"| {row['story_failed']} of {row['sessions']} |")  # fmt: skip
            lines.append(line)
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", default="1,10,25,50", help="simultaneous sessions, comma-separated ('' for none)")
    parser.add_argument("--readers", type=int, default=6, help="readers in turn, for the CPU per reader")
    parser.add_argument("--timeout", type=float, default=600, help="seconds a page may take before it counts as failed")
    # Off by default: Playwright's request routing, which stands in for the cache, slows every browser.
    parser.add_argument("--front", action="store_true",
                        help="readers at once get the front-end files from a cache in front of the server")  # fmt: skip
    parser.add_argument("--no-story", dest="story", action="store_false", help="skip the static story page")
    parser.add_argument("--profile", type=Path, help="run the server under scripts/profiled_server.py, profile here")
    parser.add_argument("--out", type=Path, default=REPO / "build" / "benchmark")
    args = parser.parse_args(argv)
    counts = [int(c) for c in args.sessions.split(",") if c.strip()]
    load_at_start = os.getloadavg()
    if counts and max(counts) > 100:
        parser.error("at most 100 sessions: one machine draws every page")
    args.out.mkdir(parents=True, exist_ok=True)
    rows, cost = [], None
    began = time.perf_counter()

    with streamlit_server(profile=args.profile) as (url, pid):
        # One reader first, so the dataset is loaded and cached as it is for every later reader.
        # The front (a caching proxy's stand-in) keeps the front-end files it passed on then.
        front = StaticFront()
        asyncio.run(run_many(app_session, 1, url, args.timeout, front=front))
        if args.profile:
            os.kill(pid, signal.SIGUSR1)  # the profile counts what the readers after the warm-up cost
        if args.readers:
            cost = {
                "alone": asyncio.run(reader_cost(url, pid, args.readers, args.timeout)),
                "front": asyncio.run(reader_cost(url, pid, args.readers, args.timeout, front)),
            }
            print(json.dumps(cost, default=str), flush=True)
        for count in counts:
            with MemoryWatch(pid) as memory:
                options = {"front": front} if args.front else {}
                results, wall = asyncio.run(run_many(app_session, count, url, args.timeout, **options))
            failed = [r["error"] for r in results if r["error"]]
            row = {
                "sessions": count,
                "front": args.front,
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

    if args.story and rows:
        story_step(rows, args)

    machine = (f"{os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB RAM, Python "
               f"{platform.python_version()}; load average (1, 5, 15 min) "
               f"{', '.join(f'{v:.1f}' for v in load_at_start)} at the start, "
               f"{', '.join(f'{v:.1f}' for v in os.getloadavg())} at the end; "
               f"the run took {time.perf_counter() - began:,.0f} s")  # fmt: skip
    text = "\n".join(
        [f"Concurrency benchmark, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, {machine}.", "", *table(cost, rows)]
    )
    print(text)
    (args.out / "concurrency.md").write_text(text + "\n", encoding="utf-8")
    (args.out / "concurrency.json").write_text(
        json.dumps({"machine": machine, "reader_cost": cost, "rows": rows}, indent=1, default=str) + "\n",
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
