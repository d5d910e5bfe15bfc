"""Shared fixtures.

- `bundled`: the frozen copy of the story, checked (tests/fixtures/story; see tests/fixtures/README.md).
- `curated`: the real dataset, checked (data/statements.csv with seeds/), for the tests of the data itself.
- `model`: the model built from it.
- `make_dataset`: writes a small dataset (CSV + seeds/ + datapackage.json) into a temp folder.
"""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest
from helpers import SOURCE_NAME, SOURCE_TEXT, STORY, app, small_rows, to_csv

from dashboard.dataset.model import build_model
from dashboard.dataset.schema import BUNDLED_DATA
from dashboard.dataset.validation import check_dataset

# Checked datasets are cached on disk by the app; the tests keep theirs out of the working tree.
os.environ.setdefault("DASHBOARD_CACHE_DIR", tempfile.mkdtemp(prefix="dashboard-cache-"))
# The app that AppTests and browser tests open shows the frozen copy of the story (tests/fixtures/).
os.environ.setdefault("DASHBOARD_DATA", str(STORY))


@pytest.fixture(autouse=True, scope="session")
def _error_details_in_apptests():
    """The shipped config hides error details from visitors (client.showErrorDetails = "none"); in
    this process's AppTests a failing page should still say what went wrong. Servers started for
    browser tests keep the shipped setting."""
    from streamlit import config

    config.set_option("client.showErrorDetails", "full")


@pytest.fixture
def make_dataset(tmp_path):
    """Write a dataset and return its CSV path. Pass `rows` (dicts), or `text`/`data` for raw content."""

    def make(rows=None, text=None, data: bytes | None = None, with_package=True, source_text=SOURCE_TEXT):
        folder = tmp_path / "story"
        (folder / "data").mkdir(parents=True, exist_ok=True)
        (folder / "seeds").mkdir(exist_ok=True)
        (folder / "seeds" / SOURCE_NAME).write_text(source_text, encoding="utf-8")
        if with_package:
            shutil.copy(STORY.parent / "datapackage.json", folder / "data" / "datapackage.json")
        path = folder / "data" / "statements.csv"
        if data is None:
            data = (text if text is not None else to_csv(rows if rows is not None else small_rows())).encode("utf-8")
        path.write_bytes(data)
        return path

    return make


@pytest.fixture(scope="session")
def bundled():
    return check_dataset(STORY)


@pytest.fixture(scope="session")
def curated():
    return check_dataset(BUNDLED_DATA)


@pytest.fixture(scope="session")
def model(bundled):
    return build_model(bundled.frame)


@pytest.fixture
def open_page():
    """Run the whole app under AppTest, switch to a page of dashboard/app/pages/ ("network"), with URL
    query parameters as a browser would give them; fails on any exception."""

    def run(name: str, **query):
        at = app(**query).run()
        at.switch_page(f"dashboard/app/pages/{name}.py").run()
        assert not at.exception, at.exception
        return at

    return run


# The fast tier (`make test-fast`, `pytest -m "not slow"`): every unit and property test, without
# the ones that pay for a browser, an app script run or another process. A test is slow when it
# uses the renderer (headless Chromium) or a browser fixture, or when its body runs the app
# (AppTest through helpers.app), the command line in a subprocess, or a synthetic dataset of
# thousands of statements; `@pytest.mark.slow` marks the rest by hand.
_SLOW_FIXTURES = {"renderer", "svg_page", "page", "chromium", "app_url", "open_page"}
_SLOW_CALLS = (
    "app(", "AppTest", ".run()", "run_cli(", "run_dashboard(", "subprocess.",  # the app, another process
    "write_dataset(", "synthetic.",  # scale
    "registry.build(", "story_html(", "story_context(", "network_figure(", "render.framed(", "timeline_figure(",
    "main([",  # whole exports, figures and frames
)  # fmt: skip


def pytest_collection_modifyitems(items):
    import inspect

    for item in items:
        if item.get_closest_marker("browser") or item.get_closest_marker("slow"):
            continue
        function = getattr(item, "function", None)
        try:
            body = inspect.getsource(function) if function else ""
        except (OSError, TypeError):
            body = ""
        if _SLOW_FIXTURES & set(getattr(item, "fixturenames", ())) or any(call in body for call in _SLOW_CALLS):
            item.add_marker(pytest.mark.slow)
