"""A cache of checked datasets and their models on disk, so a server restart does not re-check.

The key is a digest of everything the result depends on: the CSV's bytes, the dataset's own
datapackage.json and the bundled one, every entry in the seeds folder by name (with the bytes of
each file that could be read as a source; a symbolic link by its target's name, never followed; a
file refused for its kind, size or hard links by those alone, never read), the label used in
problem lines, and the source of the modules that check and model. Change any of them and the
entry is not found: it is checked again. The digest itself is remembered under a digest of those
files' status (see `dataset_digest`), so an unchanged dataset is found without reading it again.
Frames are stored as Arrow IPC files (memory-mapped on reading), problems as JSON, under
`.cache/checked/` beside the build folder (or DASHBOARD_CACHE_DIR). An unreadable or partial entry
is ignored, never trusted.

Beside them, an entry keeps what the pages derive from the dataset and would otherwise compute
again after every restart (`Derived`: the sorted entity options, the timeline's hover texts, network
layouts, the source documents as read), in a folder named by a digest of the whole package's code
and the libraries that compute them. The documents are read when first asked for, not at load.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import shutil
import stat
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from importlib import metadata
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd
import pyarrow as pa

from dashboard.dataset.model import Model, build_model
from dashboard.dataset.problems import Problem
from dashboard.dataset.schema import BUNDLED_DATA, PACKAGE_FILE, REPO_ROOT
from dashboard.dataset.sources import Document, OnDemand, find_seeds_dir, readable_status
from dashboard.dataset.validation import CheckedDataset, check_dataset, find_schema, read_documents

CACHE_DIR = REPO_ROOT / ".cache" / "checked"
ENV_VAR = "DASHBOARD_CACHE_DIR"
KEEP = 8  # entries kept; older ones are deleted when a new one is written
COMPILED_TEMPLATES = "templates"  # dashboard.views.templating's compiled templates, never pruned as an entry
_CODE = (  # every module checking and modelling import, from dashboard/ (tests/test_cache.py keeps the list whole)
    "dataset/validation.py",
    "dataset/rowchecks.py",
    "dataset/entitychecks.py",
    "dataset/columns.py",
    "dataset/rubric.py",
    "dataset/loading.py",
    "dataset/schema.py",
    "names.py",
    "dataset/verbatim.py",
    "dates.py",
    "dataset/sources.py",
    "dataset/problems.py",
    "dataset/model.py",
)
_CHUNK = 1 << 22
PACKAGE = Path(__file__).resolve().parents[1]
# Libraries whose results the derived artefacts hold (a new networkx may lay a graph out otherwise).
_DERIVED_LIBRARIES = ("networkx", "numpy", "scipy", "pandas", "pyarrow")
MAX_DERIVED_FILES = 256  # per entry: network layouts of many different views stop being kept past it
_DERIVED_NAME = re.compile(r"[a-z][a-z0-9_-]{0,100}")
_DOCUMENT_COLUMNS = ("name", "text")


def cache_dir() -> Path:
    return Path(os.environ.get(ENV_VAR) or CACHE_DIR)


def dataset_digest(path: Path, label: str) -> str:
    """The digest of the CSV, its schema, its sources, the label and the checking code.

    Reading and hashing every byte costs tens of milliseconds on a large dataset, paid on a restarted
    server's first page; so the digest is remembered under a digest of the same files' status (size,
    inode, modification and change times: a write changes the change time, which no tool can set
    back). A file changed in the last RACY_SECONDS is never remembered, as git's index treats such
    files as "racily clean": a second write within the clock's granularity could keep its times."""
    inputs = _inputs(path)
    status, settled = _status(path, label, inputs)
    remembered = _remembered(status)
    if remembered is not None:
        return remembered
    digest = hashlib.sha256(b"checked-dataset-v1\0" + label.encode() + b"\0" + str(path.resolve()).encode())
    for kind, f in inputs:
        if kind == "link folder":  # its documents are refused (dashboard.dataset.sources), unlike a real folder's
            digest.update(b"\0seeds folder is a symbolic link\0")
        elif kind == "entry":
            digest.update(b"\0entry\0" + f.name.encode("utf-8", "surrogateescape"))
            _add_entry(digest, f)
        elif kind == "file":
            _add_file(digest, f)
    found = digest.hexdigest()
    if settled:
        _remember(status, found)
    return found


RACY_SECONDS = 2


def dataset_status(path: Path, label: str) -> str:
    """A digest of the status (size, inode, modification and change times) of every file
    dataset_digest reads: it changes whenever one of them does, at the cost of a stat each. The key
    of the app's in-memory caches (dashboard.app.ui), checked on every page run."""
    return _status(path, label, _inputs(path))[0]


def _inputs(path: Path) -> list[tuple[str, Path]]:
    """What the digest reads, in order: the checking code, the CSV and both datapackage.json files,
    then the seeds folder and each entry in it."""
    code = PACKAGE
    inputs = [("file", code / name) for name in _CODE]
    inputs += [("file", f) for f in (path, path.parent / PACKAGE_FILE, BUNDLED_DATA.parent / PACKAGE_FILE)]
    seeds = find_seeds_dir(path)
    inputs.append(("link folder" if seeds.is_symlink() else "folder", seeds))
    inputs += [("entry", entry) for entry in (sorted(seeds.iterdir()) if seeds.is_dir() else [])]
    return inputs


def _status(path: Path, label: str, inputs: list[tuple[str, Path]]) -> tuple[str, bool]:
    """A digest of every input's status (never following a link), and whether all of them were last
    changed more than RACY_SECONDS ago."""
    status = hashlib.sha256(b"status-v1\0" + label.encode() + b"\0" + str(path.resolve()).encode())
    newest = 0
    for kind, f in inputs:
        try:
            info = os.stat(f) if kind == "file" else os.lstat(f)  # files are read through a link
        except OSError as err:
            status.update(f"\0{kind}\0{f}\0missing {err.errno}".encode("utf-8", "surrogateescape"))
            continue
        newest = max(newest, info.st_mtime_ns, info.st_ctime_ns)
        fields = (info.st_mode, info.st_ino, info.st_dev, info.st_size, info.st_mtime_ns, info.st_ctime_ns)
        status.update(f"\0{kind}\0{f}\0{fields}".encode("utf-8", "surrogateescape"))
        if stat.S_ISLNK(info.st_mode):
            status.update(b"link\0" + os.fsencode(os.readlink(f)))
    return status.hexdigest(), newest < time.time_ns() - RACY_SECONDS * 1_000_000_000


def _remembered(status: str) -> str | None:
    try:
        found = (cache_dir() / f"status-{status}").read_text(encoding="ascii")
    except (OSError, ValueError):
        return None
    return found if re.fullmatch(r"[0-9a-f]{64}", found) else None


def _remember(status: str, digest: str) -> None:
    root, staging = cache_dir(), None
    try:
        root.mkdir(parents=True, exist_ok=True)
        descriptor, staging = tempfile.mkstemp(dir=root, prefix=".writing-")
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write(digest)
        os.replace(staging, root / f"status-{status}")  # whole files only
        remembered = sorted(root.glob("status-*"), key=lambda f: f.stat().st_mtime, reverse=True)
        for stale in remembered[KEEP * 8 :]:
            stale.unlink(missing_ok=True)
    except OSError:
        if staging is not None:
            Path(staging).unlink(missing_ok=True)  # a cache that cannot be written is only slower


def _add_entry(digest, entry: Path) -> None:
    """A seeds entry as the checks see it: the bytes of a file that could be read as a source, else
    only what its refusal depends on (its kind, size and number of names). A huge, sparse or linked
    file is never read here: a 1 TB sparse file took the app down while it was hashed."""
    try:
        info = os.lstat(entry)
    except OSError as err:
        digest.update(f"unreadable: {err.errno}".encode())
        return
    if stat.S_ISLNK(info.st_mode):
        digest.update(b"link\0" + os.fsencode(os.readlink(entry)))
    elif readable_status(info):
        _add_file(digest, entry)
    else:
        digest.update(f"refused {stat.S_IFMT(info.st_mode)} {info.st_size} {info.st_nlink}".encode())


def _add_file(digest, path: Path) -> None:
    digest.update(b"\0file\0" + os.fsencode(path.name))
    try:
        with path.open("rb") as f:
            while chunk := f.read(_CHUNK):
                digest.update(chunk)
    except OSError as err:
        digest.update(f"unreadable: {err.errno}".encode())


class Loaded(NamedTuple):
    """A checked dataset, its model (None when it cannot be shown) and the store of what the pages
    derive from it."""

    dataset: CheckedDataset
    model: Model | None
    derived: Derived


def check_and_model(path: Path | str, label: str | None = None) -> tuple[CheckedDataset, Model | None]:
    """The checked dataset and its model, from the cache when nothing they depend on has changed."""
    dataset, model, _ = load(path, label)
    return dataset, model


def load(path: Path | str, label: str | None = None) -> Loaded:
    """As check_and_model, with the store of derived artefacts kept in the same entry."""
    path = Path(path)
    label = label or str(path)
    try:
        key = dataset_digest(path, label)
    except OSError:
        key = None  # a folder that cannot be listed: check without the cache
    derived = Derived(None) if key is None else Derived.in_entry(cache_dir() / key)
    if key is not None:
        cached = _read(path, label, key, derived)
        if cached is not None:
            return Loaded(*cached, derived)
    dataset = check_dataset(path, label)
    model = build_model(dataset.frame) if dataset.usable else None
    if key is not None:
        _write(key, dataset, model)
        derived.frame("documents", lambda: _documents_frame(dataset.documents), _DOCUMENT_COLUMNS)  # read just now
    return Loaded(dataset, model, derived)


def _read(path: Path, label: str, key: str, derived: Derived) -> tuple[CheckedDataset, Model | None] | None:
    folder = cache_dir() / key
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        frames = {name: _read_frame(folder / f"{name}.arrow") for name in meta["frames"]}
        schema, _ = find_schema(path, label)
        seeds_dir = find_seeds_dir(path)
        frame = frames["frame"]
        dataset = CheckedDataset(
            path=path,
            schema=schema,
            seeds_dir=seeds_dir,
            frame=frame,
            problems=[Problem(**p) for p in meta["problems"]],
            documents=LazyDocuments(frame, seeds_dir, derived),
            rows_with_errors=meta["rows_with_errors"],
        )
        model = Model(**{f.name: frames[f.name] for f in dataclasses.fields(Model)}) if meta["model"] else None
        return dataset, model
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError, pa.ArrowException):
        shutil.rmtree(folder, ignore_errors=True)  # damaged: checked again and written anew
        return None


def _write(key: str, dataset: CheckedDataset, model: Model | None) -> None:
    root = cache_dir()
    frames = {"frame": dataset.frame}
    if model is not None:
        frames.update({f.name: getattr(model, f.name) for f in dataclasses.fields(Model)})
    meta = {
        "frames": list(frames),
        "model": model is not None,
        "problems": [dataclasses.asdict(p) for p in dataset.problems],
        "rows_with_errors": dataset.rows_with_errors,
    }
    staging = None
    try:
        root.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=root, prefix=".writing-"))
        for name, frame in frames.items():
            _write_frame(frame, staging / f"{name}.arrow")
        (staging / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
        os.replace(staging, root / key)  # whole entries only: a reader never sees half of one
    except (OSError, pa.ArrowException, TypeError, ValueError):
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        return  # a cache that cannot be written is only slower
    _prune(root)


def _write_frame(frame: pd.DataFrame, target: Path, preserve_index: bool | None = None) -> None:
    if preserve_index is None:
        preserve_index = not isinstance(frame.index, pd.RangeIndex)
    table = pa.Table.from_pandas(frame, preserve_index=preserve_index)
    with pa.OSFile(str(target), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)


def _read_frame(source: Path) -> pd.DataFrame:
    # Not closed here: the frame's columns are views of the mapped file, unmapped when they go.
    return pa.ipc.open_file(pa.memory_map(str(source), "r")).read_all().to_pandas()


def _prune(root: Path) -> None:
    entries = [e for e in root.iterdir() if e.is_dir() and e.name != COMPILED_TEMPLATES]
    entries.sort(key=lambda e: e.stat().st_mtime, reverse=True)
    for stale in entries[KEEP:]:
        shutil.rmtree(stale, ignore_errors=True)


class LazyDocuments(OnDemand):
    """The source documents of a cached dataset, read when first asked for (only the sources page and
    some exports need them): from the entry's derived artefacts, else from the seeds folder through
    dashboard.dataset.sources' checks (and then kept). The entry's key covers every file in that folder, and
    whether the folder is a link, so what was read and accepted then is what would be read now."""

    def __init__(self, frame: pd.DataFrame, seeds_dir: Path, derived: Derived):
        def read() -> pd.DataFrame:
            return _documents_frame(read_documents(frame, seeds_dir))

        def load() -> Mapping[str, Document]:
            return KeptDocuments(derived.frame("documents", read, _DOCUMENT_COLUMNS))

        super().__init__(load)


class KeptDocuments(Mapping):
    """Documents by name from the kept frame, each made when first asked for: the sources page
    shows one document of all of them, and turning every text into a Python string (9 MB at
    100,000 statements) cost a restarted server's first page 10 ms. Two threads asking at once may
    each make the same document: equal, and one of them is kept."""

    def __init__(self, kept: pd.DataFrame):
        self._texts = kept["text"]
        self._positions = {name: position for position, name in enumerate(kept["name"].tolist())}
        self._made: dict[str, Document] = {}

    def __getitem__(self, name: str) -> Document:
        if name not in self._made:
            self._made[name] = Document(name, self._texts.iloc[self._positions[name]])
        return self._made[name]

    def __iter__(self):
        return iter(self._positions)

    def __len__(self) -> int:
        return len(self._positions)


def library_version(library: str) -> str:
    """The installed version of a library: from the module when it is imported (each of
    _DERIVED_LIBRARIES gives the same string as its distribution's metadata, which a test checks),
    else from the metadata, whose lookup scans the installed distributions (about 1 ms each)."""
    module = sys.modules.get(library)
    if isinstance(getattr(module, "__version__", None), str):
        return module.__version__
    try:
        return metadata.version(library)
    except metadata.PackageNotFoundError:
        return "absent"


def _documents_frame(documents: Mapping[str, Document]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "name": pd.Series(list(documents), dtype="str"),
            "text": pd.Series([d.text for d in documents.values()], dtype="str"),
        }
    )


class Derived:
    """What the pages derive from one checked dataset, kept in its cache entry so that a restarted
    server reads it instead of computing it again. The folder is named by a digest of the package's
    code and the versions of the libraries that compute the artefacts, so a change to either starts
    a new one (and removes the old). Plain Arrow IPC and JSON files, written whole; a file that
    cannot be read or does not have the expected shape is computed again and replaced.
    `Derived(None)` keeps nothing: every artefact is computed. `digest`: the dataset's digest (the
    entry's name, see `dataset_digest`), what views shared across sessions are keyed by; None when
    the dataset could not be digested."""

    def __init__(self, folder: Path | None, digest: str | None = None):
        self.folder = folder
        self.digest = digest

    @classmethod
    def in_entry(cls, entry: Path) -> Derived:
        return cls(entry / f"derived-{derived_code_digest()[:24]}", digest=entry.name)

    def frame(self, name: str, compute: Callable[[], pd.DataFrame], columns: tuple[str, ...]) -> pd.DataFrame:
        """The frame kept as `name` (with these columns), else `compute()`, kept for next time."""
        target = self._path(name, ".arrow")
        if target is not None and target.exists():
            try:
                frame = _read_frame(target)
                if tuple(frame.columns) == columns:
                    return frame
            except (OSError, ValueError, pa.ArrowException):
                pass
        frame = compute()
        if target is not None:
            self._keep(target, lambda staging: _write_frame(frame, staging, preserve_index=True))
        return frame

    def json(self, name: str, compute: Callable[[], Any], valid: Callable[[Any], bool]) -> Any:
        """The JSON value kept as `name` when `valid` accepts it, else `compute()`, kept for next time."""
        target = self._path(name, ".json")
        if target is not None and target.exists():
            try:
                value = json.loads(target.read_text(encoding="utf-8"))
                if valid(value):
                    return value
            except (OSError, ValueError):
                pass
        value = compute()
        if target is not None:
            self._keep(target, lambda staging: staging.write_text(json.dumps(value), encoding="utf-8"))
        return value

    def _path(self, name: str, suffix: str) -> Path | None:
        if not _DERIVED_NAME.fullmatch(name):
            raise ValueError(f"not a name for a derived artefact: {name!r}")
        return None if self.folder is None else self.folder / (name + suffix)

    def _keep(self, target: Path, write: Callable[[Path], Any]) -> None:
        folder = target.parent
        staging = None
        try:
            if not folder.is_dir():
                folder.mkdir()  # not parents: an entry deleted meanwhile is not brought back half
                for old in folder.parent.glob("derived-*"):
                    if old != folder:
                        shutil.rmtree(old, ignore_errors=True)  # made by other code: never read again
            if sum(1 for _ in folder.iterdir()) >= MAX_DERIVED_FILES:
                return
            descriptor, name = tempfile.mkstemp(dir=folder, prefix=".writing-")
            os.close(descriptor)
            staging = Path(name)
            write(staging)
            os.replace(staging, target)  # whole files only: a reader never sees half of one
        except (OSError, pa.ArrowException, TypeError, ValueError):
            if staging is not None:
                staging.unlink(missing_ok=True)  # a cache that cannot be written is only slower


def derived_code_digest() -> str:
    """A digest of every module of the package and of the libraries' versions: what the derived
    artefacts depend on besides the dataset (hashing ~70 small files takes a few milliseconds)."""
    digest = hashlib.sha256(b"derived-v1\0")
    for library in _DERIVED_LIBRARIES:
        digest.update(f"{library}={library_version(library)}\0".encode())
    for module in sorted(PACKAGE.rglob("*.py")):
        digest.update(module.relative_to(PACKAGE).as_posix().encode() + b"\0")
        _add_file(digest, module)
    return digest.hexdigest()
