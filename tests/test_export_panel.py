"""The publication panel: a preview at the chosen size, the frame's warnings, and files made in the
page's run, so an export that fails says so in the panel, in words, never through a silent button."""

from __future__ import annotations

from helpers import app

from dashboard.app import export_panel
from dashboard.dataset.schema import BUNDLED_DATA
from dashboard.derive.context import open_context
from dashboard.exports import registry
from dashboard.exports.result import Refused


def panel(page: str, **query):
    at = app(**query).run()
    at.switch_page(f"dashboard/app/pages/{page}.py").run()
    assert not at.exception, at.exception
    at.session_state[f"{page}_export_open"] = True  # a reader's click on the panel's header
    at.run()
    at.toggle(key=f"{page}_export_ready").set_value(True).run()
    assert not at.exception, at.exception
    return at


def test_the_panel_previews_the_export_and_offers_its_files():
    at = panel("timeline", person="Nayib Bukele")  # the state that used to fail without a word
    labels = [b.proto.label for b in at.get("download_button")]
    assert {"PNG", "SVG", "Alt text"} <= set(labels)
    images = at.get("image")
    assert images and "Preview: Social card" in str(images[0].proto)
    assert not at.error


def test_a_failed_export_says_so_in_the_panel(monkeypatch):
    def refuse(*args, **kwargs):
        raise Refused("nothing to draw under these filters")

    monkeypatch.setattr(registry, "draw", refuse)
    at = panel("network", person="Marco Rubio")
    said = [e.value.replace("\\", "") for e in at.error]
    assert any("This export cannot be made: nothing to draw under these filters" in e for e in said), said
    assert "PNG" not in [b.proto.label for b in at.get("download_button")]


class Broken:
    def render(self, figure, fmt, preset):
        raise RuntimeError("the browser went away\nwith a traceback")


def test_a_failed_rendering_is_named_per_file_in_one_line():
    context = open_context(BUNDLED_DATA, {"person": ["Nayib Bukele"]})
    made = export_panel.make_files(context, "timeline", "social", {}, ("png", "svg"), Broken())
    assert not made.error and not made.preview
    for fmt in ("png", "svg"):
        assert made.files[fmt] == "the chart could not be drawn (RuntimeError: the browser went away)"


def test_the_editor_chooses_which_marks_the_timeline_labels(monkeypatch):
    """The panel's Labels choice reaches the drawing through the one pipeline; the network has none."""
    asked = []
    draw = registry.draw

    def spy(view, context, preset="social", edits=None):
        asked.append(context.options.labels)
        return draw(view, context, preset, edits)

    monkeypatch.setattr(registry, "draw", spy)
    at = panel("timeline", person="Nayib Bukele")
    radio = at.radio(key="timeline_export_labels")
    assert radio.value == "all" and set(radio.options) >= {"Key moments only", "No labels"}
    warned = " ".join(w.value for w in at.warning)
    radio.set_value("key").run()
    assert not at.exception and asked[-1] == "key" and "all" in asked
    assert "of the 5 marks have no label" in warned.replace("\\", "")  # the editor is told
    assert not [r for r in panel("network").radio if r.key == "network_export_labels"]


def frame_fields(at) -> dict:
    return {t.label: t.value for t in at.text_input if "_frame_" in (t.key or "")}


def test_a_closed_panel_sends_nothing_and_an_opened_one_keeps_the_editors_words():
    """The panel is built only while open (its fields cost every page's first draw and every rerun),
    and what the editor wrote survives closing and opening it again."""
    at = app().run()
    at.switch_page("dashboard/app/pages/timeline.py").run()
    assert not at.exception, at.exception
    assert not frame_fields(at) and not at.get("download_button")
    assert not [s for s in at.selectbox if s.key == "timeline_export_preset"]
    at.session_state["timeline_export_open"] = True
    at.run()
    fields = frame_fields(at)
    assert fields["Title"] == "What happened, 2021 to 2025" and "Byline" in fields
    next(t for t in at.text_input if t.label == "Title").input("The March deal, day by day").run()
    at.selectbox(key="timeline_export_preset").set_value("square").run()
    at.session_state["timeline_export_open"] = False
    at.run()
    assert not frame_fields(at)
    at.session_state["timeline_export_open"] = True
    at.run()
    assert not at.exception, at.exception
    assert frame_fields(at)["Title"] == "The March deal, day by day"
    assert at.selectbox(key="timeline_export_preset").value == "square"
