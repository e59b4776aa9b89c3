import pytest
from django.core.exceptions import ValidationError

from carrefour.catalog.validators import normalise_digits, validate_rna, validate_siret


@pytest.mark.parametrize("value", ["13003013300016", "35600000000048"])
def test_valid_sirets_are_accepted_including_la_poste(value):
    validate_siret(value)


@pytest.mark.parametrize("value", ["13003013300017", "35600000012345", "1300301330001", "ABCDEFGHIJKLMN"])
def test_invalid_sirets_are_refused(value):
    with pytest.raises(ValidationError, match="SIRET valide"):
        validate_siret(value)


def test_siret_typed_with_spaces_is_normalised_to_digits():
    assert normalise_digits("130 030 133 00016") == "13003013300016"


def test_rna_is_w_and_nine_digits():
    validate_rna("W751515517")
    for value in ("W12", "w751515517", "751515517", "W7515155170"):
        with pytest.raises(ValidationError, match="RNA valide"):
            validate_rna(value)
