"""Screenshots of every page of the running app, for the README and for review: `make screenshot`.

Starts the dashboard on the bundled dataset and opens each page in headless Chromium at laptop
(1440 px), phone (390 px) and projector (1920×1080) widths, in and out of presentation mode. Saves what
a reader first sees as docs/screenshots/<page>-<width>[-present].png: one screen on the laptop and the
projector, the first two screens on a phone, the whole page in presentation mode (it is short). Whole
pages go to build/screenshots/. The story page for readers, made from the bundled dataset, is shot at
the same widths (story-<width>.png: its first screen; story-page.png: the whole page at 1440 px).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.apprunner import REPO, browser, full_page_screenshot, serve  # noqa: E402

# page path -> text that shows the page has finished drawing
PAGES = {
    "": "About this dataset",
    "timeline": "Undated events",
    "network": "Entities and their relations",
    "cases": "Case by case",
    "sources": "no statement quotes yet",
}
# Views a shared link opens: name -> (page path, query, text that shows it has drawn)
VIEWS = {
    "timeline-details": ("timeline", "?event=s031", "Dated events"),
    "network-focus": ("network", "?focus=Nayib+Bukele&hops=2&hide_inferred=true", "Entities and their relations"),
}
# width -> height of the saved first view (two 844 px phone screens; one projector screen)
WIDTHS = {1440: 900, 390: 1688, 1920: 1080}
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


def wait_until_drawn(page, path: str, ready_text: str) -> None:
    """Streamlit has finished the run, its styles are applied and the chart has drawn and settled."""
    page.get_by_text(ready_text).first.wait_for(state="attached", timeout=60_000)
    page.wait_for_selector(IDLE, state="attached", timeout=60_000)
    page.wait_for_function(
        "() => [...document.querySelectorAll('style')].some(s => s.textContent.includes('stCaptionContainer'))",
        timeout=30_000,
    )
    if path == "timeline":
        # The page holds a wide and a phone chart and shows one: wait for the one shown.
        page.locator(".js-plotly-plot .main-svg").filter(visible=True).first.wait_for(timeout=60_000)
        # Plotly draws once more after its layout settles; wait for two animation frames after it.
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    if path in ("network", "sources"):
        frame = page.frame_locator('[data-testid="stIFrame"]').first
        frame.locator("body").wait_for(state="attached", timeout=60_000)
    if path == "network":
        page.frame_locator('[data-testid="stIFrame"]').first.locator("canvas").wait_for(timeout=60_000)
        frame = page.locator('[data-testid="stIFrame"]').first.element_handle().content_frame()
        frame.wait_for_function("window.networkSettledAt !== undefined", timeout=60_000)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with serve() as url, browser() as chromium:
        for width, height in WIDTHS.items():
            context = chromium.new_context(viewport={"width": width, "height": height})
            page = context.new_page()
            for present in (False, True):
                for path, ready_text in PAGES.items():
                    # Presentation pages are short: start from one screen, so the shot ends with the page.
                    page.set_viewport_size({"width": width, "height": min(height, 900) if present else height})
                    page.goto(f"{url}/{path}" + ("?present=1" if present else ""))
                    wait_until_drawn(page, path, ready_text)
                    name = f"{path or 'overview'}-{width}" + ("-present" if present else "")
                    out = args.out / f"{name}.png"
                    if present:  # short: the whole page
                        full_page_screenshot(page, out)
                    else:
                        page.screenshot(path=str(out))  # the first view, as a reader sees it
                        full_page_screenshot(page, REPO / "build" / "screenshots" / f"{name}-full.png")
                    print(f"saved {out.relative_to(REPO)}")
            for name, (path, query, ready_text) in VIEWS.items():
                page.set_viewport_size({"width": width, "height": height})
                page.goto(f"{url}/{path}{query}")
                wait_until_drawn(page, path, ready_text)
                out = args.out / f"{name}-{width}.png"
                page.screenshot(path=str(out))
                print(f"saved {out.relative_to(REPO)}")
            context.close()
        shoot_story(chromium, args.out)
    return 0


def shoot_story(chromium, out: Path) -> None:
    """The story page for readers at each width: its first screen, and the whole page at 1440 px."""
    from dashboard.dataset.schema import BUNDLED_DATA
    from dashboard.derive.context import open_context
    from dashboard.exports import story

    path = REPO / "build" / "story.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(story.story_html(open_context(BUNDLED_DATA)), encoding="utf-8")
    for width, height in WIDTHS.items():
        context = chromium.new_context(viewport={"width": width, "height": height}, offline=True)
        page = context.new_page()
        page.goto(path.as_uri())
        page.wait_for_function("window.timelineDrawnAt && window.networkDrawnAt", timeout=60_000)
        page.screenshot(path=str(out / f"story-{width}.png"))
        if width == 1440:
            page.screenshot(path=str(out / "story-page.png"), full_page=True)
        page.screenshot(path=str(REPO / "build" / "screenshots" / f"story-{width}-full.png"), full_page=True)
        print(f"saved {(out / f'story-{width}.png').relative_to(REPO)}")
        context.close()


if __name__ == "__main__":
    sys.exit(main())
