"""The moderator's merge form: which sheet survives, and for each differing field whose value to keep."""

from django import forms
from django.utils.translation import gettext_lazy as _

from carrefour.dedup.comparison import FieldRow


class MergeForm(forms.Form):
    survivor = forms.TypedChoiceField(label=_("Fiche conservée (son adresse reste la bonne)"), coerce=int)

    def __init__(self, *args, candidate, rows: list[FieldRow], **kwargs):
        super().__init__(*args, **kwargs)
        first, second = candidate.first, candidate.second
        sides = [(first.pk, first.name), (second.pk, second.name)]
        self.fields["survivor"].choices = sides
        self.fields["survivor"].widget = forms.RadioSelect()
        self.fields["survivor"].initial = first.pk
        self.field_names = []
        for row in rows:
            if not row.differs:
                continue
            name = f"field_{row.name}"
            self.fields[name] = forms.TypedChoiceField(
                label=row.label,
                coerce=int,
                choices=sides,
                initial=row.proposed,
                widget=forms.RadioSelect(),
                required=row.proposed is not None,
            )
            self.field_names.append((name, row))

    def choices(self) -> dict[str, int]:
        return {row.name: self.cleaned_data[name] for name, row in self.field_names if self.cleaned_data.get(name)}
