"""The network page's "How are they connected?" section under AppTest: a share link opens it with
the chains and their quotes shown and drawn on the network; bad names are ignored with a notice
naming the closest; the switch and the next-shortest chains."""

from __future__ import annotations

import json
import re

from helpers import page_text

from dashboard.app import paths_section
from dashboard.derive import paths


def vis_nodes(at) -> list[dict]:
    """The node list the network's iframe draws."""
    (frame,) = at.get("iframe")
    match = re.search(r"nodes = new vis\.DataSet\((\[.*?\])\);", frame.proto.srcdoc, re.S)
    return json.loads(match.group(1))


def test_a_share_link_shows_every_chain_its_quotes_and_draws_the_first(open_page):
    at = open_page("network", **{"from": "Marco Rubio", "to": "Osiris Luna"})
    text = page_text(at)
    assert "5 shortest chains of 4 links between Marco Rubio and Osiris Luna" in text.replace("\\", "")
    chains = [e.label.replace("\\", "") for e in at.expander if e.label.startswith("Chain ")]
    assert len(chains) == 5 and chains[0].startswith("Chain 1 · alleged at its weakest · Marco Rubio → Nayib Bukele")
    assert "The nine men Bukele requested (a group)" in chains[0]
    plain = text.replace("\\", "")
    # Each hop's sentence and the quotes, attribution and certainty of its statements.
    assert "Marco Rubio → privately promised to hand over nine imprisoned MS-13 leaders to → Nayib Bukele" in plain
    assert "“Deputy Justice Minister Osiris Luna”" in plain
    assert "According to officials familiar with the March 13 phone call" in plain  # s010, the second on hop 1
    assert "[view in source](./sources?statement=s082#quote-s082)" in text
    assert at.selectbox(key=paths_section.K_FROM).value == "Marco Rubio"
    # Drawn: the first chain's five entities outlined, everyone else faded.
    nodes = vis_nodes(at)
    chain = {"Marco Rubio", "Nayib Bukele", "[The nine men Bukele requested]", "Salvadoran government", "Osiris Luna"}
    assert {n["id"] for n in nodes if n.get("borderWidth") == 4} == chain
    assert {n["id"] for n in nodes if "opacity" in n} == {n["id"] for n in nodes} - chain
    assert "Highlighted on the network: Marco Rubio → Nayib Bukele" in plain


def test_the_chain_drawn_can_be_another(open_page):
    at = open_page("network", **{"from": "Marco Rubio", "to": "Osiris Luna"})
    at.radio(key=paths_section.K_DRAWN).set_value(1).run()
    outlined = {n["id"] for n in vis_nodes(at) if n.get("borderWidth") == 4}
    assert outlined == {"Marco Rubio", "Nayib Bukele", "United States", "Elmer Canales Rivera", "Osiris Luna"}


def test_aliases_and_accents_work_and_unknown_names_are_ignored_with_the_closest(open_page):
    at = open_page("network", **{"from": "rubio", "to": "Lopez Larios"})
    assert at.selectbox(key=paths_section.K_TO).value == "César López Larios"
    assert "4 shortest chains of 3 links" in page_text(at)
    at = open_page("network", **{"from": "Marco Rubo", "to": "<script>alert(1)</script>"})
    warnings = " ".join(w.value for w in at.warning)
    assert "Ignored from=“Marco Rubo” matches no one in the dataset; closest: Marco Rubio" in warnings.replace("\\", "")
    assert "<script" not in warnings and "&lt;script&gt;" in warnings  # through the escaping choke point
    assert at.selectbox(key=paths_section.K_FROM).value is None
    assert paths.FROM_PARAM not in at.query_params and paths.TO_PARAM not in at.query_params


def test_a_long_name_in_the_url_is_dropped_by_the_bounded_parser(open_page):
    at = open_page("network", **{"from": "x" * 5000, "to": "Osiris Luna"})
    assert any("5,000 characters" in w.value for w in at.warning)
    assert at.selectbox(key=paths_section.K_TO).value == "Osiris Luna"


def test_only_stated_links_and_the_next_shortest_chains(open_page):
    at = open_page("network", **{"from": "Marco Rubio", "to": "Osiris Luna", "stated": "1"})
    assert at.toggle(key=paths_section.K_STATED).value is True
    assert "No chain links Marco Rubio and Osiris Luna with these filters (stated links only)" in page_text(at).replace(
        "\\", ""
    )
    at.toggle(key=paths_section.K_STATED).set_value(False).run()
    assert paths.STATED_PARAM not in at.query_params
    at.button(key="path_more").click().run()
    assert "Next-shortest chains" in [h.value for h in at.subheader]
    assert "18 next-shortest chains of 5 links" in page_text(at).replace("\\", "")
