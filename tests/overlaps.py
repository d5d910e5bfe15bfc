"""Count label collisions in an exported SVG, measured in headless Chromium.

Every text element's box and every mark's box (the markers of scatter traces, in the plot and the
legends) is taken with getBoundingClientRect; a collision is a text box over another text box or
over a mark by more than `TOLERANCE` pixels each way, or running off the canvas.
The timeline's translucent bars (a year- or month-only date) are areas, not marks: the date as
given is printed on its own bar by design.
Used by tests/browser/test_labels_browser.py and by hand:

    python tests/overlaps.py timeline network cases   # every view at social, square, article
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

TOLERANCE = 1.0  # px: boxes that only touch (anti-aliasing, rounding) are not a collision

# Text: every <text> (labels, annotations, legend entries, titles, table cells).
# Marks: markers of scatter traces (in the plot and the legend).
_MEASURE = """
() => {
  const box = e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  const texts = [...document.querySelectorAll('text')]
    .filter(t => t.textContent.trim() !== '')
    .map(t => ({text: t.textContent.trim(), box: box(t)}))
    .filter(t => t.box[2] > t.box[0] && t.box[3] > t.box[1]);
  const marks = [...document.querySelectorAll('path.point, path.scatterpts')]
    .filter(m => (m.getAttribute('d') || '') !== '' && (m.getAttribute('d') || '') !== 'M0,0Z')
    .map(m => ({text: 'mark', box: box(m)}))
    .filter(m => m.box[2] - m.box[0] > 0.5 && m.box[3] - m.box[1] > 0.5);
  const svg = document.querySelector('svg').getBoundingClientRect();
  return {texts, marks, canvas: [svg.left, svg.top, svg.right, svg.bottom]};
}
"""


@dataclass(frozen=True)
class Collision:
    first: str
    second: str  # the other text, or "mark"

    def __str__(self) -> str:
        return f"{self.first!r} over {self.second!r}"


def _overlap(a, b, tolerance: float = TOLERANCE) -> bool:
    return min(a[2], b[2]) - max(a[0], b[0]) > tolerance and min(a[3], b[3]) - max(a[1], b[1]) > tolerance


def measure(page, svg: bytes | str) -> dict:
    """Text and mark boxes of an SVG drawn in a Playwright page."""
    markup = svg.decode("utf-8") if isinstance(svg, bytes) else svg
    page.set_content(f"<!doctype html><html><body style='margin:0'>{markup}</body></html>")
    return page.evaluate(_MEASURE)


def collisions(page, svg: bytes | str) -> list[Collision]:
    """Every text box over another text box or a mark."""
    boxes = measure(page, svg)
    texts, marks = boxes["texts"], boxes["marks"]
    found = []
    canvas = boxes["canvas"]
    for a in texts:  # text cut off at the canvas's edge has vanished, in part
        box = a["box"]
        if box[0] < canvas[0] - TOLERANCE or box[2] > canvas[2] + TOLERANCE or box[3] > canvas[3] + TOLERANCE:
            found.append(Collision(a["text"], "the canvas's edge"))
    for i, a in enumerate(texts):
        for b in texts[i + 1 :]:
            if _overlap(a["box"], b["box"]):
                found.append(Collision(a["text"], b["text"]))
        for m in marks:
            if _overlap(a["box"], m["box"]):
                found.append(Collision(a["text"], "mark"))
    return found


def main(views: list[str]) -> int:
    from apprunner import browser

    from dashboard.dataset.model import build_model
    from dashboard.dataset.schema import BUNDLED_DATA
    from dashboard.dataset.validation import check_dataset
    from dashboard.derive import filters as flt
    from dashboard.derive.context import Context
    from dashboard.exports import registry, render

    dataset = check_dataset(BUNDLED_DATA)
    model = build_model(dataset.frame)
    renderer = render.Renderer()
    windows = {"all": flt.Filters(), "march-2025": flt.Filters(start=_day("2025-03-01"), end=_day("2025-03-31"))}
    with browser() as chromium:
        page = chromium.new_page()
        for view in views or ["timeline", "network", "cases"]:
            for preset in ("social", "square", "article"):
                for window, filters in windows.items():
                    if window != "all" and view != "timeline":
                        continue
                    context = Context.build(dataset, model, filters)
                    svg = registry.build(view, "svg", context, preset, renderer=renderer).data
                    found = collisions(page, svg)
                    print(f"{view:9} {preset:8} {window:11} {len(found):3} collisions")
                    for c in found:
                        print(f"    {c}")
    return 0


def _day(text: str):
    from datetime import date

    return date.fromisoformat(text)


if __name__ == "__main__":
    sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parent.parent))
    sys.exit(main(sys.argv[1:]))
