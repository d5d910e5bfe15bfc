"""No cell can crash or freeze a check (issue 25): each cell is bounded before any native code reads
it, and a datapackage's patterns run in a linear-time engine or are refused with a reason."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest
from helpers import REPO, run_dashboard, small_rows

from dashboard.dataset import sources, verbatim
from dashboard.dataset.validation import MAX_CELL_CHARS, check_dataset


def _with_quote(make_dataset, quote: str):
    rows = small_rows()
    rows[0]["quote"] = quote
    return make_dataset(rows=rows)


@pytest.mark.parametrize("length", [MAX_CELL_CHARS, MAX_CELL_CHARS + 1])
def test_a_cell_at_the_bound_is_checked_and_one_past_it_is_refused(make_dataset, length):
    quote = "y" * length
    dataset = check_dataset(_with_quote(make_dataset, quote))
    at_row = [p for p in dataset.problems if p.row == 2]
    if length <= MAX_CELL_CHARS:
        assert any("not verbatim" in p.message for p in at_row), at_row
        assert not any("may hold" in p.message for p in at_row)
    else:
        assert [(p.column, p.is_error) for p in at_row] == [("quote", True)], at_row
        assert f"{length:,} characters, more than the {MAX_CELL_CHARS:,}" in at_row[0].message
    assert 2 not in set(dataset.frame["row"]) and {3, 4} <= set(dataset.frame["row"])


def test_a_megabyte_quote_not_in_its_source_is_one_located_line(make_dataset):
    """It used to kill the process (pyahocorasick overflowed the stack): now `check` says where."""
    csv = _with_quote(make_dataset, "z" * 1_000_000)
    result = run_dashboard("check", str(csv), timeout=60)
    assert result.returncode == 1, (result.returncode, result.stderr[-2000:])
    assert f"{csv}:2 [quote]: error: the cell holds 1,000,000 characters" in result.stdout
    assert "Traceback" not in result.stderr


def test_a_long_passage_never_enters_the_automaton_even_on_a_small_stack():
    """The quote check itself is safe for passages far past the cell bound, on a 512 KiB thread stack
    (where a 100,000-character word in the automaton crashed)."""
    program = textwrap.dedent(
        """
        import threading
        from dashboard.dataset.sources import Document
        from dashboard.dataset.verbatim import verbatim
        threading.stack_size(512 * 1024)
        found = []
        document = Document("a.txt", "short text " + "q" * 200_000)
        quotes = {"q" * 150_000, "p" * 300_000, "short text"}
        thread = threading.Thread(target=lambda: found.append(verbatim(document, quotes)))
        thread.start(); thread.join()
        print(sorted(len(q) for q in found[0]))
        """
    )
    result = subprocess.run([sys.executable, "-c", program], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "[10, 150000]"
    assert verbatim.MAX_WORD_CHARS < 10_000


def test_the_nearest_passage_hint_is_skipped_past_its_budget():
    document = sources.Document("big.txt", "abc " * (sources.NEAREST_BUDGET // 400))
    message = document.explain_mismatch("abd " * 100)
    assert message.endswith("is not in the source"), message


def _with_pattern(make_dataset, pattern: str, value: str):
    rows = small_rows()
    rows[0]["summary"] = value
    csv = make_dataset(rows=rows)
    package = json.loads((csv.parent / "datapackage.json").read_text(encoding="utf-8"))
    fields = package["resources"][0]["schema"]["fields"]
    next(f for f in fields if f["name"] == "summary").setdefault("constraints", {})["pattern"] = pattern
    (csv.parent / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    return csv


def test_a_backtracking_pattern_does_not_freeze_check(make_dataset):
    """`(\\w+\\s?)*` against a long cell that misses it at the end: hours in Python's `re`, linear in RE2."""
    csv = _with_pattern(make_dataset, r"(\w+\s?)*", "a" * 40 + " " + "b" * 40 + "!")
    result = run_dashboard("check", str(csv), timeout=60)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr[-2000:]
    assert f"{csv}:2 [summary]: error: summary " in result.stdout
    assert "the pattern is checked by RE2" in result.stdout  # \w reads as ASCII there: said once


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        ("(a)\\1", "back-references"),
        ("a(?=b)", "look-arounds"),
        ("a{2000}", "repeats over 1000"),
        ("(" * 600 + ")" * 600, "over 1,000"),
    ],
)
def test_a_pattern_re2_cannot_run_is_refused_with_a_reason(make_dataset, pattern, reason):
    dataset = check_dataset(_with_pattern(make_dataset, pattern, "anything"))
    refusals = [p for p in dataset.problems if "constraints.pattern" in p.message]
    assert len(refusals) == 1 and refusals[0].is_error and reason in refusals[0].message, dataset.problems
    assert refusals[0].file.endswith("datapackage.json")
