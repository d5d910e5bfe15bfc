import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard import names
from dashboard.names import display_name, fold, is_placeholder, one_edit_apart, same_after_folding


def test_fold_ignores_accents_case_and_punctuation():
    assert fold("César López-Larios") == "cesar lopez larios"
    assert fold("  Arévalo   CHÁVEZ ") == "arevalo chavez"


def test_placeholders():
    assert is_placeholder("[Unnamed requested man 1]")
    assert display_name("[Unnamed requested man 1]") == "Unnamed requested man 1"
    assert not is_placeholder("Marco Rubio") and display_name("Marco Rubio") == "Marco Rubio"


def test_same_after_folding_finds_accent_twins():
    assert same_after_folding(["López Larios", "Lopez Larios", "Marco Rubio"]) == [("Lopez Larios", "López Larios")]


def test_one_edit_apart_finds_typos_but_not_numbered_names():
    names = ["Canales Rivera", "Canales Riveira", "[Unnamed man 1]", "[Unnamed man 2]", "Osiris Luna"]
    assert one_edit_apart(names) == [("Canales Riveira", "Canales Rivera")]


def _every_pair_one_edit_apart(spellings: list[str], min_length: int) -> list[tuple[str, str]]:
    """The reference: every pair of folded names compared, as the deletion neighbourhoods must find."""
    folded = {}
    for name in spellings:
        if len(key := names.fold(name)) >= min_length:
            folded[key] = name
    return sorted(
        {tuple(sorted((folded[a], folded[b]))) for a, b in itertools.combinations(folded, 2) if names._one_edit(a, b)}
    )


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(alphabet="abAé 12٣-", min_size=1, max_size=7), max_size=25), st.integers(1, 5))
def test_one_edit_apart_finds_exactly_the_pairs_a_comparison_of_every_pair_finds(spellings, min_length):
    assert names.one_edit_apart(spellings, min_length=min_length) == _every_pair_one_edit_apart(spellings, min_length)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet="abc 1٣", min_size=1, max_size=6), max_size=20), st.integers(1, 3))
def test_pairs_are_confirmed_on_the_spelling_when_every_hash_collides(spellings, min_length):
    """A hash that is only the sum of the letters (every anagram collides) must still give exactly
    the reference pairs: equal hashes only propose a pair."""
    one = names.np.uint64(1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(names, "_BASE", one)
        patch.setattr(names, "_INVERSE", one)
        patch.setattr(names, "_POSITION_MIX", names.np.uint64(0))
        found = names.one_edit_apart(spellings, min_length=min_length)
    assert found == _every_pair_one_edit_apart(spellings, min_length)


@given(st.lists(st.text(alphabet="aAé -", max_size=4), max_size=20))
def test_same_after_folding_pairs_every_two_names_that_fold_alike(spellings):
    distinct = list(dict.fromkeys(spellings))
    expected = [pair for pair in itertools.combinations(distinct, 2) if fold(pair[0]) == fold(pair[1])]
    assert sorted(same_after_folding(distinct)) == sorted(tuple(sorted(pair)) for pair in expected)


@given(st.lists(st.text(alphabet=st.sampled_from(list("aZ 09_-.,\t\x1fé") + ["ß", "İ"]), max_size=8), max_size=20))
def test_fold_many_folds_as_fold_does(texts):
    assert names.fold_many(texts) == [fold(text) for text in texts]


def _fold_by_the_rule(text: str) -> str:
    """What `fold` says, without its Latin-1 shortcut: decompose, drop the marks, compose, casefold."""
    return " ".join(names._NOT_WORD.sub(" ", names.strip_accents(text).casefold()).split())


@given(st.lists(st.text(alphabet=st.characters(max_codepoint=0xFF), max_size=8), max_size=20))
def test_latin1_names_folded_together_fold_as_each_alone(texts):
    """Every non-ASCII text Latin-1: folded by one table lookup over them all, joined."""
    assert names.fold_many(texts) == [fold(text) for text in texts]


def test_every_latin1_character_folds_as_the_rule_says():
    for code in range(256):
        char = chr(code)
        for text in (char, f"a{char}b", f"{char}{char}", f"É{char} ñ"):
            assert fold.__wrapped__(text) == _fold_by_the_rule(text), (hex(code), text)


@settings(max_examples=300)
@given(st.text(alphabet=st.characters(max_codepoint=0xFF), max_size=12))
def test_latin1_text_folds_as_the_rule_says(text):
    assert fold.__wrapped__(text) == _fold_by_the_rule(text)
