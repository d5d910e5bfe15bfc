"""Every page runs under Streamlit's AppTest without an exception, on good and on broken data."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from helpers import REPO, app, page_text, small_rows
from test_validation import BROKEN

from dashboard.app import ui
from dashboard.derive import filters
from dashboard.views import sourceview

PAGES = ["overview", "timeline", "network", "cases", "sources"]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs(page):
    at = app().run()
    if page != "overview":
        at.switch_page(f"dashboard/app/pages/{page}.py").run()
    assert not at.exception, at.exception


def test_overview_draws_the_story_from_the_data():
    at = app().run()
    text = page_text(at)
    assert "The Rubio–Bukele deal" in text
    assert "implies no wrongdoing" in text
    assert "Last curated: **2026\\-12\\-04**" in text  # issue 26
    # Issue 26: the last dated event is the Venezuelans' deportation, from the March 13 call on.
    assert "Dated statements run from 2021 to between 13 March 2025 and March 2025 (inferred)" in text
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Statements"] == "116" and metrics["Source documents"] == "1"


def test_a_broken_dataset_shows_its_problems_not_a_traceback(make_dataset, monkeypatch):
    rows = small_rows()
    rows[0]["date"] = "13/03/2025"
    monkeypatch.setenv(ui.ENV_VAR, str(make_dataset(rows=rows)))
    at = app().run()
    assert not at.exception
    assert any("left out of every view" in e.value for e in at.error)
    problems = at.dataframe[0].value
    line = problems[problems["column"] == "date"].iloc[0]
    assert line["row"] == 2 and "write 2025-03-13" in line["fix"]


@pytest.mark.parametrize("data", [b"", b"\xff\xfe not a csv"])
def test_an_unreadable_dataset_shows_its_problems(make_dataset, monkeypatch, data):
    monkeypatch.setenv(ui.ENV_VAR, str(make_dataset(data=data)))
    at = app().run()
    assert not at.exception
    assert at.title[0].value == "The dataset cannot be shown"
    assert len(at.dataframe[0].value) >= 1


def test_another_dataset_loads_from_the_environment(make_dataset, monkeypatch):
    monkeypatch.setenv(ui.ENV_VAR, str(make_dataset()))
    at = app().run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["Statements"] == "3"


def test_data_argument_wins_over_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv(ui.ENV_VAR, str(tmp_path / "env.csv"))
    monkeypatch.setattr("sys.argv", ["streamlit_app.py", "--data", str(tmp_path / "arg.csv")])
    assert ui.dataset_path() == tmp_path / "arg.csv"
    monkeypatch.setattr("sys.argv", ["streamlit_app.py"])
    assert ui.dataset_path() == tmp_path / "env.csv"


def url_values(at, key: str) -> list[str]:
    value = at.query_params[key]
    return list(value) if isinstance(value, list | tuple) else [value]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_obeys_filters_from_the_url(page):
    at = app(person="Vampiro", start="2025-03-01", end="2025-03-31")
    at.run()
    if page != "overview":
        at.switch_page(f"dashboard/app/pages/{page}.py").run()
    assert not at.exception, at.exception
    text = page_text(at)
    assert "Statements involving Vladimir Arévalo Chávez \\(Vampiro\\) · Dated 1 March 2025 to 31 March 2025" in text
    assert at.multiselect(key=ui.K_PEOPLE).value == ["Vladimir Arévalo Chávez"]
    # The URL is rewritten to the canonical form a colleague can open.
    assert url_values(at, "person") == ["Vladimir Arévalo Chávez"]
    assert url_values(at, "start") == ["2025-03-01"]


def test_a_bad_url_value_is_ignored_with_a_visible_notice():
    at = app(person="Nobody Atall", start="13/03/2025", certainty="proven").run()
    assert not at.exception
    warnings = " ".join(w.value for w in at.warning)
    assert "Nobody Atall" in warnings and "13/03/2025" in warnings and "proven" in warnings
    assert "person" not in at.query_params and "start" not in at.query_params


def test_reset_clears_filters_and_url():
    at = app(person="Marco Rubio", side="MS-13").run()
    assert url_values(at, "person") == ["Marco Rubio"]
    at.button(key="reset_filters_sidebar").click().run()
    assert not at.exception
    assert at.multiselect(key=ui.K_PEOPLE).value == [] and "person" not in at.query_params
    assert "116 of 116 statements · no filters" in page_text(at)


def test_filters_survive_a_page_switch():
    at = app(person="Marco Rubio").run()
    at.switch_page("dashboard/app/pages/sources.py").run()
    at.switch_page("dashboard/app/pages/overview.py").run()
    assert at.multiselect(key=ui.K_PEOPLE).value == ["Marco Rubio"]
    assert url_values(at, "person") == ["Marco Rubio"]


def test_sources_page_opens_at_a_statement():
    at = app(statement="s088").run()
    at.switch_page("dashboard/app/pages/sources.py").run()
    assert not at.exception
    html = at.get("iframe")[0].proto.srcdoc
    assert 'id="quote-s088"' in html and '"quote-s088"' in html.split("<script>")[1]
    assert "Canales Rivera appears to be one of the nine" in page_text(at)


def test_sources_page_highlights_a_statement_outside_the_filters_beside_those_in_view():
    at = app(statement="s088", person="Marco Rubio").run()
    at.switch_page("dashboard/app/pages/sources.py").run()
    assert not at.exception
    assert any("Statement s088 is outside the current filters" in i.value for i in at.info)
    html = at.get("iframe")[0].proto.srcdoc
    checked, model = ui.load()
    (document,) = [checked.documents[name] for name in checked.documents]  # the bundled data quotes one
    rubio = filters.apply(model, filters.Filters(people=("Marco Rubio",)))
    shown = set(re.findall(r'id="quote-(s\d+)"', html))
    assert "s088" not in set(rubio["id"]) and "s088" in shown
    assert shown - {"s088"} == set(sourceview.quote_spans(document, rubio)) != set()


def test_sources_page_with_an_unknown_statement_says_so():
    at = app(statement="nope").run()
    at.switch_page("dashboard/app/pages/sources.py").run()
    assert not at.exception and any("nope" in w.value for w in at.warning)


@pytest.mark.parametrize("case", list(BROKEN))
def test_each_broken_file_is_reported_on_the_page(make_dataset, monkeypatch, case):
    """The app shows the same line the command prints, in its problems table, and never a traceback."""
    content, row, column, fragment, severity = BROKEN[case]
    monkeypatch.setenv(ui.ENV_VAR, str(make_dataset(**content)))
    at = app().run()
    assert not at.exception
    problems = at.dataframe[0].value
    hits = problems[problems["problem"].str.contains(fragment, regex=False) | problems["fix"].str.contains(
        fragment, regex=False)]  # fmt: skip
    assert not hits.empty, problems.to_dict("records")
    first = hits.iloc[0]
    assert first["severity"] == severity and (first["column"] or None) == column
    assert (None if pd.isna(first["row"]) else int(first["row"])) == row


def test_reversed_dates_are_ignored_with_a_notice_until_fixed():
    at = app().run()
    at.text_input(key=ui.K_START_TEXT).input("2025-03-31").run()
    at.text_input(key=ui.K_END_TEXT).input("2025-03-01").run()
    assert any("before the start date" in w.value for w in at.warning)
    assert "Dated from 31 March 2025" in page_text(at)
    at.text_input(key=ui.K_END_TEXT).input("2025-04-30").run()
    assert not any("before the start date" in w.value for w in at.warning)


CHOICES = ("selectbox", "multiselect", "radio")
EDITORS_PANELS = ("Download for publication", "Take the story out")  # for editors: issue 27 reworks them


def reader_text(block) -> str:
    """The text of an AppTest block and its children, leaving out the editors' export panels."""
    if getattr(block, "type", "") == "expander" and str(getattr(block, "label", "")).startswith(EDITORS_PANELS):
        return ""
    if getattr(block, "type", "") in CHOICES:  # a choice's value is its key; widget_text has what it shows
        return ""
    value = getattr(block, "value", "")
    parts = [value] if isinstance(value, str) and not hasattr(block, "children") else []
    for child in getattr(block, "children", {}).values():
        parts.append(reader_text(child))
    return "\n".join(parts)


# What only a developer or the data's files would say: folders, commands, file names, code words.
DEVELOPER_WORDS = (
    "seeds/", "data/", "python", "pytest", "streamlit run", "dashboard check", "make ", "DASHBOARD_DATA",
    ".txt", ".csv", ".json", "Hollow, dot", "statement_id", "date_start", "NaN", "None", "Traceback",
)  # fmt: skip


def widget_text(at) -> str:
    """What the page's widgets show: their labels and, for choices, the options as the reader sees them."""
    parts = []
    for kind in CHOICES:
        for widget in at.get(kind):
            parts += [str(widget.label), *map(str, getattr(widget, "options", []))]
    return "\n".join(parts)


def frame_text(at) -> str:
    """The words of the page's embedded documents (the network's, the source document's), tags removed."""
    return "\n".join(re.sub(r"<[^>]+>", " ", frame.proto.srcdoc) for frame in at.get("iframe"))


@pytest.mark.parametrize("page", PAGES)
def test_pages_speak_to_readers_not_developers(open_page, page):
    # No folder names, commands, file names or code words where a reader looks: the pages' text, their
    # widgets' labels and options, and the documents they embed (the timeline with an event's details
    # open: its source named by title, not by file).
    at = open_page(page, **({"event": "s031"} if page == "timeline" else {}))
    text = reader_text(at.main) + reader_text(at.sidebar) + widget_text(at)
    assert "Showing" in text or page == "overview"
    found = [word for word in DEVELOPER_WORDS if word in text]
    assert found == [], found
    # The embedded documents: their script and style hold code, so only the words a reader sees.
    shown = re.sub(r"<script.*?</script>|<style.*?</style>", " ", frame_text(at), flags=re.S)
    found = [word for word in ("seeds/", ".txt", ".csv", "Hollow, dot", "python") if word in shown]
    assert found == [], found


@pytest.mark.parametrize(("given", "expected"), [(None, "1"), ("4", "4")])
def test_the_server_starts_numpy_with_one_blas_thread_unless_told_otherwise(given, expected):
    """Streamlit imports the entry point to start the server: it sets one OpenBLAS thread there,
    before anything has loaded NumPy (whose OpenBLAS reads it once), and keeps an operator's own."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    if given is not None:
        env["OPENBLAS_NUM_THREADS"] = given
    probe = "import os, sys, streamlit_app; print(os.environ['OPENBLAS_NUM_THREADS'], 'numpy' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", probe], env=env, cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.stdout.split() == [expected, "False"], done.stderr[-2000:]
