"""`python -m dashboard export --batch FILE`: several exports in one process, one export's arguments a
line, through the same checks as one export; a bad line is named and nothing is written. And the
renderer's end: a command-line image export exits without a traceback."""

from __future__ import annotations

import logging
import shlex

import pytest
from helpers import run_dashboard

from dashboard import __main__ as cli
from dashboard.exports import render

DATA_LINES = [
    "statements --format csv --out {tmp}/statements.csv",
    "statements --format json --person 'Nayib Bukele' --out {tmp}/bukele.json",
    "network --format gexf --focus 'Nayib Bukele' --hops 2 --out {tmp}/network.gexf",
    "cases --format csv --end 2025-03-14 --out {tmp}/cases.csv",
]


def batch_file(tmp_path, lines: list[str], folder: str = "batch"):
    out = tmp_path / folder
    path = tmp_path / f"{folder}.txt"
    path.write_text("\n".join(line.format(tmp=out) for line in lines) + "\n", encoding="utf-8")
    return path, out


def test_a_batch_writes_the_same_bytes_as_single_exports(tmp_path, capsys):
    path, batch = batch_file(tmp_path, ["# data files", "", *DATA_LINES])
    assert cli.main(["export", "--batch", str(path)]) == 0
    said = capsys.readouterr().err.splitlines()
    assert [line.split(": wrote ")[0] for line in said] == [f"{path} line {n}" for n in (3, 4, 5, 6)]
    single = tmp_path / "single"
    for line in DATA_LINES:
        assert cli.main(["export", *shlex.split(line.format(tmp=single))]) == 0
    written = sorted(p.name for p in batch.iterdir())
    assert written == sorted(p.name for p in single.iterdir()) and "cases.alt.txt" in written
    for name in written:
        assert (batch / name).read_bytes() == (single / name).read_bytes(), name


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("timeline --format csv --out {tmp}/t.csv", "the timeline view exports png, svg, not “csv”"),
        ("statements --format csv --focus Vampiro --out {tmp}/x.csv", "--focus applies to"),
        ("statements --format csv --out '{tmp}/x.csv", "No closing quotation"),
        ("statements --format csv", "the following arguments are required: --out"),
        ("statements --format csv --out {tmp}/a.csv --batch other.txt", "unrecognized arguments: --batch"),
        ("statements --format csv --out {tmp}/a.csv --help", "unrecognized arguments: --help"),
        ("statements --format csv --out {tmp}/s.csv", "line 2 writes that file too"),
        ("statements --format csv --person Nobody --out {tmp}/n.csv", "no one in the dataset matches it"),
    ],
)
def test_a_bad_line_is_named_and_nothing_is_written(tmp_path, capsys, bad, message):
    good = "statements --format csv --out {tmp}/s.csv"
    path, out = batch_file(tmp_path, ["# first a good line", good, "cases --format csv --out {tmp}/c.csv", bad])
    assert cli.main(["export", "--batch", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"error: {path} line 4: " in err and message in err, err
    assert "Traceback" not in err and not out.exists()


def test_every_bad_line_is_named_at_once(tmp_path, capsys):
    lines = ["maps --format png --out {tmp}/m.png", "statements --format csv --out {tmp}/s.csv", "cases --format x"]
    path, out = batch_file(tmp_path, lines)
    assert cli.main(["export", "--batch", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path} line 1: " in err and f"{path} line 3: " in err and f"{path} line 2: " not in err
    assert not out.exists()


def test_a_dataset_with_errors_stops_the_batch_with_exit_1(tmp_path, make_dataset, capsys):
    broken = make_dataset(text="id,quote\ns1,\n")
    lines = ["statements --format csv --out {tmp}/s.csv", f"statements --format json --data {broken} --out {{tmp}}/j"]
    path, out = batch_file(tmp_path, lines)
    assert cli.main(["export", "--batch", str(path)]) == 1
    assert f"error: {path} line 2: " in capsys.readouterr().err and not out.exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [("# nothing\n\n", "asks for no export"), (b"\xff\xfe\x00x", "not UTF-8 text")],
)
def test_an_empty_or_unreadable_batch_file_is_one_line(tmp_path, capsys, text, message):
    path = tmp_path / "batch.txt"
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    assert cli.main(["export", "--batch", str(path)]) == 2
    assert message in capsys.readouterr().err


def test_a_missing_batch_file_is_one_line(tmp_path, capsys):
    assert cli.main(["export", "--batch", str(tmp_path / "nope.txt")]) == 2
    assert "error: cannot use" in capsys.readouterr().err


def test_batch_takes_no_other_flag(tmp_path, capsys):
    path, _ = batch_file(tmp_path, DATA_LINES[:1])
    assert cli.main(["export", "timeline", "--batch", str(path)]) == 2
    assert "unrecognized arguments: timeline" in capsys.readouterr().err


def _logged_error(message: str) -> logging.LogRecord:
    from choreographer.channels import _wire

    try:
        _wire.deserialize(message)
    except Exception as err:  # noqa: BLE001 the driver's own error, whatever its class
        exc_info = (type(err), err, err.__traceback__)
    return logging.LogRecord(render.PIPE_LOGGER, logging.ERROR, __file__, 1, "JSONError decoding message. Ignoring",
                             (), exc_info)  # fmt: skip


def test_the_bye_filter_drops_the_farewell_only():
    bye = render.ByeFilter()
    assert not bye.filter(_logged_error("{bye}\n"))
    assert bye.filter(_logged_error('{"id": 1, "result": '))  # a message cut short is still told
    assert bye.filter(logging.LogRecord(render.PIPE_LOGGER, logging.ERROR, __file__, 1, "other", (), None))


@pytest.mark.slow
def test_an_image_export_exits_cleanly(tmp_path):
    """Two images from one batch, and one alone: one Chromium each run, closed before Python exits
    (in development mode, which reports a temporary folder left for Python to delete at exit:
    Chromium's profile, deleted under the running browser when kaleido's exit hook closed it)."""
    path, out = batch_file(tmp_path, ["cases --format png --out {tmp}/c.png", "cases --format svg --out {tmp}/c.svg"])
    for args in (["--batch", str(path)], ["cases", "--format", "png", "--out", str(tmp_path / "alone.png")]):
        result = run_dashboard("export", *args, timeout=300, python=("-X", "dev"))
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr and "Implicitly cleaning up" not in result.stderr, result.stderr
    assert render.png_size((out / "c.png").read_bytes()) == (1200, 675) and (out / "c.svg").read_bytes()
