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
