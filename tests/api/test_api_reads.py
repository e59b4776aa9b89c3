"""Read endpoints of /api/v1/: shapes, public fields only, filters, cursor pagination, ETags and 304."""

import json

import pytest
from django.urls import reverse

from carrefour.catalog.models import Initiative, Term, Vocabulary
from tests import factories

pytestmark = pytest.mark.django_db
SECRET_EMAILS = ("secret.porteuse@exemple.fr", "cachee@association.fr")
INITIATIVE_KEYS = {
    "id", "slug", "url", "api_url", "name", "summary", "description", "themes", "publics", "place_types",
    "innovation_forms", "stage", "scale", "start_year", "website", "links", "locations", "organisations", "sources",
    "record_licence", "created_at", "updated_at", "published_at", "last_confirmed_at", "version",
}  # fmt: skip


@pytest.fixture
def catalogue():
    source = factories.make_api_source(attribution="Réseau des tiers-lieux, 2025")
    sourced = factories.make_sourced_initiative(source, contact_email=SECRET_EMAILS[0], start_year=2019)
    quimper = factories.make_initiative("Repair Café de Quimper", contact_email=SECRET_EMAILS[1])
    paris = factories.make_initiative("Ressourcerie du 11e", commune_code="75056")
    draft = factories.make_initiative("Brouillon secret", status=Initiative.Status.DRAFT)
    return {"source": source, "sourced": sourced, "quimper": quimper, "paris": paris, "draft": draft}


def get(client, url, params=None, **headers):
    return client.get(url, params or {}, headers=headers)


def test_initiative_list_gives_published_records_with_licence_and_attribution(client, catalogue):
    response = get(client, "/api/v1/initiatives")
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 3
    assert {item["name"] for item in data["results"]} == {"Tiers-lieu de la Gare", "Repair Café de Quimper",
                                                          "Ressourcerie du 11e"}  # fmt: skip
    assert data["licence"] == "etalab-2.0"
    assert data["attribution"].startswith("Carrefour des innovations sociales")
    assert data["next"] is None
    for item in data["results"]:
        assert set(item) == INITIATIVE_KEYS


def test_initiative_detail_has_the_full_public_sheet(client, catalogue):
    sourced = catalogue["sourced"]
    response = get(client, f"/api/v1/initiatives/{sourced.pk}")
    assert response.status_code == 200
    data = response.json()
    assert data["name"] == "Tiers-lieu de la Gare" and data["start_year"] == 2019
    assert data["description"]["markdown"].startswith("## Ce que nous faisons")
    assert "<strong>bénévoles</strong>" in data["description"]["html"]
    assert "<h4>" in data["description"]["html"]  # headings shifted by the one sanitiser
    theme = sourced.themes.get()
    assert data["themes"] == [{"code": theme.code, "label": theme.label, "parent": None}]
    location = data["locations"][0]
    assert location["commune"] == {"code": "29232", "name": "Quimper"}
    assert location["departement"]["code"] == "29" and location["region"]["code"] == "53"
    assert location["postal_code"] == "29000" and location["address"] == "2 rue de la Paix"
    assert data["organisations"][0]["role"] == "porteur"
    assert data["sources"] == [
        {
            "slug": "reseau-tiers-lieux",
            "name": "Réseau des tiers-lieux",
            "licence": "etalab-2.0",
            "attribution": "Réseau des tiers-lieux, 2025",
            "source_id": "TL-001",
            "source_url": "https://tiers-lieux.example.fr/lieux/TL-001",
            "source_updated_at": None,
        }
    ]
    assert data["version"] == sourced.version
    assert data["licence"] == "etalab-2.0"


def test_initiative_detail_answers_by_slug_too(client, catalogue):
    paris = catalogue["paris"]
    assert get(client, f"/api/v1/initiatives/{paris.slug}").json()["id"] == paris.pk


def test_drafts_do_not_exist_for_the_api(client, catalogue):
    response = get(client, f"/api/v1/initiatives/{catalogue['draft'].pk}")
    assert response.status_code == 404
    assert response.json()["error"] == "Aucune ressource publique à cette adresse."
    assert catalogue["draft"].name not in response.content.decode()


def test_no_personal_field_anywhere_in_the_api(client, catalogue):
    organisation = catalogue["quimper"].stakeholders.get().organisation
    urls = [
        "/api/v1/initiatives",
        *(f"/api/v1/initiatives/{catalogue[key].pk}" for key in ("sourced", "quimper", "paris")),
        "/api/v1/organisations",
        f"/api/v1/organisations/{organisation.pk}",
        "/api/v1/sources",
        "/api/v1/sources/reseau-tiers-lieux",
        "/api/v1/territories/communes/29232",
    ]
    for url in urls:
        text = get(client, url).content.decode()
        assert "contact_email" not in text, url
        for email in SECRET_EMAILS:
            assert email not in text, url


def test_filters_have_the_search_names_and_meaning(client, catalogue):
    region = get(client, "/api/v1/initiatives", {"region": "53"}).json()
    assert {item["name"] for item in region["results"]} == {"Tiers-lieu de la Gare", "Repair Café de Quimper"}
    commune = get(client, "/api/v1/initiatives", {"commune": ["75056", "29232"]}).json()
    assert commune["count"] == 3  # several values of one filter: either
    both = get(client, "/api/v1/initiatives", {"commune": "75056", "departement": "29"}).json()
    assert both["count"] == 0  # different filters: all
    source = get(client, "/api/v1/initiatives", {"source": "reseau-tiers-lieux"}).json()
    assert [item["name"] for item in source["results"]] == ["Tiers-lieu de la Gare"]


def test_theme_filter_covers_sub_themes_like_the_search_facet(client, catalogue):
    child = Term.objects.filter(vocabulary=Vocabulary.THEME, parent__isnull=False).select_related("parent").first()
    catalogue["paris"].themes.set([child])
    data = get(client, "/api/v1/initiatives", {"theme": child.parent.code}).json()
    assert "Ressourcerie du 11e" in {item["name"] for item in data["results"]}
    data = get(client, "/api/v1/initiatives", {"subtheme": child.code}).json()
    assert [item["name"] for item in data["results"]] == ["Ressourcerie du 11e"]


@pytest.mark.parametrize(
    ("params", "param"),
    [
        ({"theme": "pas une valeur!"}, "theme"),
        ({"sort": "nom"}, "sort"),
        ({"updated_since": "hier"}, "updated_since"),
        ({"page_size": "101"}, "page_size"),
        ({"page_size": "0"}, "page_size"),
        ({"cursor": "falsifié"}, "cursor"),
        ({"commune": [f"{n:05d}" for n in range(21)]}, "filters"),
    ],
)
def test_bad_parameters_get_a_french_400_naming_the_parameter(client, catalogue, params, param):
    response = get(client, "/api/v1/initiatives", params)
    assert response.status_code == 400
    data = response.json()
    assert param in {error["param"] for error in data["errors"]}
    assert data["error"]


def test_cursor_pages_are_stable_when_rows_are_inserted_between_pages(client, catalogue):
    for index in range(4):
        factories.make_initiative(f"Jardin partagé numéro {index}", commune_code="35238")
    first = get(client, "/api/v1/initiatives", {"page_size": 3}).json()
    assert len(first["results"]) == 3 and first["count"] == 7
    seen = [item["id"] for item in first["results"]]
    # Inserted meanwhile: one record that sorts after the cursor.
    late = factories.make_initiative("Épicerie arrivée entre deux pages")
    link = first["next"]
    while link:
        page = client.get(link).json()
        seen += [item["id"] for item in page["results"]]
        link = page["next"]
    assert len(seen) == len(set(seen)), "a record was served twice"
    expected = sorted(Initiative.published.values_list("pk", flat=True))
    assert seen == expected and late.pk in seen


def test_cursor_by_update_date_serves_each_record_once(client, catalogue):
    seen, link = [], "/api/v1/initiatives?sort=updated_at&page_size=1"
    while link:
        page = client.get(link).json()
        seen += [item["id"] for item in page["results"]]
        link = page["next"]
    assert sorted(seen) == sorted(Initiative.published.values_list("pk", flat=True))
    assert len(seen) == 3


def test_a_cursor_given_for_another_sort_is_refused(client, catalogue):
    first = get(client, "/api/v1/initiatives", {"page_size": 1}).json()
    cursor = first["next"].split("cursor=")[1].split("&")[0]
    response = client.get(f"/api/v1/initiatives?sort=updated_at&page_size=1&cursor={cursor}")
    assert response.status_code == 400


def test_detail_etag_gives_304_and_changes_with_the_record(client, catalogue):
    url = f"/api/v1/initiatives/{catalogue['quimper'].pk}"
    first = get(client, url)
    etag = first["ETag"]
    assert etag.startswith(f'"{catalogue["quimper"].version}-')
    assert "max-age" in first["Cache-Control"]
    again = get(client, url, If_None_Match=etag)
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    initiative = catalogue["quimper"]
    initiative.summary = "Un nouveau résumé de l'atelier de réparation, plus précis."
    initiative.save()
    changed = get(client, url, If_None_Match=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_list_etag_is_weak_and_gives_304(client, catalogue):
    first = get(client, "/api/v1/initiatives")
    assert first["ETag"].startswith('W/"')
    assert get(client, "/api/v1/initiatives", If_None_Match=first["ETag"]).status_code == 304
    factories.make_initiative("Nouvelle fiche publiée")
    assert get(client, "/api/v1/initiatives", If_None_Match=first["ETag"]).status_code == 200


def test_organisations_are_public_only_through_a_published_initiative(client, catalogue):
    lonely = factories.make_organisation("Association sans fiche publique")
    data = get(client, "/api/v1/organisations").json()
    names = {item["name"] for item in data["results"]}
    assert "Association Repair Café de Quimper" in names and lonely.name not in names
    assert get(client, f"/api/v1/organisations/{lonely.pk}").status_code == 404
    carrier = catalogue["quimper"].stakeholders.get().organisation
    detail = get(client, f"/api/v1/organisations/{carrier.slug}").json()
    assert detail["initiatives"][0]["id"] == catalogue["quimper"].pk
    assert detail["initiatives"][0]["role"] == "porteur"


def test_sources_show_licence_attribution_and_counts_but_never_their_configuration(client, catalogue):
    catalogue["source"].config = {"connector": {"url": "https://secret.example.fr/flux?cle=abc"}}
    catalogue["source"].save()
    data = get(client, "/api/v1/sources/reseau-tiers-lieux").json()
    assert data["initiatives_count"] == 1
    assert data["data_licence"] == "etalab-2.0" and data["data_attribution"] == "Réseau des tiers-lieux, 2025"
    assert data["licence"] == "etalab-2.0" and data["attribution"].startswith("Carrefour")
    assert "secret.example.fr" not in json.dumps(data) and "config" not in data
    assert get(client, "/api/v1/sources/inconnue").status_code == 404


def test_territory_details_count_published_initiatives(client, catalogue):
    region = get(client, "/api/v1/territories/regions/53").json()
    assert region["name"] == "Bretagne"
    assert region["counts"]["initiatives"] == 2
    assert sum(theme["count"] for theme in region["counts"]["by_theme"]) == 2
    commune = get(client, "/api/v1/territories/communes/29232").json()
    assert commune["departement"]["code"] == "29" and "29000" in commune["postal_codes"]
    assert commune["counts"]["initiatives"] == 2
    assert get(client, "/api/v1/territories/departements/99").status_code == 404


def test_territory_lists_page_and_filter(client):
    data = get(client, "/api/v1/territories/departements", {"region": "53"}).json()
    assert {item["code"] for item in data["results"]} == {"22", "29", "35", "56"}
    communes = get(client, "/api/v1/territories/communes", {"page_size": 100}).json()
    assert len(communes["results"]) == 100 and communes["next"] and communes["count"] > 30000
    assert get(client, "/api/v1/territories/epci", {"page_size": 2}).json()["results"]
    assert len(get(client, "/api/v1/territories/regions").json()["results"]) == 18


def test_taxonomy_lists_vocabularies_terms_and_crosswalks(client):
    data = get(client, "/api/v1/taxonomy").json()
    vocabularies = {vocabulary["code"]: vocabulary for vocabulary in data["vocabularies"]}
    assert set(vocabularies) == set(Vocabulary.values)
    themes = vocabularies["theme"]["terms"]
    assert len(themes) == Term.objects.filter(vocabulary="theme").count()
    assert {"code", "label", "parent", "crosswalks"} <= set(themes[0])
    only = get(client, "/api/v1/taxonomy", {"vocabulary": "public"}).json()
    assert [vocabulary["code"] for vocabulary in only["vocabularies"]] == ["public"]
    assert get(client, "/api/v1/taxonomy", {"vocabulary": "rien"}).status_code == 400


def test_reads_refuse_other_methods_with_a_french_405(client, catalogue):
    response = client.delete(f"/api/v1/initiatives/{catalogue['paris'].pk}")
    assert response.status_code == 405
    assert "Méthode non autorisée" in response.json()["error"]
    assert client.post("/api/v1/organisations").status_code in (403, 405)


def test_an_unknown_api_address_answers_json_404(client):
    response = client.get("/api/v1/nimporte-quoi")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_renamed_initiative_old_slug_redirects(client, catalogue):
    from carrefour.catalog.actions import rename

    old_slug = catalogue["paris"].slug
    rename(catalogue["paris"], "Ressourcerie solidaire du 11e")
    response = client.get(f"/api/v1/initiatives/{old_slug}")
    assert response.status_code == 301
    assert response["Location"] == reverse("api:initiative", kwargs={"key": str(catalogue["paris"].pk)})
