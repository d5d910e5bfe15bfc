"""The case table (dashboard.derive.cases) and the Case status page: every cell derived from the statements.

Expected values below are what the source article supports; the builder itself names no group or man.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from datetime import date

import pandas as pd
import pytest
from helpers import STORY, page_text, to_csv

from dashboard import names
from dashboard.app import ui
from dashboard.dataset.model import build_model
from dashboard.dataset.schema import REPO_ROOT
from dashboard.dataset.validation import check_dataset
from dashboard.derive import case_summary, cases, describe
from dashboard.exports import spreadsheet

NINE = "[The nine men Bukele requested]"
LOPEZ, CANALES, AREVALO = "César López Larios", "Elmer Canales Rivera", "Vladimir Arévalo Chávez"
UNNAMED = [f"[Unnamed requested man {i}]" for i in range(1, 7)]


def bundled_rows() -> list[dict[str, str]]:
    with STORY.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def story_copy(tmp_path):
    """Write the bundled story with changed rows (CSV, datapackage and seeds) and return its CSV path."""

    def write(rows: list[dict[str, str]]):
        folder = tmp_path / "story"
        (folder / "data").mkdir(parents=True, exist_ok=True)
        shutil.copytree(REPO_ROOT / "seeds", folder / "seeds", dirs_exist_ok=True)
        shutil.copy(STORY.parent / "datapackage.json", folder / "data" / "datapackage.json")
        path = folder / "data" / "statements.csv"
        path.write_text(to_csv(rows), encoding="utf-8")
        return path

    return write


def changed_model(story_copy, changes: dict[str, dict[str, str]], extra: list[dict[str, str]] = ()):
    """The bundled model after editing rows by id (and appending `extra` rows); the edit must stay valid."""
    rows = [{**row, **changes.get(row["id"], {})} for row in bundled_rows()] + list(extra)
    checked = check_dataset(story_copy(rows))
    assert checked.ok, [str(p) for p in checked.problems if p.is_error]
    return build_model(checked.frame)


def by_member(table: pd.DataFrame) -> pd.DataFrame:
    return table.set_index("member")


# --- groups and rows -------------------------------------------------------------------------------


def test_tracked_groups_come_from_the_data_largest_first(model):
    groups = cases.tracked_groups(model)
    assert groups[0] == NINE
    assert "[At least four MS-13 figures charged by U.S. prosecutors]" in groups
    sizes = [len(cases.members(model, g)) for g in groups]
    assert sizes == sorted(sizes, reverse=True) and sizes[0] == 9


def test_nine_rows_named_first_with_unnamed_men_kept_unnamed(model):
    table = cases.case_table(model, NINE, model.statements)
    # Issue 11: never file order; named in the source, then linked by inference, then unnamed.
    assert table["member"].tolist() == [LOPEZ, CANALES, AREVALO, *UNNAMED]
    unnamed = table[table["member"].isin(UNNAMED)]
    assert (unnamed["name"] == names.UNNAMED_TEXT).all()
    # Rows stay distinguishable by the placeholder label, and nothing is invented about these men.
    assert unnamed["listed_as"].tolist() == [f"Unnamed requested man {i}" for i in range(1, 7)]
    assert (unnamed[["aliases", "charges", "court", "cooperation_detail"]] == "").all().all()
    assert (unnamed["cooperation"] == cases.NOT_REPORTED).all()
    named = by_member(table).loc[[LOPEZ, CANALES, AREVALO]]
    # Issue 11: the two men tied to the group only by inference say so wherever they appear.
    assert named["name"].tolist() == [LOPEZ, *(f"{m}{cases.LINKED_BY_INFERENCE}" for m in (CANALES, AREVALO))]
    assert named.loc[AREVALO, "aliases"] == "Vampiro" and named.loc[CANALES, "aliases"] == "Crook de Hollywood"


def test_how_we_know_each_man_is_among_the_nine(model):
    table = by_member(cases.case_table(model, NINE, model.statements))
    assert table.loc[LOPEZ, "membership"] == "Stated"
    assert "One of them, César López Larios" in table.loc[LOPEZ, "membership_quote"]
    # Issue 11: the sentence naming him is the article's; "the other eight" shows "them" is the nine.
    assert "The other eight remain in U.S. custody" in table.loc[LOPEZ, "membership_quote"]
    assert table.loc[LOPEZ, "membership_attribution"] == "The article"
    for man in [CANALES, AREVALO, *UNNAMED]:
        assert table.loc[man, "membership"] == "Inferred"
        assert table.loc[man, "membership_note"], "an inferred membership says why"
    assert "remains on hold" in table.loc[AREVALO, "membership_quote"]


def test_statuses_as_of_the_reporting(model):
    table = by_member(cases.case_table(model, NINE, model.statements))
    lopez = table.loc[LOPEZ]
    assert (lopez["status"], lopez["status_id"], lopez["status_certainty"]) == (
        "Deported to El Salvador",
        "s031",
        "stated",
    )
    # The deportation begins the status, so "since"; only its year is inferred.
    assert (lopez["status_as_of"], lopez["status_as_of_precision"]) == ("Since 15 March 2025 (year inferred)", "day")
    others = table.drop(index=LOPEZ)
    assert (others["status"] == "In U.S. custody").all()
    # Undated rows (the present) count as latest; two inferred ones tie, and the id, not the file, decides.
    assert table.loc[AREVALO, ["status_detail", "status_id", "status_certainty"]].tolist() == [
        "deportation on hold",
        "s098",
        "inferred",
    ]
    # The extradition (bounded: 2022 or later) is history; the present-tense inferred s089 is the status.
    assert table.loc[CANALES, ["status_detail", "status_id", "status_certainty"]].tolist() == [
        "deportation faces court challenges",
        "s089",
        "inferred",
    ]
    assert table.loc[CANALES, "status_as_of"] == "Since 2022 or later (inferred)"
    # The group row of 13 March (held by the United States) is the first to show the unnamed men in
    # custody: "as of", never "since", and only as sure as their (inferred) membership of the group.
    assert table.loc[UNNAMED[0], "status_as_of"] == "As of 13 March 2025 (inferred), first reported"
    assert table.loc[UNNAMED[0], ["status_certainty", "status_as_of_certainty"]].tolist() == ["stated", "inferred"]
    assert table.loc[UNNAMED[0], "status_date"] == cases.UNDATED
    assert not table["status_as_of"].str.contains("since", case=False).drop(index=[LOPEZ, CANALES]).any()


def test_charges_court_and_cooperation_columns(model):
    table = by_member(cases.case_table(model, NINE, model.statements))
    assert table.loc[LOPEZ, "charges"].startswith("2021 — ")
    assert "continuing criminal enterprise" in table.loc[LOPEZ, "charges"]
    assert (
        "moved to dismiss" in table.loc[LOPEZ, "court"] and "11 March 2025 (year inferred)" in table.loc[LOPEZ, "court"]
    )
    assert "refused to immediately drop charges" in table.loc[AREVALO, "court"]
    assert table.loc[CANALES, "cooperation"] == "Stated"
    assert "[alleged]" in table.loc[CANALES, "cooperation_detail"], "investigators' account stays alleged"
    # Issue 11: no sentence says López Larios informed; he is never shown as a possible informant.
    assert table.loc[LOPEZ, "cooperation"] == cases.NOT_REPORTED
    assert table.loc[LOPEZ, "cooperation_detail"] == ""
    assert table.loc[AREVALO, "cooperation"] == cases.NOT_REPORTED
    assert "At least four MS-13 figures" in table.loc[CANALES, "other_groups"]
    assert "re-arrested in Mexico" in table.loc[CANALES, "custody"]


def test_summary_counts_what_the_source_supports(model):
    table = cases.case_table(model, NINE, model.statements)
    summary = case_summary.case_summary(table, model, NINE, model.statements)
    assert summary.members == 9
    assert summary.status_counts == {"In U.S. custody": 8, "Deported to El Salvador": 1}
    assert (summary.named, summary.unnamed) == (3, 6)
    # Issue 11: one man named in the source as one of them, two linked by inference, six not identified.
    assert (summary.named_in_source, summary.linked_by_inference, summary.unnamed) == (1, 2, 6)
    assert summary.membership == {"stated": 1, "inferred": 8}
    assert summary.cooperation == {"stated": [CANALES]}
    assert summary.cooperating == 1
    # "At least three" comes from the group-level statement, with its attribution; unnamed officials
    # are not a stated fact.
    at_least_three = summary.group_cooperation.set_index("id").loc["s027"]
    assert at_least_three["quote"].startswith("At least three of the nine men")
    assert (at_least_three["attribution"], at_least_three["certainty"]) == ("officials", "alleged")
    assert summary.group_figures[0] == ("at least three", "officials")
    assert set(summary.group_cooperation["id"]) == {"s008", "s027", "s058"}


# --- the date filter's end date, undated statements, filters -----------------------------------------


def test_an_end_date_before_the_deportation_shows_him_in_us_custody(model):
    before = by_member(cases.case_table(model, NINE, model.statements, as_of=date(2025, 3, 14)))
    assert before.loc[LOPEZ, ["status", "status_detail", "status_id"]].tolist() == [
        "In U.S. custody",
        "imprisoned",
        "s006",
    ]
    assert "the group “The nine men Bukele requested”" in before.loc[LOPEZ, "status_note"]
    summary = case_summary.case_summary(before.reset_index(), model, NINE, model.statements)
    assert summary.status_counts == {"In U.S. custody": 9}
    on_the_day = by_member(cases.case_table(model, NINE, model.statements, as_of=date(2025, 3, 15)))
    assert on_the_day.loc[LOPEZ, "status"] == "Deported to El Salvador"
    # Nothing dated before the call: López has no status; undated rows still speak for the others.
    early = by_member(cases.case_table(model, NINE, model.statements, as_of=date(2024, 12, 31)))
    assert early.loc[LOPEZ, "status"] == cases.STATUS_NONE
    assert early.loc[UNNAMED[0], "status"] == "In U.S. custody"
    assert "moved to dismiss" not in early.loc[LOPEZ, "court"], "columns show what was known by then"


def test_without_undated_statements_status_comes_from_dated_rows(model):
    table = by_member(cases.case_table(model, NINE, model.statements, include_undated=False))
    assert table.loc[LOPEZ, "status"] == "Deported to El Salvador"
    rest = table.drop(index=[LOPEZ, CANALES])
    assert (rest["status_detail"] == "imprisoned").all() and (rest["status_id"] == "s006").all()
    # Weakest link (issue 11): the stated group row gives a man who is in the group only by inference
    # an inferred status, never a stated one.
    assert table.loc[AREVALO, "status_certainty"] == "inferred"
    assert "by a statement that is inferred" in table.loc[AREVALO, "status_note"]
    assert table.loc[LOPEZ, "status_certainty"] == "stated"
    # His cooperation "once in U.S. custody" is bounded (2022 or later); every other cooperation row is undated.
    assert table.loc[CANALES, "cooperation"] == "Stated"
    assert (table.drop(index=CANALES)["cooperation"] == cases.NOT_REPORTED).all()


def test_status_statements_can_differ_from_the_evidence(model):
    """The page lets sides narrow the evidence columns but not the status."""
    evidence = model.statements[model.statements["relation_type"] != "custody"]
    table = by_member(cases.case_table(model, NINE, evidence, status_from=model.statements))
    assert table.loc[LOPEZ, "status"] == "Deported to El Salvador"
    assert table.loc[LOPEZ, "custody"] == ""


def test_people_narrow_the_rows_not_the_group(model):
    table = cases.case_table(model, NINE, model.statements)
    assert cases.narrow_to_people(table, NINE, (AREVALO, "Marco Rubio"))["member"].tolist() == [AREVALO]
    assert cases.narrow_to_people(table, NINE, ("Marco Rubio",)).empty
    assert len(cases.narrow_to_people(table, NINE, (NINE,))) == 9
    assert len(cases.narrow_to_people(table, NINE, ())) == 9


def test_member_statements_include_his_groups_but_not_other_members(model):
    rows = cases.member_statements(model, LOPEZ, model.statements)
    ids = rows["id"].tolist()
    assert {"s028", "s030", "s031", "s066", "s090", "s092", "s006", "s027"} <= set(ids)
    assert "s029" not in ids, "withdrawn on 2026-11-25 (corrections log)"
    assert "s032" not in ids and "s088" not in ids, "another man's membership row is about him"
    assert rows.set_index("id").loc["s006", "about"] == "the group “The nine men Bukele requested”"
    assert rows.set_index("id").loc["s031", "about"] == LOPEZ
    dated = rows["date_start"].notna()
    assert dated.tolist() == sorted(dated.tolist(), reverse=True), "dated rows first, then undated ones"
    assert rows.loc[dated, "date_start"].is_monotonic_increasing


def test_the_input_is_never_mutated(model):
    before = model.statements.copy()
    table = cases.case_table(model, NINE, model.statements, as_of=date(2025, 3, 14))
    case_summary.case_summary(table, model, NINE, model.statements)
    cases.member_statements(model, CANALES, model.statements)
    pd.testing.assert_frame_equal(model.statements, before)


# --- changing a statement changes the table ---------------------------------------------------------


def test_a_changed_status_row_changes_the_status_and_the_counts(story_copy):
    changed = changed_model(
        story_copy,
        {"s033": {"date": "2025-04", "status": "Deported to El Salvador; returned in April"}},
    )
    table = by_member(cases.case_table(changed, NINE, changed.statements))
    man = table.loc[UNNAMED[0]]
    assert (man["status"], man["status_detail"]) == ("Deported to El Salvador", "returned in April")
    assert (man["status_as_of"], man["status_as_of_precision"]) == ("As of April 2025, first reported", "month")
    summary = case_summary.case_summary(table.reset_index(), changed, NINE, changed.statements)
    assert summary.status_counts == {"In U.S. custody": 7, "Deported to El Salvador": 2}
    # Before April he was still held, as the group row of 13 March says.
    march = by_member(cases.case_table(changed, NINE, changed.statements, as_of=date(2025, 3, 31)))
    assert march.loc[UNNAMED[0], "status"] == "In U.S. custody"


def test_an_added_statement_changes_the_table(story_copy):
    base = {key: "" for key in bundled_rows()[0]}
    released = {
        **base,
        "id": "s900",
        "statement_type": "event",
        "subject": AREVALO,
        "relation": "has his deportation on hold in the",
        "object": "United States",
        "relation_type": "custody",
        "summary": "Arévalo Chávez's deportation remains on hold.",
        "quote": "whose deportation remains on hold.",
        "source": "rubio-bukele-ms13-deal.txt",
        "attribution": "The article",
        "certainty": "stated",
        "status": "Deportation on hold; stated in a new row",
    }
    cooperation = {
        **released,
        "id": "s901",
        "relation": "cooperated with",
        "object": "[U.S. prosecutors]",
        "relation_type": "cooperation",
        "summary": "A test row saying he cooperated.",
        "quote": "Arévalo Chávez has told the court",
        "status": "",
    }
    changed = changed_model(story_copy, {}, extra=[released, cooperation])
    table = by_member(cases.case_table(changed, NINE, changed.statements))
    # Undated and stated: it beats the inferred s098.
    assert table.loc[AREVALO, ["status", "status_id"]].tolist() == ["Deportation on hold", "s900"]
    assert table.loc[AREVALO, "cooperation"] == "Stated"
    summary = case_summary.case_summary(table.reset_index(), changed, NINE, changed.statements)
    assert summary.status_counts == {"In U.S. custody": 7, "Deported to El Salvador": 1, "Deportation on hold": 1}
    assert summary.cooperating == 2


def test_a_membership_removed_removes_the_row(story_copy):
    changed = changed_model(story_copy, {"s096": {"relation_type": "other"}})
    table = cases.case_table(changed, NINE, changed.statements)
    assert len(table) == 8 and AREVALO not in table["member"].tolist()


# --- a crafted story: hostile text, spreadsheet safety ------------------------------------------------

HOSTILE_NAME = '=HYPERLINK("http://evil.example","click")'
SCRIPT_NAME = "<img src=x onerror=alert(1)>"
CRAFTED_SOURCE = (
    "The men the minister asked for were held in Texas on May 1.\n"
    f"One of them, {HOSTILE_NAME}, was released on May 2.\n"
    f"The other, {SCRIPT_NAME}, cooperated with prosecutors, who say -he +paid @them.\n"
)


def crafted_rows() -> list[dict[str, str]]:
    """A group of three: a formula-like name, an HTML-like name and an unnamed man."""
    base = {key: "" for key in bundled_rows()[0]}
    common = {**base, "source": "story.txt", "attribution": "The article", "certainty": "stated"}
    group = "[The men the minister asked for]"
    profile = {**common, "statement_type": "profile", "relation": "is one of", "object": group}
    profile["relation_type"] = "affiliation"
    return [
        {
            **common,
            "id": "c1",
            "statement_type": "profile",
            "subject": group,
            "relation": "is",
            "relation_type": "affiliation",
            "summary": "The men the minister asked for.",
            "quote": "The men the minister asked for",
            "kind": "group",
            "side": "MS-13",
        },
        {
            **common,
            "id": "c2",
            "statement_type": "event",
            "date": "2025-05-01",
            "subject": group,
            "relation": "were held in Texas",
            "relation_type": "custody",
            "summary": "The men were held in Texas.",
            "quote": "were held in Texas on May 1",
            "status": "In custody; held in Texas",
        },
        {
            **profile,
            "id": "c3",
            "subject": HOSTILE_NAME,
            "summary": "One of the men.",
            "quote": f"One of them, {HOSTILE_NAME}",
            "kind": "person",
            "side": "MS-13",
        },
        {
            **profile,
            "id": "c4",
            "subject": SCRIPT_NAME,
            "summary": "The other man.",
            "quote": f"The other, {SCRIPT_NAME}",
            "kind": "person",
            "side": "MS-13",
        },
        {
            **profile,
            "id": "c5",
            "subject": "[Unnamed man]",
            "summary": "-A man the source does not name.",
            "quote": "The men the minister asked for",
            "certainty": "inferred",
            "note": "+The source speaks of men in the plural.",
            "kind": "person",
            "side": "MS-13",
        },
        {
            **common,
            "id": "c6",
            "statement_type": "event",
            "date": "2025-05-02",
            "subject": HOSTILE_NAME,
            "relation": "was released",
            "relation_type": "custody",
            "summary": "=1+1 was released on May 2.",
            "quote": "was released on May 2",
            "status": "Released; on May 2",
        },
        {
            **common,
            "id": "c7",
            "statement_type": "event",
            "subject": SCRIPT_NAME,
            "relation": "cooperated with prosecutors",
            "relation_type": "cooperation",
            "summary": "@SUM(1) cooperated with prosecutors.",
            "quote": "cooperated with prosecutors, who say -he +paid @them.",
        },
    ]


@pytest.fixture
def crafted(make_dataset):
    path = make_dataset(rows=crafted_rows(), source_text=CRAFTED_SOURCE)
    checked = check_dataset(path)
    assert checked.ok, [str(p) for p in checked.problems if p.is_error]
    return path, build_model(checked.frame)


def test_crafted_story_builds_its_own_table(crafted):
    _, model = crafted
    group = cases.tracked_groups(model)[0]
    assert group == "[The men the minister asked for]"
    table = by_member(cases.case_table(model, group, model.statements))
    assert table.loc[HOSTILE_NAME, ["status", "status_detail"]].tolist() == ["Released", "on May 2"]
    assert table.loc[SCRIPT_NAME, "status"] == "In custody"
    assert table.loc["[Unnamed man]", "name"] == names.UNNAMED_TEXT
    summary = case_summary.case_summary(table.reset_index(), model, group, model.statements)
    assert summary.status_counts == {"Released": 1, "In custody": 2}
    assert (summary.named, summary.unnamed, summary.cooperating) == (2, 1, 1)


def test_spreadsheet_safe_neutralises_formula_starts():
    frame = pd.DataFrame(
        {
            "text": ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "a=b", "", "César"],
            "number": [-1, 2, 3, 4, 5, 6, 7, 8, 9],
        }
    )
    safe = spreadsheet.spreadsheet_safe(frame)
    assert safe["text"].tolist() == ["'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\tx", "'\rx", "a=b", "", "César"]
    assert safe["number"].tolist() == frame["number"].tolist(), "numbers are values, not formulas"
    assert frame["text"].iloc[0] == "=1+1", "the input is not mutated"


def test_csv_download_is_spreadsheet_safe_and_readable(crafted):
    _, model = crafted
    group = cases.tracked_groups(model)[0]
    data = spreadsheet.csv_bytes(cases.export_frame(cases.case_table(model, group, model.statements)))
    assert data.startswith(b"\xef\xbb\xbf"), "a BOM so Excel reads UTF-8"
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) == 3
    for row in rows:
        for value in row.values():
            assert not value.startswith(spreadsheet.FORMULA_STARTS), value
    hostile = next(r for r in rows if r["Listed in the data as"].endswith('"click")'))
    assert hostile["Name"] == "'" + HOSTILE_NAME
    assert hostile["Custody history"].startswith("1 May 2025 — "), "a harmless cell is left as it is"
    unnamed = next(r for r in rows if r["Name"] == names.UNNAMED_TEXT)
    assert unnamed["Curator's note"] == "'+The source speaks of men in the plural."
    script = next(r for r in rows if r["Name"] == SCRIPT_NAME)
    assert script["Cooperation as sourced"].startswith("'@SUM(1)")


def test_bundled_csv_has_nine_rows_with_accents(model):
    data = spreadsheet.csv_bytes(cases.export_frame(cases.case_table(model, NINE, model.statements)))
    frame = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", keep_default_na=False)
    assert len(frame) == 9 and list(frame.columns) == list(cases.COLUMN_LABELS.values())
    assert frame["Name"].tolist().count(names.UNNAMED_TEXT) == 6
    assert f"Vladimir Arévalo Chávez{cases.LINKED_BY_INFERENCE}" in frame["Name"].tolist()
    assert (
        cases.csv_file_name(NINE, date(2025, 3, 14)) == "case-status-the-nine-men-bukele-requested-as-of-2025-03-14.csv"
    )


# --- the page --------------------------------------------------------------------------------------


def case_frame(at) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if "Custody status" in d.value.columns)


def test_page_shows_nine_rows_and_the_summary(open_page):
    at = open_page("cases")
    frame = case_frame(at)
    assert len(frame) == 9
    assert frame["Name"].tolist().count(names.UNNAMED_TEXT) == 6
    assert frame.set_index("Listed in the data as").loc[LOPEZ, "Custody status"] == "Deported to El Salvador"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Members"] == "9"
    named = ("Named in the source as one of them", "Linked by inference", "Not identified")
    assert [metrics[label] for label in named] == ["1", "2", "6"]
    assert metrics["Sourced individually as cooperating"] == "1"
    group_tile = next(m for m in at.metric if m.label == "Cooperation, for the group as a whole")
    assert (group_tile.value, group_tile.delta) == ("At least three", "per officials")
    assert metrics[ui.escape_markdown("In U.S. custody")] == "8"
    assert metrics["Deported to El Salvador"] == "1"
    text = page_text(at)
    assert "At least three of the nine men Bukele requested" in text and "according to officials" in text
    assert "Custody status as of the reporting" in text
    assert "./sources?statement=s031#quote-s031" in text, "view in source links"
    # The export panel's Size is built only once the panel is opened.
    assert [s.label for s in at.selectbox] == ["Group", "Open the statements about"]


def test_page_end_date_gives_the_status_as_of_that_date(open_page):
    at = open_page("cases", end="2025-03-14")
    frame = case_frame(at).set_index("Listed in the data as")
    assert frame.loc[LOPEZ, "Custody status"] == "In U.S. custody"
    metrics = {m.label: m.value for m in at.metric}
    assert "Deported to El Salvador" not in metrics and metrics[ui.escape_markdown("In U.S. custody")] == "9"
    assert "Custody status as of **2025-03-14**, the end of the date filter" in page_text(at)


def test_page_person_filter_narrows_rows_not_the_figures(open_page):
    at = open_page("cases", person="Vampiro")
    frame = case_frame(at)
    assert frame["Listed in the data as"].tolist() == [AREVALO]
    assert {m.label: m.value for m in at.metric}["Members"] == "9"
    assert "Showing 1 of 9 members" in page_text(at)


def test_page_person_outside_the_group_gets_an_empty_state(open_page):
    at = open_page("cases", person="Marco Rubio")
    assert not [d for d in at.dataframe if "Custody status" in d.value.columns]
    assert any("None of the people chosen in the filter" in i.value for i in at.info)


def test_page_certainty_filter_narrows_the_status(open_page):
    at = open_page("cases", certainty="stated")
    frame = case_frame(at).set_index("Listed in the data as")
    # Without the inferred rows nothing gives his status: even the group's custody on 13 March is
    # inferred from "imprisoned" and the promise to hand them over (s006).
    assert frame.loc[AREVALO, "Custody status"] == cases.STATUS_NONE
    assert frame.loc[LOPEZ, "Custody status"] == "Deported to El Salvador"
    assert frame.loc[LOPEZ, "Cooperation"] == cases.NOT_REPORTED


def test_page_sides_narrow_the_evidence_not_the_status(open_page):
    at = open_page("cases", side="U.S. law enforcement and courts")
    lopez = case_frame(at).set_index("Listed in the data as").loc[LOPEZ]
    assert lopez["Custody status"] == "Deported to El Salvador"
    # The task force's indictment involves a law-enforcement side; his own charge row (s030) does not.
    assert "task force's 2021 indictment" in lopez["Charges and case"]
    assert "directing MS-13's U.S. operations" not in lopez["Charges and case"]


def test_page_opens_one_mans_statements_and_switches_group(open_page):
    at = open_page("cases")
    at.selectbox(key="member").set_value(AREVALO).run()
    assert not at.exception
    text = page_text(at)
    assert "deportation would mean certain torture or death" in text
    assert "./sources?statement=s099#quote-s099" in text
    at.selectbox(key="member").set_value(CANALES).run()
    # The inference is the curator's, from the article; the investigator's words are the evidence.
    text = page_text(at)
    assert "inferred, according to the article: “Once in U\\.S\\. custody, Canales Rivera agreed to cooperate" in text
    assert "‘If he’s sent back to El Salvador, the entire case could fall apart,’ said a current" in text
    at.selectbox(key="group").set_value("[At least four MS-13 figures charged by U.S. prosecutors]").run()
    assert not at.exception
    assert case_frame(at)["Listed in the data as"].tolist() == [CANALES]


def test_page_escapes_hostile_names(crafted, monkeypatch, open_page):
    path, _ = crafted
    monkeypatch.setenv(ui.ENV_VAR, str(path))
    at = open_page("cases")
    frame = case_frame(at)
    assert SCRIPT_NAME in frame["Name"].tolist(), "the table shows the name as text"
    at.selectbox(key="member").set_value(SCRIPT_NAME).run()
    assert not at.exception
    shown = "\n".join(str(e.value) for e in [*at.markdown, *at.caption])
    assert "<img" not in shown and "&lt;img src=x onerror=alert\\(1\\)&gt;" in shown


# --- issue 11: derived claims go no further than the source ------------------------------------------


@pytest.mark.parametrize("seed", [1, 7, 42, 2026])
def test_shuffled_rows_give_the_same_table_and_tiles(story_copy, seed):
    """The order of rows in the file decides nothing: not the rows, not a status, not a tile."""
    import random

    base = changed_model(story_copy, {})
    rows = bundled_rows()
    random.Random(seed).shuffle(rows)
    shuffled = build_model(check_dataset(story_copy(rows)).frame)
    for kwargs in ({}, {"include_undated": False}, {"as_of": date(2025, 3, 14)}):
        expected = cases.case_table(base, NINE, base.statements, **kwargs)
        got = cases.case_table(shuffled, NINE, shuffled.statements, **kwargs)
        pd.testing.assert_frame_equal(got, expected)
        want = case_summary.case_summary(expected, base, NINE, base.statements)
        have = case_summary.case_summary(got, shuffled, NINE, shuffled.statements)
        assert (have.status_counts, have.cooperation, have.group_figures) == (
            want.status_counts,
            want.cooperation,
            want.group_figures,
        )
        assert list(have.status_counts) == list(want.status_counts), "tiles in the same order"
        assert have.group_cooperation["id"].tolist() == want.group_cooperation["id"].tolist()
    assert cases.tracked_groups(shuffled) == cases.tracked_groups(base)


def test_lopez_larios_is_never_shown_as_a_possible_informant(model):
    about_him = model.statements[(model.statements["subject"] == LOPEZ) | (model.statements["object"] == LOPEZ)]
    assert not (about_him["relation_type"] == "cooperation").any()
    assert not about_him["summary"].str.contains("informa", case=False).any()
    assert "s029" not in set(model.statements["id"])


def test_weakest_link_a_group_status_is_no_surer_than_the_membership(story_copy):
    """A stated status about the group, for a man in it only by inference, is inferred; recode his
    membership as stated and the same status becomes stated."""
    only_group_status = {i: {"status": ""} for i in ("s089", "s097", "s098", "s075")}
    weak = by_member(cases.case_table(m := changed_model(story_copy, only_group_status), NINE, m.statements))
    assert weak.loc[AREVALO, ["status_id", "status_certainty"]].tolist() == ["s006", "inferred"]
    stated_group_row = {"s006": {"certainty": "stated", "note": ""}}  # as if the source said where they were held
    weak = by_member(cases.case_table(m := changed_model(story_copy, {**only_group_status, **stated_group_row}),
                                      NINE, m.statements))  # fmt: skip
    assert weak.loc[AREVALO, ["status_id", "status_certainty"]].tolist() == ["s006", "inferred"]
    sure = changed_model(
        story_copy, {**only_group_status, **stated_group_row, "s096": {"certainty": "stated", "note": ""}}
    )
    table = by_member(cases.case_table(sure, NINE, sure.statements))
    assert table.loc[AREVALO, ["status_id", "status_certainty"]].tolist() == ["s006", "stated"]


def test_as_of_unless_the_row_begins_the_status(story_copy):
    as_of = by_member(cases.case_table(m := changed_model(story_copy, {"s031": {"status_begins": ""}}), NINE,
                                       m.statements))  # fmt: skip
    assert as_of.loc[LOPEZ, "status_as_of"] == "As of 15 March 2025 (year inferred), first reported"
    table = by_member(cases.case_table(m := changed_model(story_copy, {}), NINE, m.statements))
    assert table.loc[LOPEZ, "status_as_of"] == "Since 15 March 2025 (year inferred)"
    for text in table["status_as_of"]:
        assert text.startswith(("As of ", "Since ")) and "first reported" in text or text.startswith("Since ")


def test_equal_statements_that_disagree_are_flagged_not_settled_by_file_order(story_copy):
    """Two undated, inferred status rows about Canales Rivera that disagree: a fixed rule picks one,
    whatever the file order, and the note says they disagree."""
    clash = {
        "s089": {"status": "Released; a test row"},
        "s097": {"subject": CANALES, "status": "In U.S. custody; a test row"},
        "s098": {"status": ""},
    }
    forward = changed_model(story_copy, clash)
    table = by_member(cases.case_table(forward, NINE, forward.statements))
    assert "different statuses" in table.loc[CANALES, "status_note"]
    reversed_rows = [{**row, **clash.get(row["id"], {})} for row in reversed(bundled_rows())]
    backward = build_model(check_dataset(story_copy(reversed_rows)).frame)
    again = by_member(cases.case_table(backward, NINE, backward.statements))
    assert again.loc[CANALES, ["status", "status_id"]].tolist() == table.loc[CANALES, ["status", "status_id"]].tolist()


def test_alt_text_splits_named_linked_and_unidentified(model):
    from dashboard.derive import describe

    table = cases.case_table(model, NINE, model.statements)
    figures = case_summary.case_summary(table, model, NINE, model.statements).group_figures
    text = describe.cases(table, NINE, "the reporting", figures)
    assert "1 named in the source as one of them, 2 linked to the group only by inference, 6 not identified" in text
    assert "for the group as a whole, at least three, according to officials, none of them named" in text
    assert "3 named" not in text


def test_a_count_says_when_it_rests_on_an_inferred_membership(model):
    """Issue 26: the one man sourced individually as cooperating, Canales Rivera, is one of the nine
    only by inference; the tile, the expander and the alt text say so, and the alt text puts what the
    source says of the group as a whole beside the count, with who says it."""
    table = cases.case_table(model, NINE, model.statements)
    summary = case_summary.case_summary(table, model, NINE, model.statements)
    assert summary.cooperating == 1 and summary.cooperating_by_inference == [CANALES]
    text = describe.cases(table, NINE, "the reporting", summary.group_figures, summary.group_facts)
    assert "1 member sourced individually as cooperating" in text
    assert "1 man linked to the group only by inference" in text
    assert "Several of the nine men were confidential informants working with U.S. law enforcement" in text
    assert "at least three of the nine men had provided incriminating information" in text
    assert "(according to officials, alleged)" in text and "(according to the article, stated)" in text


def test_page_cooperation_tile_names_its_inferred_membership(open_page):
    at = open_page("cases")
    tile = next(m for m in at.metric if m.label.startswith("Sourced individually"))
    assert tile.value == "1" and tile.proto.delta == "1 man linked to the group only by inference"
    assert "cooperation stated; in the group only by inference" in page_text(at)


def test_page_table_shows_the_readers_columns_and_every_column_is_one_click_away(open_page):
    at = open_page("cases")
    table = next(d for d in at.dataframe if "Custody status" in d.value.columns)
    shown = list(table.proto.column_order)
    assert shown == [cases.COLUMN_LABELS[c] for c in cases.READER_COLUMNS] and len(shown) <= 8
    assert "Name" in shown and "Custody status" in shown and "Status detail" not in shown
    at.toggle(key="cases_all_columns").set_value(True).run()
    assert not at.exception
    table = next(d for d in at.dataframe if "Custody status" in d.value.columns)
    assert not list(table.proto.column_order)  # every column


def test_page_lists_a_mans_first_statements_and_the_others_on_request(open_page, monkeypatch):
    """Each statement is a card of several elements for the browser to draw: a long list opens with
    the first ones (in the same order) and says how many more one toggle shows."""
    from dashboard.app import ui

    def listed(at) -> list[str]:
        return re.findall(r"statement=(s\d+)#", " ".join(c.value for c in at.caption if "view in source" in c.value))

    at = open_page("cases")
    at.selectbox(key="member").set_value(AREVALO).run()
    every = listed(at)
    key = f"cases_all_statements_{AREVALO}"
    assert len(every) > 5 and key not in [t.key for t in at.toggle]  # all listed: no toggle
    monkeypatch.setattr(ui, "LISTED_FIRST", 5)
    at.run()
    assert listed(at) == every[:5]
    toggle = at.toggle(key=key)
    assert toggle.label == f"Show the other {len(every) - 5} statements"
    toggle.set_value(True).run()
    assert listed(at) == every and not at.exception
