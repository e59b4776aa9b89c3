"""R-GDPR-07 and R-GDPR-03 in a real browser: an anonymous visit to the home, search and initiative pages leaves no
cookie but csrftoken, and every request goes to the site itself (or to the configured tile host, when there is one).
Plus axe-core on the personal-data pages (R-A11Y-11)."""

import json
from urllib.parse import urlsplit

import pytest

ALLOWED_COOKIES = {"csrftoken"}


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
