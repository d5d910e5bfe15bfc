"""The app's "Take the story out" panel: every interchange format of the command line, on every
chart page and the overview, making the same files as the command line under the page's filters."""

from __future__ import annotations

import pytest
from helpers import app

from dashboard.app import downloads
from dashboard.dataset.schema import BUNDLED_DATA
from dashboard.exports import formats
from dashboard.exports.selection import select
from dashboard.views import network as net


def labels(at) -> list[str]:
    return [button.proto.label for button in at.get("download_button")]


@pytest.mark.parametrize("page", ["overview", "timeline", "network", "cases"])
def test_every_page_offers_every_interchange_format(page):
    at = app(person="César López Larios").run()
    if page != "overview":
        at.switch_page(f"dashboard/app/pages/{page}.py").run()
    assert not at.exception, at.exception
    shown = labels(at)
    for fmt in {f for fs in formats.VIEW_FORMATS.values() for f in fs}:
        assert formats.LABELS[fmt] in shown, (page, fmt)


def test_the_buttons_make_the_command_lines_files():
    """The button's data function, given the app's selection, returns what the command line writes."""
    cli = select(BUNDLED_DATA, {"person": ["Marco Rubio"]}, view=net.View(hidden_certainties=("alleged",)))
    app_selection = downloads.Selection(
        cli.dataset, cli.model, cli.filters, cli.statements, cli.sides, cli.view, cli.lanes, cli.group
    )
    for view, fmt in (("statements", "csv"), ("statements", "ftm"), ("network", "graphml")):
        assert downloads._bytes(app_selection, view, fmt) == formats.build(view, fmt, cli).data
