"""Plotly text is escaped without `&quot;` (issue 13): a quote with an ASCII " reads as written in
hovers, annotations and published frames, while HTML attributes (the Sources page) stay quoted."""

from __future__ import annotations

from helpers import small_rows

from dashboard import text
from dashboard.dataset.model import build_model, events
from dashboard.dataset.sources import Document
from dashboard.dataset.validation import check_dataset
from dashboard.exports import render
from dashboard.views import sourceview, timeline

SAID = 'He said "we will send them back" <b>now</b> & later'


def test_plotly_text_keeps_ascii_quotes_and_escapes_tags():
    assert text.escape(SAID) == 'He said "we will send them back" &lt;b&gt;now&lt;/b&gt; &amp; later'
    assert "&quot;" not in text.wrap_html(SAID, 20) and "&#x27;" not in text.escape("it's")


def test_timeline_hovers_and_the_published_frame_show_the_quote_as_written(make_dataset):
    rows = small_rows()
    source = 'On March 11, the ministry said "no deal" to the court.\n'
    rows[0]["quote"] = 'the ministry said "no deal" to the court.'
    rows[0]["summary"] = 'The ministry said "no deal".'
    dataset = check_dataset(make_dataset(rows=rows, source_text=source + "x"))
    frame = dataset.frame
    assert "t1" in set(frame["id"]), dataset.problems
    model = build_model(frame)
    hovers = timeline.hover_texts(timeline.dated(events(model.statements)))
    hover = " ".join(map(str, hovers))
    assert '"no deal"' in hover and "&quot;" not in hover
    figure = render.framed(
        timeline.timeline_figure(
            timeline.TimelineData(events(model.statements), model.entities, ("U.S. government",), "side", hovers)
        ),
        render.Frame(title='The "deal"', subtitle='"as of" March', source='Reuters, "The deal"'),
        render.PRESETS["social"],
    )
    payload = figure.to_json()
    assert "&quot;" not in payload and '\\"deal\\"' in payload


def test_source_page_attributes_cannot_be_broken_out_of():
    html = sourceview.document_html(Document("a.txt", "Hello there."), _rows('x" onmouseover="alert(1)'))
    assert 'onmouseover="alert(1)"' not in html
    assert "x&#34; onmouseover" in html  # the template's autoescape writes the quote as &#34;


def _rows(statement_id: str):
    import pandas as pd

    return pd.DataFrame(
        [
            {
                "id": statement_id,
                "quote": "Hello there.",
                "source": "a.txt",
                "date_display": "Undated",
                "certainty": "stated",
                "attribution": "The article",
                "summary": 'A "summary"',
                "order": 1,
            }
        ]
    )
