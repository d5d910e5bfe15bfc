"""After a restart, the pages read what they derive from the dataset back from the disk cache
(dashboard.dataset.cache.Derived) instead of computing it again: the same pages as computed fresh; a new
folder whenever the dataset, a source, the schema or the code changes; a damaged file recomputed."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest
import streamlit as st
from helpers import REPO, SOURCE_NAME, app

from dashboard.dataset import cache
from dashboard.dataset.model import build_model, events
from dashboard.dataset.validation import check_dataset, read_documents
from dashboard.derive import choices
from dashboard.views import network, timeline
from dashboard.views.network import layout
from dashboard.views.timeline import placement

pytestmark = pytest.mark.slow  # app scripts and restarted caches

PAGES = ("overview", "timeline", "network", "cases", "sources")


@pytest.fixture
def cache_folder(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.ENV_VAR, str(tmp_path / "cache"))
    restart()
    yield tmp_path / "cache"
    restart()


def restart() -> None:
    """What a server restart empties: Streamlit's in-memory caches. The disk cache stays."""
    st.cache_resource.clear()
    st.cache_data.clear()


def drawn(page: str) -> list[tuple[str, bytes]]:
    """Every element of `page` opened by a new session, as the bytes Streamlit sends."""
    at = app()
    if page != "overview":
        at.switch_page(str(REPO / "dashboard" / "app" / "pages" / f"{page}.py"))
    at.run()
    assert not at.exception, at.exception
    elements: list[tuple[str, bytes]] = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            if proto.DESCRIPTOR.name == "DownloadButton":
                proto.ClearField("deferred_file_id")  # a handle made anew per run for a file built on click
            elements.append((type(node).__name__, proto.SerializeToString(deterministic=True)))
        children = getattr(node, "children", None)
        for child in children.values() if isinstance(children, dict) else ():
            walk(child)

    walk(at._tree)
    return elements


def derived_files(cache_folder) -> list:
    return sorted(p for p in cache_folder.glob("*/derived-*/*") if not p.name.startswith("."))


def test_every_page_drawn_after_a_restart_is_the_page_computed_fresh(cache_folder, monkeypatch):
    fresh = {page: drawn(page) for page in PAGES}  # computes every artefact and keeps it
    kept = {p.name for p in derived_files(cache_folder)}
    assert {"entity_choices.arrow", "hover_texts.arrow", "documents.arrow"} <= kept
    assert any(name.startswith("layout-") and name.endswith(".json") for name in kept)
    assert all(name.endswith((".arrow", ".json")) for name in kept), "plain data only"

    restart()

    def not_again(*args, **kwargs):
        raise AssertionError("computed again after the restart instead of read from the disk cache")

    monkeypatch.setattr(choices, "choices_of", not_again)
    monkeypatch.setattr(layout, "layout_positions", not_again)
    monkeypatch.setattr(placement, "hover_texts", not_again)
    monkeypatch.setattr(cache, "read_documents", not_again)
    monkeypatch.setattr(cache.Derived, "_keep", not_again)
    for page in PAGES:
        assert drawn(page) == fresh[page], page


def test_a_link_opens_its_page_in_a_new_session_as_the_benchmark_times_it(cache_folder):
    from scripts.benchmark import _page_session

    at = _page_session("network", limit=60)
    at.run()
    assert [t.value for t in at.title] == ["Network"], "the network page itself, not the overview first"


@pytest.mark.parametrize("change", ["csv", "source", "schema", "code"])
def test_what_is_kept_is_not_used_once_an_input_changes(make_dataset, cache_folder, change, tmp_path, monkeypatch):
    package = tmp_path / "package"
    shutil.copytree(cache.PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache, "PACKAGE", package)
    path = make_dataset()
    before = kept_now(path)
    if change == "csv":
        path.write_text(path.read_text().replace("moved to dismiss the case.", "asked to drop the case."))
    elif change == "source":
        source = path.parent.parent / "seeds" / SOURCE_NAME
        source.write_text(source.read_text() + "A line added later.\n")
    elif change == "schema":
        package_path = path.parent / "datapackage.json"
        schema = json.loads(package_path.read_text())
        schema["credit"] = "Another credit"
        package_path.write_text(json.dumps(schema))
    else:
        (package / "views" / "timeline" / "hover.py").write_text(
            (package / "views" / "timeline" / "hover.py").read_text() + "\n# new\n"
        )
    after = kept_now(path)
    assert after["folder"] != before["folder"]
    assert change != "code" or not before["folder"].exists(), "the old code's artefacts are removed"
    fresh = check_dataset(path)
    model = build_model(fresh.frame)
    assert after["choices"] == choices.choices_of(model)
    pd.testing.assert_series_equal(
        after["hover"], timeline.hover_texts(timeline.dated(events(model.statements))), check_names=False
    )
    assert after["documents"] == {n: d.text for n, d in read_documents(fresh.frame, fresh.seeds_dir).items()}
    if change == "csv":
        assert after["hover"].str.contains("asked to drop the case.").any()
    if change == "source":
        assert after["documents"][SOURCE_NAME].endswith("A line added later.\n")


def kept_now(path) -> dict:
    """What the pages would get after a restart: loaded from the cache, each artefact kept."""
    loaded = cache.load(path)
    derived = loaded.derived
    result = {
        "folder": derived.folder,
        "choices": choices.kept_choices(loaded.model, derived),
        "hover": timeline.kept_hover_texts(loaded.model.statements, derived),
        "documents": {name: document.text for name, document in loaded.dataset.documents.items()},
    }
    assert derived.folder.is_dir() and len(list(derived.folder.iterdir())) == 3
    return result


def test_kept_artefacts_equal_what_they_keep(model, tmp_path):
    derived = cache.Derived(tmp_path / "entry" / "derived-x")
    (tmp_path / "entry").mkdir()
    graph = network.build_graph(model.statements, model.entities)
    hover = timeline.hover_texts(timeline.dated(events(model.statements)))
    for _ in range(2):  # computed and kept, then read back
        assert choices.kept_choices(model, derived) == choices.choices_of(model)
        positions = layout.kept_layout(graph, derived)
        assert positions == layout.layout_positions(graph)
        assert list(positions) == list(layout.layout_positions(graph)), "in the layout's own order"
        pd.testing.assert_series_equal(timeline.kept_hover_texts(model.statements, derived), hover, check_names=False)
    assert len(list(derived.folder.iterdir())) == 3


def test_a_damaged_or_wrong_file_is_computed_again_and_replaced(model, tmp_path):
    (tmp_path / "entry").mkdir()
    derived = cache.Derived(tmp_path / "entry" / "derived-x")
    graph = network.build_graph(model.statements, model.entities)
    choices.kept_choices(model, derived)
    layout.kept_layout(graph, derived)
    (kept_layout,) = derived.folder.glob("layout-*.json")
    (derived.folder / "entity_choices.arrow").write_bytes(b"not arrow")
    assert choices.kept_choices(model, derived) == choices.choices_of(model)
    rows = json.loads(kept_layout.read_text())
    for wrong in (rows[1:], [*rows[1:], rows[0][:2]], [[rows[0][0], "1", 2], *rows[1:]], {"a": 1}, None):
        kept_layout.write_text(json.dumps(wrong))
        assert layout.kept_layout(graph, derived) == layout.layout_positions(graph)
        assert json.loads(kept_layout.read_text()) == rows, "replaced by the right one"
    assert cache.Derived(tmp_path / "entry" / "derived-x").frame(
        "entity_choices", lambda: pytest.fail("the replaced file is read"), choices.COLUMNS
    ).shape == (len(model.entities), 3)


def test_a_cache_that_cannot_be_written_only_computes(model, tmp_path, monkeypatch):
    graph = network.build_graph(model.statements, model.entities)
    nowhere = cache.Derived(tmp_path / "deleted entry" / "derived-x")  # the entry is gone: not brought back
    assert choices.kept_choices(model, nowhere) == choices.choices_of(model)
    assert not (tmp_path / "deleted entry").exists()
    (tmp_path / "entry").mkdir()
    monkeypatch.setattr(cache, "MAX_DERIVED_FILES", 1)
    full = cache.Derived(tmp_path / "entry" / "derived-x")
    choices.kept_choices(model, full)
    assert layout.kept_layout(graph, full) == layout.layout_positions(graph)
    assert [p.name for p in full.folder.iterdir()] == ["entity_choices.arrow"], "past the limit, nothing more is kept"


def test_a_seeds_folder_swapped_for_a_link_misses_the_cache(make_dataset, cache_folder):
    path = make_dataset()
    seeds = path.parent.parent / "seeds"
    loaded = cache.load(path)
    assert SOURCE_NAME in loaded.dataset.documents
    shutil.move(seeds, seeds.with_name("real-seeds"))
    seeds.symlink_to(seeds.with_name("real-seeds"), target_is_directory=True)
    again = cache.load(path)
    assert again.derived.folder != loaded.derived.folder
    assert dict(again.dataset.documents) == {} == check_dataset(path).documents, "a linked folder is not read"


def test_another_version_of_a_library_that_computes_them_starts_a_new_folder(monkeypatch):
    import networkx

    before = cache.derived_code_digest()
    monkeypatch.setattr(networkx, "__version__", "99.0")  # imported: its module says
    newer = cache.derived_code_digest()
    assert newer != before
    monkeypatch.delitem(cache.sys.modules, "networkx")  # not imported: its metadata says
    real = cache.metadata.version
    monkeypatch.setattr(cache.metadata, "version", lambda name: "98.0" if name == "networkx" else real(name))
    assert cache.derived_code_digest() not in (before, newer)
    monkeypatch.undo()
    assert cache.derived_code_digest() == before


def test_the_app_skips_streamlits_stack_walk_on_its_first_element(monkeypatch):
    """dashboard.app.ui marks Streamlit's once-per-process REPL check (an `inspect.stack()`) as done."""
    from streamlit import delta_generator, env_util

    import dashboard.app.ui  # noqa: F401 - sets the flag

    def walked() -> bool:
        raise AssertionError("Streamlit walked the stack")

    monkeypatch.setattr(env_util, "is_repl", walked)
    delta_generator._maybe_print_use_warning()  # what Streamlit calls on every element


def test_the_dataset_version_changes_with_each_file_it_covers_and_only_then(make_dataset):
    """The key of every per-dataset cache: a short digest (hashed on each run) of the stamps of the
    CSV, its datapackage and every file in the seeds folder."""
    from dashboard.app import ui

    path = make_dataset()
    seeds = path.parent.parent / "seeds"
    first = ui._fingerprint(path)
    assert isinstance(first, str) and len(first) == 64
    assert ui._fingerprint(path) == first
    seen = {first}
    for touched in (path, path.parent / "datapackage.json", seeds / SOURCE_NAME):
        touched.write_bytes(touched.read_bytes() + b"\n")
        seen.add(ui._fingerprint(path))
    (seeds / "another.txt").write_text("A new document.\n")
    seen.add(ui._fingerprint(path))
    assert len(seen) == 5, "each change gives a new version"


def test_kept_documents_are_made_one_by_one_when_asked_for(make_dataset, cache_folder):
    path = make_dataset()
    cache.load(path)  # checks, and keeps the documents
    documents = cache.load(path).dataset.documents  # read back, as after a restart
    fresh = read_documents(check_dataset(path).frame, path.parent.parent / "seeds")
    assert sorted(documents) == sorted(fresh) and len(documents) == len(fresh)
    kept = documents._read()
    assert isinstance(kept, cache.KeptDocuments) and not kept._made, "listing the names reads no text"
    assert documents[SOURCE_NAME].text == fresh[SOURCE_NAME].text
    assert list(kept._made) == [SOURCE_NAME]
    assert documents[SOURCE_NAME] is documents[SOURCE_NAME]


def test_a_libraries_version_is_the_same_from_its_module_as_from_its_metadata():
    """The derived artefacts' folder is named with these versions, read from the module when it is
    imported: both readings must agree, or the folder would change with what a page imported."""
    import importlib
    from importlib import metadata

    for library in cache._DERIVED_LIBRARIES:
        try:
            installed = metadata.version(library)
        except metadata.PackageNotFoundError:
            continue
        importlib.import_module(library)
        assert cache.library_version(library) == installed, library
