"""Every view comes back from its link: change each kind of control, copy the URL, open it in a fresh
browser context (no cookies, no storage, no session) and find the same view. Also: the timeline's
details beside the chart, Tab through the timeline, a click on a network node focuses the page, and
network labels legible on a phone."""

from __future__ import annotations

import json

import pytest
from apprunner import wait_for_app
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect
from test_access_browser import DESKTOP, PHONE, axe_violations, grow_to_content, open_page, serious, summary
from test_network_browser import NETWORK_FRAME, open_network
from test_timeline_browser import CHART, MARK_POSITION, open_timeline, wait_for_plot

pytestmark = pytest.mark.browser

RADIO, CHECKBOX = '[data-testid="stRadio"]', '[data-testid="stCheckbox"]'
X_RANGE_DAYS = """() => { const r = document.querySelector('.dashboard-chart.js-plotly-plot')
    ._fullLayout.xaxis.range; return (new Date(r[1]) - new Date(r[0])) / 864e5; }"""
LANE_NAMES = """() => [...document.querySelectorAll('.dashboard-chart .ytick text')]
    .map(t => t.textContent)"""


def click_mark(page, statement_id: str) -> None:
    """Click the chart's mark of a statement, scrolling Streamlit's container until it is on screen."""
    spot = page.evaluate(MARK_POSITION, statement_id)
    height = page.viewport_size["height"]
    if not 40 < spot["y"] < height - 40:
        page.evaluate(
            """(dy) => { let el = document.querySelector('.dashboard-chart');
                const scrolls = (e) => ['auto', 'scroll'].includes(getComputedStyle(e).overflowY)
                    && e.scrollHeight > e.clientHeight + 1;
                while (el && !scrolls(el)) el = el.parentElement;
                (el || document.scrollingElement).scrollBy(0, dy); }""",
            spot["y"] - height / 2,
        )
        page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
        spot = page.evaluate(MARK_POSITION, statement_id)
    page.mouse.click(spot["x"], spot["y"])


@pytest.fixture
def fresh(new_page):
    """Opens a URL in a new browser context, as a colleague opening a shared link would."""

    def open_link(url: str, width: int = 1200):
        page = new_page(width, 900)
        page.goto(url)
        wait_for_app(page)
        return page

    return open_link


def checked(page, group: str, label: str) -> bool:
    """Whether the radio or checkbox option with this label is checked."""
    return page.locator(group).get_by_label(label, exact=True).is_checked()


def chosen(page, label: str) -> str:
    """The text a multiselect or selectbox shows (its chosen values)."""
    widgets = page.locator('[data-testid="stMultiSelect"], [data-testid="stSelectbox"]')
    widget = widgets.filter(has=page.get_by_text(label, exact=True)).first
    # A selectbox may show its value in a text field (type to search) rather than as text.
    values = widget.locator("input").evaluate_all("inputs => inputs.map(i => i.value || i.placeholder)")
    return "\n".join([widget.inner_text(), *values])


def test_timeline_lanes_range_and_event_come_back_from_the_link(page, app_url, fresh):
    open_timeline(page, f"{app_url}/timeline")
    click_mark(page, "s031")
    expect(page.locator(".st-key-timeline_details")).to_contain_text("López Larios deported", timeout=30_000)
    wait_for_app(page)
    page.locator(RADIO).get_by_text("By person", exact=True).click()
    wait_for_app(page)
    page.locator(RADIO).get_by_text("Whole span", exact=True).click()  # the page opens on March 2025
    wait_for_app(page)
    wait_for_plot(page)
    link = page.url
    assert "lanes=By+person" in link and "range=Whole+span" in link and "event=s031" in link

    other = fresh(link)
    other.wait_for_selector(f"{CHART} .main-svg", timeout=60_000)
    wait_for_plot(other)
    assert checked(other, RADIO, "By person") and checked(other, RADIO, "Whole span")
    assert "Marco Rubio" in other.evaluate(LANE_NAMES)  # lanes by person, not by side
    assert "U.S. government" not in other.evaluate(LANE_NAMES)
    assert other.evaluate(X_RANGE_DAYS) > 365  # the whole span, not the March window it opens on
    expect(other.locator(".st-key-timeline_details")).to_contain_text("López Larios deported")


def test_timeline_details_open_beside_the_chart_in_view(page, app_url):
    page.set_viewport_size({"width": 1440, "height": 900})
    open_timeline(page, f"{app_url}/timeline")
    click_mark(page, "s031")
    details = page.locator(".st-key-timeline_details")
    expect(details).to_contain_text("López Larios deported", timeout=30_000)
    wait_for_app(page)
    chart, panel = page.locator(CHART).bounding_box(), details.bounding_box()
    assert panel["x"] >= chart["x"] + chart["width"] - 1  # beside the chart, not below it
    assert panel["y"] < 900 - 200  # its heading and first lines are on screen without scrolling
    assert details.locator("h2").first.inner_text().startswith("15 March 2025")  # heading order: an h2


# Every control a keyboard should reach on the page, numbered in the page: visible, enabled, not
# taken out of the tab order, and not inside a collapsed section or a table's canvas internals.
MARK_CONTROLS = """() => {
    const controls = [...document.querySelectorAll(
        '[data-testid="stSidebar"] :is(input, button, a[href], [tabindex="0"]),' +
        '[data-testid="stMain"] :is(input, button, a[href], [tabindex="0"])')].filter(el =>
        !el.disabled && el.getAttribute('tabindex') !== '-1' && el.getClientRects().length > 0
        && getComputedStyle(el).visibility !== 'hidden' && !el.closest('details:not([open])')
        && !el.closest('[data-testid="stDataFrame"]'));
    controls.forEach((el, i) => el.dataset.tabCheck = i);
    const name = el => el.getAttribute('aria-label') || el.textContent || el.type || el.tagName;
    return controls.map(el => name(el).trim().slice(0, 50));
}"""
WHERE = """() => { const a = document.activeElement;
    const table = a.closest('[data-testid="stDataFrame"]');
    const owner = table && [...table.closest('[class*="st-key-"]')?.classList || []].find(c => c.startsWith('st-key-'));
    return {id: a.dataset.tabCheck ?? null, table: owner || ''}; }"""


def test_tab_reaches_every_timeline_control_and_the_dated_events_table(page, app_url):
    open_timeline(page, f"{app_url}/timeline")
    controls = page.evaluate(MARK_CONTROLS)
    page.locator("[data-testid='stSidebar'] a[href]").first.focus()  # start at the top of the page
    reached, tables = {page.evaluate(WHERE)["id"]}, []
    for _ in range(200):
        page.keyboard.press("Tab")
        where = page.evaluate(WHERE)
        reached.add(where["id"])
        tables.append(where["table"])
        if where["table"] == "st-key-timeline_undated":
            break
    assert len(controls) > 20, controls  # the sidebar's filters, the page's radios, the chart's tools…
    missed = [label for index, label in enumerate(controls) if str(index) not in reached]
    assert missed == [], missed
    assert "st-key-timeline_dated" in tables  # the dated-events table takes the focus


def open_more(page) -> None:
    """Open the network page's "Hide or narrow" popover, where the less-used controls wait."""
    if not page.locator(CHECKBOX).get_by_text("Hide alleged relations").is_visible():
        page.locator(".stPopover button, [data-testid='stPopover'] button").first.click()
    expect(page.locator(CHECKBOX).get_by_text("Hide alleged relations")).to_be_visible()


def test_network_controls_and_a_clicked_focus_come_back_from_the_link(page, app_url, fresh):
    frame = open_network(page, app_url)
    open_more(page)  # the less-used controls wait in a popover
    page.locator(CHECKBOX).get_by_text("Hide alleged relations").click()
    wait_for_app(page)
    page.locator(CHECKBOX).get_by_text("Hide inferred relations").click()
    wait_for_app(page)
    # A click on a node focuses the page on it. A click that lands while a rerun is replacing the
    # graph's frame reaches no node (a reader clicks again): the test clicks again, in the new frame.
    for _ in range(3):
        wait_for_app(page)
        page.locator(NETWORK_FRAME).scroll_into_view_if_needed()
        frame = page.locator(NETWORK_FRAME).element_handle().content_frame()
        frame.wait_for_function("typeof window.networkDrawnAt === 'number'")
        point = frame.evaluate("() => network.canvasToDOM(network.getPositions(['Nayib Bukele'])['Nayib Bukele'])")
        box = page.locator(NETWORK_FRAME).bounding_box()
        page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
        try:
            page.wait_for_function("() => location.search.includes('focus=Nayib+Bukele')", timeout=15_000)
            break
        except PlaywrightTimeout:
            continue
    assert "focus=Nayib+Bukele" in page.url, page.url
    wait_for_app(page)
    expect(page.get_by_text("within 1 link of Nayib Bukele")).to_be_visible(timeout=30_000)
    page.locator(RADIO).get_by_text("2", exact=True).click()
    wait_for_app(page)
    open_more(page)
    page.get_by_label("Relation types", exact=True).click()
    page.get_by_role("option", name="deal", exact=True).click()
    page.keyboard.press("Escape")
    wait_for_app(page)
    link = page.url
    for part in ("hide_alleged=true", "hide_inferred=true", "focus=Nayib+Bukele", "hops=2", "relation=deal"):
        assert part in link, link

    other = fresh(link)
    other.frame_locator(NETWORK_FRAME).locator("canvas").wait_for(timeout=60_000)
    expect(other.get_by_role("button", name="Hide or narrow (3 set)")).to_be_visible()  # says what it hides
    open_more(other)
    assert checked(other, CHECKBOX, "Hide alleged relations") and checked(other, CHECKBOX, "Hide inferred relations")
    assert checked(other, RADIO, "2")
    expect(other.get_by_text("within 2 links of Nayib Bukele")).to_be_visible()
    assert "deal" in chosen(other, "Relation types").split("\n")
    assert "Nayib Bukele" in chosen(other, "Focus on").split("\n")


def test_network_labels_are_legible_on_a_phone(page, app_url):
    page.set_viewport_size({"width": 390, "height": 844})
    frame = open_network(page, app_url)
    frame.wait_for_function("typeof window.networkDrawnAt === 'number'")
    font = frame.evaluate("() => network.body.nodes[network.body.nodeIndices[0]].options.font.size")
    assert frame.evaluate("() => network.getScale()") * font >= 11 - 1e-6


def pick_second_option(page, label: str) -> None:
    """Open a selectbox's list and pick its second option (ArrowDown opens it again if a rerun closed it)."""
    field = page.get_by_label(label, exact=True)
    field.scroll_into_view_if_needed()
    for _ in range(5):
        field.focus()
        page.keyboard.press("ArrowDown")
        try:
            page.get_by_role("option").nth(1).click(timeout=3_000)
            return
        except PlaywrightTimeout:
            wait_for_app(page)
    raise AssertionError(f"the list of {label!r} did not open")


CASE_VIEW = """() => ({group: document.querySelector('.st-key-present_cases_group h2')?.textContent,
    member: [...document.querySelectorAll('[data-testid="stMain"] h4')].map(h => h.textContent).join(' | ')})"""


def test_case_table_group_and_member_come_back_from_the_link(page, app_url, fresh):
    page.goto(f"{app_url}/cases")
    expect(page.get_by_text("Case by case").first).to_be_attached(timeout=60_000)
    wait_for_app(page)
    # The man whose statements are open, then the group (a new group opens on its first man).
    for label, param in (("Open the statements about", "member="), ("Group", "group=")):
        before = page.evaluate(CASE_VIEW)
        pick_second_option(page, label)
        page.wait_for_function("(param) => location.search.includes(param)", arg=param, timeout=30_000)
        page.wait_for_function(
            f"(before) => JSON.stringify(({CASE_VIEW})()) !== before",
            arg=json.dumps(before, separators=(",", ":"), ensure_ascii=False),
        )
        wait_for_app(page)
        view = page.evaluate(CASE_VIEW)
        assert view != before and view["group"] and view["member"], view

        other = fresh(page.url)
        expect(other.get_by_text("Case by case").first).to_be_attached(timeout=60_000)
        wait_for_app(other)
        expect(other.locator('[data-testid="stMain"] h4').first).to_be_attached()
        assert other.evaluate(CASE_VIEW) == view


# The views this work changed, in the state a shared link opens them: details open beside the chart,
# a network focused with links hidden, a case table on another man.
CHANGED_VIEWS = {
    "timeline?event=s031&lanes=By+person&range=March+2025": "Dated events",
    "network?focus=Nayib+Bukele&hops=2&hide_alleged=true": "Entities and their relations",
    "cases?member=Elmer+Canales+Rivera+%28in+the+group+by+inference%29+%C2%B7+In+U.S.+custody": "Case by case",
}


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_axe_on_the_changed_views_at_both_widths(new_page, app_url, width):
    page = new_page(width, 900)
    found = {}
    for path, ready_text in CHANGED_VIEWS.items():
        open_page(page, f"{app_url}/{path}", ready_text)
        if path.startswith("network"):
            expect(page.frame_locator(NETWORK_FRAME).locator("canvas")).to_be_attached(timeout=60_000)
        grow_to_content(page)
        bad = serious(axe_violations(page))
        if bad:
            found[path] = summary(bad)
    assert not found, found


def test_on_a_phone_the_details_are_brought_into_view(page, app_url):
    page.set_viewport_size({"width": 390, "height": 844})
    open_timeline(page, f"{app_url}/timeline")
    click_mark(page, "s031")
    details = page.locator(".st-key-timeline_details")
    expect(details).to_contain_text("López Larios deported", timeout=30_000)
    page.wait_for_function(
        """() => { const r = document.querySelector('.st-key-timeline_details').getBoundingClientRect();
                   return r.top >= 0 && r.top < innerHeight - 100; }""",
        timeout=10_000,
    )
