"""Nagle's algorithm off on the server's connections (dashboard/app/tcp.py)."""

import socket
import subprocess
import sys

from helpers import REPO

from dashboard.app import tcp


def nodelay(sock: socket.socket) -> bool:
    return bool(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))


def test_a_listening_socket_gets_nodelay_and_its_connections_take_it():
    # Bound as Streamlit binds it: protocol 0, which asyncio does not take for TCP.
    with socket.socket(socket.AF_INET) as listening:
        listening.bind(("127.0.0.1", 0))
        listening.listen()
        with socket.create_connection(listening.getsockname()) as client:
            earlier, _ = listening.accept()
            assert listening.proto == 0 and not nodelay(listening) and not nodelay(earlier)
            assert tcp.turn_off_nagle() >= 1
            assert nodelay(listening)
            assert not nodelay(client) and not nodelay(earlier)  # only listening sockets are touched
            earlier.close()
        with socket.create_connection(listening.getsockname()), listening.accept()[0] as accepted:
            assert nodelay(accepted)


def test_other_sockets_and_descriptors_are_left_alone(tmp_path):
    with (
        socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as datagram,
        socket.socket(socket.AF_UNIX) as local,
        (tmp_path / "file").open("w") as file,
    ):
        local.bind(str(tmp_path / "sock"))
        local.listen()
        tcp.turn_off_nagle()
        assert not file.closed and datagram.fileno() >= 0 and local.fileno() >= 0
        local.getsockname()  # still open: the duplicate looked at was closed, not the socket


def test_the_entry_point_turns_nagle_off_when_streamlit_imports_it():
    """Streamlit binds its listening socket, then imports the entry point to start the server."""
    probe = (
        "import socket\n"
        "listening = socket.socket(socket.AF_INET)\n"
        "listening.bind(('127.0.0.1', 0)); listening.listen()\n"
        "import streamlit_app\n"
        "print(listening.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.stdout.split() == ["1"], done.stderr[-2000:]
