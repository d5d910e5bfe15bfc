"""Entity names: accent-blind matching, unnamed placeholders and near-duplicate detection."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from functools import lru_cache
from itertools import combinations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

UNNAMED_TEXT = "Unnamed — not identified in the source"


class _CombiningMarks(dict):
    """A str.translate table that deletes combining marks, filled in as characters are met
    (a lookup per character at C speed instead of a Python call per character)."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.combining(chr(code)) else code
        self[code] = kept
        return kept


_COMBINING = _CombiningMarks()
_NOT_WORD = re.compile(r"[^\w]+")


def strip_accents(text: str) -> str:
    """ "López" → "Lopez": letters without their diacritics, case and punctuation kept."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFKD", text).translate(_COMBINING))


@lru_cache(maxsize=1 << 17)  # the same names are folded by several checks and views
def fold(text: str) -> str:
    """Lower-case, accent-free, punctuation-free form for matching ("López-Larios" → "lopez larios")."""
    if text.isascii():  # nothing to decompose, and casefold is lower for ASCII
        return " ".join(_NOT_WORD.sub(" ", text.lower()).split())
    return " ".join(_NOT_WORD.sub(" ", strip_accents(text).casefold()).split())


def fold_many(texts: list[str]) -> list[str]:
    """`fold` of every text; the ASCII ones folded together by pyarrow (for ASCII, `\\w` is
    [a-z0-9_] in both engines), the others one by one."""
    cells = pa.array(texts, pa.large_string())
    ascii_only = pc.string_is_ascii(cells).to_numpy(zero_copy_only=False)
    plain = pc.utf8_trim(pc.replace_substring_regex(pc.ascii_lower(cells), "[^a-z0-9_]+", " "), " ").to_pylist()
    return [folded if simple else fold(text) for text, folded, simple in zip(texts, plain, ascii_only)]


def is_placeholder(name: str) -> bool:
    """Names in [square brackets] describe people or groups the source does not name."""
    return name.startswith("[") and name.endswith("]")


def display_name(name: str) -> str:
    """The name as shown to readers: placeholders lose their brackets."""
    return name[1:-1] if is_placeholder(name) else name


# Scripts whose letters look alike: a name mixing them is a look-alike, not a spelling.
_CONFUSABLE_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE")


def mixed_scripts(name: str) -> list[str]:
    """The look-alike scripts a name mixes ("Latin", "Cyrillic"), or [] for a name in one script."""
    if name.isascii():
        return []
    found = []
    for char in name:
        if char.isalpha():
            script = unicodedata.name(char, "").split(" ")[0]
            if script in _CONFUSABLE_SCRIPTS and script.title() not in found:
                found.append(script.title())
    return found if len(found) > 1 else []


def split_aliases(cell: str) -> list[str]:
    return [a.strip() for a in cell.split(";") if a.strip()]


def same_after_folding(names: list[str], folded_names: list[str] | None = None) -> list[tuple[str, str]]:
    """Pairs of distinct names that differ only in accents, case, spacing or punctuation.
    `folded_names`: the names already folded, when the caller has them."""
    groups: dict[str, list[str]] = defaultdict(list)
    for name, key in zip(names, folded_names or fold_many(names)):
        groups[key].append(name)
    return [pair for group in groups.values() for pair in combinations(sorted(group), 2)]


def one_edit_apart(
    names: list[str], min_length: int = 8, folded_names: list[str] | None = None
) -> list[tuple[str, str]]:
    """Pairs of folded names one insertion, deletion or substitution apart ("Canales Rivera" /
    "Canales Riveira"), but not numbered names ("man 1" / "man 2"). Uses deletion neighbourhoods,
    built a position at a time over all names at once (pyarrow), so cost grows with the number of
    names, not its square:
    - a name that is another with one character deleted is one insertion or deletion away;
    - names left equal by deleting the character at the same position differ there only: one
      substitution, unless both characters are digits."""
    folded = {}
    for name, key in zip(names, folded_names or fold_many(names)):
        if len(key) >= min_length:
            folded[key] = name
    if len(folded) < 2:
        return []
    keys = pa.array(list(folded), pa.large_string())
    lengths = pc.utf8_length(keys).to_numpy()
    spelled = keys.to_pylist()
    pairs: set[tuple[str, str]] = set()
    neighbourhoods = []  # per position: the names long enough, and each one's variant without that letter
    for position in range(int(lengths.max())):
        owners = np.flatnonzero(lengths > position)
        some = keys.take(owners)
        variant = pc.binary_join_element_wise(
            pc.utf8_slice_codeunits(some, 0, position),
            pc.utf8_slice_codeunits(some, position + 1),
            pa.scalar("", pa.large_string()),
        )
        neighbourhoods.append((position, owners, some, variant))
    # A variant that is itself a name: one lookup for every position (one hash of the names, not one each).
    variants = pa.chunked_array([variant for *_, variant in neighbourhoods], pa.large_string())
    shorter = pc.is_in(variants, value_set=keys)
    longer = pa.chunked_array([some for _, _, some, _ in neighbourhoods], pa.large_string())
    for long, short in zip(longer.filter(shorter).to_pylist(), variants.filter(shorter).to_pylist()):
        pairs.add(tuple(sorted((folded[long], folded[short]))))
    for position, owners, some, variant in neighbourhoods:
        # Names sharing this variant at this position: a group, counted by its dictionary code.
        codes = pc.dictionary_encode(variant).indices.to_numpy()
        sizes = np.bincount(codes)
        if sizes.max(initial=0) < 2:
            continue
        chars = pc.utf8_slice_codeunits(some, position, position + 1)
        digits = [char for char in pc.unique(chars).to_pylist() if char.isdigit()]
        letter = ~pc.is_in(chars, value_set=pa.array(digits, pa.large_string())).to_numpy(zero_copy_only=False)
        lettered = np.bincount(codes, weights=letter, minlength=len(sizes)) > 0
        grouped = np.flatnonzero((sizes[codes] > 1) & lettered[codes])  # a group all of digits holds no pair
        groups: dict[int, list[tuple[str, bool]]] = defaultdict(list)
        for member in grouped:
            groups[codes[member]].append((spelled[owners[member]], bool(letter[member])))
        for group in groups.values():
            for (a, a_letter), (b, b_letter) in combinations(sorted(group), 2):
                if a_letter or b_letter:
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
