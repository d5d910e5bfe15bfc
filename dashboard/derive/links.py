"""Links between pages that keep the filters: "view in source" for any statement."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import quote, quote_plus, urlencode

from dashboard.derive import filters as flt

SOURCES_PAGE = "sources"
STATEMENT_PARAM = "statement"


def anchor(statement_id: str) -> str:
    """The HTML id of a quoted passage on the Sources page."""
    return f"quote-{statement_id}"


def fragment(statement_id: str) -> str:
    """The anchor as a URL fragment, percent-encoded: an id from a dataset cannot close the markdown
    link it sits in, nor add a query or a second link (browsers decode it to find the anchor)."""
    return quote(anchor(str(statement_id)), safe="")


def source_url(statement_id: str, filters: flt.Filters | None = None) -> str:
    """Relative URL of the Sources page opened at a statement's passage."""
    query = flt.to_query(filters) if filters else {}
    query[STATEMENT_PARAM] = [statement_id]
    return f"./{SOURCES_PAGE}?{urlencode(query, doseq=True)}#{fragment(statement_id)}"


def source_urls(statement_ids: Iterable[str], filters: flt.Filters | None = None) -> list[str]:
    """`source_url` of many statements: the filters' part of the query is encoded once, not per row
    (tables of 20,000 undated events at 100,000 statements)."""
    shared = urlencode(flt.to_query(filters) if filters else {}, doseq=True)
    prefix = f"./{SOURCES_PAGE}?{shared + '&' if shared else ''}{STATEMENT_PARAM}="
    return [f"{prefix}{quote_plus(str(i))}#{fragment(i)}" for i in statement_ids]
