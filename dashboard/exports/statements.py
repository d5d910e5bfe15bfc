"""The rows behind a view: the statements passing the filters, in the dataset's own columns.

- `csv_bytes`: spreadsheet-safe CSV (the case table's writer: formulas neutralised, UTF-8 with BOM).
- `json_bytes`: a Data Package descriptor whose statements resource holds the rows inline, under
  the dataset's own schema, so any Frictionless tool reads and validates it.
- `package_bytes`: a zip that re-opens in the dashboard: the rows as they are in the dataset (a
  verbatim quote must stay verbatim, so no formula neutralising here), its datapackage.json, and
  the passages of each source document that the rows quote.
- `open_dataset`: a statements CSV, or such a zip, unpacked once into a cache folder.
"""

from __future__ import annotations

import copy
import csv
import hashlib
import io
import json
import os
import re
import shutil
import stat
import tempfile
import zipfile
import zlib
from datetime import date
from pathlib import Path, PurePosixPath

import pandas as pd

from dashboard.dataset.schema import PACKAGE_FILE
from dashboard.dataset.sources import SEEDS_DIR, Document
from dashboard.derive import filters as flt
from dashboard.derive.context import Context
from dashboard.exports import spreadsheet

MEDIA_TYPES = {"csv": "text/csv", "json": "application/json", "datapackage": "application/zip"}
PASSAGE_BREAK = "\n\n[…]\n\n"  # between passages of one source that are not next to each other
DATA_DIR, CSV_NAME = "data", "statements.csv"
# Limits on a package opened with --data: a zip is expanded only when it is plainly one of ours.
MAX_MEMBERS, MAX_UNPACKED = 200, 200 * 1024 * 1024
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
    """The kept rows plus the supporting ones, in dataset order, in the dataset's columns."""
    written = context.dataset.frame  # the curator's own cells, in dataset order (see `rows`)
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


def package_bytes(context: Context, folder: str = "story") -> bytes:
    """The zip: every file under one folder, so unpacking it makes one story folder."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in package_files(context).items():
            archive.writestr(f"{folder}/{path}", data)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------
# Opening a package


class PackageError(ValueError):
    pass


def open_dataset(path: Path | str, cache: Path | None = None) -> Path:
    """The statements CSV to read for `path`: the path itself, or for a zip data package the CSV
    inside it, unpacked once (per content) into `cache` (default: a folder of this user's own in
    the system's temporary folder). Only regular files with plain relative names are unpacked;
    anything else, and any member that cannot be read whole, is refused with a reason
    (PackageError), leaving nothing behind. A folder found under the zip's digest is used only
    when it holds exactly the zip's files, byte for byte: never what someone else wrote there."""
    path = Path(path)
    if not is_zip(path):
        return path
    data = _read_zip(path)
    digest = hashlib.sha256(data).hexdigest()[:16]
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [m for m in archive.infolist() if not m.is_dir()]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError) as err:
        raise PackageError(f"{path}: not a zip file that can be read ({err})") from None
    _check_members(path, members)
    packages = [m.filename for m in members if PurePosixPath(m.filename).name == PACKAGE_FILE]
    csvs = [m.filename for m in members if PurePosixPath(m.filename).match(f"{DATA_DIR}/{CSV_NAME}")]
    if len(csvs) != 1 or len(packages) != 1:
        raise PackageError(f"{path}: a data package holds one {DATA_DIR}/{CSV_NAME} and one {PACKAGE_FILE}")
    files = {_relative(m): _member_bytes(path, archive, m) for m in members}
    root = _private_folder(path, cache or Path(tempfile.gettempdir()) / f"story-explorer-packages-{os.geteuid()}")
    target = root / digest
    if not _holds_exactly(target, files):
        shutil.rmtree(target, ignore_errors=True)  # in our own folder: a stale or damaged copy of ours
        _unpack(root, target, digest, files)
        if not _holds_exactly(target, files):
            raise PackageError(f"{path}: its copy in {root} changed while it was unpacked; try again")
    return target.joinpath(*PurePosixPath(csvs[0]).parts)


def is_zip(path: Path) -> bool:
    """A regular file that starts as a zip does (whatever its name ends with)."""
    try:
        if not path.is_file():
            return False
        with path.open("rb") as handle:
            return handle.read(4) == b"PK\x03\x04"
    except OSError:
        return False


def _read_zip(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_UNPACKED + 1)
    except OSError as err:
        raise PackageError(f"{path}: cannot read it ({err.strerror})") from err
    if len(data) > MAX_UNPACKED:
        raise PackageError(f"{path}: too large for a data package (over {MAX_UNPACKED:,} bytes)")
    return data


def _relative(member: zipfile.ZipInfo) -> tuple[str, ...]:
    return PurePosixPath(member.filename).parts


def _member_bytes(path: Path, archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bytes:
    """A member's bytes, whole and as its sizes and checksum say, else PackageError naming it."""
    name = member.filename
    if member.flag_bits & 0x1:
        raise PackageError(f"{path}: “{name}” is encrypted; a data package is a plain zip")
    if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise PackageError(
            f"{path}: “{name}” is compressed with method {member.compress_type}, which is not read here; "
            "zip it again with the usual (deflate) compression"
        )
    try:
        data = archive.read(member)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, RuntimeError, NotImplementedError) as err:
        raise PackageError(f"{path}: “{name}” is damaged ({err}); export the package again") from None
    if len(data) != member.file_size:
        raise PackageError(f"{path}: “{name}” is damaged (its size is not what the zip says)")
    return data


def _private_folder(path: Path, folder: Path) -> Path:
    """`folder`, made if absent, when it is a real folder that only this user owns and can write:
    a folder someone else made (or a link to one) could hand back files they chose."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = os.lstat(folder)
    except OSError as err:
        raise PackageError(f"{path}: cannot make the package folder {folder} ({err.strerror})") from None
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid() or info.st_mode & 0o022:
        raise PackageError(
            f"{path}: the package folder {folder} is not a folder of this user's that only they can write; "
            "remove it, or set TMPDIR to a private folder"
        )
    return folder


def _holds_exactly(target: Path, files: dict[tuple[str, ...], bytes]) -> bool:
    """Whether `target` holds these files and nothing else: regular files, not links, each with
    these bytes (and the marker of a finished unpacking)."""
    expected = {**{PurePosixPath(*parts).as_posix(): data for parts, data in files.items()}, _COMPLETE: b""}
    try:
        if not stat.S_ISDIR(os.lstat(target).st_mode):
            return False
        found = {}
        for folder, folders, names in os.walk(target):  # never follows links
            if any(os.path.islink(os.path.join(folder, f)) for f in folders):
                return False
            for name in names:
                full = os.path.join(folder, name)
                found[Path(full).relative_to(target).as_posix()] = full
        if found.keys() != expected.keys():
            return False
        for name, full in found.items():
            info = os.lstat(full)
            if not stat.S_ISREG(info.st_mode) or info.st_nlink != 1 or info.st_size != len(expected[name]):
                return False
            with open(full, "rb") as handle:
                if handle.read() != expected[name]:
                    return False
    except OSError:
        return False
    return True


_COMPLETE = ".complete"


def _unpack(root: Path, target: Path, digest: str, files: dict[tuple[str, ...], bytes]) -> None:
    """Every file into a fresh private folder, then moved into place whole; nothing left on failure."""
    staging = Path(tempfile.mkdtemp(prefix=f".{digest}-", dir=root))
    try:
        for parts, data in {**files, (_COMPLETE,): b""}.items():
            destination = staging.joinpath(*parts)
            destination.parent.mkdir(parents=True, exist_ok=True)
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
            with os.fdopen(os.open(destination, flags, 0o600), "wb") as handle:
                handle.write(data)
        os.replace(staging, target)
    except OSError:
        pass  # another session unpacked it first (the target then exists), or the disk is full
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _check_members(path: Path, members: list[zipfile.ZipInfo]) -> None:
    if len(members) > MAX_MEMBERS or sum(m.file_size for m in members) > MAX_UNPACKED:
        raise PackageError(f"{path}: too large for a data package ({len(members)} files)")
    seen = set()
    for member in members:
        name = PurePosixPath(member.filename)
        kind = (member.external_attr >> 16) & 0o170000
        if name.is_absolute() or ".." in name.parts or "\\" in member.filename or ":" in member.filename:
            raise PackageError(f"{path}: refusing “{member.filename}”: not a plain relative path")
        if kind not in (0, 0o100000):
            raise PackageError(f"{path}: refusing “{member.filename}”: not a regular file")
        if not name.parts or name.parts in seen or name.as_posix() == _COMPLETE:
            raise PackageError(f"{path}: refusing “{member.filename}”: a name given twice, or empty")
        seen.add(name.parts)
