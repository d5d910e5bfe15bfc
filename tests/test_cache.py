"""The cache of checked datasets: the same result as checking, and a miss whenever an input changes."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pandas as pd
import pytest
from helpers import REPO

from dashboard.dataset import cache
from dashboard.dataset.model import build_model
from dashboard.dataset.validation import check_dataset


@pytest.fixture
def cached(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.ENV_VAR, str(tmp_path / "cache"))
    return tmp_path / "cache"


def entries(folder):
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith(".")) if folder.exists() else []


def test_a_cached_load_gives_what_checking_gives(make_dataset, cached):
    path = make_dataset()
    first, first_model = cache.check_and_model(path)
    assert len(entries(cached)) == 1
    again, again_model = cache.check_and_model(path)
    fresh = check_dataset(path)
    pd.testing.assert_frame_equal(again.frame, fresh.frame)
    assert again.problems == fresh.problems and again.rows_with_errors == fresh.rows_with_errors
    assert again.schema == fresh.schema and sorted(again.documents) == sorted(fresh.documents)
    model = build_model(fresh.frame)
    for name in ("statements", "entities", "memberships"):
        pd.testing.assert_frame_equal(getattr(again_model, name), getattr(model, name))


def test_a_dataset_with_errors_keeps_its_problems(make_dataset, cached):
    path = make_dataset(text=make_dataset().read_text().replace("stated", "confirmed", 1))
    cache.check_and_model(path)
    again, _ = cache.check_and_model(path)
    assert [str(p) for p in again.problems] == [str(p) for p in check_dataset(path).problems]
    assert not again.ok


@pytest.mark.parametrize("change", ["csv", "source", "schema", "new source"])
def test_changing_the_csv_a_source_or_the_schema_misses_the_cache(make_dataset, cached, change):
    path = make_dataset()
    before = cache.dataset_digest(path, str(path))
    cache.check_and_model(path)
    if change == "csv":
        path.write_text(path.read_text().replace("Gómez denied everything.", "Gómez denied it all."))
    elif change == "source":
        source = path.parent.parent / "seeds" / "story.txt"
        source.write_text(source.read_text().replace("ran the network", "led the network"))
    elif change == "new source":
        (path.parent.parent / "seeds" / "other.txt").write_text("more")
    else:
        package_path = path.parent / "datapackage.json"
        package = json.loads(package_path.read_text())
        package["credit"] = "Another credit"
        package_path.write_text(json.dumps(package))
    assert cache.dataset_digest(path, str(path)) != before
    dataset, _ = cache.check_and_model(path)
    fresh = check_dataset(path)
    assert [str(p) for p in dataset.problems] == [str(p) for p in fresh.problems]
    assert dataset.schema == fresh.schema
    if change == "source":
        assert any("not verbatim" in p.message for p in dataset.problems), "the changed source is checked again"
    assert len(entries(cached)) == 2


def test_a_damaged_entry_is_checked_again(make_dataset, cached):
    path = make_dataset()
    cache.check_and_model(path)
    (entry,) = entries(cached)
    (cached / entry / "frame.arrow").write_bytes(b"not arrow")
    dataset, _ = cache.check_and_model(path)
    pd.testing.assert_frame_equal(dataset.frame, check_dataset(path).frame)


def test_the_cache_key_covers_every_module_that_checks_or_models():
    """A change to any module the checking and modelling code imports must miss the cache."""
    listing = (
        "import sys, pathlib, dashboard.dataset.validation, dashboard.dataset.model; "
        "root = pathlib.Path(sys.modules['dashboard'].__file__).parent; "
        "print(' '.join(sorted(pathlib.Path(m.__file__).relative_to(root).as_posix() for n, m in sys.modules.items() "
        "if n.startswith('dashboard.') and getattr(m, '__file__', None))))"
    )
    imported = subprocess.run([sys.executable, "-c", listing], capture_output=True, text=True, check=True, cwd=REPO)
    assert {m for m in imported.stdout.split() if not m.endswith("__init__.py")} <= set(cache._CODE)


def test_a_settled_dataset_is_found_by_its_files_status_without_reading_them(make_dataset, cached, monkeypatch):
    path = make_dataset()
    monkeypatch.setattr(cache, "RACY_SECONDS", 0)  # the files were all written before now
    first = cache.dataset_digest(path, str(path))

    def read(digest, f):
        raise AssertionError(f"{f} was read again")

    monkeypatch.setattr(cache, "_add_file", read)
    assert cache.dataset_digest(path, str(path)) == first


def test_a_file_changed_just_now_is_read_again_every_time(make_dataset, cached, monkeypatch):
    path = make_dataset()
    first = cache.dataset_digest(path, str(path))  # the dataset was written just now: never remembered
    read = []
    monkeypatch.setattr(cache, "_add_file", lambda digest, f: read.append(f))
    cache.dataset_digest(path, str(path))
    assert path in read and first


@pytest.mark.parametrize("what", ["csv", "source"])
def test_a_rewrite_that_keeps_size_and_modification_time_still_changes_the_digest(
    make_dataset, cached, monkeypatch, what
):
    """The change time moves on every write and cannot be set back (os.utime sets the others)."""
    path = make_dataset()
    monkeypatch.setattr(cache, "RACY_SECONDS", 0)
    before = cache.dataset_digest(path, str(path))
    target = path if what == "csv" else path.parent.parent / "seeds" / "story.txt"
    info = target.stat()
    text = target.read_text()
    changed = text.replace("e", "E", 1)
    assert changed != text and len(changed.encode()) == len(text.encode())
    target.write_text(changed)
    os.utime(target, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert target.stat().st_size == info.st_size and target.stat().st_mtime_ns == info.st_mtime_ns
    assert cache.dataset_digest(path, str(path)) != before


def test_a_huge_sparse_file_in_seeds_is_never_read_for_the_digest(make_dataset, tmp_path):
    """Issue 25: every byte of every file was hashed (a sparse 1 TB file: a blank app). A file too
    large to be a source is refused unread, so the digest takes its size, not its bytes."""
    path = make_dataset()
    sparse = path.parent.parent / "seeds" / "dump.bin"
    with sparse.open("wb") as handle:
        handle.truncate(1 << 40)
    program = (
        "from pathlib import Path; from dashboard.dataset import cache; "
        f"print(cache.dataset_digest(Path({str(path)!r}), 'x'))"
    )
    result = subprocess.run([sys.executable, "-c", program], cwd=REPO, capture_output=True, text=True, timeout=20)
    assert result.returncode == 0 and len(result.stdout.strip()) == 64, result.stderr
    before = result.stdout
    with sparse.open("r+b") as handle:
        handle.truncate((1 << 40) + 1)
    again = subprocess.run([sys.executable, "-c", program], cwd=REPO, capture_output=True, text=True, timeout=20)
    assert again.stdout != before  # its size is in the digest: a refusal that changes is seen


def test_a_hard_linked_file_is_not_read_for_the_digest(make_dataset, monkeypatch):
    path = make_dataset()
    seeds = path.parent.parent / "seeds"
    os.link(seeds / "story.txt", path.parent / "second-name.txt")
    read = []
    monkeypatch.setattr(cache, "_add_file", lambda digest, f: read.append(f.name))
    cache.dataset_digest(path, "x")
    assert "story.txt" not in read and "statements.csv" in read
