"""Tile server down (R-REL-12): with a tile URL on a closed 127.0.0.1 port, the search list and an initiative sheet
still render, their maps still show the département outlines served by the site, and no script error escapes.

A second server process serves the live site's data folder with CARREFOUR_MAP_TILE_URL set.
"""

import re

import pytest

from tests.browser.conftest import csp_safe_wait_for_function, free_port
from tests.browser.live_tools import other_site

SEARCH = "/recherche/"
INITIATIVE_PATH = re.compile(r"^/initiatives/[^/]+/$")


@pytest.fixture(scope="module")
def tiles_down_site(live_site, tmp_path_factory):
    closed = free_port()
    tiles = f"http://127.0.0.1:{closed}/{{z}}/{{x}}/{{y}}.png"
    with other_site(tmp_path_factory, "tiles-down", CARREFOUR_MAP_TILE_URL=tiles) as base_url:
        yield {"url": base_url, "tiles": f"http://127.0.0.1:{closed}/"}


@pytest.fixture
def tiles_down_page(browser, tiles_down_site):
    context = browser.new_context(locale="fr-FR", base_url=tiles_down_site["url"])
    page = context.new_page()
    page.wait_for_function = lambda expression, **options: csp_safe_wait_for_function(page, expression, **options)
    page.errors, page.tile_requests = [], []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("request", lambda request: page.tile_requests.append(request.url)
            if request.url.startswith(tiles_down_site["tiles"]) else None)  # fmt: skip
    yield page
    context.close()


def wait_for_outlines(page, map_selector: str) -> None:
    """The outline layer's paths, inside the map's panes (the attribution's flag is an SVG too, outside them)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.locator(f"{map_selector}.leaflet-container").wait_for()
    try:
        page.wait_for_function(
            "selector => document.querySelectorAll(selector + ' .leaflet-map-pane path').length > 0",
            arg=map_selector,
            timeout=15000,
        )
    except PlaywrightTimeout:
        raise AssertionError(f"{map_selector}: no département outline under the map while the tiles are down") from None


def test_the_search_list_and_map_outlines_render_without_tiles(tiles_down_page):
    page = tiles_down_page
    page.goto(SEARCH)

    assert page.locator("ol.results li.result").count() > 0
    page.get_by_role("button", name="Carte", exact=True).click()
    wait_for_outlines(page, "#search-map")
    page.wait_for_function("/placée|placées/.test(document.getElementById('map-status').textContent)")

    assert page.tile_requests, "the map did not even try the configured tile server"
    assert page.errors == []


def test_an_initiative_sheet_and_its_map_outlines_render_without_tiles(tiles_down_page):
    page = tiles_down_page
    page.goto(SEARCH)
    hrefs = page.eval_on_selector_all("ol.results li.result a", "links => links.map(link => link.pathname)")
    sheet = next(href for href in hrefs if INITIATIVE_PATH.match(href))

    page.goto(sheet)

    assert page.locator("h1").inner_text().strip()
    if page.locator("#initiative-map").count():
        wait_for_outlines(page, "#initiative-map")
        assert page.tile_requests, "the sheet's map did not even try the configured tile server"
    assert page.errors == []
