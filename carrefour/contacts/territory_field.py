"""Where a replication would take place: a commune or an EPCI, typed as a name or a code, checked against the
gazetteer (carrefour.territories) with French messages that say how to fix an ambiguous or unknown place."""

import re

from django import forms
from django.utils.translation import gettext as _

from carrefour.core.text import fold
from carrefour.territories import lookups
from carrefour.territories.models import EPCI, Departement

COMMUNE, EPCI_KIND = "commune", "epci"
# « Saint-Denis (93) » or « Saint-Denis (974) »: a name with its département, as the error messages suggest.
_WITH_DEPARTEMENT = re.compile(r"^(?P<name>.+?)\s*\((?P<departement>\d{2,3}|2[AB])\)$", re.IGNORECASE)
_SIREN = re.compile(r"\d{9}")
MAX_LISTED = 6


def _listing(communes) -> str:
    return ", ".join(f"{commune.name} ({commune.departement_id})" for commune in communes[:MAX_LISTED])


def resolve_commune(text: str):
    """The commune meant by an INSEE code, a postal code, a name, or « name (département) »."""
    text = " ".join(text.split())
    if lookups.is_valid_cog_code(text.upper()):
        commune = lookups.commune_by_code(text)
        if commune is None:
            raise forms.ValidationError(_("Aucune commune ne porte le code INSEE %(code)s.") % {"code": text})
        return commune
    if text.isdigit():
        communes = lookups.communes_by_postal_code(text)
        if not communes:
            raise forms.ValidationError(_("Aucune commune n'a le code postal %(code)s.") % {"code": text})
        if len(communes) > 1:
            raise forms.ValidationError(
                _("Le code postal %(code)s couvre plusieurs communes : %(list)s. Écrivez le nom de la vôtre.")
                % {"code": text, "list": _listing(communes)}
            )
        return communes[0]
    departement = None
    match = _WITH_DEPARTEMENT.match(text)
    if match:
        departement = Departement.objects.filter(pk=match["departement"].upper()).first()
        if departement is None:
            raise forms.ValidationError(_("Le département %(code)s n'existe pas.") % {"code": match["departement"]})
        text = match["name"]
    exact = [commune for commune in lookups.communes_by_name(text, departement) if commune.search_name == fold(text)]
    if len(exact) == 1:
        return exact[0]
    if len(exact) > 1:
        raise forms.ValidationError(
            _("Plusieurs communes s'appellent ainsi : %(list)s. Ajoutez le département, par exemple « %(example)s ».")
            % {"list": _listing(exact), "example": f"{exact[0].name} ({exact[0].departement_id})"}
        )
    close = lookups.communes_by_name(text, departement, limit=MAX_LISTED)
    if close:
        raise forms.ValidationError(
            _("Nous ne trouvons pas « %(text)s ». Vouliez-vous dire : %(list)s ?")
            % {"text": text, "list": _listing(close)}
        )
    raise forms.ValidationError(
        _("Nous ne trouvons aucune commune « %(text)s ». Vérifiez l'orthographe ou indiquez son code postal.")
        % {"text": text}
    )


def resolve_epci(text: str):
    """The EPCI meant by its SIREN or its name (exact, or the only one whose name contains it)."""
    text = " ".join(text.split())
    if _SIREN.fullmatch(text):
        epci = EPCI.objects.filter(pk=text).first()
        if epci is None:
            raise forms.ValidationError(_("Aucune intercommunalité n'a le SIREN %(code)s.") % {"code": text})
        return epci
    folded = fold(text)
    if len(folded) < 3:
        raise forms.ValidationError(_("Écrivez au moins trois lettres du nom de l'intercommunalité."))
    exact = list(EPCI.objects.filter(search_name=folded)[:2])
    if len(exact) == 1:
        return exact[0]
    found = list(EPCI.objects.filter(search_name__contains=folded).order_by("-population")[: MAX_LISTED + 1])
    if len(found) == 1:
        return found[0]
    if found:
        names = ", ".join(epci.name for epci in found[:MAX_LISTED])
        raise forms.ValidationError(
            _("Plusieurs intercommunalités correspondent : %(list)s. Écrivez le nom complet ou le SIREN.")
            % {"list": names}
        )
    raise forms.ValidationError(
        _("Nous ne trouvons aucune intercommunalité « %(text)s ». Écrivez son nom complet ou son SIREN (9 chiffres).")
        % {"text": text}
    )
