"""Forms shared by the back office and (later) the contribution pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from carrefour.catalog.models import Location, Organisation
from carrefour.catalog.validators import normalise_digits
from carrefour.territories.lookups import commune_by_code, communes_by_postal_code, is_valid_cog_code


class CommuneCodeField(forms.Field):
    """A commune typed as its INSEE (COG) code, with a clear message for each kind of mistake."""

    widget = forms.TextInput(attrs={"size": 6, "maxlength": 5, "inputmode": "text", "autocomplete": "off"})

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Commune (code INSEE)"))
        kwargs.setdefault(
            "help_text", _("Code officiel géographique à 5 caractères, par exemple 75056 (Paris) ou 2A004.")
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return getattr(value, "pk", value)

    def to_python(self, value):
        code = str(value or "").strip().upper()
        if not code:
            return None
        if not is_valid_cog_code(code):
            raise forms.ValidationError(
                _("« %(code)s » n'est pas un code INSEE : il compte 5 caractères (chiffres, ou 2A/2B pour la Corse)."),
                code="invalid_format",
                params={"code": code},
            )
        commune = commune_by_code(code)
        if commune is None:
            message = _("Aucune commune ne porte le code INSEE « %(code)s ».")
            if communes_by_postal_code(code):
                message = _("« %(code)s » est un code postal, pas un code INSEE : indiquez le code de la commune.")
            raise forms.ValidationError(message, code="unknown_commune", params={"code": code})
        return commune


class LocationForm(forms.ModelForm):
    commune = CommuneCodeField()

    class Meta:
        model = Location
        fields = [
            "label", "address", "postal_code", "commune", "latitude", "longitude", "precision",
            "coordinates_look_swapped", "position",
        ]  # fmt: skip


class OrganisationForm(forms.ModelForm):
    # Wider than the stored digits, so "130 030 133 00016" can be typed and normalised before validation.
    siren = forms.CharField(label=_("SIREN"), max_length=20, required=False)
    siret = forms.CharField(label=_("SIRET"), max_length=24, required=False)
    rna = forms.CharField(label=_("RNA"), max_length=12, required=False, help_text=_("W suivi de 9 chiffres."))

    class Meta:
        model = Organisation
        fields = ["name", "structure_type", "siren", "siret", "rna", "website", "description", "commune"]

    def clean_siren(self):
        return normalise_digits(self.cleaned_data["siren"])

    def clean_siret(self):
        return normalise_digits(self.cleaned_data["siret"])

    def clean_rna(self):
        return (self.cleaned_data["rna"] or "").strip().upper()
