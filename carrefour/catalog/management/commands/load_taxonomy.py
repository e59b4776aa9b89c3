"""`carrefour load_taxonomy`: load (or reload) the common taxonomy and its crosswalks from the data files."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from carrefour.catalog.taxonomy_loader import TaxonomyError, load_taxonomy

VOCABULARY_COUNTS = {
    "theme": lambda n: ngettext("%(count)d thématique", "%(count)d thématiques", n),
    "public": lambda n: ngettext("%(count)d public", "%(count)d publics", n),
    "place_type": lambda n: ngettext("%(count)d type de lieu", "%(count)d types de lieu", n),
    "innovation_form": lambda n: ngettext("%(count)d forme d'innovation", "%(count)d formes d'innovation", n),
    "stage": lambda n: ngettext("%(count)d stade", "%(count)d stades", n),
    "scale": lambda n: ngettext("%(count)d échelle", "%(count)d échelles", n),
    "structure_type": lambda n: ngettext("%(count)d type de structure", "%(count)d types de structure", n),
    "profile": lambda n: ngettext("%(count)d profil", "%(count)d profils", n),
    "activity": lambda n: ngettext("%(count)d activité de réseau", "%(count)d activités de réseau", n),
}


class Command(BaseCommand):
    help = _("Charge la taxonomie commune et ses tables de correspondance depuis les fichiers de données.")

    def add_arguments(self, parser):
        parser.add_argument("--data-dir", help=_("dossier des fichiers de taxonomie (celui du projet par défaut)"))

    def handle(self, *args, data_dir=None, **options):
        try:
            counts = load_taxonomy(data_dir)
        except TaxonomyError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(summary(counts))


def summary(counts: dict) -> str:
    """« Taxonomie 2026.1 chargée : 69 thématiques (dont 16 de premier niveau), 18 publics, … »."""
    parts = []
    for vocabulary, count in counts["terms"].items():
        parts.append(VOCABULARY_COUNTS[vocabulary](count) % {"count": count})
        if vocabulary == "theme":
            parts[-1] += " " + _("(dont %(count)d de premier niveau)") % {"count": counts["top_level_themes"]}
    crosswalks = ", ".join(f"{scheme} : {rows}" for scheme, rows in counts["crosswalks"].items()) or "-"
    return _(
        "Taxonomie %(version)s chargée : %(terms)s. Correspondances : %(crosswalks)s. "
        "Termes créés : %(created)d, modifiés : %(updated)d, retirés : %(deactivated)d."
    ) % {**counts, "terms": ", ".join(parts), "crosswalks": crosswalks}
