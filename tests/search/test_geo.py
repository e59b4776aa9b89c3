"""Geography: exact radius and bounding-box filters, distances, the quadtree covering behind them."""

import random
from collections import Counter

import pytest

from carrefour import search
from carrefour.catalog.models import Location
from carrefour.search import geo
from carrefour.search.types import SearchRequest
from carrefour.territories.models import Commune
from tests.search.engine_corpus import commune_point

pytestmark = pytest.mark.django_db

BRITTANY = (-5.2, 47.2, -1.6, 48.95)  # west, south, east, north


def names(**options) -> set[str]:
    return {hit.name for hit in search.query(SearchRequest(page_size=100, facets=(), **options)).hits}


def test_a_radius_keeps_only_the_initiatives_within_it(corpus):
    quimper = commune_point("29232")
    assert names(near=quimper, radius_km=20) == {"Ressourcerie de Quimper", "Repair Café de Quimper"}
    brest_km = geo.haversine_km(*quimper, *commune_point("29019"))
    assert 50 < brest_km < 70
    assert len(names(near=quimper, radius_km=brest_km + 1)) == 4
    assert len(names(near=quimper, radius_km=brest_km - 1)) == 2


def test_hits_carry_their_distance_to_the_point(corpus):
    response = search.query(SearchRequest(near=commune_point("29232"), radius_km=100))
    by_name = {hit.name: hit.distance_km for hit in response.hits}
    assert by_name["Repair Café de Quimper"] == pytest.approx(0, abs=0.01)
    assert by_name["Épicerie solidaire du Bouguen"] == pytest.approx(
        geo.haversine_km(*commune_point("29232"), *commune_point("29019")), abs=0.01
    )


def test_a_bounding_box_keeps_the_initiatives_inside(corpus):
    assert names(bbox=BRITTANY) == {
        "Ressourcerie de Quimper",
        "Repair Café de Quimper",
        "Jardin partagé des Capucins",
        "Les Jardins Partagés du Moulin",
        "Épicerie solidaire du Bouguen",
    }


def test_text_filters_and_geography_combine(corpus):
    assert names(text="jardin", bbox=BRITTANY, filters={"departement": ("35",)}) == {"Jardin partagé des Capucins"}


def test_an_initiative_matches_when_any_of_its_locations_is_inside(corpus):
    sheet = corpus.sheets["Atelier vélo de Nantes"]
    lyon = Commune.objects.get(code="69123")
    Location.objects.create(initiative=sheet, commune=lyon, latitude=lyon.latitude, longitude=lyon.longitude)
    search.reindex()
    assert "Atelier vélo de Nantes" in names(near=commune_point("69123"), radius_km=5)
    response = search.query(SearchRequest(near=commune_point("69123"), radius_km=5))
    assert {hit.name: hit.distance_km for hit in response.hits}["Atelier vélo de Nantes"] < 0.01


def test_radius_counts_are_exact_in_the_facets(corpus):
    response = search.query(SearchRequest(near=commune_point("29232"), radius_km=20, facets=("departement",)))
    assert [(value.value, value.count) for value in response.facets["departement"]] == [("29", 2)]


class FakeDictionary:
    """A term dictionary over a list of points, as the index would hold it."""

    def __init__(self, points):
        self.frequencies = Counter(term for lat, lon in set(points) for term in geo.point_terms(lat, lon))
        self.terms = sorted(self.frequencies)

    def doc_freq(self, term):
        return self.frequencies[term]

    def with_prefix(self, prefix):
        return [term for term in self.terms if term.startswith(prefix)]


def covered(region, dictionary, points):
    terms = set(geo.covering_terms(region, dictionary))
    return {point for point in points if terms & set(geo.point_terms(*point))}


@pytest.mark.parametrize("radius_km", [0.5, 3, 12, 40, 150])
def test_the_circle_covering_is_exactly_the_haversine_test(radius_km):
    rng = random.Random(radius_km)
    center = (45.76, 4.83)
    spread = radius_km * 2.5 / 111
    points = [(round(center[0] + rng.uniform(-spread, spread), 5), round(center[1] + rng.uniform(-spread, spread), 5))]
    points += [
        (round(center[0] + rng.uniform(-spread, spread), 5), round(center[1] + rng.uniform(-spread, spread), 5))
        for _ in range(3000)
    ]
    circle = geo.Circle(*center, radius_km)
    expected = {point for point in points if geo.haversine_km(*center, *point) <= radius_km}
    assert expected and expected != set(points)
    assert covered(circle, FakeDictionary(points), points) == expected


def test_the_box_covering_is_exactly_the_inclusion_test():
    rng = random.Random(7)
    points = [(round(rng.uniform(46, 49), 5), round(rng.uniform(-2, 3), 5)) for _ in range(3000)]
    box = geo.Box(-1.234, 46.5, 2.345, 48.1)
    expected = {point for point in points if box.contains(*point)}
    assert covered(box, FakeDictionary(points), points) == expected


def test_cells_nest_and_contain_their_point():
    lat, lon = -20.94334, 55.44746  # La Réunion
    finest = geo.cell_of(lat, lon)
    south, west, north, east = finest.bounds
    assert south <= lat < north and west <= lon < east
    for level in range(geo.LEVELS):
        assert finest.digits.startswith(geo.cell_of(lat, lon, level).digits)
    terms = geo.point_terms(lat, lon)
    assert len(terms) == geo.LEVELS + 2 and terms[-1].endswith("@-20.94334,55.44746")
