"""Normalisation, blocking and scoring on made-up French sheets (no database)."""

from carrefour.dedup.blocking import candidate_pairs
from carrefour.dedup.candidates import prepare
from carrefour.dedup.features import Place, Sheet
from carrefour.dedup.normalise import fold_keeping_damage, normalise_address, normalise_name, repair, web_key
from carrefour.dedup.rules import REVIEW_THRESHOLD, auto_merge_rule
from carrefour.dedup.scoring import Prepared, compare
from carrefour.dedup.similarity import text_similarity

QUIMPER = ("29232", "Quimper")
BREST = ("29019", "Brest")


def sheet(pk, name, commune=QUIMPER, address="", lat=None, lon=None, website="", sources=(), siret="", precise=True):
    place = Place(commune[0], commune[1], address, lat, lon, precise)
    result = Sheet(pk, name, website, places=[place], sources=set(sources))
    if siret:
        result.sirets, result.sirens = {siret}, {siret[:9]}
    return result


def compared(a: Sheet, b: Sheet):
    return compare(Prepared(a), Prepared(b))


def test_names_fold_accents_case_punctuation_and_stop_words():
    name = normalise_name("L'Atelier  des Gônes — Café-Réparation")
    assert name.text == "atelier gones cafe reparation"
    assert "atelier" not in name.distinctive and "gones" in name.distinctive


def test_generic_names_have_no_distinctive_word():
    for generic in ("Bibliothèque", "Mairie", "France Services", "Maison France Services", "Espace Public Numérique"):
        assert normalise_name(generic).is_generic, generic
    assert not normalise_name("Médiathèque Lucie Aubrac").is_generic


def test_replacement_character_becomes_a_wildcard_that_matches_the_lost_letter():
    damaged = normalise_name("Biblioth\ufffdque Ren\ufffd Char")
    assert damaged.text == "biblioth*que ren* char"
    assert damaged.distinctive == ("ren*", "char")  # « biblioth*que » is still recognised as generic
    assert text_similarity(damaged.text, normalise_name("Bibliothèque René Char").text) == 1.0
    assert text_similarity(damaged.text, normalise_name("Bibliotheque Rene Char").text) == 1.0
    assert text_similarity(damaged.text, normalise_name("Bibliothèque Jean Moulin").text) < 0.8


def test_mojibake_is_repaired():
    assert repair("CafÃ© associatif") == "Café associatif"
    assert fold_keeping_damage("Ã‰picerie") == "epicerie"


def test_addresses_expand_abbreviations():
    assert normalise_address("12, av. de la Gare") == normalise_address("12 avenue de la gare")
    assert normalise_address("3 bd Jean Jaurès") == "3 boulevard jean jaures"


def test_web_key_ignores_www_social_networks_and_shared_hosts():
    assert web_key("https://www.repair-quimper.fr/") == web_key("http://repair-quimper.fr")
    assert web_key("https://www.facebook.com/repaircafe") is None
    assert web_key("https://linktr.ee/repaircafe") is None
    assert web_key("https://monasso.wordpress.com") is None or web_key("https://monasso.wordpress.com").host
    assert web_key("mailto:contact@exemple.fr") is None
    assert web_key("") is None


def test_same_commune_and_nearby_points_are_blocked_far_ones_are_not():
    sheets = {
        1: sheet(1, "Repair Café du Steir", lat=47.996, lon=-4.102),
        2: sheet(2, "Le Repair Café du Steir", commune=BREST, lat=47.997, lon=-4.101),  # ~130 m, other commune
        3: sheet(3, "Atelier vélo du Steir", commune=BREST, lat=48.39, lon=-4.49),
        4: sheet(4, "Jardin partagé de Kerfeunteun"),  # same commune as 1, no coordinates
    }
    pairs = candidate_pairs(prepare(sheets))
    assert (1, 2) in pairs and (1, 4) in pairs
    assert (1, 3) not in pairs  # 3 is 50 km away, only its commune (Brest) is shared with 2


def test_same_siret_or_website_block_across_communes():
    sheets = {
        1: sheet(1, "Recyclerie de l'Odet", siret="12345678900011"),
        2: sheet(2, "La Recyclerie de l'Odet", commune=BREST, siret="12345678900011"),
        3: sheet(3, "Épicerie solidaire", website="https://epicerie-odet.fr"),
        4: sheet(4, "Épicerie solidaire de l'Odet", commune=BREST, website="http://www.epicerie-odet.fr/"),
        5: sheet(5, "Café des habitants", commune=BREST, website="https://www.facebook.com/cafe"),
        6: sheet(6, "Café des habitants bis", commune=("29103", "Landerneau"), website="https://facebook.com/cafe"),
    }
    pairs = candidate_pairs(prepare(sheets))
    assert (1, 2) in pairs and (3, 4) in pairs
    assert (5, 6) not in pairs


def test_large_blocks_are_split_by_name_words():
    sheets = {pk: sheet(pk, f"Association numéro {pk} {'abcdefghij'[pk % 10]}x{pk}") for pk in range(1, 120)}
    sheets[500] = sheet(500, "Ressourcerie des Capucins")
    sheets[501] = sheet(501, "La Ressourcerie des Capucins")
    pairs = candidate_pairs(prepare(sheets))
    assert (500, 501) in pairs
    assert len(pairs) < 119 * 118 / 2 / 10  # far from every pair of the commune


def test_score_is_between_zero_and_one_with_french_reasons():
    a = sheet(1, "Repair Café du Steir", address="2 rue de la Paix", lat=47.9960, lon=-4.1020, sources={"a"})
    b = sheet(2, "Le Repair Cafe du Steir", address="2, r. de la Paix", lat=47.9962, lon=-4.1021, sources={"b"})
    result = compared(a, b)
    assert 0 <= result.score <= 1 and result.score >= 0.95
    assert "Même adresse" in result.reasons and any(r.startswith("Lieux à") for r in result.reasons)
    assert auto_merge_rule(result) == "distance_name"


def test_generic_names_never_match_on_name_alone():
    a = sheet(1, "Bibliothèque", address="place de l'église", sources={"a"})
    b = sheet(2, "Bibliothèque", address="12 rue des écoles", sources={"b"})
    result = compared(a, b)
    assert result.generic_name and result.score < REVIEW_THRESHOLD
    assert auto_merge_rule(result) is None


def test_generic_names_at_the_same_address_go_to_moderators_not_automatic_merge():
    a = sheet(1, "France Services", address="1 place de la Mairie", lat=47.9960, lon=-4.1020, sources={"a"})
    b = sheet(2, "France services Quimper", address="1 pl. de la mairie", lat=47.9961, lon=-4.1020, sources={"b"})
    result = compared(a, b)
    assert result.score >= REVIEW_THRESHOLD
    assert auto_merge_rule(result) is None


def test_damaged_name_scores_like_the_clean_one():
    clean = compared(
        sheet(1, "Médiathèque René Char", address="4 rue Haute", sources={"a"}),
        sheet(2, "Médiathèque René Char", address="4 rue haute", sources={"b"}),
    )
    damaged = compared(
        sheet(1, "M\ufffddiath\ufffdque Ren\ufffd Char", address="4 rue Haute", sources={"a"}),
        sheet(2, "Médiathèque René Char", address="4 rue haute", sources={"b"}),
    )
    assert damaged.name == clean.name == 1.0
    assert damaged.score == clean.score


def test_one_organisation_with_two_sites_is_not_merged():
    a = sheet(1, "Initiative Cornouaille", address="3 rue Kéréon", lat=47.996, lon=-4.102, siret="12345678900011")
    b = sheet(2, "Initiative Cornouaille", commune=BREST, address="8 rue de Siam", lat=48.39, lon=-4.49)
    b.sirets, b.sirens = {"12345678900011"}, {"123456789"}
    result = compared(a, b)
    assert auto_merge_rule(result) is None
    assert (
        result.score
        < compared(a, sheet(3, "Initiative Cornouaille", address="3 rue Kereon", lat=47.996, lon=-4.102)).score
    )


def test_two_records_of_one_source_are_never_merged_automatically():
    a = sheet(1, "Repair Café du Steir", address="2 rue de la Paix", lat=47.9960, lon=-4.1020, sources={"x"})
    b = sheet(2, "Repair Café du Steir", address="2 rue de la Paix", lat=47.9960, lon=-4.1020, sources={"x"})
    result = compared(a, b)
    assert result.shared_source and auto_merge_rule(result) is None


def test_commune_centre_points_do_not_count_as_nearby():
    a = sheet(1, "Le Bercail", lat=47.99, lon=-4.10, precise=False)
    b = sheet(2, "Café des habitants", lat=47.99, lon=-4.10, precise=False)
    result = compared(a, b)
    assert result.distance is None and result.score < REVIEW_THRESHOLD
