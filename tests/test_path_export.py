"""How A is connected to B as files (dashboard.exports.paths): the JSON contract, the formula-safe
CSV, the graphic's boxes at every preset, the errors the command line turns into exit codes."""

from __future__ import annotations

import csv
import io
import json

import pytest
from helpers import STORY
from hypothesis import given, settings
from hypothesis import strategies as st
from test_paths import entities_of, frame

from dashboard.dataset.validation import check_dataset
from dashboard.derive import paths
from dashboard.derive.context import Context
from dashboard.exports import paths as export
from dashboard.exports import render
from dashboard.views import paths as chain_view

pytestmark = pytest.mark.slow  # chain graphics framed and rendered

PAIRS = [("Marco Rubio", "Osiris Luna"), ("Pam Bondi", "Carlos Marroquín"), ("Marco Rubio", "Nayib Bukele")]


@pytest.fixture(scope="module")
def context(model):
    return Context.build(check_dataset(STORY), model)


def test_json_is_exactly_the_contract(context):
    result = export.build_path_export("json", "social", context, "rubio", "Osiris Luna")
    data = json.loads(result.data)
    assert result.media_type == "application/json" and result.file_name == "path-marco-rubio-to-osiris-luna.json"
    assert {"from", "to", "paths"} <= data.keys() and (data["from"], data["to"]) == ("Marco Rubio", "Osiris Luna")
    assert len(data["paths"]) == 5
    for chain in data["paths"]:
        assert {"certainty", "hops"} <= chain.keys()
        assert chain["hops"][0]["from"] == "Marco Rubio" and chain["hops"][-1]["to"] == "Osiris Luna"
        for before, after in zip(chain["hops"], chain["hops"][1:]):
            assert before["to"] == after["from"]
        for hop in chain["hops"]:
            assert {"from", "to", "certainty", "statements"} <= hop.keys()
            for statement in hop["statements"]:
                assert {"id", "quote", "certainty", "attribution", "source"} <= statement.keys()
                assert {statement["subject"], statement["object"]} == {hop["from"], hop["to"]}
    assert data["paths"][0]["certainty"] == "alleged"


def test_csv_has_a_row_per_statement_per_hop_and_no_formula():
    rows = [("Ana", "bea", "stated"), ("bea", "Ana", "alleged"), ("bea", "Carl", "stated")]
    table = frame(rows)
    table.loc[0, "quote"] = '=HYPERLINK("http://evil.example","x")'
    table.loc[2, "attribution"] = "@SUM(1)"
    search = paths.find_chains(table, entities_of(["Ana", "bea", "Carl"]), "Ana", "Carl")
    data = export.csv_bytes(search)
    assert data.startswith(b"\xef\xbb\xbf")
    parsed = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert [(r["hop"], r["statement_id"]) for r in parsed] == [("1", "s0"), ("1", "s1"), ("2", "s2")]
    assert parsed[0]["quote"].startswith("'=") and parsed[2]["attribution"] == "'@SUM(1)"
    assert not any(v.startswith(("=", "+", "-", "@")) for r in parsed for v in r.values())


@pytest.mark.parametrize("preset", list(render.PRESETS))
@pytest.mark.parametrize("pair", PAIRS)
def test_nothing_collides_at_any_preset(context, preset, pair):
    search = paths.find_chains(context.statements, context.model.entities, *pair)
    framed, figure = export.chain_graphic(
        search, context, export.default_frame(search, context), render.PRESETS[preset]
    )
    assert chain_view.overlapping(figure) == []
    area = render.margins(figure, export.default_frame(search, context), render.PRESETS[preset]).plot_area(
        render.PRESETS[preset]
    )
    assert [round(a) for a in figure.layout.meta["area"]] == [round(a) for a in area]
    assert figure.layout.meta["vertical"] == (preset == "square")  # top to bottom on the card seen on phones
    texts = " ".join(a.text for a in figure.layout.annotations)
    for hop in search.chains[0].hops:
        assert hop.lead.relation.split()[0] in texts
    # Type never smaller than the preset's minimum, so the frame does not enlarge it after layout.
    assert min(a.font.size for a in figure.layout.annotations) >= render.PRESETS[preset].type.minimum


def test_the_collision_check_finds_overlaps():
    search = paths.find_chains(frame([("Ana", "bea", "stated")]), entities_of(["Ana", "bea"]), "Ana", "bea")
    figure = chain_view.chain_figure(search, area=(400, 300), font=12)
    assert chain_view.overlapping(figure) == []
    boxes = figure.layout.meta["boxes"]
    figure.update_layout(meta={**figure.layout.meta, "boxes": [*boxes, boxes[0]]})
    assert chain_view.overlapping(figure)
    figure.update_layout(meta={**figure.layout.meta, "boxes": [{**boxes[0], "right": 500}]})
    assert chain_view.overlapping(figure) == [(boxes[0]["what"], "area")]


def test_a_long_chain_in_a_small_plot_still_keeps_its_boxes_apart():
    names = ["Ana", "Álvaro", "bea", "Carl", "[Group x]", "Dora", "Eli"]
    rows = [(a, b, "stated") for a, b in zip(names, names[1:])]
    table = frame(rows)
    table["relation"] = "worked for many years in the same office as, according to people who knew them,"
    table["quote"] = "A long quote " * 20
    search = paths.find_chains(table, entities_of(names), "Ana", "Eli")
    for area, vertical, font in (((1150, 420), False, 12), ((1000, 650), True, 16), ((1500, 500), False, 15)):
        figure = chain_view.chain_figure(search, area=area, font=font, vertical=vertical)
        assert figure.layout.meta["fits"] and chain_view.overlapping(figure) == [], area
    too_small = chain_view.chain_figure(search, area=(300, 150), font=12)
    assert not too_small.layout.meta["fits"]  # said, so the export refuses it


def test_unknown_names_and_no_chain(context):
    with pytest.raises(paths.UnknownName) as raised:
        export.build_path_export("json", "social", context, "Marco Rubo", "Osiris Luna")
    assert raised.value.closest[0] == "Marco Rubio"
    empty = export.build_path_export("json", "social", context, "Marco Rubio", "Osiris Luna", only_stated=True)
    data = json.loads(empty.data)
    assert data["paths"] == [] and data["message"].startswith("No chain links Marco Rubio and Osiris Luna")
    assert empty.file_name == "path-marco-rubio-to-osiris-luna-stated-only.json"
    with pytest.raises(export.NoChain, match="No chain links"):
        export.build_path_export("svg", "social", context, "Marco Rubio", "Osiris Luna", only_stated=True)
    with pytest.raises(ValueError, match="writes json"):
        export.build_path_export("gexf", "social", context, "Marco Rubio", "Osiris Luna")


def test_the_frame_takes_the_editors_words_and_the_alt_text_reads_the_chain(context):
    result = export.build_path_export("csv", "social", context, "Pam Bondi", "Carlos Marroquín",
                                      edits={"title": "Bondi to Marroquín"})  # fmt: skip
    assert result.alt_text.startswith("Bondi to Marroquín.")
    assert "Pam Bondi would terminate the Justice Department agreements" in result.alt_text
    assert "(alleged, according to officials familiar with the March 13 phone call)" in result.alt_text
    assert result.alt_text.endswith(render.Frame("x").notice)


def test_png_and_svg_render_at_the_preset(context):
    renderer = render.Renderer()
    png = export.build_path_export("png", "square", context, "Marco Rubio", "Osiris Luna", renderer=renderer)
    assert render.png_size(png.data) == render.PRESETS["square"].pixels
    assert png.file_name == "path-marco-rubio-to-osiris-luna-square.png"
    svg = export.build_path_export("svg", "print", context, "Marco Rubio", "Osiris Luna", renderer=renderer)
    text = svg.data.decode("utf-8")
    assert "How Marco Rubio is connected to Osiris Luna" in text and "Deputy Justice Minister" in text


@settings(max_examples=60, deadline=None, derandomize=True)
@given(
    st.integers(1, 6),
    st.text(st.sampled_from("abcdefghij ÁéW—“"), min_size=1, max_size=120),
    st.text(st.sampled_from("abcdefghij ÁéW—“"), min_size=1, max_size=300),
    st.text(st.sampled_from("abcdefghij ÁéWM"), min_size=1, max_size=70),
    st.sampled_from([(1150, 420, 12), (1000, 650, 16), (1540, 560, 15), (1440, 620, 13)]),
)
def test_a_chain_that_fits_has_no_box_on_another_and_none_outside(hops, relation, quote, name, plot):
    names = [f"{name} {i}" for i in range(hops + 1)]
    table = frame([(a, b, "alleged" if i % 2 else "stated") for i, (a, b) in enumerate(zip(names, names[1:]))])
    table["relation"], table["quote"] = relation, quote
    search = paths.find_chains(table, entities_of(names), names[0], names[-1])
    width, height, font = plot
    figure = chain_view.chain_figure(search, area=(width, height), font=font)
    if figure.layout.meta["fits"]:
        assert chain_view.overlapping(figure) == []
