"""The search page in a real browser: query, facets, list/map, markers by keyboard, zone search, no-JS list,
autocomplete, axe and reflow (R-A11Y-02..09)."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest

SEARCH = "/recherche/"
QUERY = "tiers-lieu"  # one of the most frequent kinds of place in the demo catalogue
NOTHING = "zzqxwv"
MAX_CLUSTER_CLICKS = 12


def count_in(text: str) -> int:
    digits = re.sub(r"\D", "", text)
    return int(digits) if digits else 0


def status_count(page) -> int:
    return count_in(page.locator("#result-count[role=status]").inner_text())


def params_of(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def wait_for_status_change(page, before: str) -> None:
    page.wait_for_function(
        "before => document.getElementById('result-count').textContent.trim() !== before", arg=before.strip()
    )


def open_map(page) -> None:
    page.get_by_role("button", name="Carte", exact=True).click()
    page.locator("#search-map.leaflet-container").wait_for()
    page.wait_for_function("/placée|placées/.test(document.getElementById('map-status').textContent)")


def markers_and_clusters(page) -> tuple[int, int]:
    """(visible single markers, results inside visible clusters)."""
    markers = page.locator("#search-map .result-marker").count()
    clustered = sum(count_in(text) for text in page.locator("#search-map .result-cluster").all_inner_texts())
    return markers, clustered


def test_typing_a_query_and_submitting_lists_matching_results(page):
    page.goto(SEARCH)
    total = status_count(page)
    assert total > 0, "the empty search lists nothing: is the demo catalogue indexed?"
    before = page.locator("#result-count").inner_text()
    page.get_by_label("Nom, activité, mot-clé ou lieu").fill(QUERY)
    page.locator("#q").press("Enter")
    wait_for_status_change(page, before)
    found = status_count(page)
    assert 0 < found < total
    assert params_of(page)["q"] == [QUERY], "the URL does not hold the query"
    assert page.title().startswith(f"Recherche « {QUERY} » – page 1 – ")
    assert page.locator("ol.results li.result").count() == min(found, 20)
    assert page.locator("ol.results li.result mark").count() > 0, "no highlighted word in the snippets"


def test_ticking_a_facet_updates_the_status_count_and_keeps_focus(page):
    page.goto(SEARCH)
    checkbox = page.locator("fieldset.facet input[type=checkbox][name=theme]").first
    box_id = checkbox.get_attribute("id")
    expected = count_in(page.locator(f"label[for='{box_id}'] .count").inner_text())
    before = page.locator("#result-count").inner_text()
    checkbox.focus()
    page.keyboard.press("Space")
    wait_for_status_change(page, before)
    assert status_count(page) == expected
    assert params_of(page)["theme"] == [checkbox.get_attribute("value")]
    assert page.evaluate("document.activeElement.id") == box_id, "focus moved away from the ticked box"
    assert page.locator(f"#{box_id}").is_checked()
    assert page.locator(".chips a.chip").count() == 1

    page.go_back()
    page.wait_for_function("!location.search.includes('theme=')")
    page.locator("#result-count").wait_for()
    assert page.locator("a.chip").count() == 0


def test_map_shows_a_marker_or_a_cluster_for_every_result(page):
    page.goto(f"{SEARCH}?q={QUERY}")
    expected = status_count(page)
    open_map(page)
    assert page.locator("ol.results").is_hidden(), "the list should give way to the map"
    assert params_of(page)["vue"] == ["carte"]
    page.wait_for_function(
        "n => { const m = document.querySelectorAll('#search-map .result-marker').length;"
        " const c = [...document.querySelectorAll('#search-map .result-cluster')]"
        ".reduce((s, e) => s + parseInt(e.textContent, 10), 0); return m + c === n; }",
        arg=expected,
    )
    markers, clustered = markers_and_clusters(page)
    assert markers + clustered == expected


def zoom_until_a_marker_shows(page) -> None:
    for _ in range(MAX_CLUSTER_CLICKS):
        if page.locator("#search-map .result-marker").count():
            return
        cluster = page.locator("#search-map .result-cluster").first
        cluster.focus()
        page.keyboard.press("Enter")
        page.wait_for_timeout(600)  # Leaflet's zoom animation
    raise AssertionError("pressing Enter on clusters never revealed a single marker")


def test_enter_on_a_marker_opens_its_popup_and_escape_brings_focus_back(page):
    page.goto(f"{SEARCH}?q={QUERY}")
    open_map(page)
    zoom_until_a_marker_shows(page)
    titles = page.locator("#search-map .result-marker").evaluate_all("els => els.map(e => e.title)")
    assert all(titles) and len(set(titles)) == len(titles), f"marker titles are not unique: {titles}"

    marker = page.locator("#search-map .result-marker").first
    title = marker.get_attribute("title")
    marker.focus()
    page.keyboard.press("Enter")
    popup = page.locator(".leaflet-popup")
    popup.wait_for()
    assert title.split(" — ")[0] in popup.inner_text()
    assert page.evaluate("document.activeElement.closest('.leaflet-popup') !== null"), "focus is not in the popup"
    assert popup.locator("a[href^='/initiatives/']").count() == 1

    page.keyboard.press("Escape")
    popup.wait_for(state="detached")
    assert page.evaluate("document.activeElement.title") == title, "focus did not come back to the marker"


def test_zoom_button_and_search_in_this_zone(page):
    page.goto(f"{SEARCH}?q={QUERY}")
    total = status_count(page)
    open_map(page)
    zoom_in = page.locator("#search-map .leaflet-control-zoom-in")
    assert zoom_in.get_attribute("title") == "Zoomer"
    zoom_in.click()
    page.wait_for_timeout(400)
    zoom_until_a_marker_shows(page)
    page.get_by_role("button", name="Rechercher dans cette zone").click()
    page.wait_for_function("location.search.includes('bbox=')")
    page.locator("a.chip", has_text="Dans la zone choisie sur la carte").wait_for()
    assert 1 <= status_count(page) <= total
    bbox = [float(value) for value in params_of(page)["bbox"][0].split(",")]
    assert bbox[0] < bbox[2] and bbox[1] < bbox[3]
    assert page.locator("#search-map").is_visible(), "the map should stay open after a zone search"


def test_without_javascript_the_list_and_the_filters_work(browser, live_site):
    context = browser.new_context(java_script_enabled=False, locale="fr-FR", base_url=live_site)
    page = context.new_page()
    try:
        page.goto(f"{SEARCH}?q={QUERY}")
        found = status_count(page)
        assert page.locator("ol.results li.result").count() == min(found, 20)
        assert page.locator(".view-toggle").is_hidden() and page.locator("#search-map-panel").is_hidden()
        every_result_links_to_a_sheet = page.locator("ol.results li.result h3 a[href^='/initiatives/']").count()
        assert every_result_links_to_a_sheet == min(found, 20)

        checkbox = page.locator("fieldset.facet input[name=theme]").first
        value = checkbox.get_attribute("value")
        expected = count_in(page.locator(f"label[for='{checkbox.get_attribute('id')}'] .count").inner_text())
        checkbox.check()
        with page.expect_navigation():
            page.get_by_role("button", name="Appliquer les filtres").click()
        assert params_of(page)["theme"] == [value] and params_of(page)["q"] == [QUERY]
        assert status_count(page) == expected
        assert page.locator(f"fieldset.facet input[name=theme][value='{value}']").is_checked()

        with page.expect_navigation():
            page.locator("a.chip").first.click()
        assert "q" not in params_of(page)
    finally:
        context.close()


def test_autocomplete_is_a_keyboard_combobox(page):
    page.goto(SEARCH)
    box = page.locator("#q")
    assert box.get_attribute("role") == "combobox" and box.get_attribute("aria-expanded") == "false"
    box.press_sequentially("tiers", delay=40)
    listbox = page.locator("#" + box.get_attribute("aria-controls"))
    listbox.wait_for(state="visible")
    assert box.get_attribute("aria-expanded") == "true"
    assert listbox.get_attribute("role") == "listbox"

    box.press("ArrowDown")
    active = box.get_attribute("aria-activedescendant")
    option = page.locator(f"#{active}")
    assert option.get_attribute("role") == "option" and option.get_attribute("aria-selected") == "true"
    assert page.evaluate("document.activeElement.id") == "q", "focus must stay in the box"

    box.press("Escape")
    assert box.get_attribute("aria-expanded") == "false" and listbox.is_hidden()
    assert box.get_attribute("aria-activedescendant") is None

    box.press("ArrowDown")
    chosen = page.locator("#" + box.get_attribute("aria-activedescendant"))
    target = chosen.get_attribute("data-href")
    with page.expect_navigation():
        box.press("Enter")
    assert urlsplit(page.url).path == urlsplit(target).path


def test_home_search_box_leads_to_the_search_page(page):
    page.goto("/")
    page.get_by_role("search").get_by_role("combobox").fill(QUERY)
    with page.expect_navigation():
        page.get_by_role("search").get_by_role("button", name="Rechercher").click()
    assert urlsplit(page.url).path == SEARCH and params_of(page)["q"] == [QUERY]
    assert status_count(page) > 0


@pytest.mark.parametrize("query", [QUERY, NOTHING], ids=["results", "no-results"])
def test_search_page_has_no_axe_violations(page, assert_no_axe_violations, query):
    page.goto(f"{SEARCH}?q={query}", wait_until="networkidle")
    if query == NOTHING:
        assert "Aucune initiative ne correspond" in page.locator("main").inner_text()
    assert_no_axe_violations(page)


def test_map_view_has_no_axe_violations(page, assert_no_axe_violations):
    page.goto(f"{SEARCH}?q={QUERY}", wait_until="networkidle")
    open_map(page)
    page.wait_for_load_state("networkidle")
    assert_no_axe_violations(page)


def test_error_page_has_no_axe_violations(page, assert_no_axe_violations):
    response = page.goto(f"{SEARCH}?q={'x' * 201}")
    assert response.status == 400
    assert "200 caractères" in page.locator(".error-summary").inner_text()
    assert_no_axe_violations(page)


@pytest.mark.parametrize("view", ["liste", "carte"])
def test_search_page_reflows_at_320_px(page, view):
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"{SEARCH}?q={QUERY}", wait_until="networkidle")
    if view == "carte":
        open_map(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    wide = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(el => el.getBoundingClientRect().right > 320)
            .slice(0, 8).map(el => el.outerHTML.slice(0, 120))"""
    )
    assert width <= 320, f"the search page ({view}) is {width} px wide at a 320 px viewport; too wide: {wide}"


def test_keyboard_order_goes_filters_toggle_zoom_then_markers(page):
    page.goto(f"{SEARCH}?q={QUERY}")
    open_map(page)
    page.locator("fieldset.facet input").first.focus()
    stops = []
    for _ in range(400):
        page.keyboard.press("Tab")
        stop = page.evaluate(
            """() => {
                const el = document.activeElement;
                if (el.matches('fieldset.facet input')) return 'filter';
                if (el.matches('.view-toggle button')) return 'toggle';
                if (el.matches('.leaflet-control-zoom-in, .leaflet-control-zoom-out')) return 'zoom';
                if (el.matches('.result-marker, .result-cluster')) return 'marker';
                if (el.closest('footer')) return 'footer';
                return 'other';
            }"""
        )
        if not stops or stops[-1] != stop:
            stops.append(stop)
        if stop == "footer":
            break
    wanted = [stop for stop in stops if stop in ("filter", "toggle", "zoom", "marker", "footer")]
    order = [wanted.index(name) for name in ("toggle", "zoom", "marker", "footer")]
    assert order == sorted(order), f"focus order: {stops}"
