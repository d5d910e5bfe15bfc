"""The interchange exports (dashboard/interchange): GEXF and GraphML that networkx reads back with
their attributes, the statements as spreadsheet-safe CSV, as JSON under the data package's schema,
and as a zip that `dashboard check` and the app re-open; the command line for each."""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
import sys
import time
import zipfile

import networkx as nx
import pytest
from helpers import REPO, STORY, app, page_text, small_rows

from dashboard import names
from dashboard.__main__ import main
from dashboard.dataset import package as packages
from dashboard.dataset.validation import check_dataset
from dashboard.derive import filters as flt
from dashboard.derive.context import NetworkView, Options, StateError, open_context
from dashboard.exports import graphformats, registry, statements
from dashboard.views import network as net


@pytest.fixture(scope="module")
def everything():
    """The bundled dataset with no filter."""
    return open_context(STORY)


@pytest.fixture(scope="module")
def rubio_march():
    """Marco Rubio's statements in March 2025, undated ones left out."""
    return open_context(STORY, {"person": ["Marco Rubio"], "start": ["2025-03"], "end": ["2025-03"],
                                 "undated": ["exclude"]})  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Graph formats


@pytest.mark.parametrize("fmt", graphformats.GRAPH_FORMATS)
def test_networkx_reads_the_graph_back_with_its_attributes(everything, fmt, tmp_path):
    path = tmp_path / f"network.{fmt}"
    path.write_bytes(graphformats.graph_bytes(everything, fmt))
    read = nx.read_gexf(path) if fmt == "gexf" else nx.read_graphml(path)
    page = graphformats.graph(everything)
    assert read.is_directed()
    assert set(read.nodes) == set(page.nodes) and read.number_of_edges() == page.number_of_edges()
    lopez = read.nodes["César López Larios"]
    assert lopez["kind"] == "person" and lopez["side"] == "MS-13"
    assert lopez["label"].startswith("César López Larios")
    assert "Vampiro" in read.nodes["Vladimir Arévalo Chávez"]["aliases"]
    assert read.nodes["Marco Rubio"]["roles"].startswith("Secretary of State; ")
    deal = read.edges["Marco Rubio", "Nayib Bukele"]
    assert deal["certainty"] in ("stated", "alleged", "inferred", "denied")
    ids = deal["statement_ids"].split(graphformats.LIST_SEPARATOR)
    assert "s004" in ids
    quotes = deal["quotes"].split(graphformats.LIST_SEPARATOR)
    assert len(quotes) == len(ids) == int(deal["count"])
    assert "privately promised El Salvador’s president" in deal["quotes"]
    assert deal["sources"].split(graphformats.LIST_SEPARATOR)[0] == "rubio-bukele-ms13-deal.txt"
    assert deal["attributions"] and "hand over nine imprisoned MS-13 leaders" in deal["relation"]
    # Each edge holds exactly the statements of its pair, with their own quotes.
    frame = everything.statements.set_index("id")
    for source, target, data in read.edges(data=True):
        for statement_id in data["statement_ids"].split(graphformats.LIST_SEPARATOR):
            assert (frame.at[statement_id, "subject"], frame.at[statement_id, "object"]) == (source, target)
            assert frame.at[statement_id, "quote"] in data["quotes"]


def test_a_merged_edge_keeps_its_least_certain_statement(everything):
    read = nx.read_graphml(io.BytesIO(graphformats.graph_bytes(everything, "graphml")))
    frame = everything.statements.set_index("id")
    for _, _, data in read.edges(data=True):
        certainties = {frame.at[i, "certainty"] for i in data["statement_ids"].split(graphformats.LIST_SEPARATOR)}
        expected = next(c for c in net.DASH_PRIORITY if c in certainties)
        assert data["certainty"] == expected


def test_the_graph_files_obey_the_filters_and_the_network_controls(rubio_march):
    read = nx.read_gexf(io.BytesIO(graphformats.graph_bytes(rubio_march, "gexf")))
    for _, _, data in read.edges(data=True):
        for statement_id in data["statement_ids"].split(graphformats.LIST_SEPARATOR):
            assert statement_id in set(rubio_march.statements["id"])
    hidden = open_context(
        STORY, options=Options(network=NetworkView(hidden_certainties=("alleged", "inferred", "denied")))
    )
    read = nx.read_graphml(io.BytesIO(graphformats.graph_bytes(hidden, "graphml")))
    assert read.number_of_edges() and {d["certainty"] for _, _, d in read.edges(data=True)} == {"stated"}
    focused = open_context(STORY, options=Options(network=NetworkView(focus="Vampiro", hops=1)))
    read = nx.read_graphml(io.BytesIO(graphformats.graph_bytes(focused, "graphml")))
    vampiro = "Vladimir Arévalo Chávez"
    assert vampiro in read and len(read) < len(graphformats.graph(open_context(STORY)))
    assert set(read) == {vampiro, *read.successors(vampiro), *read.predecessors(vampiro)}


def test_gexf_carries_the_page_layout_for_gephi(everything):
    text = graphformats.graph_bytes(everything, "gexf").decode("utf-8")
    assert text.count("<viz:position") == graphformats.graph(everything).number_of_nodes()


# ---------------------------------------------------------------------------------------------
# Statements


def test_the_statements_csv_holds_exactly_the_filtered_rows(rubio_march):
    data = statements.csv_bytes(rubio_march)
    assert data.startswith(b"\xef\xbb\xbf")
    read = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    expected = flt.apply(rubio_march.model, rubio_march.filters)
    assert [r["id"] for r in read] == expected["id"].tolist()
    assert read and all(r["date"] for r in read)  # undated excluded
    assert all("Marco Rubio" in (r["subject"], r["object"]) for r in read)
    assert list(read[0]) == list(rubio_march.dataset.schema.columns)


def test_every_filter_of_the_app_narrows_the_statements():
    total = len(open_context(STORY).statements)
    for query in ({"side": ["MS-13"]}, {"certainty": ["alleged"]}, {"undated": ["exclude"]},
                  {"start": ["2025-03-14"]}, {"end": ["2024"]}, {"person": ["Vampiro"]}):  # fmt: skip
        chosen = open_context(STORY, query)
        read = list(csv.DictReader(io.StringIO(statements.csv_bytes(chosen).decode("utf-8-sig"))))
        assert 0 < len(read) < total, query
        if "certainty" in query:
            assert {r["certainty"] for r in read} == {"alleged"}


def test_a_filter_that_matches_nothing_is_refused():
    with pytest.raises(StateError, match="no one in the dataset matches"):
        open_context(STORY, {"person": ["Nobody Atall"]})
    with pytest.raises(StateError, match="side"):
        open_context(STORY, {"side": ["Martians"]})


def test_the_csv_is_formula_safe(make_dataset):
    rows = small_rows()
    rows[1]["summary"] = '=HYPERLINK("http://x","click")'
    rows[1]["note"] = "+1 then -2 @home"
    chosen = open_context(make_dataset(rows=rows))
    read = list(csv.DictReader(io.StringIO(statements.csv_bytes(chosen).decode("utf-8-sig"))))
    gomez = next(r for r in read if r["id"] == "t2")
    assert gomez["summary"] == '\'=HYPERLINK("http://x","click")' and gomez["note"] == "'+1 then -2 @home"
    # The data package keeps cells as written: a quote must stay verbatim.
    files = statements.package_files(chosen)
    raw = list(csv.DictReader(io.StringIO(files["data/statements.csv"].decode("utf-8"))))
    assert next(r for r in raw if r["id"] == "t2")["summary"].startswith("=HYPERLINK")


def test_the_json_is_a_valid_data_package_with_the_rows_inline(rubio_march):
    from frictionless import Package

    descriptor = json.loads(statements.json_bytes(rubio_march))
    resource = descriptor["resources"][0]
    assert [r["id"] for r in resource["data"]] == rubio_march.statements["id"].tolist()
    assert set(resource["data"][0]) == set(rubio_march.dataset.schema.columns)
    assert descriptor["subset"]["query"]["person"] == ["Marco Rubio"]
    report = Package(descriptor).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_the_package_passages_keep_every_quote_verbatim_and_only_those(rubio_march):
    files = statements.package_files(rubio_march)
    passages = files["seeds/rubio-bukele-ms13-deal.txt"].decode("utf-8")
    source = (REPO / "seeds" / "rubio-bukele-ms13-deal.txt").read_text(encoding="utf-8")
    assert len(passages) < len(source) / 2
    assert statements.PASSAGE_BREAK.strip() in passages
    for part in passages.split(statements.PASSAGE_BREAK):
        assert part.strip() in source


@pytest.mark.parametrize(
    "query",
    [{}, {"person": ["Marco Rubio"]}, {"certainty": ["alleged"], "side": ["MS-13"]}, {"certainty": ["denied"]},
     {"person": ["César López Larios"], "end": ["2024"]}],
)  # fmt: skip
def test_the_data_package_round_trips_through_check(query, tmp_path, capsys):
    chosen = open_context(STORY, query)
    path = tmp_path / "story.zip"
    path.write_bytes(statements.package_bytes(chosen))
    assert main(["check", str(path)]) == 0, capsys.readouterr().err
    reopened = open_context(packages.open_dataset(path, cache=tmp_path / "cache"))
    kept = set(chosen.statements["id"])
    assert kept <= set(reopened.statements["id"])
    extra = set(reopened.statements["id"]) - kept
    package = json.loads(zipfile.ZipFile(path).read("story/data/datapackage.json"))
    assert extra == set(package["subset"].get("supporting", []))
    assert package["subset"]["statements"] == len(kept)
    columns = [c for c in chosen.dataset.schema.columns if c != "id"]
    same = reopened.statements.set_index("id").loc[sorted(kept), columns]
    assert same.equals(chosen.statements.set_index("id").loc[sorted(kept), columns])


def test_an_unsafe_zip_is_refused(tmp_path):
    path = tmp_path / "evil.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("../../etc/data/statements.csv", "id\n")
        archive.writestr("x/data/datapackage.json", "{}")
    with pytest.raises(packages.PackageError, match="plain relative path"):
        packages.open_dataset(path, cache=tmp_path / "cache")
    assert main(["check", str(path)]) == 2  # one line on stderr, no traceback


def test_the_app_opens_the_data_package_with_data(tmp_path, monkeypatch):
    chosen = open_context(STORY, {"person": ["César López Larios"]})
    path = tmp_path / "lopez.zip"
    path.write_bytes(statements.package_bytes(chosen))
    monkeypatch.setattr(sys, "argv", ["streamlit_app.py", "--data", str(path)])
    at = app().run()
    assert not at.exception, at.exception
    metrics = {m.label: m.value for m in at.metric}
    reopened = check_dataset(packages.open_dataset(path))
    assert reopened.ok and metrics["Statements"] == str(len(reopened.frame))
    assert "The Rubio–Bukele deal" in page_text(at)
    at.switch_page("dashboard/app/pages/cases.py").run()
    assert not at.exception, at.exception


# ---------------------------------------------------------------------------------------------
# Command line


@pytest.mark.parametrize(
    ("view", "fmt"),
    [k for k, e in registry.FORMATS.items() if not e.sized and k[1] != "html" and k[0] not in ("cases", "path")],
)
def test_the_command_line_writes_each_format(view, fmt, tmp_path, capsys):
    out = tmp_path / f"out.{fmt}"
    code = main(["export", view, "--format", fmt, "--out", str(out), "--person", "Rubio", "--certainty", "stated"])
    assert code == 0, capsys.readouterr().err
    assert out.stat().st_size > 200
    chosen = open_context(STORY, {"person": ["Rubio"], "certainty": ["stated"]})
    expected = registry.build(view, fmt, chosen).data
    assert out.read_bytes() == expected  # the data package's zip too: its entries carry a fixed date


def test_the_data_package_is_the_same_bytes_whenever_it_is_made(monkeypatch):
    """Same view, same day (the package names the day it was exported), different hours."""
    chosen = open_context(STORY, {"person": ["César López Larios"]})
    noon = time.mktime(datetime.date.today().timetuple()) + 12 * 3600
    monkeypatch.setattr("time.time", lambda: noon)
    first = statements.package_bytes(chosen)
    monkeypatch.setattr("time.time", lambda: noon + 3 * 3600 + 17)
    assert statements.package_bytes(chosen) == first
    archive = zipfile.ZipFile(io.BytesIO(first))
    assert archive.namelist() == sorted(archive.namelist())
    assert {info.date_time for info in archive.infolist()} == {statements.ZIP_DATE}
    assert {info.external_attr >> 16 for info in archive.infolist()} == {0o100644}


def test_the_command_line_refuses_what_matches_nothing(tmp_path, capsys):
    out = tmp_path / "x.csv"
    assert main(["export", "statements", "--format", "csv", "--out", str(out), "--person", "Nobody Atall"]) == 2
    assert "no one in the dataset matches" in capsys.readouterr().err and not out.exists()
    assert main(["export", "network", "--format", "gexf", "--out", str(out), "--focus", "Nobody Atall"]) == 2
    assert main(["export", "timeline", "--format", "gexf", "--out", str(out)]) == 2


# ---------------------------------------------------------------------------------------------
# Story page


def test_the_story_page_escapes_the_data_and_fetches_nothing(make_dataset):
    from dashboard.exports import story

    rows = small_rows()
    rows[1]["summary"] = "<script>alert('summary')</script> & <b>bold</b>"
    rows[1]["relation"] = "said </script><img src=x onerror=alert(1)>"
    rows[1]["object"], rows[1]["relation_type"] = "Ana Pérez", "response"
    html = story.story_html(open_context(make_dataset(rows=rows)))
    assert "<script>alert(" not in html and "<img src=x" not in html and "<b>bold</b>" not in html
    assert "&lt;script&gt;alert(&#39;summary&#39;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in html
    assert "said &lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in html  # in the link's <title>, as text
    assert not re.search(r"<(script|link|img|iframe)\b[^>]*\b(src|href)\s*=\s*(?![\"']?data:)", html, re.I)
    assert not re.search(r"\bhref=\"(?!#|data:)", html)  # only references inside the page
    assert html.count("<script") == 1  # the page's own few lines: no library, no data block


def test_the_story_frame_is_the_editors_to_rewrite(everything):
    from dashboard.exports import story

    context = story.story_context(everything, story.StoryFrame(title="Nine men", notes=("Updated.",), credit="Desk"))
    assert (context["title"], context["notes"], context["credit"]) == ("Nine men", ["Updated."], "Desk")
    assert "implies no wrongdoing" in context["notice"]  # the notice is never dropped
    default = story.story_context(everything)
    assert default["title"] == everything.dataset.schema.title
    assert any("Hollow marks" in note for note in default["notes"])
    assert len(default["case_rows"]) == 9 and len(default["passages"]) == len(everything.model.statements) == 116


def test_the_story_page_from_the_command_line(tmp_path, capsys):
    out = tmp_path / "story.html"
    args = ["export", "story", "--format", "html", "--out", str(out), "--title", "Nine men <for> CECOT"]
    assert main([*args, "--end", "2025-03-14"]) == 0, capsys.readouterr().err
    html = out.read_text(encoding="utf-8")
    assert "<h1>Nine men &lt;for&gt; CECOT</h1>" in html and "as of 2025-03-14" in html
    assert len(html.encode()) < 1_500_000  # no charting library inlined: the charts are SVG


# ---------------------------------------------------------------------------------------------
# FollowTheMoney


def ftm_lines(selection) -> list[dict]:
    return [json.loads(line) for line in registry.build("statements", "ftm", selection).data.decode().splitlines()]


def assert_valid_ftm(entities: list[dict]) -> None:
    """What Aleph's importer needs: a known concrete schema, only its properties, every required one,
    values that survive the library's cleaning unchanged, and references to entities in the file
    whose schema the property accepts."""
    from followthemoney import model as ftm_model

    by_id = {e["id"]: e for e in entities}
    assert len(by_id) == len(entities), "ids are unique"
    for entity in entities:
        schema = ftm_model.get(entity["schema"])
        assert schema is not None and not schema.abstract, entity["schema"]
        assert set(entity["properties"]) <= set(schema.properties), (entity["schema"], entity["properties"].keys())
        for required in schema.required:
            assert entity["properties"].get(required), (entity["schema"], required)
        schema.validate(entity)
        proxy = ftm_model.get_proxy(entity, cleaned=False)
        for name, values in entity["properties"].items():
            assert proxy.get(name) == values, (entity["schema"], name, values, proxy.get(name))
            prop = schema.properties[name]
            if prop.type.name == "entity":
                for value in values:
                    assert value in by_id, (entity["schema"], name)
                    assert ftm_model.get(by_id[value]["schema"]).is_a(prop.range), (name, by_id[value]["schema"])


def test_followthemoney_validates_every_entity(everything):
    entities = ftm_lines(everything)
    assert_valid_ftm(entities)
    schemata = {e["schema"] for e in entities}
    assert {"Person", "Organization", "PublicBody", "CourtCase", "Membership", "UnknownLink", "Event"} <= schemata
    statements = [e for e in entities if "recordId" in e["properties"] or e["schema"] == "Note"]
    assert len(statements) == len(everything.statements)


def test_each_statement_entity_carries_its_quote_source_date_and_certainty(everything):
    entities = ftm_lines(everything)
    by_id = {e["id"]: e for e in entities}
    deal = next(e for e in entities if e["properties"].get("recordId") == ["s004"])
    assert deal["schema"] == "UnknownLink"
    assert deal["properties"]["date"] == ["2025-03-13"]
    assert "privately promised El Salvador’s president" in deal["properties"]["description"][0]
    assert "According to the article; stated." in deal["properties"]["summary"][0]
    assert "Date inferred" in deal["properties"]["summary"][0]
    assert by_id[deal["properties"]["proof"][0]]["properties"]["fileName"] == ["rubio-bukele-ms13-deal.txt"]
    alleged = [e for e in entities if "alleged — an accusation, not established" in str(e["properties"].get("summary"))]
    assert len(alleged) == (everything.statements["certainty"] == "alleged").sum()


def test_membership_only_where_the_codebook_counts_it(everything):
    entities = ftm_lines(everything)
    by_id = {e["id"]: e for e in entities}
    memberships = [e for e in entities if e["schema"] == "Membership"]
    assert {e["properties"]["recordId"][0] for e in memberships} == set(everything.model.memberships["id"])
    farah = next(e for e in entities if e["properties"].get("recordId") == ["s025"])
    assert farah["schema"] == "UnknownLink"  # worked with agents investigating MS-13: never "member of"
    unnamed = [
        e for e in entities if e["schema"] == "Person" and names.UNNAMED_TEXT in str(e["properties"].get("notes"))
    ]
    people = everything.model.entities
    assert len(unnamed) == (people["unnamed"] & (people["kind"] == "person")).sum() == 9
    case = next(e for e in entities if e["schema"] == "CourtCase")
    parties = [e for e in entities if e["schema"] == "CourtCaseParty" and e["properties"]["case"] == [case["id"]]]
    assert any(p["properties"]["role"] == ["defendant"] for p in parties)
    defendant = next(p for p in parties if p["properties"]["role"] == ["defendant"])
    assert by_id[defendant["properties"]["party"][0]]["schema"] == "Person"


def test_the_ftm_export_follows_the_filters(rubio_march):
    entities = ftm_lines(rubio_march)
    assert_valid_ftm(entities)
    records = {e["properties"]["recordId"][0] for e in entities if "recordId" in e["properties"]}
    assert records and records <= set(rubio_march.statements["id"])


def test_the_story_page_reads_as_a_story_for_readers(everything):
    # A lede from the dataset's description (without how the file is kept), a byline and a date, the
    # key moments in date order as the spine, the reader's case columns, and no file names or ids.
    from dashboard.derive import cases
    from dashboard.exports import story

    context = story.story_context(everything)
    assert context["lede"].startswith("Sourced statements about the reported deal") and "seeds/" not in context["lede"]
    assert context["byline"] and context["dated"] == "4 December 2026"  # the data package's last_curated
    moments = context["moments"]
    assert [m["label"] for m in moments][:2] == ["2021 indictment", "2022 indictment unsealed"]
    assert "López Larios deported" in [m["label"] for m in moments] and all(m["quote"] for m in moments)
    assert context["case_headers"] == [cases.SHORT_LABELS[c] for c in cases.READER_COLUMNS]
    html = story.story_html(everything)
    shown = re.sub(r"<script.*?</script>|<style.*?</style>|<[^>]+>", " ", html, flags=re.S)
    assert "rubio-bukele-ms13-deal.txt" not in shown and "seeds/" not in shown
    assert not re.search(r"\bs0\d\d\b", shown)  # statement ids stay in anchors, never in the text
    assert '<details class="evidence">' in html and 'type="search"' in html
    assert 'role="img"' not in html  # the charts are interactive: no image role around their controls
