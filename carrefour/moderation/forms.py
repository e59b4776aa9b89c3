from django import forms
from django.utils.translation import gettext_lazy as _

from carrefour.catalog.models import Term, Vocabulary
from carrefour.moderation import queue
from carrefour.territories.models import Region


class QueueFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Nature"), required=False)
    theme = forms.ChoiceField(label=_("Thématique"), required=False)
    region = forms.ChoiceField(label=_("Région"), required=False)
    age = forms.ChoiceField(
        label=_("Ancienneté"),
        required=False,
        choices=[
            ("", _("Toutes")),
            ("7", _("Plus de 7 jours")),
            ("30", _("Plus de 30 jours")),
            ("90", _("Plus de 90 jours")),
        ],
    )
    sort = forms.ChoiceField(
        label=_("Trier par"),
        required=False,
        choices=[
            ("age", _("Ancienneté (les plus anciennes d'abord)")),
            ("quality", _("Qualité de la fiche (la plus faible d'abord)")),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Toutes"))] + queue.kinds()
        themes = Term.objects.filter(vocabulary=Vocabulary.THEME, parent__isnull=True, is_active=True)
        self.fields["theme"].choices = [("", _("Toutes"))] + list(themes.values_list("code", "label"))
        self.fields["region"].choices = [("", _("Toutes"))] + list(
            Region.objects.order_by("name").values_list("code", "name")
        )

    def filters(self) -> queue.QueueFilters:
        data = self.cleaned_data if self.is_valid() else {}
        age = data.get("age")
        return queue.QueueFilters(
            kind=data.get("kind", ""),
            theme=data.get("theme", ""),
            region=data.get("region", ""),
            older_than_days=queue.AGES.get(age) if age else None,
            sort=data.get("sort") or "age",
        )


DECISIONS = [
    ("approve", _("Accepter et publier")),
    ("request_changes", _("Demander des modifications")),
    ("reject", _("Refuser")),
]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Décision"), choices=DECISIONS, widget=forms.RadioSelect)
    message = forms.CharField(
        label=_("Message au contributeur ou à la contributrice"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Obligatoire pour demander des modifications ou refuser : il est envoyé par e-mail."),
    )
    seen_version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision")
        if decision == "reject" and not (cleaned.get("message") or "").strip():
            self.add_error("message", _("Le motif du refus est obligatoire."))
        if decision == "request_changes" and not (cleaned.get("message") or "").strip():
            self.add_error("message", _("Expliquez ce qui doit être modifié."))
        return cleaned


class ClaimDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Décision"),
        choices=[("approve", _("Accepter : cette personne devient porteuse du projet")), ("reject", _("Refuser"))],
        widget=forms.RadioSelect,
    )
    message = forms.CharField(
        label=_("Motif (obligatoire pour un refus)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "reject" and not (cleaned.get("message") or "").strip():
            self.add_error("message", _("Le motif du refus est obligatoire."))
        return cleaned


class ReportDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Décision"),
        choices=[("restore", _("Maintenir la fiche en ligne")), ("archive", _("Archiver la fiche (retirée du site)"))],
        widget=forms.RadioSelect,
    )
    message = forms.CharField(
        label=_("Message aux personnes qui ont signalé (facultatif)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
