from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard import fontmetrics, text
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


@given(st.lists(st.sampled_from([*fontmetrics.CHARACTERS, *fontmetrics.WIDER_PAIRS]), max_size=40), st.booleans())
@settings(max_examples=60, deadline=None)
def test_text_width_is_liberation_sans_as_the_font_files_measure_it(pieces, bold):
    from PIL import ImageFont  # installed with Streamlit

    line = "".join(pieces)
    name = "LiberationSans-Bold.ttf" if bold else "LiberationSans-Regular.ttf"
    font = ImageFont.truetype(f"/usr/share/fonts/truetype/liberation/{name}", 100)
    widened = sum(line.count(pair) * fontmetrics.WIDER_PAIRS[pair] / 10 for pair in fontmetrics.WIDER_PAIRS)
    # The table is the font's advance widths, character by character, plus the pairs kerning widens...
    assert (
        abs(text.text_width(line, 100, bold) - sum(font.getlength(c) for c in line) - widened) <= 0.5 * len(line) + 0.5
    )
    # ...and never narrower than the kerned line Chromium draws: a line measured to fit does fit.
    assert text.text_width(line, 100, bold) >= font.getlength(line) - 0.5


@given(st.text(min_size=1, max_size=120), st.integers(8, 40), st.integers(40, 600))
@settings(max_examples=80, deadline=None)
def test_wrapped_lines_fit_and_keep_every_word(words, size, width):
    lines = text.wrap_to_width(words, size, width)
    assert "".join(" ".join(lines).split()) == "".join(words.split())
    assert all(text.text_width(line, size) <= width or len(line) == 1 for line in lines)
