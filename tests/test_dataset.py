"""The curated dataset against the journalism rules: verbatim, attributed, honest about dates and names."""

from __future__ import annotations

import re

import pytest

from dashboard.dataset.schema import REPO_ROOT
from dashboard.names import is_placeholder

SEEDS = REPO_ROOT / "seeds"
NINE = "[The nine men Bukele requested]"


def flat(text: str) -> str:
    return " ".join(text.split())


def test_every_quote_is_verbatim_in_its_source(curated):
    """Independent of the checker: each passage, whitespace collapsed, is a substring of the file."""
    for row in curated.frame.itertuples():
        source = flat((SEEDS / row.source).read_text(encoding="utf-8"))
        for part in row.quote.split("[…]"):
            assert flat(part) in source, f"{row.id}: {part!r}"


def test_every_row_is_attributed_and_summarised(curated):
    assert (curated.frame["attribution"] != "").all()
    assert (curated.frame["summary"].str.len() > 20).all()


@pytest.mark.parametrize(
    "name",
    [
        "Marco Rubio",
        "Nayib Bukele",
        "Pam Bondi",
        "Donald Trump",
        "Douglas Farah",
        "Tommy Pigott",
        "Gates McGavick",
        "Damian Merlo",
        "César López Larios",
        "Elmer Canales Rivera",
        "Carlos Marroquín",
        "Osiris Luna",
        "Joan Azrack",
        "Vladimir Arévalo Chávez",
        "Daniel Brunner",
        "CECOT",
        "MS-13",
        "Joint Task Force Vulcan",
        "Justice Department",
        "State Department",
        "The Washington Post",
        "FBI",
        "White House",
        "Trump administration",
        "Salvadoran government",
        "Bukele's office",
        "El Salvador",
        "Mexico",
        "San Salvador",
        "United States",
    ],
)
def test_everyone_the_source_names_is_in_the_data(model, name):
    assert name in model.entities.index


def test_every_named_person_is_named_in_the_source(model):
    """No invented names: every non-placeholder person's name appears in the source."""
    text = (SEEDS / "rubio-bukele-ms13-deal.txt").read_text(encoding="utf-8")
    people = model.entities[(model.entities["kind"] == "person") & ~model.entities["unnamed"]]
    for name in people.index:
        assert name in text, name


def test_the_nine_are_three_known_and_six_unnamed(model):
    members = model.members_of(NINE)
    assert len(members) == 9
    named = [m for m in members["member"] if not is_placeholder(m)]
    assert sorted(named) == ["César López Larios", "Elmer Canales Rivera", "Vladimir Arévalo Chávez"]
    certainty = dict(zip(members["member"], members["certainty"]))
    assert certainty["César López Larios"] == "stated"
    assert certainty["Elmer Canales Rivera"] == certainty["Vladimir Arévalo Chávez"] == "inferred"
    assert sum(is_placeholder(m) for m in members["member"]) == 6


def test_aliases_from_the_source(model):
    assert "Crook de Hollywood" in model.entities.at["Elmer Canales Rivera", "aliases"]
    assert "Vampiro" in model.entities.at["Vladimir Arévalo Chávez", "aliases"]


def test_dates_keep_their_precision(model):
    by_label = model.statements.set_index("label")
    assert by_label.at["2021 indictment", "precision"] == "year"
    assert by_label.at["2022 indictment unsealed", "precision"] == "year"
    assert by_label.at["Rubio–Bukele call", "date"] == "2025-03-13"
    assert by_label.at["López Larios deported", "date"] == "2025-03-15"
    assert by_label.at["Motion to dismiss López Larios case", "date"] == "2025-03-11"


def test_years_the_source_does_not_print_are_marked_inferred(model):
    """The source prints no year for the March events: every 2025 date carries a note."""
    text = (SEEDS / "rubio-bukele-ms13-deal.txt").read_text(encoding="utf-8")
    assert "2025" not in text
    dated_2025 = model.statements[model.statements["date"].str.startswith("2025")]
    assert len(dated_2025) >= 5
    assert dated_2025["date_inferred"].all()
    assert dated_2025["date_note"].str.contains("2025").all()


def test_printed_years_are_not_marked_inferred(model):
    for year in ("2021", "2022"):
        rows = model.statements[model.statements["date"] == year]
        assert not rows.empty and not rows["date_inferred"].any()


def test_inferred_rows_explain_themselves(model):
    inferred = model.statements[model.statements["certainty"] == "inferred"]
    assert len(inferred) >= 5 and (inferred["note"].str.len() > 30).all()


def test_denials_and_non_responses_are_kept(model):
    statements = model.statements
    assert (statements["certainty"] == "denied").any()
    assert statements["quote"].str.contains("lies invented by corrupt prosecutors").any()
    assert statements["relation"].str.contains("did not respond").sum() >= 3


def test_allegations_are_attributed_and_worded_as_allegations(model):
    alleged = model.statements[model.statements["certainty"] == "alleged"]
    assert len(alleged) >= 5
    assert (alleged["attribution"] != "").all()
    wording = " ".join(model.statements["summary"]) + " ".join(model.statements["relation"])
    assert not re.search(r"alleged (gang|MS-13) (leader|member)", wording, flags=re.IGNORECASE)


def test_ids_are_stable_and_unique(curated):
    ids = curated.frame["id"]
    assert ids.is_unique and ids.str.fullmatch(r"s\d{3}").all()


# --- issue 11: an honest date model, the rubric, the corrections log ---------------------------------


def test_the_denial_is_dated_beside_the_allegation_it_answers(model):
    rows = model.statements.set_index("id")
    allegation, denial = rows.loc["s069"], rows.loc["s070"]
    assert denial["certainty"] == "denied" and denial["date"] == "2022/.."
    assert denial["date_start"] == allegation["date_start"] and denial["date_open"] == "end"
    assert denial["date_inference"] == "date" and "2022" in denial["date_note"]


def test_relative_dates_are_bounded_and_say_what_is_inferred(model):
    rows = model.statements
    # "soon after", "later", "subsequent", "at the time of": bounded, the whole date inferred.
    relative = rows[rows["date_note"].str.contains("soon after|“later”|subsequent|at the time of", regex=True)]
    assert len(relative) >= 7
    assert (relative["precision"] == "range").all() and (relative["date_inference"] == "date").all()
    # Printed "March 13", "March 11", "two days after": only the year is inferred.
    for ident in ("s010", "s013", "s031", "s090"):
        assert rows.set_index("id").at[ident, "date_inference"] == "year", ident
    assert (rows.loc[rows["date"] == "", "date_inference"] == "none").all()


def test_unnamed_sourcing_is_never_a_stated_fact(model):
    """What unnamed officials or sources say about others is alleged, never stated."""
    rows = model.statements.set_index("id")
    for ident in ("s010", "s013", "s014", "s027", "s108", "s112"):
        assert rows.at[ident, "certainty"] == "alleged", ident
    stated = model.statements[model.statements["certainty"] == "stated"]
    by_officials = stated[stated["attribution"].str.contains(r"\bofficials\b|\bsources\b", regex=True)]
    assert by_officials.empty, by_officials["id"].tolist()


def test_the_corrections_log_is_dated_and_names_real_rows(model):
    codebook = (REPO_ROOT / "data" / "README.md").read_text(encoding="utf-8")
    log = codebook.split("## Corrections", 1)[1]
    assert re.search(r"^### 2026-11-25 ", log, flags=re.MULTILINE)
    assert re.search(r"^### 2026-12-04 .*issue 26", log, flags=re.MULTILINE)
    named = set(re.findall(r"\bs\d{3}\b", log))
    ids = set(model.statements["id"])
    assert named - ids == {"s029"}, "only withdrawn rows are missing from the data"
    assert "s029 withdrawn" in log
    for ident in ("s108", "s070", "s028", "s010", "s001", "s006", "s087", "s093", "s101", "s109", "s116", "s117"):
        assert ident in named
