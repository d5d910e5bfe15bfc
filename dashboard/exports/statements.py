"""The rows behind a view: the statements passing the filters, in the dataset's own columns.

- `csv_bytes`: spreadsheet-safe CSV (the case table's writer: formulas neutralised, UTF-8 with BOM).
- `json_bytes`: a Data Package descriptor whose statements resource holds the rows inline, under
  the dataset's own schema, so any Frictionless tool reads and validates it.
- `package_bytes`: a zip that re-opens in the dashboard: the rows as they are in the dataset (a
  verbatim quote must stay verbatim, so no formula neutralising here), its datapackage.json, and
  the passages of each source document that the rows quote.
(Opening such a zip: `dashboard.dataset.package`.)
"""

from __future__ import annotations

import copy
import csv
import io
import json
import re
import zipfile
from datetime import date
from pathlib import PurePosixPath

import pandas as pd

from dashboard.dataset.model import by_id
from dashboard.dataset.package import CSV_NAME, DATA_DIR
from dashboard.dataset.schema import PACKAGE_FILE
from dashboard.dataset.sources import SEEDS_DIR, Document
from dashboard.derive import filters as flt
from dashboard.derive.context import Context
from dashboard.exports import spreadsheet

MEDIA_TYPES = {"csv": "text/csv", "json": "application/json", "datapackage": "application/zip"}
PASSAGE_BREAK = "\n\n[…]\n\n"  # between passages of one source that are not next to each other
_PARAGRAPH_BREAK = re.compile(r"\n\s*")  # a line is a paragraph: wrapped lines merge via the quote spans


def rows(context: Context) -> pd.DataFrame:
    """The statements passing the filters, in the dataset's columns and order, cells as written."""
    # The checked file's own cells, not the model's: the model derives columns of the same name
    # (date_inference "none" for a blank), which are not what the curator wrote.
    columns = list(context.dataset.schema.columns)
    written = context.dataset.frame.drop_duplicates("id").set_index("id", drop=False)
    return written.loc[context.statements["id"], columns].reset_index(drop=True)


def csv_bytes(context: Context) -> bytes:
    """Spreadsheet-safe CSV of the rows."""
    return spreadsheet.csv_bytes(rows(context))


def raw_csv_bytes(frame: pd.DataFrame) -> bytes:
    """The rows exactly as written, UTF-8, as the dashboard reads them."""
    return frame.to_csv(index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL).encode("utf-8")


def descriptor(context: Context, count: int) -> dict:
    """The dataset's datapackage.json, describing this subset: the filters in words and as URL
    parameters, how many rows of how many, and when it was exported."""
    package = copy.deepcopy(context.dataset.schema.meta)
    total = len(context.model.statements)
    in_words = flt.in_words(context.filters, context.model)
    package["subset"] = {
        "filters": in_words or "none",
        "query": flt.to_query(context.filters),
        "statements": count,
        "of": total,
        "exported": date.today().isoformat(),
    }
    if in_words:
        package["description"] = (package.get("description", "") + f" This copy holds {count} of {total} "
                                  f"statements: {in_words}.").strip()  # fmt: skip
    return package


def _statements_resource(package: dict) -> dict:
    return next(r for r in package.get("resources", []) if r.get("name") == "statements")


def json_bytes(context: Context) -> bytes:
    """A Data Package with the rows inline (`resources[0].data`, one object per row, every field)."""
    frame = rows(context)
    package = descriptor(context, len(frame))
    resource = _statements_resource(package)
    for key in ("path", "format", "mediatype", "encoding", "dialect"):
        resource.pop(key, None)
    resource["data"] = frame.to_dict("records")
    package["resources"] = [resource]
    return json.dumps(package, ensure_ascii=False, indent=1).encode("utf-8")


def passages(document: Document, quotes) -> str:
    """The paragraphs of `document` that hold the quotes (every part of each), in the document's
    order, joined with PASSAGE_BREAK. Each quote stays verbatim in the result."""
    text = document.text
    breaks = [0] + [m.end() for m in _PARAGRAPH_BREAK.finditer(text)]
    ends = [m.start() for m in _PARAGRAPH_BREAK.finditer(text)] + [len(text)]
    spans = []
    for quote in quotes:
        for start, end in document.find(quote) or ():
            first = max(i for i, b in enumerate(breaks) if b <= start)
            last = min(i for i, e in enumerate(ends) if e >= end)
            spans.append((breaks[first], ends[last]))
    merged: list[list[int]] = []
    for start, end in sorted(set(spans)):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return PASSAGE_BREAK.join(text[start:end].strip() for start, end in merged) + "\n"


def supporting_ids(context: Context) -> list[str]:
    """Rows outside the filters that a re-opened copy needs: for every entity the rows name without
    giving its kind or side, the first row of the dataset that gives it (usually its profile row),
    and so on for the entities those rows name. Without them the copy would fail its check: every
    entity needs a kind and a side."""
    everything = context.model.statements
    kept_ids = list(context.statements["id"])
    extra: list[str] = []
    while True:
        kept = everything[everything["id"].isin([*kept_ids, *extra])]
        named = dict.fromkeys([*kept["subject"], *kept.loc[kept["object"] != "", "object"]])
        added = []
        for column in ("kind", "side"):
            given = set(kept.loc[kept[column] != "", "subject"])
            for name in named:
                if name in given:
                    continue
                giving = everything[(everything["subject"] == name) & (everything[column] != "")]
                if not giving.empty and giving["id"].iloc[0] not in added:
                    added.append(giving["id"].iloc[0])
        if not added:
            return extra
        extra += added


def package_rows(context: Context) -> pd.DataFrame:
    """The kept rows plus the supporting ones, in id order (never the file's), in the dataset's columns."""
    written = by_id(context.dataset.frame)  # the curator's own cells (see `rows`)
    wanted = set(context.statements["id"]) | set(supporting_ids(context))
    return written[written["id"].isin(wanted)][list(context.dataset.schema.columns)].reset_index(drop=True)


def package_files(context: Context) -> dict[str, bytes]:
    """The package's files by path: data/statements.csv, data/datapackage.json, seeds/<source>."""
    frame = package_rows(context)
    package = descriptor(context, len(context.statements))
    supporting = supporting_ids(context)
    if supporting:
        package["subset"]["supporting"] = supporting
        package["subset"]["supporting_note"] = (
            "Rows outside the filters, added because they give the kind or side of an entity the "
            "filtered rows name; a copy without them would not pass `python -m dashboard check`."
        )
    resource = _statements_resource(package)
    resource["path"] = CSV_NAME
    files = {f"{DATA_DIR}/{CSV_NAME}": raw_csv_bytes(frame)}
    titles = {PurePosixPath(s.get("path", "")).name: s.get("title", "") for s in package.get("sources", [])}
    sources = []
    for name, quotes in frame.groupby("source", sort=False)["quote"]:
        document = context.dataset.documents.get(name)
        if document is None:
            continue
        files[f"{SEEDS_DIR}/{name}"] = passages(document, quotes).encode("utf-8")
        title = titles.get(name) or name
        sources.append({"title": f"{title}: the passages this copy quotes", "path": f"../{SEEDS_DIR}/{name}"})
    package["sources"] = sources
    files[f"{DATA_DIR}/{PACKAGE_FILE}"] = (json.dumps(package, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    return files


# Every entry dated the earliest date a zip can hold, as reproducible-build tools do: the same view
# gives the same bytes whenever it is exported, so a copy can be checked against another by its hash.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def package_bytes(context: Context, folder: str = "story") -> bytes:
    """The zip: every file under one folder, so unpacking it makes one story folder. Entries in name
    order, each dated ZIP_DATE and readable by all (rw-r--r--)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in sorted(package_files(context).items()):
            entry = zipfile.ZipInfo(f"{folder}/{path}", date_time=ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o100644 << 16
            archive.writestr(entry, data)
    return buffer.getvalue()
