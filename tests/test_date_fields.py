"""The sidebar's date fields are typed (a calendar that opens on focus covered the filters): a day, a
month or a year, as in a shared link; a typo is reported and changes nothing."""

from __future__ import annotations

from datetime import date

from helpers import app, page_text

from dashboard.app import ui


def test_a_year_or_a_month_widens_to_the_days_it_covers():
    at = app().run()
    at.text_input(key=ui.K_START_TEXT).input("2025-03").run()
    at.text_input(key=ui.K_END_TEXT).input("2025").run()
    assert not at.exception
    assert at.session_state[ui.K_START] == date(2025, 3, 1) and at.session_state[ui.K_END] == date(2025, 12, 31)
    assert "Dated 1 March 2025 to 31 December 2025" in page_text(at)
    assert at.query_params["start"] in ("2025-03-01", ["2025-03-01"]) and at.query_params["end"] in (
        "2025-12-31",
        ["2025-12-31"],
    )


def test_a_typo_is_reported_and_keeps_the_filter_until_fixed():
    at = app().run()
    at.text_input(key=ui.K_START_TEXT).input("2025-03-01").run()
    at.text_input(key=ui.K_START_TEXT).input("March 2025x").run()
    assert not at.exception
    assert any("is not a date the filter can use" in e.value for e in at.error)
    assert at.session_state[ui.K_START] == date(2025, 3, 1)
    assert at.text_input(key=ui.K_START_TEXT).value == "March 2025x"  # the reader's text is kept to fix
    at.text_input(key=ui.K_START_TEXT).input("").run()
    assert not at.error and at.session_state[ui.K_START] is None


def test_dates_from_the_url_and_reset_show_in_the_fields():
    at = app(start="2021", end="2025-03-31").run()
    assert at.text_input(key=ui.K_START_TEXT).value == "2021-01-01"
    assert at.text_input(key=ui.K_END_TEXT).value == "2025-03-31"
    at.text_input(key=ui.K_END_TEXT).input("nonsense").run()
    at.button(key="reset_filters_sidebar").click().run()
    assert at.text_input(key=ui.K_START_TEXT).value == "" and at.text_input(key=ui.K_END_TEXT).value == ""
    assert not at.error and at.session_state[ui.K_END] is None
