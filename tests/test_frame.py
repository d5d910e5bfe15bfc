"""The export's frame: a header written from the whole view state, the editor's fields on the command
line and in the file, the no-wrongdoing line everywhere, names that tell files apart, a type scale
per preset and the framed interactive HTML."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html import unescape

import pytest
from helpers import run_dashboard
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.derive import describe
from dashboard.derive import filters as flt
from dashboard.derive.context import Context, NetworkView, Options
from dashboard.exports import frame as framing
from dashboard.exports import publish, registry, render
from dashboard.views import network as net
from dashboard.vocabulary import NOTICE_SHORT

BUKELE_2 = NetworkView(
    focus="Nayib Bukele", hops=2, hidden_certainties=("alleged",), relation_types=("deal", "custody")
)


@pytest.fixture(scope="module")
def renderer():
    return render.Renderer()


def context_of(bundled, model, **filters) -> Context:
    return Context.build(bundled, model, flt.Filters(**filters))


def svg_text(data: bytes) -> str:
    """The words of an SVG as a reader sees them: text nodes joined, entities decoded."""
    return unescape(" ".join(re.findall(r"<text[^>]*>(.*?)</text>", data.decode("utf-8"), flags=re.S)))


def test_a_focused_network_header_names_the_focus_and_every_control(bundled, model):
    context = context_of(bundled, model, start=date(2025, 3, 1), end=date(2025, 3, 31))
    title, subtitle, filters = framing.header("network", context.with_options(Options(network=BUKELE_2)))
    assert title == "Who is linked to Nayib Bukele, March 2025" and subtitle.startswith("The Rubio–Bukele deal")
    for words in ("Within 2 links of Nayib Bukele", "Alleged links hidden", "Only relations of type deal and custody",
                  "Dated 1 March 2025 to 31 March 2025"):  # fmt: skip
        assert words in filters
    assert "All statements" not in filters
    everyone = framing.header("network", context_of(bundled, model))
    assert everyone[0] == "Who is linked to whom" and everyone[2] == "All statements in the dataset"


def test_timeline_and_case_headlines_are_written_from_the_view(bundled, model):
    context = context_of(bundled, model, people=("Marco Rubio",))
    title, _, filters = framing.header("timeline", context.with_options(Options(lanes="person")))
    assert title == "Marco Rubio in the story, 2025" and "One lane per person" in filters
    assert framing.header("timeline", context_of(bundled, model))[0] == "What happened, 2021 to 2025"
    march = context_of(bundled, model, people=("Nayib Bukele", "Marco Rubio"), start=date(2025, 3, 1),
                       end=date(2025, 3, 14))  # fmt: skip
    assert framing.header("timeline", march)[0] == "Nayib Bukele and Marco Rubio in the story, 1–14 March 2025"
    cases = context_of(bundled, model, end=date(2025, 3, 14))
    title, _, filters = framing.header("cases", cases, group="[The nine men Bukele requested]")
    assert title == "Where the cases of the nine men Bukele requested stand, as of 14 March 2025"
    assert "Status as of 14 March 2025" in filters


@given(
    people=st.lists(
        st.sampled_from(["Nayib Bukele", "Marco Rubio", "[The nine men Bukele requested]", "MS-13"]),
        max_size=3,
        unique=True,
    ),
    start=st.one_of(st.none(), st.dates(date(2020, 1, 1), date(2025, 12, 31))),
    length=st.integers(0, 800),
    open_end=st.booleans(),
    sides=st.lists(st.sampled_from(["MS-13", "U.S. government"]), max_size=2, unique=True),
    certainties=st.lists(st.sampled_from(["alleged", "stated", "denied"]), max_size=2, unique=True),
    view=st.sampled_from(["timeline", "network", "cases"]),
)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_headlines_hold_their_grammar_for_every_filter_combination(
    bundled, model, people, start, length, open_end, sides, certainties, view
):
    end = None if open_end or start is None else start + timedelta(days=length)
    context = context_of(bundled, model, people=tuple(people), start=start, end=end, sides=tuple(sides),
                         certainties=tuple(certainties))  # fmt: skip
    title, subtitle, filters = framing.header(view, context, group="[The nine men Bukele requested]")
    assert title and title[0].isupper() and "  " not in title and not title.endswith((",", " ", "."))
    assert "Timeline of events" not in title and ", ," not in title and "involving the sides" not in filters
    for name in people:
        assert model.display(name) in title or view == "cases"
    if end:
        assert str(end.year) in title
    assert filters and "·  " not in filters and all(part[0].isupper() for part in filters.split(" · "))


def test_alt_text_stands_alone_and_names_the_focus(bundled, model):
    result = registry.build("network", "html", context_of(bundled, model).with_options(Options(network=BUKELE_2)))
    assert result.alt_text.startswith("Who is linked to Nayib Bukele.")
    assert "Nayib Bukele, the focus, is drawn with a heavy outline" in result.alt_text
    cases_alt = registry.build("cases", "csv", context_of(bundled, model)).alt_text
    assert NOTICE_SHORT in result.alt_text and NOTICE_SHORT in cases_alt
    timeline_alt = framing.alt_text(
        "timeline", framing.default_frame("timeline", context_of(bundled, model)),
        describe.timeline(model.statements), context_of(bundled, model),
    )  # fmt: skip
    for words in ("listed separately", "dashboard", "below the graph", "on the page"):
        assert words not in timeline_alt
    assert (
        timeline_alt.startswith("What happened, 2021 to 2025. The Rubio–Bukele deal") and NOTICE_SHORT in timeline_alt
    )
    assert "All statements in the dataset." in timeline_alt


def test_the_source_fields_come_from_the_data_package_and_invent_nothing(bundled):
    fields = framing.source_fields(bundled.schema)
    # The seed file names no outlet, date or link: the package leaves them empty and says so.
    assert fields["source"].startswith("News article on the Rubio–Bukele deal")
    assert fields["source_date"] == "" and fields["source_link"] == ""
    missing = framing.missing_source_fields(bundled.schema)
    assert missing.startswith("The data package gives no outlet, date or link for its source.")
    assert "Washington Post" in missing
    package = {"sources": [{"title": "T", "outlet": "The Outlet", "date": "2025-03-16", "link": "javascript:x"}]}
    other = framing.source_fields(type(bundled.schema)(fields=(), meta=package))
    assert other == {"source": "The Outlet", "source_date": "2025-03-16", "source_link": ""}


def test_the_editor_rewrites_the_frame_but_not_the_notice(bundled, model):
    default = framing.default_frame("timeline", context_of(bundled, model), notes=("Key.",))
    frame = framing.edited(default, {"title": " New  title ", "notes": [], "more_notes": ["Mine."], "credit": None})
    assert frame.title == "New title" and frame.notes == ("Mine.",) and frame.credit == default.credit
    assert NOTICE_SHORT in frame.footer
    assert framing.edited(default, {"more_notes": ["Mine."]}).notes == ("Key.", "Mine.")
    bare = render.Frame(title="x", notice="")
    assert NOTICE_SHORT in bare.footer and bare.footer[-1] == NOTICE_SHORT


def test_file_names_say_view_focus_dates_and_preset(bundled, model):
    def in_view(filters, options):
        return Context.build(bundled, model, filters, options=options)

    march = flt.Filters(start=date(2025, 3, 1), end=date(2025, 3, 31))
    focused = Options(network=NetworkView(focus="Nayib Bukele", hops=2))
    names = {
        framing.file_name("network", "png", "social", in_view(flt.Filters(), Options())),
        framing.file_name("network", "png", "social", in_view(flt.Filters(), focused)),
        framing.file_name("network", "png", "square", in_view(flt.Filters(), focused)),
        framing.file_name("network", "png", "social", in_view(march, focused)),
        framing.file_name("network", "png", "social", in_view(march, Options(network=BUKELE_2))),
        framing.file_name("network", "html", "social", in_view(march, focused)),
    }
    assert len(names) == 6
    assert framing.file_name("network", "png", "social", in_view(march, focused)) == (
        "network-focus-nayib-bukele-2-links-2025-03-01-to-2025-03-31-social.png"
    )
    assert framing.file_name("timeline", "png", "article", in_view(flt.Filters(), Options())) == "timeline-article.png"


def sizes(figure) -> list[float]:
    """Every font size a framed figure sets: layout fonts, annotations, legends, trace text, ticks."""
    layout = figure.layout
    found = [a.font.size for a in layout.annotations] + [layout.title.font.size, layout.title.subtitle.font.size]
    found += [layout[name].font.size for name in ("legend", "legend2") if layout[name].font.size]
    found += [layout.xaxis.tickfont.size, layout.yaxis.tickfont.size]
    for trace in figure.data:
        if trace.type == "table":
            found += [trace.header.font.size, trace.cells.font.size]
        elif "textfont" in trace and trace.textfont.size is not None:
            found += (
                [trace.textfont.size] if isinstance(trace.textfont.size, (int, float)) else list(trace.textfont.size)
            )
    return [s for s in found if s is not None]


@pytest.mark.parametrize("preset", ["social", "square", "article"])
def test_each_preset_has_its_own_type_scale_and_no_text_below_its_minimum(bundled, model, preset):
    size = render.PRESETS[preset].type
    context = context_of(bundled, model)
    figure, _, notes = publish.timeline_figure(model, model.statements, context.sides, Options())
    framed = render.framed(figure, framing.default_frame("timeline", context, notes),
                           render.PRESETS[preset])  # fmt: skip
    assert min(sizes(framed)) >= size.minimum
    graph = net.build_graph(model.statements, model.entities)
    network = render.framed(net.network_figure(graph, {}, focus="Nayib Bukele"), render.Frame("t", "s"),
                            render.PRESETS[preset])  # fmt: skip
    assert min(sizes(network)) >= size.minimum
    # Notes one step below the legend, never the social card's 12 px beside a 20 px legend.
    assert size.note >= size.body * 0.8


def test_the_square_does_not_reuse_the_social_type():
    social, square = render.PRESETS["social"].type, render.PRESETS["square"].type
    assert square.minimum > social.note and square.body > social.body * 1.3


@pytest.mark.parametrize("preset", ["social", "square", "article"])
def test_the_case_table_has_five_reader_columns_and_fills_its_canvas(bundled, model, preset):
    group, table = publish.cases_table(model, model.statements, flt.Filters(), Options())
    frame = framing.default_frame("cases", context_of(bundled, model), ("n",), group)
    chosen = render.PRESETS[preset]
    area = render.margins(publish.cases_figure(table, group, chosen), frame, chosen).plot_area(chosen)
    figure = publish.cases_figure(table, group, chosen, area)
    cells = figure.data[0]
    assert len(cells.header.values) == 5 and "Listed in the data as" not in str(cells.header.values)
    rows = [cells.header.values, *zip(*cells.cells.values)]
    lines = [max(str(cell).count("<br>") + 1 for cell in row) for row in rows]
    drawn = publish._table_height(cells.cells.font.size, cells.cells.height, lines)
    assert drawn <= area[1] and (drawn >= 0.85 * area[1] or cells.cells.height >= cells.cells.font.size * 3.2 - 1)


@pytest.mark.parametrize("view", ["timeline", "network", "cases"])
def test_the_no_wrongdoing_line_is_on_every_image_export(bundled, model, renderer, view):
    result = registry.build(view, "svg", context_of(bundled, model), "square", renderer=renderer)
    assert NOTICE_SHORT in svg_text(result.data) and NOTICE_SHORT in result.alt_text


def test_a_focused_export_says_and_draws_its_focus(bundled, model, renderer):
    options = Options(network=NetworkView(focus="Nayib Bukele", hops=2))
    result = registry.build("network", "svg", context_of(bundled, model).with_options(options), renderer=renderer)
    words = svg_text(result.data)
    assert "Who is linked to Nayib Bukele" in words and "Within 2 links of Nayib Bukele" in words
    assert "Black ring: the focus" in words and "All statements in the dataset" not in words
    assert result.file_name == "network-focus-nayib-bukele-2-links-social.svg"


def test_the_html_export_has_its_frame(bundled, model):
    edits = {"title": "Bukele's <script>alert(1)</script> circle", "source": "The Outlet", "byline": "Jane Doe",
             "source_link": "https://example.org/story", "more_notes": ["An editor's note."]}  # fmt: skip
    options = Options(network=BUKELE_2)
    html = registry.build(
        "network", "html", context_of(bundled, model).with_options(options), edits=edits
    ).data.decode()
    assert '<html lang="en">' in html
    assert "<title>Bukele&#39;s &lt;script&gt;alert(1)&lt;/script&gt; circle</title>" in html
    assert "<script>alert(1)" not in html
    for words in ("Colour: side", "Line: certainty", "Heavy outline: the focus", "Within 2 links of Nayib Bukele",
                  "An editor&#39;s note.", "Source: The Outlet", "Graphic: Jane Doe", NOTICE_SHORT):  # fmt: skip
        assert words in html, words
    assert '<a href="https://example.org/story">' in html
    assert '"zoomView": true' in html and '"dragView": true' in html
    assert set(net.external_references(html)) == {"https://example.org/story"}  # the editor's link only
    javascript = registry.build("network", "html", context_of(bundled, model),
                                edits={"source_link": "javascript:alert(1)"}).data.decode()  # fmt: skip
    assert "href=" not in javascript.split("<footer", 1)[1]


def test_the_page_network_zooms_and_has_no_frame(model):
    graph = net.build_graph(model.statements, model.entities)
    html = net.network_html(graph, {})
    # Issue 14: zoom and pan on the page too (a phone needs them to read the labels).
    assert '"zoomView": true' in html and "<header>" not in html and "<title>Network graph</title>" in html


def run_cli(*args):
    return run_dashboard("export", *args, timeout=180)


def test_the_command_line_frame_flags_land_in_the_file(tmp_path):
    out = tmp_path / "n.svg"
    result = run_cli(
        "network", "--format", "svg", "--preset", "square", "--out", str(out), "--focus", "nayib bukele", "--hops", "2",
        "--hide", "inferred", "--title", "Bukele's circle", "--subtitle", "Who reached whom",
        "--note", "First note.", "--note", "Second note.", "--source", "The Outlet", "--source-date", "16 March 2025",
        "--source-link", "https://example.org/a", "--byline", "Graphic by Jane Doe", "--credit", "The Desk",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    words = svg_text(out.read_bytes())
    for expected in ("Bukele's circle", "Who reached whom", "First note.", "Second note.",
                     "Source: The Outlet, 16 March 2025. https://example.org/a", "Graphic: Jane Doe · The Desk",
                     "Arrows point from subject to object", NOTICE_SHORT):  # fmt: skip
        assert expected in words, expected
    # The subtitle is the editor's; the filters line is the frame's own and stays. The byline's
    # "Graphic by" is not doubled.
    assert "Within 2 links of Nayib Bukele · Inferred links hidden" in words and "Graphic: Graphic" not in words
    alt = (tmp_path / "n.alt.txt").read_text()
    assert alt.startswith("Bukele's circle. Who reached whom. Within 2 links") and "Nayib Bukele, the focus" in alt


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["network", "--format", "svg", "--focus", "Nobody Atall"], "focus “Nobody Atall”: no one"),
        (["timeline", "--format", "svg", "--focus", "Bukele"], "--focus applies to network (png, svg, html, gexf"),
        (["timeline", "--format", "svg", "--hops", "2"], "--hops applies to network"),
        (["network", "--format", "svg", "--focus", "Bukele"], "did you mean: Nayib Bukele"),
        (["network", "--format", "svg", "--lanes", "person"], "--lanes applies to timeline (png, svg) and story"),
        (["network", "--format", "svg", "--hide", "stated"], "invalid choice: 'stated'"),
    ],
)
def test_the_view_flags_refuse_what_does_not_apply(tmp_path, args, message):
    result = run_cli(*args, "--out", str(tmp_path / "x.svg"))
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr


def test_a_window_says_it_draws_events_dated_only_by_bounds_that_reach_into_it(bundled, model):
    """Issue 26: “Dated 1–31 March 2025” also draws events the source dates only as “2022 or later”;
    the subtitle says so, and the alt text never calls such an event the earliest of March."""
    from datetime import date

    from dashboard.derive import filters as flt
    from dashboard.derive.context import Context

    context = Context.build(bundled, model, flt.Filters(start=date(2025, 3, 1), end=date(2025, 3, 31)))
    words = flt.phrases(context.filters, context.model, context.statements)[0]
    assert words.startswith("Dated 1 March 2025 to 31 March 2025, with 12 statements the source dates only by bounds")
    assert "(the earliest: 2022 or later (inferred))" in words

    class NoImage:
        def render(self, *_):
            return b""

    alt = registry.build("timeline", "svg", context, renderer=NoImage()).alt_text
    assert "from 2022 or later (inferred)" in alt  # the span says what is drawn
    earliest = alt.split("The earliest dated between known bounds is “", 1)[1].split("”", 1)[0]
    assert earliest == "In exchange, Bukele sought the return of nine top MS-13 figures."
    assert "denied" not in earliest and "released" not in earliest
