"""The command line never ends in a traceback (issue 13): an `--out` that is a folder, empty, inside a
file or unwritable, and any other bad argument, gets one clear line and exit code 2.

Never point these tests at a real system file: the suite may run as root, where permissions do not
stop a write. Unwritable targets are made unwritable by the test itself."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from helpers import run_dashboard

from dashboard import __main__ as cli
from dashboard.exports import cli as export_cli


def run(*args: str) -> subprocess.CompletedProcess:
    return run_dashboard(*args, timeout=120)


def export_args(out: str) -> list[str]:
    return ["export", "cases", "--format", "csv", "--out", out]


@pytest.mark.parametrize(
    ("out", "message"),
    [
        ("{tmp}", "is a folder"),
        ("{tmp}/", "give a file name"),
        ("", "give a file name"),
        (".", "give a file name"),
        ("{tmp}/..", "give a file name"),
        ("{tmp}/a-file.txt/chart.csv", "is a file, not a folder"),
        ("{tmp}/nul\x00.csv", "NUL"),
    ],
)
def test_a_bad_out_path_is_one_line_and_exit_2(tmp_path, capsys, out, message):
    (tmp_path / "a-file.txt").write_text("x")
    code = cli.main(export_args(out.format(tmp=tmp_path)))
    err = capsys.readouterr().err
    assert code == 2 and message in err and err.count("\n") == 1, err
    assert (tmp_path / "a-file.txt").read_text() == "x"


def test_an_unwritable_out_is_one_line_and_exit_2(tmp_path, capsys, monkeypatch):
    def refuse(self, data):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "write_bytes", refuse)
    code = cli.main(export_args(str(tmp_path / "chart.csv")))
    err = capsys.readouterr().err
    assert code == 2 and "Permission denied" in err and "Traceback" not in err, err


def test_a_folder_without_write_permission_is_refused_before_the_export(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(export_cli.os, "access", lambda path, mode: False)
    code = cli.main(export_args(str(tmp_path / "chart.csv")))
    assert code == 2 and "no permission to write there" in capsys.readouterr().err


@pytest.mark.parametrize(
    "args",
    [
        ["export", "timeline", "--format", "png", "--out", "/tmp/x.png", "--start", "9999"],
        ["export", "cases", "--format", "html", "--out", "/tmp/x.html"],
        ["export", "nope", "--format", "png", "--out", "x.png"],
        ["export"],
        [],
        ["--bogus"],
        ["check", "a", "b"],
    ],
)
def test_bad_arguments_exit_2_with_a_message(args, capsys):
    assert cli.main(args) == 2
    err = capsys.readouterr().err
    assert "error" in err and "Traceback" not in err


def test_a_folder_as_out_from_the_shell(tmp_path):
    result = run(*export_args(str(tmp_path)))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith("error: --out") and "is a folder" in result.stderr


def test_control_characters_never_reach_the_terminal(make_dataset, capsys):
    path = make_dataset(text="id,\x1b[2J\x1b[32mOK\x1b[0m\n1,2\n")
    code = cli.main(["check", str(path)])
    out = capsys.readouterr()
    assert code == 1 and "\x1b" not in out.out + out.err
    assert "\\x1b" in out.out
