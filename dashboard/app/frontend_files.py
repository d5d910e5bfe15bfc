"""Streamlit's front-end files from memory, gzipped once: what every new reader's browser fetches first.

A new browser asks the server for the same content-hashed files under `/static/` (about 135 files,
9 MB, for the timeline and the network). Streamlit sends them from disk, uncompressed, with a thread
hop per 64 kB chunk: about 0.2 CPU-second per new reader, more than the reader's own script runs
(scripts/concurrency.py). This middleware answers those requests itself from bytes read and gzipped
once per process, so a reader costs the server one send per file and downloads about a third of the
bytes. The dashboard's own front-end files (dashboard/app/assets/: the partial Plotly bundle the
timeline draws with) are answered the same way under `{base}/dashboard-assets/`. Everything else (the
page, the websocket, media, a Range request, a file it does not hold) goes on to Streamlit unchanged.

Only the folder's own regular files are read: a path is plain name segments, never `..`, and a
symbolic link or anything but a regular file is left to Streamlit's own handler.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import re
import stat
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio.to_thread

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# Streamlit names its bundles by content hash, so a file under /static/ never changes: a year, as
# Streamlit's own handler says.
CACHE_CONTROL = b"public, immutable, max-age=31536000"
# Plain name segments only: letters, digits, dot, dash, underscore; no empty or dot-only segment.
_SAFE_PATH = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]{0,200}(?:/[A-Za-z0-9_-][A-Za-z0-9._-]{0,200}){0,8}")
# The kinds of file Streamlit's static folder holds, by extension (the system's MIME table differs
# between machines), and whether gzip shrinks them. Any other kind is left to Streamlit.
CONTENT_TYPES = {
    "js": ("text/javascript; charset=utf-8", True),
    "mjs": ("text/javascript; charset=utf-8", True),
    "css": ("text/css; charset=utf-8", True),
    "json": ("application/json", True),
    "map": ("application/json", True),
    "svg": ("image/svg+xml", True),
    "wasm": ("application/wasm", True),
    "txt": ("text/plain; charset=utf-8", True),
    "woff2": ("font/woff2", False),
    "woff": ("font/woff", False),
    "ttf": ("font/ttf", True),
    "png": ("image/png", False),
    "gif": ("image/gif", False),
    "jpg": ("image/jpeg", False),
    "webp": ("image/webp", False),
}
# The dashboard's own front-end files, and where the browser asks for them (below the base URL path).
ASSETS_DIR = Path(__file__).parent / "assets"
ASSETS_URL = "dashboard-assets"
# Bounds on what is held: Streamlit's whole static folder is about 26 MB.
MAX_FILE_BYTES = 32 * 1024 * 1024
MAX_HELD_BYTES = 96 * 1024 * 1024


@dataclass(frozen=True)
class Asset:
    body: bytes
    gzipped: bytes | None
    content_type: str
    etag: bytes

    @property
    def size(self) -> int:
        return len(self.body) + len(self.gzipped or b"")


def read_asset(root: Path, relative: str) -> Asset | None:
    """The file `root/relative`, with its gzipped form if that is smaller, or None when it is not a
    plain-named regular file inside `root` of at most MAX_FILE_BYTES."""
    kind = CONTENT_TYPES.get(relative.rpartition(".")[2].lower())
    if kind is None or not _SAFE_PATH.fullmatch(relative):
        return None
    content_type, compressible = kind
    *folders, _ = relative.split("/")
    try:
        # No symbolic link anywhere below the root: each folder is looked at, never followed, and the
        # file is opened with O_NOFOLLOW, then checked as what was opened (as dataset/sources.py does).
        segment = root
        for part in folders:
            segment = segment / part
            if stat.S_ISLNK(os.lstat(segment).st_mode):
                return None
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)  # a FIFO never blocks
        descriptor = os.open(root / relative, flags)
        with os.fdopen(descriptor, "rb") as file:
            info = os.fstat(file.fileno())
            if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_FILE_BYTES:
                return None
            body = file.read(MAX_FILE_BYTES + 1)
        if len(body) > MAX_FILE_BYTES:
            return None
    except OSError:
        return None
    gzipped = None
    if compressible:
        packed = gzip.compress(body, compresslevel=9, mtime=0)
        gzipped = packed if len(packed) < len(body) * 0.9 else None
    etag = b'"' + hashlib.sha256(body).hexdigest()[:32].encode() + b'"'
    return Asset(body, gzipped, content_type, etag)


def accepts_gzip(header: bytes) -> bool:
    """Whether an Accept-Encoding header allows gzip (a `q=0` refuses it)."""
    for item in header.decode("latin-1").lower().split(","):
        coding, _, params = item.strip().partition(";")
        if coding.strip() in ("gzip", "*"):
            quality = params.strip().removeprefix("q=").strip()
            if not quality:
                return True
            try:
                return float(quality) > 0
            except ValueError:
                return False
    return False


class FrontEndFiles:
    """ASGI middleware: GET and HEAD under `{base}/static/` (Streamlit's files) and
    `{base}/dashboard-assets/` (the dashboard's) answered from memory."""

    def __init__(
        self,
        app: ASGIApp,
        root: str | Path | None = None,
        base_url: str | None = None,
        assets: str | Path = ASSETS_DIR,
    ) -> None:
        if root is None:
            from streamlit import file_util

            root = file_util.get_static_dir()
        if base_url is None:
            from streamlit import config

            base_url = config.get_option("server.baseUrlPath") or ""
        self.app = app
        base = base_url.strip("/")
        under_base = f"/{base}/" if base else "/"
        # (URL prefix, folder, the path a name is read at inside the folder): Streamlit's static
        # folder holds its files under `static/`. A file is held by its URL path below the base.
        self.mounts = (
            (f"{under_base}static/", Path(root), "static/"),
            (f"{under_base}{ASSETS_URL}/", Path(assets), ""),
        )
        self.under_base = under_base
        self.held: dict[str, Asset] = {}
        self.held_bytes = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            return await self.app(scope, receive, send)
        path: str = scope["path"]
        mount = next((m for m in self.mounts if path.startswith(m[0])), None)
        if mount is None:
            return await self.app(scope, receive, send)
        headers = dict(scope["headers"])
        if b"range" in headers:
            return await self.app(scope, receive, send)
        prefix, folder, inside = mount
        name = path[len(prefix) :]
        asset = await self.asset(path[len(self.under_base) :], folder, inside + name)
        if asset is None:
            return await self.app(scope, receive, send)
        await respond(asset, scope["method"], headers, send)

    async def asset(self, key: str, folder: Path, relative: str) -> Asset | None:
        """The file at `relative` in `folder`, held by `key` once read."""
        held = self.held.get(key)
        if held is not None:
            return held
        # Read and compress off the event loop: other readers' messages keep flowing meanwhile.
        asset = await anyio.to_thread.run_sync(read_asset, folder, relative)
        if asset is not None and self.held_bytes + asset.size <= MAX_HELD_BYTES and key not in self.held:
            self.held[key] = asset
            self.held_bytes += asset.size
        return asset


async def respond(asset: Asset, method: str, headers: dict[bytes, bytes], send: Send) -> None:
    body, etag, encoding = asset.body, asset.etag, []
    if asset.gzipped is not None and accepts_gzip(headers.get(b"accept-encoding", b"")):
        # Each encoding its own validator: a cache must not hand gzipped bytes to a client that refused them.
        body, etag, encoding = asset.gzipped, asset.etag[:-1] + b'-gzip"', [(b"content-encoding", b"gzip")]
    common = [(b"cache-control", CACHE_CONTROL), (b"etag", etag), (b"vary", b"Accept-Encoding")]
    if headers.get(b"if-none-match") == etag:
        await send({"type": "http.response.start", "status": 304, "headers": common})
        await send({"type": "http.response.body", "body": b""})
        return
    response_headers = [
        (b"content-type", asset.content_type.encode()),
        (b"content-length", str(len(body)).encode()),
        *encoding,
        *common,
    ]
    await send({"type": "http.response.start", "status": 200, "headers": response_headers})
    await send({"type": "http.response.body", "body": b"" if method == "HEAD" else body})
