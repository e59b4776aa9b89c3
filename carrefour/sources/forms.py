"""Back-office forms: upload a partner file, then adjust the proposed mapping."""

from django import forms
from django.utils.translation import gettext_lazy as _

from carrefour.sources.targets import TARGETS

MAX_UPLOAD = 50 * 1024 * 1024
ALLOWED_SUFFIXES = (".csv", ".tsv", ".txt", ".json", ".geojson", ".xlsx")


class UploadForm(forms.Form):
    name = forms.CharField(
        label=_("Nom de la source"), max_length=150, help_text=_("Par exemple : Réseau des tiers-lieux de Bretagne.")
    )
    file = forms.FileField(label=_("Fichier"), help_text=_("CSV, XLSX, JSON ou GeoJSON ; 50 Mo au plus."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("Le fichier dépasse 50 Mo."))
        if not upload.name.lower().endswith(ALLOWED_SUFFIXES):
            raise forms.ValidationError(_("Format non pris en charge : envoyez un fichier CSV, XLSX, JSON ou GeoJSON."))
        return upload


class MappingForm(forms.Form):
    """One choice per target field among the file's columns (or none)."""

    name = forms.CharField(label=_("Nom de la source"), max_length=150)

    def __init__(self, *args, columns: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— aucune colonne —"))] + [(column, column) for column in columns]
        for target, spec in TARGETS.items():
            self.fields[f"map_{target}"] = forms.ChoiceField(label=spec["label"], choices=choices, required=False)

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        if not cleaned.get("map_name"):
            self.add_error("map_name", _("Choisissez la colonne qui donne le nom de l'initiative."))
        return cleaned

    def mapping(self) -> dict[str, str]:
        return {
            target: self.cleaned_data[f"map_{target}"] for target in TARGETS if self.cleaned_data.get(f"map_{target}")
        }

    def target_fields(self):
        return [self[f"map_{target}"] for target in TARGETS]


class ConflictDecisionForm(forms.Form):
    """A moderator's decision on a sync conflict; the page offers it as two submit buttons."""

    DECISIONS = (
        ("keep_local", _("Garder la valeur locale")),
        ("take_incoming", _("Prendre la valeur de la source")),
    )
    decision = forms.ChoiceField(
        label=_("Décision"),
        choices=DECISIONS,
        error_messages={
            "required": _("Choisissez « Garder la valeur locale » ou « Prendre la valeur de la source »."),
            "invalid_choice": _("Choisissez « Garder la valeur locale » ou « Prendre la valeur de la source »."),
        },
    )
