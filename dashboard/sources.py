"""Source documents and the verbatim quotes taken from them."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
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


def _nearest_passage(part: str, flat: str) -> str | None:
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


def source_path(seeds_dir: Path, name: str) -> Path | None:
    """The file for a `source` cell, or None when the cell is not a plain file name."""
    if not name or Path(name).name != name or name.startswith("."):
        return None
    return seeds_dir / name


def read_document(path: Path) -> Document:
    return Document(path.name, path.read_text(encoding="utf-8", errors="replace"))
