"""The configurator's form: which initiatives the widget shows (source, territory, theme), its title and height."""

from django import forms
from django.utils.translation import gettext_lazy as _

from carrefour.catalog.models import Term, Vocabulary
from carrefour.sources.models import Source
from carrefour.territories.models import Departement, Region

MIN_HEIGHT, MAX_HEIGHT, DEFAULT_HEIGHT = 300, 1600, 600
MAX_TITLE = 80


def _territory_choices() -> list:
    regions = [(f"region:{code}", name) for code, name in Region.objects.order_by("name").values_list("code", "name")]
    departements = [
        (f"departement:{code}", f"{name} ({code})")
        for code, name in Departement.objects.order_by("code").values_list("code", "name")
    ]
    return [("", _("Toute la France")), (_("Régions"), regions), (_("Départements"), departements)]


class WidgetForm(forms.Form):
    titre = forms.CharField(
        label=_("Titre affiché (facultatif)"),
        required=False,
        max_length=MAX_TITLE,
    )
    source = forms.ChoiceField(label=_("Source partenaire (facultatif)"), required=False)
    territoire = forms.ChoiceField(label=_("Territoire (facultatif)"), required=False)
    theme = forms.ChoiceField(label=_("Thématique (facultatif)"), required=False)
    hauteur = forms.IntegerField(
        label=_("Hauteur en pixels"),
        min_value=MIN_HEIGHT,
        max_value=MAX_HEIGHT,
        initial=DEFAULT_HEIGHT,
        error_messages={
            "invalid": _("Indiquez la hauteur en chiffres, par exemple 600."),
            "min_value": _("La hauteur doit être d'au moins %(limit_value)s pixels."),
            "max_value": _("La hauteur ne peut dépasser %(limit_value)s pixels."),
            "required": _("Indiquez une hauteur, par exemple 600."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        invalid = _("Choisissez une valeur de la liste.")
        self.fields["titre"].help_text = _(
            "%(max)s caractères au plus. Sans titre : « Initiatives d'innovation sociale »."
        ) % {"max": MAX_TITLE}
        self.fields["hauteur"].help_text = _("Entre %(min)s et %(max)s.") % {"min": MIN_HEIGHT, "max": MAX_HEIGHT}
        self.fields["source"].choices = [("", _("Toutes les sources")), *Source.objects.values_list("slug", "name")]
        self.fields["territoire"].choices = _territory_choices()
        themes = Term.objects.filter(vocabulary=Vocabulary.THEME, parent__isnull=True, is_active=True)
        self.fields["theme"].choices = [
            ("", _("Toutes les thématiques")),
            *themes.order_by("position", "label").values_list("code", "label"),
        ]
        for name in ("source", "territoire", "theme"):
            self.fields[name].error_messages["invalid_choice"] = invalid

    def widget_params(self) -> dict[str, str]:
        """The widget's query-string parameters: the search's own filter names, then the title."""
        data = self.cleaned_data
        params = {}
        if data.get("source"):
            params["source"] = data["source"]
        if data.get("territoire"):
            kind, code = data["territoire"].split(":", 1)
            params[kind] = code
        if data.get("theme"):
            params["theme"] = data["theme"]
        if data.get("titre"):
            params["titre"] = data["titre"]
        return params
