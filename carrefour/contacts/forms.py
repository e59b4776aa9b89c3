"""Forms of « Je veux essaimer », its thread, and the directory (search and consent)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from carrefour.accounts.models import ProfileType
from carrefour.contacts import territory_field
from carrefour.contacts.models import DirectoryListing, Need
from carrefour.core.forms import DescribedForm, DescribedMixin
from carrefour.messaging.forms import SingleLineCharField

MESSAGE_MIN = 20
MESSAGE_MAX = 5000


class ReplicationForm(DescribedForm):
    name = SingleLineCharField(
        label=_("Votre nom"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Indiquez votre nom.")},
    )
    organisation = SingleLineCharField(
        label=_("Votre structure"),
        max_length=200,
        required=False,
        help_text=_("Association, collectivité, entreprise… Laissez vide si vous agissez à titre personnel."),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    profile_type = forms.ChoiceField(
        label=_("Vous êtes"),
        choices=[("", _("Choisissez…")), *ProfileType.choices],
        required=False,
    )
    territory_kind = forms.ChoiceField(
        label=_("Le territoire est"),
        choices=[(territory_field.COMMUNE, _("une commune")), (territory_field.EPCI_KIND, _("une intercommunalité"))],
        widget=forms.RadioSelect,
        initial=territory_field.COMMUNE,
        error_messages={"required": _("Choisissez commune ou intercommunalité.")},
    )
    territory = SingleLineCharField(
        label=_("Où voulez-vous essaimer ?"),
        max_length=200,
        help_text=_(
            "Le nom de la commune (ou son code postal, ou son code INSEE), ou le nom de l'intercommunalité "
            "(ou son SIREN). Par exemple : Quimperlé, 29300, Communauté de communes du Pays de Landivisiau."
        ),
        error_messages={"required": _("Indiquez la commune ou l'intercommunalité visée.")},
    )
    needs = forms.MultipleChoiceField(
        label=_("De quoi avez-vous besoin ?"),
        choices=Need.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Cochez au moins un besoin."),
            "invalid_choice": _("Ce besoin n'est pas dans la liste."),
        },
    )
    message = forms.CharField(
        label=_("Votre message"),
        min_length=MESSAGE_MIN,
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 7}),
        help_text=_("Présentez votre projet et ce que vous attendez des porteur·euses (%(max)s caractères au plus).")
        % {"max": MESSAGE_MAX},
        error_messages={
            "required": _("Écrivez un message aux porteur·euses."),
            "min_length": _("Écrivez au moins %(limit_value)s caractères (vous en avez écrit %(show_value)s)."),
            "max_length": _("Écrivez au plus %(limit_value)s caractères (vous en avez écrit %(show_value)s)."),
        },
    )

    def clean(self):
        data = super().clean()
        text, kind = data.get("territory"), data.get("territory_kind")
        if text and kind:
            try:
                if kind == territory_field.COMMUNE:
                    data["commune"], data["epci"] = territory_field.resolve_commune(text), None
                else:
                    data["commune"], data["epci"] = None, territory_field.resolve_epci(text)
            except forms.ValidationError as error:
                self.add_error("territory", error)
        return data


class MessageForm(DescribedForm):
    body = forms.CharField(
        label=_("Votre message"),
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": _("Écrivez votre message."),
            "max_length": _("Écrivez au plus %(limit_value)s caractères (vous en avez écrit %(show_value)s)."),
        },
    )


class LinkForm(DescribedForm):
    initiative = forms.ModelChoiceField(
        label=_("L'initiative née de cet essaimage"),
        queryset=None,
        empty_label=_("Choisissez…"),
        error_messages={
            "required": _("Choisissez l'initiative à rattacher."),
            "invalid_choice": _("Choisissez une initiative de la liste."),
        },
    )

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["initiative"].queryset = queryset


class DirectoryListingForm(DescribedMixin, forms.ModelForm):
    visible = forms.BooleanField(
        label=_("J'accepte d'apparaître dans l'annuaire des acteurs, avec le nom et le profil ci-dessous"),
        required=False,
        help_text=_(
            "Votre adresse e-mail n'y figure jamais. Vous pouvez retirer votre accord à tout moment, d'un clic : "
            "vous disparaissez aussitôt de l'annuaire."
        ),
    )

    class Meta:
        model = DirectoryListing
        fields = ["visible", "shown_name", "shown_profile_type", "show_organisations"]
        labels = {
            "shown_name": _("Nom affiché dans l'annuaire"),
            "shown_profile_type": _("Profil affiché"),
            "show_organisations": _("Afficher aussi les organisations auxquelles j'appartiens"),
        }
        widgets = {"shown_name": forms.TextInput(attrs={"autocomplete": "name"})}

    def clean(self):
        data = super().clean()
        for name in ("shown_name",):
            value = data.get(name) or ""
            if any(ord(char) < 32 for char in value):
                self.add_error(name, _("Le nom doit tenir sur une seule ligne."))
        if data.get("visible") and not (data.get("shown_name") or "").strip():
            self.add_error("shown_name", _("Indiquez le nom à afficher dans l'annuaire."))
        return data
