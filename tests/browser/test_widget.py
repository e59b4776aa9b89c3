"""The embeddable widget in a real browser: inside an iframe of a page served from another port (another origin),
the list and the map appear; the script variant inserts the iframe and follows its height; no cookie is set; the
open-data page, the configurator and the widget have no axe-core violation."""

import json
import urllib.request
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.browser.live_tools import serving

PARTNER_PAGE = """<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>Site partenaire</title></head>
<body><main><h1>Notre réseau</h1>
{snippet}
</main></body></html>
"""


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the standard library's signature
        pass


@pytest.fixture
def partner_site(tmp_path):
    """A tiny static site on another port of 127.0.0.1: `publish(name, snippet)` returns the page's URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(tmp_path)))

    def publish(name: str, snippet: str) -> str:
        (tmp_path / name).write_text(PARTNER_PAGE.format(snippet=snippet), encoding="utf-8")
        return f"http://127.0.0.1:{server.server_address[1]}/{name}"

    with serving(server):
        yield publish


@pytest.fixture(scope="module")
def departement(live_site) -> str:
    """A département with initiatives in the demo data, found through the public API."""
    with urllib.request.urlopen(f"{live_site}/api/v1/search?page_size=1&facets=", timeout=20) as response:
        data = json.load(response)
    assert data["results"], "the demo site has no initiative"
    return data["results"][0]["departement"]


def test_widget_shows_its_list_and_map_in_an_iframe_on_another_origin(browser, live_site, partner_site, departement):
    widget_url = f"{live_site}/widget/?departement={departement}"
    snippet = f'<iframe src="{widget_url}" title="Initiatives" width="100%" height="700" style="border:0"></iframe>'
    url = partner_site("iframe.html", snippet)
    assert not url.startswith(live_site)
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    try:
        page.goto(url)
        frame = page.frame_locator("iframe")
        items = frame.locator(".widget-list li")
        items.first.wait_for()
        assert items.count() >= 1
        assert frame.locator(".widget-count").inner_text().strip()[0].isdigit()
        markers = frame.locator("#widget-map .result-marker, #widget-map .result-cluster")
        markers.first.wait_for(timeout=15000)
        assert markers.count() >= 1
        link = frame.locator(".widget-list li a").first
        assert link.get_attribute("target") == "_blank"
        assert f"departement={departement}" in frame.locator(".widget-more a").get_attribute("href")
        assert context.cookies() == [], "the widget sets no cookie"
    finally:
        context.close()


def test_script_variant_inserts_the_iframe_and_follows_its_height(browser, live_site, partner_site, departement):
    snippet = (
        f'<script src="{live_site}/widget/integrer.js" data-carrefour-widget="{live_site}/widget/?departement='
        f'{departement}" data-hauteur="300" async></script>'
    )
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    try:
        page.goto(partner_site("script.html", snippet))
        page.frame_locator("iframe").locator(".widget-list li").first.wait_for()
        page.wait_for_function("document.querySelector('iframe').style.height !== '300px'", timeout=15000)
        height = page.evaluate("parseInt(document.querySelector('iframe').style.height, 10)")
        content = page.frame_locator("iframe").locator("html").evaluate("html => html.getBoundingClientRect().height")
        assert abs(height - content) <= 2
    finally:
        context.close()


def test_widget_fits_a_phone_width(page, departement):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"/widget/?departement={departement}", wait_until="networkidle")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


@pytest.mark.parametrize("path", ["/donnees-ouvertes/", "/widget/configurer/", "/widget/configurer/?hauteur=abc"])
def test_open_data_and_configurator_pages_have_no_axe_violations(page, assert_no_axe_violations, path):
    page.goto(path, wait_until="networkidle")
    assert_no_axe_violations(page)


def test_configurator_preview_has_no_axe_violations(page, assert_no_axe_violations, departement):
    page.goto(f"/widget/configurer/?territoire=departement:{departement}&hauteur=600", wait_until="networkidle")
    assert page.locator("iframe.widget-preview").count() == 1
    assert_no_axe_violations(page)


def test_widget_has_no_axe_violations(page, assert_no_axe_violations, departement):
    page.goto(f"/widget/?departement={departement}", wait_until="networkidle")
    page.locator("#widget-map .result-marker, #widget-map .result-cluster").first.wait_for(timeout=15000)
    assert_no_axe_violations(page)
