"""Every XML export parses, whatever name a dataset holds (issue 25): a name `check` lets through
reaches GEXF, GraphML and the figures behind the SVG exports without a character XML cannot hold;
anything else (U+FFFF, U+FFFE, the other noncharacters, control characters) is refused by `check`
naming its row and column."""

from __future__ import annotations

import json
import re
import shutil
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from helpers import SOURCE_NAME, SOURCE_TEXT, small_rows, to_csv
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from dashboard.dataset.loading import NONCHARACTERS
from dashboard.dataset.schema import BUNDLED_DATA
from dashboard.dataset.validation import check_dataset
from dashboard.derive.context import open_context
from dashboard.exports import graphformats, registry

# What XML 1.0 cannot hold: controls but tab, line feed and carriage return; surrogates; U+FFFE, U+FFFF.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class FigureText:
    """Stands for the browser that draws an SVG: returns the framed figure's JSON, every string the
    SVG would be written from (drawing one takes seconds)."""

    def render(self, figure, fmt, preset) -> bytes:
        return figure.to_json().encode("utf-8")


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _dataset(folder: Path, name: str) -> Path:
    """The small story with `name` as the third row's subject (and the first row's object)."""
    rows = small_rows()
    rows[2]["subject"] = rows[0]["object"] = name
    (folder / "data").mkdir(parents=True)
    (folder / "seeds").mkdir()
    (folder / "seeds" / SOURCE_NAME).write_text(SOURCE_TEXT, encoding="utf-8")
    shutil.copy(BUNDLED_DATA.parent / "datapackage.json", folder / "data" / "datapackage.json")
    path = folder / "data" / "statements.csv"
    path.write_bytes(to_csv(rows).encode("utf-8"))
    return path


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Line ends aside: helpers.to_csv leaves a lone carriage return unquoted, which splits the row (a
# malformed file, refused on its own; line breaks in names have tests of their own).
@given(st.text(st.characters(blacklist_characters="\r\n"), min_size=1, max_size=12))
@example("Ana\uffffPérez")
@example("\ufffe")
@example("\U0010ffff x")
@example("\ufdd0Name")
@example("a\x0bb")
def test_every_name_check_accepts_is_well_formed_in_every_xml_export(name):
    with tempfile.TemporaryDirectory() as folder:
        path = _dataset(Path(folder), name)
        dataset = check_dataset(path)
        if XML_ILLEGAL.search(name.strip()) or any(c in NONCHARACTERS for c in name):
            refused = {(p.row, p.column) for p in dataset.problems if p.is_error}
            assert {(4, "subject"), (2, "object")} <= refused, dataset.problems
            return
        if not dataset.ok:
            return  # refused for another reason (empty, a line break, mixed scripts...): nothing exported
        context = open_context(path, {})
        for fmt in graphformats.GRAPH_FORMATS:
            ET.fromstring(graphformats.graph_bytes(context, fmt))  # raises on a malformed file
        for view in ("timeline", "network"):
            figure = json.loads(registry.build(view, "svg", context, renderer=FigureText()).data)
            assert not any(XML_ILLEGAL.search(text) for text in _strings(figure)), view


@pytest.mark.parametrize("character", ["\uffff", "\ufffe", "\ufdd0", "\U0001fffe", "\U0010ffff"])
@pytest.mark.parametrize("column", ["subject", "quote", "summary"])
def test_a_noncharacter_is_refused_naming_row_and_column(make_dataset, character, column):
    rows = small_rows()
    rows[1][column] = rows[1][column][:3] + character + rows[1][column][3:]
    dataset = check_dataset(make_dataset(rows=rows))
    problem = next(p for p in dataset.problems if "noncharacter" in p.message)
    assert (problem.row, problem.column, problem.is_error) == (3, column, True)
    assert f"U+{ord(character):04X}" in problem.message
