"""The one way out: every (view, format) comes from the registry, and every command-line flag is
honoured or refused (exit 2) for every export — never silently ignored."""

from __future__ import annotations

import argparse
import io
import zipfile

import pytest
from helpers import STORY

from dashboard import __main__ as command
from dashboard.derive.context import StateError, open_context
from dashboard.derive.paths import find_chains
from dashboard.exports import cli, registry
from dashboard.exports import frame as framing
from dashboard.exports import paths as path_exports

# One value of each flag that the bundled dataset gives meaning to.
OPTION_VALUES = {
    "lanes": ["--lanes", "person"],
    "labels": ["--labels", "key"],
    "focus": ["--focus", "Nayib Bukele"],
    "hops": ["--focus", "Nayib Bukele", "--hops", "2"],
    "hide": ["--hide", "alleged"],
    "relation_type": ["--relation-type", "deal"],
    "entity_side": ["--entity-side", "MS-13"],
    "group": ["--group", "[At least four MS-13 figures charged by U.S. prosecutors]"],
    "path_from": ["--from", "Pam Bondi"],
    "path_to": ["--to", "Nayib Bukele"],
    "only_stated": ["--only-stated"],
}
# What a view needs to be asked at all: the path export asks how two entities are connected.
BASE = {"path": ["--from", "Marco Rubio", "--to", "Osiris Luna"]}
FRAME_VALUES = {name: [cli._flag(name), f"Edited {name}"] for name in cli.FRAME_FLAGS}
FRAME_VALUES["source_link"] = ["--source-link", "https://example.org/edited"]
FILTER_VALUES = {
    "person": ["--person", "Marco Rubio"],
    "start": ["--start", "2025-03-12"],
    "end": ["--end", "2025-03-12"],
    "side": ["--side", "MS-13"],
    "certainty": ["--certainty", "alleged"],
    "exclude_undated": ["--exclude-undated"],
}


def parse(view: str, *args: str) -> argparse.Namespace:
    """The command line for `view`, with what the view needs to be asked (BASE) before `args`."""
    parser = argparse.ArgumentParser()
    cli.add_arguments(parser)
    return parser.parse_args([view, *BASE.get(view, []), *args, "--out", "unused.bin"])


def cheap(view: str, fmt: str) -> bool:
    """Exports compared byte for byte here; the images' frames are compared as text instead."""
    return not registry.FORMATS[view, fmt].sized


@pytest.mark.parametrize(("view", "fmt"), list(registry.FORMATS))
@pytest.mark.parametrize("flag", [*OPTION_VALUES, *FRAME_VALUES])
def test_each_view_flag_is_read_by_the_export_or_refused(view, fmt, flag):
    entry = registry.FORMATS[view, fmt]
    args = parse(view, "--format", fmt, *(OPTION_VALUES | FRAME_VALUES)[flag])
    read = cli.OPTION_FLAGS[flag] in entry.options if flag in cli.OPTION_FLAGS else cli.FRAME_FLAGS[flag] in entry.frame
    if read:
        assert cli.check_flags(args) is entry
    else:
        with pytest.raises(cli.UsageError, match=r"^--[a-z-]+ applies to .* exports, not "):
            cli.check_flags(args)


@pytest.mark.parametrize(("view", "fmt"), list(registry.FORMATS))
def test_a_preset_is_refused_where_nothing_is_sized(view, fmt):
    args = parse(view, "--format", fmt, "--preset", "square")
    if registry.FORMATS[view, fmt].sized:
        assert cli.check_flags(args)
    else:
        with pytest.raises(cli.UsageError, match="--preset applies to images"):
            cli.check_flags(args)


def _content(view: str, fmt: str, args: argparse.Namespace) -> bytes | str:
    """What the export shows: the file for data exports, the frame and alt text for images."""
    context = open_context(STORY, cli.query_of(args), cli.options_of(args))
    if cheap(view, fmt):
        result = registry.build(view, fmt, context, edits=cli.edits_of(args))
        data = result.data
        if fmt == "datapackage":  # a zip stamps each member with the time it was written
            archive = zipfile.ZipFile(io.BytesIO(data))
            data = b"".join(archive.read(n) for n in sorted(archive.namelist()))
        return data + result.alt_text.encode()  # the alt text is written beside the file
    if view == "path":  # the chain's own frame, and the chains it would draw
        options = context.options
        search = find_chains(context.statements, context.model.entities, options.path_from, options.path_to,
                             only_stated=options.only_stated)  # fmt: skip
        frame = framing.edited(path_exports.default_frame(search, context), cli.edits_of(args))
        return repr(frame) + path_exports.file_name(fmt, "social", search, context) + repr(search)
    default = framing.default_frame(view, context, group=context.options.group)
    frame = framing.edited(default, cli.edits_of(args))
    drawn = ""
    if registry.LABELS in registry.FORMATS[view, fmt].options:  # which marks are named: on the drawing only
        drawn = repr([a.text for a in registry.draw(view, context).figure.layout.annotations])
    return repr(frame) + framing.file_name(view, fmt, "social", context) + drawn


@pytest.mark.parametrize(("view", "fmt"), list(registry.FORMATS))
@pytest.mark.slow
def test_every_flag_an_export_reads_changes_what_it_shows(view, fmt):
    """Every filter, every option the export reads and every frame field it prints changes the file
    (data) or its frame and name (images)."""
    entry = registry.FORMATS[view, fmt]
    baseline = _content(view, fmt, parse(view, "--format", fmt))
    flags = dict(FILTER_VALUES)
    flags |= {k: v for k, v in OPTION_VALUES.items() if cli.OPTION_FLAGS[k] in entry.options}
    flags |= {k: v for k, v in FRAME_VALUES.items() if cli.FRAME_FLAGS[k] in entry.frame}
    unchanged = [
        name for name, value in flags.items() if _content(view, fmt, parse(view, "--format", fmt, *value)) == baseline
    ]
    assert not unchanged, f"{view} {fmt} ignores {unchanged}"


@pytest.mark.parametrize(
    "args",
    [
        ["cases", "--format", "csv", "--side", "no-such-side", "--certainty", "denied", "--group", "nope"],
        ["cases", "--format", "csv", "--group", "nope"],
        ["statements", "--format", "csv", "--side", "no-such-side"],
        ["timeline", "--format", "svg", "--side", "no-such-side"],
        ["network", "--format", "gexf", "--relation-type", "gossip"],
        ["network", "--format", "svg", "--entity-side", "Martians"],
        ["story", "--format", "html", "--group", "nope"],
        ["timeline", "--format", "svg", "--hops", "2"],
        ["statements", "--format", "csv", "--title", "A title the file would not show"],
        ["timeline", "--format", "gexf"],
    ],
)
def test_an_unknown_or_ignored_value_exits_2_with_the_choices(args, tmp_path, capsys):
    out = tmp_path / "out.bin"
    assert command.main(["export", *args, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1 and not out.exists()


def test_an_unknown_group_names_the_groups_there_are():
    with pytest.raises(StateError, match=r"\[The nine men Bukele requested\]"):
        open_context(STORY, options=cli.options_of(parse("cases", "--format", "csv", "--group", "nope")))


def test_the_exit_code_comes_from_the_kind_of_error_not_its_words(tmp_path, capsys):
    """A dataset with errors exits 1, whatever its message says; a bad value exits 2."""
    broken = tmp_path / "statements.csv"
    broken.write_text("id,statement_type\nerror(s),event\n", encoding="utf-8")
    out = ["--out", str(tmp_path / "o.csv")]
    assert command.main(["export", "statements", "--format", "csv", "--data", str(broken), *out]) == 1
    assert command.main(["export", "statements", "--format", "csv", "--person", "Nobody has error(s)", *out]) == 2


def test_the_path_export_refuses_an_unknown_name_with_the_closest(tmp_path, capsys):
    out = ["--out", str(tmp_path / "p.json")]
    assert (
        command.main(["export", "path", "--from", "Marco Rubioo", "--to", "Osiris Luna", "--format", "json", *out]) == 2
    )
    assert "closest: Marco Rubio" in capsys.readouterr().err


def test_two_names_no_chain_joins_exit_0_and_say_so(tmp_path, capsys):
    out = tmp_path / "p.svg"
    args = ["export", "path", "--from", "Marco Rubio", "--to", "Osiris Luna", "--only-stated", "--format", "svg"]
    assert command.main([*args, "--out", str(out)]) == 0
    assert "No chain links Marco Rubio and Osiris Luna" in capsys.readouterr().err and not out.exists()
