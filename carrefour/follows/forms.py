from django import forms
from django.utils.translation import gettext_lazy as _

from carrefour.core.forms import DescribedForm
from carrefour.messaging.forms import SingleLineCharField


class ListForm(DescribedForm):
    name = SingleLineCharField(
        label=_("Nom de la liste"),
        max_length=100,
        error_messages={"required": _("Donnez un nom à la liste.")},
    )
    is_shared = forms.BooleanField(
        label=_("Partager cette liste par un lien (lecture seule)"),
        required=False,
        help_text=_(
            "Toute personne qui a le lien voit la liste, sans pouvoir la modifier. Décocher rend le lien inutilisable."
        ),
    )

    def __init__(self, *args, creating: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if creating:
            del self.fields["is_shared"]


class AddFavouriteForm(DescribedForm):
    favourite_list = forms.ModelChoiceField(
        label=_("Ajouter à la liste"),
        queryset=None,
        required=False,
        empty_label=_("Une nouvelle liste"),
        error_messages={"invalid_choice": _("Choisissez une de vos listes.")},
    )
    new_name = SingleLineCharField(
        label=_("Nom de la nouvelle liste"),
        max_length=100,
        required=False,
        help_text=_("Seulement pour une nouvelle liste."),
    )

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["favourite_list"].queryset = owner.favourite_lists.all()
        if not self.is_bound:
            first = owner.favourite_lists.first()
            self.initial.setdefault("favourite_list", first.pk if first else None)

    def clean(self):
        data = super().clean()
        if not data.get("favourite_list") and not data.get("new_name") and "favourite_list" not in self.errors:
            self.add_error("new_name", _("Choisissez une liste, ou donnez un nom à la nouvelle."))
        return data
