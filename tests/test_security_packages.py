"""A data package zip can be wrong, never dangerous (issue 25): a corrupt member, an encrypted entry,
an unsupported method or a lying size is one line and exit 2, with nothing left behind; the folder
it unpacks into is this user's own and holds exactly the zip's files, whatever was planted there."""

from __future__ import annotations

import io
import os
import struct
import tempfile
import zipfile
from pathlib import Path

import pytest
from helpers import SOURCE_NAME, SOURCE_TEXT, STORY, small_rows, to_csv

from dashboard.__main__ import main
from dashboard.dataset import package as packages
from dashboard.derive.context import open_context
from dashboard.exports import statements

MEMBERS = {
    "story/data/statements.csv": to_csv(small_rows()).encode("utf-8"),
    "story/data/datapackage.json": (STORY.parent / "datapackage.json").read_bytes(),
    f"story/seeds/{SOURCE_NAME}": SOURCE_TEXT.encode("utf-8"),
}
CSV_MEMBER = "story/data/statements.csv"


def package(members=None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members or MEMBERS.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _patch(data: bytes, member: str, local: dict[int, bytes], central: dict[int, bytes]) -> bytes:
    """The zip with fields of one member's local header and central directory entry overwritten
    (offsets from each header's signature)."""
    data = bytearray(data)
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo(member)
    for offset, value in local.items():
        data[info.header_offset + offset : info.header_offset + offset + len(value)] = value
    entry = _central_entry(bytes(data), member)
    for offset, value in central.items():
        data[entry + offset : entry + offset + len(value)] = value
    return bytes(data)


def _central_entry(data: bytes, member: str) -> int:
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        name_length = struct.unpack("<H", data[at + 28 : at + 30])[0]
        if data[at + 46 : at + 46 + name_length].decode() == member:
            return at
        at = data.find(b"PK\x01\x02", at + 4)
    raise AssertionError(member)


def corrupt_member() -> bytes:
    data = bytearray(package())
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo(CSV_MEMBER)
    start = info.header_offset + 30 + len(info.filename.encode()) + 20
    data[start : start + 40] = bytes(40)
    return bytes(data)


HOSTILE = {
    "corrupt member": (corrupt_member, "damaged"),
    "encrypted entry": (lambda: _patch(package(), CSV_MEMBER, {6: b"\x01\x00"}, {8: b"\x01\x00"}), "encrypted"),
    "unsupported method": (lambda: _patch(package(), CSV_MEMBER, {8: b"c\x00"}, {10: b"c\x00"}), "method 99"),
    "size too small": (
        lambda: _patch(package(), CSV_MEMBER, {22: struct.pack("<I", 10)}, {24: struct.pack("<I", 10)}),
        "damaged",
    ),
    "size too large": (
        lambda: _patch(package(), CSV_MEMBER, {22: struct.pack("<I", 5000)}, {24: struct.pack("<I", 5000)}),
        "damaged",
    ),
    "size of a bomb": (
        lambda: _patch(package(), CSV_MEMBER, {22: struct.pack("<I", 2**32 - 1)}, {24: struct.pack("<I", 2**32 - 1)}),
        "too large",
    ),
    "truncated zip": (lambda: package()[:-30], "not a zip file"),
    "duplicate member": (lambda: _duplicate(), "twice"),
}


def _duplicate() -> bytes:
    with pytest.warns(UserWarning, match="Duplicate name"):
        return package((*MEMBERS.items(), (CSV_MEMBER, b"id\n")))


@pytest.fixture
def private_tmp(tmp_path, monkeypatch):
    """The system's temporary folder, for this test only: where packages unpack by default."""
    folder = tmp_path / "systemp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def _left_behind(folder: Path) -> list[str]:
    return sorted(
        str(p.relative_to(folder)) for p in folder.rglob("*") if p.name != f"story-explorer-packages-{os.geteuid()}"
    )


@pytest.mark.parametrize("case", list(HOSTILE))
@pytest.mark.parametrize("command", ["check", "export cases --format csv", "export statements --format csv"])
def test_a_hostile_zip_is_one_line_and_exit_2_with_nothing_left(tmp_path, private_tmp, capsys, case, command):
    make, words = HOSTILE[case]
    path = tmp_path / "package.zip"
    path.write_bytes(make())
    args = [
        *command.split(),
        *(["--out", str(tmp_path / "out.csv"), "--data", str(path)] if "export" in command else [str(path)]),
    ]
    code = main(args)
    captured = capsys.readouterr()
    assert code == 2, (code, captured)
    assert captured.err.count("\n") == 1 and words in captured.err and "Traceback" not in captured.err, captured.err
    assert _left_behind(private_tmp) == [], "staging or partial folders were left behind"
    assert not (tmp_path / "out.csv").exists()


@pytest.mark.parametrize(
    "command", ["export cases --format csv", "export network --format html", "export statements --format csv"]
)
def test_every_export_opens_a_package_given_with_data(tmp_path, private_tmp, capsys, command):
    """The chart exports parsed the zip as a CSV; now every command opens the package."""
    path = tmp_path / "package.zip"
    path.write_bytes(statements.package_bytes(open_context(STORY, {})))  # the case table needs a group
    out = tmp_path / ("out." + command.split()[-1])
    assert main([*command.split(), "--out", str(out), "--data", str(path)]) == 0, capsys.readouterr().err
    assert out.stat().st_size > 100


def test_a_planted_folder_under_the_zips_digest_is_never_trusted(tmp_path, private_tmp):
    path = tmp_path / "package.zip"
    path.write_bytes(package())
    csv = packages.open_dataset(path)
    assert csv.read_bytes() == MEMBERS[CSV_MEMBER]
    # What another user (or a stale copy) left there: a changed CSV, an extra file, a link.
    csv.write_bytes(b"id,quote\nx,planted\n")
    (csv.parent.parent / "seeds" / "extra.txt").write_text("planted")
    os.symlink("/etc/passwd", csv.parent.parent / "seeds" / "passwd.txt")
    again = packages.open_dataset(path)
    assert again.read_bytes() == MEMBERS[CSV_MEMBER]
    assert sorted(p.name for p in (again.parent.parent / "seeds").iterdir()) == [SOURCE_NAME]


@pytest.mark.parametrize("kind", ["world-writable", "group-writable", "a link", "a file"])
def test_a_package_folder_that_is_not_privately_ours_is_refused(tmp_path, private_tmp, kind):
    folder = private_tmp / f"story-explorer-packages-{os.geteuid()}"
    if kind == "a link":
        (tmp_path / "elsewhere").mkdir()
        os.symlink(tmp_path / "elsewhere", folder)
    elif kind == "a file":
        folder.write_text("")
    else:
        folder.mkdir()
        os.chmod(folder, 0o777 if kind == "world-writable" else 0o770)
    path = tmp_path / "package.zip"
    path.write_bytes(package())
    with pytest.raises(packages.PackageError, match="package folder"):
        packages.open_dataset(path)
    assert not any((tmp_path / "elsewhere").iterdir()) if kind == "a link" else True


def test_a_package_folder_owned_by_someone_else_is_refused(tmp_path, private_tmp):
    """Run as root here (the suite may be): the folder is handed to another user; run as anyone
    else, it is made by root's uid-less stand-in, the one uid no test user has."""
    folder = private_tmp / f"story-explorer-packages-{os.geteuid()}"
    folder.mkdir(mode=0o700)
    if os.geteuid() == 0:
        os.chown(folder, 65534, 65534)
        path = tmp_path / "package.zip"
        path.write_bytes(package())
        with pytest.raises(packages.PackageError, match="not a folder of this user"):
            packages.open_dataset(path)
    else:  # a non-root user cannot give a folder away: the check is the same comparison of uids
        info = os.lstat(folder)
        assert info.st_uid == os.geteuid()
