"""Screenshots of every page of the running app, for the README: `make screenshot`.

Starts the dashboard on the bundled dataset, opens each page in headless Chromium at 1200 px wide
and saves its first screen as docs/screenshots/<page>.png (whole pages go to build/screenshots/).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.apprunner import REPO, browser, full_page_screenshot, serve  # noqa: E402

# page path -> text that shows the page has finished drawing
PAGES = {
    "": "About this dataset",
    "timeline": "Undated events",
    "network": "Entities and their relations",
    "cases": "Case by case",
    "sources": "sentence(s) no row cites",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    parser.add_argument("--width", type=int, default=1200)
    parser.add_argument("--height", type=int, default=900)
    args = parser.parse_args(argv)
    with serve() as url, browser() as chromium:
        for path, ready_text in PAGES.items():
            page = chromium.new_page(viewport={"width": args.width, "height": args.height})
            page.goto(f"{url}/{path}")
            page.get_by_text(ready_text).first.wait_for(timeout=60_000)
            page.wait_for_timeout(1500)  # let charts finish their transitions
            name = path or "overview"
            out = args.out / f"{name}.png"
            out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(out))  # the first screen, as a reader sees it
            full_page_screenshot(page, REPO / "build" / "screenshots" / f"{name}-full.png")
            print(f"saved {out.relative_to(REPO)}")
            page.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
