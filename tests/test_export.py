"""Publication export: sizes, frames, formats, alt text and the command line, rendered for real."""

from __future__ import annotations

from datetime import date

import pytest
from helpers import run_dashboard, small_rows

from dashboard.dataset.model import build_model, events
from dashboard.dataset.validation import check_dataset
from dashboard.derive import describe
from dashboard.derive import filters as flt
from dashboard.derive.context import Context, Options
from dashboard.exports import frame as framing
from dashboard.exports import publish, registry, render
from dashboard.views import network as net
from dashboard.views import timeline as tl


@pytest.fixture(scope="module")
def renderer():
    return render.Renderer()


def cases_group(model) -> str:
    return publish.cases_table(model, model.statements, flt.Filters(), Options())[0]


def build(bundled, model, view, fmt, preset, filters=None, renderer=None, **options):
    filters = filters or flt.Filters()
    context = Context.build(bundled, model, filters)
    return registry.build(view, fmt, context.with_options(Options(**options)), preset, renderer=renderer)


@pytest.mark.parametrize("preset", ["social", "square", "article"])
def test_each_png_has_its_presets_pixel_size(bundled, model, renderer, preset):
    result = build(bundled, model, "timeline", "png", preset, renderer=renderer)
    assert render.png_size(result.data) == render.PRESETS[preset].pixels
    assert result.file_name == f"timeline-{preset}.png" and result.media_type == "image/png"


@pytest.mark.parametrize("view", ["network", "cases"])
def test_network_and_case_pngs_at_the_social_size(bundled, model, renderer, view):
    assert render.png_size(build(bundled, model, view, "png", "social", renderer=renderer).data) == (1200, 675)


@pytest.mark.parametrize("view", ["timeline", "network", "cases"])
def test_each_svg_holds_the_title_and_the_source_line(bundled, model, renderer, view):
    svg = build(bundled, model, view, "svg", "print", renderer=renderer).data.decode("utf-8")
    assert svg.startswith("<svg") and 'width="1500"' in svg
    title = framing.header(view, Context.build(bundled, model), cases_group(model) if view == "cases" else None)[0]
    assert title in svg and "The Rubio–Bukele deal" in svg
    assert "Source: News article on the Rubio–Bukele deal" in svg and bundled.schema.credit in svg


def test_the_print_preset_is_vector_only(bundled, model, renderer):
    with pytest.raises(registry.UnknownExport, match="print preset exports svg"):
        build(bundled, model, "timeline", "png", "print", renderer=renderer)


def test_a_person_filter_changes_the_export(bundled, model, renderer):
    everyone = build(bundled, model, "timeline", "svg", "social", renderer=renderer)
    rubio = flt.Filters(people=("Marco Rubio",))
    only_rubio = build(bundled, model, "timeline", "svg", "social", filters=rubio, renderer=renderer)
    assert only_rubio.data != everyone.data
    assert "Marco Rubio" in only_rubio.data.decode() and "All statements in the dataset" in everyone.data.decode()
    assert only_rubio.alt_text != everyone.alt_text and only_rubio.file_name == "timeline-marco-rubio-social.svg"


def test_the_frame_says_what_is_shown_and_drops_screen_controls(bundled, model):
    sides = bundled.schema.enum("side")
    printed, _, notes = publish.timeline_figure(model, model.statements, sides, Options())
    assert not printed.layout.updatemenus  # the printed timeline breaks its axis instead of zooming
    figure = tl.timeline_figure(tl.TimelineData(events(model.statements), model.entities, sides))  # the screen's
    assert figure.layout.updatemenus and figure.layout.xaxis.rangeslider.visible
    context = Context.build(bundled, model, flt.Filters(end=date(2025, 3, 14)))
    frame = framing.default_frame("timeline", context, notes)
    framed = render.framed(figure, frame, render.PRESETS["square"])
    assert (framed.layout.width, framed.layout.height) == (1080, 1080)
    assert not framed.layout.updatemenus and not framed.layout.xaxis.rangeslider.visible
    # The date is written for readers now ("14 March 2025"), no longer in ISO form.
    assert render.frame_text(framed, "frame-title") == ["What happened, up to 14 March 2025"]
    assert "14 March 2025" in " ".join(render.frame_text(framed, "frame-filters"))
    footer = [a.text for a in framed.layout.annotations]
    assert any(t.startswith("Source: ") for t in footer) and any("Hollow marks" in t for t in footer)
    # Issue 11: each kind of mark says what it is: year inferred apart from the whole date, open ends.
    # The frame wraps a long note to the preset's width, one annotation a line: read the lines top down.
    lines = sorted((a for a in framed.layout.annotations if a.yref == "paper"), key=lambda a: -a.y)
    read = " ".join(a.text for a in lines)
    assert "with a dot, the source prints the day and month, and only the year is inferred" in read
    assert any(t.startswith("Hatched bars with an arrow: dated by the source only as on or after") for t in footer)
    assert framed.layout.paper_bgcolor == "#ffffff"


def test_frame_text_is_escaped(make_dataset):
    dataset = check_dataset(make_dataset(rows=small_rows()))
    model = build_model(dataset.frame)
    frame = render.Frame(title="<b>x</b>", subtitle="<script>alert(1)</script>", source="<i>s</i>")
    framed = render.framed(net.network_figure(net.build_graph(model.statements, model.entities), {}), frame,
                           render.PRESETS["social"])  # fmt: skip
    texts = {a.name: a.text for a in framed.layout.annotations}
    assert "<script>" not in texts["frame-subtitle"] and "&lt;b&gt;x" in texts["frame-title"]


def test_the_case_csv_neutralises_formulas(make_dataset):
    rows = small_rows()
    rows.append({**rows[2], "id": "t4", "subject": "=HYPERLINK(\"http://x\")", "relation": "is one of",
                 "object": "[Crew]", "relation_type": "affiliation", "statement_type": "profile",
                 "kind": "person", "side": "MS-13", "certainty": "stated", "date": ""})  # fmt: skip
    rows.append({**rows[2], "id": "t5", "subject": "[Crew]", "relation": "is", "object": "", "kind": "group",
                 "side": "MS-13", "relation_type": "affiliation", "date": ""})  # fmt: skip
    dataset = check_dataset(make_dataset(rows=rows))
    assert dataset.ok, [str(p) for p in dataset.problems]
    model = build_model(dataset.frame)
    result = registry.build("cases", "csv", Context.build(dataset, model))
    text = result.data.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text
    assert result.file_name == "cases.csv"


def test_the_network_html_export_works_offline(bundled, model):
    html = build(bundled, model, "network", "html", "social").data.decode("utf-8")
    assert net.external_references(html) == []
    assert "vis-network" in html.lower() or "vis.Network" in html


def test_descriptions_say_what_each_chart_shows(bundled, model):
    timeline_text = describe.timeline(model.statements)
    # Issue 11 dated or bounded every datable event: 29 dated, 36 undated (was 11 and 55). Issue 26
    # added s116 (2022 or later) and s117 (undated), and dated the deportation (s001) from the call.
    assert timeline_text.startswith(
        "Timeline of 30 dated events from 2021 to between 13 March 2025 and March 2025 (inferred)."
    )
    assert "busiest month is March 2025" in timeline_text and "37 more events" in timeline_text
    # Ranges are drawn as bars, and the alt text says so for each kind (issue 11).
    assert "5 events that the source places between two dates are drawn as bars." in timeline_text
    assert "15 events that the source dates only as on or after a date are drawn as hatched bars" in timeline_text
    assert "4 dates whose day and month the source prints, with the year inferred, are hollow marks with a dot." in (
        timeline_text
    )
    graph = net.build_graph(model.statements, model.entities)
    network_text = describe.network(graph)
    assert f"linked by {graph.number_of_edges()} relations" in network_text and "most connected" in network_text
    _, table = publish.cases_table(model, model.statements, flt.Filters(), Options())
    cases_text = describe.cases(table, "[The nine men Bukele requested]", "the reporting")
    assert (
        "8 in U.S. custody (2 of them linked to the group only by inference; the status inferred for 2)"
        " and 1 deported to El Salvador" in cases_text
    ) and "6 not identified" in cases_text


def run_cli(*args):
    return run_dashboard("export", *args, timeout=120)


def test_the_command_line_writes_the_file_and_its_alt_text(tmp_path):
    out = tmp_path / "cases.png"
    result = run_cli("cases", "--format", "png", "--preset", "social", "--out", str(out), "--end", "2025-03-14")
    assert result.returncode == 0, result.stderr
    assert render.png_size(out.read_bytes()) == (1200, 675)
    alt = (tmp_path / "cases.alt.txt").read_text()
    assert "as of 2025-03-14: 9 in U.S. custody" in alt


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["timeline", "--format", "png", "--preset", "billboard"], "invalid choice: 'billboard'"),
        (["maps", "--format", "png"], "invalid choice: 'maps'"),
        (["timeline", "--format", "csv"], "the timeline view exports png, svg, not “csv”"),
        (["timeline", "--format", "png", "--person", "Nobody Atall"], "no one in the dataset matches it"),
        (["timeline", "--format", "png", "--start", "13/03/2025"], "dates are written YYYY-MM-DD"),
    ],
)
def test_the_command_line_refuses_unknown_input_with_a_clear_message(tmp_path, args, message):
    result = run_cli(*args, "--out", str(tmp_path / "x.png"))
    assert result.returncode != 0 and message in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "x.png").exists()


def test_a_large_dataset_exports_the_views_as_the_pages_draw_them(tmp_path, renderer):
    from dashboard.dataset.synthetic import write_dataset

    dataset = check_dataset(write_dataset(tmp_path, 8000, seed=5))
    model = build_model(dataset.frame)
    sides = dataset.schema.enum("side")
    figure, _, notes = publish.timeline_figure(model, model.statements, sides, Options())
    assert any("too many to draw" in n and ("events of a year" in n or "events of a month" in n) for n in notes)
    assert any(t.type == "bar" for t in figure.data) and not any(t.meta for t in figure.data)  # columns, not marks
    result = registry.build("network", "png", Context.build(dataset, model), renderer=renderer)
    assert render.png_size(result.data) == (1200, 675)
    graph = net.build_graph(model.statements, model.entities)
    assert net.large_graph_notice(graph) and graph.number_of_nodes() <= net.LARGE_GRAPH_SHOWN + len(sides)
