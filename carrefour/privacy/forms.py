"""The rights-request form (people without an account) and the moderators' answer form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from carrefour.core.forms import DescribedForm
from carrefour.messaging.forms import SingleLineCharField, SingleLineEmailField
from carrefour.privacy.models import RequestKind, RequestStatus


class RightsRequestForm(DescribedForm):
    kind = forms.ChoiceField(
        label=_("Votre demande"),
        choices=RequestKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choisissez le droit que vous exercez."),
            "invalid_choice": _("Choisissez le droit que vous exercez."),
        },
    )
    name = SingleLineCharField(
        label=_("Vos nom et prénom"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Indiquez vos nom et prénom, tels qu'ils apparaissent sur le site.")},
    )
    email = SingleLineEmailField(
        label=_("Votre adresse e-mail"),
        max_length=254,
        help_text=_("Nous vous écrivons d'abord pour la confirmer : la demande ne compte qu'une fois confirmée."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Indiquez l'adresse où recevoir la réponse."),
            "invalid": _("Saisissez une adresse e-mail valide, par exemple prenom.nom@exemple.fr."),
        },
    )
    concerned = SingleLineCharField(
        label=_("Fiche ou page concernée"),
        max_length=500,
        required=False,
        help_text=_("L'adresse de la page ou le nom de la fiche où vos données apparaissent, si vous la connaissez."),
    )
    details = forms.CharField(
        label=_("Précisions"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Pour une rectification : ce qui est faux et la bonne valeur. 3 000 caractères au plus."),
        error_messages={"max_length": _("3 000 caractères au plus (vous en avez saisi %(show_value)d).")},
    )


class AnswerForm(DescribedForm):
    outcome = forms.ChoiceField(
        label=_("Issue"),
        choices=[
            (RequestStatus.DONE, _("Demande satisfaite")),
            (RequestStatus.REFUSED, _("Demande refusée (motivée)")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez l'issue de la demande.")},
    )
    erase = forms.BooleanField(
        label=_("Effacer maintenant toutes les données de cette personne (adresse et nom) sur la plateforme"),
        required=False,
        help_text=_("Fiches, historique, messages, alertes, index de recherche et exports. Irréversible."),
    )
    answer = forms.CharField(
        label=_("Réponse envoyée à la personne"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Rédigez la réponse : elle est envoyée par e-mail à la personne.")},
    )

    def clean(self):
        data = super().clean()
        if data.get("erase") and data.get("outcome") == RequestStatus.REFUSED:
            self.add_error("erase", _("Une demande refusée n'efface rien : décochez l'effacement ou changez l'issue."))
        return data
