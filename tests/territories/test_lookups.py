"""Gazetteer lookups: INSEE code, postal code, name, point → commune."""

import pytest

from carrefour.territories.lookups import (
    commune_at,
    commune_by_code,
    communes_by_name,
    communes_by_postal_code,
    is_valid_cog_code,
    normalise_postal_code,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("code", "name"), [("75056", "Paris"), ("2A004", "Ajaccio"), ("2a004", "Ajaccio")])
def test_commune_by_insee_code(code, name):
    assert commune_by_code(code).name == name


@pytest.mark.parametrize(("code", "commune"), [("75112", "75056"), ("13201", "13055"), ("69383", "69123")])
def test_arrondissement_insee_code_gives_its_commune(code, commune):
    assert commune_by_code(code).code == commune


@pytest.mark.parametrize("code", ["", "7505", "750560", "2C004", "ABCDE", "99999"])
def test_unknown_or_malformed_insee_code_gives_nothing(code):
    assert commune_by_code(code) is None


@pytest.mark.parametrize(("code", "valid"), [("75056", True), ("2A004", True), ("2B033", True), ("2a004", False)])
def test_cog_code_format(code, valid):
    assert is_valid_cog_code(code) is valid


@pytest.mark.parametrize(("code", "valid"), [("2C004", False), ("7505", False), ("750561", False), ("", False)])
def test_malformed_cog_codes_are_refused(code, valid):
    assert is_valid_cog_code(code) is valid


def test_postal_code_69001_is_lyon():
    assert [commune.code for commune in communes_by_postal_code("69001")] == ["69123"]


@pytest.mark.parametrize("value", ["4000", 4000, "4000.0", "04000", " 04000 "])
def test_postal_code_without_its_leading_zero_finds_the_communes_of_04000(value):
    communes = communes_by_postal_code(value)
    assert communes[0].name == "Digne-les-Bains"
    assert all(commune.departement_id == "04" for commune in communes)


@pytest.mark.parametrize(
    ("value", "expected"), [("29600.0", "29600"), ("75 001", "75001"), ("750", None), ("ABCDE", None), (None, None)]
)
def test_postal_code_normalisation(value, expected):
    assert normalise_postal_code(value) == expected


def test_postal_code_serving_several_communes_lists_them_by_population():
    populations = [commune.population for commune in communes_by_postal_code("29600")]
    assert len(populations) > 1
    assert populations == sorted(populations, reverse=True)


@pytest.mark.parametrize(
    "name", ["saint-etienne", "SAINT ETIENNE", "saint-étienne", "Saint-Étienne", " saint  etienne"]
)
def test_name_lookup_is_accent_and_case_insensitive(name):
    assert communes_by_name(name)[0].code == "42218"


def test_name_with_a_single_exact_match_still_lists_ranked_candidates():
    candidates = communes_by_name("saint-etienne")
    assert candidates[0].code == "42218"
    assert len(candidates) > 1
    assert all(candidate.search_name.startswith("saint etienne ") for candidate in candidates[1:])
    populations = [candidate.population for candidate in candidates[1:]]
    assert populations == sorted(populations, reverse=True)


@pytest.mark.parametrize(
    ("name", "codes"),
    [
        ("Saint-Denis", {"93066", "97411", "11339", "30247"}),
        ("sainte marie", {"08390", "15198", "25523", "32388", "35294", "58253", "65391", "97228", "97418"}),
    ],
)
def test_ambiguous_name_lists_every_homonym_with_its_departement(name, codes, django_assert_num_queries):
    with django_assert_num_queries(2):
        candidates = communes_by_name(name)[: len(codes)]
        departements = {candidate.departement.name for candidate in candidates}
    assert {candidate.code for candidate in candidates} == codes
    assert len(departements) == len(codes)
    populations = [candidate.population for candidate in candidates]
    assert populations == sorted(populations, reverse=True)


def test_name_lookup_can_be_restricted_to_a_departement():
    assert [commune.code for commune in communes_by_name("Saint-Denis", departement="93")][0] == "93066"
    assert all(commune.departement_id == "93" for commune in communes_by_name("Saint-Denis", departement="93"))


def test_name_without_its_article_finds_the_commune():
    assert communes_by_name("havre")[0].code == "76351"
    assert communes_by_name("le havre")[0].code == "76351"


def test_empty_name_finds_nothing():
    assert communes_by_name("  -' ") == []


@pytest.mark.parametrize(
    ("latitude", "longitude", "code"),
    [
        (44.8378, -0.5792, "33063"),  # Bordeaux, place de la Comédie
        (48.8566, 2.3522, "75056"),  # Paris, Hôtel de Ville
        (41.9192, 8.7386, "2A004"),  # Ajaccio
    ],
)
def test_point_gives_the_commune_that_contains_it(latitude, longitude, code):
    assert commune_at(latitude, longitude).code == code


@pytest.mark.parametrize(("latitude", "longitude"), [(45.5, -3.0), (43.0, 5.0), (51.5, -0.12)])
def test_point_at_sea_or_abroad_gives_no_commune(latitude, longitude):
    assert commune_at(latitude, longitude) is None
