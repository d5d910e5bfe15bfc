"""Plain-language descriptions of each chart, generated from the data: what it shows, its range,
its extremes. Shown under the chart for screen readers and saved beside each export as alt text."""

from __future__ import annotations

import networkx as nx
import pandas as pd

from dashboard import names
from dashboard.dataset.model import events as only_events
from dashboard.derive.overview import earliest_and_latest
from dashboard.text import listing


def _count(number: int, noun: str, plural: str | None = None) -> str:
    return f"{number:,} {noun if number == 1 else plural or noun + 's'}"


def timeline(statements: pd.DataFrame) -> str:
    """ "Timeline of 11 dated events from 2021 to March 2025 …"."""
    happened = only_events(statements)
    dated = happened[happened["date_start"].notna() | happened["date_end"].notna()]
    undated = len(happened) - len(dated)
    if dated.empty:
        return f"Timeline with no dated event; the source gives no date for {_count(undated, 'event')}."
    first, last = earliest_and_latest(dated)
    same_date = first["date_display"] == last["date_display"]
    span = f"on {first['date_display']}" if same_date else f"from {first['date_display']} to {last['date_display']}"
    parts = [f"Timeline of {_count(len(dated), 'dated event')} {span}."]
    months = dated[dated["precision"] == "day"]["date_start"].dt.to_period("M")
    if not months.empty:
        busiest = months.value_counts().sort_index(kind="stable")
        peak = busiest.idxmax()
        parts.append(f"The busiest month is {peak.strftime('%B %Y')}, with {_count(int(busiest.max()), 'event')}.")
    # Earliest and latest among the events the source places between two known dates: one dated only
    # as on or after a date may fall at any time after it, so it is never called the earliest of a
    # window it only reaches into, nor the latest (issue 26).
    bounded = dated[dated["date_open"] == ""]
    if not bounded.empty:
        first_bounded, last_bounded = earliest_and_latest(bounded)
        if first_bounded["id"] != last_bounded["id"]:
            parts.append(
                f"The earliest dated between known bounds is “{first_bounded['summary']}” "
                f"The latest is “{last_bounded['summary']}”"
            )
    coarse = int(dated["precision"].isin(["month", "year"]).sum())
    ranges = dated[dated["precision"] == "range"]
    open_ended = int((ranges["date_open"] != "").sum())
    year_inferred = int((dated["date_inference"] == "year").sum())
    inferred = int(dated["date_inferred"].sum()) - year_inferred
    alleged = int(dated["certainty"].isin(["alleged", "denied"]).sum())
    if coarse:
        parts.append(f"{_count(coarse, 'date')} known only to the month or year are drawn as bars over that period.")
    if len(ranges) > open_ended:
        bounded = len(ranges) - open_ended
        verb = "is" if bounded == 1 else "are"
        parts.append(f"{_count(bounded, 'event')} that the source places between two dates {verb} drawn as bars.")
    if open_ended:
        verb = "is" if open_ended == 1 else "are"
        bound = "on or after" if not (ranges["date_open"] == "start").any() else "on or after, or on or before,"
        parts.append(
            f"{_count(open_ended, 'event')} that the source dates only as {bound} a date {verb} drawn as hatched "
            "bars running to the edge of the chart."
        )
    if inferred:
        parts.append(f"{_count(inferred, 'date')} the source only implies are hollow marks.")
    if year_inferred:
        parts.append(
            f"{_count(year_inferred, 'date')} whose day and month the source prints, with the year inferred, "
            "are hollow marks with a dot."
        )
    if alleged:
        verb = "is an allegation or a denial" if alleged == 1 else "are allegations or denials"
        parts.append(f"{_count(alleged, 'event')} {verb}, not established fact.")
    if undated:
        # Alt text must stand alone: say what is missing from the chart, not where else to look.
        parts.append(f"The source gives no date for {_count(undated, 'more event')}; they are not on the timeline.")
    return " ".join(parts)


def network(graph: nx.DiGraph) -> str:
    """ "Network of 47 people, organizations, groups and places linked by 75 relations …"."""
    if graph.number_of_nodes() == 0:
        return "Network with no relation matching the filters."
    statements = sum(data.get("count", 1) for _, _, data in graph.edges(data=True))
    kinds = pd.Series([data.get("kind", "") for _, data in graph.nodes(data=True)]).value_counts()
    kind_words = [_count(int(n), k if k else "other", "people" if k == "person" else None) for k, n in kinds.items()]
    parts = [
        f"Network of {listing(kind_words)}, linked by {_count(graph.number_of_edges(), 'relation')} "
        f"drawn from {_count(statements, 'statement')}."
    ]
    degree = sorted(graph.degree(), key=lambda item: (-item[1], item[0]))[:3]
    hubs = [f"{graph.nodes[n].get('display', names.display_name(n))} ({_count(d, 'link')})" for n, d in degree]
    parts.append(f"The most connected are {listing(hubs)}.")
    certainty = pd.Series([data.get("certainty", "") for _, _, data in graph.edges(data=True)]).value_counts()
    doubtful = [f"{int(certainty[c])} {c}" for c in ("alleged", "denied", "inferred") if c in certainty]
    if doubtful:
        parts.append(f"Relations that are not stated facts: {listing(doubtful)}; they are drawn with broken lines.")
    unnamed = sum(1 for _, data in graph.nodes(data=True) if data.get("unnamed"))
    if unnamed:
        parts.append(f"{_count(unnamed, 'person', 'people')} the source does not name are shown as unnamed.")
    return " ".join(parts)


def _status_count(table: pd.DataFrame, status: str, unnamed: pd.Series) -> str:
    """ "8 in U.S. custody (2 of them linked to the group only by inference; the status inferred for
    2)": a count says the weakest memberships and statuses it rests on."""
    rows = table["status"] == status
    words = f"{int(rows.sum())} {status[0].lower() + status[1:]}"
    weaker = []
    by_inference = int((rows & ~unnamed & (table["membership"] != "Stated")).sum())
    if by_inference:
        weaker.append(f"{by_inference} of them linked to the group only by inference")
    certainty = table.loc[rows, "status_certainty"]
    unsure = certainty[~certainty.isin(["stated", ""])].value_counts()
    if not unsure.empty:
        weaker.append("the status " + listing(f"{kind} for {int(n)}" for kind, n in sorted(unsure.items())))
    return words + (f" ({'; '.join(weaker)})" if weaker else "")


def cases(
    table: pd.DataFrame, group: str, as_of: str, group_figures: list[tuple[str, str]] = (), group_facts: list[str] = ()
) -> str:
    """ "Case status of 9 members of the group “The nine men Bukele requested”, as of the reporting:
    8 in U.S. custody and 1 deported to El Salvador. 1 named in the source as one of them, 2 linked by
    inference, 6 not identified. …" `group_figures`: how many of the group the source says
    cooperated, and who says so; `group_facts`: those statements as attributed sentences, said in
    full when given (the case export's alt text and the story page give them)."""
    if table.empty:
        return f"Case status of {names.display_name(group)}: no member matches the filters."
    unnamed = table["name"] == names.UNNAMED_TEXT
    statuses = [_status_count(table, status, unnamed) for status in table["status"].value_counts().index]
    in_source = int((~unnamed & (table["membership"] == "Stated")).sum())
    linked = int((~unnamed).sum()) - in_source
    counted = table["cooperation"].isin(["Stated", "Alleged"])
    cooperating = int(counted.sum())
    # A count is never surer than the memberships it rests on: say how many are in the group only by inference.
    counted_named_in_source = int((counted & ~unnamed & (table["membership"] == "Stated")).sum())
    counted_by_inference = cooperating - counted_named_in_source
    resting_on = []
    if counted_named_in_source and counted_by_inference:
        resting_on.append(f"{counted_named_in_source} named in the source as one of them")
    if counted_by_inference:
        men = "man" if counted_by_inference == 1 else "men"
        resting_on.append(f"{counted_by_inference} {men} linked to the group only by inference")
    parts = [
        f"Case status of {_count(len(table), 'member')} of the group “{names.display_name(group)}”, as of "
        f"{as_of}: {listing(statuses)}.",
        f"{in_source} named in the source as one of them, {linked} linked to the group only by inference, "
        f"{int(unnamed.sum())} not identified in the source.",
        f"{_count(cooperating, 'member')} sourced individually as cooperating (a stated or alleged "
        "cooperation statement of their own)" + (f": {listing(resting_on)}" if resting_on else ""),
    ]
    if group_facts:
        parts[-1] += ". For the group as a whole, naming none of them: " + " ".join(group_facts)
    elif group_figures:
        quantity, who = group_figures[0]
        parts[-1] += f"; for the group as a whole, {quantity}, according to {who}, none of them named."
    else:
        parts[-1] += "."
    return " ".join(parts)
