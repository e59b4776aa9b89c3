"""Helpers of the engine tests: a small French catalogue and ways to shape it."""

from datetime import timedelta

from django.utils import timezone

from carrefour.catalog.models import Initiative, Role, Stakeholder, Term
from carrefour.sources.models import Source, SourceRecord
from carrefour.territories.models import Commune
from tests.factories import make_initiative

# name, commune, place type, themes, summary
SHEETS = [
    ("Ressourcerie de Quimper", "29232", "RES", ["ENV", "ENV-DEC"], "Collecte, tri et revente d'objets de réemploi."),
    ("Repair Café de Quimper", "29232", "REP", ["ENV"], "Des bénévoles aident chacun à réparer ses objets."),
    ("Jardin partagé des Capucins", "35238", "JAR", ["ENV", "ENV-AGR"], "Un jardin cultivé par les habitants."),
    ("Les Jardins Partagés du Moulin", "29019", "JAR", ["ENV"], "Des parcelles potagères au pied des immeubles."),
    ("La Fabrique, tiers-lieu de la Croix-Rousse", "69123", "TIL", ["NUM"], "Un tiers-lieu avec un fablab."),
    ("Le Tiers-Lieu des Bauges", "38185", "TIL", ["TER"], "Des bureaux partagés et un café associatif."),
    ("Épicerie solidaire du Bouguen", "29019", "EPI", ["SOL"], "Des courses à petit prix pour les familles."),
    ("Atelier vélo de Nantes", "44109", "VEL", ["ENV"], "On y répare ses vélos avec l'aide de bénévoles."),
    ("Chantier d'insertion du Port", "33063", "AUT", ["EMP"], "Un parcours d'insertion professionnelle."),
    ("Café de l'économie sociale de Lille", "59350", "CAFE", ["ECO"], "Un lieu pour découvrir l'économie sociale."),
    ("Garage solidaire de Toulouse", "31555", "GAR", ["SOL", "EMP"], "Réparer sa voiture à prix solidaire."),
]


def term(vocabulary: str, code: str) -> Term:
    return Term.objects.get(vocabulary=vocabulary, code=code)


def make_sheet(name, commune_code, place_type, themes, summary, **fields) -> Initiative:
    fields.setdefault("description", "")
    initiative = make_initiative(name, commune_code, summary=summary, **fields)
    initiative.place_types.set([term("place_type", place_type)])
    initiative.themes.set([term("theme", code) for code in themes])
    return initiative


def commune_point(code: str) -> tuple[float, float]:
    commune = Commune.objects.get(code=code)
    return commune.latitude, commune.longitude


def add_source_record(initiative: Initiative, source: Source, external_id: str) -> SourceRecord:
    return SourceRecord.objects.create(
        source=source, external_id=external_id, initiative=initiative, fetched_at=timezone.now() - timedelta(days=1)
    )


def carried_by(initiative: Initiative, organisation) -> None:
    initiative.stakeholders.filter(role=Role.CARRIER).delete()
    Stakeholder.objects.create(initiative=initiative, organisation=organisation, role=Role.CARRIER)
