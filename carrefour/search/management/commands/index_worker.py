"""`carrefour index_worker`: follow the search outbox in a loop (changes made by other processes or servers).

One worker per index folder (per server). It also rebuilds the index on its own when the outbox alone cannot bring
it up to date: the folder is new or was created empty, its schema is outdated, or it was stopped so long that the
rows it needed were purged (the reason is logged).
"""

import logging
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection
from django.utils.translation import gettext as _

from carrefour.search.indexer import apply_outbox

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = _("Applique en continu les mises à jour en attente de l'index de recherche (le reconstruit s'il le faut).")

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help=_("appliquer une seule fois puis s'arrêter"))
        parser.add_argument("--seconds", type=float, default=None, help=_("s'arrêter après ce nombre de secondes"))
        parser.add_argument("--interval", type=float, default=0.5, help=_("pause entre deux passages (0,5 s)"))

    def handle(self, *args, once, seconds, interval, **options):
        deadline = time.monotonic() + seconds if seconds is not None else None
        total = 0
        while True:
            total += self._apply_once()
            if once or (deadline is not None and time.monotonic() >= deadline):
                break
            time.sleep(max(interval, 0.05))
        if options["verbosity"]:
            self.stdout.write(_("%(count)s mises à jour appliquées.") % {"count": total})

    @staticmethod
    def _apply_once() -> int:
        if not connection.in_atomic_block:  # a long-running loop: drop broken or expired connections
            close_old_connections()
        try:
            return apply_outbox(rebuild=True)
        except Exception:
            logger.exception("Applying the search outbox failed; retrying at the next pass.")
            return 0
