"""The server as `streamlit run streamlit_app.py` starts it: Streamlit's front-end files come from
memory, gzipped, byte for byte the files Streamlit ships; the pages still open at their own
addresses; `-- --data PATH` still chooses the dataset."""

from __future__ import annotations

import gzip
import re
import urllib.request
from pathlib import Path

import pytest
from apprunner import serve, wait_for_app
from playwright.sync_api import expect
from streamlit import file_util

pytestmark = pytest.mark.browser

STATIC = Path(file_util.get_static_dir())


def fetch(url: str, **headers) -> tuple[dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=30) as response:
        return {k.lower(): v for k, v in response.headers.items()}, response.read()


def test_front_end_files_are_the_shipped_bytes_gzipped(app_url):
    _, index = fetch(app_url + "/")
    assets = sorted(set(re.findall(r'(?:src|href)="\.?/?(static/[^"]+\.(?:js|css))"', index.decode())))
    assert assets, "index.html names no front-end file"
    compressed = 0
    for asset in assets:
        shipped = (STATIC / asset).read_bytes()
        headers, body = fetch(f"{app_url}/{asset}", **{"Accept-Encoding": "gzip"})
        if headers.get("content-encoding") == "gzip":
            assert gzip.decompress(body) == shipped and len(body) < len(shipped), asset
            compressed += 1
        else:  # a file too small for gzip to shrink is sent as it is
            assert body == shipped and len(shipped) < 1000, asset
        assert "immutable" in headers["cache-control"] and headers["vary"] == "Accept-Encoding"
        headers, body = fetch(f"{app_url}/{asset}")
        assert "content-encoding" not in headers and body == shipped, asset
    assert compressed >= len(assets) / 2


def test_a_new_reader_downloads_the_front_end_compressed(page, app_url):
    sizes = []  # (path, bytes sent, bytes decoded) of every front-end file
    page.on(
        "requestfinished",
        lambda request: (
            sizes.append((request.url, request.sizes()["responseBodySize"], len(request.response().body())))
            if "/static/" in request.url
            else None
        ),
    )
    page.goto(app_url + "/timeline")
    wait_for_app(page)
    expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=60_000)
    scripts = [(url, sent, decoded) for url, sent, decoded in sizes if url.endswith(".js")]
    assert len(scripts) > 10
    sent, decoded = sum(s for _, s, _ in scripts), sum(d for _, _, d in scripts)
    assert sent < decoded * 0.45, f"{sent:,} bytes sent for {decoded:,} bytes of script"


def test_the_data_argument_still_chooses_the_dataset(make_dataset, page):
    with serve(script_args=("--data", str(make_dataset()))) as url:
        page.goto(url + "/")
        wait_for_app(page)
        metric = page.locator('[data-testid="stMetric"]').filter(has_text="Statements")
        expect(metric.locator('[data-testid="stMetricValue"]')).to_have_text("3")


def test_below_a_base_url_path_the_timeline_loads_its_plotly_bundle_from_there(page):
    """The chart's script is asked for below the base URL path, answered there, and the chart drawn."""
    from dashboard.app import chart

    bundles = []
    page.on(
        "requestfinished", lambda r: bundles.append((r.url, r.response().status)) if chart.BUNDLE in r.url else None
    )
    with serve(base_url_path="news/explorer") as url:
        page.goto(url + "/timeline")
        wait_for_app(page)
        expect(page.locator(f".{chart.CHART_CLASS} .main-svg").first).to_be_visible(timeout=60_000)
        assert bundles == [(f"{url}/dashboard-assets/{chart.BUNDLE}", 200)]
