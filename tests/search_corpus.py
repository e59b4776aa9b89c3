"""A small French corpus for the search page and API tests: four published initiatives in three régions, a draft."""

from types import SimpleNamespace

from carrefour import search
from carrefour.catalog.models import Initiative, Term, Vocabulary
from tests.factories import make_initiative


def theme(code: str) -> Term:
    return Term.objects.get(vocabulary=Vocabulary.THEME, code=code)


def build_search_corpus(settings, index_dir) -> SimpleNamespace:
    """Create the initiatives and build their index in `index_dir` (a throwaway folder)."""
    settings.SEARCH_INDEX_DIR = index_dir
    repair = make_initiative(
        "Repair Café de Quimper",
        "29232",
        summary="Un atelier mensuel où des bénévoles aident chacun à réparer ses objets du quotidien.",
    )
    epicerie = make_initiative(
        "Épicerie solidaire du Bouguen",
        "29019",
        summary="Une épicerie solidaire où les familles aux revenus modestes font leurs courses à petit prix.",
    )
    jardin = make_initiative(
        "Jardin partagé des Capucins",
        "35238",
        summary="Un jardin partagé cultivé par les habitants du quartier, avec un composteur collectif.",
    )
    tiers_lieu = make_initiative(
        "La Fabrique, tiers-lieu de la Croix-Rousse",
        "69123",
        summary="Un tiers-lieu avec un atelier de fabrication numérique, un café associatif et des bureaux partagés.",
    )
    draft = make_initiative(
        "Ressourcerie en préparation",
        "29232",
        status=Initiative.Status.DRAFT,
        summary="Une ressourcerie qui n'est pas encore publiée.",
    )
    repair.themes.set([theme("ENV")])
    epicerie.themes.set([theme("SOL")])
    jardin.themes.set([theme("ENV")])
    tiers_lieu.themes.set([theme("NUM")])
    search.reindex()
    return SimpleNamespace(repair=repair, epicerie=epicerie, jardin=jardin, tiers_lieu=tiers_lieu, draft=draft)
