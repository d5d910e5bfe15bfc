"""How is A connected to B (dashboard.derive.paths): the chains agree with networkx's shortest paths
on the same links, every hop's statements join its two ends, the certainty rules hold, and the rows'
order changes nothing."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.derive import paths
from dashboard.vocabulary import CERTAINTY_RANK

BOUNDED = settings(max_examples=80, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
ENTITIES = ("Ana", "Álvaro", "bea", "Carl", "[Group x]", "Dora", "Eli", "Fé")
ENDS = ENTITIES[:3]  # the pairs searched: chains of several links through the others
CERTAINTIES = ("stated", "alleged", "inferred", "denied")


def frame(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    """Statements (subject, object, certainty) with every column the search reads; ids s0, s1…"""
    records = []
    for number, (subject, obj, certainty) in enumerate(rows):
        records.append({
            "id": f"s{number}", "subject": subject, "relation": f"rel {number}", "object": obj,
            "relation_type": "other", "summary": f"summary {number}", "quote": f"quote {number}",
            "attribution": "The article", "certainty": certainty, "date_display": "undated", "source": "a.txt",
            "date_order": number,
        })  # fmt: skip
    columns = [*paths.STATEMENT_FIELDS, "date_order"]
    return pd.DataFrame(records, columns=columns)


def entities_of(names) -> pd.DataFrame:
    index = pd.Index(sorted(set(names)), name="name")
    return pd.DataFrame(
        {"display": list(index), "kind": "person", "search_key": [paths.names.fold(n) for n in index]}, index=index
    )


def linking(rows) -> nx.Graph:
    """The links as networkx sees them: undirected, denials and self-links left out."""
    graph = nx.Graph()
    graph.add_edges_from((s, o) for s, o, c in rows if o and s != o and c != "denied")
    return graph


@st.composite
def statements(draw):
    """Random statements among a few entities: dense enough that pairs have several shortest chains
    of mixed certainty (Hypothesis's own lists of sampled tuples shrink towards one entity)."""
    count = draw(st.integers(8, 40))
    rnd = draw(st.randoms(use_true_random=False))
    return [(rnd.choice(ENTITIES), rnd.choice((*ENTITIES, "")), rnd.choice(CERTAINTIES)) for _ in range(count)]


pairs = st.lists(st.sampled_from(ENDS), min_size=2, max_size=2, unique=True)


def every_chain(rows, source, target, **options) -> paths.Search:
    table = frame(rows)
    return paths.find_chains(table, entities_of(ENTITIES), source, target, limit=10**6, **options)


@BOUNDED
@given(statements(), pairs)
def test_chains_are_networkx_shortest_paths_in_the_documented_order(rows, pair):
    source, target = pair
    search = every_chain(rows, source, target)
    graph = linking(rows)
    if source not in graph or target not in graph or not nx.has_path(graph, source, target):
        assert not search.found and search.total == 0 and search.reason in ("unlinked",)
        return
    expected = {tuple(p) for p in nx.all_shortest_paths(graph, source, target)}
    if len(next(iter(expected))) - 1 > paths.MAX_LENGTH:
        assert search.reason == "too-far"
        return
    assert {chain.nodes for chain in search.chains} == expected
    assert search.total == len(expected) == len(search.chains)
    assert search.length == len(next(iter(expected))) - 1
    assert list(search.chains) == sorted(search.chains, key=paths.chain_key)
    table = frame(rows)
    for chain in search.chains:
        for hop in chain.hops:
            joined = {(s.subject, s.object) for s in hop.statements}
            assert all({a, b} == {hop.start, hop.end} for a, b in joined)  # each statement joins the two ends
            assert all(s.certainty != "denied" for s in hop.statements)
            # All of them: every non-denial statement between the two ends is listed.
            between = table[
                ((table["subject"] == hop.start) & (table["object"] == hop.end))
                | ((table["subject"] == hop.end) & (table["object"] == hop.start))
            ]
            assert sorted(s.id for s in hop.statements) == sorted(between.loc[between["certainty"] != "denied", "id"])
            # A hop is as sure as its surest statement, listed first.
            assert CERTAINTY_RANK[hop.certainty] == max(CERTAINTY_RANK[s.certainty] for s in hop.statements)
            assert hop.lead.certainty == hop.certainty
        # A chain is as sure as its weakest hop.
        assert CERTAINTY_RANK[chain.certainty] == min(CERTAINTY_RANK[h.certainty] for h in chain.hops)


@BOUNDED
@given(statements(), pairs, st.randoms(use_true_random=False))
def test_the_rows_order_changes_nothing(rows, pair, random):
    source, target = pair
    shuffled = list(rows)
    random.shuffle(shuffled)
    # The same statements (same ids and dates) in another order.
    table = frame(rows)
    moved = table.sample(frac=1, random_state=random.randint(0, 10**6)).reset_index(drop=True)
    options = dict(limit=3)
    first = paths.find_chains(table, entities_of(ENTITIES), source, target, **options)
    second = paths.find_chains(moved, entities_of(ENTITIES), source, target, **options)
    assert first == second
    assert paths.find_chains(table, entities_of(ENTITIES), source, target, longer=1) == paths.find_chains(
        moved, entities_of(ENTITIES), source, target, longer=1
    )


@BOUNDED
@given(statements(), pairs, st.integers(1, 4))
def test_the_first_chains_are_the_first_of_all_and_all_are_counted(rows, pair, limit):
    source, target = pair
    everything = every_chain(rows, source, target)
    first = paths.find_chains(frame(rows), entities_of(ENTITIES), source, target, limit=limit)
    assert first.chains == everything.chains[:limit]
    assert first.total == everything.total


@BOUNDED
@given(statements(), pairs)
def test_only_stated_walks_stated_links_alone(rows, pair):
    source, target = pair
    search = every_chain(rows, source, target, only_stated=True)
    stated = [(s, o, c) for s, o, c in rows if c == "stated"]
    graph = linking(stated)
    reachable = source in graph and target in graph and nx.has_path(graph, source, target)
    assert search.found == reachable
    assert all(s.certainty == "stated" for c in search.chains for h in c.hops for s in h.statements)


@BOUNDED
@given(statements(), pairs)
def test_next_shortest_chains_are_the_simple_paths_one_link_longer(rows, pair):
    source, target = pair
    graph = linking(rows)
    search = every_chain(rows, source, target, longer=1)
    if source not in graph or target not in graph or not nx.has_path(graph, source, target):
        assert not search.found
        return
    shortest = nx.shortest_path_length(graph, source, target)
    expected = {tuple(p) for p in nx.all_simple_paths(graph, source, target, cutoff=shortest + 1)}
    expected = {p for p in expected if len(p) - 1 == shortest + 1}
    assert {c.nodes for c in search.chains} == expected
    assert search.complete and search.total == len(expected)
    assert list(search.chains) == sorted(search.chains, key=paths.chain_key)
    assert (search.reason == "no-longer") == (not expected)


def test_a_hop_is_as_sure_as_its_surest_statement_and_a_chain_as_its_weakest_hop():
    rows = [("Ana", "bea", "alleged"), ("bea", "Ana", "stated"), ("bea", "Carl", "inferred"), ("Carl", "bea", "denied")]
    search = every_chain(rows, "Ana", "Carl")
    (chain,) = search.chains
    assert [h.certainty for h in chain.hops] == ["stated", "inferred"]
    assert [s.id for s in chain.hops[0].statements] == ["s1", "s0"]  # surest first
    assert [s.id for s in chain.hops[1].statements] == ["s2"]  # the denial is not listed
    assert chain.certainty == "inferred"


def test_surer_chains_come_first_then_by_names_never_by_rows():
    rows = [
        ("Ana", "Dora", "stated"), ("Dora", "Eli", "alleged"),  # Ana–Dora–Eli: alleged
        ("Ana", "Carl", "stated"), ("Carl", "Eli", "stated"),  # Ana–Carl–Eli: stated
        ("Ana", "bea", "stated"), ("bea", "Eli", "stated"),  # Ana–bea–Eli: stated, "bea" before "Carl"
    ]  # fmt: skip
    search = every_chain(rows, "Ana", "Eli")
    assert [c.nodes[1] for c in search.chains] == ["bea", "Carl", "Dora"]
    assert [c.certainty for c in search.chains] == ["stated", "stated", "alleged"]


def test_a_denial_never_links():
    search = every_chain([("Ana", "bea", "denied")], "Ana", "bea")
    assert not search.found and search.reason == "unlinked"
    assert "No chain links Ana and bea" in paths.in_words(search)


def test_the_length_cap_is_said():
    chain = ["Ana", "Álvaro", "bea", "Carl", "[Group x]", "Dora", "Eli", "Fé"]
    rows = [(a, b, "stated") for a, b in zip(chain, chain[1:])]
    search = every_chain(rows, "Ana", "Fé")
    assert search.reason == "too-far" and not search.found
    assert f"No chain of {paths.MAX_LENGTH} links or fewer" in paths.in_words(search)
    assert every_chain(rows, "Ana", "Fé", max_length=7).length == 7


def test_many_chains_are_counted_and_the_first_ten_built():
    rows = [("Ana", f"m{i}", "stated") for i in range(30)] + [(f"m{i}", f"n{j}", "stated") for i in range(30)
                                                                for j in range(4)]  # fmt: skip
    rows += [(f"n{j}", "Eli", "stated") for j in range(4)]
    table = frame(rows)
    everyone = entities_of({n for r in rows for n in r[:2]})
    search = paths.find_chains(table, everyone, "Ana", "Eli")
    assert search.total == 120 and len(search.chains) == paths.MAX_SHOWN
    assert [c.nodes[1] for c in search.chains[:5]] == ["m0", "m0", "m0", "m0", "m1"]
    assert "the first 10 shown" in paths.in_words(search)


def test_names_resolve_as_the_filters_and_unknown_names_offer_the_closest(model):
    search = paths.find_chains(model.statements, model.entities, "rubio", "lopez larios")
    assert (search.source, search.target) == ("Marco Rubio", "César López Larios")
    with pytest.raises(paths.UnknownName) as raised:
        paths.find_chains(model.statements, model.entities, "Marco Rubo", "Osiris Luna")
    assert "Marco Rubio" in raised.value.closest and "Marco Rubio" in str(raised.value)
    with pytest.raises(paths.UnknownName) as raised:
        paths.resolve("unnamed requested man", model.entities)
    assert raised.value.ambiguous and len(raised.value.closest) > 1
    with pytest.raises(ValueError, match="two different"):
        paths.find_chains(model.statements, model.entities, "Marco Rubio", "rubio")


def test_the_bundled_story_rubio_to_luna_passes_through_the_group(model):
    search = paths.find_chains(model.statements, model.entities, "Marco Rubio", "Osiris Luna")
    first = search.chains[0]
    assert search.length == 4 and first.certainty == "alleged"
    assert "[The nine men Bukele requested]" in first.nodes
    assert paths.hop_sentence(first.hops[0], search.display).startswith("Marco Rubio → privately promised")
    assert paths.hop_sentence(first.hops[-1], search.display) == (
        "Salvadoran government ← is an official of ← Osiris Luna"
    )
    stated = paths.find_chains(model.statements, model.entities, "Marco Rubio", "Osiris Luna", only_stated=True)
    assert not stated.found and stated.reason == "unlinked"
