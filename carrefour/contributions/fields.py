"""Form fields of the contribution forms: a commune typed by name or code, links one per line, term choices."""

import re

from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from carrefour.catalog.models import Term
from carrefour.core.text import fold
from carrefour.territories.lookups import (
    commune_by_code,
    communes_by_name,
    communes_by_postal_code,
    is_valid_cog_code,
    normalise_postal_code,
)
from carrefour.territories.models import Commune

_NAME_WITH_DEPARTEMENT = re.compile(r"^(?P<name>.+?)\s*\((?P<dep>\d[\dAB]\d?)\)\s*$", re.IGNORECASE)
_ARTICLES = ("le", "la", "les", "l", "aux", "las", "los")
MAX_CANDIDATES_SHOWN = 6


def commune_label(commune: Commune) -> str:
    return f"{commune.name} ({commune.departement_id})"


def _listing(communes) -> str:
    return ", ".join(commune_label(c) for c in communes[:MAX_CANDIDATES_SHOWN])


class CommuneField(forms.CharField):
    """A commune typed as its name (« Quimper », « Saint-Denis (93) »), INSEE code or postal code."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 120)
        kwargs.setdefault(
            "help_text",
            _(
                "Nom de la commune, avec le numéro du département en cas d'homonymes — par exemple "
                "« Saint-Denis (93) » —, ou son code INSEE."
            ),
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return commune_label(value) if isinstance(value, Commune) else value

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        return resolve_commune(text)


def resolve_commune(text: str) -> Commune:
    text = text.strip()
    code = text.upper()
    if is_valid_cog_code(code) and (commune := commune_by_code(code)):
        return commune
    if normalise_postal_code(code) and code.replace(" ", "").isdigit():
        communes = communes_by_postal_code(code)
        if len(communes) == 1:
            return communes[0]
        if communes:
            raise forms.ValidationError(
                _("Le code postal %(code)s couvre plusieurs communes (%(list)s) : indiquez le nom de la vôtre."),
                code="ambiguous",
                params={"code": code, "list": _listing(communes)},
            )
        raise forms.ValidationError(
            _("Aucune commune ne correspond au code « %(code)s »."), code="unknown", params={"code": code}
        )
    match = _NAME_WITH_DEPARTEMENT.match(text)
    name, departement = (match["name"], match["dep"].upper().zfill(2)) if match else (text, None)
    candidates = communes_by_name(name, departement)
    folded = fold(name)
    exact_names = {folded, *(f"{article} {folded}" for article in _ARTICLES)}
    exact = [c for c in candidates if c.search_name in exact_names]
    if len(exact) == 1:
        return exact[0]
    if len(exact) > 1:
        raise forms.ValidationError(
            _(
                "Plusieurs communes s'appellent « %(name)s » : %(list)s. "
                "Ajoutez le numéro du département entre parenthèses."
            ),
            code="ambiguous",
            params={"name": name, "list": _listing(exact)},
        )
    if candidates:
        raise forms.ValidationError(
            _("Aucune commune ne s'appelle exactement « %(name)s ». Vouliez-vous dire : %(list)s ?"),
            code="unknown",
            params={"name": name, "list": _listing(candidates)},
        )
    raise forms.ValidationError(
        _("Aucune commune française ne correspond à « %(name)s ». Vérifiez l'orthographe ou indiquez le code INSEE."),
        code="unknown",
        params={"name": text},
    )


class LinksField(forms.CharField):
    """Web addresses, one per line."""

    widget = forms.Textarea(attrs={"rows": 3})
    MAX_LINKS = 10

    def clean(self, value):
        text = super().clean(value) or ""
        urls = [line.strip() for line in text.splitlines() if line.strip()]
        if len(urls) > self.MAX_LINKS:
            raise forms.ValidationError(_("10 liens au plus."), code="too_many")
        validate = URLValidator(schemes=["http", "https"])
        for url in urls:
            try:
                validate(url)
            except forms.ValidationError:
                raise forms.ValidationError(
                    _("« %(url)s » n'est pas une adresse web complète (elle doit commencer par https://)."),
                    code="invalid_url",
                    params={"url": url[:100]},
                ) from None
        return urls


def term_choices(vocabulary: str) -> list:
    terms = list(Term.objects.filter(vocabulary=vocabulary, is_active=True).order_by("position", "label"))
    children: dict[int, list[Term]] = {}
    for term in terms:
        if term.parent_id:
            children.setdefault(term.parent_id, []).append(term)
    if not children:
        return [(term.code, term.label) for term in terms]
    return [
        (term.label, [(term.code, term.label), *((child.code, child.label) for child in children.get(term.pk, []))])
        for term in terms
        if term.parent_id is None
    ]
