"""Accessibility in a real browser: axe-core (WCAG 2.1 AA, RGAA 4), structure, reflow (R-A11Y-08/09/11)."""

from urllib.parse import urlsplit

import pytest

PAGE_KINDS = ["home", "theme", "region", "initiative", "organisation"]


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_page_has_no_axe_violations(page, site_paths, assert_no_axe_violations, kind):
    page.goto(site_paths[kind], wait_until="networkidle")
    assert_no_axe_violations(page)


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_page_reflows_at_320_px_without_horizontal_scrolling(page, site_paths, kind):
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(site_paths[kind], wait_until="networkidle")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{site_paths[kind]} is {width} px wide at a 320 px viewport"


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_page_is_french_with_one_h1_and_main_content(page, site_paths, kind):
    page.goto(site_paths[kind])
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("h1").count() == 1
    assert page.locator("main#contenu").count() == 1
    assert page.locator("a.skip-link[href='#contenu']").count() == 1


def test_every_page_kind_has_its_own_title(page, site_paths):
    titles = {}
    for kind in PAGE_KINDS:
        page.goto(site_paths[kind])
        titles[kind] = page.title().strip()
    assert all(titles.values()), f"a page has an empty <title>: {titles}"
    assert len(set(titles.values())) == len(titles), f"titles are not unique: {titles}"


def test_home_offers_a_skip_link_first_and_header_navigation(page):
    page.goto("/")
    first_focusable = page.evaluate(
        """() => {
            const focusable = 'a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])';
            const el = [...document.querySelectorAll(focusable)].find(e => !e.disabled);
            return el && {classes: [...el.classList], href: el.getAttribute('href')};
        }"""
    )
    assert first_focusable, "the home page has no focusable element"
    assert "skip-link" in first_focusable["classes"] and first_focusable["href"] == "#contenu", (
        f"the first focusable element is {first_focusable}, not the skip link to #contenu"
    )

    nav_links = page.eval_on_selector_all(
        "header nav a", "links => links.map(link => [link.href, link.textContent.trim()])"
    )
    nav = {urlsplit(href).path: text for href, text in nav_links}
    assert nav.get("/thematiques/") == "Thématiques", f"header navigation: {nav}"
    assert nav.get("/regions/") == "Régions", f"header navigation: {nav}"


def test_home_shows_live_counts_beside_its_themes(page):
    page.goto("/")
    themes = page.locator("main li:has(a[href*='/thematiques/'])")
    assert themes.count(), "the home page lists no themes"
    counts = [text for text in themes.all_inner_texts() if any(char.isdigit() for char in text)]
    assert counts, f"no count beside the themes: {themes.all_inner_texts()}"
