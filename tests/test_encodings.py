"""Spreadsheet files as they are saved (issue 25): classic Mac line ends and UTF-16 with a
byte-order mark (Excel's "Unicode text") are read with a warning; UTF-16 without a byte-order mark
and UTF-32 get one line naming the encoding and how to save the file. Never a traceback."""

from __future__ import annotations

import codecs

import pytest
from helpers import REPO, run_dashboard, small_rows, to_csv

from dashboard.dataset.validation import check_dataset

TEXT = to_csv(small_rows())
READ = {
    "classic Mac CR": (TEXT.replace("\n", "\r").encode(), "classic Mac line endings"),
    "UTF-16 LE BOM, CRLF": (codecs.BOM_UTF16_LE + TEXT.replace("\n", "\r\n").encode("utf-16-le"), "UTF-16"),
    "UTF-16 BE BOM": (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "UTF-16"),
    "UTF-8 BOM, CR": (codecs.BOM_UTF8 + TEXT.replace("\n", "\r").encode(), "classic Mac line endings"),
}
REFUSED = {
    "UTF-16 LE, no BOM": (TEXT.encode("utf-16-le"), "UTF-16 little-endian without a byte-order mark"),
    "UTF-16 BE, no BOM": (TEXT.encode("utf-16-be"), "UTF-16 big-endian without a byte-order mark"),
    "UTF-32 BOM": (TEXT.encode("utf-32"), "UTF-32"),
    "UTF-32, no BOM": (TEXT.encode("utf-32-be"), "UTF-32 (without a byte-order mark)"),
}


@pytest.mark.parametrize("case", list(READ))
def test_what_a_spreadsheet_saves_is_read_with_a_warning(make_dataset, case):
    data, words = READ[case]
    dataset = check_dataset(make_dataset(data=data))
    assert dataset.ok and len(dataset.frame) == 3, dataset.problems
    assert list(dataset.frame["id"]) == ["t1", "t2", "t3"]
    assert any(words in p.message and not p.is_error for p in dataset.problems), dataset.problems


@pytest.mark.parametrize("case", list(REFUSED))
def test_an_encoding_read_ambiguously_is_one_line_naming_it(make_dataset, case):
    data, words = REFUSED[case]
    dataset = check_dataset(make_dataset(data=data))
    assert [p.is_error for p in dataset.problems] == [True], dataset.problems
    assert f"the file is {words};" in dataset.problems[0].message and "CSV UTF-8" in dataset.problems[0].fix


@pytest.mark.parametrize("separator", [",", ";", "\t"])
def test_cr_only_and_utf16_files_never_end_in_a_traceback(make_dataset, separator):
    """The bundled-size file with CR line ends crashed the delimiter guess (a CR inside its "first
    line"), UTF-16 with CRLF the fast reader's header (csv.Error)."""
    text = (REPO / "data" / "statements.csv").read_text(encoding="utf-8").replace(",", separator)
    for data in (
        text.replace("\n", "\r").encode(),
        codecs.BOM_UTF16_LE + text.replace("\n", "\r\n").encode("utf-16-le"),
    ):
        path = make_dataset(data=data)
        for seed in (REPO / "seeds").iterdir():
            (path.parent.parent / "seeds" / seed.name).write_bytes(seed.read_bytes())
        result = run_dashboard("check", str(path), timeout=60)
        assert "Traceback" not in result.stderr and result.returncode == (0 if separator == "," else 1), result.stderr
        if separator != ",":
            assert "separated" in result.stdout and result.stdout.count("error:") == 1
