"""Start the dashboard and a headless Debian Chromium, for browser tests, screenshots and benchmarks."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("BROWSER_PATH", "/usr/bin/chromium")
# Flags that keep Chromium from reaching for the network, which is closed here.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


SERVED: dict[str, int] = {}  # base URL -> process id of a server started by serve()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(
    data: Path | None = None,
    port: int | None = None,
    timeout: float = 60,
    script: str = "streamlit_app.py",
    script_args: tuple[str, ...] = (),
    base_url_path: str = "",
) -> Iterator[str]:
    """Run `streamlit run streamlit_app.py [-- script_args]` (or another entry script) in the
    background; yields its base URL (below `base_url_path`, if given). The server's process id is
    in `SERVED[url]` while it runs."""
    port = port or free_port()
    env = dict(os.environ)
    if data is not None:
        env["DASHBOARD_DATA"] = str(data)
    log = Path(tempfile.mkstemp(prefix="streamlit-", suffix=".log")[1])
    command = [
        sys.executable, "-m", "streamlit", "run", script,
        "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false",
        *(("--server.baseUrlPath", base_url_path) if base_url_path else ()),
        *(("--", *script_args) if script_args else ()),
    ]  # fmt: skip
    with log.open("w") as output:
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=output, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}" + (f"/{base_url_path.strip('/')}" if base_url_path.strip("/") else "")
    SERVED[url] = process.pid
    try:
        _wait_healthy(url, process, timeout, log)
        yield url
    finally:
        SERVED.pop(url, None)
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


def _wait_healthy(url: str, process: subprocess.Popen, timeout: float, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited early:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"streamlit did not become healthy in {timeout}s:\n{log.read_text()}")


@contextlib.contextmanager
def browser() -> Iterator:
    """A Playwright Chromium from Debian's package (Playwright cannot download browsers here)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def wait_for_app(page, timeout: float = 60_000) -> None:
    """Wait until Streamlit has finished running the script for the current page."""
    page.wait_for_selector(
        '[data-testid="stApp"][data-test-script-state="notRunning"] [data-testid="stMainBlockContainer"]',
        timeout=timeout,
    )


def full_page_screenshot(page, path: Path) -> Path:
    """Streamlit scrolls inside its own container: grow the viewport to the content, then shoot."""
    height = page.evaluate(
        """() => {
            const main = document.querySelector('[data-testid="stMain"]') || document.body;
            return Math.max(main.scrollHeight, document.body.scrollHeight);
        }"""
    )
    width = page.viewport_size["width"]
    page.set_viewport_size({"width": width, "height": min(int(height) + 40, 12000)})
    # The page lays itself out again for the new height: wait for two frames to be painted.
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path))
    return path
