"""A fuzzing harness of hostile datasets and packages (issue 25): each goes through `check` in this
process, through the command line, and through the app (AppTest). None may crash, hang past a
bound, or show a byte of a file outside the dataset's own folder (SECRET, planted beside it)."""

from __future__ import annotations

import codecs
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from helpers import REPO, SOURCE_NAME, SOURCE_TEXT, app, small_rows, to_csv
from test_security_packages import HOSTILE
from test_security_sources import _shown_everywhere

from dashboard.dataset.validation import check_dataset

SECRET = "ZX_SECRET_TOKEN=never-shown-4242"
BOUND_SECONDS = 20  # per dataset, on a shared 2-core machine; each takes well under a second


def _rows(**changes) -> str:
    rows = small_rows()
    rows[1].update(changes)
    return to_csv(rows)


def _pattern(folder: Path) -> None:
    path = folder / "data" / "datapackage.json"
    package_ = json.loads(path.read_text(encoding="utf-8"))
    summary = next(f for f in package_["resources"][0]["schema"]["fields"] if f["name"] == "summary")
    summary.setdefault("constraints", {})["pattern"] = r"(\w+\s?)*"
    path.write_text(json.dumps(package_), encoding="utf-8")


def _sparse(folder: Path) -> None:
    with (folder / "seeds" / "dump.bin").open("wb") as handle:
        handle.truncate(1 << 40)


# name -> (CSV bytes, what else to do to the dataset folder; the secret file is at folder/../secret.txt)
DATASETS = {
    "1 MB quote": (_rows(quote="z" * 1_000_000).encode(), None),
    "backtracking pattern": (_rows(summary="a" * 30 + " " + "b" * 30 + "!").encode(), _pattern),
    "hard link to a secret": (_rows(source="leak.txt", quote=SECRET[:-1]).encode(), "hardlink"),
    "symlink to a secret": (_rows(source="leak.txt", quote=SECRET[:-1]).encode(), "symlink"),
    "source outside by path": (_rows(source="../../secret.txt").encode(), None),
    "noncharacter names": (_rows(subject="Luis\uffffGómez", object="\ufffe").encode(), None),
    "control characters": (_rows(summary="\x1b[2J\x00\x07").encode(), None),
    "classic Mac CR": (to_csv(small_rows()).replace("\n", "\r").encode(), None),
    "UTF-16 CRLF": (codecs.BOM_UTF16_LE + to_csv(small_rows()).replace("\n", "\r\n").encode("utf-16-le"), None),
    "UTF-16 no BOM": (to_csv(small_rows()).encode("utf-16-be"), None),
    "UTF-32": (to_csv(small_rows()).encode("utf-32"), None),
    "binary junk": (bytes(range(256)) * 64, None),
    "NUL bytes": (b"id,quote\n" + b"\x00" * 5000 + b"\n", None),
    "empty": (b"", None),
    "quote left open": (b'id,quote\nt1,"never closed\n' * 50, None),
    "sparse 1 TB seeds file": (to_csv(small_rows()).encode(), _sparse),
}
ZIPS = ["corrupt member", "encrypted entry", "unsupported method", "size of a bomb", "truncated zip"]


def _make(tmp_path: Path, case: str) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET + "\n", encoding="utf-8")
    if case in ZIPS:
        path = tmp_path / "package.zip"
        path.write_bytes(HOSTILE[case][0]())
        return path
    data, extra = DATASETS[case]
    folder = tmp_path / "story"
    (folder / "data").mkdir(parents=True)
    (folder / "seeds").mkdir()
    (folder / "seeds" / SOURCE_NAME).write_text(SOURCE_TEXT, encoding="utf-8")
    (folder / "data" / "datapackage.json").write_bytes((REPO / "data" / "datapackage.json").read_bytes())
    if extra == "hardlink":
        os.link(secret, folder / "seeds" / "leak.txt")
    elif extra == "symlink":
        os.symlink(secret, folder / "seeds" / "leak.txt")
    elif extra is not None:
        extra(folder)
    path = folder / "data" / "statements.csv"
    path.write_bytes(data)
    return path


CASES = [*DATASETS, *ZIPS]


def _within_bound(work):
    """`work()`'s result, failing the test when it raises or runs past BOUND_SECONDS."""
    outcome: list = []
    thread = threading.Thread(target=lambda: outcome.append(work()), daemon=True)
    thread.start()
    thread.join(BOUND_SECONDS)
    assert not thread.is_alive(), f"still running after {BOUND_SECONDS} s"
    assert outcome, "raised (see the thread's traceback above)"
    return outcome[0]


@pytest.mark.parametrize("case", list(DATASETS))
def test_check_neither_crashes_nor_hangs_nor_discloses(tmp_path, case):
    path = _make(tmp_path, case)
    dataset = _within_bound(lambda: check_dataset(path))
    shown = "\n".join(str(p) for p in dataset.problems) + "".join(d.text for d in dataset.documents.values())
    assert "never-shown" not in shown


def test_the_command_line_takes_every_hostile_input(tmp_path):
    """Every case through `python -m dashboard check` and an export, in one process under a bound."""
    paths = {case: _make(tmp_path / f"c{i}", case) for i, case in enumerate(CASES)}
    program = (
        "import sys, json\nfrom dashboard.__main__ import main\ncodes = {}\n"
        "for case, path, out in json.loads(sys.argv[1]):\n"
        "    codes[case] = (main(['check', path]),"
        " main(['export', 'statements', '--format', 'csv', '--data', path, '--out', out]))\n"
        "print(json.dumps(codes))\n"
    )
    arguments = json.dumps([[case, str(path), str(path.parent / "out.csv")] for case, path in paths.items()])
    result = subprocess.run(
        [sys.executable, "-c", program, arguments],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=BOUND_SECONDS * 4,
        env={**os.environ, "TMPDIR": str(tmp_path)},
    )
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr[-3000:]
    codes = json.loads(result.stdout.strip().splitlines()[-1])
    assert all(check in (0, 1, 2) and export in (0, 1, 2) for check, export in codes.values()), codes
    assert all(codes[case] == [2, 2] for case in ZIPS), codes
    assert "never-shown" not in result.stdout + result.stderr
    assert not list(tmp_path.glob(f"story-explorer-packages-{os.geteuid()}/.*")), "staging left behind"


@pytest.mark.parametrize(
    "case",
    [
        "1 MB quote",
        "hard link to a secret",
        "symlink to a secret",
        "noncharacter names",
        "UTF-16 CRLF",
        "corrupt member",
    ],
)
def test_the_app_takes_hostile_inputs(tmp_path, monkeypatch, case):
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(sys, "argv", ["streamlit_app.py", "--data", str(_make(tmp_path, case))])
    at = app().run()
    assert not at.exception, at.exception
    at.switch_page("dashboard/app/pages/sources.py").run()
    assert not at.exception, at.exception
    assert "never-shown" not in _shown_everywhere(at)


@pytest.mark.parametrize("case", ZIPS)
def test_the_app_says_a_damaged_package_cannot_be_opened(tmp_path, monkeypatch, case):
    """The app names a damaged zip in one line, as `check` does, instead of reading it as a CSV."""
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    path = _make(tmp_path, case)
    monkeypatch.setattr(sys, "argv", ["streamlit_app.py", "--data", str(path)])
    at = app().run()
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["The dataset cannot be opened"]
    shown = at.error[0].value.replace("\\", "")  # the markdown escapes
    assert len(at.error) == 1 and shown.startswith("package.zip: "), shown
    assert str(tmp_path) not in shown
    assert not at.dataframe, "a damaged package is not read as a CSV"
