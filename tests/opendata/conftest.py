import datetime as dt

import pytest
from django.utils import timezone

from carrefour.sources.models import Licence, Source, SourceRecord
from tests.factories import make_initiative, make_organisation

PERSONAL_EMAIL = "camille.martin@exemple.fr"
PERSONAL_PHONE = "06 12 34 56 78"
PERSONAL_PHONE_E164 = "+33612345678"
PERSON_NAME = "Camille Martinez-Lebrun"
LONG_DESCRIPTION = (
    "Une association de quartier qui accompagne les habitants dans la réparation, le réemploi et le partage "
    "des savoir-faire, avec des ateliers ouverts à toutes et à tous."
)


@pytest.fixture(autouse=True)
def exports_folder(settings, tmp_path):
    settings.OPENDATA_DIR = tmp_path / "exports"
    settings.SITE_URL = "https://carrefour.example.org"
    return settings.OPENDATA_DIR


def source(slug: str, licence: str) -> Source:
    return Source.objects.create(name=f"Réseau {slug}", slug=slug, licence=licence, attribution=f"© {slug}")


def record(initiative, src: Source, external_id: str, **payload) -> SourceRecord:
    return SourceRecord.objects.create(
        source=src,
        initiative=initiative,
        external_id=external_id,
        url=f"https://{src.slug}.example.org/fiches/{external_id}",
        fetched_at=timezone.now() - dt.timedelta(days=1),
        payload=payload,
        imported_values=payload,
    )


@pytest.fixture
def catalogue(db):
    """A small catalogue: tricky text, a planted personal e-mail and phone, and each licence situation."""
    etalab, odbl = source("atlas-local", Licence.ETALAB), source("carto-libre", Licence.ODBL)
    ccbysa, other = source("wiki-solidaire", Licence.CC_BY_SA), source("annuaire-prive", Licence.OTHER)
    carrier = make_organisation("Les Ateliers du Steir, « réparer » ensemble", description=LONG_DESCRIPTION)
    tricky = make_initiative(
        "Repair Café « L'Établi », Quimper, dit \"le Rep'\"",
        organisation=carrier,
        summary="Réparer, partager, apprendre : un café où l'on répare ensemble, le samedi.",
        description='Première ligne, avec une virgule.\nDeuxième ligne « citée » et des "guillemets".\r\nFin.',
        contact_email=PERSONAL_EMAIL,
    )
    record(tricky, etalab, "A-1", contact_nom_prenom=PERSON_NAME, telephone=PERSONAL_PHONE, courriel=PERSONAL_EMAIL)
    odbl_only = make_initiative("Jardin partagé de Kerfeunteun", commune_code="29232")
    record(odbl_only, odbl, "osm-42", phone=PERSONAL_PHONE_E164)
    sa_only = make_initiative("Épicerie solidaire de Brest", commune_code="29019")
    record(sa_only, ccbysa, "wiki-7")
    mixed = make_initiative("Ressourcerie du Léon", commune_code="29019")
    record(mixed, odbl, "osm-43")
    record(mixed, etalab, "A-2")
    other_only = make_initiative("Tiers-lieu de Morlaix", commune_code="29151")
    record(other_only, other, "X-1")
    draft = make_initiative("Brouillon jamais publié", status="draft", contact_email="brouillon@exemple.fr")
    native = make_initiative("Café des aidants de Rennes", commune_code="35238")
    return {
        "tricky": tricky,
        "odbl_only": odbl_only,
        "sa_only": sa_only,
        "mixed": mixed,
        "other_only": other_only,
        "draft": draft,
        "native": native,
        "carrier": carrier,
    }
