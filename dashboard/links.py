"""Links between pages that keep the filters: "view in source" for any statement."""

from __future__ import annotations

from urllib.parse import urlencode

from dashboard import filters as flt

SOURCES_PAGE = "sources"
STATEMENT_PARAM = "statement"


def anchor(statement_id: str) -> str:
    """The HTML id of a quoted passage on the Sources page."""
    return f"quote-{statement_id}"


def source_url(statement_id: str, filters: flt.Filters | None = None) -> str:
    """Relative URL of the Sources page opened at a statement's passage."""
    query = flt.to_query(filters) if filters else {}
    query[STATEMENT_PARAM] = [statement_id]
    return f"./{SOURCES_PAGE}?{urlencode(query, doseq=True)}#{anchor(statement_id)}"
