"""Compiled templates kept on disk for a restarted server: used only from a folder that is the
server user's own, never pruned with the dataset entries, and giving the same pages."""

from __future__ import annotations

import os

import pytest

from dashboard.dataset import cache
from dashboard.views import templating


@pytest.fixture
def cache_root(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.ENV_VAR, str(tmp_path / "cache"))
    templating.bytecode_cache.cache_clear()
    templating.environment.cache_clear()
    yield tmp_path / "cache"
    templating.bytecode_cache.cache_clear()
    templating.environment.cache_clear()


def test_compiled_templates_are_kept_in_a_private_folder_and_give_the_same_page(cache_root):
    page = templating.render("legend.html", css="", groups=[])
    kept = cache_root / cache.COMPILED_TEMPLATES
    assert kept.is_dir() and (kept.stat().st_mode & 0o777) == 0o700
    assert list(kept.iterdir()), "the compiled template is on disk"
    templating.environment.cache_clear()  # a new process: the template is loaded, not compiled
    assert templating.render("legend.html", css="", groups=[]) == page


@pytest.mark.parametrize("how", ["others can write", "a link"])
def test_a_folder_others_could_write_code_into_is_never_used(cache_root, tmp_path, how):
    cache_root.mkdir(parents=True)
    folder = cache_root / cache.COMPILED_TEMPLATES
    if how == "others can write":
        folder.mkdir()
        os.chmod(folder, 0o777)
    else:
        (tmp_path / "elsewhere").mkdir(mode=0o700)
        folder.symlink_to(tmp_path / "elsewhere")
    assert templating.bytecode_cache() is None
    assert "<" in templating.render("legend.html", css="", groups=[])  # still renders, compiled
    assert not list((tmp_path / "elsewhere").iterdir()) if how == "a link" else True


def test_pruning_old_dataset_entries_keeps_the_compiled_templates(cache_root):
    templating.render("legend.html", css="", groups=[])
    for number in range(cache.KEEP + 3):
        entry = cache_root / f"{number:064x}"
        entry.mkdir()
        os.utime(entry, (number + 10**9, number + 10**9))
    os.utime(cache_root / cache.COMPILED_TEMPLATES, (1, 1))  # the oldest of all
    cache._prune(cache_root)
    assert (cache_root / cache.COMPILED_TEMPLATES).is_dir()
    assert len([e for e in cache_root.iterdir() if e.name != cache.COMPILED_TEMPLATES]) == cache.KEEP
