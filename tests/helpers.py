"""Test data shared by several test modules: a small made-up story and a CSV writer."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

from dashboard.dataset.schema import bundled_schema

REPO = Path(__file__).resolve().parent.parent
# The frozen copy of the story that tests pinning its content read (tests/fixtures/README.md).
STORY = REPO / "tests" / "fixtures" / "story" / "data" / "statements.csv"
SOURCE_NAME = "story.txt"
SOURCE_TEXT = (
    "On March 11, the ministry moved to dismiss the case against Ana Pérez.\n"
    "“We deny everything,” said spokesman Luis Gómez, known as “El Vocero.”\n"
    "Prosecutors allege that Ana Pérez ran the network in 2021.\n"
)


def small_rows() -> list[dict[str, str]]:
    """Three valid statements about a made-up story, quoted verbatim from SOURCE_TEXT."""
    base = {column: "" for column in bundled_schema().columns}
    common = {"source": SOURCE_NAME, "attribution": "The article", "certainty": "stated"}
    return [
        {
            **base,
            **common,
            "id": "t1",
            "statement_type": "event",
            "date": "2025-03-11",
            "date_note": "Year inferred from context.",
            "subject": "Ministry",
            "relation": "moved to dismiss the case against",
            "object": "Ana Pérez",
            "relation_type": "court",
            "summary": "The ministry moved to dismiss the case.",
            "quote": "On March 11, the ministry moved to dismiss the case against Ana Pérez.",
            "kind": "organization",
            "side": "U.S. government",
            "label": "Motion to dismiss",
        },
        {
            **base,
            **common,
            "id": "t2",
            "statement_type": "remark",
            "subject": "Luis Gómez",
            "relation": "denied everything",
            "relation_type": "response",
            "summary": "Gómez denied everything.",
            "quote": "“We deny everything,” said spokesman Luis Gómez, known as “El Vocero.”",
            "attribution": "spokesman Luis Gómez",
            "certainty": "denied",
            "kind": "person",
            "side": "Press and critics",
            "role": "spokesman",
            "aliases": "El Vocero",
        },
        {
            **base,
            **common,
            "id": "t3",
            "statement_type": "event",
            "date": "2021",
            "subject": "Ana Pérez",
            "relation": "ran the network, prosecutors allege",
            "relation_type": "charge",
            "summary": "Prosecutors allege Ana Pérez ran the network in 2021.",
            "quote": "Prosecutors allege that Ana Pérez ran the network in 2021.",
            "attribution": "prosecutors",
            "certainty": "alleged",
            "kind": "person",
            "side": "MS-13",
        },
    ]


def to_csv(rows: list[dict[str, str]], columns: list[str] | None = None) -> str:
    columns = columns or list(rows[0])
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def app(**query):
    """An AppTest of the whole app, with query parameters as a browser URL would give them."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(REPO / "streamlit_app.py"), default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    return at


def page_text(at) -> str:
    """All the text an AppTest run shows, for assertions about wording."""
    parts = [e.value for e in at.markdown] + [e.value for e in at.caption] + [e.value for e in at.title]
    parts += [e.value for e in at.info] + [e.value for e in at.warning] + [e.value for e in at.error]
    return "\n".join(str(p) for p in parts)


def run_dashboard(
    *args: str, timeout: float = 120, env: dict | None = None, python: tuple[str, ...] = ()
) -> subprocess.CompletedProcess:
    """`python [python flags] -m dashboard ARGS` in a process of its own, from the repository, with
    its output as text."""
    command = [sys.executable, *python, "-m", "dashboard", *args]
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=timeout, env=env)


def chart_specs(at) -> list[dict]:
    """The figures a page run in AppTest shows, as plotly.js is given them: the dashboard's own chart
    (dashboard/app/chart.py, a components-v2 element whose payload carries the figure's JSON), then
    any drawn by Streamlit's Plotly element (a figure the partial bundle cannot draw)."""
    import json

    from dashboard.app import chart

    own = [
        json.loads(json.loads(element.proto.bytes)["figure"])
        for element in at.get("bidi_component")
        if element.proto.component_name == chart.COMPONENT
    ]
    return own + [json.loads(element.proto.spec) for element in at.get("plotly_chart")]
