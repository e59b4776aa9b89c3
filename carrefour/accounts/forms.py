"""Forms of « Mon espace »: profile, organisation memberships, account deletion."""

from django import forms
from django.utils.translation import gettext_lazy as _

from carrefour.accounts.models import Profile
from carrefour.catalog.models import Organisation


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = ["display_name", "profile_type"]
        help_texts = {
            "display_name": _("Le nom sous lequel vos contributions apparaissent. Laissez vide pour rester anonyme."),
        }
        error_messages = {"display_name": {"max_length": _("Le nom affiché ne peut dépasser 100 caractères.")}}

    def clean_display_name(self) -> str:
        return " ".join(self.cleaned_data["display_name"].split())


class MembershipForm(forms.Form):
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=500,
        help_text=_("Son nom exact tel qu'il apparaît sur le site, ou l'adresse de sa fiche."),
        error_messages={"required": _("Indiquez le nom de l'organisation.")},
    )
    role_label = forms.CharField(
        label=_("Votre fonction (facultatif)"),
        max_length=100,
        required=False,
        error_messages={"max_length": _("La fonction ne peut dépasser 100 caractères.")},
    )

    def clean_organisation(self) -> Organisation:
        typed = self.cleaned_data["organisation"].strip()
        slug = typed.rstrip("/").rsplit("/", 1)[-1] if "/organisations/" in typed else typed
        by_slug = Organisation.objects.filter(slug=slug).first()
        if by_slug is not None:
            return by_slug
        matches = list(Organisation.objects.filter(name__iexact=typed)[:2])
        if not matches:
            raise forms.ValidationError(
                _(
                    "Aucune organisation de ce nom n'est référencée. "
                    "Vérifiez l'orthographe ou collez l'adresse de sa fiche."
                )
            )
        if len(matches) > 1:
            raise forms.ValidationError(
                _("Plusieurs organisations portent ce nom : collez plutôt l'adresse de la fiche de la vôtre.")
            )
        return matches[0]


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Votre mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Saisissez votre mot de passe pour confirmer la suppression.")},
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Mot de passe incorrect."))
        return password
