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


def _fold_char(char: str) -> str:
    return _NOT_WORD.sub(" ", strip_accents(char).casefold())


# `fold` of each Latin-1 character, a non-word character as a space. Text made of these folds one
# character at a time: none of them decomposes into more than one combining mark, and no two of
# what is left after the marks are deleted compose again (tests/test_names.py holds it to `fold`).
_LATIN1_FOLD = {code: _fold_char(chr(code)) for code in range(256)}


@lru_cache(maxsize=1 << 17)  # the same names are folded by several checks and views
def fold(text: str) -> str:
    """Lower-case, accent-free, punctuation-free form for matching ("López-Larios" → "lopez larios")."""
    if text.isascii():  # nothing to decompose, and casefold is lower for ASCII
        return " ".join(_NOT_WORD.sub(" ", text.lower()).split())
    if max(text) <= "\xff":  # Latin-1 ("Pérez", "Ñúñez"): a table lookup per character, in C
        return " ".join(text.translate(_LATIN1_FOLD).split())
    return " ".join(_NOT_WORD.sub(" ", strip_accents(text).casefold()).split())


def fold_many(texts: list[str]) -> list[str]:
    """`fold` of every text; the ASCII ones folded together by pyarrow (for ASCII, `\\w` is
    [a-z0-9_] in both engines); the others, when all are Latin-1 (accented names), by one table
    lookup over them all, else one by one."""
    cells = pa.array(texts, pa.large_string())
    ascii_only = pc.string_is_ascii(cells).to_numpy(zero_copy_only=False)
    plain = pc.utf8_trim(pc.replace_substring_regex(pc.ascii_lower(cells), "[^a-z0-9_]+", " "), " ").to_pylist()
    others = [text for text, simple in zip(texts, ascii_only) if not simple]
    if others and max("".join(others)) <= "\xff":
        joined = _SEPARATOR.join(others).translate(_LATIN1_FOLD)  # the table leaves the separator as it is
        latin = iter(" ".join(text.split()) for text in joined.split(_SEPARATOR))
    else:
        latin = map(fold, others)
    return [folded if simple else next(latin) for folded, simple in zip(plain, ascii_only)]


_SEPARATOR = "\uffff"  # between the Latin-1 texts folded together: outside Latin-1, so in none of them


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
    keys = pa.array(folded_names or fold_many(names), pa.large_string())
    codes = pc.dictionary_encode(keys).indices.to_numpy()
    repeated = np.flatnonzero(np.bincount(codes)[codes] > 1)  # only these names are grouped in Python
    groups: dict[int, list[str]] = defaultdict(list)
    for index in repeated.tolist():
        groups[codes[index]].append(names[index])
    return [pair for group in groups.values() for pair in combinations(sorted(group), 2)]


def one_edit_apart(
    names: list[str], min_length: int = 8, folded_names: list[str] | None = None
) -> list[tuple[str, str]]:
    """Pairs of folded names one insertion, deletion or substitution apart ("Canales Rivera" /
    "Canales Riveira"), but not numbered names ("man 1" / "man 2"). Uses deletion neighbourhoods,
    hashed for every letter of every name (numpy), so cost grows with the number of letters, not
    the square of the number of names:
    - a name that is another with one letter deleted is one insertion or deletion away;
    - names left equal by deleting the letter at the same position differ there only: one
      substitution, unless both letters are digits.
    Names are hashed by length, one table per length (a name a row, a letter a column): a pair is
    always of one length, or of two lengths one apart, and tables of a few thousand names stay in
    the processor's cache. At a million statements the near-duplicate check took 0.54 s of CPU and
    240 MB of new memory with one flat table of 2.2 million letters; by length, 0.37 s and 64 MB.
    Equal hashes only propose a pair; every pair is confirmed on the spelled names."""
    folded = {}
    for name, key in zip(names, folded_names or fold_many(names)):
        if len(key) >= min_length:
            folded[key] = name
    if len(folded) < 2:
        return []
    by_length: dict[int, list[str]] = defaultdict(list)
    for key in folded:
        by_length[len(key)].append(key)
    tables = {length: _SameLength(keys) for length, keys in by_length.items()}
    pairs: set[tuple[str, str]] = set()
    for length, table in tables.items():
        found = table.substitutions()
        if length - 1 in tables:
            found += table.deletions_in(tables[length - 1])
        pairs.update(tuple(sorted((folded[a], folded[b]))) for a, b in found)
    return sorted(pairs)


# Odd 64-bit constants for the polynomial hash (arithmetic wraps modulo 2**64; an odd base has an inverse).
_BASE = np.uint64(0x9E3779B97F4A7C15)
_INVERSE = np.uint64(pow(0x9E3779B97F4A7C15, -1, 1 << 64))
_POSITION_MIX = np.uint64(0xC2B2AE3D27D4EB4F)


class _SameLength:
    """Names of one length, a row each, and a column for each letter: whether it is a `digit`, and
    the hash of its name with that letter deleted (`deleted`); `whole` is the hash of each whole
    name. Hash of s: sum of s[j] * INVERSE**j, so deleting s[p] gives prefix(p) +
    BASE * (whole - prefix(p + 1)): the letters after p each move one place left."""

    def __init__(self, keys: list[str]) -> None:
        self.keys, self.length = keys, len(keys[0])
        points = np.frombuffer("".join(keys).encode("utf-32-le"), dtype=np.uint32).reshape(len(keys), self.length)
        powers = np.cumprod(np.full(self.length, _INVERSE, dtype=np.uint64)) * _BASE  # INVERSE**k
        weighted = points * powers
        through = np.cumsum(weighted, axis=1, dtype=np.uint64)  # prefix hash, this letter included
        self.whole = through[:, -1].copy() if self.length else np.zeros(len(keys), dtype=np.uint64)
        through -= weighted  # now the prefix before each letter
        weighted += through  # and, again, the prefix with it
        self.deleted = through + _BASE * (self.whole[:, None] - weighted)
        self.digit = (points >= ord("0")) & (points <= ord("9"))
        beyond_ascii = points > 127
        if beyond_ascii.any():  # other scripts' digits ("٣"): each distinct letter asked once
            distinct, where = np.unique(points[beyond_ascii], return_inverse=True)
            is_digit = np.array([chr(point).isdigit() for point in distinct.tolist()], dtype=bool)
            self.digit[beyond_ascii] = is_digit[where]

    def without(self, row: int, position: int) -> str:
        key = self.keys[row]
        return key[:position] + key[position + 1 :]

    def deletions_in(self, shorter: _SameLength) -> list[tuple[str, str]]:
        """(name here, name of `shorter`) for each name here that is one of `shorter` with one
        letter inserted: a name with one letter deleted that hashes like a shorter name, confirmed
        on the spelling."""
        by_hash = np.argsort(shorter.whole)
        hashes = shorter.whole[by_hash]
        flat = self.deleted.ravel()
        proposed = np.flatnonzero(pc.is_in(flat, value_set=pa.array(hashes)).to_numpy(zero_copy_only=False))
        first = np.searchsorted(hashes, flat[proposed], "left")
        last = np.searchsorted(hashes, flat[proposed], "right")
        found = []
        for at, begin, end in zip(proposed.tolist(), first.tolist(), last.tolist()):
            row, position = divmod(at, self.length)
            variant = self.without(row, position)
            found += [
                (self.keys[row], variant) for short in by_hash[begin:end].tolist() if shorter.keys[short] == variant
            ]
        return found

    def substitutions(self) -> list[tuple[str, str]]:
        """Pairs of names here equal but for the letter at one position, one of the two letters at
        least not a digit: letters whose deletion at the same position leaves the same hash,
        grouped again by the spelled variant."""
        if len(self.keys) < 2 or not self.length:
            return []
        # First, any repeat at all? Each position's hashes sorted apart (a column of a few thousand,
        # in the cache: 40% faster than one sort of every letter), each compared with the next.
        ordered = np.sort(self.deleted, axis=0)
        same = ordered[1:] == ordered[:-1]
        if not same.any():
            return []
        mix = np.arange(self.length, dtype=np.uint64) * _POSITION_MIX
        grouping = (self.deleted + mix).ravel()
        # Only letters in a group of two or more, found by a hash lookup in C (numpy's isin sorts both arrays).
        repeated = np.unique((ordered[1:] + mix)[same])
        order = np.flatnonzero(pc.is_in(grouping, value_set=pa.array(repeated)).to_numpy(zero_copy_only=False))
        order = order[np.argsort(grouping[order], kind="stable")]
        ordered = grouping[order]
        group = np.concatenate(([0], np.cumsum(ordered[1:] != ordered[:-1])))
        letter = ~self.digit.ravel()
        kept = (np.bincount(group, weights=letter[order]) > 0)[group]  # a group all of digits holds no pair
        groups: dict[tuple[int, int, str], list[tuple[str, bool]]] = defaultdict(list)
        for at, number in zip(order[kept].tolist(), group[kept].tolist()):
            row, position = divmod(at, self.length)
            groups[number, position, self.without(row, position)].append((self.keys[row], bool(letter[at])))
        return [
            (a, b)
            for members in groups.values()
            for (a, a_letter), (b, b_letter) in combinations(sorted(members), 2)
            if a_letter or b_letter
        ]


def _one_edit(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        differences = [(x, y) for x, y in zip(a, b) if x != y]
        # "man 1" / "man 2": numbered names are distinct on purpose.
        return len(differences) == 1 and not (differences[0][0].isdigit() and differences[0][1].isdigit())
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))
