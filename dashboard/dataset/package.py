"""Opening a data package: a statements CSV as it is, or a zip that `export statements --format
datapackage` wrote, unpacked once (per content) into a private cache folder and verified against
the zip. Every damaged zip is one PackageError line; nothing is left behind."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import stat
import tempfile
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from dashboard.dataset.schema import PACKAGE_FILE

DATA_DIR, CSV_NAME = "data", "statements.csv"
# Limits on a package opened with --data: a zip is expanded only when it is plainly one of ours.
MAX_MEMBERS, MAX_UNPACKED = 200, 200 * 1024 * 1024


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
