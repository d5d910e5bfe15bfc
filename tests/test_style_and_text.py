from dashboard.style import NEUTRAL, OKABE_ITO, side_colours
from dashboard.text import escape, wrap_html


def test_sides_get_distinct_palette_colours_and_other_is_grey():
    colours = side_colours(["U.S. government", "MS-13", "Other", "Press and critics"])
    assert colours["U.S. government"] == OKABE_ITO[0] and colours["MS-13"] == OKABE_ITO[1]
    assert colours["Other"] == NEUTRAL and colours["Press and critics"] == OKABE_ITO[2]


def test_dataset_text_is_escaped_before_it_reaches_html():
    payload = '<img src=x onerror="alert(1)">'
    assert "<img" not in escape(payload) and "&lt;img" in escape(payload)
    wrapped = wrap_html(payload + " " + "word " * 30, width=20)
    assert "<img" not in wrapped and wrapped.count("<br>") >= 5


def test_quotes_nest_as_a_newsroom_writes_them():
    from dashboard.wording import quoted

    assert quoted("plain words") == "“plain words”"
    assert quoted("“If he’s sent back,” said an investigator.") == "“‘If he’s sent back,’ said an investigator.”"
