"""Streamlit's front-end files from memory (dashboard/app/frontend_files.py): the same bytes as the
files on disk, gzipped when the browser takes it, and nothing read that is not the folder's own
plain-named regular file."""

import asyncio
import gzip
import os
from concurrent.futures import ThreadPoolExecutor

import pytest

from dashboard.app import frontend_files
from dashboard.app.frontend_files import FrontEndFiles, accepts_gzip, read_asset

JS = b"function f(){return 1}\n" * 400


@pytest.fixture
def root(tmp_path):
    (tmp_path / "static" / "js").mkdir(parents=True)
    (tmp_path / "static" / "js" / "index.abc123.js").write_bytes(JS)
    (tmp_path / "static" / "media").mkdir()
    (tmp_path / "static" / "media" / "font.woff2").write_bytes(bytes(range(256)) * 16)
    (tmp_path / "secret.txt").write_text("not a front-end file")
    return tmp_path


def test_a_text_file_is_held_with_its_gzipped_form(root):
    asset = read_asset(root, "static/js/index.abc123.js")
    assert asset.body == JS
    assert gzip.decompress(asset.gzipped) == JS and len(asset.gzipped) < len(JS) / 10
    assert asset.content_type == "text/javascript; charset=utf-8"


def test_a_file_that_does_not_shrink_is_sent_as_it_is(root):
    asset = read_asset(root, "static/media/font.woff2")
    assert asset.gzipped is None and len(asset.body) == 4096


@pytest.mark.parametrize(
    "relative",
    ["static/../secret.txt", "../secret.txt", "static/js/../../secret.txt", "/etc/passwd", "static//js/x.js",
     "static/js/", "static/js", "static/.hidden", "static/js/missing.js", "static/js/x.js\x00", "static\\js"],
)  # fmt: skip
def test_only_plain_named_regular_files_inside_the_folder_are_read(root, relative):
    (root / "static" / ".hidden").write_text("x")
    assert read_asset(root, relative) is None


def test_a_symbolic_link_is_never_followed(root):
    (root / "static" / "js" / "link.js").symlink_to(root / "secret.txt")
    (root / "static" / "linked").symlink_to(root)
    assert read_asset(root, "static/js/link.js") is None
    assert read_asset(root, "static/linked/secret.txt") is None


def test_a_named_pipe_is_refused_without_blocking(root):
    os.mkfifo(root / "static" / "js" / "pipe.js")
    assert read_asset(root, "static/js/pipe.js") is None


def test_a_file_over_the_bound_is_left_to_streamlit(root, monkeypatch):
    monkeypatch.setattr(frontend_files, "MAX_FILE_BYTES", len(JS) - 1)
    assert read_asset(root, "static/js/index.abc123.js") is None


def test_a_kind_of_file_it_does_not_know_is_left_to_streamlit(root):
    (root / "static" / "js" / "run.sh").write_text("echo")
    assert read_asset(root, "static/js/run.sh") is None
    assert read_asset(root, "static/js/README") is None


@pytest.mark.parametrize(
    ("header", "expected"),
    [("gzip", True), ("gzip, deflate, br, zstd", True), ("GZIP", True), ("br;q=1, gzip;q=0.5", True),
     ("*", True), ("gzip;q=0", False), ("gzip; q=0.0", False), ("gzip;q=abc", False), ("identity", False),
     ("", False), ("deflate, br", False), ("x-gzip", False)],
)  # fmt: skip
def test_gzip_is_sent_only_where_the_browser_accepts_it(header, expected):
    assert accepts_gzip(header.encode()) is expected


def request(middleware, path, method="GET", **headers):
    """Status, headers and body of one request through the middleware; 'passed' when it went on."""
    sent = []

    async def downstream(scope, receive, send):
        sent.append({"type": "http.response.start", "status": 299, "headers": []})
        sent.append({"type": "http.response.body", "body": b"passed"})

    middleware.app = downstream

    async def send(message):
        sent.append(message)

    async def receive():
        return {"type": "http.request", "body": b""}

    scope = {
        "type": "http", "method": method, "path": path,
        "headers": [(k.replace("_", "-").lower().encode(), v.encode()) for k, v in headers.items()],
    }  # fmt: skip
    # On a thread of its own: a browser test's Playwright may hold this thread's event loop.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, middleware(scope, receive, send)).result()
    start, body = sent
    return start["status"], dict(start["headers"]), body["body"]


def test_the_middleware_answers_a_front_end_file_from_memory(root):
    files = FrontEndFiles(None, root=root, base_url="")
    status, headers, body = request(files, "/static/js/index.abc123.js", accept_encoding="gzip, br")
    assert status == 200 and headers[b"content-encoding"] == b"gzip" and gzip.decompress(body) == JS
    assert headers[b"content-length"] == str(len(body)).encode()
    assert headers[b"vary"] == b"Accept-Encoding" and b"immutable" in headers[b"cache-control"]
    status, plain_headers, body = request(files, "/static/js/index.abc123.js")
    assert status == 200 and body == JS and b"content-encoding" not in plain_headers
    assert plain_headers[b"etag"] != headers[b"etag"]
    status, _, body = request(files, "/static/js/index.abc123.js", if_none_match=headers[b"etag"].decode(),
                              accept_encoding="gzip")  # fmt: skip
    assert (status, body) == (304, b"")
    status, head_headers, body = request(files, "/static/js/index.abc123.js", method="HEAD")
    assert (status, body) == (200, b"") and head_headers[b"content-length"] == str(len(JS)).encode()
    # Held after the first request: the file on disk is not read again.
    (root / "static" / "js" / "index.abc123.js").write_bytes(b"changed")
    assert request(files, "/static/js/index.abc123.js")[2] == JS


@pytest.mark.parametrize(
    ("path", "method", "headers"),
    [("/", "GET", {}), ("/index.html", "GET", {}), ("/_stcore/health", "GET", {}),
     ("/static/js/index.abc123.js", "POST", {}), ("/static/js/index.abc123.js", "GET", {"range": "bytes=0-9"}),
     ("/static/js/missing.js", "GET", {}), ("/static/../secret.txt", "GET", {}), ("/secret.txt", "GET", {})],
)  # fmt: skip
def test_everything_else_goes_on_to_streamlit(root, path, method, headers):
    files = FrontEndFiles(None, root=root, base_url="")
    assert request(files, path, method, **headers) == (299, {}, b"passed")


def test_a_base_url_path_moves_the_prefix(root):
    files = FrontEndFiles(None, root=root, base_url="/news/explorer/")
    assert request(files, "/news/explorer/static/js/index.abc123.js")[2] == JS
    assert request(files, "/static/js/index.abc123.js")[2] == b"passed"


def test_what_is_held_stays_within_its_bound(root, monkeypatch):
    monkeypatch.setattr(frontend_files, "MAX_HELD_BYTES", len(JS) + 200)
    files = FrontEndFiles(None, root=root, base_url="")
    assert request(files, "/static/js/index.abc123.js")[2] == JS
    assert request(files, "/static/media/font.woff2")[0] == 200  # answered, not held
    assert list(files.held) == ["static/js/index.abc123.js"] and files.held_bytes <= len(JS) + 200


def test_the_dashboards_own_files_are_answered_from_their_folder_below_the_base(root, tmp_path_factory):
    assets = tmp_path_factory.mktemp("assets")
    (assets / "chart.1.0.min.js").write_bytes(JS)
    (assets / "notes.md").write_text("not served")
    files = FrontEndFiles(None, root=root, base_url="/news/", assets=assets)
    status, headers, body = request(files, "/news/dashboard-assets/chart.1.0.min.js", accept_encoding="gzip")
    assert status == 200 and gzip.decompress(body) == JS and headers[b"content-type"].startswith(b"text/javascript")
    assert "dashboard-assets/chart.1.0.min.js" in files.held
    for path in ("/dashboard-assets/chart.1.0.min.js", "/news/dashboard-assets/notes.md",
                 "/news/dashboard-assets/../static/js/index.abc123.js", "/news/dashboard-assets/missing.js",
                 "/news/dashboard-assets/static/js/index.abc123.js"):  # fmt: skip
        assert request(files, path) == (299, {}, b"passed"), path
    # Streamlit's files are still its own, under their own prefix only.
    assert request(files, "/news/static/js/index.abc123.js")[2] == JS


def test_the_bundled_chart_script_is_served_as_javascript(root):
    from dashboard.app import chart

    files = FrontEndFiles(None, root=root, base_url="")
    status, headers, body = request(files, f"/dashboard-assets/{chart.BUNDLE}")
    assert status == 200 and headers[b"content-type"] == b"text/javascript; charset=utf-8"
    assert body.startswith(b"/**\n* plotly.js (basic - minified)")
