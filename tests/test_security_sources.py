"""Source documents are read only as regular files inside seeds/ (issue 13): a symbolic link,
direct or through a chain, a linked seeds folder, a device, a pipe or an oversized file is refused
with a located problem, and its content is never shown by the app."""

from __future__ import annotations

import json
import os

import pytest
from helpers import REPO, SOURCE_NAME, SOURCE_TEXT, app, page_text, run_dashboard, small_rows

from dashboard.app import ui
from dashboard.dataset import sources
from dashboard.dataset.validation import check_dataset

SECRET = "ZX_SECRET_TOKEN=do-not-publish-0123456789"


@pytest.fixture
def secret_file(tmp_path):
    """A file outside the dataset, standing for /etc/passwd or the server's environment."""
    path = tmp_path / "outside" / "secrets.txt"
    path.parent.mkdir()
    path.write_text(SECRET + "\n" + SOURCE_TEXT, encoding="utf-8")  # the rows' quotes are in it too
    return path


def _cite(make_dataset, name: str, link_to=None, chain: int = 0):
    """A dataset whose rows cite `name`; `name` in seeds/ is a link (through `chain` more links)."""
    rows = small_rows()
    for row in rows:
        row["source"] = name
    csv = make_dataset(rows=rows)
    seeds = csv.parent.parent / "seeds"
    if link_to is not None:
        target = str(link_to)
        for i in range(chain):
            hop = seeds / f"hop{i}.txt"
            os.symlink(target, hop)
            target = str(hop)
        os.symlink(target, seeds / name)
    return csv


LINK_TARGETS = {
    "proc-environ": "/proc/self/environ",
    "etc-passwd": "/etc/passwd",
}


@pytest.mark.parametrize("target", list(LINK_TARGETS))
def test_a_symlink_to_a_system_file_is_refused_with_a_located_problem(make_dataset, target):
    csv = _cite(make_dataset, "leak.txt", LINK_TARGETS[target])
    dataset = check_dataset(csv)
    assert "leak.txt" not in dataset.documents
    problems = [p for p in dataset.problems if p.column == "source" and "symbolic link" in p.message]
    assert {p.row for p in problems} == {2, 3, 4}, dataset.problems
    assert all("leak.txt" in p.message and p.is_error for p in problems)


def test_a_chain_of_links_is_refused(make_dataset, secret_file):
    csv = _cite(make_dataset, "chain.txt", secret_file, chain=3)
    dataset = check_dataset(csv)
    assert "chain.txt" not in dataset.documents
    assert any("symbolic link" in p.message and p.row == 2 for p in dataset.problems)
    assert all(SECRET not in str(p) for p in dataset.problems)


def test_a_link_to_a_file_inside_seeds_is_refused_too(make_dataset):
    """Even a link that stays inside the folder: the rule is "regular files only", nothing to judge."""
    csv = _cite(make_dataset, "alias.txt", SOURCE_NAME)
    assert "alias.txt" not in check_dataset(csv).documents


def test_a_linked_seeds_folder_is_refused(make_dataset, secret_file):
    csv = make_dataset()
    seeds = csv.parent.parent / "seeds"
    real = seeds.with_name("elsewhere")
    seeds.rename(real)
    os.symlink(real, seeds)
    dataset = check_dataset(csv)
    assert dataset.documents == {}
    assert any("folder is a symbolic link" in p.message and p.row == 2 for p in dataset.problems)


def test_pipes_folders_and_oversized_files_are_refused(make_dataset, monkeypatch):
    csv = make_dataset()
    seeds = csv.parent.parent / "seeds"
    os.mkfifo(seeds / "pipe.txt")  # opening a pipe would hang the server
    (seeds / "folder.txt").mkdir()
    for name in ("pipe.txt", "folder.txt"):
        with pytest.raises(sources.RefusedSource, match="not a regular file"):
            sources.open_source(seeds, name)
    monkeypatch.setattr(sources, "MAX_SOURCE_BYTES", 100)
    with pytest.raises(sources.RefusedSource, match="larger than 100 bytes"):
        sources.open_source(seeds, SOURCE_NAME)


@pytest.mark.parametrize("name", ["../data/statements.csv", "/etc/passwd", ".hidden", "", "a\x00b"])
def test_names_that_are_not_plain_file_names_are_refused(tmp_path, name):
    with pytest.raises(sources.RefusedSource):
        sources.open_source(tmp_path, name)


def test_a_regular_file_is_read():
    document = sources.open_source(REPO / "seeds", "rubio-bukele-ms13-deal.txt")
    assert "MS-13" in document.text


@pytest.mark.parametrize("target", [*LINK_TARGETS, "chain"])
def test_check_command_refuses_the_link(make_dataset, secret_file, target):
    link = secret_file if target == "chain" else LINK_TARGETS[target]
    csv = _cite(make_dataset, "leak.txt", link, chain=2 if target == "chain" else 0)
    result = run_dashboard("check", str(csv), timeout=60)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f'{csv}:2 [source]: error: source file "leak.txt" is a symbolic link' in result.stdout
    assert SECRET not in result.stdout and "root:x:0" not in result.stdout


def _shown_everywhere(at) -> str:
    """Every text an AppTest run shows, the iframes' documents and the tables' cells included."""
    parts = [page_text(at)]
    parts += [frame.proto.srcdoc for frame in at.get("iframe")]
    parts += [frame.value.to_csv() for frame in at.dataframe]
    parts += [str(box.options) for box in at.selectbox]
    return "\n".join(parts)


@pytest.mark.parametrize("target", [*LINK_TARGETS, "chain"])
def test_the_sources_page_never_shows_a_linked_file(make_dataset, monkeypatch, secret_file, target):
    link = secret_file if target == "chain" else LINK_TARGETS[target]
    rows = small_rows()
    rows[1]["source"] = "leak.txt"  # one row cites the link; the others a real document
    csv = make_dataset(rows=rows)
    seeds = csv.parent.parent / "seeds"
    if target == "chain":
        os.symlink(link, seeds / "hop.txt")
        link = seeds / "hop.txt"
    os.symlink(link, seeds / "leak.txt")
    monkeypatch.setenv(ui.ENV_VAR, str(csv))
    monkeypatch.setenv("ZX_SECRET_TOKEN", "do-not-publish-0123456789")
    at = app().run()
    at.switch_page("dashboard/app/pages/sources.py").run()
    assert not at.exception
    shown = _shown_everywhere(at)
    assert "leak.txt" not in at.selectbox(key="source_document").options
    assert SECRET not in shown and "root:x:0" not in shown and "do-not-publish" not in shown
    problems = at.dataframe[0].value
    assert any("symbolic link" in text for text in problems["problem"])


def test_the_app_never_shows_absolute_server_paths(make_dataset, monkeypatch, tmp_path):
    rows = small_rows()
    rows[0]["source"] = "missing.txt"
    csv = make_dataset(rows=rows)
    package = json.loads((csv.parent / "datapackage.json").read_text())
    package["resources"][0]["schema"]["fields"] = package["resources"][0]["schema"]["fields"][1:]
    (csv.parent / "datapackage.json").write_text(json.dumps(package))  # a schema problem names its file
    monkeypatch.setenv(ui.ENV_VAR, str(csv))
    at = app().run()
    assert not at.exception
    problems = at.dataframe[0].value
    shown = problems.to_csv() + page_text(at)
    assert str(tmp_path) not in shown and "/tmp" not in shown, shown
    assert "data/statements.csv" in set(problems["file"])
    assert any("missing.txt" in text and "seeds" in text for text in problems["problem"])


def test_a_dataset_that_cannot_load_is_named_without_its_folder(make_dataset, monkeypatch, tmp_path):
    monkeypatch.setenv(ui.ENV_VAR, str(make_dataset(data=b"")))
    at = app().run()
    assert at.error and all(str(tmp_path) not in e.value for e in at.error)
    assert str(tmp_path) not in at.dataframe[0].value.to_csv()


def test_source_path_never_hands_out_a_refused_file(make_dataset, secret_file):
    """Callers that check `source_path(...).is_file()` and then read (the pattern before this change)
    get None for a link, so they cannot read through it; a missing file still gets its path."""
    csv = _cite(make_dataset, "leak.txt", secret_file)
    seeds = csv.parent.parent / "seeds"
    assert sources.source_path(seeds, "leak.txt") is None
    assert sources.source_path(seeds, "absent.txt") == seeds / "absent.txt"
    assert sources.source_path(seeds, SOURCE_NAME) == seeds / SOURCE_NAME
    with pytest.raises(sources.RefusedSource):
        sources.read_document(seeds / "leak.txt")


# --- hard links (issue 25) ----------------------------------------------------------------------


def _hard_linked(make_dataset, secret_file, misquote: bool = False):
    """A dataset whose second row cites `leak.txt`, a hard link in seeds/ to a file outside it. With
    `misquote`, its quote is near a passage of the secret file, which a hint would print."""
    rows = small_rows()
    rows[1]["source"] = "leak.txt"
    if misquote:
        rows[1]["quote"] = "ZX_SECRET_TOKEN=do-not-publish-0123456780"
    csv = make_dataset(rows=rows)
    os.link(secret_file, csv.parent.parent / "seeds" / "leak.txt")
    return csv


def test_a_hard_link_is_refused_like_a_symlink(make_dataset, secret_file):
    csv = _hard_linked(make_dataset, secret_file, misquote=True)
    seeds = csv.parent.parent / "seeds"
    with pytest.raises(sources.RefusedSource, match="hard link"):
        sources.open_source(seeds, "leak.txt")
    assert sources.source_path(seeds, "leak.txt") is None
    dataset = check_dataset(csv)
    assert "leak.txt" not in dataset.documents
    problem = next(p for p in dataset.problems if p.row == 3 and p.column == "source")
    assert "hard link" in problem.message and problem.is_error
    assert all(SECRET[:20] not in str(p) and "nearest passage" not in p.message for p in dataset.problems)


def test_check_never_prints_a_hard_linked_file(make_dataset, secret_file):
    csv = _hard_linked(make_dataset, secret_file, misquote=True)
    result = run_dashboard("check", str(csv), timeout=60)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "hard link" in result.stdout and "do-not-publish" not in result.stdout + result.stderr


def test_a_regular_file_with_one_name_is_still_read_after_its_link_is_gone(make_dataset, secret_file):
    csv = _hard_linked(make_dataset, secret_file)
    seeds = csv.parent.parent / "seeds"
    secret_file.unlink()  # the seeds entry is now the file's only name
    assert "ZX_SECRET" in sources.open_source(seeds, "leak.txt").text


def test_the_sources_page_and_the_package_export_never_show_a_hard_linked_file(
    make_dataset, secret_file, monkeypatch, tmp_path
):
    from dashboard.dataset.model import build_model
    from dashboard.derive.context import Context, DatasetError, open_context
    from dashboard.derive.filters import Filters
    from dashboard.exports import statements

    csv = _hard_linked(make_dataset, secret_file)
    monkeypatch.setenv(ui.ENV_VAR, str(csv))
    at = app().run()
    at.switch_page("dashboard/app/pages/sources.py").run()
    assert not at.exception
    assert "leak.txt" not in at.selectbox(key="source_document").options
    assert "do-not-publish" not in _shown_everywhere(at)
    with pytest.raises(DatasetError, match="1 error"):  # the command line exports no dataset with errors
        open_context(csv, {})
    # The app exports the rows without errors: their documents, never the refused one.
    dataset = check_dataset(csv)
    model = build_model(dataset.frame)
    files = statements.package_files(Context.build(dataset, model, Filters()))
    assert all(b"do-not-publish" not in data for data in files.values()) and "seeds/leak.txt" not in files
