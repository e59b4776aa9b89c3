"""Validators for French identifiers and coordinates, with messages in French."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import siren, siret

RNA_PATTERN = re.compile(r"^W\d{9}$")
RNA_MESSAGE = _("« %(value)s » n'est pas un numéro RNA valide : il s'écrit W suivi de 9 chiffres (W751515517).")


def normalise_digits(value: str) -> str:
    return re.sub(r"[\s.\-]", "", value or "")


SIREN_MESSAGE = _("« %(value)s » n'est pas un numéro SIREN valide (9 chiffres, clé de contrôle correcte).")
SIRET_MESSAGE = _("« %(value)s » n'est pas un numéro SIRET valide (14 chiffres, clé de contrôle correcte).")


def _check_with_stdnum(module, value: str, message, code: str) -> None:
    if not value:
        return
    try:
        module.validate(value)
    except StdnumError as exc:
        raise ValidationError(message, code=code, params={"value": value}) from exc


def validate_siren(value: str) -> None:
    _check_with_stdnum(siren, value, SIREN_MESSAGE, "invalid_siren")


def validate_siret(value: str) -> None:
    """SIRET with its Luhn key, including La Poste's special rule (stdnum.fr.siret)."""
    _check_with_stdnum(siret, value, SIRET_MESSAGE, "invalid_siret")


def validate_rna(value: str) -> None:
    if value and not RNA_PATTERN.match(value):
        raise ValidationError(
            RNA_MESSAGE,
            code="invalid_rna",
            params={"value": value},
        )


def validate_latitude(value: float) -> None:
    if value is not None and not -90 <= value <= 90:
        raise ValidationError(_("Une latitude est comprise entre -90 et 90."), code="invalid_latitude")


def validate_longitude(value: float) -> None:
    if value is not None and not -180 <= value <= 180:
        raise ValidationError(_("Une longitude est comprise entre -180 et 180."), code="invalid_longitude")
