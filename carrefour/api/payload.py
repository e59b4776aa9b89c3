"""A partner's JSON body → the contribution form's data, with the checks of R-SEC-06 and R-SEC-15.

Validation is the site's: `carrefour.contributions.forms.InitiativeForm` (same fields, limits and French messages).
Moderation fields (status, version, source, merged_into…) are not writable: naming one is a 400, never ignored.
"""

import json

from django.core.exceptions import RequestDataTooBig
from django.core.validators import URLValidator, ValidationError
from django.utils.translation import gettext as _

from carrefour.contributions.forms import InitiativeForm

WRITABLE = (
    "name", "summary", "description", "carrier", "commune", "address", "postal_code", "themes", "publics",
    "place_types", "innovation_forms", "stage", "scale", "start_year", "contact_channel", "contact_email",
    "website", "links",
)  # fmt: skip
PROVENANCE = ("source_id", "source_url")  # on creation only: the record's id and address at the partner
LIST_FIELDS = ("themes", "publics", "place_types", "innovation_forms", "links")
MAX_LIST_ITEMS = 50


class PayloadError(Exception):
    def __init__(self, message: str, status: int = 400, errors: list | None = None):
        super().__init__(message)
        self.status = status
        self.errors = errors or []


def read_json(request) -> dict:
    content_type = request.META.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
    if content_type != "application/json":
        raise PayloadError(_("Envoyez le corps en JSON, avec l'en-tête Content-Type: application/json."), 415)
    try:
        data = json.loads(request.body or b"")
    except RequestDataTooBig:
        raise PayloadError(_("Le corps de la requête est trop volumineux."), 413) from None
    except (ValueError, UnicodeDecodeError):
        raise PayloadError(_("Le corps n'est pas un JSON valide (UTF-8).")) from None
    if not isinstance(data, dict):
        raise PayloadError(_('Le corps doit être un objet JSON : {"name": …, "summary": …}.'))
    return data


def check_fields(data: dict, allowed: tuple[str, ...]) -> None:
    refused = sorted(key for key in data if key not in allowed)
    if refused:
        message = _("Champs refusés (inconnus ou réservés à la modération) : %(fields)s. Champs acceptés : %(ok)s.")
        message %= {"fields": ", ".join(name[:40] for name in refused[:10]), "ok": ", ".join(allowed)}
        raise PayloadError(message, errors=[{"param": name[:40], "message": message} for name in refused[:10]])


def _type_error(name: str, message: str) -> dict:
    return {"param": name, "message": message}


def form_data(data: dict) -> dict:
    """JSON values → form values (strings, lists of strings), refusing wrong JSON types with a French message."""
    converted, errors = {}, []
    for name, value in data.items():
        if name not in WRITABLE:
            continue
        if name in LIST_FIELDS:
            if value is None:
                value = []
            if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
                errors.append(_type_error(name, _("« %(name)s » doit être une liste de textes.") % {"name": name}))
                continue
            if len(value) > MAX_LIST_ITEMS:
                errors.append(_type_error(name, _("« %(name)s » : 50 valeurs au plus.") % {"name": name}))
                continue
            converted[name] = "\n".join(value) if name == "links" else value
        elif name == "start_year":
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
                errors.append(_type_error(name, _("« start_year » doit être un nombre entier (une année) ou null.")))
                continue
            converted[name] = "" if value is None else str(value)
        else:
            if value is not None and not isinstance(value, str):
                errors.append(_type_error(name, _("« %(name)s » doit être un texte.") % {"name": name}))
                continue
            converted[name] = value or ""
    if errors:
        raise PayloadError(" ".join(item["message"] for item in errors), errors=errors)
    return converted


def validated_form(values: dict, *, only=None, creating: bool = False) -> InitiativeForm:
    form = InitiativeForm(values, only=only, require_relay_email=creating)
    if not form.is_valid():
        errors = [
            {"param": name if name != "__all__" else "body", "message": str(message)}
            for name, messages in form.errors.items()
            for message in messages
        ]
        raise PayloadError(_("Certains champs sont à corriger."), errors=errors)
    return form


def provenance(data: dict) -> tuple[str, str]:
    external_id, url = data.get("source_id", ""), data.get("source_url", "")
    errors = []
    if external_id is None:
        external_id = ""
    if not isinstance(external_id, str) or len(external_id) > 200:
        errors.append(_type_error("source_id", _("« source_id » est un texte de 200 caractères au plus.")))
    if url:
        try:
            if not isinstance(url, str) or len(url) > 500:
                raise ValidationError("too long")
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            errors.append(
                _type_error("source_url", _("« source_url » doit être une adresse web complète (https://…)."))
            )
    if errors:
        raise PayloadError(" ".join(item["message"] for item in errors), errors=errors)
    return external_id.strip(), url or ""
