"""A cache of checked datasets and their models on disk, so a server restart does not re-check.

The key is a digest of everything the result depends on: the CSV's bytes, the dataset's own
datapackage.json and the bundled one, every file in the seeds folder (name and bytes; a symbolic
link by its target's name, never followed), the label used in problem lines, and the source of the
modules that check and model. Change any of them and the entry is not found: it is checked again.
Frames are stored as Arrow IPC files (memory-mapped on reading), problems as JSON, under
`.cache/checked/` beside the build folder (or DASHBOARD_CACHE_DIR). An unreadable or partial entry
is ignored, never trusted.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import pyarrow as pa

from dashboard.model import Model, build_model
from dashboard.problems import Problem
from dashboard.schema import BUNDLED_DATA, PACKAGE_FILE, REPO_ROOT
from dashboard.sources import find_seeds_dir
from dashboard.validation import CheckedDataset, check_dataset, find_schema, read_documents

CACHE_DIR = REPO_ROOT / ".cache" / "checked"
ENV_VAR = "DASHBOARD_CACHE_DIR"
KEEP = 8  # entries kept; older ones are deleted when a new one is written
_CODE = (  # every module checking and modelling import (tests/test_cache.py keeps the list whole)
    "validation.py",
    "rowchecks.py",
    "entitychecks.py",
    "columns.py",
    "rubric.py",
    "loading.py",
    "schema.py",
    "names.py",
    "verbatim.py",
    "dates.py",
    "sources.py",
    "problems.py",
    "model.py",
)
_CHUNK = 1 << 22


def cache_dir() -> Path:
    return Path(os.environ.get(ENV_VAR) or CACHE_DIR)


def dataset_digest(path: Path, label: str) -> str:
    """The digest of the CSV, its schema, its sources, the label and the checking code."""
    digest = hashlib.sha256(b"checked-dataset-v1\0" + label.encode() + b"\0" + str(path.resolve()).encode())
    code = Path(__file__).resolve().parent
    for name in _CODE:
        _add_file(digest, code / name)
    for f in (path, path.parent / PACKAGE_FILE, BUNDLED_DATA.parent / PACKAGE_FILE):
        _add_file(digest, f)
    seeds = find_seeds_dir(path)
    entries = sorted(seeds.iterdir()) if seeds.is_dir() else []
    for entry in entries:
        digest.update(b"\0entry\0" + entry.name.encode("utf-8", "surrogateescape"))
        if entry.is_symlink():
            digest.update(b"link\0" + os.fsencode(os.readlink(entry)))
        elif entry.is_file():
            _add_file(digest, entry)
    return digest.hexdigest()


def _add_file(digest, path: Path) -> None:
    digest.update(b"\0file\0" + os.fsencode(path.name))
    try:
        with path.open("rb") as f:
            while chunk := f.read(_CHUNK):
                digest.update(chunk)
    except OSError as err:
        digest.update(f"unreadable: {err.errno}".encode())


def check_and_model(path: Path | str, label: str | None = None) -> tuple[CheckedDataset, Model | None]:
    """The checked dataset and its model, from the cache when nothing they depend on has changed."""
    path = Path(path)
    label = label or str(path)
    try:
        key = dataset_digest(path, label)
    except OSError:
        key = None  # a folder that cannot be listed: check without the cache
    if key is not None:
        cached = _read(path, label, key)
        if cached is not None:
            return cached
    dataset = check_dataset(path, label)
    model = build_model(dataset.frame) if dataset.usable else None
    if key is not None:
        _write(key, dataset, model)
    return dataset, model


def _read(path: Path, label: str, key: str) -> tuple[CheckedDataset, Model | None] | None:
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
            documents=read_documents(frame, seeds_dir),
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


def _write_frame(frame: pd.DataFrame, target: Path) -> None:
    table = pa.Table.from_pandas(frame, preserve_index=not isinstance(frame.index, pd.RangeIndex))
    with pa.OSFile(str(target), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)


def _read_frame(source: Path) -> pd.DataFrame:
    # Not closed here: the frame's columns are views of the mapped file, unmapped when they go.
    return pa.ipc.open_file(pa.memory_map(str(source), "r")).read_all().to_pandas()


def _prune(root: Path) -> None:
    entries = sorted((e for e in root.iterdir() if e.is_dir()), key=lambda e: e.stat().st_mtime, reverse=True)
    for stale in entries[KEEP:]:
        shutil.rmtree(stale, ignore_errors=True)
