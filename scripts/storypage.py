"""What each reader of the story page downloads and waits for: the page's size as written and
gzipped, and its first paint on a mid-range phone profile (390×844, Chromium's CPU slowed four
times through the DevTools protocol), opened from file:// with no network, median of five runs,
each in a fresh browser context. `make benchmark-concurrency` runs it on the page it serves; alone:

    python scripts/storypage.py [--story story.html] [--runs 5] [--out build/benchmark]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.apprunner import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

PHONE = {"width": 390, "height": 844}
CPU_SLOWDOWN = 4  # Chromium's own "mid-tier mobile" throttling
LIMITS = {"bytes": 1_500_000, "gzipped": 500_000, "first_paint_ms": 1500}


def sizes(path: Path) -> dict:
    """The page's bytes as written and gzipped (level 6, as a web server sends it)."""
    data = path.read_bytes()
    return {"bytes": len(data), "gzipped": len(gzip.compress(data, compresslevel=6))}


def paint_times(path: Path, runs: int = 5) -> list[dict]:
    """First contentful paint and the moment both charts are in place (the page's own marks), in ms
    from navigation, one fresh context per run, CPU slowed CPU_SLOWDOWN times."""
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for _ in range(runs):
                context = browser.new_context(viewport=PHONE, offline=True, is_mobile=True, has_touch=True)
                page = context.new_page()
                errors: list[str] = []
                page.on("console", lambda m, errors=errors: errors.append(m.text) if m.type == "error" else None)
                page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
                cdp = context.new_cdp_session(page)
                cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
                page.goto(path.as_uri(), wait_until="load")
                page.wait_for_function("window.timelineDrawnAt && window.networkDrawnAt", timeout=60_000)
                page.wait_for_function(
                    "performance.getEntriesByName('first-contentful-paint').length > 0", timeout=60_000
                )
                measured = page.evaluate(
                    """() => ({first_paint_ms: performance.getEntriesByName('first-contentful-paint')[0].startTime,
                              charts_ms: Math.max(window.timelineDrawnAt, window.networkDrawnAt)})"""
                )
                times.append({**measured, "errors": errors})
                context.close()
        finally:
            browser.close()
    return times


def measure(path: Path, runs: int = 5) -> dict:
    """Sizes, the median first paint and charts-in-place times, and whether each limit holds."""
    found = sizes(path)
    runs_seen = paint_times(path, runs)
    found["first_paint_ms"] = statistics.median(r["first_paint_ms"] for r in runs_seen)
    found["charts_ms"] = statistics.median(r["charts_ms"] for r in runs_seen)
    found["runs"] = runs_seen
    found["load_average"] = os.getloadavg()[0]
    found["within_limits"] = all(found[key] <= limit for key, limit in LIMITS.items())
    return found


def sentence(found: dict) -> str:
    return (
        f"Story page: {found['bytes'] / 1e6:.2f} MB as written, {found['gzipped'] / 1e3:.0f} kB gzipped; "
        f"first paint {found['first_paint_ms']:.0f} ms and both charts in place at {found['charts_ms']:.0f} ms "
        f"on a 390×844 phone profile with the CPU slowed {CPU_SLOWDOWN}× (median of {len(found['runs'])} fresh "
        f"contexts, load average {found['load_average']:.1f}); limits 1.5 MB, 500 kB, 1.5 s: "
        + ("met." if found["within_limits"] else "NOT met.")
    )


def report(path: Path, out: Path, runs: int = 5) -> str:
    """Measure the page at `path`, write storypage.md and storypage.json under `out`, return the sentence."""
    found = measure(path, runs)
    out.mkdir(parents=True, exist_ok=True)
    (out / "storypage.json").write_text(json.dumps(found, indent=1) + "\n", encoding="utf-8")
    text = sentence(found)
    (out / "storypage.md").write_text(text + "\n", encoding="utf-8")
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--story", type=Path, help="a story page already exported (default: export the bundled one)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path, default=REPO / "build" / "benchmark")
    args = parser.parse_args(argv)
    story = args.story
    if story is None:
        story = Path(tempfile.mkdtemp(prefix="story-page-")) / "story.html"
        subprocess.run([sys.executable, "-m", "dashboard", "export", "story", "--format", "html", "--out", str(story)],
                       cwd=REPO, check=True, capture_output=True)  # fmt: skip
    print(report(story, args.out, args.runs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
