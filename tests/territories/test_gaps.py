"""Gap analysis (« zones blanches ») on constructed fixtures whose answer is known (see territories/GAPS.md)."""

from collections import Counter

import pytest
from django.urls import reverse
from django.utils import timezone

from carrefour.catalog.models import Vocabulary
from carrefour.search import apply_outbox
from carrefour.territories import gaps
from carrefour.territories.gaps import Profile, find_gaps
from carrefour.territories.models import Departement
from tests.factories import make_initiative, term

POPULATION = 100_000


def made_up(code: str, types: dict[str, int], themes: dict[str, int] | None = None, population: int = POPULATION):
    counts = {"type": Counter(types), "theme": Counter(themes or {})}
    return Profile(code, population, max(sum(types.values()), 1), counts)


def test_a_kind_every_comparable_has_and_the_target_lacks_is_a_gap():
    peers = [made_up(code, {"ressourcerie": 2, "tiers-lieu": 3}) for code in "ABCDE"]
    target = made_up("T", {"tiers-lieu": 3})
    found = {(gap.facet, gap.value): gap for gap in find_gaps(target, peers)}
    assert set(found) == {("type", "ressourcerie")}
    gap = found["type", "ressourcerie"]
    assert gap.absent and gap.present_in == 5 and gap.compared == 5
    assert gap.median_rate == pytest.approx(2 * 10_000 / POPULATION)


def test_a_kind_present_everywhere_including_the_target_is_not_a_gap():
    peers = [made_up(code, {"tiers-lieu": 3}) for code in "ABCDE"]
    assert find_gaps(made_up("T", {"tiers-lieu": 2}), peers) == []


def test_a_kind_rare_everywhere_is_not_a_gap():
    peers = [made_up("A", {"ressourcerie": 1, "tiers-lieu": 1})] + [made_up(c, {"tiers-lieu": 2}) for c in "BCDE"]
    assert find_gaps(made_up("T", {"tiers-lieu": 2}), peers) == []


def test_a_kind_far_rarer_here_than_in_the_comparables_is_a_rare_gap():
    peers = [made_up(code, {"tiers-lieu": 1}, {"alimentation": 20}) for code in "ABCD"]
    target = made_up("T", {"tiers-lieu": 1}, {"alimentation": 2}, population=200_000)
    (gap,) = find_gaps(target, peers)
    assert (gap.facet, gap.value, gap.absent, gap.here_count) == ("theme", "alimentation", False, 2)
    assert gap.here_rate == pytest.approx(0.1) and gap.median_rate == pytest.approx(2.0)


def test_rates_not_raw_counts_are_compared():
    peers = [made_up(code, {"tiers-lieu": 1, "ressourcerie": 1}) for code in "ABCD"]
    big = made_up("T", {"tiers-lieu": 10, "ressourcerie": 1}, population=1_000_000)  # 0.01 vs 0.1 per 10,000
    assert [gap.value for gap in find_gaps(big, peers)] == ["ressourcerie"]


def test_uncovered_comparables_are_ignored_and_too_few_claim_nothing():
    covered = [made_up(code, {"ressourcerie": 2}) for code in "AB"]
    empty = [Profile(code, POPULATION, 0, {}) for code in "CDEF"]
    assert find_gaps(made_up("T", {"tiers-lieu": 1}), covered + empty) == []


@pytest.mark.django_db
def test_gap_analysis_against_the_neighbours_through_the_search_engine(client):
    common, ressourcerie = term(Vocabulary.PLACE_TYPE, 0), term(Vocabulary.PLACE_TYPE, 1)
    rare = term(Vocabulary.PLACE_TYPE, 2)
    # Ille-et-Vilaine's neighbours: 22, 44, 49, 50, 53, 56. Five of them are described in the catalogue.
    communes = {"22": "22278", "49": "49007", "44": "44109", "56": "56260", "53": "53130"}
    for departement, commune in communes.items():
        make_initiative(f"Atelier commun {departement}", commune)
        proven = make_initiative(
            f"Ressourcerie {departement}",
            commune,
            website="https://ressourcerie.example.org",
            last_confirmed_at=timezone.now(),
        )
        proven.place_types.set([ressourcerie])
    make_initiative("Atelier commun de Rennes", "35238")
    make_initiative("Curiosité de Nantes", "44109").place_types.set([rare])
    apply_outbox()

    analysis = gaps.analyse("departement", Departement.objects.get(pk="35"), "voisins")
    assert analysis.enough and sorted(peer.code for peer in analysis.peers) == sorted(communes)
    type_gaps = [gap for gap in analysis.gaps if gap.facet == "type"]
    assert [gap.value for gap in type_gaps] == [ressourcerie.code]
    assert common.code not in [gap.value for gap in analysis.gaps]
    examples = type_gaps[0].examples
    assert len(examples) == gaps.EXAMPLES and all(example["name"].startswith("Ressourcerie") for example in examples)
    # the « Je veux essaimer » link of each example
    assert all(example["replication_url"].endswith("/essaimer/") for example in examples)

    html = client.get(reverse("territories:departement_gaps", args=["35"]), {"comparer": "voisins"}).content.decode()
    assert ressourcerie.label in html and examples[0]["url"] in html


@pytest.mark.django_db
def test_comparable_departements_share_the_rural_or_urban_character():
    for commune in ("93066", "94028", "48095", "69123", "92012"):
        make_initiative(f"Initiative {commune}", commune)
    apply_outbox()
    ranked = gaps.comparable_codes("departement", Departement.objects.get(pk="92"), "similaires")
    assert ranked.index("93") < ranked.index("48") and ranked.index("94") < ranked.index("48")
    assert "92" not in ranked


@pytest.mark.django_db
def test_gap_page_says_when_there_are_too_few_comparables(client):
    response = client.get(reverse("territories:commune_gaps", args=["29232"]))
    assert response.status_code == 200
    assert "Pas assez de territoires comparables" in response.content.decode()
