"""Territory pages: counts from the search engine, children, neighbours, partners, breadcrumbs, 404s, sitemaps."""

import json

import pytest
from django.urls import reverse

from carrefour.catalog.models import Initiative, Vocabulary
from carrefour.search import apply_outbox
from carrefour.territories import shapes
from carrefour.territories.page import child_rows
from tests.factories import make_initiative, make_organisation, term

pytestmark = pytest.mark.django_db

QUIMPER, BREST, RENNES = "29232", "29019", "35238"


@pytest.fixture
def catalogue():
    carrier = make_organisation("Collectif Bricol'Ouest")
    sheets = [
        make_initiative("Repair Café de Quimper", QUIMPER, organisation=carrier),
        make_initiative("Épicerie solidaire de Quimper", QUIMPER, organisation=carrier),
        make_initiative("Recyclerie de Brest", BREST),
        make_initiative("Tiers-lieu de Rennes", RENNES),
        make_initiative("Brouillon de Brest", BREST, status=Initiative.Status.DRAFT),
    ]
    sheets[2].place_types.set([term(Vocabulary.PLACE_TYPE, 1)])
    apply_outbox()
    return sheets


def page(client, level: str, code: str, **params):
    response = client.get(reverse(f"territories:{level}", args=[code]), params)
    assert response.status_code == 200, response.content[:500]
    return response


def test_departement_page_counts_published_initiatives_by_theme_type_and_public(client, catalogue):
    response = page(client, "departement", "29")
    context = response.context
    assert context["response"].count == 3
    groups = dict(context["facet_groups"])
    first_type, second_type = term(Vocabulary.PLACE_TYPE, 0), term(Vocabulary.PLACE_TYPE, 1)
    assert {value.value: value.count for value in groups["type"]} == {first_type.code: 2, second_type.code: 1}
    assert sum(value.count for value in groups["theme"]) == 3
    html = response.content.decode()
    assert "Repair Café de Quimper" in html and "Recyclerie de Brest" in html
    assert "Tiers-lieu de Rennes" not in html and "Brouillon de Brest" not in html
    assert "/recherche/?departement=29" in html


def test_commune_page_lists_only_its_initiatives_with_breadcrumbs(client, catalogue):
    response = page(client, "commune", QUIMPER)
    assert response.context["response"].count == 2
    html = response.content.decode()
    assert "Repair Café de Quimper" in html and "Recyclerie de Brest" not in html
    trail = [step["name"] for step in response.context["trail"]]
    assert trail[:2] == ["Bretagne", "Finistère"] and len(trail) == 3  # région › département › EPCI
    assert reverse("territories:epci", args=[response.context["territory"].epci_id]) in html


def test_region_page_keeps_its_address_and_lists_its_departements_with_counts(client, catalogue):
    response = page(client, "region", "53")
    counts = {child.code: child.count for child in response.context["children"]}
    assert counts == {"22": 0, "29": 3, "35": 1, "56": 0}
    assert response.context["response"].count == 4


def test_region_departement_filter_redirects_to_the_departement_page(client):
    response = client.get(reverse("territories:region", args=["53"]), {"departement": "29"})
    assert response.status_code == 301 and response["Location"] == reverse("territories:departement", args=["29"])


def test_choropleth_values_are_rates_per_10000_inhabitants_or_raw_counts(client, catalogue):
    by_rate = {child.code: child for child in page(client, "region", "53").context["children"]}
    finistere = by_rate["29"]
    assert finistere.value == pytest.approx(3 * 10_000 / finistere.population)
    assert by_rate["22"].value is None or by_rate["22"].value == 0
    assert by_rate["22"].colour == "#ffffff" and finistere.colour != "#ffffff"
    raw = {child.code: child.value for child in page(client, "region", "53", mesure="nombre").context["children"]}
    assert raw["29"] == 3 and raw["35"] == 1


def test_choropleth_table_is_the_accessible_equivalent_of_the_map(client, catalogue):
    html = page(client, "region", "53").content.decode()
    assert '<table class="data-table" id="tableau-enfants">' in html
    assert "<caption" in html and 'class="choropleth-legend"' in html
    assert reverse("territories:departement", args=["29"]) in html


def test_departement_choropleth_counts_epci_and_communes(client, catalogue):
    epci = page(client, "departement", "29").context["children"]
    assert sum(child.count for child in epci) == 3
    communes = {
        child.code: child.count for child in page(client, "departement", "29", niveau="commune").context["children"]
    }
    assert communes[QUIMPER] == 2 and communes[BREST] == 1 and len(communes) > 250


def test_epci_population_in_a_departement_is_the_part_inside_it():
    rows = child_rows("departement", "29", "epci")
    assert sum(child.population for child in rows) == pytest.approx(
        sum(child.population for child in child_rows("departement", "29", "commune") if child.population), rel=0.01
    )


def test_children_shapes_are_geojson_keyed_by_code(client):
    response = client.get(reverse("territories:children", args=["region", "53", "departement"]))
    assert response["Content-Type"] == "application/geo+json"
    codes = {feature["properties"]["code"] for feature in json.loads(response.content)["features"]}
    assert codes == {"22", "29", "35", "56"}
    epci = json.loads(client.get(reverse("territories:children", args=["departement", "29", "epci"])).content)
    assert all(feature["geometry"]["type"] in ("Polygon", "MultiPolygon") for feature in epci["features"])
    assert client.get(reverse("territories:children", args=["commune", QUIMPER, "epci"])).status_code == 404


def test_finistere_touches_cotes_d_armor_and_morbihan_only():
    assert shapes.neighbour_codes("departement", "29") == ("22", "56")
    assert "35" in shapes.neighbour_codes("departement", "22")
    assert "29" not in shapes.neighbour_codes("departement", "35")


def test_neighbouring_communes_share_a_border():
    assert BREST not in shapes.neighbour_codes("commune", QUIMPER)
    assert "29051" in shapes.neighbour_codes("commune", QUIMPER)  # Ergué-Gabéric
    assert "53" in shapes.neighbour_codes("region", "52") and "84" not in shapes.neighbour_codes("region", "53")


def test_page_lists_neighbours_and_the_partners_active_there(client, catalogue):
    response = page(client, "departement", "29")
    assert [item.pk for item in response.context["neighbours"]] == ["22", "56"]
    organisations = response.context["organisations"]
    assert organisations[0]["name"] == "Collectif Bricol'Ouest" and organisations[0]["count"] == 2
    assert "Côtes-d&#x27;Armor" in response.content.decode()


def test_arrondissement_code_redirects_to_its_commune(client):
    response = client.get(reverse("territories:commune", args=["75112"]))
    assert response.status_code == 301 and response["Location"] == reverse("territories:commune", args=["75056"])


@pytest.mark.parametrize(
    ("level", "code"),
    [("region", "99"), ("departement", "20"), ("departement", "abc"), ("epci", "123"), ("commune", "99999")],
)
def test_unknown_codes_get_a_french_404(client, level, code):
    for name in (level, f"{level}_gaps"):
        response = client.get(reverse(f"territories:{name}", args=[code]))
        assert response.status_code == 404
        assert 'lang="fr"' in response.content.decode()


def test_unexpected_parameters_fall_back_to_defaults(client, catalogue):
    response = page(client, "departement", "29", page="x", mesure="<script>", niveau="region")
    assert response.context["choices"].page == 1
    assert response.context["choices"].measure == "taux" and response.context["child_level"].name == "epci"


def test_sitemap_lists_territories_where_initiatives_are(client, catalogue):
    xml = client.get("/sitemap-communes.xml").content.decode()
    assert (
        reverse("territories:commune", args=[QUIMPER]) in xml
        and reverse("territories:commune", args=["75056"]) not in xml
    )
    assert reverse("territories:departement", args=["2A"]) in client.get("/sitemap-departements.xml").content.decode()
