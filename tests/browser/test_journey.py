"""A visitor's journey through the site, in a real browser: home → theme → initiative → organisation."""

import json
import re
from urllib.parse import urlsplit

MAX_TABS = 80
THEME_PATH = re.compile(r"^/thematiques/[^/]+/$")
INITIATIVE_PATH = re.compile(r"^/initiatives/[^/]+/$")
ORGANISATION_PATH = re.compile(r"^/organisations/[^/]+/$")


def path_of(page) -> str:
    return urlsplit(page.url).path


def link_paths(page, selector: str, pattern: re.Pattern) -> list[str]:
    hrefs = page.eval_on_selector_all(selector, "links => links.map(link => link.href)")
    return list(dict.fromkeys(p for p in (urlsplit(href).path for href in hrefs) if pattern.match(p)))


def h1_text(page) -> str:
    return " ".join(page.locator("h1").inner_text().split())


def click_and_wait(page, link) -> None:
    with page.expect_navigation():
        link.click()


def test_visitor_goes_from_home_to_an_organisation_by_clicking_links(page):
    page.goto("/")
    titles = {"/": page.title()}

    # A theme that lists initiatives: the visitor tries the next one when a theme is empty.
    for theme in link_paths(page, "main a", THEME_PATH):
        click_and_wait(page, page.locator(f'main a[href$="{theme}"]').first)
        assert path_of(page) == theme
        if page.locator("ol.results li.result").count():
            break
        page.go_back()
    else:
        raise AssertionError("no theme linked from the home page lists initiatives")
    assert page.locator("h1").count() == 1
    titles[theme] = page.title()

    first_result = page.locator("ol.results li.result").first.locator("h2 a, h3 a").first
    initiative_name = " ".join(first_result.inner_text().split())
    click_and_wait(page, first_result)
    initiative = path_of(page)
    assert INITIATIVE_PATH.match(initiative), f"the result link led to {initiative}"
    assert h1_text(page) == initiative_name
    titles[initiative] = page.title()

    porteur = page.locator("section#porteurs a[href*='/organisations/']").first
    organisation_name = " ".join(porteur.inner_text().split())
    click_and_wait(page, porteur)
    organisation = path_of(page)
    assert ORGANISATION_PATH.match(organisation), f"the porteur link led to {organisation}"
    assert organisation_name in h1_text(page) or h1_text(page) in organisation_name
    titles[organisation] = page.title()

    # The organisation page lists the initiative the visitor came from.
    assert initiative in link_paths(page, "main a", INITIATIVE_PATH)
    assert all(titles.values()), f"a page has an empty <title>: {titles}"
    assert len(set(titles.values())) == len(titles), f"titles are not unique: {titles}"


def active_element(page) -> dict:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            return {
                tag: el.tagName.toLowerCase(),
                classes: [...el.classList],
                href: el.getAttribute('href'),
                inMain: Boolean(el.closest('main')),
            };
        }"""
    )


def test_keyboard_user_skips_to_content_and_opens_a_theme(page):
    page.goto("/")

    page.keyboard.press("Tab")
    first = active_element(page)
    assert first["tag"] == "a" and "skip-link" in first["classes"], f"first focusable element is {first}"
    assert first["href"] == "#contenu"
    page.keyboard.press("Enter")
    page.wait_for_function("location.hash === '#contenu'", timeout=5000)

    # After the skip link, Tab goes on inside the main content, up to a theme link.
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focused = active_element(page)
        assert focused["inMain"], f"after the skip link, Tab left the main content: {focused}"
        if focused["tag"] == "a" and THEME_PATH.match(urlsplit(focused["href"] or "").path):
            break
    else:
        raise AssertionError(f"no theme link reached after {MAX_TABS} Tab presses")

    theme = urlsplit(focused["href"]).path
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert path_of(page) == theme
    assert page.locator("h1").count() == 1


def test_initiative_page_publishes_schema_org_data(page, site_paths):
    page.goto(site_paths["initiative"])
    scripts = page.locator('script[type="application/ld+json"]').all_text_contents()
    assert scripts, "no JSON-LD on the initiative page"
    documents = [json.loads(text) for text in scripts]

    def things(document):
        if isinstance(document, list):
            for item in document:
                yield from things(item)
        elif isinstance(document, dict):
            yield document
            yield from things(document.get("@graph", []))

    name = h1_text(page)
    described = [thing for document in documents for thing in things(document) if thing.get("name") == name]
    assert described, f"no JSON-LD object named {name!r}: {documents}"
    data = described[0]
    assert "schema.org" in json.dumps(documents[0].get("@context", ""))
    for key in ("name", "description", "url", "address", "geo"):
        assert data.get(key), f"JSON-LD has no {key!r}: {data}"
    assert urlsplit(data["url"]).path == site_paths["initiative"]
    geos = data["geo"] if isinstance(data["geo"], list) else [data["geo"]]
    for geo in geos:
        assert -90 <= float(geo["latitude"]) <= 90 and -180 <= float(geo["longitude"]) <= 180


def test_initiative_map_shows_leaflet_without_leaving_the_site(page, site_paths):
    hosts = []
    page.on("request", lambda request: hosts.append((urlsplit(request.url).hostname, request.url)))
    page.goto(site_paths["initiative"], wait_until="networkidle")

    map_container = page.locator("#initiative-map")
    assert map_container.count() == 1
    page.locator("#initiative-map.leaflet-container, #initiative-map .leaflet-container").first.wait_for()
    markers = page.locator("#initiative-map .leaflet-marker-icon, #initiative-map path.leaflet-interactive")
    assert markers.count() >= 1, "the map shows none of the initiative's locations"

    outside = [url for host, url in hosts if host is not None and host != "127.0.0.1"]
    assert not outside, f"requests left the site: {outside}"
    assert any(url.endswith(".js") for _, url in hosts)


def test_initiative_page_says_it_shows_demonstration_data(page, site_paths):
    page.goto(site_paths["initiative"])
    assert "démonstration" in page.locator(".demo-banner").first.inner_text().lower()


def test_unknown_initiative_answers_404_in_french(page):
    response = page.goto("/initiatives/nexiste-pas/")
    assert response.status == 404
    assert page.locator("html").get_attribute("lang") == "fr"
    text = page.locator("body").inner_text().lower().replace("’", "'")
    assert re.search(r"introuvable|n'existe pas", text), f"the 404 page does not say so in French: {text[:300]}"
