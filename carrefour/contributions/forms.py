"""The contribution forms. One field set describes a sheet; each step of a proposal shows a part of it."""

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carrefour.catalog.models import Organisation
from carrefour.catalog.models.initiative import ContactChannel, LinkKind
from carrefour.contributions.fields import CommuneField, LinksField, commune_label, term_choices
from carrefour.contributions.models import Claim, Report
from carrefour.core.text import fold
from carrefour.territories.lookups import commune_by_code

LINK_DOMAINS = {
    "facebook.com": LinkKind.FACEBOOK,
    "instagram.com": LinkKind.INSTAGRAM,
    "linkedin.com": LinkKind.LINKEDIN,
    "youtube.com": LinkKind.YOUTUBE,
    "youtu.be": LinkKind.YOUTUBE,
}


class InitiativeForm(forms.Form):
    """Every editable field of a sheet. `only` keeps a subset (a proposal step)."""

    name = forms.CharField(label=_("Nom de l'initiative"), max_length=150)
    summary = forms.CharField(
        label=_("Résumé"),
        max_length=280,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("En une ou deux phrases, ce que fait l'initiative (280 caractères au plus)."),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Texte libre. Mise en forme Markdown : **gras**, *italique*, listes avec « - », liens."),
    )
    carrier = forms.CharField(
        label=_("Organisation porteuse"),
        required=False,
        max_length=200,
        help_text=_("Nom de l'association, de l'entreprise ou de la collectivité qui porte l'initiative."),
    )
    commune = CommuneField(label=_("Commune"))
    address = forms.CharField(label=_("Adresse (facultatif)"), required=False, max_length=250)
    postal_code = forms.CharField(label=_("Code postal (facultatif)"), required=False, max_length=5, min_length=5)
    themes = forms.MultipleChoiceField(label=_("Thématiques"), widget=forms.CheckboxSelectMultiple)
    publics = forms.MultipleChoiceField(label=_("Publics"), required=False, widget=forms.CheckboxSelectMultiple)
    place_types = forms.MultipleChoiceField(
        label=_("Type de lieu ou d'initiative"), required=False, widget=forms.CheckboxSelectMultiple
    )
    innovation_forms = forms.MultipleChoiceField(
        label=_("Formes d'innovation"), required=False, widget=forms.CheckboxSelectMultiple
    )
    stage = forms.ChoiceField(label=_("Stade"), required=False)
    scale = forms.ChoiceField(label=_("Échelle d'action"), required=False)
    start_year = forms.IntegerField(label=_("Année de lancement (facultatif)"), required=False, min_value=1800)
    contact_channel = forms.ChoiceField(
        label=_("Comment vous contacter"), choices=ContactChannel.choices, widget=forms.RadioSelect
    )
    contact_email = forms.EmailField(
        label=_("Adresse e-mail de contact"),
        required=False,
        help_text=_("Jamais affichée : les messages des visiteurs vous sont transmis par le formulaire du site."),
    )
    website = forms.URLField(label=_("Site web (facultatif)"), required=False, max_length=500, assume_scheme="https")
    links = LinksField(
        label=_("Réseaux sociaux et autres liens (facultatif)"), required=False, help_text=_("Une adresse par ligne.")
    )

    def __init__(self, *args, only=None, require_relay_email: bool = False, hide_private: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # Someone suggesting an edit does not see the sheet's private contact address: left empty, it stays as it is.
        self.hide_private = hide_private
        if hide_private and "contact_email" in self.fields:
            self.initial["contact_email"] = ""
            self.fields["contact_email"].label = _("Nouvelle adresse e-mail de contact (facultatif)")
            self.fields["contact_email"].help_text = _(
                "L'adresse actuelle n'est pas affichée. Laissez vide pour la garder ; "
                "une nouvelle adresse ne sera jamais publiée."
            )
        # A new sheet contacted through the relay needs the address that receives the messages; an edit of an
        # existing sheet does not (the person suggesting it rarely knows it).
        self.require_relay_email = require_relay_email
        if only is not None:
            for name in list(self.fields):
                if name not in only:
                    del self.fields[name]
        if "commune" in self.fields:
            self.fields["commune"].widget.attrs.update(
                {"data-suggest-url": reverse("api:suggest"), "data-suggest-kind": "commune", "autocomplete": "off"}
            )
        if "carrier" in self.fields:
            self.fields["carrier"].widget.attrs.update(
                {
                    "data-suggest-url": reverse("contributions:organisations"),
                    "data-suggest-kind": "organisation",
                    "autocomplete": "off",
                }
            )
        if "postal_code" in self.fields:
            self.fields["postal_code"].widget.attrs.update(inputmode="numeric")
        for name, vocabulary in (
            ("themes", "theme"),
            ("publics", "public"),
            ("place_types", "place_type"),
            ("innovation_forms", "innovation_form"),
        ):
            if name in self.fields:
                self.fields[name].choices = term_choices(vocabulary)
        for name in ("stage", "scale"):
            if name in self.fields:
                self.fields[name].choices = [("", _("Je ne sais pas"))] + term_choices(name)

    def clean_start_year(self):
        year = self.cleaned_data["start_year"]
        if year is not None and year > timezone.now().year + 1:
            raise forms.ValidationError(_("L'année de lancement ne peut pas être dans le futur lointain."))
        return year

    def clean(self):
        cleaned = super().clean()
        if (
            self.require_relay_email
            and "contact_email" in self.fields
            and cleaned.get("contact_channel") == ContactChannel.RELAY
            and not cleaned.get("contact_email")
            and "contact_email" not in self.errors
        ):
            self.add_error(
                "contact_email",
                _("Indiquez l'adresse qui recevra les messages du formulaire de mise en relation."),
            )
        return cleaned

    def to_data(self, base: dict) -> dict:
        """The snapshot `base` with this form's fields replaced by the cleaned values."""
        data = dict(base)
        cleaned = self.cleaned_data
        for name in ("name", "summary", "description", "themes", "publics", "place_types", "innovation_forms"):
            if name in self.fields:
                data[name] = sorted(cleaned[name]) if isinstance(cleaned[name], list) else cleaned[name]
        for name in ("stage", "scale", "start_year", "contact_channel", "contact_email", "website"):
            if name in self.fields:
                data[name] = cleaned[name] if cleaned[name] not in ("",) else None
        if self.hide_private and "contact_email" in self.fields and not cleaned["contact_email"]:
            data["contact_email"] = base.get("contact_email")
        if "carrier" in self.fields:
            data["carrier"] = _carrier(cleaned["carrier"], base.get("carrier"))
        if "commune" in self.fields:
            data["locations"] = _locations(cleaned, base.get("locations") or [])
        if "links" in self.fields:
            data["links"] = [{"kind": _link_kind(url), "url": url} for url in cleaned["links"]]
        return data


def initial_from(data: dict) -> dict:
    """Form initial values from a snapshot."""
    initial = {key: value for key, value in data.items() if key not in ("carrier", "locations", "links")}
    initial["carrier"] = (data.get("carrier") or {}).get("name", "")
    first = (data.get("locations") or [None])[0]
    if first:
        commune = commune_by_code(first.get("commune") or "")
        initial.update(
            commune=commune_label(commune) if commune else first.get("commune"),
            address=first.get("address", ""),
            postal_code=first.get("postal_code", ""),
        )
    initial["links"] = "\n".join(link["url"] for link in data.get("links") or [])
    return {key: ("" if value is None else value) for key, value in initial.items()}


def _carrier(name: str, base: dict | None) -> dict | None:
    name = (name or "").strip()
    if not name:
        return None
    if base and fold(base.get("name", "")) == fold(name):
        return base
    matches = [org for org in Organisation.objects.filter(name__iexact=name)[:2]]
    if len(matches) == 1:
        return {"id": matches[0].pk, "name": matches[0].name}
    return {"id": None, "name": name}


def _locations(cleaned: dict, base: list[dict]) -> list[dict]:
    commune = cleaned["commune"]
    first = dict(base[0]) if base else {}
    address = cleaned.get("address", first.get("address", ""))
    moved = first.get("commune") != commune.code or first.get("address", "") != address
    first.update(
        commune=commune.code,
        address=address,
        postal_code=cleaned.get("postal_code", first.get("postal_code", "")),
        label=first.get("label", ""),
    )
    if moved or "latitude" not in first:
        first.update(latitude=None, longitude=None)
    return [first, *base[1:]]


def _link_kind(url: str) -> str:
    host = url.split("//", 1)[-1].split("/", 1)[0].lower().removeprefix("www.")
    if "mastodon" in host:
        return LinkKind.MASTODON
    return LINK_DOMAINS.get(host, LinkKind.OTHER)


class ImageForm(forms.Form):
    image = forms.FileField(
        label=_("Image (JPEG, PNG ou WebP, 5 Mo au plus)"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    alt_text = forms.CharField(
        label=_("Description de l'image pour les personnes qui ne la voient pas"),
        max_length=200,
        help_text=_("Par exemple : « Des bénévoles réparent un vélo dans l'atelier »."),
    )
    credit = forms.CharField(label=_("Crédit photo (facultatif)"), required=False, max_length=200)

    def clean_image(self):
        from carrefour.contributions.images import clean_image

        return clean_image(self.cleaned_data["image"])


class ClaimForm(forms.ModelForm):
    class Meta:
        model = Claim
        fields = ["message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "message": _(
                "Expliquez votre rôle dans l'initiative (fonction, organisation) et comment la modération peut le "
                "vérifier (adresse e-mail professionnelle, site web…)."
            )
        }


class ReportForm(forms.ModelForm):
    class Meta:
        model = Report
        fields = ["reason", "message"]
        widgets = {"reason": forms.RadioSelect, "message": forms.Textarea(attrs={"rows": 5})}
        help_texts = {"message": _("Ce qui ne va pas, et si possible une source pour le vérifier.")}


class DecisionMessageForm(forms.Form):
    message = forms.CharField(label=_("Message"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
