"""The app's "Take the story out" panel: every interchange format of the command line, on every
chart page and the overview, making the same files as the command line under the page's filters."""

from __future__ import annotations

import pytest
from helpers import STORY, app

from dashboard.app import export_panel
from dashboard.derive.context import NetworkView, Options, open_context
from dashboard.exports import registry


def labels(at) -> list[str]:
    return [button.proto.label for button in at.get("download_button")]


@pytest.mark.parametrize("page", ["overview", "timeline", "network", "cases"])
def test_every_page_offers_every_interchange_format(page):
    at = app(person="César López Larios").run()
    if page != "overview":
        at.switch_page(f"dashboard/app/pages/{page}.py").run()
    assert not at.exception, at.exception
    closed = labels(at)  # the panel is built when a reader opens it (the case table has its own CSV)
    assert not set(closed) & {entry.label for entry in registry.FORMATS.values()}, closed
    at.session_state["take_out_open" if page == "overview" else f"{page}_take_out_open"] = True
    at.run()
    assert not at.exception, at.exception
    shown = labels(at)
    for (view, fmt), entry in registry.FORMATS.items():
        if view in ("statements", "story") or (view == "network" and not entry.frame):
            assert entry.label in shown, (page, fmt)


def test_the_buttons_make_the_command_lines_files():
    """The button's data function, given the app's selection, returns what the command line writes."""
    options = Options(network=NetworkView(hidden_certainties=("alleged",)))
    cli = open_context(STORY, {"person": ["Marco Rubio"]}, options)
    for view, fmt in (("statements", "csv"), ("statements", "ftm"), ("network", "graphml")):
        assert export_panel._bytes(cli, view, fmt) == registry.build(view, fmt, cli).data
