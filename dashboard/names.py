"""Entity names: accent-blind matching, unnamed placeholders and near-duplicate detection."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from itertools import combinations

UNNAMED_TEXT = "Unnamed — not identified in the source"


def strip_accents(text: str) -> str:
    """ "López" → "Lopez": letters without their diacritics, case and punctuation kept."""
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def fold(text: str) -> str:
    """Lower-case, accent-free, punctuation-free form for matching ("López-Larios" → "lopez larios")."""
    return " ".join(re.sub(r"[^\w]+", " ", strip_accents(text).casefold()).split())


def is_placeholder(name: str) -> bool:
    """Names in [square brackets] describe people or groups the source does not name."""
    return name.startswith("[") and name.endswith("]")


def display_name(name: str) -> str:
    """The name as shown to readers: placeholders lose their brackets."""
    return name[1:-1] if is_placeholder(name) else name


def split_aliases(cell: str) -> list[str]:
    return [a.strip() for a in cell.split(";") if a.strip()]


def same_after_folding(names: list[str]) -> list[tuple[str, str]]:
    """Pairs of distinct names that differ only in accents, case, spacing or punctuation."""
    groups: dict[str, list[str]] = defaultdict(list)
    for name in names:
        groups[fold(name)].append(name)
    return [pair for group in groups.values() for pair in combinations(sorted(group), 2)]


def one_edit_apart(names: list[str], min_length: int = 8) -> list[tuple[str, str]]:
    """Pairs of folded names one insertion, deletion or substitution apart ("Canales Rivera" /
    "Canales Riveira"), but not numbered names ("man 1" / "man 2"). Uses deletion
    neighbourhoods, so cost grows with the number of names, not its square."""
    folded = {fold(n): n for n in names if len(fold(n)) >= min_length}
    buckets: dict[str, set[str]] = defaultdict(set)
    for key in folded:
        buckets[key].add(key)
        for i in range(len(key)):
            buckets[key[:i] + key[i + 1 :]].add(key)
    pairs = set()
    for bucket in buckets.values():
        for a, b in combinations(sorted(bucket), 2):
            if a != b and _one_edit(a, b):
                pairs.add(tuple(sorted((folded[a], folded[b]))))
    return sorted(pairs)


def _one_edit(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        differences = [(x, y) for x, y in zip(a, b) if x != y]
        # "man 1" / "man 2": numbered names are distinct on purpose.
        return len(differences) == 1 and not (differences[0][0].isdigit() and differences[0][1].isdigit())
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))
