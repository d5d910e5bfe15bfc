"""The model: frames the views share, derived from the statements alone."""

import pandas as pd
from helpers import small_rows
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.dataset.model import build_model, events, natural_key, relations, with_dates
from dashboard.dataset.validation import check_dataset


def test_statements_carry_parsed_dates(model):
    call = model.statements.set_index("id").loc["s010"]
    assert call["date_start"] == pd.Timestamp("2025-03-13") and call["precision"] == "day"
    assert call["date_inferred"] and call["date_display"] == "13 March 2025 (year inferred)"
    assert call["date_inference"] == "year"  # issue 11: the source prints "March 13"; only the year is inferred
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


def test_every_event_has_bounds_precision_and_what_is_inferred(make_dataset):
    """Issue 11: the model gives every view start, end, open bound, precision and what is inferred."""
    rows = small_rows()
    rows[0].update(date="2025-03-11", date_inference="year")
    rows[1].update(date="2022/..", date_note="“Soon after” the 2022 unsealing.", date_inference="date")
    rows[2].update(date="2021/2022-06")
    statements = build_model(check_dataset(make_dataset(rows=rows)).frame).statements.set_index("id")
    assert statements.loc["t1", ["precision", "date_inference", "date_open"]].tolist() == ["day", "year", ""]
    assert statements.at["t1", "date_display"] == "11 March 2025 (year inferred)"
    open_end = statements.loc["t2"]
    assert (open_end["precision"], open_end["date_open"], open_end["date_inference"]) == ("range", "end", "date")
    assert open_end["date_start"] == pd.Timestamp("2022-01-01") and pd.isna(open_end["date_end"])
    assert open_end["date_display"] == "2022 or later (inferred)"
    bounded = statements.loc["t3"]
    assert (bounded["date_start"], bounded["date_end"]) == (pd.Timestamp("2021-01-01"), pd.Timestamp("2022-06-30"))
    assert bounded["date_inference"] == "none" and not bounded["date_inferred"]


def test_a_note_without_a_code_reads_as_the_whole_date_inferred(make_dataset):
    """Older datasets: a date_note alone still marks the date inferred, as the whole date (the safe reading)."""
    statements = build_model(check_dataset(make_dataset()).frame).statements.set_index("id")
    assert statements.at["t1", "date_inference"] == "date" and statements.at["t1", "date_inferred"]
    assert statements.at["t2", "date_inference"] == "none"


def test_date_order_never_depends_on_row_position(bundled):
    frame = bundled.frame
    orders = []
    for seed in (1, 2, 3):
        shuffled = frame.sample(frac=1, random_state=seed).reset_index(drop=True)
        statements = build_model(shuffled).statements
        orders.append(statements.sort_values("date_order")["id"].tolist())
    assert orders[0] == orders[1] == orders[2]
    dated = build_model(frame).statements.sort_values("date_order")
    starts = dated["date_start"].fillna(dated["date_end"])
    assert starts.dropna().is_monotonic_increasing and starts.notna().iloc[: starts.notna().sum()].all()


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["s", "S", "", "x_", "a.b", "s1x"]),
            st.integers(0, 120),
            st.sampled_from(["", "2021", "2021-03", "2022/..", "../2020"]),
        ),
        max_size=25,
        unique_by=lambda t: f"{t[0]}{t[1]}",
    )
)
def test_date_order_sorts_ids_naturally_whatever_their_shape(rows):
    """The fast path (letters then a number) and the tuple path give the order of natural_key."""
    ids = [f"{letters}{number}" for letters, number, _ in rows]
    written = [date for _, _, date in rows]
    statements = with_dates(
        pd.DataFrame({"id": ids, "date": written, "date_note": "", "date_inference": ""}, dtype="str")
    )
    # The rows come back in natural id order (never the file's), with their dates.
    assert statements["id"].tolist() == sorted(ids, key=natural_key)
    by_id = statements.set_index("id")
    start = by_id["date_start"].fillna(by_id["date_end"])
    expected = sorted(
        by_id.index,
        key=lambda i: (
            start[i] if by_id.at[i, "date"] else pd.Timestamp.max,
            by_id.at[i, "date_end"] if not pd.isna(by_id.at[i, "date_end"]) else pd.Timestamp.max,
            natural_key(i),
        ),
    )
    assert statements.sort_values("date_order")["id"].tolist() == expected
