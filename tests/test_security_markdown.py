"""Nothing from a link or a dataset becomes live markup (issue 13): every payload of the issue, in
every URL parameter, on every page, renders as text — no link, no image, no colour directive — and
crafted dates or floods of values end in a notice, never a traceback."""

from __future__ import annotations

import re

import pytest
from helpers import app, small_rows
from markdown_it import MarkdownIt

from dashboard.app import ui
from dashboard.derive import links

PAYLOADS = {
    "link": "[Verify your account here](https://evil.example/login)",
    "image": "![x](https://evil.example/px.png)",
    "colour": ":red[**This story has been RETRACTED**]",
    "bare-url": "https://evil.example/login",
    "www": "www.evil.example",
    "email": "verify@evil.example",
    "html": "<img src=https://evil.example/x.png>",
    "icon": ":material/warning: RETRACTED",
    "heading": "x\n# RETRACTED",
}
PARAMS = ["person", "statement", "start", "end", "side", "certainty", "undated", "focus", "hops", "event", "present"]
PAGES = ["overview", "timeline", "network", "cases", "sources"]
_PARSER = MarkdownIt("commonmark").enable("strikethrough")
# Streamlit's own markdown extensions: colour/background directives, icons and emoji shortcodes.
_DIRECTIVE = re.compile(r"(?<!\\):(?:[a-z]+-?[a-z]*\[|material/|[a-z_]+:)")
# remark-gfm's autolink literals, which Streamlit applies to text *after* backslash escapes are
# resolved (measured in Chromium: "https\\://x" still became a link).
_AUTOLINK = re.compile(r"(?i)https?://|\bwww\.|[-.\w+]+@[-\w]+(?:\.[-\w]+)+", re.ASCII)


def rendered_markdown(at) -> list[str]:
    """The markdown source of every element Streamlit renders as markdown."""
    texts = []
    for kind in ("markdown", "caption", "warning", "info", "error", "success", "title", "header", "subheader"):
        texts += [str(element.value) for element in at.get(kind)]
    texts += [element.proto.label for element in at.get("expandable")]
    texts += [element.proto.label for element in at.get("page_link")]
    return texts


def live_markup(text: str) -> list[str]:
    """What in `text` would render as a link, an image, a colour, an icon, HTML or a heading."""
    found = []
    for token in _PARSER.parse(text):
        for child in [token, *(token.children or [])]:
            own_link = child.type == "link_open" and str(child.attrs.get("href", "")).startswith("./")
            if child.type in ("link_open", "image", "html_inline", "html_block", "heading_open") and not own_link:
                found.append(f"{child.type}: {child.attrs or child.content}")
    found += [f"directive: {m.group()}" for m in _DIRECTIVE.finditer(text)]
    found += [f"autolink: {m.group()}" for m in _AUTOLINK.finditer(unescaped(text))]
    return found


def assert_inert(at) -> None:
    assert not at.exception, at.exception
    for text in rendered_markdown(at):
        if "evil" in text or "RETRACTED" in text:
            assert not live_markup(text), (text, live_markup(text))


ALL_AT_ONCE = " ".join(PAYLOADS.values())


@pytest.mark.parametrize("param", PARAMS)
def test_every_payload_in_any_url_parameter_is_text_on_every_page(param):
    at = app(**{param: ALL_AT_ONCE}).run()
    assert_inert(at)
    for page in PAGES[1:]:
        at.switch_page(f"dashboard/app/pages/{page}.py").run()
        assert_inert(at)


@pytest.mark.parametrize("payload", list(PAYLOADS))
@pytest.mark.parametrize(("param", "page"), [("person", "overview"), ("statement", "sources"), ("event", "timeline")])
def test_each_payload_alone_is_text(param, page, payload):
    at = app(**{param: PAYLOADS[payload]}).run()
    if page != "overview":
        at.switch_page(f"dashboard/app/pages/{page}.py").run()
    assert_inert(at)
    assert any(
        PAYLOADS[payload].split()[-1][:8] in unescaped(text).replace("\u2060", "") for text in rendered_markdown(at)
    )


@pytest.mark.parametrize("payload", ["link", "image", "colour"])
def test_the_notice_for_a_bad_person_or_statement_shows_the_payload_as_text(payload):
    at = app(person=PAYLOADS[payload], statement=PAYLOADS[payload]).run()
    warnings = [w.value for w in at.warning]
    assert any("Ignored person" in w for w in warnings), warnings
    at.switch_page("dashboard/app/pages/sources.py").run()
    warnings = [w.value for w in at.warning]
    assert any("No statement has the id" in w for w in warnings), warnings
    assert all(not live_markup(w) for w in warnings)


def test_markdown_text_checker_finds_live_markup():
    """The checker above would catch each payload unescaped (so the tests can fail)."""
    for name, payload in PAYLOADS.items():
        if name != "html":
            assert live_markup(payload), name
        assert not live_markup(ui.escape_markdown(payload)), name


def test_a_dataset_with_payloads_in_every_field_renders_as_text(make_dataset, monkeypatch):
    rows = small_rows()
    for row in rows:
        for column in ("summary", "label", "note", "date_note", "role", "aliases", "attribution"):
            row[column] = PAYLOADS["link"] + " " + PAYLOADS["colour"] + " " + PAYLOADS["bare-url"]
    rows[1]["subject"] = PAYLOADS["colour"]
    rows[2]["object"] = "[Members](https://evil.example/login)"
    rows[2]["relation_type"] = "affiliation"
    rows[2]["kind"] = "person"
    monkeypatch.setenv(ui.ENV_VAR, str(make_dataset(rows=rows)))
    at = app(statement="t1").run()
    assert_inert(at)
    for page in PAGES[1:]:
        at.switch_page(f"dashboard/app/pages/{page}.py").run()
        assert_inert(at)


@pytest.mark.parametrize("statement_id", ["x)[evil](https://evil.example)", "a b#c?d=e", "s1%29"])
def test_quote_fragments_are_url_encoded(statement_id):
    url = links.source_url(statement_id)
    fragment = url.split("#", 1)[1]
    assert re.fullmatch(r"[A-Za-z0-9%._~-]+", fragment), fragment
    assert links.source_urls([statement_id])[0].split("#", 1)[1] == fragment
    assert not live_markup(f"[view in source]({url})")  # only our own relative link


@pytest.mark.parametrize(
    ("query", "notice"),
    [
        ({"start": "9999-01-01"}, "Ignored start=“9999-01-01”: dates run from 1900-01-01 to 2100-12-31."),
        ({"end": "1800-01-01"}, "Ignored end=“1800-01-01”"),
        ({"end": "0001"}, "Ignored end=“0001”"),
        ({"start": "1899-12-31", "end": "2101"}, "Ignored end=“2101”"),
    ],
)
def test_dates_outside_the_widgets_range_are_ignored_with_a_notice_on_every_page(query, notice):
    at = app(**query).run()
    for page in PAGES:
        if page != "overview":
            at.switch_page(f"dashboard/app/pages/{page}.py").run()
        assert not at.exception, (page, at.exception)
        shown = [unescaped(w.value) for w in at.warning]
        assert any(notice in w for w in shown), (page, shown)


def unescaped(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown)


def test_the_payload_dataset_is_really_shown(make_dataset, monkeypatch):
    """The dataset test above is not vacuous: the payloads reach the pages (escaped)."""
    rows = small_rows()
    rows[0]["summary"] = PAYLOADS["link"]
    monkeypatch.setenv(ui.ENV_VAR, str(make_dataset(rows=rows)))
    at = app(statement="t1").run()
    at.switch_page("dashboard/app/pages/sources.py").run()
    assert any("evil" in text for text in rendered_markdown(at))
