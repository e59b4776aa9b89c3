"""`carrefour geocode_pending [--scan] [--limit N]` (cron, e.g. every 10 minutes): retry the pending addresses.

Each failure pushes the next attempt back (5 min, 10 min, … up to 24 h); after 15 failures the address is left at
its commune. The last line is one JSON object.
"""

import json

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from carrefour.geocoding.actions import retry_due, scan
from carrefour.geocoding.backends import address_geocoder_enabled


class Command(BaseCommand):
    help = _("Géocode les adresses en attente (le géocodeur était indisponible lors de l'enregistrement).")

    def add_arguments(self, parser):
        parser.add_argument(
            "--scan", action="store_true", help=_("Ajoute d'abord les adresses jamais soumises (fiches importées).")
        )
        parser.add_argument("--limit", type=int, default=None, help=_("Nombre maximal d'adresses traitées."))

    def handle(self, *args, scan: bool = False, limit=None, **options):
        if not address_geocoder_enabled():
            self.stdout.write(_("Aucun géocodeur d'adresses configuré (CARREFOUR_GEOCODER_URL) : rien à faire."))
            self.stdout.write(json.dumps({"configured": False}))
            return
        marked = _scan() if scan else 0
        summary = retry_due(limit)
        self.stdout.write(
            _(
                "%(geocoded)s adresse(s) géocodée(s), %(not_found)s non trouvée(s), %(failed)s en échec (nouvel essai "
                "plus tard), %(gave_up)s abandonnée(s)."
            )
            % vars(summary)
        )
        for error in sorted(set(summary.errors))[:5]:
            self.stderr.write(error)
        self.stdout.write(
            json.dumps(
                {
                    "configured": True,
                    "scanned": marked,
                    "geocoded": summary.geocoded,
                    "not_found": summary.not_found,
                    "failed": summary.failed,
                    "gave_up": summary.gave_up,
                }
            )
        )


def _scan() -> int:
    return scan()
