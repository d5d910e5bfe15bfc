"""Run `streamlit run` under a profiler of every thread, for finding where the server's time goes:
`python scripts/profiled_server.py OUT.prof streamlit_app.py [streamlit options]`.

Development only, never a dependency of the app: it needs yappi (`pip install --target DIR yappi`,
then PYTHONPATH=DIR), which profiles every thread (the script runs, the websocket's event loop,
serialisation, static files) in CPU time. SIGUSR1 starts the count again (after a warm-up). When the
server stops (SIGTERM) the profile is written to OUT.prof in pstats format (read it with
`python -m pstats OUT.prof`). `scripts/concurrency.py --profile OUT.prof` uses it.
"""

from __future__ import annotations

import atexit
import signal
import sys

import yappi


def main() -> None:
    out, *streamlit_args = sys.argv[1:]
    yappi.set_clock_type("cpu")
    yappi.start(builtins=False, profile_threads=True)

    def save() -> None:
        yappi.stop()
        yappi.get_func_stats().save(out, type="pstat")

    # Uvicorn stops the server on SIGTERM, then raises the signal again with the handler found before
    # it started: this one, so the process exits through atexit and the profile is written.
    atexit.register(save)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.signal(signal.SIGUSR1, lambda *_: yappi.clear_stats())  # the warm-up done: count from here
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", *streamlit_args]
    cli.main()


if __name__ == "__main__":
    main()
