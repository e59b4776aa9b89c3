"""R-GDPR-07 and R-GDPR-03 in a real browser: an anonymous visit to the home, search and initiative pages leaves no
cookie but csrftoken, and every request goes to the site itself (or to the configured tile host, when there is one).
With a tile server configured (a fake one, local), the only requests leaving the site go to it, and carry no cookie.
Plus axe-core on the personal-data pages (R-A11Y-11)."""

import base64
import json
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest

from tests.browser.live_tools import other_site, serving

ALLOWED_COOKIES = {"csrftoken"}
# A 1×1 PNG: Leaflet stretches it over the tile's square.
TILE_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)
# A probe cookie the browser holds for the site, as a signed-in person's session would be: it must not reach tiles.
PROBE_COOKIE = "carrefour_probe"


@pytest.fixture
def axe_page(browser, live_site):
    """A page where axe-core's injected script may run despite the site's Content-Security-Policy."""
    context = browser.new_context(locale="fr-FR", base_url=live_site, bypass_csp=True)
    yield context.new_page()
    context.close()


def tile_host(page) -> str:
    """The tile server the search page's map is configured with ("" : none, the offline outline layer)."""
    config = page.locator("script#map-config")
    if not config.count():
        return ""
    url = json.loads(config.text_content() or "{}").get("tileUrl") or ""
    return urlsplit(url.replace("{s}", "a")).hostname or ""


def test_an_anonymous_visit_sets_only_the_csrf_cookie_and_calls_no_third_party(page, site_paths, live_site):
    site = urlsplit(live_site)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))

    tiles = ""
    for path in ("/", "/recherche/?q=atelier", site_paths["initiative"]):
        page.goto(path, wait_until="networkidle")
        if path.startswith("/recherche/"):
            tiles = tile_host(page)
            assert page.locator("ol.results li.result").count(), "the search found nothing: the visit proves little"

    cookies = {cookie["name"] for cookie in page.context.cookies()}
    assert cookies <= ALLOWED_COOKIES, f"cookies beyond {ALLOWED_COOKIES}: {sorted(cookies - ALLOWED_COOKIES)}"
    assert len(requested) > 6, requested  # pages, styles, scripts: the listener did see the traffic
    foreign = [
        url
        for url in requested
        if not url.startswith("data:")
        and (urlsplit(url).scheme, urlsplit(url).netloc) != (site.scheme, site.netloc)
        and (not tiles or urlsplit(url).hostname != tiles)
    ]
    assert foreign == [], f"requests to third parties: {foreign}"


@pytest.mark.parametrize(
    "path",
    ["/donnees-personnelles/", "/mentions-legales/", "/accessibilite", "/donnees-personnelles/exercer-mes-droits/"],
)
def test_personal_data_pages_have_no_axe_violations(axe_page, assert_no_axe_violations, path):
    page = axe_page
    page.goto(path, wait_until="networkidle")
    assert page.locator("h1").count() == 1
    assert_no_axe_violations(page)


def test_the_rights_request_form_with_errors_has_no_axe_violations(axe_page, assert_no_axe_violations):
    page = axe_page
    page.goto("/donnees-personnelles/exercer-mes-droits/")
    page.fill("#id_name", "Annaïg Morvan")
    page.fill("#id_email", "pas-une-adresse")
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    summary = page.locator(".error-summary")
    assert summary.count() == 1 and "Choisissez le droit" in summary.inner_text()
    assert page.input_value("#id_name") == "Annaïg Morvan"  # nothing typed is lost
    assert_no_axe_violations(page)


class TileHandler(BaseHTTPRequestHandler):
    """Answers every GET with the tiny PNG and notes (path, Cookie header) in `server.seen`."""

    def do_GET(self):
        self.server.seen.append((self.path, self.headers.get("Cookie")))
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(TILE_PNG)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(TILE_PNG)

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


@pytest.fixture(scope="module")
def tile_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), TileHandler)
    server.seen = []
    with serving(server):
        yield server


@pytest.fixture(scope="module")
def tiled_site(live_site, tile_server, tmp_path_factory):
    """The live site's data served by a second process whose maps load tiles from the fake tile server.

    The tile URL names it `localhost` (it listens on 127.0.0.1): a real tile host is another site than ours, and
    cookies ignore ports, so `127.0.0.1:<other port>` would be the same site for them, unlike any real deployment.
    """
    tiles = f"localhost:{tile_server.server_port}"
    with other_site(tmp_path_factory, "tiled", CARREFOUR_MAP_TILE_URL=f"http://{tiles}/{{z}}/{{x}}/{{y}}.png") as url:
        yield {"url": url, "tiles": tiles}


def wait_for_tiles(page, tile_server, at_least: int, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while len(tile_server.seen) < at_least:
        if time.monotonic() >= deadline:
            raise AssertionError(f"{page.url}: the map asked the tile server for no tile within {timeout} s")
        page.wait_for_timeout(100)


def test_with_a_tile_server_only_tiles_leave_the_site_and_they_carry_no_cookie(
    browser, site_paths, tiled_site, tile_server
):
    site = urlsplit(tiled_site["url"])
    context = browser.new_context(locale="fr-FR", base_url=tiled_site["url"])
    context.add_cookies([{"name": PROBE_COOKIE, "value": "session-de-test", "url": tiled_site["url"]}])
    page = context.new_page()
    requested: list[str] = []
    blocked: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.on(
        "console", lambda message: blocked.append(message.text) if "Content Security Policy" in message.text else None
    )
    tile_server.seen.clear()
    try:
        page.goto("/", wait_until="networkidle")
        page.goto("/recherche/?q=atelier", wait_until="networkidle")
        assert tile_host(page) == "localhost", "the search page's map is not configured with the fake tile server"
        page.get_by_role("button", name="Carte", exact=True).click()
        wait_for_tiles(page, tile_server, 1)
        seen_on_search = len(tile_server.seen)
        page.goto(site_paths["initiative"], wait_until="networkidle")
        if page.locator("#initiative-map").count():
            wait_for_tiles(page, tile_server, seen_on_search + 1)
        page.wait_for_load_state("networkidle")
        cookies = {cookie["name"] for cookie in context.cookies()} - {PROBE_COOKIE}
    finally:
        context.close()

    assert blocked == [], "the Content-Security-Policy blocked:\n" + "\n".join(blocked)
    assert cookies <= ALLOWED_COOKIES, f"cookies beyond {ALLOWED_COOKIES}: {sorted(cookies - ALLOWED_COOKIES)}"
    elsewhere = [url for url in requested if not url.startswith("data:") and urlsplit(url).netloc != site.netloc]
    assert elsewhere, "no request left the site: the maps did not load any tile"
    foreign = [
        url for url in elsewhere if (urlsplit(url).scheme, urlsplit(url).netloc) != ("http", tiled_site["tiles"])
    ]
    assert foreign == [], f"requests to third parties other than the tile server: {foreign}"
    assert all(path.endswith(".png") for path, _cookie in tile_server.seen), tile_server.seen
    with_cookies = [(path, cookie) for path, cookie in tile_server.seen if cookie]
    assert with_cookies == [], f"tile requests carrying cookies: {with_cookies}"
