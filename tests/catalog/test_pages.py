import json
import re
from urllib.parse import urlparse

import pytest
from django.urls import reverse

from carrefour.catalog import actions
from carrefour.catalog.models import Initiative
from tests.factories import make_initiative, make_organisation

pytestmark = pytest.mark.django_db


def local(url: str) -> str:
    parts = urlparse(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def jsonld_of(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match, "no JSON-LD block"
    return json.loads(match.group(1))


def test_published_initiative_page_shows_its_sheet(client):
    initiative = make_initiative()
    response = client.get(initiative.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Repair Café de Quimper</h1>" in html
    assert "<strong>bénévoles</strong>" in html
    assert 'id="porteurs"' in html
    assert 'lang="fr"' in html


def test_initiative_jsonld_carries_name_description_url_address_and_geo(client):
    initiative = make_initiative()
    data = jsonld_of(client.get(initiative.get_absolute_url()).content.decode())
    assert data["@type"] == "Project"
    assert data["name"] == initiative.name
    assert data["description"] == initiative.summary
    assert data["url"].endswith(f"/initiatives/{initiative.slug}/")
    assert data["address"]["addressLocality"] == "Quimper"
    assert data["address"]["addressCountry"] == "FR"
    assert data["geo"]["@type"] == "GeoCoordinates"
    assert data["parentOrganization"]["name"].startswith("Association")


def test_contact_email_never_appears_on_the_page(client):
    initiative = make_initiative(contact_email="porteuse.privee@example.org")
    html = client.get(initiative.get_absolute_url()).content.decode()
    assert "porteuse.privee" not in html


def test_script_in_description_is_neutralised(client):
    initiative = make_initiative(description="Bonjour <script>alert(1)</script> [lien](javascript:alert(2))")
    html = client.get(initiative.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html
    assert "javascript:alert" not in html


def test_name_with_script_cannot_break_out_of_jsonld(client):
    initiative = make_initiative(name="Café </script><script>alert(1)</script>")
    html = client.get(initiative.get_absolute_url()).content.decode()
    assert "</script><script>alert(1)" not in html
    assert jsonld_of(html)["name"] == initiative.name


def test_unknown_slug_gives_the_french_404_page(client):
    response = client.get("/initiatives/nexiste-pas/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_draft_initiative_is_not_public(client):
    initiative = make_initiative(status=Initiative.Status.DRAFT)
    assert client.get(initiative.get_absolute_url()).status_code == 404


def test_renamed_initiative_keeps_its_old_address_as_a_redirect(client):
    initiative = make_initiative()
    old_url = initiative.get_absolute_url()
    actions.rename(initiative, "Repair Café du Pays de Quimper")
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == "/initiatives/repair-cafe-du-pays-de-quimper/"
    assert client.get(response["Location"]).status_code == 200


def test_slugs_stay_unique_and_never_reuse_an_old_address():
    first = make_initiative()
    old_slug = first.slug
    actions.rename(first, "Autre nom")
    second = make_initiative()
    assert second.slug != old_slug
    assert second.slug != first.slug


def test_organisation_page_lists_its_initiatives(client):
    organisation = make_organisation("Collectif Bricol'Ouest")
    make_initiative("Repair Café de Brest", commune_code="29019", organisation=organisation)
    make_initiative("Repair Café de Morlaix", commune_code="29151", organisation=organisation)
    html = client.get(organisation.get_absolute_url()).content.decode()
    assert "Collectif Bricol&#x27;Ouest" in html
    assert "Repair Café de Brest" in html and "Repair Café de Morlaix" in html


def test_theme_and_region_pages_list_published_initiatives(client):
    from carrefour.search.indexer import apply_outbox

    initiative = make_initiative()
    apply_outbox()  # the région page lists through the search engine
    theme = initiative.themes.first()
    assert initiative.name in client.get(reverse("catalog:theme", args=[theme.slug])).content.decode()
    region_page = client.get(reverse("territories:region", args=["53"])).content.decode()
    assert f'href="{initiative.get_absolute_url()}"' in region_page
    assert "Bretagne" in region_page


def test_home_shows_live_counts_and_entry_points(client):
    make_initiative()
    html = client.get("/").content.decode()
    assert "1</strong> initiative publiée" in html
    assert reverse("territories:region", args=["53"]) in html
    assert "/thematiques/" in html


def test_every_sitemap_url_answers_200_in_french(client):
    initiative = make_initiative()
    organisation = initiative.stakeholders.first().organisation
    make_initiative("Brouillon secret", status=Initiative.Status.DRAFT)
    index = client.get("/sitemap.xml").content.decode()
    urls = []
    for section in re.findall(r"<loc>(.*?)</loc>", index):
        response = client.get(local(section))
        assert response.status_code == 200, section
        urls += re.findall(r"<loc>(.*?)</loc>", response.content.decode())
    assert any(initiative.slug in url for url in urls)
    assert any(organisation.slug in url for url in urls)
    assert not any("brouillon-secret" in url for url in urls)
    for url in urls:
        response = client.get(local(url))
        assert response.status_code == 200, url
        assert 'lang="fr"' in response.content.decode()


def test_departement_outlines_are_served_as_geojson(client):
    response = client.get(reverse("territories:departement_outlines"))
    assert response["Content-Type"] == "application/geo+json"
    data = json.loads(response.content)
    assert len(data["features"]) == 101
