"""System check `privacy.E001`: the personal-field registry covers every field that looks personal, and names
only fields that exist (R-GDPR-01)."""

import re

from django.apps import apps
from django.core import checks
from django.db import models

# Matched on the parts of a field name (`sender_email` → sender, email), so that « description » is not an IP.
PERSONAL_PARTS = {"email", "emails", "phone", "telephone", "nom", "prenom", "ip"}
PERSONAL_NAMES = re.compile(r"^(first_name|last_name|contact.*)$", re.IGNORECASE)


def looks_personal(field: models.Field) -> bool:
    name = field.name.lower()
    if PERSONAL_NAMES.match(name) or PERSONAL_PARTS.intersection(name.split("_")):
        return True
    return isinstance(field, models.JSONField)  # a JSON field may hold anything: each one must be classified


def field_key(model, field: models.Field) -> str:
    return f"{model._meta.app_label}.{model.__name__}.{field.name}"


def existing_fields() -> dict[str, models.Field]:
    return {
        field_key(model, field): field
        for model in apps.get_models()
        if not model._meta.proxy
        for field in model._meta.concrete_fields
    }


def unregistered(personal: dict, not_personal: dict) -> list[str]:
    return sorted(
        key
        for key, field in existing_fields().items()
        if looks_personal(field) and key not in personal and key not in not_personal
    )


def unknown(personal: dict, not_personal: dict) -> list[str]:
    fields = existing_fields()
    return sorted(key for key in (*personal, *not_personal) if key not in fields)


@checks.register(checks.Tags.models)
def personal_fields_are_registered(app_configs=None, **kwargs):
    from carrefour.privacy.registry import NOT_PERSONAL, PERSONAL_FIELDS, PROCESSINGS

    errors = [
        checks.Error(
            f"{key} looks like personal data but is not in the personal-field registry.",
            hint="Declare it in carrefour/privacy/registry.py: PERSONAL_FIELDS (or NOT_PERSONAL, with the reason).",
            obj=key,
            id="privacy.E001",
        )
        for key in unregistered(PERSONAL_FIELDS, NOT_PERSONAL)
    ]
    errors += [
        checks.Error(
            f"The personal-field registry names {key}, which is not a field of an installed model.",
            hint="Remove or rename the entry in carrefour/privacy/registry.py.",
            obj=key,
            id="privacy.E001",
        )
        for key in unknown(PERSONAL_FIELDS, NOT_PERSONAL)
    ]
    errors += [
        checks.Error(
            f"{key} names an unknown processing « {field.processing} ».",
            obj=key,
            id="privacy.E001",
        )
        for key, field in PERSONAL_FIELDS.items()
        if field.processing not in PROCESSINGS
    ]
    return errors


A11Y_STATUSES = ("totalement", "partiellement", "non")


@checks.register()
def accessibility_status_is_known(app_configs=None, **kwargs):
    from django.conf import settings

    if settings.A11Y_STATUS in A11Y_STATUSES:
        return []
    return [
        checks.Error(
            f"CARREFOUR_A11Y_STATUS is {settings.A11Y_STATUS!r}; it must be one of {', '.join(A11Y_STATUSES)}.",
            hint="The RGAA status of the latest accessibility audit (« partiellement » conforme by default).",
            id="privacy.E002",
        )
    ]
