from django import forms
from django.utils.translation import gettext_lazy as _

from carrefour.alerts.models import Frequency
from carrefour.core.forms import DescribedForm
from carrefour.messaging.forms import SingleLineCharField, SingleLineEmailField


class FrequencyForm(DescribedForm):
    frequency = forms.ChoiceField(
        label=_("Fréquence des e-mails"),
        choices=Frequency.choices,
        widget=forms.RadioSelect,
        initial=Frequency.WEEKLY,
        error_messages={"required": _("Choisissez une fréquence."), "invalid_choice": _("Choisissez une fréquence.")},
    )


class AlertForm(FrequencyForm):
    label = SingleLineCharField(
        label=_("Nom de l'alerte"),
        max_length=200,
        help_text=_("Pour la reconnaître dans vos e-mails."),
        error_messages={"required": _("Donnez un nom à l'alerte.")},
    )
    email = SingleLineEmailField(
        label=_("Votre adresse e-mail"),
        max_length=254,
        required=False,
        help_text=_("Un e-mail de confirmation vous sera envoyé : rien ne part avant que vous l'ayez confirmée."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("Saisissez une adresse e-mail valide, par exemple prenom.nom@exemple.fr.")},
    )
    search = forms.CharField(required=False, widget=forms.HiddenInput, max_length=2000)

    field_order = ["label", "frequency", "email", "search"]

    def __init__(self, *args, account_email: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.account_email = account_email
        if account_email:
            del self.fields["email"]
        else:
            self.fields["email"].required = True
            self.fields["email"].error_messages["required"] = _("Indiquez l'adresse où recevoir l'alerte.")
