"""Nagle's algorithm off for the server's connections: a small response is sent at once.

Streamlit binds its listening socket as `socket.socket(family)`, protocol 0, and asyncio turns Nagle's
algorithm off only on connections whose protocol is IPPROTO_TCP. So every response the server sends
as two writes (headers, then a small body) waits for the browser's delayed acknowledgement: 44 ms
for each of the ~60 small script files a new reader fetches, six at a time, and for the health
check; a Starlette app bound by uvicorn itself answers the same request in 0.4 ms. A connection takes
TCP_NODELAY from the socket that accepted it (Linux, the BSDs, macOS), so setting it once on the
listening socket mends every later connection, the websocket included.

The entry point calls this when Streamlit imports it to start the server: the listening socket is
bound by then (Streamlit binds it before it imports the app) and nothing has been accepted yet.
"""

from __future__ import annotations

import os
import socket
import stat
from pathlib import Path

FD_FOLDER = Path("/proc/self/fd")  # Linux; elsewhere the first descriptors are tried


def _descriptors() -> list[int]:
    try:
        return sorted(int(name) for name in os.listdir(FD_FOLDER) if name.isdigit())
    except OSError:
        return list(range(256))


def turn_off_nagle() -> int:
    """Set TCP_NODELAY on every listening TCP socket of this process; how many were set. Only
    options change: each socket is looked at through a duplicate of its descriptor, closed after."""
    accepting = getattr(socket, "SO_ACCEPTCONN", None)
    if accepting is None:
        return 0
    count = 0
    for descriptor in _descriptors():
        try:
            if not stat.S_ISSOCK(os.fstat(descriptor).st_mode):
                continue
            duplicate = socket.socket(fileno=os.dup(descriptor))
        except OSError:
            continue
        with duplicate:
            try:
                listening = duplicate.getsockopt(socket.SOL_SOCKET, accepting)
                if (
                    listening
                    and duplicate.type == socket.SOCK_STREAM
                    and duplicate.family in (socket.AF_INET, socket.AF_INET6)
                ):
                    duplicate.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                    count += 1
            except OSError:
                continue
    return count
