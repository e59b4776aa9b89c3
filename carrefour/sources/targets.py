"""Our fields a partner column can be mapped to, each with its cleaner and whether it can hold personal data."""

from typing import Any

from django.utils.translation import gettext_lazy as _

# kind: how the value is cleaned (see mapping.clean_value); personal: may identify a person (R-GDPR-04).
TARGETS: dict[str, dict[str, Any]] = {
    "external_id": {"kind": "text", "label": _("identifiant chez la source")},
    "name": {"kind": "text", "label": _("nom de l'initiative")},
    "summary": {"kind": "text", "label": _("résumé (280 caractères)")},
    "description": {"kind": "long_text", "label": _("description")},
    "website": {"kind": "url", "label": _("site web")},
    "email": {"kind": "email", "label": _("adresse électronique"), "personal": True},
    "phone": {"kind": "phone", "label": _("téléphone"), "personal": True},
    "contact_name": {"kind": "text", "label": _("personne à contacter"), "personal": True},
    "location_label": {"kind": "text", "label": _("nom du lieu")},
    "address": {"kind": "text", "label": _("adresse")},
    "postal_code": {"kind": "text", "label": _("code postal")},
    "insee_code": {"kind": "text", "label": _("code INSEE de la commune")},
    "commune": {"kind": "text", "label": _("commune")},
    "departement": {"kind": "text", "label": _("département")},
    "latitude": {"kind": "number", "label": _("latitude")},
    "longitude": {"kind": "number", "label": _("longitude")},
    "organisation": {"kind": "text", "label": _("structure porteuse")},
    "siret": {"kind": "siret", "label": _("SIRET ou SIREN")},
    "rna": {"kind": "rna", "label": _("numéro RNA")},
    "tags": {"kind": "list", "label": _("étiquettes de la source (recodées)")},
    "themes": {"kind": "list", "label": _("codes de thématiques")},
    "publics": {"kind": "list", "label": _("codes de publics")},
    "place_types": {"kind": "list", "label": _("codes de types de lieu")},
    "start_year": {"kind": "year", "label": _("année de lancement")},
    "source_url": {"kind": "url", "label": _("lien vers la fiche d'origine")},
    "updated_at": {"kind": "date", "label": _("date de mise à jour chez la source")},
    "opening_hours": {"kind": "long_text", "label": _("horaires")},
}
# Our vocabularies a code list feeds, by target.
TERM_TARGETS = {"themes": "theme", "publics": "public", "place_types": "place_type"}
