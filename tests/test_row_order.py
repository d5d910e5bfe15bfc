"""Nothing a reader sees depends on the order of the rows in the file (codebook rule 14, issue 26).

- A Hypothesis property over permutations of a small dataset: every view's text, alt text and every
  interchange export is byte-identical.
- Seeded shuffles of the bundled dataset: the chart exports (as the figure's JSON, which is what the
  SVG is drawn from, and the alt text), the case table CSV, the statements CSV/JSON/data package,
  FollowTheMoney and the graph formats are byte-identical; and the pages an AppTest runs show the
  same text.
"""

from __future__ import annotations

import csv
import io
import random
import shutil

import pytest
from helpers import SOURCE_NAME, SOURCE_TEXT, STORY, app, page_text, small_rows, to_csv
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.dataset.model import build_model
from dashboard.dataset.validation import check_dataset
from dashboard.derive import describe, overview
from dashboard.derive.context import open_context
from dashboard.exports import registry


class FigureJson:
    """Stands in for kaleido: the figure an SVG would be drawn from, as JSON text."""

    def render(self, figure, fmt, preset):
        return figure.to_json().encode("utf-8")


def _story_rows() -> list[dict[str, str]]:
    """The small dataset, plus rows that tie on date (the case the file order used to decide)."""
    rows = small_rows()
    base = {k: "" for k in rows[0]}
    tied = {**base, "source": SOURCE_NAME, "attribution": "The article", "certainty": "stated"}
    rows += [
        {**tied, "id": "t10", "statement_type": "event", "date": "2025-03-11/..", "date_note": "After the motion.",
         "subject": "Ministry", "relation": "regretted the motion against", "object": "Ana Pérez",
         "relation_type": "court", "summary": "The ministry later regretted it.", "label": "Regret",
         "quote": "On March 11, the ministry moved to dismiss the case against Ana Pérez."},
        {**tied, "id": "t4", "statement_type": "event", "date": "2025-03-11", "date_note": "Year inferred.",
         "subject": "Luis Gómez", "relation": "spoke for", "object": "Ministry", "relation_type": "response",
         "summary": "Gómez spoke the same day.", "label": "Same day",
         "quote": "“We deny everything,” said spokesman Luis Gómez, known as “El Vocero.”"},
        {**tied, "id": "t5", "statement_type": "event", "date": "2021", "subject": "Ana Pérez",
         "relation": "was named in", "relation_type": "charge", "summary": "Also in 2021.",
         "quote": "Prosecutors allege that Ana Pérez ran the network in 2021.", "certainty": "alleged",
         "attribution": "prosecutors"},
        {**tied, "id": "t6", "statement_type": "profile", "subject": "[The accused]", "relation": "is",
         "relation_type": "affiliation", "summary": "The accused.", "kind": "group", "side": "MS-13",
         "quote": "Prosecutors allege that Ana Pérez ran the network in 2021."},
        {**tied, "id": "t7", "statement_type": "profile", "subject": "Ana Pérez", "relation": "is one of",
         "object": "[The accused]", "relation_type": "affiliation", "summary": "She is one of them.",
         "quote": "Prosecutors allege that Ana Pérez ran the network in 2021."},
        {**tied, "id": "t8", "statement_type": "profile", "subject": "[Unnamed accused 1]", "relation": "is one of",
         "object": "[The accused]", "relation_type": "affiliation", "summary": "Another, not named.",
         "certainty": "inferred", "note": "Read from “the network”.", "kind": "person", "side": "MS-13",
         "quote": "Prosecutors allege that Ana Pérez ran the network in 2021."},
        {**tied, "id": "t9", "statement_type": "event", "subject": "[The accused]", "relation": "remain held in",
         "object": "Ministry", "relation_type": "custody", "summary": "They are held.",
         "status": "In custody; awaiting trial", "quote": "the case against Ana Pérez"},
        {**tied, "id": "t11", "statement_type": "event", "date": "2025-03-12", "date_note": "Year inferred.",
         "subject": "[The accused]", "relation": "were moved by", "object": "Ministry",
         "relation_type": "custody", "summary": "They were moved.", "status": "Moved; by the ministry",
         "quote": "the ministry moved to dismiss the case"},
    ]  # fmt: skip
    return rows


def _write(folder, rows=None, text=None):
    (folder / "data").mkdir(parents=True, exist_ok=True)
    (folder / "seeds").mkdir(exist_ok=True)
    if rows is not None:
        (folder / "seeds" / SOURCE_NAME).write_text(SOURCE_TEXT, encoding="utf-8")
        text = to_csv(rows)
    else:
        shutil.copy(REPO_SEED, folder / "seeds" / REPO_SEED.name)
    shutil.copy(STORY.parent / "datapackage.json", folder / "data" / "datapackage.json")
    path = folder / "data" / "statements.csv"
    path.write_text(text, encoding="utf-8")
    return path


REPO_SEED = STORY.parent.parent / "seeds" / "rubio-bukele-ms13-deal.txt"
QUERIES = ({}, {"start": ["2025-03-01"], "end": ["2025-03-31"]}, {"end": ["2025-03-14"]})


def everything(path, charts=("timeline", "cases"), queries=QUERIES) -> dict:
    """Every output a reader can take away from the dataset at `path`, as bytes: every export of the
    registry (images as their figure's JSON, which the SVG is drawn from) with its alt text, and the
    overview's key moments, date span and counts. `charts`: the chart views (and the story page)
    to include; the network's layout makes it slow on the whole dataset."""
    out = {}
    for query in queries:
        key = str(query)
        context = open_context(path, query)
        statements = context.statements
        out[key, "moments"] = repr(overview.key_moments(statements)[["id", "label"]].values.tolist()).encode()
        out[key, "span"] = repr(overview.date_span(statements)).encode()
        out[key, "counts"] = repr(overview.key_counts(context.model, statements)).encode()
        out[key, "timeline alt"] = describe.timeline(statements).encode()
        for (view, fmt), entry in registry.FORMATS.items():
            if view == "path" or (view in ("timeline", "network", "cases", "story") and view not in charts):
                continue
            if entry.sized and fmt == "png":
                continue  # the same drawing as the SVG
            result = registry.build(view, fmt, context, renderer=FigureJson() if entry.sized else None)
            out[key, view, fmt] = result.data  # the data package's zip included, byte for byte
            out[key, view, fmt, "alt"] = result.alt_text.encode()
    return out


def _differences(one: dict, other: dict) -> list:
    assert one.keys() == other.keys()
    return [key for key in one if one[key] != other[key]]


@pytest.fixture(scope="module")
def small_reference(tmp_path_factory):
    path = _write(tmp_path_factory.mktemp("reference"), rows=_story_rows())
    return everything(path, charts=("timeline", "network", "cases", "story"))


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(order=st.permutations(range(len(_story_rows()))))
def test_any_permutation_of_a_small_dataset_gives_identical_outputs(order, small_reference, tmp_path_factory):
    rows = _story_rows()
    path = _write(tmp_path_factory.mktemp("permuted"), rows=[rows[i] for i in order])
    assert _differences(small_reference, everything(path, charts=("timeline", "network", "cases", "story"))) == []


def test_ties_on_date_are_broken_by_id_not_file_order(tmp_path):
    rows = _story_rows()
    path = _write(tmp_path, rows=rows[::-1])
    statements = build_model(check_dataset(path).frame).statements
    # The motion of 11 March before the regret that came on or after it; t4 (same day) by id.
    assert overview.key_moments(statements)["id"].tolist() == ["t1", "t4", "t10"]
    assert overview.date_span(statements) == ("2021", "12 March 2025 (inferred)")
    assert "The earliest dated between known bounds is “Prosecutors allege Ana Pérez ran the network in 2021.”" in (
        describe.timeline(statements)
    )


def _shuffled_bundled(folder, seed: int):
    text = STORY.read_text(encoding="utf-8")
    header, *body = list(csv.reader(io.StringIO(text)))
    random.Random(seed).shuffle(body)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, *body])
    return _write(folder, text=out.getvalue())


@pytest.mark.parametrize("seed", [26, 2026])
def test_shuffled_bundled_dataset_gives_identical_exports(seed, tmp_path):
    """Timeline and case exports with alt text, statements CSV/JSON/data package, FtM, GEXF, GraphML.
    (The network chart and story page are left to the small property test and the run recorded in
    issue 26: their layout takes a minute here.)"""
    reference = everything(STORY, queries=QUERIES[:2])
    shuffled = everything(_shuffled_bundled(tmp_path, seed), queries=QUERIES[:2])
    assert _differences(reference, shuffled) == []


def _pages(monkeypatch, path) -> dict[str, str]:
    from dashboard.app import ui

    monkeypatch.setenv(ui.ENV_VAR, str(path))
    text = {}
    for page in ("overview", "timeline", "cases"):
        at = app().run()
        if page != "overview":
            at.switch_page(f"dashboard/app/pages/{page}.py").run()
        assert not at.exception, at.exception
        text[page] = page_text(at)
    return text


def test_shuffled_bundled_dataset_shows_the_same_page_text(monkeypatch, tmp_path):
    reference = _pages(monkeypatch, STORY)
    shuffled = _pages(monkeypatch, _shuffled_bundled(tmp_path, 7))
    for page in reference:
        assert reference[page] == shuffled[page].replace(str(tmp_path), ""), page
