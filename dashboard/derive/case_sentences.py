"""The case-status page's sentences, as markdown with every dataset value escaped: pure functions the
page only places, so each is unit-tested without Streamlit."""

from __future__ import annotations

from collections.abc import Mapping

from dashboard import names, wording
from dashboard.derive import filters as flt
from dashboard.derive import links
from dashboard.derive.cases import LINKED_BY_INFERENCE, UNDATED
from dashboard.text import escape_markdown as esc
from dashboard.vocabulary import according_to_mid_sentence


def as_of(filters: flt.Filters) -> str:
    """Which date the custody status holds at, and how undated statements count."""
    if filters.end:
        text = f"Custody status as of **{filters.end.isoformat()}**, the end of the date filter"
    else:
        text = "Custody status as of the reporting (no end date is set)"
    return text + (
        "; undated statements count as the situation at the time of reporting."
        if filters.include_undated
        else "; undated statements are left out, so the status comes from dated statements only."
    )


def member_label(row: Mapping) -> str:
    """A member as the chooser lists him: as listed, said to be unidentified when he is, and his status."""
    unnamed = row["name"] == names.UNNAMED_TEXT
    label = f"{row['listed_as']} (not identified in the source)" if unnamed else row["listed_as"]
    if row["name"].endswith(LINKED_BY_INFERENCE):  # said wherever he appears (issue 11)
        label += LINKED_BY_INFERENCE
    return f"{label} · {row['status']}"


def status_line(row: Mapping, filters: flt.Filters) -> str:
    """ "**Custody status:** In U.S. custody — inferred; as of 13 March 2025, first reported … · [view in source](…)",
    then, on its own line, the detail dated by its own statement: "**Status detail:** deportation on
    hold — inferred; undated: as of the reporting · [view in source](…)". The as-of date of the
    category is never lent to a detail the source reports only as of its reporting (issue 26).
    "Since" only where the source dates the start of the status (cases: `status_begins`)."""
    line = f"**Custody status:** {esc(row['status'])}"
    if row["status_id"]:
        dated_by = row.get("status_as_of_id") or row["status_id"]
        line += (
            f" — {esc(row['status_certainty'])}; {esc(row['status_as_of'][0].lower() + row['status_as_of'][1:])} "
            f"(precision: {esc(row['status_as_of_precision'])}) · "
            f"[view in source]({links.source_url(dated_by, filters)})"
        )
    if row["status_detail"]:
        line += f"  \n**Status detail:** {esc(row['status_detail'])}"
        if row["status_id"]:
            dated = row.get("status_date") or ""
            when = "undated: as of the reporting" if not dated or dated == UNDATED else f"dated {dated}"
            line += (
                f" — {esc(row['status_certainty'])}; {esc(when)}, its own statement · "
                f"[view in source]({links.source_url(row['status_id'], filters)})"
            )
    return line


def membership_line(row: Mapping, filters: flt.Filters) -> str:
    """How we know he is in the group: how sure, on whose word, the quote, and a link to it."""
    return (
        f"**How we know he is in the group:** {esc(row['membership'].lower())}, "
        f"{esc(according_to_mid_sentence(row['membership_attribution']))}: "
        f"{esc(wording.quoted(row['membership_quote']))} · "
        f"[view in source]({links.source_url(row['membership_id'], filters)})"
    )


def group_cooperation_item(statement, filters: flt.Filters) -> str:
    """One quoted cooperation statement about the group, as a list item."""
    return (
        f"- {esc(wording.quoted(statement.quote))} — {esc(according_to_mid_sentence(statement.attribution))}, "
        f"{esc(statement.certainty)} · [view in source]({links.source_url(statement.id, filters)})"
    )
