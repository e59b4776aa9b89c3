"""Territory and statistics pages in a real browser: a commune page, a département choropleth (map layer, legend,
table alternative), a gap analysis page, and axe-core with zero violations."""

import re
from urllib.parse import urlsplit

import pytest

REGIONS = "/regions/"


def count_in(text: str) -> int:
    digits = re.sub(r"\D", "", text)
    return int(digits) if digits else 0


def first_row_with_initiatives(page, table: str) -> str:
    """The path of the first territory of a table whose « Initiatives » column is not zero."""
    for row in page.locator(f"{table} tbody tr").all():
        if count_in(row.locator("td").nth(1).inner_text()) > 0:
            return urlsplit(row.locator("th a").get_attribute("href")).path
    raise AssertionError(f"no row of {table} on {page.url} counts an initiative")


@pytest.fixture(scope="session")
def territory_paths(browser, live_site) -> dict[str, str]:
    """A région, a département and a commune holding initiatives, found as a visitor would, from /regions/."""
    context = browser.new_context(locale="fr-FR", base_url=live_site)
    page = context.new_page()
    try:
        page.goto(REGIONS)
        links = page.locator("ul.tiles li").all()
        region = next(
            urlsplit(item.locator("a").get_attribute("href")).path
            for item in links
            if count_in(item.locator(".count").inner_text()) > 0
        )
        page.goto(region)
        departement = first_row_with_initiatives(page, "#tableau-enfants")
        page.goto(f"{departement}?niveau=commune")
        commune = first_row_with_initiatives(page, "#tableau-enfants")
        return {"region": region, "departement": departement, "commune": commune}
    finally:
        context.close()


def test_commune_page_lists_its_initiatives_and_places_them_on_the_map(page, territory_paths):
    page.goto(territory_paths["commune"])
    count = count_in(page.locator(".figures div").first.locator("dd").inner_text())
    assert count > 0
    assert page.locator("ol.results li.result").count() == min(count, 20)
    assert page.locator("nav.breadcrumb li").count() >= 4  # Régions › région › département › (EPCI ›) commune
    page.wait_for_function("/placée|placées/.test(document.getElementById('territory-map-status').textContent)")
    markers = page.locator("#territory-map .result-marker").count()
    clustered = sum(count_in(text) for text in page.locator("#territory-map .result-cluster").all_inner_texts())
    assert markers + clustered == count
    assert page.locator("#territory-map path.leaflet-interactive, #territory-map path").count() >= 1  # outline


def test_departement_choropleth_draws_its_layer_legend_and_table(page, territory_paths):
    page.goto(territory_paths["departement"])
    rows = page.locator("#tableau-enfants tbody tr").count()
    assert rows > 0
    page.wait_for_function(
        "n => document.querySelectorAll('#territory-map path.leaflet-interactive').length >= n", arg=rows
    )
    assert page.locator(".choropleth-legend li").count() >= 2
    coloured = page.eval_on_selector_all(
        "#territory-map path.leaflet-interactive",
        "paths => paths.filter(p => p.getAttribute('fill') !== '#ffffff').length",
    )
    assert coloured >= 1, "no child territory is coloured although the table counts initiatives"
    page.get_by_label("Nombre d'initiatives").check()
    page.get_by_role("button", name="Mettre à jour la carte et le tableau").click()
    page.wait_for_url(re.compile(r"mesure=nombre"))
    assert "Nombre d'initiatives" in page.locator("#titre-legende").inner_text().capitalize() or page.locator(
        "#titre-legende"
    ).inner_text().endswith("nombre d'initiatives")


def test_gap_analysis_page_answers_with_gaps_or_says_why_not(page, territory_paths):
    page.goto(territory_paths["departement"])
    page.get_by_role("link", name=re.compile("^Zones blanches")).click()
    page.wait_for_url(re.compile(r"/zones-blanches/$"))
    assert page.locator("h1").inner_text().startswith("Zones blanches")
    status = page.locator("#titre-manques ~ [role=status]").first.inner_text()
    assert re.search(r"manque|Aucune zone blanche|Pas assez", status), status
    page.get_by_label("les territoires voisins").check()
    page.get_by_role("button", name="Comparer").click()
    page.wait_for_url(re.compile(r"comparer=voisins"))
    assert page.locator("h2#titre-comparables").count() == 1


@pytest.mark.parametrize("kind", ["region", "departement", "commune", "gaps", "statistics"])
def test_territory_and_statistics_pages_have_no_axe_violations(page, territory_paths, assert_no_axe_violations, kind):
    path = {
        "gaps": f"{territory_paths['departement']}zones-blanches/",
        "statistics": "/statistiques/",
    }.get(kind) or territory_paths[kind]
    page.goto(path)
    if kind in ("region", "departement", "commune"):
        page.wait_for_function("/placée|placées/.test(document.getElementById('territory-map-status').textContent)")
    assert_no_axe_violations(page)


@pytest.mark.parametrize("path", ["/regions/99/", "/departements/zz/", "/communes/99999/", "/epci/1/zones-blanches/"])
def test_unknown_territory_codes_answer_a_french_404(page, path):
    response = page.goto(path)
    assert response.status == 404
    assert page.locator("html").get_attribute("lang") == "fr"
