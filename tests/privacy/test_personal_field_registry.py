"""R-GDPR-01: one registry of personal fields, checked by `privacy.E001`, and the processing register in docs/rgpd
lists the same processings; R-GDPR-10: the breach runbook exists."""

import re
from pathlib import Path

from django.core import checks

from carrefour.privacy import checks as privacy_checks
from carrefour.privacy import registry

DOCS = Path(__file__).resolve().parents[2] / "docs" / "rgpd"


def privacy_errors():
    return [error for error in checks.run_checks() if error.id == "privacy.E001"]


def test_every_field_that_looks_personal_is_registered():
    assert privacy_errors() == []


def test_a_personal_field_missing_from_the_registry_fails_the_check(monkeypatch):
    without = {
        key: value for key, value in registry.PERSONAL_FIELDS.items() if key != "catalog.Initiative.contact_email"
    }
    monkeypatch.setattr(registry, "PERSONAL_FIELDS", without)
    errors = privacy_errors()
    assert [error.obj for error in errors] == ["catalog.Initiative.contact_email"]
    assert "not in the personal-field registry" in errors[0].msg


def test_an_unclassified_json_field_fails_the_check(monkeypatch):
    without = {key: value for key, value in registry.NOT_PERSONAL.items() if key != "sources.ImportRun.counts"}
    monkeypatch.setattr(registry, "NOT_PERSONAL", without)
    assert [error.obj for error in privacy_errors()] == ["sources.ImportRun.counts"]


def test_a_registry_entry_naming_no_field_fails_the_check(monkeypatch):
    extra = {
        **registry.PERSONAL_FIELDS,
        "catalog.Initiative.contact_phone": registry.PersonalField("sheet_contacts", "contact"),
    }
    monkeypatch.setattr(registry, "PERSONAL_FIELDS", extra)
    errors = privacy_errors()
    assert [error.obj for error in errors] == ["catalog.Initiative.contact_phone"]
    assert "not a field of an installed model" in errors[0].msg


def test_names_are_matched_by_their_parts_not_inside_words():
    from django.db import models

    def looks(name, field_class=models.CharField):
        field = field_class()
        field.name = name
        return privacy_checks.looks_personal(field)

    assert looks("sender_email") and looks("telephone") and looks("contact_nom_prenom") and looks("client_ip")
    assert looks("first_name") and looks("contact_channel") and looks("payload", models.JSONField)
    assert not looks("description") and not looks("recipient_kind") and not looks("nombre")


def test_every_registered_field_names_a_known_processing_category_and_mode():
    for key, field in registry.PERSONAL_FIELDS.items():
        assert field.processing in registry.PROCESSINGS, key
        assert field.category in registry.CATEGORIES, key
        assert field.erase in ("blank", "scrub_json", "delete_row", "cascade"), key


def test_the_register_document_lists_the_same_processings_as_the_code():
    text = (DOCS / "registre.md").read_text(encoding="utf-8")
    documented = re.findall(r"^## .+ \(`([a-z_]+)`\)$", text, flags=re.MULTILINE)
    assert documented == list(registry.PROCESSINGS)
    for section in re.split(r"^## ", text, flags=re.MULTILINE)[1:]:
        for heading in ("Finalité", "Base légale", "Données", "Destinataires", "Sous-traitants", "Conservation"):
            assert f"**{heading} :**" in section, (section.splitlines()[0], heading)


def test_the_breach_runbook_says_who_assesses_and_the_72_hour_notification():
    text = (DOCS / "violation-de-donnees.md").read_text(encoding="utf-8")
    assert "72 heures" in text and "CNIL" in text and "Informer les personnes" in text and "qui :" in text


def test_an_unknown_accessibility_status_fails_the_check(settings):
    settings.A11Y_STATUS = "presque"
    assert [error.id for error in checks.run_checks() if error.id.startswith("privacy.")] == ["privacy.E002"]
    settings.A11Y_STATUS = "totalement"
    assert [error.id for error in checks.run_checks() if error.id.startswith("privacy.")] == []
