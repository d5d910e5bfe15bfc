"""Browser fixtures: one app server and one Chromium for the whole session.

- `app_url`: base URL of `streamlit run streamlit_app.py` on the bundled dataset.
- `new_page(width, height, **options)`: a page in a fresh browser context, closed after the test;
  `page`: one at 1200×900.
- `shots`: folder where tests save screenshots for people to look at (build/screenshots).
- `offline`: records every request the page makes; `offline.external()` lists those that left the
  app (anything but the app's own URL and inline data: / blob: / about: documents).
"""

from __future__ import annotations

import pytest
from apprunner import REPO, browser, serve


@pytest.fixture(scope="session")
def app_url():
    with serve() as url:
        yield url


@pytest.fixture(scope="session")
def chromium():
    with browser() as instance:
        yield instance


@pytest.fixture
def new_page(chromium):
    """`new_page(width, height, **context_options)`: a page in a fresh browser context (no cookies, no
    storage), as a new reader opens it; every context it made is closed after the test."""
    contexts = []

    def make(width: int = 1200, height: int = 900, **options):
        context = chromium.new_context(viewport={"width": width, "height": height}, **options)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


class RequestLog:
    """The URLs a page requested, to check the dashboard works offline."""

    def __init__(self, page, app_url: str):
        self.app_url = app_url
        self.urls: list[str] = []
        page.on("request", lambda request: self.urls.append(request.url))

    def external(self) -> list[str]:
        return [u for u in self.urls if not u.startswith(self.app_url) and not u.startswith(_INLINE)]


_INLINE = ("data:", "blob:", "about:")


@pytest.fixture
def offline(page, app_url):
    return RequestLog(page, app_url)


@pytest.fixture(scope="session")
def shots():
    folder = REPO / "build" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
