"""The case-status page's sentences, tested as pure functions: wording, escaping, links."""

from __future__ import annotations

from datetime import date

from dashboard import names
from dashboard.derive import case_sentences, cases
from dashboard.derive import filters as flt

ROW = {
    "name": "Ana <b>Pérez</b>",
    "listed_as": "Ana Pérez",
    "status": "In U.S. custody",
    "status_detail": "held in [New York](http://x)",
    "status_id": "s9",
    "status_certainty": "stated",
    "status_as_of": "As of 15 March 2025, first reported",
    "status_as_of_precision": "day",
    "membership": "Stated",
    "membership_attribution": "The article",
    "membership_quote": 'She was "one of the nine"',
    "membership_id": "s1",
}


def test_as_of_names_the_end_date_and_how_undated_statements_count():
    assert case_sentences.as_of(flt.Filters()).startswith("Custody status as of the reporting")
    dated = case_sentences.as_of(flt.Filters(end=date(2025, 3, 31), include_undated=False))
    assert "**2025-03-31**" in dated and "undated statements are left out" in dated


def test_status_and_membership_lines_escape_the_data_and_link_the_source():
    line = case_sentences.status_line(ROW, flt.Filters())
    assert "\\[New York\\]\\(http" in line and "[view in source](" in line and "statement=s9" in line
    assert line.replace("\\", "").startswith("**Custody status:** In U.S. custody — stated; as of 15 March 2025")
    assert "stated; as of 15 March 2025, first reported" in line and "since" not in line
    # The detail is dated by its own statement, never by the category's as-of date (issue 26).
    plain = line.replace("\\", "")
    assert "**Status detail:** held in" in plain and "undated: as of the reporting, its own statement" in plain
    membership = case_sentences.membership_line(ROW, flt.Filters())
    assert 'stated, according to the article: “She was "one of the nine"”' in membership.replace("\\", "")


def test_an_unnamed_member_is_labelled_as_not_identified():
    assert case_sentences.member_label(ROW) == "Ana Pérez · In U.S. custody"
    unnamed = {**ROW, "name": names.UNNAMED_TEXT, "listed_as": "[Unnamed requested man 3]"}
    assert (
        case_sentences.member_label(unnamed)
        == "[Unnamed requested man 3] (not identified in the source) · In U.S. custody"
    )
    linked = {**ROW, "name": "Ana Pérez" + cases.LINKED_BY_INFERENCE}
    assert case_sentences.member_label(linked) == "Ana Pérez (in the group by inference) · In U.S. custody"


def test_a_status_line_dates_the_category_and_the_detail_each_from_its_own_statement(model):
    """Issue 26: Arévalo Chávez is in U.S. custody as of 13 March (the group's row, s006), but his
    deportation is “on hold” only as of the reporting (s098, undated): the 13 March date is not lent
    to the detail."""
    table = cases.case_table(model, "[The nine men Bukele requested]", model.statements).set_index("member")
    line = case_sentences.status_line(table.loc["Vladimir Arévalo Chávez"], flt.Filters()).replace("\\", "")
    category, detail = line.split("  \n")
    assert "In U.S. custody — inferred; as of 13 March 2025 (inferred), first reported" in category
    assert "statement=s006" in category and "on hold" not in category
    assert detail.startswith("**Status detail:** deportation on hold — inferred; undated: as of the reporting")
    assert "statement=s098" in detail and "March" not in detail
