"""The checker's lines on a corpus of broken files are exactly those of the row-by-row checker
it replaced (frozen in tests/golden/problems.json by tests/golden_cases.py, before the rewrite)."""

from __future__ import annotations

import json

import pytest
from golden_cases import GOLDEN, case_names, lines, write_case

from dashboard.dataset import loading, validation
from dashboard.dataset.validation import check_dataset

pytestmark = pytest.mark.slow  # hundreds of broken files checked three times

EXPECTED = json.loads(GOLDEN.read_text(encoding="utf-8"))


def test_the_golden_file_covers_every_case():
    assert sorted(EXPECTED) == sorted(case_names())


@pytest.mark.parametrize("threads", ["one thread", "two threads", "two threads, streamed"])
@pytest.mark.parametrize("name", case_names())
def test_the_problem_lines_are_the_golden_ones(tmp_path, monkeypatch, name, threads):
    if threads.startswith("two threads"):  # what a large dataset gets: the checks run side by side
        monkeypatch.setattr(validation, "PARALLEL_FROM", 0)
    if threads.endswith("streamed"):  # and its file parsed from the disk, screened alongside
        monkeypatch.setattr(loading, "STREAM_FROM", 1)
    path = write_case(tmp_path, name)
    found = lines(check_dataset(path), path)
    expected = EXPECTED[name]
    if name == "bundled" and found["digest"] != expected["digest"]:
        # The bundled data is curated on after the golden file was written: it must still be clean.
        assert found["problems"] == [] and found["ok"]
        return
    assert found == expected
