"""One table per vocabulary: every view's words and marks for a certainty or a kind come from
dashboard/vocabulary.py, and attribution reads the same everywhere, with no story's names in the code."""

from __future__ import annotations

from pathlib import Path

from dashboard import style, vocabulary, wording
from dashboard.dataset.schema import bundled_schema
from dashboard.derive import cases
from dashboard.views import network as net


def test_every_certainty_and_kind_of_the_data_package_has_its_words_and_marks():
    schema = bundled_schema()
    for certainty in schema.enum("certainty"):
        assert certainty in vocabulary.CERTAINTY
    for kind in schema.enum("kind"):
        assert kind in vocabulary.KIND


def test_the_views_read_the_one_table():
    assert style.CERTAINTY_LABEL is vocabulary.CERTAINTY_LABEL
    assert wording.CERTAINTY_WORDS is vocabulary.CERTAINTY_WORDS
    assert cases.CERTAINTY_RANK is vocabulary.CERTAINTY_RANK
    assert net.DASH_PRIORITY is vocabulary.DASH_PRIORITY
    assert net.KIND_LABELS is vocabulary.KIND_LABELS and net.KIND_SHAPES is vocabulary.KIND_SHAPES
    assert all(net.KIND_SYMBOLS[k] == s for k, s in vocabulary.KIND_SYMBOLS.items())


def test_attribution_lowercases_a_description_and_keeps_a_name():
    assert vocabulary.who_says("The article") == "the article"
    assert vocabulary.who_says("The Washington Post") == "The Washington Post"
    assert vocabulary.who_says("The Guardian") == "The Guardian"  # no newspaper is special-cased
    assert vocabulary.according_to("officials at the call") == "According to officials at the call"
    assert vocabulary.according_to_mid_sentence("The article") == "according to the article"


def test_a_status_note_never_reads_according_to_the_article_with_a_capital():
    class Row:
        id, via, via_membership, undated = "s1", "", "", True
        date_start, date_end, certainty, note, attribution = None, None, "alleged", "", "The article"

    class Dated:  # the row that dates the status: the same one here
        id, via, via_membership, effective = "s1", "", "", "alleged"

    note = cases._status_note(Row(), Dated(), None, False)
    assert "according to the article" in note and "according to The article" not in note


def test_one_order_of_certainty_for_every_view():
    """Issue 26: the network's dash, the case table's weakest link and the codebook agree: stated,
    alleged, inferred, denied. A link merging an alleged and an inferred statement is drawn inferred."""
    assert vocabulary.DASH_PRIORITY == ("denied", "inferred", "alleged", "stated")
    assert cases.weakest("alleged", "inferred") == "inferred" == vocabulary.least_certain(["inferred", "alleged"])
    assert list(reversed(vocabulary.DASH_PRIORITY)) == cases.CERTAINTY_ORDER
    codebook = (Path(__file__).resolve().parent.parent / "data" / "README.md").read_text(encoding="utf-8")
    assert "`stated`, then `alleged`, then `inferred`, then `denied`" in " ".join(codebook.split())
