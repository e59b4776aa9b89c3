"""Cleaning, validation, expressions and location resolution (R-DATA-02..07)."""

import pytest

from carrefour.sources import cleaning, expressions
from carrefour.sources.connectors import RawRow
from carrefour.sources.locations import Gazetteer
from carrefour.sources.mapping import Mapper


@pytest.mark.parametrize("value", ["null", "NR ", "default", "-", "n/a", "", None, "hidden"])
def test_placeholders_are_empty(value):
    assert cleaning.is_empty(value)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("01 23 45 67 89", "+33123456789"), ("+590590123456", "+590590123456"), ("468747330", "+33468747330"),
     ("04.68 .46.31.19", "+33468463119"), ("0590 12 34 56", "+590590123456")],
)  # fmt: skip
def test_phones_become_e164(raw, expected):
    assert cleaning.phone(raw) == (expected, None)


def test_invalid_phone_is_reported():
    value, problem = cleaning.phone("12")
    assert value is None and problem[0] == "phone"


def test_urls_are_normalised_and_mailto_separated():
    assert cleaning.web_address("www.Centretarn.fr") == ("https://www.centretarn.fr", None, None)
    assert cleaning.web_address("http://www.grandcahors.fr mailto:accueil@grandcahors.fr") == (
        "http://www.grandcahors.fr", "accueil@grandcahors.fr", None)  # fmt: skip
    assert cleaning.web_address("pas une adresse")[2][0] == "url"


def test_siret_and_rna():
    assert cleaning.siret_or_siren("130 030 133 00016") == ("13003013300016", None)
    assert cleaning.siret_or_siren("00000000000000") == (None, None)
    assert cleaning.siret_or_siren("CAMARET-SUR-AIGUES")[1][0] == "siret"
    assert cleaning.rna("w751515517") == ("W751515517", None)
    assert cleaning.rna("W12")[1][0] == "rna"


def test_numbers_dates_and_booleans():
    assert cleaning.text(29600.0) == "29600" and cleaning.text("29600.0") == "29600"
    assert cleaning.number("45,75") == (45.75, None)
    assert cleaning.boolean("Oui") == (True, None) and cleaning.boolean("non") == (False, None)
    assert cleaning.date("01/12/2022") == ("2022-12-01", None)
    assert cleaning.date("1970-01-01")[1][0] == "date_placeholder"


def test_personal_and_service_mailboxes():
    assert not cleaning.is_personal_email("contact@woomeet.com")
    assert not cleaning.is_personal_email("saint-trivier-de-courtes@france-services.gouv.fr")
    assert cleaning.is_personal_email("jeanne.martin@mairie.fr")
    assert cleaning.is_personal_email("chv.moissons@gmail.com")
    assert cleaning.is_personal_email("efourcaud@woomeet.com", person="Eric Fourcaud")


def test_expressions_concatenate_split_and_pick():
    values = {"adresse": "2 rue de la Paix", "cp": "29000", "services": "A; B ;C"}
    assert expressions.evaluate("{adresse} {cp}", values) == "2 rue de la Paix 29000"
    assert expressions.evaluate("{services|split:;|first}", values) == "A"
    assert expressions.evaluate("{services|split:;}", values) == ["A", "B", "C"]
    with pytest.raises(expressions.ExpressionError):
        expressions.check("{adresse|__import__}")


@pytest.fixture(scope="module")
def gazetteer(django_db_blocker):
    with django_db_blocker.unblock():
        gazetteer = Gazetteer()
        gazetteer.by_name.items(), gazetteer.by_postal.items(), gazetteer.departements  # read now: no DB later
        return gazetteer


def test_location_by_insee_code_and_arrondissement(gazetteer):
    assert gazetteer.resolve(insee="29232").commune_code == "29232"
    assert gazetteer.resolve(insee="69388", postal="69008").commune_code == "69123"


def test_postal_code_that_lost_its_zero_is_repaired_only_when_the_commune_confirms(gazetteer):
    place = gazetteer.resolve(postal="4000", name="DIGNE-LES-BAINS")
    assert place.commune_code == "04070" and place.postal_code == "04000"
    unconfirmed = gazetteer.resolve(postal="4000")
    assert unconfirmed.commune_code is None
    assert "postal_code_unconfirmed" in [problem[2] for problem in unconfirmed.problems]


def test_damaged_accents_still_match_a_commune(gazetteer):
    assert gazetteer.resolve(name="SAINT-R\ufffdMY-DE-PROVENCE", departement="13").commune_code == "13100"


@pytest.mark.django_db
def test_name_and_departement_then_coordinates(gazetteer):
    assert gazetteer.resolve(name="Saint-Denis", departement="93").commune_code == "93066"
    assert gazetteer.resolve(latitude=47.996, longitude=-4.102).commune_code == "29232"


def test_swapped_coordinates_are_flagged_not_fixed(gazetteer):
    place = gazetteer.resolve(insee="75056", latitude=2.35, longitude=48.85)
    assert place.swapped and (place.latitude, place.longitude) == (2.35, 48.85)
    assert gazetteer.resolve(insee="75056", latitude=48.85, longitude=2.35).swapped is False


def test_zero_coordinates_are_rejected(gazetteer):
    place = gazetteer.resolve(insee="75056", latitude=0.0, longitude=0.0)
    assert place.latitude is None and "coordinates_zero" in [problem[2] for problem in place.problems]


@pytest.mark.django_db
def test_name_rules_of_r_data_02(gazetteer):
    mapper = Mapper({"fields": {"name": "nom"}}, gazetteer)
    assert mapper.map(RawRow(2, {"nom": "Repair Café."})).fields["name"] == "Repair Café"
    assert [issue.rule for issue in mapper.map(RawRow(3, {"nom": "AB"})).issues if issue.severity == "error"] == [
        "name_length"
    ]
    assert mapper.map(RawRow(4, {"nom": "x" * 151})).rejected
    assert not mapper.map(RawRow(5, {"nom": "x" * 150})).rejected


@pytest.mark.django_db
def test_a_fresh_gazetteer_reading_key_by_key_answers_like_the_fully_loaded_one(gazetteer, monkeypatch):
    from carrefour.sources.locations import Index

    monkeypatch.setattr(Index, "FULL_AFTER", 2)  # the third postal code read switches to the full index
    fresh = Gazetteer()
    queries = [dict(postal="4000", name="DIGNE-LES-BAINS"), dict(postal="29000"), dict(postal="69008", name="Lyon"),
               dict(name="Saint-Denis", departement="93"), dict(postal="13100", name="Aix-en-Provence")]  # fmt: skip
    for query in queries:
        assert fresh.resolve(**query).commune_code == gazetteer.resolve(**query).commune_code, query
    assert fresh.by_postal.complete and not fresh.by_name.complete
