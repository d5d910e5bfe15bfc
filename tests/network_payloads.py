"""A small valid dataset whose names, relations, quotes and attributions are HTML and script
payloads, for the network view's escaping tests (unit, AppTest and browser).

Every payload would run if it reached the page as markup: a tag with an event handler, a closing
script tag, and a link ("href") that would switch pyvis to its innerHTML tooltip.
"""

from __future__ import annotations

from helpers import small_rows

IMG = "<img src=x onerror=alert(1)>"
SCRIPT = "</script><script>alert(2)</script>"
LINK_NAME = '<a href="javascript:alert(3)">Linked</a>'
BOLD = "<b onmouseover=alert(4)>officials</b>"
PAYLOADS = (IMG, SCRIPT, LINK_NAME, BOLD)

SOURCE_TEXT = (
    f"{IMG} met {LINK_NAME} to plan {SCRIPT} with Ana Pérez.\n"
    f"Said {BOLD}: the file had <a href=javascript:alert(5)>a link</a>.\n"
)


def payload_rows() -> list[dict[str, str]]:
    """The three small_rows() statements plus two relations between payload-named people."""
    base = small_rows()[0]
    common = {key: "" for key in base}
    quote_1 = f"{IMG} met {LINK_NAME} to plan {SCRIPT} with Ana Pérez."
    quote_2 = "the file had <a href=javascript:alert(5)>a link</a>."
    rows = small_rows()
    rows += [
        {
            **common,
            "id": "x1",
            "statement_type": "event",
            "subject": IMG,
            "relation": SCRIPT,
            "object": LINK_NAME,
            "relation_type": "other",
            "summary": "A payload met another payload.",
            "quote": quote_1,
            "source": "story.txt",
            "attribution": BOLD,
            "certainty": "alleged",
            "kind": "person",
            "side": "MS-13",
        },
        {
            **common,
            "id": "x2",
            "statement_type": "event",
            "subject": LINK_NAME,
            "relation": "had a file with a link for",
            "object": IMG,
            "relation_type": "other",
            "summary": "The file had a link.",
            "quote": quote_2,
            "source": "story.txt",
            "attribution": "The article",
            "certainty": "stated",
            "kind": "person",
            "side": "U.S. government",
        },
        {
            **common,
            "id": "x3",
            "statement_type": "event",
            "subject": IMG,
            "relation": "planned with",
            "object": "Ana Pérez",
            "relation_type": "other",
            "summary": "They planned with Ana Pérez.",
            "quote": quote_1,
            "source": "story.txt",
            "attribution": "The article",
            "certainty": "stated",
        },
    ]
    return rows


def source_text() -> str:
    """The source document the payload rows quote, with the bundled small story before it."""
    from helpers import SOURCE_TEXT as SMALL

    return SMALL + SOURCE_TEXT
