"""One export per session at a time (issue 25): a second click while a file is being made is
refused at once, and the next one after it is done goes through."""

from __future__ import annotations

import threading

import pytest

from dashboard.app.export_panel import ExportBusy, one_at_a_time


def test_a_second_export_while_one_runs_is_refused_and_the_next_runs():
    busy = threading.Lock()
    started, release = threading.Event(), threading.Event()
    results = []

    def slow() -> bytes:
        started.set()
        assert release.wait(10)
        return b"png"

    first = threading.Thread(target=lambda: results.append(one_at_a_time(busy, slow)))
    first.start()
    assert started.wait(10)
    with pytest.raises(ExportBusy, match="still being made"):
        one_at_a_time(busy, lambda: b"second")
    release.set()
    first.join(10)
    assert results == [b"png"]
    assert one_at_a_time(busy, lambda: b"third") == b"third"


def test_a_failed_export_frees_the_session():
    busy = threading.Lock()
    with pytest.raises(ValueError):
        one_at_a_time(busy, lambda: (_ for _ in ()).throw(ValueError("bad")))
    assert one_at_a_time(busy, lambda: b"ok") == b"ok"
