"""The counts a page gives agree with what it draws, and the page says why they differ from the
statements shown ("24 of 116 statements" beside 9 dated events needs its explanation on the page).
Checked under several filters on the overview, the timeline, the network and the case table."""

from __future__ import annotations

import re

import pytest
from helpers import chart_specs, page_text

from dashboard.views import timeline

FILTERS = {
    "no filter": {},
    "one man": {"person": "César López Larios"},
    "one official": {"person": "Marco Rubio"},
    "alleged only": {"certainty": "alleged"},
    "from March 2025": {"start": "2025-03-01"},
}


def shown_count(at) -> int:
    line = next(m.value for m in at.markdown if m.value.startswith("**Showing:**"))
    return int(re.search(r"\*\*Showing:\*\* (\d+) of", line).group(1))


def numbers(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"(?<![\w.])(\d+)(?![\w.])", text.replace("\\", ""))]


def caption(at, start: str) -> str:
    return next(c.value for c in at.caption if c.value.replace("\\", "").startswith(start))


@pytest.mark.parametrize("query", FILTERS.values(), ids=FILTERS.keys())
def test_counts_on_every_page_add_up_to_what_is_drawn(open_page, query):
    at = open_page("overview", **query)
    shown = shown_count(at)
    metrics = {m.label: int(m.value) for m in at.metric}
    assert metrics["Statements"] == shown
    split = caption(at, "Of the ").split(". ")[0]  # the caption's first sentence
    total, dated, undated, *rest = numbers(split)
    assert (total, dated, undated) == (shown, metrics["Dated events"], metrics["Undated events"])
    assert rest == ([shown - dated - undated] if shown - dated - undated else [])

    at = open_page("timeline", **query)
    assert shown_count(at) == shown
    of_these = numbers(caption(at, "Of these"))
    assert of_these[0] == shown and of_these[1:3] == [dated, undated] and sum(of_these[1:]) == shown
    points = [
        i
        for trace in chart_specs(at)[0]["data"]
        if trace.get("meta") == timeline.EVENT_TRACE
        for i in trace["customdata"]
    ]
    outside = [c.value for c in at.caption if "one click away" in c.value]
    if outside:  # the busy month: "16 of the 30 dated events are drawn in March 2025 ...; the 14 others"
        in_view, of_all, *_ = numbers(outside[0])
        assert (len(points), of_all) == (in_view, dated) and f"the {dated - in_view} others" in outside[0]
    else:
        assert len(points) == dated
    if undated and "undated" not in query:
        assert len(at.dataframe[-1].value) == undated  # the undated events' table

    at = open_page("network", **query)
    assert shown_count(at) == shown
    drawn = next(c.value for c in at.caption if " links drawn from " in c.value)
    entities, links, from_statements, of_shown, *others = numbers(drawn)
    assert of_shown == shown and links <= from_statements
    assert from_statements + (others[0] if others else 0) == shown  # "the other 35 link no one..."

    at = open_page("cases", **query)
    assert shown_count(at) == shown
    text = page_text(at)
    if "person" in query:  # the table shows the men the filter names, and says so
        assert re.search(r"Showing \d+ of \d+ members: the people filter is set", text) or (
            "Choose one of its members, or clear the people filter" in text
        )
    assert "These figures describe the whole group" in text  # why the figures need not match the rows
