import itertools

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


@given(st.lists(st.text(alphabet=st.sampled_from(list("aZ 09_-.,\t\x1fé") + ["ß", "İ"]), max_size=8), max_size=20))
def test_fold_many_folds_as_fold_does(texts):
    assert names.fold_many(texts) == [fold(text) for text in texts]
