"""How is A connected to B: every shortest chain of sourced links between two entities, hop by hop,
with the statements behind each hop. Pure functions over the statements: no Streamlit here.

The links are undirected: a statement joins its subject and object whichever way it reads. A
denial never links two entities, nor does a statement of a certainty the vocabulary does not rank
above a denial. Membership of a group ("is one of") is a link like any other, with its own
certainty, so a chain may pass through a group.

How sure (vocabulary.CERTAINTY_RANK: stated > alleged > inferred):

- a hop is as sure as its surest statement;
- a chain is as sure as its weakest hop.

Order of the chains, never the order of the rows: fewest links first, then the surest, then the
sequence of entity names along the chain compared name by name (accents and case folded, then as
written). Each hop lists its statements surest first, then by date (`date_order`: start, end, id).

The search is bounded: at most MAX_LENGTH links; the shortest chains are counted exactly (however
many) and the first `limit` in that order are built; the next-shortest chains (`longer=1`) are
found by a pruned walk that stops after MAX_LONGER chains or MAX_STEPS steps, and says so.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pandas as pd

from dashboard import names
from dashboard.derive import filters as flt
from dashboard.vocabulary import CERTAINTY_RANK

MAX_LENGTH = 6  # links in a chain: beyond six, "connected" says little
MAX_SHOWN = 10  # chains built and shown at a time; the others are counted
MAX_LONGER = 2_000  # next-shortest chains collected before they are ordered
MAX_STEPS = 200_000  # steps of the next-shortest walk
CLOSEST = 5  # names offered for a name that matches no one
RANK_CERTAINTY = {rank: certainty for certainty, rank in CERTAINTY_RANK.items()}
STATEMENT_FIELDS = (
    "id", "subject", "relation", "object", "relation_type", "summary", "quote", "attribution", "certainty",
    "date_display", "source",
)  # fmt: skip


class UnknownName(ValueError):
    """A name that matches no entity, or several: `closest` holds the names it may have meant."""

    def __init__(self, value: str, closest: Iterable[str], ambiguous: bool = False):
        self.value, self.closest, self.ambiguous = value, tuple(closest), ambiguous
        what = "matches several entities" if ambiguous else "matches no one in the dataset"
        shown = value if len(value) <= 80 else value[:79] + "…"
        hint = f"; closest: {', '.join(self.closest)}" if self.closest else ""
        super().__init__(f"“{shown}” {what}{hint}")


@dataclass(frozen=True)
class Statement:
    """One statement behind a hop, as it is written in the dataset."""

    id: str
    subject: str
    relation: str
    object: str
    relation_type: str
    summary: str
    quote: str
    attribution: str
    certainty: str
    date: str  # as a reader sees it (date_display)
    source: str


@dataclass(frozen=True)
class Hop:
    """One link of a chain, from `start` to `end` in the chain's direction, with every statement
    that joins the two (surest first, then by date)."""

    start: str
    end: str
    certainty: str
    statements: tuple[Statement, ...]

    @property
    def lead(self) -> Statement:
        """The surest statement, the one the hop's certainty comes from."""
        return self.statements[0]

    @property
    def forward(self) -> bool:
        """Whether the lead statement reads in the chain's direction (its subject is the start)."""
        return self.lead.subject == self.start


@dataclass(frozen=True)
class Chain:
    hops: tuple[Hop, ...]
    certainty: str

    @property
    def nodes(self) -> tuple[str, ...]:
        return (self.hops[0].start, *(hop.end for hop in self.hops)) if self.hops else ()


@dataclass(frozen=True)
class Search:
    """The answer to "how is `source` connected to `target`": the chains of `length` links shown
    (at most `limit`), how many such chains there are (`total`; a lower bound when not `complete`),
    and, when there are none, why (`reason`: "unlinked" when no chain exists with these links,
    "too-far" when none has MAX_LENGTH links or fewer, "no-longer" when no chain is longer)."""

    source: str
    target: str
    chains: tuple[Chain, ...]
    total: int
    length: int | None
    complete: bool = True
    only_stated: bool = False
    longer: int = 0
    reason: str = ""
    max_length: int = MAX_LENGTH
    shortest: int | None = None  # the shortest chains' length, also when longer ones are shown
    display: Mapping[str, str] = field(default_factory=dict)
    kinds: Mapping[str, str] = field(default_factory=dict)

    @property
    def found(self) -> bool:
        return bool(self.chains)

    def name(self, entity: str) -> str:
        return self.display.get(entity) or names.display_name(entity)


@dataclass(frozen=True)
class Links:
    """The undirected links of a set of statements: sorted neighbours per entity, each pair's rank
    (its surest statement) and the positions of its statements in `relations`."""

    neighbours: dict[str, tuple[str, ...]]
    rank: dict[tuple[str, str], int]
    rows: dict[tuple[str, str], list[int]]
    relations: pd.DataFrame


def node_key(name: str) -> tuple[str, str]:
    """The documented tie-break between names: folded (accents, case), then as written."""
    return names.fold(name), name


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def build_links(statements: pd.DataFrame, only_stated: bool = False) -> Links:
    """The links the search walks: statements with a subject and a different object, of a certainty
    ranked above a denial (only "stated" with `only_stated`)."""
    ranks = statements["certainty"].map(CERTAINTY_RANK).fillna(0)
    keep = statements["subject"].ne("") & statements["object"].ne("") & statements["subject"].ne(statements["object"])
    keep &= ranks > CERTAINTY_RANK["denied"]
    if only_stated:
        keep &= statements["certainty"].eq("stated")
    relations = statements.loc[keep, list(STATEMENT_FIELDS) + (["date_order"] if "date_order" in statements else [])]
    relations = relations.reset_index(drop=True)
    adjacency: dict[str, set[str]] = {}
    rank: dict[tuple[str, str], int] = {}
    rows: dict[tuple[str, str], list[int]] = {}
    for position, (subject, obj, r) in enumerate(
        zip(relations["subject"].tolist(), relations["object"].tolist(), ranks[keep].astype(int).tolist())
    ):
        pair = _pair(subject, obj)
        if pair in rows:
            rows[pair].append(position)
            if r > rank[pair]:
                rank[pair] = r
        else:
            rows[pair], rank[pair] = [position], r
            adjacency.setdefault(subject, set()).add(obj)
            adjacency.setdefault(obj, set()).add(subject)
    neighbours = {n: tuple(sorted(linked, key=node_key)) for n, linked in adjacency.items()}
    return Links(neighbours, rank, rows, relations)


def resolve(value: str, entities: pd.DataFrame) -> str:
    """The entity a typed or shared name means, as the filters resolve it (aliases and accents
    work); UnknownName with the closest names when it means no one or several."""
    value = str(value).strip()
    name = flt.resolve_person(value, entities) if value else None
    if name is not None:
        return name
    return _raise_unknown(value, entities)


def _raise_unknown(value: str, entities: pd.DataFrame):
    hits = flt.match_people(value, entities) if value else []
    if len(hits) > 1:
        raise UnknownName(value, sorted(hits, key=node_key)[:CLOSEST], ambiguous=True)
    raise UnknownName(value, closest_names(value, entities))


def closest_names(value: str, entities: pd.DataFrame, count: int = CLOSEST) -> list[str]:
    """The entity names closest to `value` in spelling (accents and case ignored), closest first."""
    folded: dict[str, list[str]] = {}
    for name in entities.index:
        folded.setdefault(names.fold(names.display_name(name)), []).append(name)
    close = difflib.get_close_matches(names.fold(value)[:200], list(folded), n=count, cutoff=0.5)
    return [name for key in close for name in sorted(folded[key], key=node_key)][:count]


def find_chains(
    statements: pd.DataFrame,
    entities: pd.DataFrame,
    source: str,
    target: str,
    *,
    only_stated: bool = False,
    longer: int = 0,
    limit: int = MAX_SHOWN,
    max_length: int = MAX_LENGTH,
    links: Links | None = None,
) -> Search:
    """Every shortest chain of links between two entities (names resolved as the filters resolve
    them; UnknownName otherwise), the first `limit` of them built hop by hop. `longer=1` asks for
    the next-shortest chains (one link longer than the shortest), and so on. `links`: the links of
    these statements already built (build_links with the same `only_stated`)."""
    source, target = resolve(source, entities), resolve(target, entities)
    if source == target:
        raise ValueError("choose two different entities")
    links = links if links is not None else build_links(statements, only_stated)
    kinds = entities["kind"] if "kind" in entities else pd.Series(dtype=object)
    common = dict(source=source, target=target, only_stated=only_stated, longer=longer, max_length=max_length)

    def described(chains, **rest) -> Search:
        shown = {source, target, *(n for chain in chains for n in chain.nodes)}
        return Search(
            chains=tuple(chains), **common, **rest,
            display={n: names.display_name(n) for n in shown},
            kinds={n: str(kinds.get(n, "")) for n in shown},
        )  # fmt: skip

    if source not in links.neighbours or target not in links.neighbours:
        return described((), total=0, length=None, reason="unlinked")
    levels, preds, reason = _layers(links.neighbours, source, target, max_length)
    if reason:
        return described((), total=0, length=None, reason=reason)
    shortest = len(levels) - 1
    if longer <= 0:
        sequences, total = _ordered_shortest(links, preds, source, target, limit)
        chains = [_chain(links, seq) for seq in sequences]
        return described(chains, total=total, length=shortest, shortest=shortest)
    length = shortest + longer
    if length > max_length:
        return described((), total=0, length=None, reason="too-far", shortest=shortest)
    sequences, complete = _simple_paths(links, source, target, length)
    # Ordered by what the links alone say (chain_key's terms), and only the chains shown are built.
    sequences.sort(key=lambda seq: (-_weakest(links, seq), tuple(node_key(n) for n in seq)))
    chains = [_chain(links, seq) for seq in sequences[:limit]]
    reason = "" if chains else "no-longer"
    return described(chains, total=len(sequences), length=length if chains else None, complete=complete,
                     reason=reason, shortest=shortest)  # fmt: skip


def chain_key(chain: Chain) -> tuple:
    """The documented order: fewest links, surest, then the names along the chain."""
    return len(chain.hops), -CERTAINTY_RANK[chain.certainty], tuple(node_key(n) for n in chain.nodes)


def _layers(neighbours, source, target, max_length):
    """Breadth-first from the source, level by level, until the target's level: the levels, and
    for each entity reached its neighbours one level nearer the source. A reason when the target
    is not reached: "unlinked" (the source's side of the network is used up) or "too-far"."""
    levels = [{source}]
    seen = {source}
    preds: dict[str, list[str]] = {}
    while len(levels) <= max_length:
        reached: dict[str, list[str]] = {}
        for node in levels[-1]:
            for other in neighbours.get(node, ()):
                if other not in seen:
                    reached.setdefault(other, []).append(node)
        if not reached:
            return levels, preds, "unlinked"
        preds.update(reached)
        seen.update(reached)
        levels.append(set(reached))
        if target in reached:
            return levels, preds, ""
    return levels, preds, "too-far"


def _ordered_shortest(links: Links, preds, source, target, limit):
    """The shortest chains in the documented order (the first `limit`) and how many there are.

    The chains are the paths of the layered graph the search left (each entity to its neighbours
    one level further from the source that lie on a shortest chain). For each certainty, surest
    first, a walk in name order visits only steps that can still end at the target with that
    certainty as the chain's weakest hop: it lists the chains of that certainty in name order, and
    never builds one it does not show. Counts come from the same layered graph."""
    on_chain = {target}
    succ: dict[str, list[str]] = {}
    frontier = [target]
    while frontier:  # back from the target, level by level
        previous = []
        for node in frontier:
            for before in preds.get(node, ()):
                succ.setdefault(before, []).append(node)
                if before not in on_chain:
                    on_chain.add(before)
                    previous.append(before)
        frontier = previous
    succ = {n: sorted(after, key=node_key) for n, after in succ.items()}
    order = _topological(succ, source)  # source first
    ranks = sorted({links.rank[_pair(u, v)] for u, after in succ.items() for v in after}, reverse=True)
    found: list[tuple[str, ...]] = []
    total = 0
    for floor in ranks:
        # good[(node, used)]: from here the target can be reached over hops of rank >= floor, with a
        # hop of exactly `floor` somewhere on the whole chain (`used`: one was taken already).
        count: dict[tuple[str, bool], int] = {(target, True): 1, (target, False): 0}
        for node in reversed(order):
            if node == target:
                continue
            for used in (False, True):
                total_here = 0
                for after in succ.get(node, ()):
                    r = links.rank[_pair(node, after)]
                    if r >= floor:
                        total_here += count[(after, used or r == floor)]
                count[(node, used)] = total_here
        total += count[(source, False)]
        if len(found) < limit:
            _walk(links, succ, count, floor, source, target, limit, found)
    return found, total


def _walk(links, succ, count, floor, source, target, limit, found):
    path = [source]

    def step(node: str, used: bool) -> None:
        if node == target:
            found.append(tuple(path))
            return
        for after in succ.get(node, ()):
            r = links.rank[_pair(node, after)]
            flag = used or r == floor
            if r < floor or not count[(after, flag)]:
                continue
            path.append(after)
            step(after, flag)
            path.pop()
            if len(found) >= limit:
                return

    step(source, False)


def _topological(succ, source) -> list[str]:
    """The layered graph's entities, each before those it leads to (level order from the source)."""
    order, level, seen = [], [source], {source}
    while level:
        order += level
        nxt = []
        for node in level:
            for after in succ.get(node, ()):
                if after not in seen:
                    seen.add(after)
                    nxt.append(after)
        level = nxt
    return order


def _simple_paths(links: Links, source, target, length):
    """Chains of exactly `length` links with no entity twice, in name order, pruned by each
    entity's distance to the target; at most MAX_LONGER of them and MAX_STEPS steps. Returns the
    chains and whether the walk finished."""
    distance = {target: 0}
    level = [target]
    for depth in range(1, length + 1):  # distances to the target, as far as the chains can reach
        nxt = []
        for node in level:
            for other in links.neighbours.get(node, ()):
                if other not in distance:
                    distance[other] = depth
                    nxt.append(other)
        level = nxt
    found: list[tuple[str, ...]] = []
    path, on_path = [source], {source}
    steps = 0
    stack = [iter(links.neighbours.get(source, ()))]
    while stack:
        if len(found) >= MAX_LONGER or steps >= MAX_STEPS:
            return found, False
        nxt_node = next(stack[-1], None)
        if nxt_node is None:
            stack.pop()
            on_path.discard(path.pop())
            continue
        steps += 1
        left = length - len(path)  # links still to take after this one
        if nxt_node in on_path or distance.get(nxt_node, length + 1) > left:
            continue
        if nxt_node == target:
            if left == 0:
                found.append((*path, target))
            continue
        path.append(nxt_node)
        on_path.add(nxt_node)
        stack.append(iter(links.neighbours.get(nxt_node, ())))
    return found, True


def _weakest(links: Links, sequence: tuple[str, ...]) -> int:
    return min(links.rank[_pair(a, b)] for a, b in zip(sequence, sequence[1:]))


def _chain(links: Links, sequence: tuple[str, ...]) -> Chain:
    hops = tuple(_hop(links, a, b) for a, b in zip(sequence, sequence[1:]))
    weakest = min(CERTAINTY_RANK[hop.certainty] for hop in hops)
    return Chain(hops, RANK_CERTAINTY[weakest])


def _hop(links: Links, start: str, end: str) -> Hop:
    relations = links.relations
    columns = [relations[c] for c in STATEMENT_FIELDS]
    dated = relations.get("date_order")
    records = []
    for position in links.rows[_pair(start, end)]:  # a few rows: read cell by cell, not as a frame
        values = [str(column.iat[position]) for column in columns]
        record = dict(zip(STATEMENT_FIELDS, values))
        when = dated.iat[position] if dated is not None else 0
        records.append((-CERTAINTY_RANK[record["certainty"]], when, names_key(record["id"]), record))
    records.sort(key=lambda item: item[:3])
    statements = tuple(
        Statement(**{("date" if k == "date_display" else k): v for k, v in record.items()}) for *_, record in records
    )
    return Hop(start, end, statements[0].certainty, statements)


def names_key(statement_id: str) -> tuple:
    """Statement ids in natural order (s2 before s10)."""
    from dashboard.dataset.model import natural_key

    return natural_key(str(statement_id))


def hop_sentence(hop: Hop, display: Mapping[str, str] | None = None) -> str:
    """The hop as a sentence, arrows pointing the way its lead statement reads: "Marco Rubio →
    privately promised … to → Nayib Bukele"; read the other way: "Nayib Bukele ← is led by ← El Salvador"."""
    display = display or {}
    start = display.get(hop.start) or names.display_name(hop.start)
    end = display.get(hop.end) or names.display_name(hop.end)
    relation = " ".join(hop.lead.relation.split())
    arrow = "→" if hop.forward else "←"
    return f"{start} {arrow} {relation} {arrow} {end}"


def in_words(search: Search) -> str:
    """What the search found, in one line for the page and the command line."""
    a, b = search.name(search.source), search.name(search.target)
    which = "stated links only" if search.only_stated else "stated, alleged and inferred links; denials never link"
    if not search.found:
        if search.reason == "too-far":
            if search.longer and search.shortest is not None:
                return (f"No longer chain is searched: chains stop at {search.max_length} links "
                        f"(the shortest between {a} and {b} has {search.shortest}).")  # fmt: skip
            return (f"No chain of {search.max_length} links or fewer links {a} and {b} ({which}); "
                    "the search stops there.")  # fmt: skip
        if search.reason == "no-longer":
            return f"No chain between {a} and {b} is exactly one link longer than the shortest ({which})."
        return f"No chain links {a} and {b} with these filters ({which})."
    kind = "shortest" if not search.longer else ("next-shortest" if search.longer == 1 else "longer")
    count = f"{search.total:,}" if search.complete else f"at least {search.total:,}"
    plural = "chain" if search.total == 1 else "chains"
    line = f"{count} {kind} {plural} of {search.length} link{'s' * (search.length != 1)} between {a} and {b}"
    line += f" ({which})"
    if len(search.chains) < search.total:
        line += f"; the first {len(search.chains)} shown, surest first"
    if not search.complete:
        line += f"; the search stopped after {search.total:,}, so these are the surest of those found"
    return line + "."


FROM_PARAM, TO_PARAM, STATED_PARAM = "from", "to", "stated"


@dataclass(frozen=True)
class Shared:
    """What a share link asks for (?from=Marco+Rubio&to=Osiris+Luna&stated=1), with a notice for
    each value it ignored."""

    source: str | None = None
    target: str | None = None
    only_stated: bool = False
    notices: tuple[str, ...] = ()


def read_link(params: Mapping[str, Iterable[str]], entities: pd.DataFrame) -> Shared:
    """The two ends and the "only stated" switch of a share link, read by the filters' bounded
    parser and resolved as the filters resolve names; a value that means no one is dropped with a
    notice naming the closest names."""
    notices: list[str] = []
    ends: list[str | None] = []
    for key in (FROM_PARAM, TO_PARAM):
        values, dropped = flt.bounded_values(params, key)
        notices += dropped
        value = values[-1].strip() if values else ""
        if not value:
            ends.append(None)
            continue
        try:
            ends.append(resolve(value, entities))
        except UnknownName as unknown:
            ends.append(None)
            notices.append(f"Ignored {key}={unknown}.")
    stated, dropped = flt.bounded_values(params, STATED_PARAM)
    notices += dropped
    return Shared(ends[0], ends[1], bool(stated) and stated[-1] in ("1", "true", "yes"), tuple(notices))


def link_params(source: str | None, target: str | None, only_stated: bool) -> dict[str, str | None]:
    """The URL parameters that share this question (None: leave the parameter out)."""
    return {FROM_PARAM: source, TO_PARAM: target, STATED_PARAM: "1" if only_stated and (source or target) else None}
