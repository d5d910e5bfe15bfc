"""Browser fixtures: one app server and one Chromium for the whole session.

- `app_url`: base URL of `streamlit run streamlit_app.py` on the bundled dataset.
- `page`: a fresh browser context (no cookies, no storage) at 1200×900 per test.
- `shots`: folder where tests save screenshots for people to look at (build/screenshots).
"""

from __future__ import annotations

import pytest

from scripts.apprunner import REPO, browser, serve


@pytest.fixture(scope="session")
def app_url():
    with serve() as url:
        yield url


@pytest.fixture(scope="session")
def chromium():
    with browser() as instance:
        yield instance


@pytest.fixture
def page(chromium):
    context = chromium.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def shots():
    folder = REPO / "build" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
