"""Source documents and the verbatim quotes taken from them."""

from __future__ import annotations

import difflib
import os
import re
import stat
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

ELISION = "[…]"  # joins passages that appear in this order in the source
SEEDS_DIR = "seeds"
# Typographic look-alikes, used only to explain why a quote is not verbatim.
_LOOKALIKES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "—": "-", "–": "-", "…": "..."})
_SPACE = re.compile(r"\s+")


def flatten(text: str) -> str:
    """Whitespace runs become one space: the only difference a quote may have from its source."""
    return _SPACE.sub(" ", text).strip()


def quote_parts(quote: str) -> list[str]:
    return [flatten(part) for part in quote.split(ELISION) if part.strip()]


@dataclass(frozen=True)
class Document:
    """A source document's text, with a whitespace-flattened copy for matching quotes."""

    name: str
    text: str
    # The file's bytes when they were UTF-8 (`text.encode()` without encoding it again), kept
    # while the dataset is checked: the quote check hands them to pyarrow (see `utf8_bytes`).
    utf8: bytes | None = field(default=None, compare=False, repr=False)

    def utf8_bytes(self) -> bytes:
        return self.utf8 if self.utf8 is not None else self.text.encode()

    @cached_property
    def flat(self) -> str:
        return flatten(self.text)

    @cached_property
    def _offsets(self) -> list[int]:
        """For each character of `flat`, its index in `text` (built only when spans are needed)."""
        offsets: list[int] = []
        for match in re.finditer(r"\S+", self.text):
            if offsets:
                offsets.append(match.start() - 1)
            offsets.extend(range(match.start(), match.end()))
        return offsets

    def _flat_positions(self, quote: str) -> list[tuple[int, int]] | None:
        spans, position = [], 0
        for part in quote_parts(quote):
            start = self.flat.find(part, position) if part else -1
            if start < 0:
                return None
            spans.append((start, start + len(part)))
            position = start + len(part)
        return spans or None

    def find(self, quote: str) -> list[tuple[int, int]] | None:
        """Spans of the quote's passages in `text`, in order; None when it is not verbatim."""
        flat_spans = self._flat_positions(quote)
        if flat_spans is None:
            return None
        offsets = self._offsets
        return [(offsets[start], offsets[end - 1] + 1) for start, end in flat_spans]

    def contains(self, quote: str) -> bool:
        return self._flat_positions(quote) is not None

    def explain_mismatch(self, quote: str) -> str:
        """Why a quote is not verbatim, naming the nearest passage of the source when one is close."""
        flat = self.flat
        for part in quote_parts(quote):
            if part in flat:
                continue
            if part.translate(_LOOKALIKES) in flat.translate(_LOOKALIKES):
                return (
                    f'"{_clip(part)}" differs from the source only in quotation marks, apostrophes or '
                    "dashes; copy the passage from the source file so the characters match"
                )
            nearest = _nearest_passage(part, flat)
            if nearest:
                return f'"{_clip(part)}" is not in the source; the nearest passage is "{_clip(nearest)}"'
            return f'"{_clip(part)}" is not in the source'
        return "its passages are in the source but not in this order; order them as the source does"


# difflib's matcher costs about len(source) x len(passage) steps in Python: past this product
# (a 300-character quote against a 150 KB source) the hint is left out rather than stall a check.
NEAREST_BUDGET = 50_000_000


def _nearest_passage(part: str, flat: str) -> str | None:
    if len(part) * len(flat) > NEAREST_BUDGET:
        return None
    matcher = difflib.SequenceMatcher(None, flat, part, autojunk=False)
    block = max(matcher.get_matching_blocks(), key=lambda b: b.size)
    if block.size < max(12, len(part) // 4):
        return None
    start = max(0, block.a - block.b)
    end = start + len(part)
    # Widen to whole words so the hint reads as a passage.
    while start > 0 and not flat[start - 1].isspace():
        start -= 1
    while end < len(flat) and not flat[end].isspace():
        end += 1
    return flat[start:end]


def _clip(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def find_seeds_dir(csv_path: Path) -> Path:
    """Sources live in a `seeds/` folder beside the CSV, or beside the CSV's folder."""
    for candidate in (csv_path.parent / SEEDS_DIR, csv_path.parent.parent / SEEDS_DIR):
        if candidate.is_dir():
            return candidate
    return csv_path.parent.parent / SEEDS_DIR


def is_plain_name(name: str) -> bool:
    """A file name with no folder part, not hidden: the only form a `source` cell may take."""
    return bool(name) and Path(name).name == name and not name.startswith(".") and "\x00" not in name


def source_path(seeds_dir: Path, name: str) -> Path | None:
    """The file for a `source` cell (it may not exist), or None when the cell is not a plain file
    name or names something there that is never read (a link, a pipe, an oversized file...):
    callers that check `path.is_file()` and then read it stay safe (see open_source)."""
    if not is_plain_name(name):
        return None
    path = seeds_dir / name
    if os.path.lexists(path) and refusal(seeds_dir, name):
        return None
    return path


# A source is a news article or a court filing: far below this. The cap keeps a stray dump or a
# huge file from being read into memory and sent to every visitor.
MAX_SOURCE_BYTES = 5_000_000


class RefusedSource(Exception):
    """A `source` cell names something that is not a readable regular file inside the seeds folder.
    The message says why, in words a curator can act on; it never includes the file's content."""


def open_source(seeds_dir: Path, name: str) -> Document:
    """The document a `source` cell names, read only as a regular file inside `seeds_dir`.

    Refused (RefusedSource): names that are not plain file names, a seeds folder that is a symbolic
    link, symbolic links (to anything, through any chain), hard links (a file with a second name,
    which may be anywhere on the same disk: a name in the folder says nothing of where the file
    is), anything that resolves outside the folder, devices, pipes and folders, and files over
    MAX_SOURCE_BYTES. Git carries symbolic links, so
    whoever can add to a dataset folder could otherwise publish any file the server can read
    (`ln -s /proc/self/environ seeds/a.txt`)."""
    path, info = seeds_dir / name, _checked(seeds_dir, name)
    # O_NOFOLLOW: a file swapped for a link after the checks above is still refused;
    # O_NONBLOCK: a pipe swapped in cannot hang the server.
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as err:
        raise RefusedSource(f'source file "{name}" cannot be read ({err.strerror or "unreadable"})') from None
    with os.fdopen(descriptor, "rb") as handle:
        opened = os.fstat(handle.fileno())
        if not stat.S_ISREG(opened.st_mode) or (opened.st_dev, opened.st_ino) != (info.st_dev, info.st_ino):
            raise RefusedSource(f'source file "{name}" changed while it was read; reload to try again')
        if opened.st_nlink > 1:
            raise RefusedSource(_hard_link(name))
        if opened.st_size > MAX_SOURCE_BYTES:
            raise RefusedSource(_too_big(name))
        data = handle.read(MAX_SOURCE_BYTES + 1)
    if len(data) > MAX_SOURCE_BYTES:
        raise RefusedSource(_too_big(name))
    try:
        return Document(name, data.decode("utf-8"), utf8=data)
    except UnicodeDecodeError:
        return Document(name, data.decode("utf-8", errors="replace"))


def _checked(seeds_dir: Path, name: str) -> os.stat_result:
    """What can be told without opening the file (lstat only); RefusedSource says why not."""
    if not is_plain_name(name):
        raise RefusedSource(f'"{name}" is not a plain file name')
    path = seeds_dir / name
    if os.path.islink(seeds_dir):
        raise RefusedSource(f"the {SEEDS_DIR} folder is a symbolic link; only a real folder is read")
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        raise RefusedSource(f'source file "{name}" is not in the {SEEDS_DIR} folder') from None
    except OSError as err:
        raise RefusedSource(f'source file "{name}" cannot be read ({err.strerror or "unreadable"})') from None
    if stat.S_ISLNK(info.st_mode):
        raise RefusedSource(f'source file "{name}" is a symbolic link; only regular files are read')
    if not stat.S_ISREG(info.st_mode):
        raise RefusedSource(f'source file "{name}" is not a regular file')
    if info.st_nlink > 1:  # a hard link: a second name for a file that may live anywhere on the disk
        raise RefusedSource(_hard_link(name))
    # A plain name (no folder part) whose own entry is a regular file, in a folder that is not a
    # link, cannot resolve outside the folder: no realpath (it walked every folder above, per file).
    if info.st_size > MAX_SOURCE_BYTES:
        raise RefusedSource(_too_big(name))
    return info


def _hard_link(name: str) -> str:
    return f'source file "{name}" has another name on the disk (a hard link); only a file of its own is read'


def readable_status(info: os.stat_result) -> bool:
    """Whether a seeds entry with this lstat could be read as a source: a regular file of its own
    (one name), no larger than MAX_SOURCE_BYTES. Everything else is refused without being read."""
    return stat.S_ISREG(info.st_mode) and info.st_nlink == 1 and info.st_size <= MAX_SOURCE_BYTES


def _too_big(name: str) -> str:
    return f'source file "{name}" is larger than {MAX_SOURCE_BYTES:,} bytes, the most a source may be'


class OnDemand(Mapping):
    """Documents by name, read by `load` when first asked for, once, by whichever thread asks first
    (the others wait): a checker's quote lane or a page that shows sources, not everyone."""

    def __init__(self, load: Callable[[], Mapping[str, Document]]):
        self._load = load
        self._documents: Mapping[str, Document] | None = None
        self._lock = threading.Lock()

    def _read(self) -> Mapping[str, Document]:
        with self._lock:
            if self._documents is None:
                self._documents = self._load()
        return self._documents

    def __getitem__(self, name: str) -> Document:
        return self._read()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._read())

    def __len__(self) -> int:
        return len(self._read())


def read_sources(names, seeds_dir: Path) -> tuple[dict[str, Document], dict[str, str]]:
    """The documents that can be read, by name, and why each other name was refused."""
    documents: dict[str, Document] = {}
    refused: dict[str, str] = {}
    for name in dict.fromkeys(names):
        if not name:
            continue
        try:
            documents[name] = open_source(seeds_dir, name)
        except RefusedSource as err:
            refused[name] = str(err)
    return documents, refused


def refusal(seeds_dir: Path, name: str) -> str | None:
    """Why `name` cannot be read as a source (None when it can), told without reading it."""
    try:
        _checked(seeds_dir, name)
    except RefusedSource as err:
        return str(err)
    return None


def read_document(path: Path) -> Document:
    """A document at `path`, read only as a regular file inside its own folder (see open_source)."""
    return open_source(path.parent, path.name)
