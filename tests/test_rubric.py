"""The certainty rubric the validator applies (issue 11), and the date coding it checks."""

from __future__ import annotations

import re

import pandas as pd
from helpers import REPO, run_dashboard, small_rows
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.dataset.rowchecks import Rows
from dashboard.dataset.rubric import IGNORECASE_EXTRAS, check_frame, check_row, check_rows
from dashboard.dataset.schema import bundled_schema
from dashboard.dataset.validation import check_dataset

SOURCE = (
    "Officials said the minister took the money. “We deny everything,” said spokesman Luis Gómez.\n"
    "According to investigators, he hid it. A former aide said it was “a lie.”\n"
)


def warnings_of(checked):
    return [p for p in checked.problems if p.severity == "warning" and p.column == "certainty"]


def crafted(**changes) -> dict:
    row = {**small_rows()[0], "row": 2, "statement_type": "event", "certainty": "stated", "note": ""}
    return {**row, **changes}


def test_fires_on_a_stated_row_resting_on_unnamed_officials(make_dataset):
    rows = small_rows()
    rows[0].update(quote="Officials said the minister took the money.", attribution="officials", date="", date_note="")
    checked = check_dataset(make_dataset(rows=rows, source_text=SOURCE))
    [warning] = warnings_of(checked)
    assert (warning.row, warning.column) == (2, "certainty") and "unnamed sourcing" in warning.message
    assert "alleged" in warning.fix and not warning.is_error


def test_fires_on_the_quote_even_when_the_attribution_hides_it():
    assert check_row(crafted(quote="According to investigators, he hid it.", attribution="The article"), "f")
    assert check_row(crafted(quote="current and former officials say x", attribution="The article"), "f")


def test_silent_when_recoded_or_explained_or_a_remark_by_that_speaker():
    assert not check_row(crafted(attribution="officials", certainty="alleged"), "f")
    assert not check_row(crafted(attribution="officials", note="Kept as stated: the article confirms it."), "f")
    remark = crafted(statement_type="remark", subject="[Former aide]", attribution="a former aide", quote="x")
    assert not check_row(remark, "f")
    # A remark by an unnamed official about somebody else is that official's claim, not a fact.
    about_other = crafted(statement_type="remark", subject="Minister", attribution="a former State Department official")
    assert check_row(about_other, "f")
    # An unnamed speaker is recognised by the role given on his profile row.
    speaker = crafted(
        statement_type="profile", subject="[Ex-official]", role="former DOJ official", certainty="alleged"
    )
    remark = crafted(statement_type="remark", subject="[Ex-official]", attribution="one former DOJ official")
    assert not check_rows([speaker, remark], "f")


def test_a_named_on_record_source_is_not_unnamed_sourcing():
    assert not check_row(crafted(attribution="State Department spokesman Tommy Pigott"), "f")
    assert not check_row(crafted(attribution="The article", quote="White House officials feared that x"), "f")


def test_date_inference_needs_a_date_and_a_note():
    [no_date] = check_row(crafted(date="", date_note="x", date_inference="year"), "f")
    assert no_date.column == "date_inference" and no_date.is_error
    [no_note] = check_row(crafted(date="2025-03-11", date_note="", date_inference="date"), "f")
    assert no_note.column == "date_note" and "how" in no_note.message


def test_bundled_data_passes_the_rubric_with_no_warning(curated, bundled):
    assert curated.problems == [] and bundled.problems == []
    done = run_dashboard("check", timeout=120)
    assert done.returncode == 0 and "0 errors, 0 warnings" in done.stdout + done.stderr, done.stdout + done.stderr


def test_the_screen_spells_every_letter_as_python_ignorecase_reads_it():
    """The column-wise screen may only skip cells the patterns cannot match: every character that
    Python's IGNORECASE matches to an ASCII letter must be in that letter's set."""
    letter = re.compile("[a-z]", re.IGNORECASE)
    beyond_ascii = {chr(code) for code in range(0x80, 0x110000) if letter.fullmatch(chr(code))}
    assert beyond_ascii == {extra for extras in IGNORECASE_EXTRAS.values() for extra in extras}
    for plain, extras in IGNORECASE_EXTRAS.items():
        assert all(re.fullmatch(plain, extra, re.IGNORECASE) for extra in extras)


WORDS = ["officials", "Officials", "ſources", "Investıgators", "INVESTİGATORS", "said", "say", "according to",
         "people", "the", "OFFICIAL", "source", ".", ";", " ", "sources say", "we", "deny"]  # fmt: skip


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.lists(st.sampled_from(WORDS), max_size=6).map(" ".join),
            st.lists(st.sampled_from(WORDS), max_size=6).map(" ".join),
            st.sampled_from(["stated", "alleged"]),
            st.sampled_from(["", "year", "date"]),
            st.sampled_from(["remark", "event"]),
        ),
        max_size=12,
    )
)
def test_the_column_wise_rubric_finds_what_reading_every_row_finds(cells):
    records = [
        {**small_rows()[0], "row": number, "quote": quote, "attribution": attribution, "certainty": certainty,
         "date_inference": inference, "statement_type": kind, "note": ""}
        for number, (quote, attribution, certainty, inference, kind) in enumerate(cells, start=2)
    ]  # fmt: skip
    frame = pd.DataFrame(records, columns=list(records[0]) if records else ["row"]).astype(
        {c: "str" for c in (records[0] if records else {}) if c != "row"}
    )
    rows = Rows(frame, bundled_schema(), "f", {}, REPO)
    assert check_frame(rows) == check_rows(records, "f")
