"""`python -m dashboard check`: one line per problem, exit 1 on errors, 0 when clean, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from helpers import REPO, run_dashboard, small_rows
from test_validation import BROKEN

pytestmark = pytest.mark.slow  # each test runs the command line as a process of its own


def run_check(*args: str) -> subprocess.CompletedProcess:
    return run_dashboard("check", *args, timeout=60)


def test_bundled_dataset_passes():
    result = run_check()
    assert result.returncode == 0, result.stdout
    assert result.stdout == ""
    assert "OK:" in result.stderr and "0 errors" in result.stderr


def test_each_broken_file_exits_1_with_its_line(make_dataset, tmp_path):
    for case, (content, row, column, fragment, severity) in BROKEN.items():
        path = make_dataset(**content)
        result = run_check(str(path))
        assert "Traceback" not in result.stderr, case
        assert result.returncode == (1 if severity == "error" else 0), (case, result.stdout)
        where = f"{path}:{row}" if row else str(path)
        where += f" [{column}]" if column else ""
        lines = [line for line in result.stdout.splitlines() if fragment in line]
        assert lines and lines[0].startswith(where + ":"), (case, result.stdout)


def test_a_missing_file_is_one_clear_line(tmp_path):
    result = run_check(str(tmp_path / "nope.csv"))
    assert result.returncode == 1
    assert "file not found" in result.stdout and "Traceback" not in result.stderr


def test_a_clean_custom_dataset_passes(make_dataset):
    result = run_check(str(make_dataset(rows=small_rows())))
    assert result.returncode == 0, result.stdout


def test_the_check_runs_in_small_pages_on_linux():
    """`check` turns transparent huge pages off for its own process (see dashboard.__main__.small_pages)."""
    script = "from dashboard.__main__ import small_pages; small_pages(); print(open('/proc/self/status').read())"
    status = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert "THP_enabled:\t0" in status.stdout


def test_every_line_arrives_before_the_process_ends(make_dataset):
    """`check` ends its process at once after its last line (dashboard.__main__.end_now): every
    line is written first, far more than one buffer's worth, with the output buffered as usual."""
    first = small_rows()[0]
    rows = [{**first, "id": f"t{i}", "certainty": "surely"} for i in range(3000)]
    buffered = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}
    result = run_dashboard("check", str(make_dataset(rows=rows)), timeout=60, env=buffered)
    assert result.returncode == 1
    assert sum('"surely" is not one of the allowed values' in line for line in result.stdout.splitlines()) == 3000
    assert "FAILED" in result.stderr and "3000 rows" in result.stderr
