"""The model: frames the views share, derived from the statements alone."""

import pandas as pd
from helpers import small_rows

from dashboard.model import build_model, events, relations
from dashboard.validation import check_dataset


def test_statements_carry_parsed_dates(model):
    call = model.statements.set_index("id").loc["s010"]
    assert call["date_start"] == pd.Timestamp("2025-03-13") and call["precision"] == "day"
    assert call["date_inferred"] and call["date_display"] == "13 March 2025 (inferred)"
    undated = model.statements[model.statements["date"] == ""]
    assert undated["date_start"].isna().all() and (undated["precision"] == "unknown").all()


def test_entities_have_kind_side_aliases_and_counts(model):
    vampiro = model.entities.loc["Vladimir Arévalo Chávez"]
    assert (vampiro["kind"], vampiro["side"]) == ("person", "MS-13")
    assert vampiro["display"] == "Vladimir Arévalo Chávez (Vampiro)"
    assert (
        vampiro["statements"]
        == ((model.statements["subject"] == vampiro.name) | (model.statements["object"] == vampiro.name)).sum()
    )
    assert (model.entities["kind"] != "").all() and (model.entities["side"] != "").all()


def test_unnamed_entities_are_flagged(model):
    unnamed = model.entities[model.entities["unnamed"]]
    assert "[Unnamed requested man 6]" in unnamed.index
    assert not model.entities.at["Marco Rubio", "unnamed"]


def test_memberships_come_from_affiliation_rows_to_groups(model):
    assert set(model.groups_of("Elmer Canales Rivera")) == {
        "[The nine men Bukele requested]",
        "[At least four MS-13 figures charged by U.S. prosecutors]",
    }
    assert model.groups_of("Marco Rubio") == []


def test_events_and_relations(model):
    assert (events(model.statements)["statement_type"] != "profile").all()
    assert (relations(model.statements)["object"] != "").all()


def test_the_model_follows_the_data(make_dataset):
    """Change a statement and the model changes: nothing is hard-coded."""
    rows = small_rows()
    rows[2]["date"] = "2023-07"
    model = build_model(check_dataset(make_dataset(rows=rows)).frame)
    row = model.statements.set_index("id").loc["t3"]
    assert row["precision"] == "month" and row["date_display"] == "July 2023"
    assert model.entities.at["Luis Gómez", "display"] == "Luis Gómez (El Vocero)"
